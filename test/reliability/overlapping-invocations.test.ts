/**
 * Overlapping invocations (a slow tick still running when the schedule fires again, a manual invoke during a
 * tick, an async retry): the run lease lets exactly one of them collect a stream; the others return
 * `stopReason: 'lease-held'` at once, without an error and without sending anything. Nothing is lost and nothing
 * is sent twice.
 */
import { describe, expect, it } from 'vitest';
import { expectNothingLostOrLeaked } from '../../dev/reliability/expectations.js';
import { HandlerWorker, newRequestId } from '../../dev/reliability/handler-worker.js';
import type { InProcessOutcome } from '../../dev/reliability/in-process-handler.js';
import {
  CursorWatch,
  deliveryReport,
  leakedSecrets,
  secretsInPlay,
} from '../../dev/reliability/invariants.js';
import { PAGE_LIMIT, type Scenario } from '../../dev/reliability/scenario.js';
import { scenarioPerTest } from '../../dev/reliability/scenario-per-test.js';

const EVENTS = 12 * PAGE_LIMIT + 7;

const freshScenario = scenarioPerTest();

interface Finished {
  readonly index: number;
  readonly stopReason: string;
  readonly events: number;
}

/** Every batch is accepted after 40 ms, so the collecting run certainly outlasts the others' lease attempts. */
function slowSumo(s: Scenario): void {
  s.stack.sumo.setFaults({ probability: 1, pool: [{ kind: 'slow', delayMs: 40 }] });
}

describe('overlapping scheduled ticks in one container', () => {
  it('lets exactly one collect; the others return lease-held first, without error; nothing lost or doubled', async () => {
    // Prepare
    const scenario = await freshScenario();
    const s = scenario;
    s.stack.okta.produce(EVENTS);
    slowSumo(s);
    const watch = new CursorWatch(s.probe);
    const finished: Finished[] = [];

    // Act: four invocations at once, each with its own request id
    const outcomes = await Promise.all(
      [0, 1, 2, 3].map(async (index) => {
        const outcome = await s.handler.invoke({}, { requestId: newRequestId(`overlap-${index}`) });
        if (outcome.kind === 'returned')
          finished.push({ index, ...(outcome.value as Omit<Finished, 'index'>) });
        return outcome;
      }),
    );
    const { violations } = await watch.stop();

    // Assess
    expect(outcomes.map((o) => o.kind)).toEqual(['returned', 'returned', 'returned', 'returned']);
    const collectors = finished.filter((f) => f.stopReason !== 'lease-held');
    expect(collectors).toHaveLength(1);
    expect(collectors[0]).toMatchObject({ stopReason: 'caught-up', events: EVENTS });
    // The ones that stepped aside were done before the collector: they did not wait for it.
    expect(finished.at(-1)?.index).toBe(collectors[0]!.index);
    expect(finished.filter((f) => f.stopReason === 'lease-held').every((f) => f.events === 0)).toBe(true);
    expect(violations).toEqual([]);
    await expectNothingLostOrLeaked(s, {
      outcomes,
      cursorViolations: violations,
      output: outcomes.map((o: InProcessOutcome) => o.output).join(''),
    });
  });
});

describe('overlapping invocations in separate containers', () => {
  it('lets exactly one of three processes collect; nothing lost or doubled', async () => {
    // Prepare: three warm containers
    const scenario = await freshScenario();
    const s = scenario;
    const workers = [0, 1, 2].map(
      () => new HandlerWorker({ ...s.stack.env, OKTA_PAGE_LIMIT: String(PAGE_LIMIT) }),
    );
    try {
      await Promise.all(workers.map((w) => w.ready));
      s.stack.okta.produce(EVENTS);
      slowSumo(s);
      const watch = new CursorWatch(s.probe);

      // Act
      const outcomes = await Promise.all(workers.map((w) => w.invoke({}, { remainingMs: 60_000 }).outcome));
      const { violations } = await watch.stop();

      // Assess
      const summaries = outcomes.map((o) => (o.kind === 'returned' ? (o.value as Finished) : undefined));
      expect(summaries.every((x) => x !== undefined)).toBe(true);
      expect(summaries.filter((x) => x!.stopReason === 'lease-held')).toHaveLength(2);
      expect(summaries.filter((x) => x!.stopReason === 'caught-up')).toHaveLength(1);
      const report = deliveryReport(s.stack);
      expect(report.missing).toEqual([]);
      expect(report.mismatched).toBe(0);
      expect(report.duplicates).toBe(0);
      expect(violations).toEqual([]);
      expect(leakedSecrets(workers.map((w) => w.output()).join(''), secretsInPlay(s.stack))).toEqual([]);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  });
});

describe('two copies of the same replay at once, beside a tick', () => {
  it('runs the replay once (the copy says lease-held), and the tick collects the live stream independently', async () => {
    // Prepare: 300 events published two hours ago (the replay's window), 120 live ones
    const scenario = await freshScenario();
    const s = scenario;
    const now = Date.now();
    const since = new Date(now - 3 * 3_600_000).toISOString();
    const until = new Date(now - 3_600_000).toISOString();
    const old = s.stack.okta.produce(300, { publishedAt: (i) => now - 2 * 3_600_000 + i * 1000 });
    const live = s.stack.okta.produce(120);
    slowSumo(s);
    const request = { replay: { since, until } };

    // Act
    const [first, second, tick] = await Promise.all([
      s.handler.invoke(request),
      s.handler.invoke(request),
      s.handler.invoke({}),
    ]);

    // Assess
    const replays = [first, second].map((o) =>
      o.kind === 'returned' ? (o.value as { stopReason: string; done: boolean; events: number }) : undefined,
    );
    expect(replays.map((r) => r?.stopReason).sort()).toEqual(['done', 'lease-held']);
    expect(replays.find((r) => r?.stopReason === 'done')?.events).toBe(300);
    expect(tick.kind === 'returned' && (tick.value as { stopReason: string }).stopReason).toBe('caught-up');
    // The polling tick also sees the old events (they were persisted now): 420 on the main stream, 300 again from the replay.
    expect(s.stack.sumo.missing([...old, ...live].map((e) => e.uuid))).toEqual([]);
    const replayed = s.stack.sumo.batches.filter((b) =>
      String(b.headers['x-sumo-fields'] ?? '').includes('replay='),
    );
    expect(replayed.reduce((n, b) => n + b.lines, 0)).toBe(300);
    expect(deliveryReport(s.stack).duplicates).toBe(300);
  });
});
