/**
 * Delivery against the fetch-only bound at Lambda function sizes (issue 11.4): each size's collector runs confined
 * to that size's CPU share and memory (./cgroup.ts), Okta answers each page after a fixed latency, Sumo each POST
 * after one of several latencies, and pages make 1–4 Sumo batches (events sized so a 1,000-event page makes
 * that many ≤ 1 MB bodies). The bound is the same pages read by the collector's HTTP client in a process with
 * the same confinement, posting nothing: what fetching alone allows at that size.
 */
import { createConfinement, lambdaSize, type Confinement } from './cgroup.js';
import { expectDelivered, startCollector, type CollectorProcess } from './collector-process.js';
import type { StandIns } from './stand-ins.js';
import { median } from './stats.js';

/** A function size in MB, or `free`: unconfined (a whole core when the machine is idle), 256 MB heap flags. */
export type SweepSize = number | 'free';

export interface SweepPlan {
  readonly sizes: readonly SweepSize[];
  readonly sumoMs: readonly number[];
  readonly batches: readonly number[];
  readonly oktaMs: number;
  readonly pages: number;
  /** The point the goals are about is measured this many times (median kept). */
  readonly headline: { readonly sumoMs: number; readonly batches: number; readonly reps: number };
}

export interface SweepPoint {
  readonly size: SweepSize;
  readonly sumoMs: number;
  readonly batches: number;
  readonly pages: number;
  readonly boundPagesPerSecond: number;
  readonly pagesPerSecond: number;
  readonly ratio: number;
  /** Per-rep ratios (more than one at the headline point). */
  readonly ratios: readonly number[];
  /** The collector process's CPU per page (all threads), measured inside its confinement. */
  readonly cpuMsPerPage: number;
  readonly gcMsPerPage: number;
  readonly maxRssMb: number;
  readonly batchesPerPage: number;
}

export interface SweepSizeResult {
  readonly size: SweepSize;
  /** Why this size ran unconfined or failed, when it did. */
  readonly problem?: string;
  readonly points: readonly SweepPoint[];
  readonly maxRssMb: number;
}

export interface SweepContext {
  readonly standIns: StandIns;
  readonly runner: string;
  readonly bundle: string;
  readonly log: (line: string) => void;
}

const PAGE = 1000;
/** Bytes per event so that a page makes `batches` bodies of at most 1,000,000 bytes (newlines included). */
export const eventBytesFor = (batches: number): number => batches * 1000 - 10;

export async function runSweep(context: SweepContext, plan: SweepPlan): Promise<SweepSizeResult[]> {
  const results: SweepSizeResult[] = [];
  for (const size of plan.sizes) results.push(await sweepSize(context, plan, size));
  return results;
}

async function sweepSize(context: SweepContext, plan: SweepPlan, size: SweepSize): Promise<SweepSizeResult> {
  const memoryMb = size === 'free' ? 256 : size;
  const confinements: Confinement[] = [];
  let problem: string | undefined;
  const confine = (label: string): Confinement | undefined => {
    if (size === 'free') return undefined;
    const made = createConfinement(lambdaSize(size), label);
    if (!made.ok) {
      problem = `unconfined: ${made.reason}`;
      return undefined;
    }
    confinements.push(made.confinement);
    return made.confinement;
  };
  const { standIns } = context;
  const start = (label: string): Promise<CollectorProcess> => {
    const confinement = confine(label);
    return startCollector({
      runner: context.runner,
      bundle: context.bundle,
      standIns,
      memoryMb,
      ...(confinement ? { confine: confinement } : {}),
    });
  };
  const points: SweepPoint[] = [];
  let collector: CollectorProcess | undefined;
  let fetcher: CollectorProcess | undefined;
  try {
    collector = await start('collector');
    fetcher = await start('fetcher');
    // Warm-up: the first invocation's config, SDK clients, secret and parameter reads, connections.
    await standIns.setLatency(0, 0);
    await standIns.produce({ count: PAGE });
    await collector.invoke();
    for (const batches of plan.batches) {
      let bound: number | undefined;
      for (const sumoMs of plan.sumoMs) {
        await standIns.setLatency(plan.oktaMs, sumoMs);
        const headline = sumoMs === plan.headline.sumoMs && batches === plan.headline.batches;
        const runs: RunFigures[] = [];
        for (let rep = 0; rep < (headline ? plan.headline.reps : 1); rep++) {
          const url = await produceRun(standIns, plan.pages, batches);
          // The bound reads the same pages first (it moves no cursor); the collector then reads them.
          bound ??= plan.pages / ((await fetcher.fetchOnly(url)).wallMs / 1000);
          runs.push(await pointRun(collector, plan.pages));
        }
        const ratios = runs.map((r) => r.pagesPerSecond / bound!);
        const pick = (key: keyof RunFigures): number => median(runs.map((r) => r[key]));
        points.push({
          size,
          sumoMs,
          batches,
          pages: plan.pages,
          boundPagesPerSecond: bound!,
          pagesPerSecond: pick('pagesPerSecond'),
          ratio: median(ratios),
          ratios,
          cpuMsPerPage: pick('cpuMsPerPage'),
          gcMsPerPage: pick('gcMsPerPage'),
          maxRssMb: pick('maxRssMb'),
          batchesPerPage: pick('batchesPerPage'),
        });
        context.log(
          `  ${size === 'free' ? 'free CPU' : `${size} MB`}, Sumo ${sumoMs} ms, ${batches} batch(es)/page: ${median(ratios).toFixed(2)} of the bound`,
        );
      }
    }
  } catch (error) {
    const exited = collector?.child.process.exitCode !== null || fetcher?.child.process.exitCode !== null;
    problem = `${problem ? `${problem}; ` : ''}stopped: ${exited ? 'a process exited (out of memory?)' : String(error).slice(0, 160)}`;
    context.log(`  ${size === 'free' ? 'free CPU' : `${size} MB`}: ${problem}`);
  } finally {
    await standIns.setLatency(0, 0);
    const usage = await collector?.child.usage().catch(() => undefined);
    await collector?.stop();
    await fetcher?.stop();
    for (const c of confinements) c.remove();
    return {
      size,
      ...(problem ? { problem } : {}),
      points,
      maxRssMb: (usage?.maxRssKb ?? Number.NaN) / 1024,
    };
  }
}

async function produceRun(standIns: StandIns, pages: number, batches: number): Promise<string> {
  const since = (await standIns.okta.call<number>('now')) - 1;
  await standIns.produce({ count: pages * PAGE, eventBytes: eventBytesFor(batches) });
  return standIns.logsUrl(since);
}

interface RunFigures {
  readonly pagesPerSecond: number;
  readonly cpuMsPerPage: number;
  readonly gcMsPerPage: number;
  readonly maxRssMb: number;
  readonly batchesPerPage: number;
}

async function pointRun(collector: CollectorProcess, pages: number): Promise<RunFigures> {
  const result = await collector.invoke();
  expectDelivered(result, pages * PAGE, 'the collector');
  return {
    pagesPerSecond: pages / (result.wallMs / 1000),
    cpuMsPerPage: result.cpuMs / pages,
    gcMsPerPage: result.gc.ms / pages,
    maxRssMb: result.maxRssKb / 1024,
    batchesPerPage: Number(result.summary['batches']) / pages,
  };
}
