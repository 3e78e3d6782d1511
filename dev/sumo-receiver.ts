/**
 * A local stand-in for a Sumo Logic HTTP Logs Source, on a loopback node:http server. Its parts are in
 * `dev/sumo/`: shapes (`types.ts`), body decoding (`body.ts`), the request handler and its faults
 * (`request-handler.ts`), and what arrived with the checks against it (`received-lines.ts`).
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
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { FaultPlan } from './faults.js';
import { listenOnLoopback } from './loopback-server.js';
import { ReceivedLines } from './sumo/received-lines.js';
import { answer, handleSumoRequest, type ReceiverState } from './sumo/request-handler.js';
import {
  RECEIVER_PREFIX,
  SUMO_MAX_BATCH_BYTES,
  type SumoBatch,
  type SumoFault,
  type SumoReceiver,
  type SumoReceiverCounters,
  type SumoReceiverOptions,
} from './sumo/types.js';

export {
  SUMO_MAX_BATCH_BYTES,
  SUMO_MAX_MESSAGE_BYTES,
  type ContentComparison,
  type ReceivedLine,
  type ServedEvent,
  type SumoBatch,
  type SumoFault,
  type SumoFaultKind,
  type SumoReceiver,
  type SumoReceiverCounters,
  type SumoReceiverOptions,
} from './sumo/types.js';

/** Starts the receiver on 127.0.0.1 with an ephemeral port. */
export async function startSumoReceiver(options: SumoReceiverOptions = {}): Promise<SumoReceiver> {
  const batches: SumoBatch[] = [];
  const received = new ReceivedLines(options.keepLines ?? true);
  const stopping = new AbortController();
  let origin = '';
  const state: ReceiverState = {
    token: options.token ?? randomBytes(32).toString('base64url'),
    origin: () => origin,
    maxBatchBytes: options.maxBatchBytes ?? SUMO_MAX_BATCH_BYTES,
    keepLines: options.keepLines ?? true,
    parse: options.parse ?? 'json',
    now: options.now ?? Date.now,
    faults: new FaultPlan<SumoFault>(options.faults ?? {}),
    batches,
    received,
    counters: zeroCounters(),
    stopping: stopping.signal,
  };
  let inFlight = 0;
  const server = createServer((req, res) => {
    inFlight += 1;
    state.counters.maxInFlight = Math.max(state.counters.maxInFlight, inFlight);
    res.on('close', () => {
      inFlight -= 1;
    });
    handleSumoRequest(state, req, res).catch((error: unknown) => {
      console.error('sumo receiver: request failed', error);
      if (!res.headersSent) answer(res, 500, 'Internal error in the Sumo receiver');
      else res.destroy();
    });
  });
  const listening = await listenOnLoopback(server);
  origin = listening.url;

  return {
    get url() {
      return `${origin}${RECEIVER_PREFIX}${state.token}`;
    },
    batches,
    get oversized() {
      return batches.filter((b) => b.oversized);
    },
    lines: received.lines,
    uuidCounts: received.uuidCounts,
    counters: state.counters,
    missing: (expectedUuids) => received.missing(expectedUuids),
    duplicates: () => received.duplicates(),
    compareWith: (expected) => received.compareWith(expected),
    waitForEvents: (count, timeoutMs) => received.waitForEvents(count, timeoutMs),
    setFaults: (schedule) => state.faults.set(schedule),
    pushFaults: (...more) => state.faults.push(...more),
    firedFaults: state.faults.fired,
    regenerateUrl() {
      state.token = randomBytes(32).toString('base64url');
      return `${origin}${RECEIVER_PREFIX}${state.token}`;
    },
    async stop() {
      stopping.abort();
      await listening.close();
    },
  };
}

function zeroCounters(): SumoReceiverCounters {
  return {
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
}
