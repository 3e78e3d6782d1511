import { describe, expect, it } from 'vitest';
import type { CredentialProvider } from '../../lambda/adapters/credentials.js';
import { ApiTokenAuthorizer } from '../../lambda/adapters/okta/api-token-authorizer.js';
import type {
  AuthVerdict,
  AuthorizeRequest,
  OktaAuthorizer,
} from '../../lambda/adapters/okta/okta-authorizer.js';
import { OktaLogSource, type OktaLogSourceOptions } from '../../lambda/adapters/okta/okta-log-source.js';
import { CursorRejectedError, OktaApiError, RateLimitedError } from '../../lambda/core/errors.js';
import type { FetchOptions } from '../../lambda/core/ports.js';
import { sendJson, serverPerTest, startServer, type Handler, type LocalServer } from './local-http-server.js';
import { exposedText, failureOf } from '../support/failures.js';

const TOKEN = '00aBcD_SECRET-token-1234567890';
const NEW_TOKEN = '00zYxW_ROTATED-token-0987654321';
const LOCAL_NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

/** An authorizer that records what it saw and authorizes with a fixed token. */
class RecordingAuthorizer implements OktaAuthorizer {
  public readonly authorized: string[] = [];
  public readonly seen: { status: number; attempt: number }[] = [];
  public headersFor(request: AuthorizeRequest): Promise<Record<string, string>> {
    this.authorized.push(request.url.href);
    return Promise.resolve({ Authorization: `SSWS ${TOKEN}` });
  }
  public onResponse(response: Response, attempt: number): Promise<AuthVerdict> {
    this.seen.push({ status: response.status, attempt });
    return Promise.resolve('ok');
  }
}

/** Token provider whose refresh hands out the rotated token. */
function rotatingTokens(): CredentialProvider<string> & { refreshes: number } {
  let current = TOKEN;
  return {
    refreshes: 0,
    get: () => Promise.resolve(current),
    refresh() {
      this.refreshes++;
      current = NEW_TOKEN;
      return Promise.resolve(current);
    },
  };
}

const serve = serverPerTest();

function sourceFor(
  local: LocalServer,
  overrides: Partial<OktaLogSourceOptions> = {},
): { source: OktaLogSource; authorizer: RecordingAuthorizer } {
  const authorizer = new RecordingAuthorizer();
  const source = new OktaLogSource({
    orgUrl: local.origin,
    pageLimit: 1000,
    authorizer,
    requestTimeoutMs: 5000,
    clock: { now: () => LOCAL_NOW },
    ...overrides,
  });
  return { source, authorizer };
}

function fetchOptions(extra: Partial<FetchOptions> = {}): FetchOptions {
  return { signal: new AbortController().signal, ...extra };
}

const EVENT_A =
  '{"uuid":"a","published":"2026-01-01T00:00:00.000Z","actor":{"id":"00u1","alternateId":"café@example.com"}}';
const EVENT_B =
  '{"published":"2026-01-01T00:00:01.000Z","uuid":"b","debugContext":{"debugData":{"n":12345678901234567890}}}';

