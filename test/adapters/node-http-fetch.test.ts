import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { listenOnLoopback, type Listening } from '../../dev/loopback-server.js';
import { createNodeHttpFetch } from '../../lambda/adapters/http/node-http-fetch.js';
import { failureCode, isNetworkFailure } from '../../lambda/adapters/http/network-failure.js';
import { OktaLogSource } from '../../lambda/adapters/okta/okta-log-source.js';
import { OktaApiError, RateLimitedError } from '../../lambda/core/errors.js';
import { failureOf } from '../support/failures.js';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
  readonly socket: Socket;
}

type Answer = (seen: Seen, res: ServerResponse, index: number) => void;

let listening: Listening | undefined;
afterEach(async () => {
  await listening?.close();
  listening = undefined;
});

/** A node:http server that records each request (with its socket) and answers through `answer`. */
async function serve(answer: Answer): Promise<{ origin: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
        socket: req.socket,
      };
      seen.push(entry);
      answer(entry, res, seen.length - 1);
    });
  });
  listening = await listenOnLoopback(server);
  return { origin: listening.url, seen };
}

const signal = (): AbortSignal => new AbortController().signal;
const PAGE = Buffer.from(`[${Array.from({ length: 3000 }, (_, i) => `{"uuid":"u${i}","n":-0}`).join(',')}]`);

