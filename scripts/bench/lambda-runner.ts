/**
 * A Lambda-like process for the collector: plain `node` (built by ./build-child.ts), the bundle `cdk synth`
 * builds, Lambda's heap flags for the function's size, and the handler invoked on command, as the runtime would
 * (it is the handler's own code: the bundle's `handler` export). The handler's JSON log lines (stdout, and
 * warnings on stderr) are counted, as CloudWatch would ingest them, and dropped. It also runs the fetch-only
 * bound: the collector's HTTP client following `next`, reading each body, posting nothing.
 */
import { randomUUID } from 'node:crypto';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createNodeHttpFetch } from '../../lambda/adapters/http/node-http-fetch.js';
import { cpuBetween, serve } from './ipc.js';

/** What one invocation cost, as the runner measured it. */
export interface InvokeResult {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly summary: Record<string, unknown>;
  readonly logBytes: number;
  readonly logLines: number;
  readonly maxRssKb: number;
  readonly heapUsedMb: number;
  /** process.memoryUsage() when RSS peaked (MB), sampled every 5 ms when asked. */
  readonly memoryAtPeakMb: { rss: number; heapUsed: number; external: number; arrayBuffers: number };
  /** V8 garbage collections during the invocation (main-thread pause time). */
  readonly gc: { ms: number; count: number; major: number };
}

/** The fetch-only bound's run. */
export interface FetchOnlyResult {
  readonly pages: number;
  readonly bytes: number;
  readonly wallMs: number;
  readonly cpuMs: number;
}

type Handler = (event: unknown, context: unknown) => Promise<Record<string, unknown>>;

const logs = { bytes: 0, lines: 0 };
function count(stream: NodeJS.WriteStream, passThrough: boolean): void {
  const original = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (!passThrough || text.startsWith('{')) {
      logs.bytes += Buffer.byteLength(text);
      logs.lines += 1;
      return true;
    }
    return original(chunk, ...rest);
  };
}
count(process.stdout, false);
count(process.stderr, true);

// V8's garbage collections as the main thread saw them (pauses; concurrent marking runs on helper threads).
const gc = { ms: 0, count: 0, major: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gc.ms += entry.duration;
    gc.count += 1;
    const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
    if (kind === 2 || kind === 4) gc.major += 1; // MAJOR or INCREMENTAL
  }
}).observe({ entryTypes: ['gc'] });

let handler: Handler | undefined;
const http = createNodeHttpFetch();

async function invoke(args: { remainingMs?: number; sampleMemory?: boolean } = {}): Promise<InvokeResult> {
  if (!handler) throw new Error('load the bundle first');
  const deadline = Date.now() + (args.remainingMs ?? 900_000);
  const context = {
    awsRequestId: randomUUID(),
    functionName: 'okta-sumo-collector-bench',
    memoryLimitInMB: process.env['AWS_LAMBDA_FUNCTION_MEMORY_SIZE'] ?? '256',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  const before = { ...logs };
  const gcBefore = { ...gc };
  // Where the memory is at its highest: JS heap or Buffers/ArrayBuffers (external), sampled every 5 ms.
  const peak = { rss: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  const sample = (): void => {
    const m = process.memoryUsage();
    if (m.rss > peak.rss)
      Object.assign(peak, {
        rss: m.rss,
        heapUsed: m.heapUsed,
        external: m.external,
        arrayBuffers: m.arrayBuffers,
      });
  };
  const sampler = args.sampleMemory ? setInterval(sample, 5) : undefined;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const summary = await handler({}, context).finally(() => clearInterval(sampler));
  const wallMs = performance.now() - t0;
  const cpuMs = cpuBetween(cpu0, process.cpuUsage());
  sample();
  const mb = (bytes: number): number => bytes / 1e6;
  return {
    wallMs,
    cpuMs,
    summary,
    memoryAtPeakMb: {
      rss: mb(peak.rss),
      heapUsed: mb(peak.heapUsed),
      external: mb(peak.external),
      arrayBuffers: mb(peak.arrayBuffers),
    },
    gc: { ms: gc.ms - gcBefore.ms, count: gc.count - gcBefore.count, major: gc.major - gcBefore.major },
    logBytes: logs.bytes - before.bytes,
    logLines: logs.lines - before.lines,
    maxRssKb: process.resourceUsage().maxRSS,
    heapUsedMb: process.memoryUsage().heapUsed / 1e6,
  };
}

/** Follows `next` from `url` until an empty page, reading every body and doing nothing else. */
async function fetchOnly(args: { url: string; token: string }): Promise<FetchOnlyResult> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let next: string | undefined = args.url;
  let pages = 0;
  let bytes = 0;
  while (next !== undefined) {
    const response = await http(next, {
      headers: { Authorization: `SSWS ${args.token}`, Accept: 'application/json' },
      redirect: 'manual',
    });
    const body = await response.arrayBuffer();
    if (!response.ok) throw new Error(`fetch-only: HTTP ${response.status}`);
    pages += 1;
    bytes += body.byteLength;
    if (body.byteLength <= 2) break; // "[]": caught up, as a short page ends the collector's run
    next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
  }
  return { pages, bytes, wallMs: performance.now() - t0, cpuMs: cpuBetween(cpu0, process.cpuUsage()) };
}

serve({
  load: async (modulePath: string) => {
    const t0 = performance.now();
    handler = ((await import(pathToFileURL(modulePath).href)) as { handler: Handler }).handler;
    return { importMs: performance.now() - t0, maxRssKb: process.resourceUsage().maxRSS };
  },
  invoke,
  fetchOnly,
});
