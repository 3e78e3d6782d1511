/**
 * Benchmarks of the collector (issues 2 and 6): CPU per 1,000-event page, peak memory, bundle size and cold
 * start, pipeline efficiency against a fetch-only bound, catch-up under Okta's rate limit (simulated clock),
 * and a monthly cost estimate. Prints one table with short notes and writes the figures to .bench/results.json.
 *
 *   npm run bench                # everything, ~2–3 minutes on 2 cores
 *   npm run bench -- --quick     # fewer repetitions and a smaller simulated backlog
 *   npm run bench -- --synth     # re-run `cdk synth` even when cdk.out looks fresh
 *   npm run bench -- --freshness # only the freshness scenarios (real time, ~8 minutes): scripts/bench/freshness.ts
 *   npm run bench -- --catchup   # only catch-up with Okta answering in 300 ms–3 s: scripts/bench/catch-up-latency.ts
 *
 * Processes: the Okta simulator runs in one child, the Sumo receiver + local DynamoDB + Secrets Manager/SSM in
 * another, the collector (the bundle `cdk synth` builds, imported as Lambda would) in a third; this process only
 * coordinates. So each figure of CPU and memory is one process's own. Timing is never asserted: the machine is
 * shared, so every figure is a median over repetitions (min–max shown where it matters).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { coldStart, findBundle, type BundleInfo, type ColdStart } from './bench/bundle.js';
import {
  DEFAULT_ASSUMPTIONS,
  monthlyCost,
  PRICES,
  type MeasuredCosts,
  type MonthlyCost,
} from './bench/cost.js';
import { cpuBetween, spawnChild, type ChildUsage } from './bench/ipc.js';
import { writeLambdaRunner } from './bench/lambda-runner.js';
import type { ProfileSummary } from './bench/profile.js';
import { catchUpLatencyScenarios } from './bench/catch-up-latency.js';
import { defaultScenario, simulateCatchUp, type SimResult } from './bench/rate-limit-sim.js';
import { dollars, fixed, median, percent, range, spread, thousands, type Spread } from './bench/stats.js';
import type { InvokeResult } from './bench/collector-child.js';
import type { ProduceArgs } from './bench/okta-child.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const OUT_DIR = join(ROOT, '.bench');
const HERE = (file: string): string => join(ROOT, 'scripts', 'bench', file);
const PAGE = 1000;
/** 256 MB of a Lambda function's memory buys this share of one vCPU (1,769 MB = 1 vCPU). */
const LAMBDA_CPU_SHARE = 256 / 1769;
/** The Lambda Node.js bootstrap's heap flags for 256 MB (new space = 10 %, semi space = half of it). */
const LAMBDA_HEAP_FLAGS = ['--max-semi-space-size=12', '--max-old-space-size=231'];

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    synth: { type: 'boolean', default: false },
    freshness: { type: 'boolean', default: false },
    catchup: { type: 'boolean', default: false },
  },
});
const quick = flags.quick === true;
if (flags.freshness === true) {
  // A separate mode (issue 13): real time on a one-minute schedule, see scripts/bench/freshness.ts.
  await (await import('./bench/freshness.js')).freshnessMode({ quick, outDir: OUT_DIR });
  process.exit(0);
}
if (flags.catchup === true) {
  // Catch-up vs the share bound with Okta answering in 300 ms–3 s (issue 13), see scripts/bench/catch-up-latency.ts.
  await (await import('./bench/catch-up-latency.js')).catchUpMode({ quick });
  process.exit(0);
}
const REPS = quick ? 2 : 3;
const COLD_STARTS = quick ? 4 : 7;
const CPU_PAGES = quick ? 20 : 40;
const WAN_PAGES = quick ? 6 : 16;
const WAN_OKTA_MS = 300;
const WAN_SUMO_MS = 120;
const RSS_PAGES = quick ? 12 : 25;

// The AWS SDK warns on every client creation that Node 20 support ends in 2027; other warnings still show.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (!`${warning.name} ${warning.message}`.includes('NodeVersionSupportWarning')) console.error(warning);
});

