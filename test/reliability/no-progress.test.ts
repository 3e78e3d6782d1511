/**
 * An Okta that makes no progress (issue 9.3; interface 10), through the real handler and the local stack: a
 * full page whose `next` link is the request's own position. Each tick delivers that page once and stops the
 * stream with `'no-progress'` (log line, `NoProgressStops` metric); the next tick tries again, and once Okta
 * advances everything arrives, with one page of duplicates per stuck tick.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { OktaFault } from '../../dev/okta-simulator.js';
import { expectNothingLostOrLeaked } from '../../dev/reliability/expectations.js';
import { deliveryReport } from '../../dev/reliability/invariants.js';
import {
  PAGE_LIMIT,
  startScenario,
  summaryOf,
  tickUntilCaughtUp,
  type Scenario,
} from '../../dev/reliability/scenario.js';

const EVENTS = 8 * PAGE_LIMIT + 20;
const STUCK_TICKS = 2;

let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.stop();
  scenario = undefined;
});

describe('a full page whose next link does not advance', () => {
  it('is re-delivered once per tick, each stuck tick stops with no-progress, and nothing is lost', async () => {
    // Prepare: the third request of the first tick, and the first request of the second, get a stuck page
    scenario = await startScenario();
    const s = scenario;
    const { okta } = s.stack;
    okta.produce(EVENTS);
    const pass: OktaFault = { kind: 'pass' };
    okta.setFaults({ queue: [pass, pass, ...Array<OktaFault>(STUCK_TICKS).fill({ kind: 'stuck-page' })] });

    // Act
    const run = await tickUntilCaughtUp(s, { maxTicks: 5 });

    // Assess
    const summaries = run.outcomes.map(
      (o) => summaryOf(o) as { stopReason: string; noProgressStops?: number; events: number },
    );
    expect(summaries.map((summary) => summary.stopReason)).toEqual([
      ...Array<string>(STUCK_TICKS).fill('no-progress'),
      'caught-up',
    ]);
    expect(summaries.map((summary) => summary.noProgressStops)).toEqual([1, 1, 0]);
    // The stuck position was asked once per tick (no fetch loop within a tick).
    const logs = okta.requests.filter((r) => r.kind === 'logs');
    const stuckUrl = logs[2]!.url;
    expect(logs.filter((r) => r.url === stuckUrl)).toHaveLength(STUCK_TICKS + 1);
    // Two pages, one stuck request per stuck tick, then the rest of the log (6 full pages and a partial one).
    expect(logs).toHaveLength(2 + STUCK_TICKS + Math.ceil((EVENTS - 2 * PAGE_LIMIT) / PAGE_LIMIT));
    expect(run.output).toContain('no progress: the next link repeats the request');
    expect(run.output).toMatch(/"NoProgressStops":1/);
    await expectNothingLostOrLeaked(s, run, { maxDuplicates: STUCK_TICKS * PAGE_LIMIT });
    if (process.env.RELIABILITY_FIGURES === '1') {
      const report = deliveryReport(s.stack);
      console.log(
        `figures | no-progress (${STUCK_TICKS} stuck ticks) | sent ${report.produced} | arrived ${report.produced - report.missing.length} | duplicates ${report.duplicates} | ticks ${run.outcomes.length}`,
      );
    }
  });
});