describe('createNodeHttpFetch', () => {
  it('reads a GET answer: status, every Link header joined as fetch joins them, the exact body bytes', async () => {
    // Prepare
    const local = await serve((_seen, res) => {
      res.writeHead(200, {
        'Content-Type': 'application/json',
        Link: ['<a>; rel="self"', '<b>; rel="next"'],
      });
      res.end(PAGE);
    });
    const client = createNodeHttpFetch();

    // Act
    const response = await client(`${local.origin}/api/v1/logs?limit=3`, {
      headers: { Accept: 'application/json', Authorization: 'SSWS t' },
      signal: signal(),
      redirect: 'manual',
    });
    const body = Buffer.from(await response.arrayBuffer());

    // Assess
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.url).toBe(`${local.origin}/api/v1/logs?limit=3`);
    expect(response.headers.get('link')).toBe('<a>; rel="self", <b>; rel="next"');
    expect(body.equals(PAGE)).toBe(true);
    expect(local.seen[0]!.headers['authorization']).toBe('SSWS t');
    expect(local.seen[0]!.headers['accept-encoding']).toBe('gzip, deflate');
  });

  it('POSTs a Buffer body with its Content-Length (no chunked encoding) and the given method and headers', async () => {
    // Prepare
    const local = await serve((_seen, res) => {
      res.writeHead(204);
      res.end();
    });
    const body = gzipSync(PAGE);

    // Act
    const response = await createNodeHttpFetch()(new URL(`${local.origin}/receiver`), {
      method: 'POST',
      headers: { 'Content-Encoding': 'gzip', 'X-Sumo-Category': 'okta' },
      body,
      signal: signal(),
      redirect: 'manual',
    });
    await response.arrayBuffer();

    // Assess
    const seen = local.seen[0]!;
    expect(response.status).toBe(204);
    expect(seen.method).toBe('POST');
    expect(seen.body.equals(body)).toBe(true);
    expect(seen.headers['content-length']).toBe(String(body.length));
    expect(seen.headers['transfer-encoding']).toBeUndefined();
    expect(seen.headers['x-sumo-category']).toBe('okta');
  });

  it('decodes a gzip-encoded answer', async () => {
    // Prepare
    const local = await serve((_seen, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip' });
      res.end(gzipSync(PAGE));
    });

    // Act
    const response = await createNodeHttpFetch()(local.origin, { signal: signal(), redirect: 'manual' });

    // Assess
    expect(Buffer.from(await response.arrayBuffer()).equals(PAGE)).toBe(true);
  });

  it('keeps the connection alive between requests', async () => {
    // Prepare
    const local = await serve((_seen, res) => res.end('ok'));
    const client = createNodeHttpFetch();

    // Act
    for (let i = 0; i < 3; i++)
      await (await client(local.origin, { signal: signal(), redirect: 'manual' })).text();

    // Assess
    expect(new Set(local.seen.map((s) => s.socket)).size).toBe(1);
  });

  it('sends a request again on a fresh connection when the kept-alive one was closed under it', async () => {
    // Prepare: the second request arrives on the reused socket, which the server then drops unanswered
    const local = await serve((seen, res, index) =>
      index === 1 ? seen.socket.destroy() : res.end(`#${index}`),
    );
    const client = createNodeHttpFetch();
    await (await client(local.origin, { signal: signal(), redirect: 'manual' })).text();

    // Act
    const text = await (await client(local.origin, { signal: signal(), redirect: 'manual' })).text();

    // Assess
    expect(text).toBe('#2');
    expect(local.seen[2]!.socket).not.toBe(local.seen[1]!.socket);
  });

  it('fails as fetch does when nothing answers: TypeError with the system error as cause', async () => {
    // Prepare: a port that was just freed
    const local = await serve((_seen, res) => res.end());
    await listening!.close();

    // Act
    const error = await failureOf(
      createNodeHttpFetch()(local.origin, { signal: signal(), redirect: 'manual' }),
    );

    // Assess
    expect(error).toBeInstanceOf(TypeError);
    expect(isNetworkFailure(error)).toBe(true);
    expect(failureCode(error)).toBe('ECONNREFUSED');
  });

  it('fails reading a body that breaks off, as a network failure', async () => {
    // Prepare: Content-Length promises more than is sent
    const local = await serve((seen, res) => {
      res.writeHead(200, { 'Content-Length': String(PAGE.length) });
      res.write(PAGE.subarray(0, 100), () => seen.socket.destroy());
    });
    const response = await createNodeHttpFetch()(local.origin, { signal: signal(), redirect: 'manual' });

    // Act
    const error = await failureOf(response.arrayBuffer());

    // Assess
    expect(error).toBeInstanceOf(TypeError);
    expect(isNetworkFailure(error)).toBe(true);
  });

  it("rejects with the signal's reason when aborted before the answer and while the body streams", async () => {
    // Prepare: one request never answered, one whose body stalls after its headers
    const local = await serve((_seen, res, index) => {
      if (index === 1) {
        res.writeHead(200, { 'Content-Length': '1000' });
        res.write('[');
      }
    });
    const client = createNodeHttpFetch();
    const early = new AbortController();
    const late = new AbortController();
    const reasons = [new Error('deadline'), new Error('shutdown')];

    // Act
    const pending = client(local.origin, { signal: early.signal, redirect: 'manual' });
    setTimeout(() => early.abort(reasons[0]), 20);
    const first = await failureOf(pending);
    const response = await client(local.origin, { signal: late.signal, redirect: 'manual' });
    const body = response.arrayBuffer();
    late.abort(reasons[1]);
    const second = await failureOf(body);

    // Assess
    expect(first).toBe(reasons[0]);
    expect(second).toBe(reasons[1]);
  });

  it('refuses to be asked to follow redirects, which it never does', async () => {
    // Act
    const error = await failureOf(createNodeHttpFetch()('http://127.0.0.1:9/', { signal: signal() }));

    // Assess
    expect(error).toBeInstanceOf(TypeError);
    expect(isNetworkFailure(error)).toBe(false);
  });

  describe('under OktaLogSource', () => {
    const authorizer = {
      headersFor: () => Promise.resolve({ Authorization: 'SSWS t' }),
      onResponse: () => Promise.resolve('ok' as const),
    };
    const sourceOn = (origin: string): OktaLogSource =>
      new OktaLogSource({
        orgUrl: origin,
        pageLimit: 1000,
        authorizer,
        requestTimeoutMs: 5000,
        fetch: createNodeHttpFetch(),
      });

    it("reads a page's events as Okta's bytes and its next link", async () => {
      // Prepare
      const local = await serve((_seen, res) => {
        res.writeHead(200, { Link: `<${local.origin}/api/v1/logs?after=x>; rel="next"` });
        res.end('[{"uuid":"a","published":"2026-01-01T00:00:00.000Z","n":-0}]');
      });

      // Act
      const page = await sourceOn(local.origin).fetchPage(
        { since: '2026-01-01T00:00:00Z' },
        { signal: signal() },
      );

      // Assess
      expect(page.next).toBe(`${local.origin}/api/v1/logs?after=x`);
      expect(page.events.map((e) => e.json)).toEqual([
        '{"uuid":"a","published":"2026-01-01T00:00:00.000Z","n":-0}',
      ]);
    });

    it('classifies 429, 500 and a timeout as fetch-based requests are classified', async () => {
      // Prepare
      const local = await serve((_seen, res, index) => {
        if (index === 0) {
          res.writeHead(429, { 'Content-Type': 'application/json' });
          res.end('{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit"}');
        } else if (index === 1) {
          res.writeHead(500);
          res.end('{"errorCode":"E0000009"}');
        }
      });
      const source = new OktaLogSource({
        orgUrl: local.origin,
        pageLimit: 1000,
        authorizer,
        requestTimeoutMs: 200,
        fetch: createNodeHttpFetch(),
      });
      const request = { since: '2026-01-01T00:00:00Z' };

      // Act
      const errors = [
        await failureOf(source.fetchPage(request, { signal: signal() })),
        await failureOf(source.fetchPage(request, { signal: signal() })),
        await failureOf(source.fetchPage(request, { signal: signal() })),
      ];

      // Assess
      expect(errors[0]).toBeInstanceOf(RateLimitedError);
      expect(errors[1]).toMatchObject({ status: 500, retryable: true, errorCode: 'E0000009' });
      expect(errors[2]).toBeInstanceOf(OktaApiError);
      expect(errors[2]).toMatchObject({ retryable: true, errorCode: 'TIMEOUT' });
    });
  });
});
