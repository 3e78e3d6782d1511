import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNodeHttpFetch } from '../../lambda/adapters/http/node-http-fetch.js';
import type { CredentialProvider } from '../../lambda/adapters/credentials.js';
import { SumoHttpSink, type SumoHttpSinkOptions } from '../../lambda/adapters/sumo/sumo-http-sink.js';
import type { SumoOptions } from '../../lambda/config.js';
import { SumoDeliveryError } from '../../lambda/core/errors.js';
import { toBatches } from '../../lambda/core/batcher.js';
import type { Batch } from '../../lambda/core/ports.js';
import { serverPerTest, type Handler } from './local-http-server.js';
import { exposedText, failureOf } from '../support/failures.js';

const TOKEN = 'ZaVnC4dhaV2Kq3Vb7tSECRETtokenQ1w2e3r4t5y6u7i8o9p0==';
const NEW_TOKEN = 'NEWtokenAfterRegenerationZ9x8c7v6b5n4m3l2k1j0h==';
const PATH = `/receiver/v1/http/${TOKEN}`;
const NEW_PATH = `/receiver/v1/http/${NEW_TOKEN}`;

const SUMO: SumoOptions = { category: 'okta', name: 'okta-system-log', host: 'acme.okta.com', fields: {} };

const serve = serverPerTest();

/** The SSM parameter: `get` gives the current URL, `refresh` the one an operator put there since. */
function urls(first: string, second = first): CredentialProvider<URL> & { refreshes: number } {
  let current = first;
  return {
    refreshes: 0,
    get: () => Promise.resolve(new URL(current)),
    refresh() {
      this.refreshes++;
      current = second;
      return Promise.resolve(new URL(current));
    },
  };
}

/** Every case runs over the global fetch (the adapter's default) and over the node:http client compose wires. */
const CLIENTS: [string, typeof fetch | undefined][] = [
  ['the global fetch', undefined],
  ['the node:http client', createNodeHttpFetch()],
];
let client: typeof fetch | undefined;

function sinkFor(url: CredentialProvider<URL>, overrides: Partial<SumoHttpSinkOptions> = {}): SumoHttpSink {
  return new SumoHttpSink({
    url,
    options: SUMO,
    requestTimeoutMs: 5000,
    ...(client === undefined ? {} : { fetch: client }),
    ...overrides,
  });
}

function batchOf(...lines: string[]): Batch {
  return toBatches(lines.map((json) => ({ json, published: undefined })))[0]!;
}

const BATCH = batchOf(
  '{"uuid":"a","published":"2026-01-01T00:00:00.000Z","displayMessage":"User login to Okta"}',
  '{"uuid":"b","published":"2026-01-01T00:00:01.000Z","actor":{"displayName":"Zoë Ünal 日本"}}',
);

function options(fields?: Record<string, string>): { signal: AbortSignal; fields?: Record<string, string> } {
  return { signal: new AbortController().signal, ...(fields ? { fields } : {}) };
}

function answer(status: number): Handler {
  return (_req, res) => {
    res.writeHead(status);
    res.end();
  };
}

