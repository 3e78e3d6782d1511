/**
 * Which memory size to recommend, from the sweep: the smallest size whose headline point (the goals' latencies
 * and batches) delivers at ≥ 0.9 of the fetch-only bound and ≥ 2 pages/s with its peak RSS at most 80 % of its
 * memory. Billing is memory × time and the time is Okta's, so among the sizes that keep up the smallest costs
 * least per page.
 */
import type { SweepPlan, SweepSizeResult } from './sweep.js';

export interface Recommendation {
  readonly memoryMb: number | undefined;
  readonly why: string;
}

export function recommendSize(sizes: readonly SweepSizeResult[], plan: SweepPlan): Recommendation {
  const judged = sizes
    .filter((s): s is SweepSizeResult & { size: number } => s.size !== 'free')
    .map((s) => {
      const point = s.points.find(
        (p) => p.sumoMs === plan.headline.sumoMs && p.batches === plan.headline.batches,
      );
      const misses: string[] = [];
      if (s.problem?.startsWith('unconfined')) misses.push('not confined');
      if (point === undefined) misses.push(s.problem ?? 'no figure');
      else {
        if (point.ratio < 0.9) misses.push(`ratio ${point.ratio.toFixed(2)} < 0.9`);
        if (point.pagesPerSecond < 2) misses.push(`${point.pagesPerSecond.toFixed(2)} pages/s < 2`);
      }
      if (!(s.maxRssMb <= 0.8 * s.size))
        misses.push(`peak RSS ${s.maxRssMb.toFixed(0)} MB > 80 % of ${s.size} MB`);
      const gbSecondsPerPage = point ? s.size / 1024 / point.pagesPerSecond : Number.NaN;
      return { size: s.size, point, misses, gbSecondsPerPage };
    })
    .sort((a, b) => a.size - b.size);
  const ok = judged.find((j) => j.misses.length === 0);
  const at = `Okta ${plan.oktaMs} ms, Sumo ${plan.headline.sumoMs} ms, ${plan.headline.batches} batches/page`;
  if (ok) {
    const smaller = judged.filter((j) => j.size < ok.size);
    return {
      memoryMb: ok.size,
      why: `smallest size that keeps up at ${at}: ratio ${ok.point!.ratio.toFixed(2)}, ${ok.point!.pagesPerSecond.toFixed(2)} pages/s, ${(ok.gbSecondsPerPage * 1000).toFixed(0)} GB-ms/page${smaller.map((s) => `; ${s.size} MB: ${s.misses.join(', ')}`).join('')}`,
    };
  }
  return {
    memoryMb: undefined,
    why: `no size met every condition at ${at}: ${judged.map((j) => `${j.size} MB ${j.misses.join(', ')}`).join('; ')}`,
  };
}