const started = performance.now();
const loadAtStart = loadavg();
const step = (what: string): void =>
  console.error(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${what}`);

// ---------------------------------------------------------------------------------------------------------
// 1. The bundle: size and cold start
// ---------------------------------------------------------------------------------------------------------
step('bundle: cdk synth (or reuse a fresh cdk.out)');
const bundle: BundleInfo = findBundle(ROOT, flags.synth === true);

step('stand-ins: Okta simulator, Sumo receiver + DynamoDB + Secrets Manager/SSM (two child processes)');
const okta = await spawnChild(HERE('okta-child.ts'), { env: { NODE_NO_WARNINGS: '1' } });
const sinks = await spawnChild(HERE('sinks-child.ts'), { env: { NODE_NO_WARNINGS: '1' } });
const { orgUrl, token } = await okta.call<{ orgUrl: string; token: string }>('info');
const lambdaEnv: Record<string, string> = {
  ...(await sinks.call<Record<string, string>>('env')),
  OKTA_ORG_URL: orgUrl,
  OKTA_START_TIME: new Date((await okta.call<number>('now')) - 1000).toISOString(),
  // What the stack sets, and what Lambda adds for JSON logging at INFO.
  POWERTOOLS_SERVICE_NAME: 'okta-sumo-collector',
  POWERTOOLS_METRICS_NAMESPACE: 'OktaSumoCollector',
  AWS_LAMBDA_LOG_LEVEL: 'INFO',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
  AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
  // The SDK's "node >= 22 soon" notice would land in the collector's stderr on every cold start.
  AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
  NODE_NO_WARNINGS: '1',
};
const produce = (args: ProduceArgs) => okta.call<{ events: number; bytes: number }>('produce', args);

step(
  `cold start: ${COLD_STARTS} fresh node processes import the bundle and invoke it twice (and an empty module)`,
);
const colds: ColdStart[] = [];
const emptyModule = join(OUT_DIR, 'empty-handler.mjs');
mkdirSync(OUT_DIR, { recursive: true });
writeFileSync(emptyModule, 'export const handler = async () => ({});\n');
const baselines: ColdStart[] = [];
for (let i = 0; i < COLD_STARTS; i++) {
  await produce({ count: 10 });
  colds.push(
    await coldStart(OUT_DIR, bundle.path, lambdaEnv, async () => void (await produce({ count: 10 }))),
  );
  baselines.push(await coldStart(OUT_DIR, emptyModule, undefined, () => Promise.resolve()));
}

// ---------------------------------------------------------------------------------------------------------
// 2. The collector process: idle ticks, CPU per page, pipeline efficiency (loopback, then WAN-like latency)
// ---------------------------------------------------------------------------------------------------------
step('collector (plain node, the bundle, Lambda heap flags): warm-up and idle ticks');
const runner = writeLambdaRunner(OUT_DIR);
const collector = await spawnChild(runner, {
  plain: true,
  env: lambdaEnv,
  stdout: 'ignore',
  nodeFlags: LAMBDA_HEAP_FLAGS,
});
await collector.call('load', bundle.path);
// The same collector with Node's default heap limits, on its own cursor table so it reads the same pages: what
// Lambda's smaller heap costs in GC.
await sinks.call('createTable', 'okta-sumo-collector-cursors-default-heap');
const collectorDefaultHeap = await spawnChild(runner, {
  plain: true,
  env: { ...lambdaEnv, CURSOR_TABLE_NAME: 'okta-sumo-collector-cursors-default-heap' },
  stdout: 'ignore',
});
await collectorDefaultHeap.call('load', bundle.path);
// The fetch-only bound runs in a process of its own, so its garbage does not weigh on the collector's memory.
const fetcher = await spawnChild(runner, {
  plain: true,
  env: lambdaEnv,
  stdout: 'ignore',
  nodeFlags: LAMBDA_HEAP_FLAGS,
});
await produce({ count: 3 * PAGE });
await collector.call<InvokeResult>('invoke');
await collectorDefaultHeap.call<InvokeResult>('invoke'); // reads everything produced so far: its warm-up
const idle: InvokeResult[] = [];
for (let i = 0; i < 7; i++) idle.push(await collector.call<InvokeResult>('invoke'));
const idleCpu = spread(idle.map((r) => r.cpuMs));
const idleWall = spread(idle.map((r) => r.wallMs));
const idleLogBytes = median(idle.map((r) => r.logBytes));

interface PipelineRep {
  readonly pages: number;
  readonly fetchOnly: { wallMs: number; cpuMs: number; pages: number; bytes: number };
  readonly collect: InvokeResult;
  readonly eventsPerSecond: { fetchOnly: number; collector: number };
  readonly ratio: number;
  /** CPU of each process during the collector's run, and of the stand-ins during the fetch-only run (ms). */
  readonly cpu: { collector: number; okta: number; sinks: number; oktaFetchOnly: number };
  readonly pageCpuMs: number;
  /** Main-thread GC pause per page. */
  readonly pageGcMs: number;
  /** The same pages through the collector with Node's default heap limits (loopback runs only). */
  readonly defaultHeap?: { pageCpuMs: number; pageGcMs: number };
}

const cpuDelta = (a: ChildUsage, b: ChildUsage): number => cpuBetween(a.cpu, b.cpu);

async function pipelineRep(pages: number, withDefaultHeap = false): Promise<PipelineRep> {
  const since = new Date((await okta.call<number>('now')) - 1).toISOString();
  await produce({ count: pages * PAGE });
  const url = `${orgUrl}/api/v1/logs?since=${encodeURIComponent(since)}&limit=${PAGE}&sortOrder=ASCENDING`;
  const o0 = await okta.usage();
  const fetchOnly = await fetcher.call<PipelineRep['fetchOnly']>('fetchOnly', { url, token });
  const o1 = await okta.usage();
  const s1 = await sinks.usage();
  const collect = await collector.call<InvokeResult>('invoke');
  const [o2, s2] = [await okta.usage(), await sinks.usage()];
  const delivered = Number(collect.summary['events']);
  if (delivered !== pages * PAGE)
    throw new Error(`the collector delivered ${delivered} events, expected ${pages * PAGE}`);
  const eventsPerSecond = {
    fetchOnly: (pages * PAGE) / (fetchOnly.wallMs / 1000),
    collector: delivered / (collect.wallMs / 1000),
  };
  return {
    pages,
    fetchOnly,
    collect,
    eventsPerSecond,
    ratio: eventsPerSecond.collector / eventsPerSecond.fetchOnly,
    cpu: {
      collector: collect.cpuMs,
      okta: cpuDelta(o1, o2),
      sinks: cpuDelta(s1, s2),
      oktaFetchOnly: cpuDelta(o0, o1),
    },
    pageCpuMs: (collect.cpuMs - idleCpu.median) / pages,
    pageGcMs: (collect.gc?.ms ?? 0) / pages,
    ...(withDefaultHeap ? { defaultHeap: await defaultHeapRun(pages) } : {}),
  };
}

async function defaultHeapRun(pages: number): Promise<{ pageCpuMs: number; pageGcMs: number }> {
  const run = await collectorDefaultHeap.call<InvokeResult>('invoke');
  if (Number(run.summary['events']) !== pages * PAGE)
    throw new Error('the default-heap collector read other pages');
  return { pageCpuMs: (run.cpuMs - idleCpu.median) / pages, pageGcMs: (run.gc?.ms ?? 0) / pages };
}

step(`pipeline on loopback (no latency): ${REPS} × ${CPU_PAGES} pages, fetch-only bound then the collector`);
const loopback: PipelineRep[] = [];
for (let i = 0; i < REPS; i++) loopback.push(await pipelineRep(CPU_PAGES, true));

step(
  `pipeline with WAN-like latency (Okta ${WAN_OKTA_MS} ms/request, Sumo ${WAN_SUMO_MS} ms/POST): ${REPS} × ${WAN_PAGES} pages`,
);
await okta.call('setLatency', WAN_OKTA_MS);
await sinks.call('setLatency', WAN_SUMO_MS);
const wan: PipelineRep[] = [];
for (let i = 0; i < REPS; i++) wan.push(await pipelineRep(WAN_PAGES));
await okta.call('setLatency', 0);
await sinks.call('setLatency', 0);
const collectorUsage = await collector.usage();
await collector.stop();
await fetcher.stop();
await collectorDefaultHeap.stop();

step('collector from source (tsx): per-stage micro-benchmarks and a V8 CPU profile of one invocation');
const profiler = await spawnChild(HERE('collector-child.ts'), { env: lambdaEnv, stdout: 'ignore' });
await profiler.call('load', join(ROOT, 'lambda', 'handler.ts'));
const microSince = new Date((await okta.call<number>('now')) - 1).toISOString();
await produce({ count: PAGE });
const micro = await profiler.call<{
  pageBytes: number;
  events: number;
  batches: number;
  batchBytes: number[];
  decodeMs: number;
  parseMs: number;
  jsonParseMs: number;
  jsonParseStringifyMs: number;
  batchMs: number;
  encodeMs: number;
  gzip1Ms: number;
  gzip6Ms: number;
  gzip1Bytes: number;
  gzip6Bytes: number;
}>('micro', {
  url: `${orgUrl}/api/v1/logs?since=${encodeURIComponent(microSince)}&limit=${PAGE}`,
  token,
  reps: quick ? 9 : 15,
});
await profiler.call<InvokeResult>('invoke'); // deliver that page, so the cursor is at the end again

await produce({ count: 5 * PAGE });
await profiler.call<InvokeResult>('invoke');
await produce({ count: CPU_PAGES * PAGE });
await profiler.call('startProfiling');
const profiled = await profiler.call<InvokeResult>('invoke');
const profile = await profiler.call<ProfileSummary>('stopProfiling', 12);
await profiler.stop();

// ---------------------------------------------------------------------------------------------------------
// 3. Peak memory: a fresh process with Lambda's heap flags, large events
// ---------------------------------------------------------------------------------------------------------
step(
  `peak RSS: fresh process, Lambda heap flags, ${RSS_PAGES} pages with 100 KB+ events and one > 1 MB event`,
);
const rssChild = await spawnChild(runner, {
  plain: true,
  env: lambdaEnv,
  stdout: 'ignore',
  nodeFlags: LAMBDA_HEAP_FLAGS,
});
const rssLoad = await rssChild.call<{ importMs: number; maxRssKb: number }>('load', bundle.path);
let rssBytes = 0;
for (let i = 0; i < RSS_PAGES; i++) {
  const made = await produce({
    count: PAGE,
    large: { rate: 0.006, bytes: 120 * 1024 },
    ...(i === Math.floor(RSS_PAGES / 2) ? { hugeBytes: 1_200_000 } : {}),
  });
  rssBytes += made.bytes;
}
const rssRun = await rssChild.call<InvokeResult>('invoke', { sampleMemory: true });
await rssChild.stop();
const sumoCounters = await sinks.call<{
  sumo: { oversized: number; maxInFlight: number; linesOver64KB: number };
  secretReads: number;
  parameterReads: number;
}>('counters');
await okta.stop();
await sinks.stop();

// ---------------------------------------------------------------------------------------------------------
// 4. Catch-up under the rate limit, on a simulated clock (real core + real Okta adapter)
// ---------------------------------------------------------------------------------------------------------
const parseCpuMs = micro.decodeMs + micro.parseMs;
const pageCpuMs = median(loopback.map((r) => r.pageCpuMs));
const lambdaCpu = {
  cpuParseMs: parseCpuMs / LAMBDA_CPU_SHARE,
  cpuDeliverMs: Math.max(0, pageCpuMs - parseCpuMs) / LAMBDA_CPU_SHARE,
};
const backlog = quick ? 0.5 : 1;
const scenarios = [
  defaultScenario({
    name: 'default: limit 120, share 0.5, Okta 300–1500 ms',
    backlogEvents: 3_000_000 * backlog,
    ...lambdaCpu,
  }),
  defaultScenario({
    name: '+ another integration using 40 % of the bucket',
    backlogEvents: 3_000_000 * backlog,
    otherConsumerShare: 0.4,
    ...lambdaCpu,
  }),
  defaultScenario({
    name: 'fast Okta (100–400 ms): pacing-bound',
    backlogEvents: 2_000_000 * backlog,
    oktaLatencyMs: [100, 400],
    ...lambdaCpu,
  }),
  defaultScenario({
    name: 'slow Okta (1–3 s): latency-bound',
    backlogEvents: 1_000_000 * backlog,
    oktaLatencyMs: [1000, 3000],
    ...lambdaCpu,
  }),
  defaultScenario({
    name: 'what if: parsing were off the fetch path',
    backlogEvents: 1_500_000 * backlog,
    ...lambdaCpu,
    cpuParseMs: 0,
  }),
  // Issue 13: Okta answering in 300 ms, 1 s, 2 s, 3 s, parallel catch-up on and off.
  ...catchUpLatencyScenarios(lambdaCpu, backlog),
  defaultScenario({
    name: 'what if: 512 MB (CPU time halved)',
    backlogEvents: 1_500_000 * backlog,
    cpuParseMs: lambdaCpu.cpuParseMs / 2,
    cpuDeliverMs: lambdaCpu.cpuDeliverMs / 2,
  }),
];
const sims: SimResult[] = [];
for (const scenario of scenarios) {
  step(`rate-limit simulation: ${scenario.name}, backlog ${thousands(scenario.backlogEvents)} events`);
  sims.push(await simulateCatchUp(scenario));
}

// ---------------------------------------------------------------------------------------------------------
// 5. Cost
// ---------------------------------------------------------------------------------------------------------
const pageLogBytes = median(loopback.map((r) => (r.collect.logBytes - idleLogBytes) / r.pages));
const measured: MeasuredCosts = {
  idleTickCpuMs: idleCpu.median,
  pageCpuMs,
  idleTickLogBytes: idleLogBytes,
  pageLogBytes,
  coldImportMs: median(colds.map((c) => c.importMs)),
};
const costs: MonthlyCost[] = [100_000, 1_000_000, 10_000_000].map((perDay) =>
  monthlyCost(measured, DEFAULT_ASSUMPTIONS, perDay),
);

// ---------------------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------------------
const totalSeconds = (performance.now() - started) / 1000;
type Row = readonly [metric: string, value: string, target: string, verdict: string, note: string];
const rows: (Row | string)[] = [];
const section = (title: string): void => void rows.push(title);
const row = (metric: string, value: string, target = '', verdict = '', note = ''): void =>
  void rows.push([metric, value, target, verdict, note]);
const check = (ok: boolean): string => (ok ? 'ok' : 'MISSED');
const ms = (s: Spread, digits = 1): string => range(s, digits, ' ms');

const loopCpu = spread(loopback.map((r) => r.pageCpuMs));
const restMs = pageCpuMs - micro.decodeMs - micro.parseMs - micro.batchMs - micro.encodeMs - micro.gzip1Ms;
const pageGc = spread(loopback.map((r) => r.pageGcMs));
const defaultHeapCpu = spread(loopback.map((r) => r.defaultHeap?.pageCpuMs ?? Number.NaN));
const defaultHeapGc = spread(loopback.map((r) => r.defaultHeap?.pageGcMs ?? Number.NaN));
section(
  `CPU per 1,000-event page (${fixed(micro.pageBytes / 1e6, 2)} MB, ${fixed(micro.pageBytes / micro.events / 1000, 2)} kB/event), collector process only, this machine's x86 core`,
);
row(
  'collector CPU per page (marginal over an idle tick)',
  ms(loopCpu),
  '≤ 20 ms',
  check(loopCpu.median <= 20),
  `≈ ${fixed(pageCpuMs / LAMBDA_CPU_SHARE, 0)} ms wall on a 256 MB Lambda (${percent(LAMBDA_CPU_SHARE)} of a vCPU)`,
);
row(
  '  UTF-8 decode (OktaLogSource.page, TextDecoder)',
  `${fixed(micro.decodeMs, 1)} ms`,
  '',
  '',
  'per-stage figures: isolated, same page, median of repetitions',
);
row(
  '  parse (readJsonObjectArray → OktaEvent[])',
  `${fixed(micro.parseMs, 1)} ms`,
  '',
  '',
  `reference: JSON.parse ${fixed(micro.jsonParseMs, 1)} ms, parse + stringify ${fixed(micro.jsonParseStringifyMs, 1)} ms`,
);
row(
  '  batching (toBatches)',
  `${fixed(micro.batchMs, 1)} ms`,
  '',
  '',
  `${micro.batches} batches: ${micro.batchBytes.map((b) => `${(b / 1e6).toFixed(2)} MB`).join(' + ')}`,
);
row(
  '  UTF-8 encode of the batches (SumoHttpSink.send, Buffer.from)',
  `${fixed(micro.encodeMs, 1)} ms`,
  '',
  '',
  'decode + encode + join exist only because events travel as JS strings',
);
row(
  '  gzip level 1 (SumoHttpSink.send, zlib pool)',
  `${fixed(micro.gzip1Ms, 1)} ms`,
  '',
  '',
  `${percent(micro.gzip1Bytes / micro.pageBytes)} of raw; level 6 would be ${fixed(micro.gzip6Ms, 1)} ms for ${percent(micro.gzip6Bytes / micro.pageBytes)}`,
);
row(
  '  the rest (undici fetch + POSTs, DynamoDB SDK, logs, GC threads)',
  `${fixed(restMs, 1)} ms`,
  '',
  '',
  `main-thread GC pauses alone: ${ms(pageGc)} per page under Lambda's heap flags`,
);
row(
  'same pages, Node default heap limits (no Lambda flags)',
  ms(defaultHeapCpu),
  '',
  '',
  `GC pauses ${ms(defaultHeapGc)} per page: Lambda's smaller heap costs ≈ ${fixed(loopCpu.median - defaultHeapCpu.median, 1)} ms/page`,
);
row(
  'idle tick: CPU / wall (loopback)',
  `${ms(idleCpu)} / ${ms(idleWall)}`,
  '',
  '',
  `${thousands(idleLogBytes)} B of log lines`,
);

