/**
 * The collector from source, through tsx: the per-stage micro-benchmarks (the adapters' own parse, the core's
 * batcher, zlib) and a V8 CPU profile of an invocation of lambda/handler.ts, whose function names are readable
 * (the bundle is minified). CPU, RSS and throughput figures come from ./lambda-runner.ts instead (plain node).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { cpuBetween, serve } from './ipc.js';
import { startProfiling, stopProfiling } from './profile.js';
import { readJsonObjectArray } from '../../lambda/adapters/http/json-object-array.js';
import { toBatches } from '../../lambda/core/batcher.js';
import type { OktaEvent } from '../../lambda/core/ports.js';
import { ServedEvent } from '../../lambda/core/served-event.js';

const gzip = promisify(gzipCallback);

const logs = { bytes: 0, lines: 0 };
process.stdout.write = (chunk: string | Uint8Array): boolean => {
  logs.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
  logs.lines += 1;
  return true;
};

type Handler = (event: unknown, context: unknown) => Promise<Record<string, unknown>>;
let handler: Handler | undefined;

export interface InvokeResult {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly summary: Record<string, unknown>;
  readonly logBytes: number;
  readonly logLines: number;
  readonly maxRssKb: number;
  readonly heapUsedMb: number;
  /** Plain-node runner only: process.memoryUsage() when RSS peaked (MB). */
  readonly memoryAtPeakMb?: { rss: number; heapUsed: number; external: number; arrayBuffers: number };
  /** Plain-node runner only: V8 garbage collections during the invocation (main-thread pause time). */
  readonly gc?: { ms: number; count: number; major: number };
}

async function invoke(remainingMs = 900_000): Promise<InvokeResult> {
  if (!handler) throw new Error('load the handler first');
  const deadline = Date.now() + remainingMs;
  const context = {
    awsRequestId: randomUUID(),
    functionName: 'okta-sumo-collector-bench',
    memoryLimitInMB: '256',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  const before = { logBytes: logs.bytes, logLines: logs.lines };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const summary = await handler({}, context);
  const wallMs = performance.now() - t0;
  const cpuMs = cpuBetween(cpu0, process.cpuUsage());
  return {
    wallMs,
    cpuMs,
    summary,
    logBytes: logs.bytes - before.logBytes,
    logLines: logs.lines - before.logLines,
    maxRssKb: process.resourceUsage().maxRSS,
    heapUsedMb: process.memoryUsage().heapUsed / 1e6,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function cpuOf(reps: number, work: () => unknown): Promise<number> {
  for (let i = 0; i < 3; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const before = process.cpuUsage();
    await work();
    samples.push(cpuBetween(before, process.cpuUsage()));
  }
  return median(samples);
}

/** What {@link micro} measured: CPU (ms) of each stage on one page, medians of repetitions. */
export interface MicroResult {
  readonly pageBytes: number;
  readonly events: number;
  readonly batches: number;
  readonly batchBytes: number[];
  readonly parseMs: number;
  readonly jsonParseMs: number;
  readonly jsonParseStringifyMs: number;
  readonly batchMs: number;
  readonly gzip1Ms: number;
  readonly gzip6Ms: number;
  readonly gzip1Bytes: number;
  readonly gzip6Bytes: number;
}

/** CPU of each stage of the per-page path, on one real page of the simulator (the adapters' own functions). */
async function micro(args: { url: string; token: string; reps: number }): Promise<MicroResult> {
  const response = await fetch(args.url, { headers: { Authorization: `SSWS ${args.token}` } });
  const raw = Buffer.from(await response.arrayBuffer());
  const text = raw.toString('utf8');
  const toEvents = (): OktaEvent[] => {
    const read = readJsonObjectArray(raw, 'published')!;
    return read.elements.map((bytes, k) => new ServedEvent(bytes, read.fields[k]));
  };
  const events = toEvents();
  const batches = toBatches(events);
  const reps = args.reps;
  return {
    pageBytes: raw.length,
    events: events.length,
    batches: batches.length,
    batchBytes: batches.map((b) => b.bytes),
    parseMs: await cpuOf(reps, toEvents),
    jsonParseMs: await cpuOf(reps, () => JSON.parse(text) as unknown),
    jsonParseStringifyMs: await cpuOf(reps, () =>
      (JSON.parse(text) as unknown[]).map((e) => JSON.stringify(e)),
    ),
    batchMs: await cpuOf(reps, () => toBatches(events)),
    gzip1Ms: await cpuOf(reps, async () => {
      for (const batch of batches) await gzip(batch.body, { level: 1 });
    }),
    gzip6Ms: await cpuOf(reps, async () => {
      for (const batch of batches) await gzip(batch.body, { level: 6 });
    }),
    gzip1Bytes: (await Promise.all(batches.map((b) => gzip(b.body, { level: 1 })))).reduce(
      (s, z) => s + z.length,
      0,
    ),
    gzip6Bytes: (await Promise.all(batches.map((b) => gzip(b.body, { level: 6 })))).reduce(
      (s, z) => s + z.length,
      0,
    ),
  };
}

serve({
  load: async (modulePath: string) => {
    const t0 = performance.now();
    const module = (await import(pathToFileURL(modulePath).href)) as { handler: Handler };
    handler = module.handler;
    return { importMs: performance.now() - t0, maxRssKb: process.resourceUsage().maxRSS };
  },
  invoke: (remainingMs?: number) => invoke(remainingMs),
  micro,
  startProfiling,
  stopProfiling: (top?: number) => stopProfiling(top),
});
