/**
 * How the Lambda handler is bundled, written once: the construct bundles with these options inside this
 * repository (so `cdk synth` reflects local changes), and `npm pack` prebuilds the package's bundle with the
 * same ones (so a consumer needs no esbuild).
 */

/** The bundle's file name: `.mjs` so that Node (and Lambda) load it as an ES module without a package.json. */
export const HANDLER_BUNDLE_FILE = 'index.mjs';

/** `Handler` of the function: `index.mjs`, export `handler`. */
export const HANDLER = 'index.handler';

/**
 * Defines `require` in the ESM bundle: dependencies published as CommonJS call `require()` for Node
 * built-ins, which an ES module does not have.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __collectorCreateRequire } from 'node:module';" +
  'const require = __collectorCreateRequire(import.meta.url);';

/** The esbuild options (a plain object, so this file needs no esbuild types). */
export interface HandlerBundleOptions {
  readonly entryPoints: string[];
  readonly outfile: string;
  readonly bundle: true;
  readonly platform: 'node';
  readonly target: string;
  readonly format: 'esm';
  readonly mainFields: string[];
  readonly banner: { readonly js: string };
  readonly minify: boolean;
  readonly sourcemap: boolean;
  readonly logLevel: 'warning';
}

/**
 * esbuild options that bundle `entry` (the handler's TypeScript source) into `outfile`. Everything is bundled,
 * the AWS SDK included: the tested SDK version is pinned instead of whatever version the runtime ships.
 */
export function handlerBundleOptions(entry: string, outfile: string): HandlerBundleOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    // The function's runtime (Node.js 24, see collector-function.ts).
    target: 'node24',
    format: 'esm',
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    minify: true,
    // Errors carry their own names and messages; a source map would double the bundle to decode stacks.
    sourcemap: false,
    logLevel: 'warning',
  };
}