section('Memory, bundle, cold start (plain node, the synthesized bundle, Lambda heap flags for 256 MB)');
row(
  'peak RSS: fresh process, pages with 100 KB+ events and one > 1 MB',
  `${fixed(rssRun.maxRssKb / 1024, 1)} MB`,
  '≤ 128 MB',
  check(rssRun.maxRssKb / 1024 <= 128),
  `${RSS_PAGES} pages, ${fixed(rssBytes / 1e6, 1)} MB, ${rssRun.summary['batches'] as number} batches; after import ${fixed(rssLoad.maxRssKb / 1024, 1)} MB; at the peak: JS heap ${fixed(rssRun.memoryAtPeakMb?.heapUsed, 0)} MB, Buffers ${fixed(rssRun.memoryAtPeakMb?.arrayBuffers, 0)} MB; Sumo saw ${sumoCounters.sumo.oversized} body > 1 MiB (the big event, alone)`,
);
row(
  'peak RSS: the long-lived collector process (normal events)',
  `${fixed(collectorUsage.maxRssKb / 1024, 1)} MB`,
  '≤ 128 MB',
  check(collectorUsage.maxRssKb / 1024 <= 128),
  `after ${idle.length + 1 + 2 * REPS} invocations, ${thousands((3 + REPS * (CPU_PAGES + WAN_PAGES)) * PAGE)} events`,
);
row(
  'bundle index.mjs: raw / gzip',
  `${fixed(bundle.rawBytes / 1e3, 0)} kB / ${fixed(bundle.gzipBytes / 1e3, 0)} kB`,
  '',
  '',
  bundle.synthesized ? `cdk synth ran (${fixed(bundle.synthMs / 1000, 1)} s)` : 'cdk.out was fresh, reused',
);
const coldImport = spread(colds.map((c) => c.importMs));
const coldTotal = spread(colds.map((c) => c.sinceProcessStartMs));
const baseline = spread(baselines.map((c) => c.sinceProcessStartMs));
row(
  'cold start: process start → bundle imported',
  ms(coldTotal, 0),
  '≤ 250 ms',
  check(coldTotal.median <= 250),
  `median of ${COLD_STARTS} fresh processes; node boot alone (empty module): ${ms(baseline, 0)}`,
);
row('  of which await import(bundle)', ms(coldImport, 0), '', '', 'the module init Lambda bills in INIT');
const first = spread(colds.map((c) => c.firstInvokeMs ?? Number.NaN));
const second = spread(colds.map((c) => c.secondInvokeMs ?? Number.NaN));
row(
  'first invocation (config, SDK clients, secret + SSM reads)',
  ms(first, 0),
  '',
  '',
  `second, warm: ${ms(second, 0)} → first-invocation init ≈ ${fixed(first.median - second.median, 0)} ms`,
);

