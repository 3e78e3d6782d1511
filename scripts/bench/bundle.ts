/**
 * The deployable artifact: `cdk synth` (reused when cdk.out is newer than every source it bundles), the asset
 * directory of the collector function (the `AWS::Lambda::Function` whose environment has `CURSOR_TABLE_NAME`),
 * its size raw and gzipped, and the cold-start cost of importing it in fresh `node` processes.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import type { Confinement } from './cgroup.js';

export interface BundleInfo {
  readonly path: string;
  readonly rawBytes: number;
  readonly gzipBytes: number;
  readonly synthesized: boolean;
  readonly synthMs: number;
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Synthesizes when cdk.out is missing or older than lambda/, lib/ or the lock file; returns the bundle. */
export function findBundle(root: string, forceSynth: boolean): BundleInfo {
  const manifest = join(root, 'cdk.out', 'manifest.json');
  const sources = Math.max(
    newestMtime(join(root, 'lambda')),
    newestMtime(join(root, 'lib')),
    newestMtime(join(root, 'package-lock.json')),
  );
  const stale = forceSynth || !existsSync(manifest) || statSync(manifest).mtimeMs < sources;
  let synthMs = 0;
  if (stale) {
    const t0 = performance.now();
    execFileSync('npx', ['cdk', 'synth', '-c', 'oktaOrgUrl=https://example.okta.com', '-q'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    synthMs = performance.now() - t0;
  }
  const template = JSON.parse(
    readFileSync(join(root, 'cdk.out', 'OktaSumoCollector.template.json'), 'utf8'),
  ) as {
    Resources: Record<
      string,
      {
        Type: string;
        Metadata?: Record<string, string>;
        Properties?: { Environment?: { Variables?: Record<string, unknown> } };
      }
    >;
  };
  const fn = Object.values(template.Resources).find(
    (r) =>
      r.Type === 'AWS::Lambda::Function' &&
      r.Properties?.Environment?.Variables?.['CURSOR_TABLE_NAME'] !== undefined,
  );
  const assetDir = fn?.Metadata?.['aws:asset:path'];
  if (!assetDir)
    throw new Error('no AWS::Lambda::Function with CURSOR_TABLE_NAME and an asset path in the template');
  const dir = resolve(root, 'cdk.out', assetDir);
  const file = ['index.mjs', 'index.js'].map((name) => join(dir, name)).find((path) => existsSync(path));
  if (!file) throw new Error(`no index.mjs / index.js in ${dir}`);
  const code = readFileSync(file);
  return {
    path: file,
    rawBytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    synthesized: stale,
    synthMs,
  };
}

export interface ColdStart {
  readonly importMs: number;
  /** `performance.now()` when the import resolved: ms since the process started (node boot included). */
  readonly sinceProcessStartMs: number;
  readonly exportsHandler: boolean;
  readonly firstInvokeMs?: number;
  readonly secondInvokeMs?: number;
  readonly firstEvents?: number;
  readonly secondEvents?: number;
}

/**
 * One fresh process running `loader` (./cold-start-loader.ts, built): `between` runs after the first invocation
 * (e.g. to produce the second one's events). With `confine`, the process starts inside those cgroups.
 */
export async function coldStart(
  loader: string,
  bundle: string,
  env: Readonly<Record<string, string>> | undefined,
  between: () => Promise<void>,
  options: { readonly confine?: Confinement; readonly nodeFlags?: readonly string[] } = {},
): Promise<ColdStart> {
  const nodeArgs = [...(options.nodeFlags ?? []), loader, bundle];
  const { command, args } = options.confine?.wrap(process.execPath, nodeArgs) ?? {
    command: process.execPath,
    args: nodeArgs,
  };
  const child = spawn(command, args, {
    env: { ...process.env, ...env, BENCH_INVOKE: env ? '1' : '0' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise<ColdStart>((resolvePromise, reject) => {
    child.on('message', (message: { phase: string; result?: ColdStart }) => {
      if (message.phase === 'between') {
        between().then(
          () => child.send('go'),
          (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))),
        );
      } else if (message.result) {
        resolvePromise(message.result);
      }
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`cold-start loader exited with ${code}`));
    });
  });
}
