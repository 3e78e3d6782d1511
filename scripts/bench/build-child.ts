/**
 * Builds a benchmark child (a TypeScript file under scripts/bench/) into one ES module under .bench/, so it runs
 * on plain `node` as the Lambda runtime would run the bundle: no tsx loader, whose hooks alone add ~35 MB of RSS
 * and CPU at start. Local imports are bundled; npm packages stay imports, resolved from the repository.
 */
import { basename, join } from 'node:path';
import { buildSync } from 'esbuild';

/** Returns the path of the built `.mjs`. */
export function buildChild(entry: string, outDir: string): string {
  const outfile = join(outDir, `${basename(entry, '.ts')}.mjs`);
  buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  return outfile;
}