const lr = spread(loopback.map((r) => r.ratio));
const wr = spread(wan.map((r) => r.ratio));
section(
  'Pipeline efficiency: collector events/s ÷ fetch-only events/s (same simulator, same pages, same run)',
);
row(
  'loopback, no latency: fetch-only / collector ev/s',
  `${thousands(median(loopback.map((r) => r.eventsPerSecond.fetchOnly)))} / ${thousands(median(loopback.map((r) => r.eventsPerSecond.collector)))}`,
  '',
  '',
  `${REPS} × ${CPU_PAGES} pages`,
);
row(
  '  ratio: CPU-bound, not a pipeline measure',
  range(lr, 2),
  '',
  '',
  `CPU in the collector run: collector ${fixed(median(loopback.map((r) => r.cpu.collector)), 0)} ms, Okta sim ${fixed(median(loopback.map((r) => r.cpu.okta)), 0)} ms, sinks ${fixed(median(loopback.map((r) => r.cpu.sinks)), 0)} ms in ${fixed(median(loopback.map((r) => r.collect.wallMs)), 0)} ms wall`,
);
row(
  `Okta ${WAN_OKTA_MS} ms/request, Sumo ${WAN_SUMO_MS} ms/POST: fetch-only / collector ev/s`,
  `${thousands(median(wan.map((r) => r.eventsPerSecond.fetchOnly)))} / ${thousands(median(wan.map((r) => r.eventsPerSecond.collector)))}`,
  '',
  '',
  `${REPS} × ${WAN_PAGES} pages, one invocation each`,
);
row(
  '  ratio (next fetch overlaps posting)',
  range(wr, 3),
  '≥ 0.9',
  check(wr.median >= 0.9),
  `per run: ${wan.map((r) => r.ratio.toFixed(3)).join(', ')}`,
);

