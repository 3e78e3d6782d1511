/**
 * Freshness (issue 13): how long after an event becomes visible in Okta does Sumo accept it, with the real
 * handler on a real one-minute schedule and a live event stream in the Okta simulator, for the default (a
 * caught-up tick returns at once) and for OKTA_POLL_INTERVAL_SECONDS = 15 and 30. Also what polling costs: the
 * billed Lambda time per month at 256 MB and the Okta requests per minute it uses.
 *
 *   npm run bench -- --freshness           # ~8 minutes of real time (the scenarios run side by side)
 *   npm run bench -- --freshness --quick   # ~5 minutes
 *
 * Each scenario runs in a child process (`freshness-child.ts`) with its own stand-ins. Real time, because the
 * schedule is what is measured; the figures are distributions over a few hundred events, not timings of this
 * machine (a tick that finds a handful of events takes milliseconds here).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRICES } from './cost.js';
import type { FreshnessArgs, FreshnessResult } from './freshness-child.js';
import { spawnChild } from './ipc.js';
import { fixed, median, thousands } from './stats.js';

const CHILD = join(fileURLToPath(new URL('.', import.meta.url)), 'freshness-child.ts');
const INVOCATIONS_PER_MONTH = 30 * 24 * 60;
const LAMBDA_GB = 256 / 1024;

export interface FreshnessScenario {
  readonly name: string;
  readonly pollIntervalSeconds: number | undefined;
}

export interface FreshnessFigures {
  readonly scenario: FreshnessScenario;
  readonly events: number;
  readonly missing: number;
  readonly duplicates: number;
  readonly p50Seconds: number;
  readonly p95Seconds: number;
  readonly maxSeconds: number;
  readonly medianInvocationMs: number;
  /** Billed compute per month at 256 MB, a tick a minute (no free tier). */
  readonly gbSecondsPerMonth: number;
  readonly computeDollarsPerMonth: number;
  readonly oktaRequestsPerMinute: number;
  readonly polls: number;
  readonly leaseHeld: number;
}

export const FRESHNESS_SCENARIOS: readonly FreshnessScenario[] = [
  { name: 'default (no polling)', pollIntervalSeconds: undefined },
  { name: 'OKTA_POLL_INTERVAL_SECONDS=15', pollIntervalSeconds: 15 },
  { name: 'OKTA_POLL_INTERVAL_SECONDS=30', pollIntervalSeconds: 30 },
];

/** The `p`-quantile (0–1) by the nearest-rank method. */
export function quantile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export async function runFreshness(options: { quick: boolean }): Promise<FreshnessFigures[]> {
  const ticks = options.quick ? 3 : 5;
  const results = await Promise.all(
    FRESHNESS_SCENARIOS.map(async (scenario, index) => {
      const child = await spawnChild(CHILD, { env: { NODE_NO_WARNINGS: '1' }, stdout: 'ignore' });
      try {
        const args: FreshnessArgs = {
          pollIntervalSeconds: scenario.pollIntervalSeconds,
          ticks,
          eventsPerSecond: 2,
          oktaLatencyMs: 300,
          sumoLatencyMs: 150,
          seed: 11 + index,
        };
        return { scenario, result: await child.call<FreshnessResult>('run', args) };
      } finally {
        await child.stop();
      }
    }),
  );
  return results.map(({ scenario, result }) => {
    const invocation = median(result.invocationMs);
    const gbSeconds = (INVOCATIONS_PER_MONTH * invocation * LAMBDA_GB) / 1000;
    return {
      scenario,
      events: result.produced,
      missing: result.missing,
      duplicates: result.duplicates,
      p50Seconds: quantile(result.freshnessSeconds, 0.5),
      p95Seconds: quantile(result.freshnessSeconds, 0.95),
      maxSeconds: Math.max(...result.freshnessSeconds),
      medianInvocationMs: invocation,
      gbSecondsPerMonth: gbSeconds,
      computeDollarsPerMonth: gbSeconds * PRICES.lambdaPerGbSecond,
      oktaRequestsPerMinute: result.oktaRequestsPerMinute,
      polls: result.polls,
      leaseHeld: result.leaseHeld,
    };
  });
}

/** The report lines of the freshness mode. */
export function freshnessReport(figures: readonly FreshnessFigures[]): string {
  const rows = figures.map((f) => [
    f.scenario.name,
    `${fixed(f.p50Seconds, 1)} s`,
    `${fixed(f.p95Seconds, 1)} s`,
    `${fixed(f.maxSeconds, 1)} s`,
    `${thousands(f.events)} (${f.missing} missing, ${f.duplicates} dup.)`,
    `${fixed(f.medianInvocationMs / 1000, 1)} s`,
    `${thousands(f.gbSecondsPerMonth)} GB-s ≈ $${fixed(f.computeDollarsPerMonth, 2)}`,
    fixed(f.oktaRequestsPerMinute, 1),
  ]);
  const header = [
    'scenario',
    'p50',
    'p95',
    'max',
    'events',
    'invocation',
    'billed/month (256 MB)',
    'Okta req/min',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [
    'Freshness: event visible in Okta → accepted by Sumo, real handler, a tick a minute, 2 events/s live,',
    'Okta 300 ms/request, Sumo 150 ms/POST (goal with 15 s polling: p95 ≤ 20 s)',
    line(header),
    ...rows.map(line),
    `Billed = median invocation × ${thousands(INVOCATIONS_PER_MONTH)} invocations/month × 0.25 GB, at $${PRICES.lambdaPerGbSecond}/GB-s (arm64, us-east-1, no free tier).`,
  ].join('\n');
}

/** `npm run bench -- --freshness`: runs the scenarios, prints the report, writes `.bench/freshness.json`. */
export async function freshnessMode(options: { quick: boolean; outDir: string }): Promise<void> {
  const figures = await runFreshness(options);
  console.log(freshnessReport(figures));
  mkdirSync(options.outDir, { recursive: true });
  writeFileSync(
    join(options.outDir, 'freshness.json'),
    `${JSON.stringify({ runAt: new Date().toISOString(), quick: options.quick, figures }, null, 2)}\n`,
  );
}
