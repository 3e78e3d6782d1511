/**
 * Where a page's CPU goes: per-stage micro-benchmarks on one real page (the adapters' own parse, the core's
 * batcher, zlib) and a V8 sampling profile of one many-page invocation of lambda/handler.ts from source (tsx, so
 * function names are readable), in a process of its own.
 */
import { join } from 'node:path';
import type { InvokeResult, MicroResult } from './collector-child.js';
import { spawnChild } from './ipc.js';
import type { ProfileSummary } from './profile.js';
import type { StandIns } from './stand-ins.js';

export interface HotSpots {
  readonly micro: MicroResult;
  readonly profile?: { readonly pages: number; readonly summary: ProfileSummary };
}

const PAGE = 1000;

export async function measureHotSpots(
  context: { standIns: StandIns; root: string; benchDir: string },
  options: { reps: number; profilePages: number | undefined },
): Promise<HotSpots> {
  const { standIns } = context;
  await standIns.setLatency(0, 0);
  const child = await spawnChild(join(context.benchDir, 'collector-child.ts'), {
    env: standIns.env(256),
    stdout: 'ignore',
  });
  try {
    await child.call('load', join(context.root, 'lambda', 'handler.ts'));
    const since = (await standIns.okta.call<number>('now')) - 1;
    await standIns.produce({ count: PAGE });
    const micro = await child.call<MicroResult>('micro', {
      url: standIns.logsUrl(since),
      token: standIns.token,
      reps: options.reps,
    });
    await child.call<InvokeResult>('invoke'); // deliver that page, so the cursor is at the end again
    if (options.profilePages === undefined) return { micro };
    await standIns.produce({ count: 5 * PAGE });
    await child.call<InvokeResult>('invoke'); // warm-up
    await standIns.produce({ count: options.profilePages * PAGE });
    await child.call('startProfiling');
    const run = await child.call<InvokeResult>('invoke');
    const summary = await child.call<ProfileSummary>('stopProfiling', 12);
    return { micro, profile: { pages: Number(run.summary['pages']), summary } };
  } finally {
    await child.stop();
  }
}