section(
  'Catch-up under the rate limit: simulated clock, real collect() + OktaLogSource, a tick every minute, 900 s invocations',
);
for (const [index, sim] of sims.entries()) {
  const goal = index < 2;
  const invocations = sim.invocations.filter((i) => i.stopReason !== 'lease-held').length;
  row(
    sim.scenario.name,
    `${thousands(sim.eventsPerMinute)} ev/min = ${percent(sim.efficiency)}`,
    goal ? '≥ 95 %' : '',
    goal ? check(sim.efficiency >= 0.95) : '',
    `bound ${thousands(sim.boundPerMinute)}/min; ${sim.wholeWindows} whole windows; ${thousands(sim.eventsDuringCatchUp)} events in ${fixed(sim.catchUpMinutes, 0)} min (${thousands(sim.overallEventsPerMinute)}/min overall)`,
  );
  row(
    "  our 429s; the other integration's 429s",
    `${sim.our429s}; ${sim.other429s} of ${sim.otherRequests}`,
    index === 0 ? '0' : '',
    index === 0 ? check(sim.our429s === 0) : '',
    `our requests per window: median ${sim.requestsPerWindow.median}, min ${sim.requestsPerWindow.min}, max ${sim.requestsPerWindow.max} (allowance ${sim.requestsPerWindow.allowance}; ${sim.requestsPerWindow.overShare} windows over it, ${sim.requestsPerWindow.overShareAtHandover} at a handover; ${sim.sameWindowResetJumps} same-window Reset jumps ≥ 1 s)`,
  );
  row(
    '  gap between invocations',
    sim.gapsMs.length ? `${sim.gapsMs.map((g) => (g / 1000).toFixed(1)).join(', ')} s` : 'n/a',
    '',
    '',
    `${invocations} invocations + ${sim.leaseHeldTicks} lease-held ticks; unused slots: ${sim.unusedSlots.atHandover} at handovers, ${sim.unusedSlots.insideInvocation} inside; pacing waits ${sim.pacingWaits} (${fixed(sim.pacingWaitMs / 1000, 0)} s); ${fixed(sim.realMs / 1000, 1)} s real`,
  );
}

