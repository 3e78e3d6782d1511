/**
 * A cursor item that is partly unreadable (issue 9.1, 9.2; interface 10), through the real handler and the
 * local stack. A 3,000-event backlog persisted over the last hour is collected; the first tick stops partway
 * (Okta answers 403 after 46 pages), the item is corrupted by hand, and the following ticks must deliver
 * every event: following a usable `next` (duplicates ≤ one page), or restarting from the last delivered
 * `published` minus the overlap (duplicates ≤ what was persisted in the overlap), or where the stream started
 * (duplicates ≤ what was delivered): never from the item's wall-clock `savedAt`, which in polling mode (a
 * `since` on persistence time) skipped the backlog between the real position and `savedAt`.
 */
import { UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import type { OktaFault } from '../../dev/okta-simulator.js';
import { localDynamoClient } from '../../dev/local-dynamodb.js';
import { CURSOR_TABLE_NAME } from '../../dev/local-stack.js';
import { validateReplayWindow } from '../../lambda/core/replay-request.js';
import { expectNothingLostOrLeaked, joinRuns } from '../../dev/reliability/expectations.js';
import { acceptedUuids, deliveryReport } from '../../dev/reliability/invariants.js';
import {
  PAGE_LIMIT,
  startScenario,
  summaryOf,
  tickUntilCaughtUp,
  type Scenario,
  type TickRun,
} from '../../dev/reliability/scenario.js';
import { startTrapServer, type TrapServer } from '../../dev/reliability/trap-server.js';

const BACKLOG = 3000;
const PAGES_BEFORE_STOP = 46;
const OVERLAP_MS = 5 * 60_000;
const MINUTE_MS = 60_000;

let scenario: Scenario | undefined;
let trap: TrapServer | undefined;
afterEach(async () => {
  await scenario?.stop();
  await trap?.stop();
  scenario = undefined;
  trap = undefined;
});

/** `count` events persisted in 30 chunks over the last hour (Okta's clock moved back while producing). */
function produceSpreadBacklog(s: Scenario, count: number): void {
  const chunks = 30;
  for (let chunk = 0; chunk < chunks; chunk++) {
    s.stack.okta.configure({ clockSkewMs: -(chunks - chunk) * 2 * MINUTE_MS });
    s.stack.okta.produce(count / chunks);
  }
  s.stack.okta.configure({ clockSkewMs: 0 });
}

/** Replaces attributes of a stored item, as a hand edit or an older version would. */
async function corrupt(
  s: Scenario,
  streamId: string,
  attributes: Record<string, AttributeValue>,
): Promise<void> {
  const client = localDynamoClient(s.stack.dynamo.endpoint);
  const names = Object.keys(attributes);
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: CURSOR_TABLE_NAME,
        Key: { pk: { S: streamId } },
        UpdateExpression: `SET ${names.map((_, i) => `#a${i} = :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#a${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(names.map((name, i) => [`:v${i}`, attributes[name]!])),
      }),
    );
  } finally {
    client.destroy();
  }
}

/** Figures for the README's reliability section, printed when `RELIABILITY_FIGURES=1`. */
function figures(name: string, s: Scenario, runs: readonly TickRun[]): void {
  if (process.env.RELIABILITY_FIGURES !== '1') return;
  const report = deliveryReport(s.stack);
  const ticks = runs.reduce((n, run) => n + run.outcomes.length, 0);
  console.log(
    `figures | ${name} | sent ${report.produced} | arrived ${report.produced - report.missing.length} | duplicates ${report.duplicates} | ticks ${ticks}`,
  );
}

type Restart = 'follows next' | 'last delivered' | 'stream start';

interface CorruptionCase {
  readonly name: string;
  readonly restart: Restart;
  /** The attributes written over the stored item (given the stored next link and the stand-ins). */
  readonly attributes: (stored: {
    next: string;
    orgUrl: string;
    trap: string;
  }) => Record<string, AttributeValue>;
  /** A line the healing tick must log. */
  readonly logs: string;
}

const cases: readonly CorruptionCase[] = [
  {
    name: 'lastPublished stored as a Number',
    restart: 'follows next',
    attributes: () => ({ lastPublished: { N: String(Date.now() - 3_600_000) } }),
    logs: 'cursor item partly unreadable',
  },
  {
    name: 'unknown attributes (one with a 300-character name)',
    restart: 'follows next',
    attributes: () => ({
      legacyCursor: { S: 'kept by an older version' },
      [`z${'z'.repeat(299)}`]: { M: { nested: { S: 'value' } } },
    }),
    logs: 'cursor item has unknown attributes, ignored',
  },
  {
    name: 'next stored as a Number',
    restart: 'last delivered',
    attributes: () => ({ next: { N: '42' } }),
    logs: 'cursor unusable, restarting from the last delivered time',
  },
  {
    name: 'a next link to a foreign origin',
    restart: 'last delivered',
    attributes: ({ next, trap }) => ({ next: { S: next.replace(new URL(next).origin, trap) } }),
    logs: 'cursor unusable, restarting from the last delivered time',
  },
  {
    name: 'a next link Okta rejects (400)',
    restart: 'last delivered',
    // The simulator's own cursor format with a forged signature: Okta's 400 "invalid or unknown".
    attributes: ({ next }) => ({
      next: { S: next.replace(/after=([^.&]+)\.[^&]+/, 'after=$1.forgedsignature0') },
    }),
    logs: 'cursor unusable, restarting from the last delivered time',
  },
  {
    name: 'next and lastPublished both unreadable',
    restart: 'stream start',
    attributes: () => ({ next: { BOOL: true }, lastPublished: { N: '1' } }),
    logs: 'cursor unusable, restarting where the stream started',
  },
];

