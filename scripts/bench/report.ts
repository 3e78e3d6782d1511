/** The benchmark's printed report: the goals table (./table.ts) and the sweep's sizes × latencies grid. */
import type { BundleInfo } from './bundle.js';
import { MB_PER_VCPU } from './cgroup.js';
import type { ColdStarts } from './cold-starts.js';
import type { MonthlyCost } from './cost.js';
import type { CpuPerPage } from './cpu-per-page.js';
import type { HotSpots } from './hot-spots.js';
import type { HttpClientsResult } from './http-clients-child.js';
import type { PeakMemory } from './peak-memory.js';
import type { SimResult } from './rate-limit-sim.js';
import type { Recommendation } from './recommend.js';
import { dollars, fixed, percent, range, spread, thousands, type Spread } from './stats.js';
import type { SweepPlan, SweepSizeResult } from './sweep.js';
import { grid, Table } from './table.js';

export interface BenchResults {
  readonly bundle: BundleInfo;
  readonly cold: ColdStarts;
  readonly cpu: CpuPerPage;
  readonly http: HttpClientsResult;
  readonly plan: SweepPlan;
  readonly sweep: readonly SweepSizeResult[];
  readonly recommendation: Recommendation;
  readonly memory: PeakMemory;
  readonly hot: HotSpots;
  readonly catchUp: readonly SimResult[];
  readonly costs: readonly MonthlyCost[];
}

const SHARE_256 = 256 / MB_PER_VCPU;
const ms = (s: Spread, digits = 1): string => range(s, digits, ' ms');
const sizeName = (size: number | 'free'): string => (size === 'free' ? 'free CPU' : `${size} MB`);

export function sweepGrid(plan: SweepPlan, sizes: readonly SweepSizeResult[]): string {
  const header = ['size, Sumo latency', ...plan.batches.map((b) => `${b} batch${b > 1 ? 'es' : ''}/page`)];
  const body: string[][] = [];
  for (const s of sizes) {
    for (const sumoMs of plan.sumoMs) {
      body.push([
        `${sizeName(s.size)}, Sumo ${sumoMs} ms`,
        ...plan.batches.map((b) => {
          const p = s.points.find((q) => q.sumoMs === sumoMs && q.batches === b);
          return p ? `${p.ratio.toFixed(2)} · ${p.pagesPerSecond.toFixed(2)} p/s` : '—';
        }),
      ]);
    }
    const cpu = plan.batches.map((b) => {
      const p = s.points.filter((q) => q.batches === b);
      return p.length ? `${fixed(Math.min(...p.map((q) => q.cpuMsPerPage)), 0)} ms CPU/page` : '—';
    });
    body.push([
      `  ${sizeName(s.size)}: peak RSS ${fixed(s.maxRssMb, 0)} MB${s.problem ? ` (${s.problem})` : ''}`,
      ...cpu,
    ]);
  }
  return grid(header, body);
}

