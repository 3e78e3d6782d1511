/**
 * Cold start: fresh processes import the bundle and invoke it twice, unconfined and confined to a 256 MB
 * function's CPU share and memory (as Lambda runs INIT), against an empty module's node boot.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { coldStart, type ColdStart } from './bundle.js';
import { createConfinement, lambdaHeapFlags, lambdaSize } from './cgroup.js';
import type { StandIns } from './stand-ins.js';

export interface ColdStarts {
  readonly free: readonly ColdStart[];
  readonly at256: readonly ColdStart[];
  readonly at256Confined: string;
  readonly emptyModule: readonly ColdStart[];
}

export async function measureColdStarts(
  context: { standIns: StandIns; loader: string; bundle: string; outDir: string },
  count: number,
): Promise<ColdStarts> {
  const { standIns } = context;
  await standIns.setLatency(0, 0);
  const emptyModule = join(context.outDir, 'empty-handler.mjs');
  writeFileSync(emptyModule, 'export const handler = async () => ({});\n');
  const env = standIns.env(256);
  const produce = async (): Promise<void> => void (await standIns.produce({ count: 10 }));
  const nodeFlags = lambdaHeapFlags(256);
  const made = createConfinement(lambdaSize(256), 'cold');
  const result = { free: [] as ColdStart[], at256: [] as ColdStart[], emptyModule: [] as ColdStart[] };
  try {
    for (let i = 0; i < count; i++) {
      await produce();
      result.free.push(await coldStart(context.loader, context.bundle, env, produce, { nodeFlags }));
      await produce();
      result.at256.push(
        await coldStart(context.loader, context.bundle, env, produce, {
          nodeFlags,
          ...(made.ok ? { confine: made.confinement } : {}),
        }),
      );
      result.emptyModule.push(
        await coldStart(context.loader, emptyModule, undefined, () => Promise.resolve()),
      );
    }
  } finally {
    if (made.ok) made.confinement.remove();
  }
  return { ...result, at256Confined: made.ok ? 'confined' : `unconfined (${made.reason})` };
}