describe('a partly unreadable main cursor item, in the middle of a backlog', () => {
  it.each(cases)('$name: every event arrives, duplicates bounded, no tick loops', async (c) => {
    // Prepare: the first tick delivers 46 pages of the backlog, then Okta refuses the 47th request
    trap = await startTrapServer();
    scenario = await startScenario();
    const s = scenario;
    const { okta, sumo } = s.stack;
    produceSpreadBacklog(s, BACKLOG);
    const pass: OktaFault = { kind: 'pass' };
    okta.setFaults({
      queue: [...Array<OktaFault>(PAGES_BEFORE_STOP).fill(pass), { kind: 'status', status: 403 }],
    });
    const first = await tickUntilCaughtUp(s, { maxTicks: 1 });
    okta.setFaults({});
    const stored = (await s.probe.read())!.cursor!;
    const deliveredBefore = acceptedUuids(sumo);
    await corrupt(s, 'main', c.attributes({ next: stored.next!, orgUrl: okta.orgUrl, trap: trap.origin }));

    // Act
    const healed = await tickUntilCaughtUp(s, { maxTicks: 4 });

    // Assess
    expect(first.outcomes[0]?.kind).toBe('threw');
    expect(deliveredBefore.size).toBe(PAGES_BEFORE_STOP * PAGE_LIMIT);
    const lastPublished = Date.parse(stored.lastPublished!);
    const bound =
      c.restart === 'follows next'
        ? PAGE_LIMIT
        : c.restart === 'last delivered'
          ? okta.events.filter(
              (e) => deliveredBefore.has(e.uuid) && e.persistedAt >= lastPublished - OVERLAP_MS,
            ).length
          : deliveredBefore.size;
    await expectNothingLostOrLeaked(s, joinRuns(first, healed), { maxDuplicates: bound });
    // No tick loops: one tick finishes the backlog, and it asked Okta for little more than the pages left.
    expect(healed.outcomes).toHaveLength(1);
    const summary = summaryOf(healed.outcomes[0]!) as { stopReason: string; recoveries?: number };
    expect(summary.stopReason).toBe('caught-up');
    expect(summary.recoveries).toBe(c.restart === 'follows next' ? 0 : 1);
    expect(healed.output).toContain(c.logs);
    expect(trap.requests).toHaveLength(0);
    // The commit rewrote the item cleanly.
    expect((await s.probe.read())?.corruption).toBeUndefined();
    figures(c.name, s, [first, healed]);
  });
});

describe('a replay whose cursor item cannot be used', () => {
  const replayCases = [
    {
      // The reproduction of issue 9.2: a restart from savedAt − 5 min lies after the window's until.
      name: 'next and lastPublished unreadable, savedAt after the window',
      attributes: (): Record<string, AttributeValue> => ({ next: { N: '7' }, lastPublished: { N: '1' } }),
    },
    {
      name: 'a lastPublished after the window and an unreadable next',
      attributes: (until: string): Record<string, AttributeValue> => ({
        next: { N: '7' },
        lastPublished: { S: new Date(Date.parse(until) + 3_600_000).toISOString() },
      }),
    },
  ];

  it.each(replayCases)('$name: resets to the window start with a warning and finishes', async (c) => {
    // Prepare: 600 events published in a window that ended over an hour ago; the first invocation delivers
    // 4 pages, then Okta refuses the 5th request
    scenario = await startScenario();
    const s = scenario;
    const { okta, sumo } = s.stack;
    const since = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - 120 * MINUTE_MS;
    const request = { since: new Date(since).toISOString(), until: new Date(since + 600_000).toISOString() };
    okta.produce(600, { publishedAt: (i) => since + i * 1000 });
    const { window } = validateReplayWindow(request, Date.now());
    const pass: OktaFault = { kind: 'pass' };
    okta.setFaults({ queue: [pass, pass, pass, pass, { kind: 'status', status: 403 }] });
    const first = await s.handler.invoke({ replay: request });
    okta.setFaults({});
    const deliveredBefore = acceptedUuids(sumo).size;
    await corrupt(s, `replay#${window.id}`, c.attributes(window.until));

    // Act: invoke the same replay again until it is done (at most 3 times)
    const again = [];
    for (let i = 0; i < 3; i++) {
      const outcome = await s.handler.invoke({ replay: request });
      again.push(outcome);
      if (outcome.kind !== 'returned' || (outcome.value as { done?: boolean }).done === true) break;
    }

    // Assess
    expect(first.kind).toBe('threw');
    expect(deliveredBefore).toBe(4 * PAGE_LIMIT);
    expect(again).toHaveLength(1);
    expect(again[0]?.kind === 'returned' && (again[0].value as { done: boolean }).done).toBe(true);
    expect(okta.requests.filter((r) => r.kind === 'logs' && r.status === 400)).toHaveLength(0);
    const run: TickRun = {
      outcomes: [first, ...again],
      cursorViolations: [],
      output: [first, ...again].map((o) => o.output).join(''),
    };
    expect(run.output).toContain('cursor unusable, restarting where the stream started');
    await expectNothingLostOrLeaked(s, run, { maxDuplicates: deliveredBefore });
    figures(`replay: ${c.name}`, s, [run]);
  });
});
