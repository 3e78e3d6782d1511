/**
 * A local stand-in for a Sumo Logic HTTP Logs Source, on a loopback node:http server.
 *
 * It accepts what Sumo documents (see /work/shared/FACTS.md): `POST /receiver/v1/http/<token>` with one message
 * per line, UTF-8, optionally `Content-Encoding: gzip` or `deflate`, and `X-Sumo-Category/Name/Host/Fields`
 * headers. A wrong token answers 401 (as after the URL was regenerated), another path 404.
 *
 * It does not hide mistakes: a request whose uncompressed body exceeds Sumo's 1 MB limit is accepted but
 * flagged (`oversized`), invalid UTF-8 and lines that are not JSON are counted, messages over 64 KB (which
 * Sumo splits) are counted. Verification helpers compare what arrived with what Okta served: `missing`,
 * `duplicates`, and `compareWith` (each line deep-equal to the served event with its uuid).
 *
 * Faults model Sumo's documented answers: 429 (throttled: the data is dropped and must be re-sent), 503/504,
 * 408 (request over 30 s, possibly partly ingested), 401, a reset connection, a slow answer, and "accept
 * but drop" (200 while an ingest budget discards the data).
 */
import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { FaultPlan, pause, type FaultSchedule, type FiredFault } from './faults.js';

/** Sumo's documented maximum request size before compression ("1 MB"; taken as 1,048,576 bytes by default). */
export const SUMO_MAX_BATCH_BYTES = 1_048_576;
/** Sumo splits messages larger than 64 KB into several messages. */
export const SUMO_MAX_MESSAGE_BYTES = 65_536;

const RECEIVER_PREFIX = '/receiver/v1/http/';

/** One programmed answer of the receiver, consumed per POST to the receiver path with the right token. */
export type SumoFault =
  /** No fault: a placeholder in a queue. */
  | { readonly kind: 'pass' }
  /**
   * Answer this status. `ingest: true` records the data as received anyway (Sumo's 408 "may be partly
   * ingested"; a client that re-sends then makes duplicates, which is allowed at-least-once). @default ingest false
   */
  | { readonly kind: 'status'; readonly status: 401 | 408 | 429 | 500 | 503 | 504; readonly ingest?: boolean }
  /** Reads the body, then destroys the connection without an answer. @default ingest false */
  | { readonly kind: 'reset'; readonly ingest?: boolean }
  /** Reads the body, waits, then accepts. */
  | { readonly kind: 'slow'; readonly delayMs: number }
  /** 200, but the data is discarded (an ingest budget stopped collection). */
  | { readonly kind: 'drop' }
  /** Reads the body and never answers. */
  | { readonly kind: 'hang' };

export type SumoFaultKind = SumoFault['kind'];

export interface SumoReceiverOptions {
  /** The token in the URL path. @default random */
  readonly token?: string;
  /** Bodies above this (uncompressed) are flagged in `oversized`. @default {@link SUMO_MAX_BATCH_BYTES} */
  readonly maxBatchBytes?: number;
  /** Keep every received line (needed by `compareWith`). Benchmarks may turn it off to save memory. @default true */
  readonly keepLines?: boolean;
  /**
   * How a line's uuid is found: `json` parses every line (and counts lines that are not JSON); `scan` finds
   * the first `"uuid":"…"` with a regular expression, cheaper for benchmarks. @default 'json'
   */
  readonly parse?: 'json' | 'scan';
  readonly faults?: FaultSchedule<SumoFault>;
  /** Local clock. @default Date.now */
  readonly now?: () => number;
}

/** One POST to the receiver path with the right token. */
export interface SumoBatch {
  readonly index: number;
  /** When the request arrived (epoch ms). */
  readonly time: number;
  readonly headers: IncomingHttpHeaders;
  /** `Content-Encoding` as sent ('identity' when none). */
  readonly encoding: string;
  readonly compressedBytes: number;
  /** Uncompressed body size in bytes (0 when it could not be decoded). */
  readonly bytes: number;
  /** Non-empty lines in the body. */
  readonly lines: number;
  /** The body exceeded `maxBatchBytes`. */
  readonly oversized: boolean;
  /** Status answered (0 when the connection was reset or never answered). */
  status: number;
  fault?: SumoFaultKind;
  /** The lines were recorded as received. */
  ingested: boolean;
  /** The decoded body (only when `keepLines`). */
  body?: string;
}

