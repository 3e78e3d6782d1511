/**
 * A Sumo that refuses some batches for good, in front of the Sumo receiver: a loopback proxy that answers 413
 * to a body larger than `maxBytes` (uncompressed, as Sumo measures it) and 400 to a body containing a marker
 * string (a "poison" event), every time, and forwards every other request unchanged to the receiver. It wraps
 * any receiver without touching its internals; its URL has the receiver's path and token, so a wrong token
 * still gets the receiver's 401.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { listenOnLoopback } from './loopback-server.js';
import type { SumoReceiver } from './sumo-receiver.js';

export interface SumoRefusalRules {
  /** Bodies over this many uncompressed bytes are answered 413. @default no size limit */
  readonly maxBytes?: number;
  /** Bodies containing this string are answered 400. @default none */
  readonly poisonMarker?: string;
}

/** One refused POST. */
export interface RefusedBatch {
  readonly status: 400 | 413;
  readonly bytes: number;
  /** The uuids of the body's lines (first `"uuid":"…"` of each line). */
  readonly uuids: readonly string[];
}

export interface RefusingSumo {
  /** The HTTP Source URL to give the collector: this proxy, with the receiver's path and token. */
  readonly url: string;
  readonly refused: readonly RefusedBatch[];
  /** Refusals by status. */
  count(status: 400 | 413): number;
  /** Replaces the rules (e.g. `{}` once "the cause is fixed"). */
  setRules(rules: SumoRefusalRules): void;
  stop(): Promise<void>;
}

const UUID_SCAN = /"uuid"\s*:\s*"([^"\\]*)"/;

function decoded(encoding: string, raw: Buffer): Buffer | undefined {
  try {
    if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(raw);
    if (encoding === 'deflate') {
      try {
        return inflateSync(raw);
      } catch {
        return inflateRawSync(raw);
      }
    }
    return encoding === 'identity' ? raw : undefined;
  } catch {
    return undefined; // not ours to judge: the receiver answers an undecodable body
  }
}

/** Starts the refusing proxy in front of `receiver`. */
export async function startRefusingSumo(
  receiver: SumoReceiver,
  rules: SumoRefusalRules,
): Promise<RefusingSumo> {
  let current = rules;
  const refused: RefusedBatch[] = [];
  const target = () => new URL(receiver.url);

  const refusalOf = (raw: Buffer, encoding: string): RefusedBatch | undefined => {
    const body = decoded(encoding, raw);
    if (body === undefined) return undefined;
    const status =
      current.maxBytes !== undefined && body.length > current.maxBytes
        ? 413
        : current.poisonMarker !== undefined && body.includes(current.poisonMarker)
          ? 400
          : undefined;
    if (status === undefined) return undefined;
    const uuids = body
      .toString('utf8')
      .split('\n')
      .map((line) => UUID_SCAN.exec(line)?.[1])
      .filter((uuid): uuid is string => uuid !== undefined);
    return { status, bytes: body.length, uuids };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const to = target();
    const path = new URL(req.url ?? '/', to.origin).pathname;
    const encoding =
      String(req.headers['content-encoding'] ?? 'identity')
        .trim()
        .toLowerCase() || 'identity';
    // Only a POST Sumo would take (the right path and token) can be refused for its content.
    const refusal = req.method === 'POST' && path === to.pathname ? refusalOf(raw, encoding) : undefined;
    if (refusal !== undefined) {
      refused.push(refusal);
      const message =
        refusal.status === 413 ? 'Request entity too large' : 'Bad request: the content was refused';
      const body = JSON.stringify({ code: `http.${refusal.status}`, message });
      res.writeHead(refusal.status, {
        'content-type': 'application/json',
        'content-length': String(body.length),
      });
      res.end(body);
      return;
    }
    await forward(req, raw, to, res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('refusing sumo: request failed', error);
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
  });
  const listening = await listenOnLoopback(server);
  return {
    get url() {
      return `${listening.url}${target().pathname}`;
    },
    refused,
    count: (status) => refused.filter((batch) => batch.status === status).length,
    setRules: (next) => {
      current = next;
    },
    stop: listening.close,
  };
}

/** Sends the request on to the receiver as it came, and its answer back (a reset stays a reset). */
function forward(req: IncomingMessage, body: Buffer, to: URL, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const upstream = httpRequest(
      {
        host: to.hostname,
        port: to.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: to.host, 'content-length': String(body.length) },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', resolve);
        answer.on('error', () => {
          res.destroy();
          resolve();
        });
      },
    );
    // A client that gives up (a receiver told to hang) must not leave the upstream request open.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.on('error', () => {
      res.destroy();
      resolve();
    });
    // Ours to undo: `transfer-encoding` from the client must not travel with a fixed content-length.
    upstream.removeHeader('transfer-encoding');
    upstream.end(body);
  });
}