section('Monthly cost: a tick every minute, 256 MB arm64, us-east-1, free tiers not counted');
for (const cost of costs) {
  const goal = cost.eventsPerDay === 1_000_000;
  row(
    `${thousands(cost.eventsPerDay)} events/day: Lambda + DynamoDB`,
    dollars(cost.lambdaPlusDynamo),
    goal ? '< $1' : '',
    goal ? check(cost.lambdaPlusDynamo < 1) : '',
    `requests ${dollars(cost.lambdaRequests)}, compute ${dollars(cost.lambdaCompute)} (${cost.tick.billedMs} ms/tick), DynamoDB ${dollars(cost.dynamo)} (${cost.tick.dynamoWrites} WRU + ${cost.tick.dynamoReads} RRU/tick)`,
  );
  row(
    '  + Secrets Manager, KMS, log ingestion, metrics + alarms',
    `${dollars(cost.total)} in all`,
    '',
    '',
    `${dollars(cost.secretsManager)}, ${dollars(cost.kms)}, ${dollars(cost.logsIngestion)} (${thousands(cost.tick.logBytes)} B/tick), ${dollars(cost.metricsAndAlarms)}`,
  );
}

section(
  `Hot spots: V8 sampling profile of lambda/handler.ts (main thread; zlib's pool not included), ${profiled.summary['pages'] as number} pages, ${fixed(profile.busyMs, 0)} ms busy`,
);
for (const fn of profile.functions.slice(0, 8)) {
  row(
    `  ${fn.name}`,
    `${fixed(fn.selfMs / Number(profiled.summary['pages']), 1)} ms/page`,
    '',
    '',
    `${percent(fn.share)}${fn.via ? ` ← ${fn.via}` : ''}`,
  );
}
row(
  '  by module',
  '',
  '',
  '',
  profile.modules
    .slice(0, 7)
    .map((m) => `${m.name} ${percent(m.share, 0)}`)
    .join(', '),
);

