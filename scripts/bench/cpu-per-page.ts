/**
 * CPU per 1,000-event page on a whole core (no CPU confinement) under Lambda's 256 MB heap flags: the
 * collector's process CPU over a many-page invocation on loopback (no latency), minus an idle tick, per page.
 * Also the same pages with Node's default heap limits (what Lambda's smaller heap costs in GC) and idle ticks.
 */
import { expectDelivered, startCollector } from './collector-process.js';
import type { InvokeResult } from './lambda-runner.js';
import type { StandIns } from './stand-ins.js';
import { median, spread, type Spread } from './stats.js';

export interface CpuPerPage {
  readonly pages: number;
  readonly pageCpuMs: Spread;
  readonly pageGcMs: Spread;
  readonly defaultHeapPageCpuMs: Spread;
  readonly defaultHeapPageGcMs: Spread;
  readonly idleCpuMs: Spread;
  readonly idleWallMs: Spread;
  readonly idleLogBytes: number;
  readonly pageLogBytes: number;
  /** Events per second on loopback: CPU-bound, compared with the fetch-only read of the same pages. */
  readonly loopbackRatio: Spread;
  readonly maxRssMb: number;
}

const PAGE = 1000;

export async function measureCpuPerPage(
  context: { standIns: StandIns; runner: string; bundle: string },
  reps: number,
  pages: number,
): Promise<CpuPerPage> {
  const { standIns } = context;
  const base = { runner: context.runner, bundle: context.bundle, standIns, memoryMb: 256 };
  await standIns.setLatency(0, 0);
  const collector = await startCollector(base);
  // Its own cursor table, so it reads the same pages as the collector above.
  await standIns.sinks.call('createTable', 'okta-sumo-collector-cursors-default-heap');
  const defaultHeap = await startCollector({
    ...base,
    defaultHeap: true,
    env: { CURSOR_TABLE_NAME: 'okta-sumo-collector-cursors-default-heap' },
  });
  const fetcher = await startCollector(base);
  try {
    await standIns.produce({ count: 3 * PAGE });
    await collector.invoke();
    await defaultHeap.invoke();
    const idle: InvokeResult[] = [];
    for (let i = 0; i < 7; i++) idle.push(await collector.invoke());
    const idleCpu = spread(idle.map((r) => r.cpuMs));
    const idleLogBytes = median(idle.map((r) => r.logBytes));
    const runs = [];
    for (let i = 0; i < reps; i++) {
      const since = (await standIns.okta.call<number>('now')) - 1;
      await standIns.produce({ count: pages * PAGE });
      const bound = await fetcher.fetchOnly(standIns.logsUrl(since));
      const run = await collector.invoke();
      expectDelivered(run, pages * PAGE, 'the collector');
      const other = await defaultHeap.invoke();
      expectDelivered(other, pages * PAGE, 'the default-heap collector');
      runs.push({ run, other, ratio: bound.wallMs / run.wallMs });
    }
    const perPage = (r: InvokeResult): number => (r.cpuMs - idleCpu.median) / pages;
    const usage = await collector.child.usage();
    return {
      pages,
      pageCpuMs: spread(runs.map((r) => perPage(r.run))),
      pageGcMs: spread(runs.map((r) => r.run.gc.ms / pages)),
      defaultHeapPageCpuMs: spread(runs.map((r) => perPage(r.other))),
      defaultHeapPageGcMs: spread(runs.map((r) => r.other.gc.ms / pages)),
      idleCpuMs: idleCpu,
      idleWallMs: spread(idle.map((r) => r.wallMs)),
      idleLogBytes,
      pageLogBytes: median(runs.map((r) => (r.run.logBytes - idleLogBytes) / pages)),
      loopbackRatio: spread(runs.map((r) => r.ratio)),
      maxRssMb: usage.maxRssKb / 1024,
    };
  } finally {
    await collector.stop();
    await defaultHeap.stop();
    await fetcher.stop();
  }
}
