/**
 * A fresh `node` process (built by ./build-child.ts, no tsx) that times `await import(bundle)` and, when
 * `BENCH_INVOKE=1`, two invocations of its handler: the first pays for config, SDK clients, the first secret
 * and parameter reads and new connections. Reports to its parent over IPC (see ./bundle.ts `coldStart`).
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

type Handler = (event: unknown, context: unknown) => Promise<{ events?: number }>;

const started = performance.now();
const bundle = process.argv[2];
if (bundle === undefined) throw new Error('usage: cold-start-loader <bundle.mjs>');
const module = (await import(pathToFileURL(bundle).href)) as { handler?: Handler };
const imported = performance.now();
const result: Record<string, unknown> = {
  importMs: imported - started,
  sinceProcessStartMs: imported,
  exportsHandler: typeof module.handler === 'function',
};
if (process.env['BENCH_INVOKE'] === '1' && module.handler) {
  process.stdout.write = () => true; // the handler's log lines
  const context = (): unknown => {
    const deadline = Date.now() + 900_000;
    return {
      awsRequestId: `cold-${Math.random().toString(36).slice(2)}`,
      getRemainingTimeInMillis: () => deadline - Date.now(),
    };
  };
  let t = performance.now();
  result['firstEvents'] = (await module.handler({}, context())).events;
  result['firstInvokeMs'] = performance.now() - t;
  process.send?.({ phase: 'between' });
  await new Promise((resolve) => process.once('message', resolve));
  t = performance.now();
  result['secondEvents'] = (await module.handler({}, context())).events;
  result['secondInvokeMs'] = performance.now() - t;
}
process.send?.({ phase: 'done', result });
process.disconnect?.();