export function buildTable(r: BenchResults): Table {
  const t = new Table();
  const { cpu, hot } = r;
  const micro = hot.micro;
  const page = cpu.pageCpuMs.median;

  t.section(
    `CPU per 1,000-event page (${fixed(micro.pageBytes / 1e6, 2)} MB), collector process, whole x86 core, Lambda's 256 MB heap flags`,
  );
  t.goal(
    'collector CPU per page (marginal over an idle tick)',
    ms(cpu.pageCpuMs),
    '≤ 20 ms',
    page <= 20,
    `≈ ${fixed(page / SHARE_256, 0)} ms of wall time at a 256 MB function's share (${percent(SHARE_256)} of a vCPU)`,
  );
  t.row(
    '  parse (readJsonObjectArray → events)',
    `${fixed(micro.parseMs, 1)} ms`,
    '',
    '',
    `per-stage: isolated, same page; reference JSON.parse ${fixed(micro.jsonParseMs, 1)} ms, parse + stringify ${fixed(micro.jsonParseStringifyMs, 1)} ms`,
  );
  t.row(
    '  batching (toBatches, one copy into Buffers)',
    `${fixed(micro.batchMs, 1)} ms`,
    '',
    '',
    `${micro.batches} batches: ${micro.batchBytes.map((b) => `${(b / 1e6).toFixed(2)} MB`).join(' + ')}`,
  );
  t.row(
    '  gzip level 1 (SumoHttpSink, zlib pool)',
    `${fixed(micro.gzip1Ms, 1)} ms`,
    '',
    '',
    `${percent(micro.gzip1Bytes / micro.pageBytes)} of raw; level 6 would be ${fixed(micro.gzip6Ms, 1)} ms for ${percent(micro.gzip6Bytes / micro.pageBytes)}`,
  );
  t.row(
    '  the rest (HTTP client, DynamoDB SDK, logs, GC)',
    `${fixed(page - micro.parseMs - micro.batchMs - micro.gzip1Ms, 1)} ms`,
    '',
    '',
    `main-thread GC pauses: ${ms(cpu.pageGcMs)} per page`,
  );
  t.row(
    'same pages, Node default heap limits',
    ms(cpu.defaultHeapPageCpuMs),
    '',
    '',
    `GC pauses ${ms(cpu.defaultHeapPageGcMs)}/page: Lambda's heap flags cost ≈ ${fixed(page - cpu.defaultHeapPageCpuMs.median, 1)} ms/page`,
  );
  t.row(
    'idle tick: CPU / wall (loopback)',
    `${ms(cpu.idleCpuMs)} / ${ms(cpu.idleWallMs)}`,
    '',
    '',
    `${thousands(cpu.idleLogBytes)} B of log lines`,
  );
  t.row(
    'loopback ratio (CPU-bound: collector ÷ fetch-only)',
    range(cpu.loopbackRatio, 2),
    '',
    '',
    `${cpu.pages} pages per run`,
  );

  t.section(
    `HTTP client CPU (client process only; GET of a ${fixed(r.http.pageBytes / 1e6, 1)} MB page, POST of a ${fixed(r.http.postBytes / 1e3, 0)} kB gzip batch)`,
  );
  const fetchCpu = r.http.clients[0]!;
  for (const c of r.http.clients) {
    const perPage = c.getMs + 3 * c.postMs;
    t.row(
      `  ${c.client}`,
      `${fixed(c.getMs, 2)} ms GET, ${fixed(c.postMs, 2)} ms POST`,
      '',
      '',
      `page + 3 POSTs: ${fixed(perPage, 1)} ms = ${(perPage / (fetchCpu.getMs + 3 * fetchCpu.postMs)).toFixed(2)}× fetch`,
    );
  }

  t.section(
    `Delivery ÷ fetch-only bound, Okta ${r.plan.oktaMs} ms/page (grid below: every size × Sumo latency × batches)`,
  );
  for (const s of r.sweep) {
    const p = s.points.find(
      (q) => q.sumoMs === r.plan.headline.sumoMs && q.batches === r.plan.headline.batches,
    );
    const goalSize = s.size === 'free' || s.size === 256;
    const name = `${sizeName(s.size)}: Sumo ${r.plan.headline.sumoMs} ms, ${r.plan.headline.batches} batches/page`;
    if (!p) {
      t.row(name, 'n/a', goalSize ? '≥ 0.9' : '', goalSize ? 'MISSED' : '', s.problem ?? '');
      continue;
    }
    const note = `${p.pagesPerSecond.toFixed(2)} pages/s (bound ${p.boundPagesPerSecond.toFixed(2)}), ${thousands(p.pagesPerSecond * 1000)} events/s; runs ${p.ratios.map((x) => x.toFixed(2)).join(', ')}; ${fixed(p.cpuMsPerPage, 0)} ms CPU/page${s.problem ? `; ${s.problem}` : ''}`;
    if (goalSize) t.goal(name, p.ratio.toFixed(2), '≥ 0.9', p.ratio >= 0.9, note);
    else t.row(name, p.ratio.toFixed(2), '', '', note);
    if (s.size === 256)
      t.goal(
        '  256 MB share: pages per second',
        p.pagesPerSecond.toFixed(2),
        '≥ 2',
        p.pagesPerSecond >= 2,
        'a full share of a 120/minute org',
      );
  }
  t.row(
    'recommended memory size',
    r.recommendation.memoryMb === undefined ? 'none' : `${r.recommendation.memoryMb} MB`,
    '',
    '',
    r.recommendation.why,
  );

  t.section('Memory, bundle, cold start (the synthesized bundle on plain node)');
  const m = r.memory;
  t.goal(
    'peak RSS: fresh process, pages with 100 KB+ events and one > 1 MB',
    `${fixed(m.run.maxRssKb / 1024, 1)} MB`,
    '≤ 110 MB',
    m.run.maxRssKb / 1024 <= 110,
    `${m.confined}; ${m.pages} pages, ${fixed(m.bytes / 1e6, 1)} MB, ${String(m.run.summary['batches'])} batches; after import ${fixed(m.afterImportMb, 1)} MB; at the peak JS heap ${fixed(m.run.memoryAtPeakMb.heapUsed, 0)} MB, Buffers ${fixed(m.run.memoryAtPeakMb.arrayBuffers, 0)} MB; ${m.oversizedBodies} body > 1 MiB (the big event, alone)`,
  );
  t.row('peak RSS: long-lived collector (loopback runs)', `${fixed(cpu.maxRssMb, 1)} MB`);
  t.row(
    'bundle index.mjs: raw / gzip',
    `${fixed(r.bundle.rawBytes / 1e3, 0)} kB / ${fixed(r.bundle.gzipBytes / 1e3, 0)} kB`,
    '',
    '',
    r.bundle.synthesized
      ? `cdk synth ran (${fixed(r.bundle.synthMs / 1000, 1)} s)`
      : 'cdk.out was fresh, reused',
  );
  const coldFree = spread(r.cold.free.map((c) => c.sinceProcessStartMs));
  const cold256 = spread(r.cold.at256.map((c) => c.sinceProcessStartMs));
  const empty = spread(r.cold.emptyModule.map((c) => c.sinceProcessStartMs));
  t.goal(
    'cold start: process start → bundle imported (free CPU)',
    ms(coldFree, 0),
    '≤ 250 ms',
    coldFree.median <= 250,
    `import alone ${ms(spread(r.cold.free.map((c) => c.importMs)), 0)}; node boot (empty module) ${ms(empty, 0)}`,
  );
  t.row(
    'cold start at a 256 MB share',
    ms(cold256, 0),
    '',
    '',
    `${r.cold.at256Confined}; import alone ${ms(spread(r.cold.at256.map((c) => c.importMs)), 0)}; first invocation ${ms(spread(r.cold.at256.map((c) => c.firstInvokeMs ?? Number.NaN)), 0)}, second ${ms(spread(r.cold.at256.map((c) => c.secondInvokeMs ?? Number.NaN)), 0)}`,
  );

  t.section(
    "Catch-up under the rate limit: simulated clock, the handler's own invocation steps, a tick a minute",
  );
  for (const [index, sim] of r.catchUp.entries()) {
    const goal = index < 2;
    const note = `bound ${thousands(sim.boundPerMinute)}/min; ${sim.wholeWindows} whole windows; ${thousands(sim.eventsDuringCatchUp)} events in ${fixed(sim.catchUpMinutes, 0)} min`;
    if (goal)
      t.goal(
        sim.scenario.name,
        `${thousands(sim.eventsPerMinute)} ev/min = ${percent(sim.efficiency)}`,
        '≥ 95 %',
        sim.efficiency >= 0.95,
        note,
      );
    else
      t.row(
        sim.scenario.name,
        `${thousands(sim.eventsPerMinute)} ev/min = ${percent(sim.efficiency)}`,
        '',
        '',
        note,
      );
    if (index === 0)
      t.goal(
        "  our 429s; the other integration's",
        `${sim.our429s}; ${sim.other429s} of ${sim.otherRequests}`,
        '0',
        sim.our429s === 0,
      );
  }

  t.section('Monthly cost: a tick every minute, 256 MB arm64, us-east-1, free tiers not counted');
  for (const cost of r.costs) {
    const name = `${thousands(cost.eventsPerDay)} events/day: Lambda + DynamoDB`;
    const note = `compute ${dollars(cost.lambdaCompute)} (${cost.tick.billedMs} ms/tick), DynamoDB ${dollars(cost.dynamo)}; ${dollars(cost.total)} with Secrets Manager, KMS, logs, metrics`;
    if (cost.eventsPerDay === 1_000_000)
      t.goal(name, dollars(cost.lambdaPlusDynamo), '< $1', cost.lambdaPlusDynamo < 1, note);
    else t.row(name, dollars(cost.lambdaPlusDynamo), '', '', note);
  }

  if (hot.profile) {
    const { pages, summary } = hot.profile;
    t.section(
      `Hot spots: V8 sampling profile of lambda/handler.ts (main thread), ${pages} pages, ${fixed(summary.busyMs, 0)} ms busy`,
    );
    for (const fn of summary.functions.slice(0, 8))
      t.row(
        `  ${fn.name}`,
        `${fixed(fn.selfMs / pages, 1)} ms/page`,
        '',
        '',
        `${percent(fn.share)}${fn.via ? ` ← ${fn.via}` : ''}`,
      );
  }
  return t;
}
