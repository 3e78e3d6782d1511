/**
 * The Sumo receiver's shapes: the faults it can be told to answer with, what it records per request and per
 * line, and its public interface. `dev/sumo-receiver.ts` re-exports all of it.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { FaultSchedule, FiredFault } from '../faults.js';

/** Sumo's documented maximum request size before compression ("1 MB"; taken as 1,048,576 bytes by default). */
export const SUMO_MAX_BATCH_BYTES = 1_048_576;
/** Sumo splits messages larger than 64 KB into several messages. */
export const SUMO_MAX_MESSAGE_BYTES = 65_536;

/** The path of every HTTP Source; the token follows it. */
export const RECEIVER_PREFIX = '/receiver/v1/http/';

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
