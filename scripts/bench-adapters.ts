/**
 * Micro-benchmark of the adapters' CPU per page: parsing a 1,000-event Okta page (~2 KB events) and gzipping
 * ~1 MB of NDJSON at several zlib levels. CPU is `process.cpuUsage()` (all threads, so zlib's thread-pool
 * work counts), median of several runs after warm-up.
 *
 *   npx tsx scripts/bench-adapters.ts
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCallback, constants } from 'node:zlib';
import { readJsonObjectArray } from '../lambda/adapters/http/json-object-array.js';
import { OktaLogSource } from '../lambda/adapters/okta/okta-log-source.js';
import { SumoHttpSink } from '../lambda/adapters/sumo/sumo-http-sink.js';
import { toBatches } from '../lambda/core/batcher.js';

const gzip = promisify(gzipCallback);

/** An event shaped like Okta's (fields from the Sumo App for Okta's sample), about 2 KB. */
export function sampleEvent(i: number): Record<string, unknown> {
  const published = new Date(Date.UTC(2026, 0, 1) + i * 731).toISOString();
  const ip = `203.0.${i % 250}.${(i * 7) % 250}`;
  return {
    actor: {
      id: `00u${randomUUID().replace(/-/g, '').slice(0, 17)}`,
      type: 'User',
      alternateId: `user${i % 500}@example.com`,
      displayName: `User Number ${i % 500}`,
      detailEntry: null,
    },
    client: {
      userAgent: {
        rawUserAgent:
          'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
        os: 'Mac OS X',
        browser: 'CHROME',
      },
      zone: 'null',
      device: 'Computer',
      id: null,
      ipAddress: ip,
      geographicalContext: {
        city: 'San Francisco',
        state: 'California',
        country: 'United States',
        postalCode: '94107',
        geolocation: { lat: 37.7697 + (i % 10) / 1000, lon: -122.3933 },
      },
    },
    device: null,
    authenticationContext: {
      authenticationProvider: null,
      credentialProvider: null,
      credentialType: null,
      issuer: null,
      interface: null,
      authenticationStep: 0,
      rootSessionId: `102${randomUUID().replace(/-/g, '').slice(0, 22)}`,
      externalSessionId: `102${randomUUID().replace(/-/g, '').slice(0, 22)}`,
    },
    displayMessage: 'User login to Okta',
    eventType: 'user.session.start',
    outcome: {
      result: i % 13 === 0 ? 'FAILURE' : 'SUCCESS',
      reason: i % 13 === 0 ? 'INVALID_CREDENTIALS' : null,
    },
    published,
    securityContext: {
      asNumber: 7922,
      asOrg: 'comcast',
      isp: 'comcast cable',
      domain: 'comcast.net',
      isProxy: false,
    },
    severity: 'INFO',
    debugContext: {
      debugData: {
        requestId: randomUUID().replace(/-/g, ''),
        dtHash: randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, ''),
        requestUri: '/idp/idx/authenticators/poll',
        threatSuspected: 'false',
        url: `/idp/idx/authenticators/poll?stateHandle=${randomUUID()}`,
        behaviors:
          '{New Geo-Location=NEGATIVE, New Device=NEGATIVE, New IP=NEGATIVE, New State=NEGATIVE, New Country=NEGATIVE, Velocity=NEGATIVE, New City=NEGATIVE}',
        risk: '{reasons=Anomalous Device, level=LOW}',
      },
    },
    legacyEventType: 'core.user_auth.login_success',
    transaction: { type: 'WEB', id: randomUUID().replace(/-/g, ''), detail: {} },
    uuid: randomUUID(),
    version: '0',
    request: {
      ipChain: [
        {
          ip,
          geographicalContext: {
            city: 'San Francisco',
            state: 'California',
            country: 'United States',
            postalCode: '94107',
            geolocation: { lat: 37.7697, lon: -122.3933 },
          },
          version: 'V4',
          source: null,
        },
      ],
    },
    target: [
      {
        id: `0oa${randomUUID().replace(/-/g, '').slice(0, 17)}`,
        type: 'AppInstance',
        alternateId: 'Okta Admin Console',
        displayName: 'Okta Admin Console',
        detailEntry: null,
      },
      {
        id: `pfd${randomUUID().replace(/-/g, '').slice(0, 17)}`,
        type: 'AuthenticatorEnrollment',
        alternateId: 'unknown',
        displayName: 'Okta Verify',
        detailEntry: null,
      },
    ],
  };
}

function cpuMs<T>(work: () => T): [number, T] {
  const before = process.cpuUsage();
  const result = work();
  const used = process.cpuUsage(before);
  return [(used.user + used.system) / 1000, result];
}

