/**
 * Client CPU of the HTTP clients the collector could use, in a plain node process with Lambda's 256 MB heap
 * flags: the global fetch (undici's WHATWG layer), undici's `request`, and the node:http client compose wires
 * (lambda/adapters/http/node-http-fetch.ts). Per GET of one real 1,000-event page and per POST of a gzip level-1
 * ~1 MB batch, each read to the end; the servers run in other processes, so this is the client's CPU alone.
 */
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { Agent, request } from 'undici';
import { createNodeHttpFetch } from '../../lambda/adapters/http/node-http-fetch.js';
import { cpuBetween, serve } from './ipc.js';

const gzip = promisify(gzipCallback);

export interface ClientCpu {
  readonly client: string;
  readonly getMs: number;
  readonly postMs: number;
}

export interface HttpClientsResult {
  readonly pageBytes: number;
  readonly postBytes: number;
  readonly clients: readonly ClientCpu[];
}

type Call = () => Promise<number>;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

async function measure(args: { pageUrl: string; token: string; sumoUrl: string; reps: number }) {
  const nodeFetch = createNodeHttpFetch();
  const dispatcher = new Agent({ keepAliveTimeout: 4000 });
  const getHeaders = { Accept: 'application/json', Authorization: `SSWS ${args.token}` };
  const page = Buffer.from(await (await fetch(args.pageUrl, { headers: getHeaders })).arrayBuffer());
  const body = await gzip(page.subarray(0, Math.min(page.length, 1_000_000)), { level: 1 });
  const postHeaders = { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Encoding': 'gzip' };
  const viaFetch = (f: typeof fetch): { get: Call; post: Call } => ({
    get: async () =>
      (await f(args.pageUrl, { headers: getHeaders, redirect: 'manual' }).then((r) => r.arrayBuffer()))
        .byteLength,
    post: async () => {
      const r = await f(args.sumoUrl, { method: 'POST', headers: postHeaders, body, redirect: 'manual' });
      await r.arrayBuffer();
      return r.status;
    },
  });
  const clients: Record<string, { get: Call; post: Call }> = {
    'global fetch': viaFetch(fetch),
    'undici.request': {
      get: async () =>
        (await (await request(args.pageUrl, { dispatcher, headers: getHeaders })).body.arrayBuffer())
          .byteLength,
      post: async () => {
        const r = await request(args.sumoUrl, { dispatcher, method: 'POST', headers: postHeaders, body });
        await r.body.arrayBuffer();
        return r.statusCode;
      },
    },
    'node:http client (wired)': viaFetch(nodeFetch),
  };
  const samples = new Map<string, number[]>();
  // Interleaved rounds, so a noisy moment on the shared machine hits every client alike.
  for (let round = 0; round < 5; round++) {
    for (const [name, client] of Object.entries(clients)) {
      for (const kind of ['get', 'post'] as const) {
        if (round === 0) for (let i = 0; i < 3; i++) await client[kind]();
        const before = process.cpuUsage();
        for (let i = 0; i < args.reps; i++) await client[kind]();
        const key = `${name}/${kind}`;
        samples.set(key, [...(samples.get(key) ?? []), cpuBetween(before, process.cpuUsage()) / args.reps]);
      }
    }
  }
  await dispatcher.close();
  return {
    pageBytes: page.length,
    postBytes: body.length,
    clients: Object.keys(clients).map((client) => ({
      client,
      getMs: median(samples.get(`${client}/get`)!),
      postMs: median(samples.get(`${client}/post`)!),
    })),
  } satisfies HttpClientsResult;
}

serve({ measure });
