/**
 * A replay, as an analyst would run one after an incident: `{"replay": {"since", "until"}}` for one hour,
 * invoked again until it answers `done`. Then the proof: Sumo got exactly the events Okta published in
 * [since, until), every one marked `replay=<id>` in `X-Sumo-Fields`, and the live cursor did not move.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ReplaySummary } from '../../lambda/core/collect.js';
import type { OktaSimulator } from '../../dev/okta-simulator.js';
import type { SumoReceiver } from '../../dev/sumo-receiver.js';
import { count } from './format.js';
import type { LambdaInvoker } from './lambda-invoker.js';

export interface ReplayDemoDeps {
  readonly invoker: LambdaInvoker;
  readonly okta: OktaSimulator;
  readonly sumo: SumoReceiver;
  /** The main cursor's item as stored, to show the replay left it alone. */
  readonly readMainCursor: () => Promise<unknown>;
  readonly print: (line: string) => void;
}

const MAX_INVOCATIONS = 10;

/** Runs the replay and returns the problems found (none when it did exactly what it promises). */
export async function demonstrateReplay(
  deps: ReplayDemoDeps,
  window: { since: string; until: string },
): Promise<string[]> {
  const { invoker, okta, sumo, print } = deps;
  const cursorBefore = await deps.readMainCursor();
  const firstBatch = sumo.batches.length;
  let last: ReplaySummary | undefined;
  for (let i = 1; i <= MAX_INVOCATIONS && last?.done !== true; i += 1) {
    const outcome = await invoker.invoke<ReplaySummary>({ replay: window });
    if (!outcome.ok) return [`the replay invocation failed: ${outcome.error}`];
    last = outcome.result;
    print(
      `  invocation ${i}: ${count(last.events)} events in ${last.pages} page(s), ` +
        `${last.done ? 'done' : last.stopReason} (${last.replayId})`,
    );
  }
  if (last?.done !== true) return [`the replay was not done after ${MAX_INVOCATIONS} invocations`];
  const batchesWhenDone = sumo.batches.length;
  // The same request maps to the same replay id and cursor item: invoking it again must not re-send anything.
  const again = await invoker.invoke<ReplaySummary>({ replay: window });
  const resentAgain = sumo.batches.length - batchesWhenDone;
  if (again.ok) {
    print(
      `  invoked again: ${again.result.done ? 'done' : again.result.stopReason}, ${count(again.result.events)} events sent`,
    );
  }

  const sinceMs = Date.parse(window.since);
  const untilMs = Date.parse(window.until);
  const expected = new Set(
    okta.events.filter((e) => e.publishedMs >= sinceMs && e.publishedMs < untilMs).map((e) => e.uuid),
  );
  const replayBatches = new Set(sumo.batches.slice(firstBatch).map((b) => b.index));
  const marked = sumo.batches.slice(firstBatch).filter(
    (b) =>
      b.status === 200 &&
      String(b.headers['x-sumo-fields'] ?? '')
        .split(',')
        .includes(`replay=${last.replayId}`),
  );
  const resent = sumo.lines.filter((l) => replayBatches.has(l.batch)).map((l) => l.uuid ?? '');
  const resentSet = new Set(resent);
  const missing = [...expected].filter((uuid) => !resentSet.has(uuid)).length;
  const outside = [...resentSet].filter((uuid) => !expected.has(uuid)).length;
  const unmarked = replayBatches.size - marked.length;
  const cursorUntouched = isDeepStrictEqual(cursorBefore, await deps.readMainCursor());

  print(`  published in [${window.since}, ${window.until}): ${count(expected.size)} events in Okta`);
  print(
    `  re-sent: ${count(resent.length)} lines in ${count(replayBatches.size)} request(s); ` +
      `missing ${missing}, outside the window ${outside}, duplicates ${resent.length - resentSet.size}`,
  );
  print(
    `  X-Sumo-Fields: replay=${last.replayId} on ${count(marked.length)} of ${count(replayBatches.size)} request(s)`,
  );
  print(`  main cursor item: ${cursorUntouched ? 'untouched' : 'CHANGED'}`);

  const problems: string[] = [];
  if (!again.ok) problems.push(`invoking the finished replay again failed: ${again.error}`);
  else if (!again.result.done || resentAgain > 0)
    problems.push('invoking the finished replay again sent events again');
  if (missing > 0) problems.push(`the replay missed ${missing} events of its window`);
  if (outside > 0) problems.push(`the replay sent ${outside} events from outside its window`);
  if (unmarked > 0)
    problems.push(`${unmarked} replay requests lacked X-Sumo-Fields: replay=${last.replayId}`);
  if (!cursorUntouched) problems.push('the replay changed the main cursor item');
  return problems;
}
