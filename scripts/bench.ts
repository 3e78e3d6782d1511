/**
 * Benchmarks of the collector (issues 2, 6 and 11): delivery against the fetch-only bound at Lambda function
 * sizes (the collector confined to each size's CPU share and memory, sweeping Sumo latency and batches per
 * page), CPU per 1,000-event page on a whole core, HTTP client CPU, peak memory, bundle size and cold start,
 * catch-up under Okta's rate limit (simulated clock) and a monthly cost estimate. Prints the goals table and
 * the sweep grid; writes every figure to .bench/results.json.
 *
 *   npm run bench                # everything, ~8–10 minutes on 2 shared cores
 *   npm run bench -- --quick     # the goals' points only, fewer repetitions: under 2 minutes
 *   npm run bench -- --synth     # re-run `cdk synth` even when cdk.out looks fresh
 *   npm run bench -- --freshness # only the freshness scenarios (real time, ~8 minutes): scripts/bench/freshness.ts
 *   npm run bench -- --catchup   # only catch-up with Okta answering in 300 ms–3 s: scripts/bench/catch-up-latency.ts
 *
 * Processes: the Okta simulator, the Sumo receiver + DynamoDB + Secrets Manager/SSM, and each collector (the
 * bundle `cdk synth` builds, imported by plain node as Lambda would) run apart, so each figure of CPU and memory
 * is one process's own. Timing is never asserted: the machine is shared, so figures are medians.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildChild } from './bench/build-child.js';
import { findBundle } from './bench/bundle.js';
import { catchUpScenarios, runCatchUp, simulatedCpu } from './bench/catch-up.js';
import { measureColdStarts } from './bench/cold-starts.js';
import { DEFAULT_ASSUMPTIONS, monthlyCost, type MeasuredCosts } from './bench/cost.js';
import { measureCpuPerPage } from './bench/cpu-per-page.js';
import { measureHotSpots } from './bench/hot-spots.js';
import type { HttpClientsResult } from './bench/http-clients-child.js';
import { spawnChild } from './bench/ipc.js';
import { lambdaHeapFlags } from './bench/cgroup.js';
import { measurePeakMemory } from './bench/peak-memory.js';
import { recommendSize } from './bench/recommend.js';
import { buildTable, sweepGrid, type BenchResults } from './bench/report.js';
import { startStandIns } from './bench/stand-ins.js';
import { median } from './bench/stats.js';
import { runSweep, type SweepPlan } from './bench/sweep.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const OUT_DIR = join(ROOT, '.bench');
const BENCH_DIR = join(ROOT, 'scripts', 'bench');

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    synth: { type: 'boolean', default: false },
    freshness: { type: 'boolean', default: false },
    catchup: { type: 'boolean', default: false },
  },
});
const quick = flags.quick === true;

const FULL_PLAN: SweepPlan = {
  sizes: ['free', 128, 256, 512],
  sumoMs: [50, 150, 300],
  batches: [1, 2, 3, 4],
  oktaMs: 300,
  pages: 10,
  headline: { sumoMs: 150, batches: 3, reps: 3 },
};
const QUICK_PLAN: SweepPlan = {
  ...FULL_PLAN,
  sizes: ['free', 256],
  sumoMs: [150],
  batches: [3],
  pages: 6,
  headline: { sumoMs: 150, batches: 3, reps: 1 },
};

// The AWS SDK warns on every client creation that Node 20 support ends in 2027; other warnings still show.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (!`${warning.name} ${warning.message}`.includes('NodeVersionSupportWarning')) console.error(warning);
});

const started = performance.now();
const step = (what: string): void =>
  console.error(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${what}`);

async function main(): Promise<void> {
  const loadAtStart = loadavg();
  mkdirSync(OUT_DIR, { recursive: true });
  step('bundle: cdk synth (or reuse a fresh cdk.out); benchmark children built with esbuild');
  const bundle = findBundle(ROOT, flags.synth === true);
  const runner = buildChild(join(BENCH_DIR, 'lambda-runner.ts'), OUT_DIR);
  const loader = buildChild(join(BENCH_DIR, 'cold-start-loader.ts'), OUT_DIR);
  const clientsChild = buildChild(join(BENCH_DIR, 'http-clients-child.ts'), OUT_DIR);

  step('stand-ins: Okta simulator | Sumo receiver + DynamoDB + Secrets Manager/SSM');
  const standIns = await startStandIns(BENCH_DIR);
  const context = { standIns, runner, bundle: bundle.path, root: ROOT, benchDir: BENCH_DIR, log: step };
  try {
    step('cold starts: fresh processes, free CPU and at a 256 MB share');
    const cold = await measureColdStarts({ ...context, loader, outDir: OUT_DIR }, quick ? 2 : 7);

    step('CPU per page on a whole core, 256 MB heap flags (loopback)');
    const cpu = await measureCpuPerPage(context, quick ? 2 : 3, quick ? 10 : 30);

    step('HTTP client CPU: global fetch, undici.request, the node:http client');
    const http = await measureHttpClients(standIns, clientsChild, quick ? 10 : 15);

    const plan = quick ? QUICK_PLAN : FULL_PLAN;
    step(
      `sweep: sizes ${plan.sizes.join(', ')} × Sumo ${plan.sumoMs.join('/')} ms × ${plan.batches.join('/')} batches/page`,
    );
    const sweep = await runSweep(context, plan);

    step('peak RSS: pages with 100 KB+ events and one > 1 MB event');
    const memory = await measurePeakMemory(context, quick ? 6 : 25);

    step('hot spots: per-stage CPU' + (quick ? '' : ' and a V8 profile'));
    const hot = await measureHotSpots(context, {
      reps: quick ? 7 : 15,
      profilePages: quick ? undefined : 40,
    });

    const sim = simulatedCpu(hot.micro.parseMs, cpu.pageCpuMs.median);
    const scenarios = catchUpScenarios(sim, quick ? 0.1 : 1, !quick);
    const catchUp = await runCatchUp(quick ? scenarios.slice(0, 1) : scenarios, step);
    const measured: MeasuredCosts = {
      idleTickCpuMs: cpu.idleCpuMs.median,
      pageCpuMs: cpu.pageCpuMs.median,
      idleTickLogBytes: cpu.idleLogBytes,
      pageLogBytes: cpu.pageLogBytes,
      coldImportMs: median(cold.free.map((c) => c.importMs)),
    };
    const costs = [100_000, 1_000_000, 10_000_000].map((perDay) =>
      monthlyCost(measured, DEFAULT_ASSUMPTIONS, perDay),
    );
    const results: BenchResults = {
      bundle,
      cold,
      cpu,
      http,
      plan,
      sweep,
      recommendation: recommendSize(sweep, plan),
      memory,
      hot,
      catchUp,
      costs,
    };
    report(results, loadAtStart);
  } finally {
    await standIns.stop();
  }
}

async function measureHttpClients(
  standIns: Awaited<ReturnType<typeof startStandIns>>,
  child: string,
  reps: number,
): Promise<HttpClientsResult> {
  await standIns.setLatency(0, 0);
  const since = (await standIns.okta.call<number>('now')) - 1;
  await standIns.produce({ count: 1000 });
  const clients = await spawnChild(child, { plain: true, nodeFlags: lambdaHeapFlags(256) });
  try {
    return await clients.call<HttpClientsResult>('measure', {
      pageUrl: standIns.logsUrl(since),
      token: standIns.token,
      sumoUrl: await standIns.sinks.call<string>('sumoUrl'),
      reps,
    });
  } finally {
    await clients.stop();
  }
}

function report(results: BenchResults, loadAtStart: number[]): void {
  const seconds = (performance.now() - started) / 1000;
  const load = (l: number[]): string => l.map((x) => x.toFixed(1)).join(' ');
  console.log(
    `\nokta-sumo-collector benchmark: node ${process.version}, ${quick ? 'quick' : 'full'} run, ${seconds.toFixed(0)} s, load average ${load(loadAtStart)} → ${load(loadavg())} on ${cpus().length} cores`,
  );
  console.log(buildTable(results).render());
  console.log(
    `\nSweep: ratio to the fetch-only bound · collector pages/s (Okta ${results.plan.oktaMs} ms/page; ${results.plan.pages} pages per run)`,
  );
  console.log(sweepGrid(results.plan, results.sweep));
  console.log(`
Notes
- Confinement: each sized collector (and its fetch-only bound) runs in child cgroups (v1) nested under this
  process's own: cpu.cfs_quota_us = memory/1769 of cpu.cfs_period_us (100 ms), memory.limit_in_bytes = memory,
  heap flags as Lambda's Node runtime sets them (old space 90 %, semi space 5 % of memory). "free CPU" is
  unconfined with 256 MB heap flags. CPU figures are process.cpuUsage() of the collector (all threads).
- Batches per page: events are sized (b × 1000 − 10 bytes) so a 1,000-event page makes b ≤ 1 MB Sumo bodies.
- Each run is one invocation: its first fetch and its last page's posts and cursor write are not overlapped.
- This is Node ${process.version} on x86; Lambda runs arm64 (Graviton), not measurable here.
- All figures: .bench/results.json.`);
  const runAt = new Date().toISOString();
  const json = `${JSON.stringify({ runAt, node: process.version, quick, durationSeconds: seconds, ...results }, null, 2)}\n`;
  writeFileSync(join(OUT_DIR, 'results.json'), json);
  writeFileSync(join(OUT_DIR, `results-${runAt.replace(/[:.]/g, '-')}.json`), json);
}

if (flags.freshness === true) {
  // Real time on a one-minute schedule (issue 13): scripts/bench/freshness.ts.
  await (await import('./bench/freshness.js')).freshnessMode({ quick, outDir: OUT_DIR });
} else if (flags.catchup === true) {
  // Catch-up against the share bound with Okta answering in 300 ms–3 s (issue 13).
  await (await import('./bench/catch-up-latency.js')).catchUpMode({ quick });
} else {
  await main();
  step('done');
}