const width = (column: number): number =>
  Math.max(...rows.filter((r): r is Row => typeof r !== 'string').map((r) => r[column]!.length));
const widths = [width(0), width(1), width(2), width(3)];
const render = (r: Row | string): string =>
  typeof r === 'string'
    ? `\n${r}`
    : `${r[0].padEnd(widths[0]!)}  ${r[1].padEnd(widths[1]!)}  ${r[2].padEnd(widths[2]!)}  ${r[3].padEnd(widths[3]!)}  ${r[4]}`.trimEnd();
console.log(
  `\nokta-sumo-collector benchmark: node ${process.version}, ${quick ? 'quick' : 'full'} run, ${fixed(totalSeconds, 0)} s, load average ${loadAtStart.map((l) => l.toFixed(1)).join(' ')} → ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${cpus().length} cores`,
);
console.log(
  `${'metric'.padEnd(widths[0]!)}  ${'value'.padEnd(widths[1]!)}  ${'target'.padEnd(widths[2]!)}  ${'ok?'.padEnd(widths[3]!)}  note`,
);
console.log(rows.map(render).join('\n'));
console.log(`
Notes
- Processes: Okta simulator | Sumo receiver + dynalite + Secrets Manager/SSM | the collector (plain node importing
  the synthesized bundle, Lambda's heap flags ${LAMBDA_HEAP_FLAGS.join(' ')}). CPU = process.cpuUsage() of the
  collector's process (all threads: zlib's pool counts). Per page = (CPU of a ${CPU_PAGES}-page tick − idle tick) / ${CPU_PAGES}.
  This is Node ${process.version} on x86; Lambda runs Node 24 on arm64 (Graviton), not measurable here.
- Loopback ratio: with no latency both loops are CPU-bound on 2 cores shared with the stand-ins, so it compares
  the collector's per-page CPU with a bare read. The latency run is the pipeline figure: Okta and Sumo answer
  times come from the stand-ins' 'slow' faults on every request; each run is one invocation, so its first fetch
  and its last page's posts + cursor write are not overlapped.
- Catch-up: ticks fire at second ${fixed(scenarios[0]!.tickOffsetMs / 1000, 0)} of each minute, Okta windows reset on the minute; an invocation's deadline
  is its start + 900 s; a tick finding the lease held returns at once. ev/min counts whole windows only. Unused
  slots = allowance (limit × share) − our requests. Collector CPU in simulated time: measured per page, scaled
  to 256 MB (${fixed(lambdaCpu.cpuParseMs, 0)} ms parse on the fetch path, ${fixed(lambdaCpu.cpuDeliverMs, 0)} ms on the delivery path).
- Cost: CPU and log bytes measured here, scaled to 256 MB; Okta ${DEFAULT_ASSUMPTIONS.oktaBaseMs} ms + ${DEFAULT_ASSUMPTIONS.oktaPerEventMs} ms/event per page, DynamoDB
  ${DEFAULT_ASSUMPTIONS.dynamoCallMs} ms/call, Sumo ${DEFAULT_ASSUMPTIONS.sumoPostMs} ms/POST assumed; secret and Sumo URL read once per ${DEFAULT_ASSUMPTIONS.credentialsTtlSeconds} s by one warm container
  (${thousands(30 * 24 * (3600 / DEFAULT_ASSUMPTIONS.credentialsTtlSeconds))}/month each), Secrets Manager includes $${PRICES.secretPerMonth}/secret-month; KMS (SecureString decrypt) is inside its
  20,000 free requests for most accounts; metrics = ${DEFAULT_ASSUMPTIONS.customMetrics} EMF custom metrics + ${DEFAULT_ASSUMPTIONS.alarms} alarms. Prices + sources: scripts/bench/cost.ts.
- All figures: .bench/results.json.`);