export interface ReceivedLine {
  readonly line: string;
  /** `SumoBatch.index` of the request that carried it. */
  readonly batch: number;
  readonly uuid: string | undefined;
}

export interface SumoReceiverCounters {
  requests: number;
  /** POSTs with the right token (whatever the answer). */
  batches: number;
  /** Batches answered 2xx whose data was kept. */
  accepted: number;
  /** Non-2xx answers and resets to batches. */
  rejected: number;
  /** Lines recorded as received (duplicates counted). */
  lines: number;
  /** Lines answered 200 but discarded by a `drop` fault. */
  droppedLines: number;
  bytes: number;
  compressedBytes: number;
  oversized: number;
  unauthorized: number;
  notFound: number;
  decodeErrors: number;
  invalidUtf8: number;
  /** Lines that are not a JSON object (only with `parse: 'json'`). */
  invalidLines: number;
  emptyLines: number;
  /** Lines over 64 KB: Sumo would split them into several messages. */
  linesOver64KB: number;
  /** Most requests in flight at once (Sumo asks senders to keep concurrency low). */
  maxInFlight: number;
}

export interface ContentComparison {
  /** True when nothing is missing, mismatched or unexpected. */
  readonly ok: boolean;
  /** Lines checked. */
  readonly checked: number;
  /** Expected uuids never received. */
  readonly missing: readonly string[];
  /** Lines whose object differs from the served event with the same uuid. */
  readonly mismatched: readonly { uuid: string; expected: string; received: string }[];
  /** Lines with no uuid, a uuid not expected, or that are not JSON (first 200 characters). */
  readonly unexpected: readonly string[];
  /** Received lines beyond the first per uuid. */
  readonly duplicates: number;
}

/** Anything with a uuid and the JSON Okta served: `StoredOktaEvent` fits. */
export interface ServedEvent {
  readonly uuid: string;
  readonly json: string;
}

export interface SumoReceiver {
  /** `http://127.0.0.1:<port>/receiver/v1/http/<token>`: the HTTP Source URL (a credential in real life). */
  readonly url: string;
  /** Every POST with the right token, in arrival order. */
  readonly batches: readonly SumoBatch[];
  /** Batches over `maxBatchBytes`. */
  readonly oversized: readonly SumoBatch[];
  /** Every line recorded as received (empty when `keepLines` is false). */
  readonly lines: readonly ReceivedLine[];
  /** uuid → times received. */
  readonly uuidCounts: ReadonlyMap<string, number>;
  readonly counters: Readonly<SumoReceiverCounters>;
  /** Expected uuids that never arrived, in the order given. */
  missing(expectedUuids: Iterable<string>): string[];
  /** uuids received more than once → count. */
  duplicates(): Map<string, number>;
  /** Checks every received line against the events Okta served (needs `keepLines`). */
  compareWith(expected: Iterable<ServedEvent>): ContentComparison;
  /** Resolves once `count` distinct uuids arrived; rejects after `timeoutMs`. */
  waitForEvents(count: number, timeoutMs?: number): Promise<void>;
  setFaults(schedule: FaultSchedule<SumoFault>): void;
  pushFaults(...faults: SumoFault[]): void;
  /** Faults taken from the schedule, in order (queued `pass` placeholders included). */
  readonly firedFaults: readonly FiredFault<SumoFault>[];
  /** Regenerates the source URL: the old token answers 401 from now on, as in Sumo. Returns the new URL. */
  regenerateUrl(): string;
  stop(): Promise<void>;
}

const UUID_SCAN = /"uuid"\s*:\s*"([^"\\]*)"/;

function decode(encoding: string, raw: Buffer): Buffer {
  switch (encoding) {
    case 'identity':
      return raw;
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(raw);
    case 'deflate':
      // HTTP "deflate" is meant to be zlib-wrapped, but some clients send raw deflate: accept both, as servers do.
      try {
        return inflateSync(raw);
      } catch {
        return inflateRawSync(raw);
      }
    default:
      throw new Error(`unsupported Content-Encoding ${encoding}`);
  }
}

