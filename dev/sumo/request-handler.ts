/**
 * One request to the Sumo receiver, answered as an HTTP Logs Source would: 404 off the receiver path, 401 for
 * a wrong token, 405 for anything but POST, 400 for a body that cannot be decoded; otherwise the next
 * programmed fault (429, 5xx, 408, a reset, a slow answer, "accept but drop", no answer) or 200. Every POST
 * with the right token is recorded as a `SumoBatch`, whatever the answer.
 */
import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pause, type FaultPlan } from '../faults.js';
import { decode, messagesOf, uuidOf } from './body.js';
import type { ReceivedLines } from './received-lines.js';
import {
  RECEIVER_PREFIX,
  SUMO_MAX_MESSAGE_BYTES,
  type SumoBatch,
  type SumoFault,
  type SumoReceiverCounters,
} from './types.js';

/** What the handler reads and records; owned by `startSumoReceiver`. */
export interface ReceiverState {
  /** The token in the URL path (changes when the URL is regenerated). */
  token: string;
  readonly origin: () => string;
  readonly maxBatchBytes: number;
  readonly keepLines: boolean;
  readonly parse: 'json' | 'scan';
  readonly now: () => number;
  readonly faults: FaultPlan<SumoFault>;
  readonly batches: SumoBatch[];
  readonly received: ReceivedLines;
  readonly counters: SumoReceiverCounters;
  /** Aborted when the receiver stops: a slow answer stops waiting. */
  readonly stopping: AbortSignal;
}

/** Answers one request (see the module comment). */
export async function handleSumoRequest(
  state: ReceiverState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { counters } = state;
  counters.requests += 1;
  const path = new URL(req.url ?? '/', state.origin()).pathname;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);

  if (!path.startsWith(RECEIVER_PREFIX) || path.length === RECEIVER_PREFIX.length) {
    counters.notFound += 1;
    return answer(res, 404, 'Not found');
  }
  if (path.slice(RECEIVER_PREFIX.length) !== state.token) {
    counters.unauthorized += 1;
    return answer(res, 401, 'Unauthorized');
  }
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return answer(res, 405, 'Method not allowed');
  }

  const { batch, messages } = recordBatch(state, req, raw);
  if (messages === undefined) {
    batch.status = 400;
    counters.rejected += 1;
    return answer(res, 400, `Could not decode a body with Content-Encoding ${batch.encoding}`);
  }

  const fault = state.faults.next();
  if (fault !== undefined && fault.kind !== 'pass') batch.fault = fault.kind;
  switch (fault?.kind) {
    case 'status':
      if (fault.ingest === true) ingest(state, batch, messages);
      batch.status = fault.status;
      counters.rejected += 1;
      return answer(
        res,
        fault.status,
        fault.status === 429 ? 'Too many requests: data will be dropped, re-send it' : `HTTP ${fault.status}`,
      );
    case 'reset':
      if (fault.ingest === true) ingest(state, batch, messages);
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
      await pause(fault.delayMs, state.stopping);
      if (state.stopping.aborted) return;
      break;
    default:
      break;
  }
  ingest(state, batch, messages);
  batch.status = 200;
  counters.accepted += 1;
  answer(res, 200);
}

/** Sumo's JSON error answer (`{"id","code","message"}`), or an empty 200. */
export function answer(res: ServerResponse, status: number, message?: string): void {
  const body =
    message === undefined
      ? ''
      : JSON.stringify({ id: randomBytes(5).toString('hex').toUpperCase(), code: `http.${status}`, message });
  res.writeHead(status, {
    'Content-Type': body === '' ? 'text/plain' : 'application/json',
    'Content-Length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}

/** Decodes the body and records the batch; `messages` is undefined when the body could not be decoded. */
function recordBatch(
  state: ReceiverState,
  req: IncomingMessage,
  raw: Buffer,
): { batch: SumoBatch; messages: string[] | undefined } {
  const { counters } = state;
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
  const split = decoded === undefined ? undefined : messagesOf(body);
  if (split !== undefined) counters.emptyLines += split.emptyLines;
  const batch: SumoBatch = {
    index: state.batches.length,
    time: state.now(),
    headers: req.headers,
    encoding,
    compressedBytes: raw.length,
    bytes,
    lines: split?.messages.length ?? 0,
    oversized: bytes > state.maxBatchBytes,
    status: 0,
    ingested: false,
    ...(state.keepLines ? { body } : {}),
  };
  state.batches.push(batch);
  counters.compressedBytes += raw.length;
  counters.bytes += bytes;
  if (batch.oversized) counters.oversized += 1;
  return { batch, messages: split?.messages };
}

/** Records the batch's messages as received. */
function ingest(state: ReceiverState, batch: SumoBatch, messages: readonly string[]): void {
  const { counters, received } = state;
  batch.ingested = true;
  counters.lines += messages.length;
  for (const line of messages) {
    if (Buffer.byteLength(line, 'utf8') > SUMO_MAX_MESSAGE_BYTES) counters.linesOver64KB += 1;
    const { uuid, invalid } = uuidOf(line, state.parse);
    if (invalid) counters.invalidLines += 1;
    received.record(line, batch.index, uuid);
  }
  received.notify();
}
