/**
 * A `fetch` on node:http(s) with keep-alive agents, for the two hot paths: Okta pages and Sumo POSTs.
 *
 * Why not the global `fetch`: its WHATWG layer (web streams, `Response`, body mixins) costs the collector more
 * CPU than the rest of a page's work. Measured on loopback (`npm run bench`, "HTTP client" rows; Node 20, Lambda's
 * 256 MB heap flags): a 2 MB Okta page took ~11 ms of client CPU with `fetch`, ~5 ms with undici's `request`
 * and ~5.5 ms here; a ~115 kB gzip POST ~2.4 ms, ~0.7 ms and ~0.8 ms. On a Lambda function's CPU share that is
 * 40–100 ms of wall time per page. node:http needs no dependency and nothing to load at cold start, so it is
 * used rather than undici's `request`.
 *
 * Only what the callers use: `method`, `headers`, a `Uint8Array`/string `body`, `signal`, and
 * `redirect: 'manual'` (redirects are never followed); the answer's `ok`, `status`, `url`, `headers.get`,
 * `arrayBuffer`/`bytes`/`text`/`json` and `body.cancel()`. Failures look like undici's so the adapters classify
 * them the same way: `TypeError('fetch failed', { cause })` when no answer arrived, `TypeError('terminated',
 * { cause })` when the body broke off, the signal's reason on an abort.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { promisify } from 'node:util';
import { unzip as unzipCallback } from 'node:zlib';

const unzip = promisify(unzipCallback);

/** Options of {@link createNodeHttpFetch}. */
export interface NodeHttpFetchOptions {
  /**
   * An idle connection is closed after this long (or sooner when the server's `Keep-Alive: timeout=` says so):
   * a Lambda container frozen between ticks must not wake up to a socket the far end already dropped.
   * @default 4000 (undici's default)
   */
  readonly idleTimeoutMs?: number;
}

/** The parts of `Response` this client provides (and its callers read). */
type ResponseSubset = Pick<
  Response,
  | 'ok'
  | 'status'
  | 'statusText'
  | 'url'
  | 'redirected'
  | 'headers'
  | 'bodyUsed'
  | 'arrayBuffer'
  | 'text'
  | 'json'
>;

/** Body sizes above this are read chunk by chunk instead of into one buffer sized from Content-Length. */
const MAX_PREALLOCATED_BYTES = 64 * 1024 * 1024;
/** Errors of a reused keep-alive socket that the server closed meanwhile: the request never reached it. */
const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE']);

/** A fetch-compatible function backed by node:http(s) agents that keep connections alive. */
export function createNodeHttpFetch(options: NodeHttpFetchOptions = {}): typeof fetch {
  const timeout = options.idleTimeoutMs ?? 4000;
  const agents = {
    'http:': new HttpAgent({ keepAlive: true, timeout }),
    'https:': new HttpsAgent({ keepAlive: true, timeout }),
  };
  const nodeFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    if (typeof input !== 'string' && !(input instanceof URL))
      throw new TypeError('createNodeHttpFetch: pass the URL as a string or URL, not a Request');
    if (init.redirect !== 'manual')
      throw new TypeError("createNodeHttpFetch follows no redirects: pass redirect: 'manual'");
    const url = new URL(input);
    const agent =
      url.protocol === 'https:' ? agents['https:'] : url.protocol === 'http:' ? agents['http:'] : undefined;
    if (agent === undefined) throw new TypeError(`createNodeHttpFetch: unsupported scheme ${url.protocol}`);
    const body = requestBody(init.body);
    const headers = requestHeaders(init.headers, body);
    const signal = init.signal ?? undefined;
    signal?.throwIfAborted();
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await send(url, agent, init.method ?? 'GET', headers, body, signal);
        return response as ResponseSubset as Response; // the subset above; see the module comment
      } catch (error) {
        if (error instanceof StaleSocketError && attempt === 1) continue;
        throw error instanceof StaleSocketError ? error.failure : error;
      }
    }
  };
  return nodeFetch;
}

/** A reused socket failed before any answer: sent again once on a fresh connection. */
class StaleSocketError extends Error {
  public constructor(public readonly failure: TypeError) {
    super('stale keep-alive socket', { cause: failure });
    this.name = 'StaleSocketError';
  }
}

function requestBody(body: RequestInit['body']): Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return body;
  throw new TypeError('createNodeHttpFetch: the body must be a Uint8Array or a string');
}

