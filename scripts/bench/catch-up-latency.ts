/**
 * Catch-up against the share bound with Okta answering in 300 ms, 1 s, 2 s and 3 s (issue 13): the rate-limit
 * simulation (`rate-limit-sim.ts`: real `collect()` and `OktaLogSource`, per-minute windows, a tick a minute,
 * 900 s invocations) with parallel catch-up on (the default, `OKTA_CATCHUP_SEGMENTS=4`) and off (1).
 *
 *   npm run bench -- --catchup           # only these scenarios
 *   npm run bench -- --catchup --quick   # smaller backlogs
 */
import { defaultScenario, simulateCatchUp, type SimResult, type SimScenario } from './rate-limit-sim.js';
import { fixed, percent, thousands } from './stats.js';

/** Okta answer times (ms) the issue asks about; each request takes its figure ± 10 %. */
export const OKTA_ANSWER_TIMES_MS = [300, 1000, 2000, 3000] as const;

export function catchUpLatencyScenarios(
  overrides: Partial<SimScenario> = {},
  backlogScale = 1,
): SimScenario[] {
  return OKTA_ANSWER_TIMES_MS.flatMap((ms) =>
    [4, 1].map((segments) =>
      defaultScenario({
        name: `Okta ${ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`}, ${segments === 1 ? 'serial (OKTA_CATCHUP_SEGMENTS=1)' : `${segments} segments`}`,
        backlogEvents: Math.round(1_000_000 * backlogScale),
        // 20 ms apart: 1M events span 5.5 hours (3M events/day), a backlog the trigger's hour clearly exceeds.
        backlogSpacingMs: 20,
        oktaLatencyMs: [ms * 0.9, ms * 1.1],
        catchUpSegments: segments,
        maxMinutes: 240,
        ...overrides,
      }),
    ),
  );
}

export function catchUpLatencyReport(results: readonly SimResult[]): string {
  const rows = results.map((r) => [
    r.scenario.name,
    `${thousands(r.eventsPerMinute)} ev/min = ${percent(r.efficiency)}`,
    String(r.our429s),
    `${r.requestsPerWindow.max} / ${r.requestsPerWindow.allowance} (${r.requestsPerWindow.overShare} over)`,
    `${thousands(r.duplicates)} (${percent(r.duplicates / Math.max(1, r.eventsDuringCatchUp), 2)})`,
    r.caughtUp ? String(r.missingBacklog) : 'not caught up',
    `${fixed(r.catchUpMinutes, 0)} min`,
  ]);
  const header = ['scenario', 'catch-up vs bound', '429s', 'max req/window', 'duplicates', 'lost', 'took'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [
    'Catch-up vs the share bound (limit 120/min, share 0.5 → 60 pages = 60,000 events/min), simulated clock',
    '(goal with Okta answering in 1–2 s: ≥ 90 %, 0 429s, no window over the allowance, nothing lost)',
    line(header),
    ...rows.map(line),
  ].join('\n');
}

/** `npm run bench -- --catchup`. */
export async function catchUpMode(options: { quick: boolean }): Promise<SimResult[]> {
  const results: SimResult[] = [];
  for (const scenario of catchUpLatencyScenarios({}, options.quick ? 0.4 : 1)) {
    console.error(`[catch-up] ${scenario.name}`);
    results.push(await simulateCatchUp(scenario));
  }
  console.log(catchUpLatencyReport(results));
  return results;
}