async function cpuMsAsync<T>(work: () => Promise<T>): Promise<[number, T]> {
  const before = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(before);
  return [(used.user + used.system) / 1000, result];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const RUNS = 15;
const events = Array.from({ length: 1000 }, (_, i) => sampleEvent(i));
const page = JSON.stringify(events);
const pageBytes = Buffer.byteLength(page);
console.log(
  `page: ${events.length} events, ${(pageBytes / 1000).toFixed(0)} kB, ${(pageBytes / 1000 / events.length).toFixed(2)} kB/event`,
);

const strategies: Record<string, (text: string) => number> = {
  'JSON.parse only': (text) => (JSON.parse(text) as unknown[]).length,
  'JSON.parse + JSON.stringify each (re-serialised)': (text) => {
    const parsed = JSON.parse(text) as Record<string, unknown>[];
    let total = 0;
    for (const event of parsed)
      total += JSON.stringify(event).length + (typeof event.published === 'string' ? 1 : 0);
    return total;
  },
  'readJsonObjectArray (validated, raw texts kept)': (text) => {
    const read = readJsonObjectArray(text, 'published')!;
    let total = 0;
    for (let i = 0; i < read.texts.length; i++)
      total += read.texts[i]!.length + (read.fields[i] === undefined ? 0 : 1);
    return total;
  },
  'Buffer → string (utf-8 decode of the body)': (text) => new TextDecoder().decode(Buffer.from(text)).length,
};
for (const [name, strategy] of Object.entries(strategies)) {
  for (let i = 0; i < 5; i++) strategy(page);
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(cpuMs(() => strategy(page))[0]);
  console.log(`parse  ${name.padEnd(50)} ${median(samples).toFixed(2)} ms CPU (median of ${RUNS})`);
}

// ~1 MB NDJSON, what the batcher hands the sink.
const lines: string[] = [];
let bytes = 0;
for (const event of events) {
  const line = JSON.stringify(event);
  if (bytes + line.length + 1 > 1_000_000) break;
  lines.push(line);
  bytes += line.length + 1;
}
const body = Buffer.from(lines.join('\n'));
console.log(`batch: ${lines.length} events, ${(body.length / 1000).toFixed(0)} kB`);
for (const level of [1, 2, 3, 4, 6, 9]) {
  for (let i = 0; i < 3; i++) await gzip(body, { level });
  const samples: number[] = [];
  let size = 0;
  for (let i = 0; i < RUNS; i++) {
    const [ms, out] = await cpuMsAsync(() => gzip(body, { level, strategy: constants.Z_DEFAULT_STRATEGY }));
    samples.push(ms);
    size = out.length;
  }
  console.log(
    `gzip level ${level}: ${median(samples).toFixed(2)} ms CPU, ${(size / 1000).toFixed(0)} kB (${((100 * size) / body.length).toFixed(1)} %)`,
  );
}

// End to end through the adapters against a local server in a child process (so only this process's CPU is
// counted): OktaLogSource.fetchPage for the whole page, the core's toBatches, then SumoHttpSink.send for each
// ~1 MB batch of it.
{
  const dir = mkdtempSync(join(tmpdir(), 'bench-adapters-'));
  writeFileSync(join(dir, 'page.json'), page);
  const serverScript = join(dir, 'server.cjs');
  writeFileSync(
    serverScript,
    `const page = require('fs').readFileSync(${JSON.stringify(join(dir, 'page.json'))});
     const server = require('http').createServer((req, res) => {
       req.resume();
       req.on('end', () => {
         if (req.method === 'GET') { res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': page.length }); res.end(page); }
         else { res.writeHead(200); res.end(); }
       });
     });
     server.listen(0, '127.0.0.1', () => process.send(server.address().port));
     process.on('disconnect', () => process.exit(0));`,
  );
  const child = fork(serverScript, { stdio: 'inherit' });
  const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve(m as number)));
  const origin = `http://127.0.0.1:${port}`;
  const source = new OktaLogSource({
    orgUrl: origin,
    pageLimit: 1000,
    requestTimeoutMs: 10_000,
    authorizer: {
      headersFor: () => Promise.resolve({ Authorization: 'SSWS x' }),
      onResponse: () => Promise.resolve('ok'),
    },
  });
  const url = new URL(`${origin}/receiver/v1/http/token`);
  const sink = new SumoHttpSink({
    url: { get: () => Promise.resolve(url), refresh: () => Promise.resolve(url) },
    options: { category: 'okta', name: undefined, host: undefined, fields: {} },
    requestTimeoutMs: 10_000,
  });
  const signal = new AbortController().signal;
  const fetchSamples: number[] = [];
  const batchSamples: number[] = [];
  const sendSamples: number[] = [];
  let batchCount = 0;
  for (let run = 0; run < RUNS + 5; run++) {
    const [fetchMs, fetched] = await cpuMsAsync(() =>
      source.fetchPage({ since: '2026-01-01T00:00:00Z' }, { signal }),
    );
    const [batchMs, batches] = cpuMs(() => toBatches(fetched.events));
    const [sendMs] = await cpuMsAsync(async () => {
      for (const batch of batches) await sink.send(batch, { signal });
    });
    batchCount = batches.length;
    if (run >= 5) {
      fetchSamples.push(fetchMs);
      batchSamples.push(batchMs);
      sendSamples.push(sendMs);
    }
  }
  child.disconnect();
  const total = median(fetchSamples) + median(batchSamples) + median(sendSamples);
  console.log(
    `e2e    OktaLogSource.fetchPage, 1,000 events (loopback HTTP)  ${median(fetchSamples).toFixed(2)} ms CPU`,
  );
  console.log(
    `e2e    toBatches (core)                                       ${median(batchSamples).toFixed(2)} ms CPU`,
  );
  console.log(
    `e2e    SumoHttpSink.send x ${batchCount} (gzip level 1 + POST)           ${median(sendSamples).toFixed(2)} ms CPU`,
  );
  console.log(`e2e    per page: fetch + batching + delivery                  ${total.toFixed(2)} ms CPU`);
}