function requestHeaders(init: RequestInit['headers'], body: Uint8Array | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of new Headers(init)) headers[name] = value;
  // As fetch does: ask for compression (Okta's 2 MB pages shrink ~10×), decoded below on zlib's pool.
  headers['accept-encoding'] ??= 'gzip, deflate';
  if (body !== undefined) headers['content-length'] = String(body.length);
  return headers;
}

function send(
  url: URL,
  agent: HttpAgent,
  method: string,
  headers: Record<string, string>,
  body: Uint8Array | undefined,
  signal: AbortSignal | undefined,
): Promise<NodeHttpResponse> {
  return new Promise<NodeHttpResponse>((resolve, reject) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method, headers, agent });
    const onAbort = (): void => {
      request.destroy();
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- as fetch: the signal's own reason
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const release = (): void => signal?.removeEventListener('abort', onAbort);
    request.once('error', (error: NodeJS.ErrnoException) => {
      release();
      const failure = new TypeError('fetch failed', { cause: error });
      const stale = request.reusedSocket && STALE_SOCKET_CODES.has(error.code ?? '');
      reject(stale ? new StaleSocketError(failure) : failure);
    });
    request.once('response', (incoming: IncomingMessage) => {
      release();
      resolve(new NodeHttpResponse(url, incoming, signal));
    });
    request.end(body);
  });
}

class NodeHttpResponse implements ResponseSubset {
  public readonly ok: boolean;
  public readonly status: number;
  public readonly statusText: string;
  public readonly url: string;
  public readonly redirected = false;
  public readonly headers = new Headers();
  public readonly body: { cancel(): Promise<void> };
  private readonly content: Promise<Buffer>;
  private used = false;

  public constructor(
    url: URL,
    private readonly incoming: IncomingMessage,
    signal: AbortSignal | undefined,
  ) {
    this.status = incoming.statusCode ?? 0;
    this.ok = this.status >= 200 && this.status < 300;
    this.statusText = incoming.statusMessage ?? '';
    this.url = url.href;
    const raw = incoming.rawHeaders;
    // Appended one by one: repeated headers (Okta may send two `Link`s) are joined by ", " as fetch does.
    for (let i = 0; i + 1 < raw.length; i += 2) this.headers.append(raw[i]!, raw[i + 1]!);
    this.content = readBody(incoming, signal);
    this.content.catch(() => undefined); // a body nobody reads may fail without an unhandled rejection
    this.body = { cancel: () => Promise.resolve(void incoming.destroy()) };
  }

  public get bodyUsed(): boolean {
    return this.used;
  }

  /** The whole body, decompressed; an ArrayBuffer of exactly its bytes. */
  public async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.bytes();
    return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      ? (bytes.buffer as ArrayBuffer)
      : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  }

  public async bytes(): Promise<Buffer> {
    if (this.used) throw new TypeError('the response body was already read');
    this.used = true;
    const encoding = (this.incoming.headers['content-encoding'] ?? '').trim().toLowerCase();
    const raw = await this.content;
    if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate') {
      try {
        return await unzip(raw);
      } catch (error) {
        throw new TypeError('terminated', { cause: error });
      }
    }
    return raw;
  }

  public async text(): Promise<string> {
    return (await this.bytes()).toString('utf8');
  }

  public async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }
}

/** Reads the body as it arrives (so the answer is ready when asked for), into one buffer when its size is known. */
function readBody(incoming: IncomingMessage, signal: AbortSignal | undefined): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const declared = Number(incoming.headers['content-length']);
    const sized = Number.isSafeInteger(declared) && declared >= 0 && declared <= MAX_PREALLOCATED_BYTES;
    const whole = sized ? Buffer.allocUnsafeSlow(declared) : undefined;
    const chunks: Buffer[] = [];
    let received = 0;
    const onAbort = (): void => {
      incoming.destroy();
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- as fetch: the signal's own reason
      reject(signal?.reason);
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = (): void => signal?.removeEventListener('abort', onAbort);
    incoming.on('data', (chunk: Buffer) => {
      if (whole !== undefined && received + chunk.length <= whole.length) whole.set(chunk, received);
      else chunks.push(chunk);
      received += chunk.length;
    });
    incoming.once('end', () => {
      done();
      if (whole !== undefined && received === whole.length) return resolve(whole);
      if (whole !== undefined) chunks.unshift(whole.subarray(0, Math.min(received, whole.length)));
      resolve(Buffer.concat(chunks, received));
    });
    incoming.once('error', (error) => {
      done();
      reject(new TypeError('terminated', { cause: error }));
    });
    incoming.once('close', () => {
      if (incoming.complete) return;
      done();
      reject(
        new TypeError('terminated', {
          cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
        }),
      );
    });
  });
}
