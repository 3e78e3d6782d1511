/**
 * The deployable artifact: `cdk synth` (reused when cdk.out is newer than every source it bundles), the asset
 * directory of the collector function (the `AWS::Lambda::Function` whose environment has `CURSOR_TABLE_NAME`),
 * its size raw and gzipped, and the cold-start cost of importing it in fresh `node` processes.
 */
import { execFileSync, fork } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';

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

/**
 * Runs in a fresh `node` (no tsx): times `await import(bundle)`, then, when asked, two invocations of its
 * handler: the first pays for config, SDK clients, the first secret and parameter reads and new connections.
 */
const LOADER = `
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
const started = performance.now();
const module = await import(pathToFileURL(process.argv[2]).href);
const imported = performance.now();
const result = { importMs: imported - started, sinceProcessStartMs: imported, exportsHandler: typeof module.handler === 'function' };
if (process.env.BENCH_INVOKE === '1') {
  process.stdout.write = () => true; // the handler's log lines
  const context = () => {
    const deadline = Date.now() + 900000;
    return { awsRequestId: 'cold-' + Math.random().toString(36).slice(2), getRemainingTimeInMillis: () => deadline - Date.now() };
  };
  let t = performance.now();
  const first = await module.handler({}, context());
  result.firstInvokeMs = performance.now() - t;
  result.firstEvents = first.events;
  process.send({ phase: 'between' });
  await new Promise((resolve) => process.once('message', resolve));
  t = performance.now();
  const second = await module.handler({}, context());
  result.secondInvokeMs = performance.now() - t;
  result.secondEvents = second.events;
}
process.send({ phase: 'done', result });
process.disconnect();
`;

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

/** One fresh process; `between` runs after the first invocation (e.g. to produce the second one's events). */
export async function coldStart(
  workDir: string,
  bundle: string,
  env: Readonly<Record<string, string>> | undefined,
  between: () => Promise<void>,
): Promise<ColdStart> {
  mkdirSync(workDir, { recursive: true });
  const loader = join(workDir, 'cold-start-loader.mjs');
  writeFileSync(loader, LOADER);
  const child = fork(loader, [bundle], {
    execArgv: [],
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
