/**
 * Batches Sumo refuses for good (interface 9), through the real handler, the local stand-ins and a local S3:
 * a Sumo that answers 413 to bodies over a size and 400 to bodies holding a marker. Every event ends up either
 * in Sumo or in the undeliverable bucket (compared by uuid, content unchanged), the stream moves on, the result
 * counts what went to the bucket, and the next tick makes progress.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createOktaEventGenerator } from '../../dev/okta-events.js';
import { UNDELIVERABLE_BUCKET_NAME } from '../../dev/local-stack.js';
import { expectNoSecrets, joinRuns } from '../../dev/reliability/expectations.js';
import {
  PAGE_LIMIT,
  startScenario,
  tickUntilCaughtUp,
  type Scenario,
  type TickRun,
} from '../../dev/reliability/scenario.js';

/** Sumo's limit in this test: a page's 50 events (~70 KB) are refused, halves of halves get through. */
const MAX_BYTES = 20_000;
const POISON = 'refused-by-sumo-content-rule';
/** 4 full pages and a partial one. */
const NORMAL = 4 * PAGE_LIMIT + 30;

let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.stop();
  scenario = undefined;
});

/** A backlog with poison events (400) and events too large for Sumo alone (413) scattered among normal ones. */
function produceBacklog(s: Scenario): { poison: string[]; huge: string[] } {
  const { okta } = s.stack;
  const odd = createOktaEventGenerator({ seed: 9, startTime: Date.now() - 3_600_000 });
  const poison: string[] = [];
  const huge: string[] = [];
  for (let round = 0; round < 5; round++) {
    okta.produce(NORMAL / 5 - 2);
    const bad = { ...odd.next(), uuid: `poison-${round}`, displayMessage: `User login ${POISON}` };
    okta.produce([bad]);
    poison.push(bad.uuid);
    if (round % 2 === 0) {
      const big = { ...odd.next({ bytes: MAX_BYTES + 5_000 }), uuid: `huge-${round}` };
      okta.produce([big]);
      huge.push(big.uuid);
    } else okta.produce(1);
  }
  return { poison, huge };
}

function results(run: TickRun): { stopReason: string; events: number; undeliverable: number }[] {
  return run.outcomes.map((outcome) => {
    if (outcome.kind !== 'returned') throw new Error(`the handler threw: ${outcome.errorText.slice(0, 300)}`);
    return outcome.value as { stopReason: string; events: number; undeliverable: number };
  });
}