/** Starts the receiver on 127.0.0.1 with an ephemeral port. */
export async function startSumoReceiver(options: SumoReceiverOptions = {}): Promise<SumoReceiver> {
  let token = options.token ?? randomBytes(32).toString('base64url');
  const maxBatchBytes = options.maxBatchBytes ?? SUMO_MAX_BATCH_BYTES;
  const keepLines = options.keepLines ?? true;
  const parseMode = options.parse ?? 'json';
  const now = options.now ?? Date.now;
  const faults = new FaultPlan<SumoFault>(options.faults ?? {});
  const batches: SumoBatch[] = [];
  const lines: ReceivedLine[] = [];
  const uuidCounts = new Map<string, number>();
  const counters: SumoReceiverCounters = {
    requests: 0,
    batches: 0,
    accepted: 0,
    rejected: 0,
    lines: 0,
    droppedLines: 0,
    bytes: 0,
    compressedBytes: 0,
    oversized: 0,
    unauthorized: 0,
    notFound: 0,
    decodeErrors: 0,
    invalidUtf8: 0,
    invalidLines: 0,
    emptyLines: 0,
    linesOver64KB: 0,
    maxInFlight: 0,
  };
  const waiters: { count: number; resolve: () => void }[] = [];
  const stopping = new AbortController();
  let inFlight = 0;
  let origin = '';

  function notify(): void {
    for (let i = waiters.length - 1; i >= 0; i -= 1) {
      const waiter = waiters[i]!;
      if (uuidCounts.size >= waiter.count) {
        waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  function uuidOf(line: string): string | undefined {
    if (parseMode === 'scan') return UUID_SCAN.exec(line)?.[1];
    try {
      const value: unknown = JSON.parse(line);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        const uuid = (value as { uuid?: unknown }).uuid;
        return typeof uuid === 'string' ? uuid : undefined;
      }
    } catch {
      // counted below
    }
    counters.invalidLines += 1;
    return undefined;
  }

  /** Splits a body into Sumo messages: one per line; CRLF tolerated; empty lines carry no message. */
  function messagesOf(body: string): string[] {
    const out: string[] = [];
    for (const raw of body.split('\n')) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line === '') {
        counters.emptyLines += 1;
        continue;
      }
      out.push(line);
    }
    // A trailing newline is normal, not an empty message.
    if (body.endsWith('\n')) counters.emptyLines -= 1;
    return out;
  }

  function ingest(batch: SumoBatch, messages: readonly string[]): void {
    batch.ingested = true;
    counters.lines += messages.length;
    for (const line of messages) {
      if (Buffer.byteLength(line, 'utf8') > SUMO_MAX_MESSAGE_BYTES) counters.linesOver64KB += 1;
      const uuid = uuidOf(line);
      if (uuid !== undefined) uuidCounts.set(uuid, (uuidCounts.get(uuid) ?? 0) + 1);
      if (keepLines) lines.push({ line, batch: batch.index, uuid });
    }
    notify();
  }

  function answer(res: ServerResponse, status: number, message?: string): void {
    const body =
      message === undefined
        ? ''
        : JSON.stringify({
            id: randomBytes(5).toString('hex').toUpperCase(),
            code: `http.${status}`,
            message,
          });
    res.writeHead(status, {
      'Content-Type': body === '' ? 'text/plain' : 'application/json',
      'Content-Length': String(Buffer.byteLength(body)),
    });
    res.end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    counters.requests += 1;
    const path = new URL(req.url ?? '/', origin).pathname;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);

    if (!path.startsWith(RECEIVER_PREFIX) || path.length === RECEIVER_PREFIX.length) {
      counters.notFound += 1;
      return answer(res, 404, 'Not found');
    }
    if (path.slice(RECEIVER_PREFIX.length) !== token) {
      counters.unauthorized += 1;
      return answer(res, 401, 'Unauthorized');
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return answer(res, 405, 'Method not allowed');
    }

    counters.batches += 1;
    const encoding =
      String(req.headers['content-encoding'] ?? 'identity')
        .trim()
        .toLowerCase() || 'identity';
    let decoded: Buffer | undefined;
    try {
      decoded = decode(encoding, raw);
    } catch {
      counters.decodeErrors += 1;
    }
    const bytes = decoded?.length ?? 0;
    if (decoded !== undefined && !isUtf8(decoded)) counters.invalidUtf8 += 1;
    const body = decoded?.toString('utf8') ?? '';
    const messages = decoded === undefined ? [] : messagesOf(body);
    const batch: SumoBatch = {
      index: batches.length,
      time: now(),
      headers: req.headers,
      encoding,
      compressedBytes: raw.length,
      bytes,
      lines: messages.length,
      oversized: bytes > maxBatchBytes,
      status: 0,
      ingested: false,
      ...(keepLines ? { body } : {}),
    };
    batches.push(batch);
    counters.compressedBytes += raw.length;
    counters.bytes += bytes;
    if (batch.oversized) counters.oversized += 1;
    if (decoded === undefined) {
      batch.status = 400;
      counters.rejected += 1;
      return answer(res, 400, `Could not decode a body with Content-Encoding ${encoding}`);
    }

    const fault = faults.next();
    if (fault !== undefined && fault.kind !== 'pass') batch.fault = fault.kind;
    switch (fault?.kind) {
      case 'status':
        if (fault.ingest === true) ingest(batch, messages);
        batch.status = fault.status;
        counters.rejected += 1;
        return answer(
          res,
          fault.status,
          fault.status === 429
            ? 'Too many requests: data will be dropped, re-send it'
            : `HTTP ${fault.status}`,
        );
      case 'reset':
        if (fault.ingest === true) ingest(batch, messages);
        counters.rejected += 1;
        req.socket.destroy();
        return;
      case 'hang':
        return;
      case 'drop':
        counters.droppedLines += messages.length;
        batch.status = 200;
        return answer(res, 200);
      case 'slow':
        await pause(fault.delayMs, stopping.signal);
        if (stopping.signal.aborted) return;
        break;
      default:
        break;
    }
    ingest(batch, messages);
    batch.status = 200;
    counters.accepted += 1;
    answer(res, 200);
  }

  const server = createServer((req, res) => {
    inFlight += 1;
    counters.maxInFlight = Math.max(counters.maxInFlight, inFlight);
    res.on('close', () => {
      inFlight -= 1;
    });
    handle(req, res).catch((error: unknown) => {
      console.error('sumo receiver: request failed', error);
      if (!res.headersSent) answer(res, 500, 'Internal error in the Sumo receiver');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    get url() {
      return `${origin}${RECEIVER_PREFIX}${token}`;
    },
    batches,
    get oversized() {
      return batches.filter((b) => b.oversized);
    },
    lines,
    uuidCounts,
    counters,
    missing(expectedUuids) {
      const out: string[] = [];
      for (const uuid of expectedUuids) if (!uuidCounts.has(uuid)) out.push(uuid);
      return out;
    },
    duplicates() {
      const out = new Map<string, number>();
      for (const [uuid, count] of uuidCounts) if (count > 1) out.set(uuid, count);
      return out;
    },
    compareWith(expected) {
      const served = new Map<string, { json: string; parsed?: unknown }>();
      for (const e of expected) served.set(e.uuid, { json: e.json });
      const mismatched: { uuid: string; expected: string; received: string }[] = [];
      const unexpected: string[] = [];
      const seen = new Set<string>();
      let duplicates = 0;
      for (const { line } of lines) {
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          unexpected.push(line.slice(0, 200));
          continue;
        }
        const uuid = (value as { uuid?: unknown } | null)?.uuid;
        const want = typeof uuid === 'string' ? served.get(uuid) : undefined;
        if (typeof uuid !== 'string' || want === undefined) {
          unexpected.push(line.slice(0, 200));
          continue;
        }
        if (seen.has(uuid)) duplicates += 1;
        seen.add(uuid);
        want.parsed ??= JSON.parse(want.json);
        if (!isDeepStrictEqual(value, want.parsed))
          mismatched.push({ uuid, expected: want.json, received: line });
      }
      const missing = [...served.keys()].filter((uuid) => !seen.has(uuid));
      return {
        ok: missing.length === 0 && mismatched.length === 0 && unexpected.length === 0,
        checked: lines.length,
        missing,
        mismatched,
        unexpected,
        duplicates,
      };
    },
    waitForEvents(count, timeoutMs = 10_000) {
      if (uuidCounts.size >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          const i = waiters.indexOf(waiter);
          if (i >= 0) waiters.splice(i, 1);
          reject(new Error(`sumo receiver: ${uuidCounts.size} of ${count} events after ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        waiters.push(waiter);
      });
    },
    setFaults: (schedule) => faults.set(schedule),
    pushFaults: (...more) => faults.push(...more),
    firedFaults: faults.fired,
    regenerateUrl() {
      token = randomBytes(32).toString('base64url');
      return `${origin}${RECEIVER_PREFIX}${token}`;
    },
    async stop() {
      stopping.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