mkdirSync(OUT_DIR, { recursive: true });
const results = {
  runAt: new Date().toISOString(),
  node: process.version,
  quick,
  durationSeconds: totalSeconds,
  loadAverage: { start: loadAtStart, end: loadavg(), cores: cpus().length },
  bundle,
  coldStarts: colds,
  coldStartBaselineEmptyModule: baselines,
  idleTick: { cpuMs: idleCpu, wallMs: idleWall, logBytes: idleLogBytes },
  cpuPerPage: {
    marginalMs: loopCpu,
    micro,
    lambdaScaled: { share: LAMBDA_CPU_SHARE, pageMs: pageCpuMs / LAMBDA_CPU_SHARE, ...lambdaCpu },
  },
  memory: {
    rss: {
      pages: RSS_PAGES,
      bytes: rssBytes,
      afterImportMb: rssLoad.maxRssKb / 1024,
      peakMb: rssRun.maxRssKb / 1024,
      heapFlags: LAMBDA_HEAP_FLAGS,
      summary: rssRun.summary,
    },
    longLivedCollectorPeakMb: collectorUsage.maxRssKb / 1024,
  },
  pipeline: {
    loopback: { ratio: lr, reps: loopback },
    wan: { oktaLatencyMs: WAN_OKTA_MS, sumoLatencyMs: WAN_SUMO_MS, ratio: wr, reps: wan },
  },
  catchUp: sims.map(({ invocations, ...rest }) => ({
    ...rest,
    invocations: invocations.filter((i) => i.stopReason !== 'lease-held'),
  })),
  cost: { prices: PRICES, assumptions: DEFAULT_ASSUMPTIONS, measured, months: costs },
  profile: { pages: profiled.summary['pages'], ...profile },
  standIns: sumoCounters,
};
writeFileSync(join(OUT_DIR, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(
  join(OUT_DIR, `results-${results.runAt.replace(/[:.]/g, '-')}.json`),
  `${JSON.stringify(results, null, 2)}\n`,
);
step('done');
