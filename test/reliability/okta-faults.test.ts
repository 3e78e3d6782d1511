/**
 * Okta misbehaving, seen through the real handler (lambda/handler.ts composed from a Lambda environment) and
 * the local stack. For each fault: once it has cleared, every event Okta produced is in Sumo exactly as Okta
 * served it, the stored cursor never moved past an event Sumo had not accepted, a fault on the Okta side
 * re-sends nothing (no duplicates at all), and no secret shows up in anything the handler returned, threw or wrote.
 */
import { describe, expect, it } from 'vitest';
import type { OktaFault } from '../../dev/okta-simulator.js';
import { expectNothingLostOrLeaked, joinRuns } from '../../dev/reliability/expectations.js';
import { PAGE_LIMIT, summaryOf, tickUntilCaughtUp } from '../../dev/reliability/scenario.js';
import { scenarioPerTest } from '../../dev/reliability/scenario-per-test.js';
import { startTrapServer } from '../../dev/reliability/trap-server.js';

const pass: OktaFault = { kind: 'pass' };
/** 4 full pages and a partial one. */
const EVENTS = 4 * PAGE_LIMIT + 30;

const freshScenario = scenarioPerTest();

interface FaultCase {
  readonly name: string;
  /** Faults queued for the /api/v1/logs requests, in order (`pass` = served normally). */
  readonly faults: readonly OktaFault[];
  readonly linkStyle?: 'separate' | 'joined';
}

const transientFaults: readonly FaultCase[] = [
  {
    name: "Okta's concurrent-request 429s (Limit 0, Remaining 0)",
    faults: [pass, pass, { kind: 'concurrent-limit' }, { kind: 'concurrent-limit' }],
  },
  {
    name: '500s E0000009 (a query that timed out inside Okta)',
    faults: [pass, { kind: 'server-error' }, { kind: 'server-error' }],
  },
  { name: "a load balancer's 503 with an HTML body", faults: [pass, pass, pass, { kind: 'unavailable' }] },
  {
    name: 'the connection reset in the middle of the body',
    faults: [pass, { kind: 'reset-mid-body', fraction: 0.4 }, { kind: 'reset-mid-body', fraction: 0.9 }],
  },
  { name: 'a 200 whose JSON body is truncated', faults: [pass, pass, { kind: 'malformed-json' }] },
  {
    name: 'slow responses',
    faults: [
      { kind: 'slow', delayMs: 300 },
      pass,
      { kind: 'slow', delayMs: 600 },
      { kind: 'slow', delayMs: 300 },
    ],
  },
  { name: 'a response that never comes (request timeout)', faults: [pass, { kind: 'hang' }] },
  {
    name: 'empty pages that carry a next link',
    faults: [pass, { kind: 'empty-page' }, { kind: 'empty-page' }, pass, { kind: 'empty-page' }],
  },
  { name: 'Link headers joined in one header', faults: [], linkStyle: 'joined' },
  { name: 'Link headers sent as separate headers', faults: [], linkStyle: 'separate' },
];

