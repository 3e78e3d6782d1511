/**
 * What a dependency costs the Lambda: the handler bundled with the options the stack uses (esbuild, ESM,
 * minified, the AWS SDK inside), its bytes, and the cold start of that bundle in fresh `node` processes against
 * the local stand-ins (import, then the first invocation: config, SDK clients, the secret and parameter reads
 * and, with `--oauth`, the token request with its DPoP nonce round trip). The README's dependency table quotes
 * its figures; run it on a copy of the repo with the candidate library to compare.
 *
 *   npx tsx scripts/dependency-cost.ts [--root <repo copy>] [--oauth] [--runs 7]
 */
import { execFile } from 'node:child_process';
import { parseArgs, promisify } from 'node:util';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { createCursorTable, localDynamoClient } from '../dev/local-dynamodb.js';
import { startLocalStack } from '../dev/local-stack.js';

const { values } = parseArgs({
  options: {
    root: { type: 'string' },
    oauth: { type: 'boolean', default: false },
    runs: { type: 'string', default: '7' },
  },
});
const root = resolve(values.root ?? fileURLToPath(new URL('..', import.meta.url)));
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new Error('--runs must be an integer 1-50');

const out = mkdtempSync(join(tmpdir(), 'dependency-cost-'));
const bundle = join(out, 'index.mjs');
// The stack's bundling options (lib/okta-sumo-collector.ts): NodejsFunction passes these to esbuild.
await build({
  entryPoints: [join(root, 'lambda', 'handler.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: false,
  banner: {
    js:
      "import { createRequire as __collectorCreateRequire } from 'node:module';" +
      'const require = __collectorCreateRequire(import.meta.url);',
  },
  logLevel: 'error',
});
const code = readFileSync(bundle);

// Runs in a fresh `node` (no tsx): one import and one invocation, timed, printed as JSON.
const loader = join(out, 'loader.mjs');
writeFileSync(
  loader,
  `import { performance } from 'node:perf_hooks';
const t0 = performance.now();
const { handler } = await import(process.argv[2]);
const t1 = performance.now();
const deadline = Date.now() + 600000;
const log = process.stdout.write.bind(process.stdout);
process.stdout.write = () => true;
const result = await handler({}, { awsRequestId: 'cost', getRemainingTimeInMillis: () => deadline - Date.now() });
const t2 = performance.now();
log(JSON.stringify({ importMs: t1 - t0, invokeMs: t2 - t1, totalMs: t2, events: result.events }) + '\\n');
`,
);

const stack = await startLocalStack({ oauth: values.oauth === true });
const samples: { importMs: number; invokeMs: number; totalMs: number; events: number }[] = [];
try {
  for (let i = 0; i < runs; i++) {
    const since = stack.okta.now() - 1000;
    stack.okta.produce(20);
    // Each run starts from an empty cursor table, so every first invocation does the same work.
    const table = `cost-${i}`;
    const admin = localDynamoClient(stack.dynamo.endpoint);
    await createCursorTable(admin, table);
    admin.destroy();
    // Asynchronous: the stand-ins answer from this process's event loop.
    const { stdout: output } = await promisify(execFile)(process.execPath, [loader, bundle], {
      env: {
        ...process.env,
        ...stack.env,
        CURSOR_TABLE_NAME: table,
        OKTA_START_TIME: new Date(since).toISOString(),
        AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
        NODE_NO_WARNINGS: '1',
      },
      encoding: 'utf8',
    });
    samples.push(JSON.parse(output.trim().split('\n').at(-1)!) as (typeof samples)[number]);
  }
} finally {
  await stack.stop();
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
console.log(
  JSON.stringify(
    {
      root,
      auth: values.oauth === true ? 'oauth' : 'api-token',
      bundleBytes: code.length,
      bundleGzipBytes: gzipSync(code, { level: 9 }).length,
      runs,
      medianImportMs: Math.round(median(samples.map((s) => s.importMs))),
      medianFirstInvokeMs: Math.round(median(samples.map((s) => s.invokeMs))),
      medianProcessStartToDoneMs: Math.round(median(samples.map((s) => s.totalMs))),
      events: samples.map((s) => s.events),
    },
    null,
    2,
  ),
);