describe('the handler when Sumo refuses batches for good', () => {
  it('splits what is too big, keeps what Sumo refuses alone in the bucket, and moves on', async () => {
    // Prepare
    scenario = await startScenario({ sumoRefusal: { maxBytes: MAX_BYTES, poisonMarker: POISON } });
    const { stack } = scenario;
    const { poison, huge } = produceBacklog(scenario);
    const produced = stack.okta.events;

    // Act: one tick (the bucket's events never reach Sumo, so "until everything is in Sumo" would not stop)
    const run = await tickUntilCaughtUp(scenario, { maxTicks: 1 });

    // Assess
    const [first] = results(run);
    expect(first).toMatchObject({ stopReason: 'caught-up', undeliverable: poison.length + huge.length });
    const objects = stack.s3.objects(UNDELIVERABLE_BUCKET_NAME);
    const inBucket = objects.map((object) => /\/([^/]+)\.ndjson$/.exec(object.key)?.[1]);
    expect(inBucket.sort()).toEqual([...poison, ...huge].sort());
    // Each object is the event exactly as Okta served it, under main/<day>/<uuid>.ndjson.
    for (const object of objects) {
      const uuid = inBucket[objects.indexOf(object)]!;
      expect(object.key).toMatch(new RegExp(`^main/\\d{4}-\\d{2}-\\d{2}/${uuid}\\.ndjson$`));
      expect(object.body.toString('utf8')).toBe(produced.find((event) => event.uuid === uuid)!.json);
      expect(object.metadata['status']).toBe(uuid.startsWith('huge') ? '413' : '400');
    }
    // Everything else is in Sumo, once, unchanged; nothing is in both places.
    const kept = new Set(inBucket);
    const expectedInSumo = produced.filter((event) => !kept.has(event.uuid));
    const comparison = stack.sumo.compareWith(expectedInSumo);
    expect(comparison).toMatchObject({ ok: true, missing: [], duplicates: 0 });
    expect(first!.events).toBe(expectedInSumo.length);
    // Nothing Sumo refused was ingested, and the splits got every accepted body under the limit.
    expect(
      stack.sumo.batches.filter((batch) => batch.status === 200).every((b) => b.bytes <= MAX_BYTES),
    ).toBe(true);
    expect(stack.refusal!.count(413)).toBeGreaterThan(huge.length);
    expect(stack.refusal!.count(400)).toBeGreaterThanOrEqual(poison.length);
    // The cursor never passed an event that is in neither place.
    const behind = [...run.cursorViolations, ...(await scenario.probe.unacceptedBehindCursor())];
    expect(behind.filter((uuid) => !kept.has(uuid))).toEqual([]);
    // The log names status and uuid of each kept event, never its content.
    const warnings = run.output
      .split('\n')
      .filter((line) => line.includes('kept in the undeliverable bucket'));
    expect(warnings).toHaveLength(kept.size);
    expect(run.output).not.toContain(POISON);
    expectNoSecrets(scenario, run);
  });

  it('the next tick makes progress and refuses nothing more', async () => {
    // Prepare
    scenario = await startScenario({ sumoRefusal: { maxBytes: MAX_BYTES, poisonMarker: POISON } });
    const { stack } = scenario;
    produceBacklog(scenario);
    await tickUntilCaughtUp(scenario, { maxTicks: 1 });
    const objectsBefore = stack.s3.objects(UNDELIVERABLE_BUCKET_NAME).length;
    const fresh = stack.okta.produce(20);

    // Act
    const run = await tickUntilCaughtUp(scenario, { maxTicks: 1 });

    // Assess
    expect(results(run)[0]).toMatchObject({ stopReason: 'caught-up', events: 20, undeliverable: 0 });
    expect(stack.sumo.missing(fresh.map((event) => event.uuid))).toEqual([]);
    expect(stack.s3.objects(UNDELIVERABLE_BUCKET_NAME)).toHaveLength(objectsBefore);
  });

  it('without a bucket an event refused alone is fatal, names UNDELIVERABLE_BUCKET_NAME, and nothing is lost once fixed', async () => {
    // Prepare
    scenario = await startScenario({ sumoRefusal: { poisonMarker: POISON }, undeliverableBucket: false });
    const { stack } = scenario;
    const { poison } = produceBacklog(scenario);

    // Act
    const failing = await tickUntilCaughtUp(scenario, { maxTicks: 2, stopOnError: false });
    stack.refusal!.setRules({}); // the cause is removed (Sumo takes the content again)
    const healing = await tickUntilCaughtUp(scenario, { maxTicks: 3 });

    // Assess
    expect(failing.outcomes.map((outcome) => outcome.kind)).toEqual(['threw', 'threw']);
    const [thrown] = failing.outcomes;
    expect(thrown?.kind === 'threw' && thrown.errorText).toMatch(/UNDELIVERABLE_BUCKET_NAME is not set/);
    expect(thrown?.kind === 'threw' && thrown.errorText).toContain(poison[0]);
    expect(results(healing).at(-1)).toMatchObject({ stopReason: 'caught-up', undeliverable: 0 });
    expect(stack.sumo.missing(stack.okta.events.map((event) => event.uuid))).toEqual([]);
    // Each failing tick re-sends only the page in flight: duplicates stay within one page per failure.
    expect(stack.sumo.compareWith(stack.okta.events).duplicates).toBeLessThanOrEqual(
      failing.outcomes.length * PAGE_LIMIT,
    );
    expect(stack.s3.objects(UNDELIVERABLE_BUCKET_NAME)).toEqual([]);
    expectNoSecrets(scenario, joinRuns(failing, healing));
  });
});
