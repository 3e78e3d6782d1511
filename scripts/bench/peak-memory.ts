/**
 * Peak RSS of a fresh collector process with Lambda's 256 MB heap flags, confined to a 256 MB function's memory
 * and CPU share when the machine allows it, reading pages that include 100 KB+ events and one event over 1 MB
 * (which must still be sent, alone in its batch).
 */
import { createConfinement, lambdaSize } from './cgroup.js';
import { expectDelivered, startCollector } from './collector-process.js';
import type { InvokeResult } from './lambda-runner.js';
import type { StandIns } from './stand-ins.js';

export interface PeakMemory {
  readonly pages: number;
  readonly bytes: number;
  readonly afterImportMb: number;
  readonly run: InvokeResult;
  readonly confined: string;
  /** Sumo bodies over 1 MiB: the large event, alone. */
  readonly oversizedBodies: number;
}

const PAGE = 1000;

export async function measurePeakMemory(
  context: { standIns: StandIns; runner: string; bundle: string },
  pages: number,
): Promise<PeakMemory> {
  const { standIns } = context;
  await standIns.setLatency(0, 0);
  const made = createConfinement(lambdaSize(256), 'rss');
  const collector = await startCollector({
    runner: context.runner,
    bundle: context.bundle,
    standIns,
    memoryMb: 256,
    ...(made.ok ? { confine: made.confinement } : {}),
  });
  try {
    const afterImport = await collector.child.usage();
    const before = await standIns.sinks.call<{ sumo: { oversized: number } }>('counters');
    let bytes = 0;
    for (let i = 0; i < pages; i++) {
      const produced = await standIns.produce({
        count: PAGE,
        large: { rate: 0.006, bytes: 120 * 1024 },
        ...(i === Math.floor(pages / 2) ? { hugeBytes: 1_200_000 } : {}),
      });
      bytes += produced.bytes;
    }
    const run = await collector.invoke({ sampleMemory: true });
    expectDelivered(run, pages * PAGE, 'the collector');
    const after = await standIns.sinks.call<{ sumo: { oversized: number } }>('counters');
    return {
      pages,
      bytes,
      afterImportMb: afterImport.maxRssKb / 1024,
      run,
      confined: made.ok ? '256 MB memory limit and CPU share' : `unconfined (${made.reason})`,
      oversizedBodies: after.sumo.oversized - before.sumo.oversized,
    };
  } finally {
    await collector.stop();
    if (made.ok) made.confinement.remove();
  }
}
