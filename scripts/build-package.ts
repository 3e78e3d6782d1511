/**
 * `npm pack` / `npm publish` (prepack): compiles the construct library (`lib/index.ts` and what it imports)
 * to JavaScript and declarations in `dist/`, and prebuilds the Lambda bundle into `dist/lambda-bundle/` with
 * the esbuild options the construct uses in this repository, so a consumer needs no esbuild and no Docker.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { HANDLER_BUNDLE_FILE, handlerBundleOptions } from '../lib/handler-bundle.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
  cwd: root,
  stdio: 'inherit',
});
const bundle = join(dist, 'lambda-bundle', HANDLER_BUNDLE_FILE);
await build(handlerBundleOptions(join(root, 'lambda', 'handler.ts'), bundle));
if (!existsSync(join(dist, 'lib', 'index.js')) || !existsSync(bundle)) {
  throw new Error('build-package: dist/lib/index.js or the Lambda bundle is missing after the build');
}
console.error(`built ${join('dist', 'lib')} and ${join('dist', 'lambda-bundle', HANDLER_BUNDLE_FILE)}`);