describe('OktaLogSource', () => {
  describe('requests', () => {
    it('starts a bounded query with since, until, filter, limit and ascending order', async () => {
      // Prepare
      const local = await serve((_req, res) => sendJson(res, 200, []));
      const { source } = sourceFor(local, { pageLimit: 250 });

      // Act
      await source.fetchPage(
        {
          since: '2026-01-01T00:00:00.000Z',
          until: '2026-01-02T00:00:00.000Z',
          filter: 'eventType eq "user.session.start"',
        },
        fetchOptions(),
      );

      // Assess
      const sent = local.requests[0]!;
      const url = new URL(sent.url, local.origin);
      expect(sent.method).toBe('GET');
      expect(url.pathname).toBe('/api/v1/logs');
      expect(Object.fromEntries(url.searchParams)).toEqual({
        since: '2026-01-01T00:00:00.000Z',
        until: '2026-01-02T00:00:00.000Z',
        filter: 'eventType eq "user.session.start"',
        limit: '250',
        sortOrder: 'ASCENDING',
      });
      expect(url.search).toContain('filter=eventType%20eq%20%22user.session.start%22');
    });

    it('starts a polling query without until or filter', async () => {
      // Prepare
      const local = await serve((_req, res) => sendJson(res, 200, []));
      const { source } = sourceFor(local);

      // Act
      await source.fetchPage({ since: '2026-01-01T00:00:00.000Z' }, fetchOptions());

      // Assess
      const url = new URL(local.requests[0]!.url, local.origin);
      expect([...url.searchParams.keys()]).toEqual(['since', 'limit', 'sortOrder']);
    });

    it('sends Accept, a User-Agent and the authorizer headers', async () => {
      // Prepare
      const local = await serve((_req, res) => sendJson(res, 200, []));
      const { source } = sourceFor(local, { userAgent: 'test-agent/1' });

      // Act
      await source.fetchPage({ since: '2026-01-01T00:00:00Z' }, fetchOptions());

      // Assess
      const headers = local.requests[0]!.headers;
      expect(headers.accept).toBe('application/json');
      expect(headers['user-agent']).toBe('test-agent/1');
      expect(headers.authorization).toBe(`SSWS ${TOKEN}`);
      expect(headers['x-okta-retry-for']).toBeUndefined();
    });

    it('sends X-Okta-Retry-For and X-Okta-Retry-Count when retrying after a 429', async () => {
      // Prepare
      const local = await serve((_req, res) => sendJson(res, 200, []));
      const { source } = sourceFor(local);

      // Act
      await source.fetchPage(
        { since: '2026-01-01T00:00:00Z' },
        fetchOptions({ retry: { retryFor: 'req-429', retryCount: 2 } }),
      );

      // Assess
      expect(local.requests[0]!.headers['x-okta-retry-for']).toBe('req-429');
      expect(local.requests[0]!.headers['x-okta-retry-count']).toBe('2');
    });

    it('follows a next link exactly as Okta wrote it', async () => {
      // Prepare
      const local = await serve((_req, res) => sendJson(res, 200, []));
      const { source } = sourceFor(local);
      const next = `${local.origin}/api/v1/logs?limit=1000&after=1767225600000_1&filter=a%2Cb`;

      // Act
      await source.fetchPage({ next }, fetchOptions());

      // Assess
      expect(local.requests[0]!.url).toBe('/api/v1/logs?limit=1000&after=1767225600000_1&filter=a%2Cb');
    });

    it.each([
      ['another host', (origin: string) => `${origin.replace('127.0.0.1', 'localhost')}/api/v1/logs?after=1`],
      ['another port', (origin: string) => `${origin.replace(/:\d+$/, ':1')}/api/v1/logs?after=1`],
      ['another scheme', (origin: string) => `${origin.replace('http:', 'https:')}/api/v1/logs?after=1`],
      ['another path', (origin: string) => `${origin}/api/v1/users?after=1`],
      ['user info', (origin: string) => `${origin.replace('//', '//user:pw@')}/api/v1/logs?after=1`],
      ['a relative link', () => '/api/v1/logs?after=1'],
      ['not a URL', () => 'not a url'],
    ])(
      'refuses a next link to %s before sending anything',
      async (_case, link: (origin: string) => string) => {
        // Prepare
        const local = await serve((_req, res) => sendJson(res, 200, []));
        const { source, authorizer } = sourceFor(local);

        // Act
        const error = await failureOf(source.fetchPage({ next: link(local.origin) }, fetchOptions()));

        // Assess
        expect(error).toBeInstanceOf(CursorRejectedError);
        expect(error).toBeInstanceOf(OktaApiError);
        expect(error).toMatchObject({ retryable: false, errorCode: 'FOREIGN_NEXT_LINK', status: 0 });
        expect(local.requests).toHaveLength(0);
        expect(authorizer.authorized).toHaveLength(0);
      },
    );
  });

  describe('pages', () => {
    it('returns each event as Okta served it, one per line, with its published instant', async () => {
      // Prepare
      const local = await serve((_req, res) => sendJson(res, 200, `[${EVENT_A},${EVENT_B}]`));
      const { source } = sourceFor(local);

      // Act
      const page = await source.fetchPage({ since: '2026-01-01T00:00:00Z' }, fetchOptions());

      // Assess
      expect(page.events.map(({ json, published }) => ({ json, published }))).toEqual([
        { json: EVENT_A, published: '2026-01-01T00:00:00.000Z' },
        { json: EVENT_B, published: '2026-01-01T00:00:01.000Z' },
      ]);
    });

    it('puts a pretty-printed event on one line with the same content', async () => {
      // Prepare
      const local = await serve((_req, res) =>
        sendJson(res, 200, JSON.stringify([JSON.parse(EVENT_A)], null, 2)),
      );
      const { source } = sourceFor(local);

      // Act
      const page = await source.fetchPage({ since: '2026-01-01T00:00:00Z' }, fetchOptions());

      // Assess
      expect(page.events[0]!.json).not.toContain('\n');
      expect(JSON.parse(page.events[0]!.json)).toEqual(JSON.parse(EVENT_A));
    });

    it('reads next from separate Link headers', async () => {
      // Prepare
      let next = '';
      const local = await serve((_req, res) => {
        next = `http://${_req.headers.host}/api/v1/logs?after=1767225600000_2&limit=1000`;
        sendJson(res, 200, [], {
          Link: [`<http://${_req.headers.host}/api/v1/logs?since=x>; rel="self"`, `<${next}>; rel="next"`],
        });
      });
      const { source } = sourceFor(local);

      // Act
      const page = await source.fetchPage({ since: '2026-01-01T00:00:00Z' }, fetchOptions());

      // Assess
      expect(page.next).toBe(next);
    });

    it('reads next from one comma-joined Link header whose URLs hold commas', async () => {
      // Prepare
      let next = '';
      const local = await serve((req, res) => {
        next = `http://${req.headers.host}/api/v1/logs?after=9_9&filter=a,b&limit=1000`;
        sendJson(res, 200, [], {
          Link: `<http://${req.headers.host}/api/v1/logs?q=a,b>; rel="self",<${next}>;rel=next`,
        });
      });
      const { source } = sourceFor(local);

      // Act
      const page = await source.fetchPage({ since: '2026-01-01T00:00:00Z' }, fetchOptions());

      // Assess
      expect(page.next).toBe(next);
    });

    it('resolves a relative next link against the request', async () => {
      // Prepare
      const local = await serve((_req, res) =>
        sendJson(res, 200, [], { Link: '</api/v1/logs?after=3_3>; rel="next"' }),
      );
      const { source } = sourceFor(local);

      // Act
      const page = await source.fetchPage({ since: '2026-01-01T00:00:00Z' }, fetchOptions());

      // Assess
      expect(page.next).toBe(`${local.origin}/api/v1/logs?after=3_3`);
    });

    it('has no next at the end of a bounded query', async () => {
      // Prepare
      const local = await serve((req, res) =>
        sendJson(res, 200, `[${EVENT_A}]`, {
          Link: `<http://${req.headers.host}/api/v1/logs?since=x>; rel="self"`,
        }),
      );
      const { source } = sourceFor(local);

      // Act
      const page = await source.fetchPage(
        { since: '2026-01-01T00:00:00Z', until: '2026-01-02T00:00:00Z' },
        fetchOptions(),
      );

      // Assess
      expect(page.next).toBeUndefined();
      expect(page.events).toHaveLength(1);
    });

    it('refuses a page whose next link points elsewhere, as not retryable', async () => {
      // Prepare
      const local = await serve((_req, res) =>
        sendJson(res, 200, `[${EVENT_A}]`, {
          Link: '<https://evil.example.com/api/v1/logs?after=1>; rel="next"',
          'X-Okta-Request-Id': 'req-f',
        }),
      );
      const { source } = sourceFor(local);

      // Act
      const error = await failureOf(source.fetchPage({ since: '2026-01-01T00:00:00Z' }, fetchOptions()));

      // Assess
      expect(error).toMatchObject({
        name: 'OktaApiError',
        retryable: false,
        errorCode: 'FOREIGN_NEXT_LINK',
        requestId: 'req-f',
      });
      // A link Okta's own answer names is no stored cursor to restart from: the run fails instead.
      expect(error).not.toBeInstanceOf(CursorRejectedError);
    });

    it('reports the rate-limit status measured against Date', async () => {
      // Prepare: Okta's clock is 10 minutes ahead of ours; the window resets 40 s after its Date
      const serverNow = LOCAL_NOW + 600_000;
      const local = await serve((_req, res) =>
        sendJson(res, 200, [], {
          'X-Rate-Limit-Limit': '50',
          'X-Rate-Limit-Remaining': '49',
          'X-Rate-Limit-Reset': String(serverNow / 1000 + 40),
          Date: new Date(serverNow).toUTCString(),
        }),
      );
      const { source } = sourceFor(local);

      // Act
      const page = await source.fetchPage({ since: '2026-01-01T00:00:00Z' }, fetchOptions());

      // Assess
      expect(page.rateLimit).toEqual({ limit: 50, remaining: 49, resetAt: LOCAL_NOW + 40_000 });
    });

    it('passes every response to the authorizer', async () => {
      // Prepare
      const local = await serve((_req, res, index) =>
        index === 0 ? sendJson(res, 200, []) : sendJson(res, 500, { errorCode: 'E0000009' }),
      );
      const { source, authorizer } = sourceFor(local);

      // Act
      await source.fetchPage({ since: '2026-01-01T00:00:00Z' }, fetchOptions());
      await failureOf(source.fetchPage({ since: '2026-01-01T00:00:00Z' }, fetchOptions()));

      // Assess
      expect(authorizer.seen).toEqual([
        { status: 200, attempt: 1 },
        { status: 500, attempt: 1 },
      ]);
    });
  });

  describe('failures', () => {
    it('raises RateLimitedError on 429 with retryAt from Reset and Date, not the local clock', async () => {
      // Prepare: Okta's clock is 1 hour behind ours; the window resets 25 s after its Date
      const serverNow = LOCAL_NOW - 3_600_000;
      const local = await serve((_req, res) =>
        sendJson(
          res,
          429,
          { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.' },
          {
            'X-Rate-Limit-Limit': '50',
            'X-Rate-Limit-Remaining': '0',
            'X-Rate-Limit-Reset': String(serverNow / 1000 + 25),
            Date: new Date(serverNow).toUTCString(),
            'X-Okta-Request-Id': 'req-429',
          },
        ),
      );
      const { source } = sourceFor(local);

      // Act
      const error = await failureOf(source.fetchPage({ since: '2026-01-01T00:00:00Z' }, fetchOptions()));

      // Assess
      expect(error).toBeInstanceOf(RateLimitedError);
      expect(error).toMatchObject({
        status: 429,
        retryable: true,
        concurrent: false,
        retryAt: LOCAL_NOW + 25_000,
        errorCode: 'E0000047',
        requestId: 'req-429',
      });
    });

    it('marks a concurrent-request 429 (Limit 0, Remaining 0)', async () => {
      // Prepare
      const local = await serve((_req, res) =>
        sendJson(
          res,
          429,
          { errorCode: 'E0000047' },
          {
            'X-Rate-Limit-Limit': '0',
            'X-Rate-Limit-Remaining': '0',
            'X-Rate-Limit-Reset': String(LOCAL_NOW / 1000 + 1),
            Date: new Date(LOCAL_NOW).toUTCString(),
          },
        ),
      );
      const { source } = sourceFor(local);

      // Act
      const error = await failureOf(source.fetchPage({ since: '2026-01-01T00:00:00Z' }, fetchOptions()));

      // Assess
      expect(error).toBeInstanceOf(RateLimitedError);
      expect(error).toMatchObject({ concurrent: true, retryAt: LOCAL_NOW + 1000 });
    });

    it('assumes a whole one-minute window when a 429 has no usable rate-limit headers', async () => {
      // Prepare
      const local = await serve((_req, res) => sendJson(res, 429, { errorCode: 'E0000047' }));
      const { source } = sourceFor(local);

      // Act
      const error = await failureOf(source.fetchPage({ since: '2026-01-01T00:00:00Z' }, fetchOptions()));

      // Assess
      expect(error).toMatchObject({
        name: 'RateLimitedError',
        retryAt: LOCAL_NOW + 60_000,
        concurrent: false,
      });
    });

    it('classifies a query timeout inside Okta (500 E0000009) as retryable, with its code and request id', async () => {
      // Prepare
      const local = await serve((_req, res) =>
        sendJson(
          res,
          500,
          { errorCode: 'E0000009', errorSummary: 'Internal Server Error' },
          { 'X-Okta-Request-Id': 'req-500' },
        ),
      );
      const { source } = sourceFor(local);

      // Act
      const error = await failureOf(source.fetchPage({ since: '2026-01-01T00:00:00Z' }, fetchOptions()));

      // Assess
      expect(error).toBeInstanceOf(OktaApiError);
      expect(error).toMatchObject({
        status: 500,
        retryable: true,
        errorCode: 'E0000009',
        requestId: 'req-500',
      });
      expect((error as Error).message).toContain('500 E0000009');
    });

    it('classifies a 503 with an HTML body as retryable', async () => {
      // Prepare
      const local = await serve((_req, res) => {
        res.writeHead(503, { 'Content-Type': 'text/html' });
        res.end('<html><body><h1>503 Service Unavailable</h1></body></html>');
      });
      const { source } = sourceFor(local);

      // Act
      const error = await failureOf(source.fetchPage({ since: '2026-01-01T00:00:00Z' }, fetchOptions()));

      // Assess
      expect(error).toMatchObject({
        name: 'OktaApiError',
        status: 503,
        retryable: true,
        errorCode: undefined,
      });
      expect((error as Error).message).not.toContain('<html>');
    });

    it.each([
      ['an HTML page', 'text/html', '<!DOCTYPE html><html><body>Sign in</body></html>'],
      ['malformed JSON', 'application/json', '[{"uuid":"a",}]'],
      ['an object instead of an array', 'application/json', '{"events":[]}'],
    ])('classifies a 200 carrying %s as retryable', async (_case, type, body) => {
      // Prepare
      const local = await serve((_req, res) => {
        res.writeHead(200, { 'Content-Type': type, 'X-Okta-Request-Id': 'req-bad' });
        res.end(body);
      });
      const { source } = sourceFor(local);

      // Act
      const error = await failureOf(source.fetchPage({ since: '2026-01-01T00:00:00Z' }, fetchOptions()));

      // Assess
      expect(error).toMatchObject({
        name: 'OktaApiError',
        status: 200,
        retryable: true,
        requestId: 'req-bad',
      });
      expect((error as Error).message).toContain('not a JSON array');
    });

    it('classifies a connection reset in the middle of the body as retryable', async () => {
      // Prepare
      const local = await serve((_req, res) => {
        res.writeHead(200, {
          'Content-Type': 'application/json',
          'Content-Length': '100000',
          'X-Okta-Request-Id': 'req-cut',
        });
        res.write(`[${EVENT_A},`);
        setTimeout(() => res.socket?.destroy(), 20);
      });
      const { source } = sourceFor(local);

      // Act
      const error = await failureOf(source.fetchPage({ since: '2026-01-01T00:00:00Z' }, fetchOptions()));

      // Assess
      expect(error).toMatchObject({ name: 'OktaApiError', status: 0, retryable: true, requestId: 'req-cut' });
    });

    it('classifies a refused connection as retryable', async () => {
      // Prepare
      const local = await serve((_req, res) => sendJson(res, 200, []));
      const { source } = sourceFor(local);
      await local.close();

      // Act
      const error = await failureOf(source.fetchPage({ since: '2026-01-01T00:00:00Z' }, fetchOptions()));

      // Assess
      expect(error).toMatchObject({
        name: 'OktaApiError',
        status: 0,
        retryable: true,
        errorCode: 'ECONNREFUSED',
      });
    });

    it('times out a request whose answer does not come, as retryable', async () => {
      // Prepare: the server never answers
      const local = await serve(() => undefined);
      const { source } = sourceFor(local, { requestTimeoutMs: 200 });

      // Act
      const error = await failureOf(source.fetchPage({ since: '2026-01-01T00:00:00Z' }, fetchOptions()));

      // Assess
      expect(error).toMatchObject({ name: 'OktaApiError', status: 0, retryable: true, errorCode: 'TIMEOUT' });
    });

    it('times out a body that stalls, as retryable', async () => {
      // Prepare: headers arrive, the body never ends
      const local = await serve((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json', 'X-Okta-Request-Id': 'req-slow' });
        res.write('[');
      });
      const { source } = sourceFor(local, { requestTimeoutMs: 300 });

      // Act
      const error = await failureOf(source.fetchPage({ since: '2026-01-01T00:00:00Z' }, fetchOptions()));

      // Assess
      expect(error).toMatchObject({
        name: 'OktaApiError',
        status: 0,
        retryable: true,
        errorCode: 'TIMEOUT',
        requestId: 'req-slow',
      });
    });

    it("rethrows the caller's abort reason unchanged", async () => {
      // Prepare
      const local = await serve(() => undefined);
      const { source } = sourceFor(local);
      const controller = new AbortController();
      const reason = new Error('deadline reached');
      setTimeout(() => controller.abort(reason), 50);

      // Act
      const error = await failureOf(
        source.fetchPage({ since: '2026-01-01T00:00:00Z' }, { signal: controller.signal }),
      );

      // Assess
      expect(error).toBe(reason);
    });

    it('re-reads the API token after a 401 and retries once', async () => {
      // Prepare
      const local = await serve((req, res) =>
        req.headers.authorization === `SSWS ${NEW_TOKEN}`
          ? sendJson(res, 200, `[${EVENT_A}]`)
          : sendJson(res, 401, { errorCode: 'E0000011', errorSummary: 'Invalid token provided' }),
      );
      const tokens = rotatingTokens();
      const { source } = sourceFor(local, { authorizer: new ApiTokenAuthorizer(tokens) });

      // Act
      const page = await source.fetchPage({ since: '2026-01-01T00:00:00Z' }, fetchOptions());

      // Assess
      expect(page.events).toHaveLength(1);
      expect(tokens.refreshes).toBe(1);
      expect(local.requests.map((r) => r.headers.authorization)).toEqual([
        `SSWS ${TOKEN}`,
        `SSWS ${NEW_TOKEN}`,
      ]);
    });

    it('fails for good when the re-read token is rejected too', async () => {
      // Prepare
      const local = await serve((_req, res) =>
        sendJson(
          res,
          401,
          { errorCode: 'E0000011', errorSummary: 'Invalid token provided' },
          { 'X-Okta-Request-Id': 'req-401' },
        ),
      );
      const tokens = rotatingTokens();
      const { source } = sourceFor(local, { authorizer: new ApiTokenAuthorizer(tokens) });

      // Act
      const error = await failureOf(source.fetchPage({ since: '2026-01-01T00:00:00Z' }, fetchOptions()));

      // Assess
      expect(error).toMatchObject({
        name: 'OktaApiError',
        status: 401,
        retryable: false,
        errorCode: 'E0000011',
        requestId: 'req-401',
      });
      expect(local.requests).toHaveLength(2);
      expect(tokens.refreshes).toBe(1);
    });

    it('stops after three tries even if the authorizer keeps asking for more', async () => {
      // Prepare
      const local = await serve((_req, res) => sendJson(res, 401, { errorCode: 'E0000011' }));
      const authorizer = new RecordingAuthorizer();
      authorizer.onResponse = () => Promise.resolve('retry');
      const { source } = sourceFor(local, { authorizer });

      // Act
      const error = await failureOf(source.fetchPage({ since: '2026-01-01T00:00:00Z' }, fetchOptions()));

      // Assess
      expect(error).toMatchObject({ status: 401, retryable: false });
      expect(local.requests).toHaveLength(3);
    });

    it.each([
      [403, 'E0000006', 'okta.logs.read'],
      [404, 'E0000022', 'wrong org URL'],
      [405, 'E0000022', '405'],
    ])('treats %i as fatal, with an actionable message', async (status, code, hint) => {
      // Prepare
      const local = await serve((_req, res) =>
        sendJson(res, status, { errorCode: code, errorSummary: 'nope' }),
      );
      const { source } = sourceFor(local);

      // Act
      const error = await failureOf(source.fetchPage({ since: '2026-01-01T00:00:00Z' }, fetchOptions()));

      // Assess
      expect(error).toMatchObject({ name: 'OktaApiError', status, retryable: false, errorCode: code });
      expect((error as Error).message).toContain(hint);
    });

    it("reports a 400 as not retryable with Okta's code and summary", async () => {
      // Prepare
      const local = await serve((_req, res) =>
        sendJson(res, 400, {
          errorCode: 'E0000031',
          errorSummary: 'Invalid search criteria.',
          errorCauses: [],
        }),
      );
      const { source } = sourceFor(local);

      // Act
      const error = await failureOf(
        source.fetchPage({ next: `${local.origin}/api/v1/logs?after=stale` }, fetchOptions()),
      );

      // Assess
      expect(error).toBeInstanceOf(OktaApiError);
      expect(error).toMatchObject({
        name: 'CursorRejectedError',
        status: 400,
        retryable: false,
        errorCode: 'E0000031',
      });
      expect((error as Error).message).toContain('400 E0000031');
      expect((error as Error).message).toContain('Invalid search criteria.');
    });

    it('does not follow a redirect', async () => {
      // Prepare
      const local = await serve((req, res) => {
        res.writeHead(302, { Location: `http://${req.headers.host}/elsewhere` });
        res.end();
      });
      const { source } = sourceFor(local);

      // Act
      const error = await failureOf(source.fetchPage({ since: '2026-01-01T00:00:00Z' }, fetchOptions()));

      // Assess
      expect(error).toMatchObject({ status: 302, retryable: false });
      expect(local.requests).toHaveLength(1);
    });
  });

  describe('secrets', () => {
    it('keeps the token out of errors, even when Okta echoes it', async () => {
      // Prepare: every kind of failure, the 401 summary quoting the token
      const cases: Handler[] = [
        (_req, res) => sendJson(res, 401, { errorCode: 'E0000011', errorSummary: `Invalid token ${TOKEN}` }),
        (_req, res) =>
          sendJson(res, 403, { errorCode: 'E0000006', errorSummary: `SSWS ${TOKEN} lacks rights` }),
        (_req, res) => sendJson(res, 429, { errorCode: 'E0000047' }),
        (_req, res) => {
          res.writeHead(200, { 'Content-Length': '1000' });
          res.write('[');
          setTimeout(() => res.socket?.destroy(), 10);
        },
      ];
      const errors: unknown[] = [];
      for (const handler of cases) {
        const local = await startServer(handler);
        const { source } = sourceFor(local);

        // Act
        errors.push(await failureOf(source.fetchPage({ since: '2026-01-01T00:00:00Z' }, fetchOptions())));
        await local.close();
      }

      // Assess
      expect(errors).toHaveLength(4);
      for (const error of errors) {
        expect(exposedText(error)).not.toContain(TOKEN);
        expect(exposedText(error)).not.toContain('SSWS');
      }
      expect((errors[0] as Error).message).toContain('[redacted]');
    });
  });
});