describe('the handler under Okta faults', () => {
  it.each(transientFaults)('delivers every event, unchanged, with $name', async ({ faults, linkStyle }) => {
    // Prepare
    const scenario = await freshScenario();
    const { okta } = scenario.stack;
    if (linkStyle) okta.configure({ linkStyle });
    okta.produce(EVENTS);
    okta.setFaults({ queue: faults });

    // Act
    const run = await tickUntilCaughtUp(scenario);

    // Assess
    expect(run.outcomes.every((o) => o.kind === 'returned')).toBe(true);
    expect(okta.firedFaults.filter((f) => f.fault.kind !== 'pass')).toHaveLength(
      faults.filter((f) => f.kind !== 'pass').length,
    );
    await expectNothingLostOrLeaked(scenario, run);
  });

  it('waits out a 429 with X-Rate-Limit-Reset, tells Okta which request the retry repeats, and loses nothing', async () => {
    // Prepare
    const scenario = await freshScenario();
    const { okta } = scenario.stack;
    okta.produce(EVENTS);
    okta.setFaults({ queue: [pass, { kind: 'rate-limit', resetInSeconds: 1 }] });

    // Act
    const run = await tickUntilCaughtUp(scenario);

    // Assess
    const logs = okta.requests.filter((r) => r.kind === 'logs');
    const throttled = logs.findIndex((r) => r.status === 429);
    expect(throttled).toBeGreaterThan(0);
    expect(logs[throttled + 1]?.headers['x-okta-retry-for']).toBe(logs[throttled]!.requestId);
    expect(logs[throttled + 1]?.headers['x-okta-retry-count']).toBe('1');
    expect(summaryOf(run.outcomes[0]!).rateLimited).toBe(1);
    await expectNothingLostOrLeaked(scenario, run);
  });

  it('picks up late-persisted events (old published, persisted now) on a later tick', async () => {
    // Prepare
    const scenario = await freshScenario();
    const { okta } = scenario.stack;
    okta.produce(120);
    await tickUntilCaughtUp(scenario);
    okta.produceLate(30, 10 * 60_000);
    okta.produce(40);
    okta.produceLate(5, 2 * 3_600_000);

    // Act
    const run = await tickUntilCaughtUp(scenario);

    // Assess
    expect(summaryOf(run.outcomes[0]!).events).toBe(75);
    await expectNothingLostOrLeaked(scenario, run);
  });

  it('picks up events that became visible in Okta only after the tick that passed them', async () => {
    // Prepare: Okta shows each event 2.5 s after persisting it. Okta's clock moves only when the test says, so
    // the first tick sees none of them however long it takes on a loaded machine.
    let oktaNow = Date.now();
    const scenario = await freshScenario({ okta: { now: () => oktaNow } });
    const { okta } = scenario.stack;
    okta.configure({ visibilityDelayMs: 2500 });
    okta.produce(80);
    const first = await tickUntilCaughtUp(scenario, { maxTicks: 1 });
    okta.produce(60);
    oktaNow += 2600;

    // Act
    const run = await tickUntilCaughtUp(scenario);

    // Assess
    expect(summaryOf(first.outcomes[0]!).events).toBe(0);
    expect(run.cursorViolations).toEqual([]);
    await expectNothingLostOrLeaked(scenario, joinRuns(first, run));
  });
});

describe('Okta no longer accepting the stored next link (400)', () => {
  // The one failure whose duplicates are not bounded by a page: the collector restarts from 5 minutes before
  // the newest event it delivered (late-persisted events may sit a little behind), so it re-sends what Okta
  // persisted in that overlap, by design.
  it('restarts from the last delivered time: nothing lost, duplicates within the 5-minute overlap', async () => {
    // Prepare: a delivered stream, then Okta forgets every cursor it issued
    const scenario = await freshScenario();
    const { okta } = scenario.stack;
    okta.produce(EVENTS);
    const before = await tickUntilCaughtUp(scenario);
    const lastPublished = Date.parse((await scenario.probe.read())!.cursor!.lastPublished!);
    okta.invalidateCursors();
    okta.produce(PAGE_LIMIT + 10);

    // Act
    const after = await tickUntilCaughtUp(scenario);

    // Assess
    const summary = summaryOf(after.outcomes[0]!) as { recoveries?: number };
    expect(summary.recoveries).toBe(1);
    const overlap = okta.events.filter(
      (e) => e.persistedAt >= lastPublished - 5 * 60_000 && e.persistedAt <= lastPublished,
    );
    await expectNothingLostOrLeaked(scenario, joinRuns(before, after), { maxDuplicates: overlap.length });
  });
});

describe('a next link to a foreign origin', () => {
  it('is refused as fatal: nothing is sent to that origin, the cursor stays, and the next tick loses nothing', async () => {
    // Prepare: the third page's next link points at another server we watch
    const trap = await startTrapServer();
    try {
      const scenario = await freshScenario();
      const { okta, sumo } = scenario.stack;
      okta.produce(EVENTS);
      okta.setFaults({ queue: [pass, pass, { kind: 'foreign-next', origin: trap.origin }] });

      // Act
      const failed = await tickUntilCaughtUp(scenario, { maxTicks: 1 });
      const storedAfterFailure = await scenario.probe.read();
      const acceptedAfterFailure = sumo.uuidCounts.size;
      okta.setFaults({});
      const healed = await tickUntilCaughtUp(scenario);

      // Assess
      const outcome = failed.outcomes[0]!;
      expect(outcome.kind).toBe('threw');
      if (outcome.kind !== 'threw') return;
      expect((outcome.error as Error).message).toMatch(
        /refusing a next link that does not point at http:\/\/127\.0\.0\.1:\d+\/api\/v1\/logs/,
      );
      expect(outcome.errorText).not.toContain(trap.origin);
      expect(trap.requests).toHaveLength(0);
      // Two pages delivered and checkpointed; the refused page was not delivered.
      expect(acceptedAfterFailure).toBe(2 * PAGE_LIMIT);
      expect(storedAfterFailure?.cursor?.next).toContain(okta.orgUrl);
      expect(storedAfterFailure?.leaseOwner).toBeUndefined();
      await expectNothingLostOrLeaked(scenario, joinRuns(failed, healed));
    } finally {
      await trap.stop();
    }
  });
});
