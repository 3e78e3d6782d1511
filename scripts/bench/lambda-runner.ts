/**
 * A Lambda-like process for the collector: plain `node` (no tsx, whose loader alone adds ~35 MB of RSS), the
 * bundle `cdk synth` builds, Lambda's heap flags for 256 MB, and the handler invoked on command. The handler's
 * JSON log lines (stdout, and warnings on stderr) are counted, as CloudWatch would ingest them, and dropped.
 * It also runs the fetch-only bound: plain fetch following `next`, reading each body, posting nothing.
 * Written to .bench/ as an .mjs file at run time; it speaks the protocol of ./ipc.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SOURCE = `
import { randomUUID } from 'node:crypto';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const logs = { bytes: 0, lines: 0 };
const count = (stream, passThrough) => {
  const original = stream.write.bind(stream);
  stream.write = (chunk, ...rest) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (!passThrough || text.startsWith('{')) {
      logs.bytes += Buffer.byteLength(text);
      logs.lines += 1;
      return true;
    }
    return original(chunk, ...rest);
  };
};
count(process.stdout, false);
count(process.stderr, true);

const cpuMs = (a, b) => (b.user - a.user + b.system - a.system) / 1000;
// V8's garbage collections as the main thread saw them (pauses; concurrent marking runs on helper threads).
const gc = { ms: 0, count: 0, major: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gc.ms += entry.duration;
    gc.count += 1;
    if (entry.detail?.kind === 2 || entry.detail?.kind === 4) gc.major += 1; // MAJOR or INCREMENTAL
  }
}).observe({ entryTypes: ['gc'] });
let handler;

const commands = {
  usage: () => ({ cpu: process.cpuUsage(), maxRssKb: process.resourceUsage().maxRSS, uptimeMs: performance.now() }),
  exit: () => { setImmediate(() => process.exit(0)); return true; },
  load: async (modulePath) => {
    const t0 = performance.now();
    handler = (await import(pathToFileURL(modulePath).href)).handler;
    return { importMs: performance.now() - t0, maxRssKb: process.resourceUsage().maxRSS };
  },
  invoke: async ({ remainingMs = 900000, sampleMemory = false } = {}) => {
    const deadline = Date.now() + remainingMs;
    const context = { awsRequestId: randomUUID(), functionName: 'okta-sumo-collector-bench', memoryLimitInMB: '256', getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
    const before = { ...logs };
    const gcBefore = { ...gc };
    // Where the memory is at its highest: JS heap or Buffers/ArrayBuffers (external), sampled every 5 ms.
    const peak = { rss: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
    const sample = () => {
      const m = process.memoryUsage();
      if (m.rss > peak.rss) Object.assign(peak, { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers });
    };
    const sampler = sampleMemory ? setInterval(sample, 5) : undefined;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const summary = await handler({}, context).finally(() => clearInterval(sampler));
    if (!sampleMemory) sample();
    const wallMs = performance.now() - t0;
    return {
      memoryAtPeakMb: { rss: peak.rss / 1e6, heapUsed: peak.heapUsed / 1e6, external: peak.external / 1e6, arrayBuffers: peak.arrayBuffers / 1e6 },
      wallMs,
      cpuMs: cpuMs(cpu0, process.cpuUsage()),
      summary,
      gc: { ms: gc.ms - gcBefore.ms, count: gc.count - gcBefore.count, major: gc.major - gcBefore.major },
      logBytes: logs.bytes - before.bytes,
      logLines: logs.lines - before.lines,
      maxRssKb: process.resourceUsage().maxRSS,
      heapUsedMb: process.memoryUsage().heapUsed / 1e6,
    };
  },
  fetchOnly: async ({ url, token }) => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let next = url;
    let pages = 0;
    let bytes = 0;
    while (next) {
      const response = await fetch(next, { headers: { Authorization: 'SSWS ' + token, Accept: 'application/json' } });
      const body = await response.arrayBuffer();
      if (!response.ok) throw new Error('fetch-only: HTTP ' + response.status);
      pages += 1;
      bytes += body.byteLength;
      if (body.byteLength <= 2) break; // "[]": caught up, as a short page ends the collector's run
      next = /<([^>]+)>;\\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
    }
    return { pages, bytes, wallMs: performance.now() - t0, cpuMs: cpuMs(cpu0, process.cpuUsage()) };
  },
};

process.on('message', async ({ id, cmd, args }) => {
  try {
    process.send({ id, ok: true, result: await commands[cmd](args) });
  } catch (error) {
    process.send({ id, ok: false, error: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ id: 0, ok: true, result: 'ready' });
`;

/** Writes the runner into `dir` and returns its path. */
export function writeLambdaRunner(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'lambda-runner.mjs');
  writeFileSync(path, SOURCE);
  return path;
}