describe.each(CLIENTS)('SumoHttpSink over %s', (_name, fetchUnderTest) => {
  beforeAll(() => {
    client = fetchUnderTest;
  });
  describe('delivery', () => {
    it('POSTs the batch gzip-compressed, decoding to exactly the batch', async () => {
      // Prepare
      const local = await serve(answer(200));
      const sink = sinkFor(urls(`${local.origin}${PATH}`));

      // Act
      await sink.send(BATCH, options());

      // Assess
      const sent = local.requests[0]!;
      expect(sent.method).toBe('POST');
      expect(sent.url).toBe(PATH);
      expect(sent.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(sent.body).toString('utf8')).toBe(BATCH.body.toString('utf8'));
    });

    it('sends the X-Sumo headers, a log Content-Type and a User-Agent', async () => {
      // Prepare
      const local = await serve(answer(200));
      const sink = sinkFor(urls(`${local.origin}${PATH}`), { userAgent: 'test-agent/1' });

      // Act
      await sink.send(BATCH, options());

      // Assess
      const headers = local.requests[0]!.headers;
      expect(headers['x-sumo-category']).toBe('okta');
      expect(headers['x-sumo-name']).toBe('okta-system-log');
      expect(headers['x-sumo-host']).toBe('acme.okta.com');
      expect(headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(headers['user-agent']).toBe('test-agent/1');
      expect(headers['x-sumo-fields']).toBeUndefined();
    });

    it('leaves out the name and host headers when none is configured', async () => {
      // Prepare
      const local = await serve(answer(200));
      const sink = sinkFor(urls(`${local.origin}${PATH}`), {
        options: { category: 'security/okta', name: undefined, host: undefined, fields: {} },
      });

      // Act
      await sink.send(BATCH, options());

      // Assess
      const headers = local.requests[0]!.headers;
      expect(headers['x-sumo-category']).toBe('security/okta');
      expect(headers).not.toHaveProperty('x-sumo-name');
      expect(headers).not.toHaveProperty('x-sumo-host');
    });

    it("merges the batch's fields over the configured ones in X-Sumo-Fields", async () => {
      // Prepare
      const local = await serve(answer(200));
      const sink = sinkFor(urls(`${local.origin}${PATH}`), {
        options: { ...SUMO, fields: { team: 'secops', env: 'prod' } },
      });

      // Act
      await sink.send(BATCH, options({ replay: 'r-2026', env: 'replay' }));

      // Assess
      const header = local.requests[0]!.headers['x-sumo-fields'] as string;
      expect(Object.fromEntries(header.split(',').map((pair) => pair.split('=')))).toEqual({
        team: 'secops',
        env: 'replay',
        replay: 'r-2026',
      });
    });

    it.each([200, 202, 204])('resolves on %i', async (status) => {
      // Prepare
      const local = await serve(answer(status));
      const sink = sinkFor(urls(`${local.origin}${PATH}`));

      // Act
      const result = await sink.send(BATCH, options());

      // Assess
      expect(result).toBeUndefined();
      expect(local.requests).toHaveLength(1);
    });

    it('compresses at the level asked for', async () => {
      // Prepare
      const local = await serve(answer(200));
      const big = batchOf(
        ...Array.from({ length: 2000 }, (_, i) => `{"uuid":"${i}","text":"${'abc'.repeat(i % 50)}"}`),
      );
      await sinkFor(urls(`${local.origin}${PATH}`), { gzipLevel: 1 }).send(big, options());

      // Act
      await sinkFor(urls(`${local.origin}${PATH}`), { gzipLevel: 9 }).send(big, options());

      // Assess
      const [fast, small] = local.requests;
      expect(gunzipSync(small!.body).toString()).toBe(big.body.toString('utf8'));
      expect(small!.body.length).toBeLessThan(fast!.body.length);
    });

    it('names the setting whose value cannot travel in a header', () => {
      // Act
      const build = () =>
        sinkFor(urls('https://collectors.sumologic.com/x'), {
          options: { category: 'okta\r\nX-Evil: 1', name: undefined, host: undefined, fields: {} },
        });

      // Assess
      expect(build).toThrow(/SUMO_SOURCE_CATEGORY/);
    });

    it('refuses a compression level zlib does not have', () => {
      // Act / Assess
      expect(() => sinkFor(urls('https://collectors.sumologic.com/x'), { gzipLevel: 0 })).toThrow(RangeError);
    });
  });

  describe('a rejected URL', () => {
    it('re-reads the URL after a 401 and delivers to the new one', async () => {
      // Prepare
      const local = await serve((req, res) => {
        res.writeHead(req.url === NEW_PATH ? 200 : 401);
        res.end();
      });
      const provider = urls(`${local.origin}${PATH}`, `${local.origin}${NEW_PATH}`);

      // Act
      await sinkFor(provider).send(BATCH, options());

      // Assess
      expect(provider.refreshes).toBe(1);
      expect(local.requests.map((r) => r.url)).toEqual([PATH, NEW_PATH]);
      expect(gunzipSync(local.requests[1]!.body).toString()).toBe(BATCH.body.toString('utf8'));
    });

    it.each([401, 403, 404])('fails for good when the re-read URL gets %i too', async (status) => {
      // Prepare
      const local = await serve(answer(status));
      const provider = urls(`${local.origin}${PATH}`);

      // Act
      const error = await failureOf(sinkFor(provider).send(BATCH, options()));

      // Assess
      expect(error).toBeInstanceOf(SumoDeliveryError);
      expect(error).toMatchObject({ status, retryable: false });
      expect((error as Error).message).toContain('SUMO_URL_PARAMETER');
      expect(provider.refreshes).toBe(1);
      expect(local.requests).toHaveLength(2);
    });
  });

  describe('other failures', () => {
    it.each([408, 429, 500, 502, 503, 504])(
      'classifies %i as retryable, without re-reading the URL',
      async (status) => {
        // Prepare
        const local = await serve(answer(status));
        const provider = urls(`${local.origin}${PATH}`);

        // Act
        const error = await failureOf(sinkFor(provider).send(BATCH, options()));

        // Assess
        expect(error).toMatchObject({ name: 'SumoDeliveryError', status, retryable: true });
        expect(provider.refreshes).toBe(0);
        expect(local.requests).toHaveLength(1);
      },
    );

    it.each([400, 413, 302])('classifies %i as not retryable', async (status) => {
      // Prepare
      const local = await serve(answer(status));

      // Act
      const error = await failureOf(sinkFor(urls(`${local.origin}${PATH}`)).send(BATCH, options()));

      // Assess
      expect(error).toMatchObject({ name: 'SumoDeliveryError', status, retryable: false });
      expect(local.requests).toHaveLength(1);
    });

    it('classifies a connection reset as retryable', async () => {
      // Prepare
      const local = await serve((_req, res) => {
        res.socket?.destroy();
      });

      // Act
      const error = await failureOf(sinkFor(urls(`${local.origin}${PATH}`)).send(BATCH, options()));

      // Assess
      expect(error).toMatchObject({ name: 'SumoDeliveryError', status: 0, retryable: true });
    });

    it('times out a POST that gets no answer, as retryable', async () => {
      // Prepare
      const local = await serve(() => undefined);

      // Act
      const error = await failureOf(
        sinkFor(urls(`${local.origin}${PATH}`), { requestTimeoutMs: 200 }).send(BATCH, options()),
      );

      // Assess
      expect(error).toMatchObject({ name: 'SumoDeliveryError', status: 0, retryable: true });
      expect((error as Error).message).toContain('200 ms');
    });

    it("rethrows the caller's abort reason unchanged", async () => {
      // Prepare
      const local = await serve(() => undefined);
      const controller = new AbortController();
      const reason = new Error('deadline reached');
      setTimeout(() => controller.abort(reason), 50);

      // Act
      const error = await failureOf(
        sinkFor(urls(`${local.origin}${PATH}`)).send(BATCH, { signal: controller.signal }),
      );

      // Assess
      expect(error).toBe(reason);
    });

    it('refuses to send to a plain http:// URL off loopback', async () => {
      // Prepare
      const calls: unknown[] = [];
      const fetchSpy: typeof fetch = (input) => {
        calls.push(input);
        return Promise.resolve(new Response(null, { status: 200 }));
      };
      const sink = sinkFor(urls(`http://collectors.sumologic.com${PATH}`), { fetch: fetchSpy });

      // Act
      const error = await failureOf(sink.send(BATCH, options()));

      // Assess
      expect(error).toMatchObject({ name: 'SumoDeliveryError', retryable: false });
      expect(calls).toHaveLength(0);
    });
  });

  describe('secrets', () => {
    it('keeps the URL, its host and path and its token out of every error', async () => {
      // Prepare: failures of every kind, one from a fetch that quotes the URL the way undici can
      const local = await serve((req, res) => {
        if (req.headers['x-case'] === 'reset') return void res.socket?.destroy();
        res.writeHead(Number(req.headers['x-case']));
        res.end();
      });
      const url = `${local.origin}${PATH}`;
      const quoting: typeof fetch = (input) =>
        Promise.reject(
          new TypeError('fetch failed', {
            cause: Object.assign(
              new Error(
                `connect ECONNREFUSED ${input instanceof URL ? input.href : JSON.stringify(input)} (${TOKEN})`,
              ),
              {
                code: 'ECONNREFUSED',
              },
            ),
          }),
        );
      const withCase =
        (value: string): typeof fetch =>
        (input, init) =>
          fetch(input, {
            ...init,
            headers: { ...(init?.headers as Record<string, string>), 'X-Case': value },
          });
      const failures = [
        sinkFor(urls(url), { fetch: quoting }).send(BATCH, options()),
        sinkFor(urls(url), { fetch: withCase('reset') }).send(BATCH, options()),
        sinkFor(urls(url), { fetch: withCase('401') }).send(BATCH, options()),
        sinkFor(urls(url), { fetch: withCase('429') }).send(BATCH, options()),
        sinkFor(urls(`http://collectors.sumologic.com${PATH}`)).send(BATCH, options()),
      ];

      // Act
      const errors = await Promise.all(failures.map(failureOf));

      // Assess
      expect(errors.every((e) => e instanceof SumoDeliveryError)).toBe(true);
      for (const error of errors) {
        const text = exposedText(error);
        expect(text).not.toContain(TOKEN);
        expect(text).not.toContain(PATH);
        expect(text).not.toContain(`127.0.0.1${PATH}`);
        expect(text).not.toContain('collectors.sumologic.com');
      }
      expect(errors[0]).toMatchObject({ retryable: true });
      expect((errors[0] as Error).message).toContain('ECONNREFUSED');
    });
  });
});
