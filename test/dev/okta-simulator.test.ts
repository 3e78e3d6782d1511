import { get as httpGet, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startOktaSimulator,
  type OktaOAuthHook,
  type OktaSimulator,
  type OktaSimulatorOptions,
} from '../../dev/okta-simulator.js';

const TOKEN = 'sim-okta-api-token';
const MINUTE = 60_000;

let simulator: OktaSimulator | undefined;
afterEach(async () => {
  await simulator?.stop();
  simulator = undefined;
});

async function start(options: OktaSimulatorOptions = {}): Promise<OktaSimulator> {
  simulator = await startOktaSimulator(options);
  return simulator;
}

/** Every `<url>; rel="x"` in a Link header (separate headers arrive joined by fetch). */
function parseLinks(header: string | null): Record<string, string> {
  const links: Record<string, string> = {};
  for (const match of (header ?? '').matchAll(/<([^>]*)>;\s*rel="([^"]+)"/g)) links[match[2]!] = match[1]!;
  return links;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  links: Record<string, string>;
  uuids: () => string[];
  body: () => { errorCode?: string; errorSummary?: string; errorCauses?: unknown[] };
}

async function call(
  url: string,
  init: { token?: string | null; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Answer> {
  const token = init.token === undefined ? TOKEN : init.token;
  const response = await fetch(url, {
    headers: { ...(token === null ? {} : { Authorization: `SSWS ${token}` }), ...init.headers },
    signal: init.signal,
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    links: parseLinks(response.headers.get('link')),
    uuids: () => (JSON.parse(text) as { uuid: string }[]).map((e) => e.uuid),
    body: () => JSON.parse(text) as { errorCode?: string },
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();
const logsUrl = (sim: OktaSimulator, query: Record<string, string | number>): string =>
  `${sim.orgUrl}/api/v1/logs?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString()}`;

/** Follows `next` links until a page is empty (polling) or there is no next (bounded). */
async function drain(
  first: string,
  between?: (page: number) => void,
): Promise<{ uuids: string[]; pages: Answer[] }> {
  const uuids: string[] = [];
  const pages: Answer[] = [];
  let url: string | undefined = first;
  while (url !== undefined && pages.length < 1_000) {
    const page = await call(url);
    expect(page.status).toBe(200);
    pages.push(page);
    const got = page.uuids();
    uuids.push(...got);
    between?.(pages.length);
    url = page.links.next;
    if (got.length === 0) break;
  }
  return { uuids, pages };
}

function manualClock(start = Date.UTC(2025, 2, 10, 9, 30, 15, 250)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('okta simulator: polling queries', () => {
  it('returns every event exactly once across pages, including late-persisted and live-produced ones', async () => {
    // Prepare
    const sim = await start();
    const since = sim.now() - MINUTE;
    sim.produce(250);

    // Act
    const { uuids, pages } = await drain(logsUrl(sim, { since: iso(since), limit: 100 }), (page) => {
      if (page === 1) sim.produceLate(7, 2 * 60 * MINUTE); // published two hours ago, before `since`
      if (page === 2) sim.produce(30);
    });

    // Assess
    expect(new Set(uuids).size).toBe(uuids.length);
    expect([...uuids].sort()).toEqual(sim.events.map((e) => e.uuid).sort());
    const late = sim.events.filter((e) => e.publishedMs < since);
    expect(late).toHaveLength(7);
    expect(uuids).toEqual(expect.arrayContaining(late.map((e) => e.uuid)));
    expect(pages.map((p) => p.uuids().length)).toEqual([100, 100, 87, 0]);
  });

  it('always has a next link, even on an empty page, on the org origin and /api/v1/logs, opaque in after=', async () => {
    // Prepare
    const sim = await start();
    const url = logsUrl(sim, { since: iso(sim.now() - MINUTE) });

    // Act
    const empty = await call(url);
    const again = await call(empty.links.next!);
    sim.produce(3);
    const afterProduce = await call(again.links.next!);

    // Assess
    expect(empty.text).toBe('[]');
    const next = new URL(empty.links.next!);
    expect(next.origin).toBe(sim.orgUrl);
    expect(next.pathname).toBe('/api/v1/logs');
    expect(next.searchParams.get('after')).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(empty.links.self).toBe(url);
    expect(again.text).toBe('[]');
    expect(again.links.next).toBeDefined();
    expect(afterProduce.uuids()).toEqual(sim.events.map((e) => e.uuid));
    expect(afterProduce.links.next).toBeDefined();
  });

  it('filters polling queries on persistence time: since excludes events persisted before it', async () => {
    // Prepare
    const clock = manualClock();
    const sim = await start({ now: clock.now });
    sim.produce(5);
    clock.advance(10_000);
    const since = clock.now();
    const later = sim.produceLate(4, 60 * MINUTE);

    // Act
    const page = await call(logsUrl(sim, { since: iso(since) }));

    // Assess
    expect(page.uuids()).toEqual(later.map((e) => e.uuid));
  });

  it('uses limit 100 by default, accepts up to 1000 and answers 400 beyond', async () => {
    // Prepare
    const sim = await start();
    sim.produce(1_200);
    const since = iso(sim.now() - MINUTE);

    // Act
    const byDefault = await call(logsUrl(sim, { since }));
    const max = await call(logsUrl(sim, { since, limit: 1000 }));
    const tooMany = await call(logsUrl(sim, { since, limit: 1001 }));
    const notANumber = await call(logsUrl(sim, { since, limit: 'ten' }));

    // Assess
    expect(byDefault.uuids()).toHaveLength(100);
    expect(max.uuids()).toHaveLength(1000);
    expect(tooMany.status).toBe(400);
    expect(notANumber.status).toBe(400);
  });

  it('hides events for visibilityDelayMs after they were persisted', async () => {
    // Prepare
    const clock = manualClock();
    const sim = await start({ now: clock.now, visibilityDelayMs: 5_000 });
    const since = iso(clock.now() - MINUTE);
    sim.produce(2);

    // Act
    const early = await call(logsUrl(sim, { since }));
    clock.advance(5_000);
    const later = await call(early.links.next!);

    // Assess
    expect(early.text).toBe('[]');
    expect(later.uuids()).toHaveLength(2);
  });

  it('does not return events published more than 90 days ago', async () => {
    // Prepare
    const sim = await start();
    sim.produceLate(1, 91 * 24 * 60 * MINUTE);
    const kept = sim.produceLate(1, 89 * 24 * 60 * MINUTE);

    // Act
    const page = await call(logsUrl(sim, { since: iso(sim.now() - MINUTE) }));

    // Assess
    expect(page.uuids()).toEqual([kept[0]!.uuid]);
  });

  it('serves events given as JSON text byte for byte', async () => {
    // Prepare
    const sim = await start();
    const raw = `{"uuid":"raw-1","published":"${iso(sim.now() - 1000)}","eventType":"user.session.start","displayMessage":"caf\\u00e9 \\"x\\""}`;
    sim.produce([raw]);

    // Act
    const page = await call(logsUrl(sim, { since: iso(sim.now() - MINUTE) }));

    // Assess
    expect(page.text).toBe(`[${raw}]`);
  });
});

describe('okta simulator: bounded queries', () => {
  async function tenEvents() {
    const sim = await start();
    const t0 = sim.now() - 60 * MINUTE;
    // Persisted out of published order: the second half first.
    sim.produce(5, { publishedAt: (i) => t0 + (i + 5) * 1000 });
    sim.produce(5, { publishedAt: (i) => t0 + i * 1000 });
    const uuidAt = (i: number): string => sim.events.find((e) => e.publishedMs === t0 + i * 1000)!.uuid;
    return { sim, t0, uuidAt };
  }

  it('returns events published in [since, until), in published order, and no next on the last page', async () => {
    // Prepare
    const { sim, t0, uuidAt } = await tenEvents();

    // Act
    const { uuids, pages } = await drain(
      logsUrl(sim, { since: iso(t0 + 2000), until: iso(t0 + 7000), limit: 2 }),
    );

    // Assess
    expect(uuids).toEqual([2, 3, 4, 5, 6].map(uuidAt));
    expect(pages.map((p) => p.uuids().length)).toEqual([2, 2, 1]);
    expect(pages.map((p) => p.links.next === undefined)).toEqual([false, false, true]);
    expect(pages.every((p) => p.links.self !== undefined)).toBe(true);
  });

  it('has no next link when the last page is exactly full', async () => {
    // Prepare
    const { sim, t0 } = await tenEvents();

    // Act
    const page = await call(logsUrl(sim, { since: iso(t0), until: iso(t0 + 4000), limit: 4 }));

    // Assess
    expect(page.uuids()).toHaveLength(4);
    expect(page.links.next).toBeUndefined();
  });

  it('misses events persisted after the query read past them, as Okta warns', async () => {
    // Prepare
    const { sim, t0 } = await tenEvents();
    const first = await call(logsUrl(sim, { since: iso(t0), until: iso(t0 + 10_000), limit: 5 }));

    // Act
    sim.produce(1, { publishedAt: t0 + 500 });
    const rest = await drain(first.links.next!);

    // Assess
    expect([...first.uuids(), ...rest.uuids]).toHaveLength(10);
    expect(rest.uuids).not.toContain(sim.events[10]!.uuid);
  });
});

describe('okta simulator: request validation', () => {
  it('answers 400 when since is more than 180 days back, or not ISO-8601', async () => {
    // Prepare
    const sim = await start();

    // Act
    const old = await call(logsUrl(sim, { since: iso(sim.now() - 181 * 24 * 60 * MINUTE) }));
    const bad = await call(logsUrl(sim, { since: 'yesterday' }));

    // Assess
    expect(old.status).toBe(400);
    expect(old.body().errorSummary).toMatch(/180 days/);
    expect(bad.status).toBe(400);
    expect(bad.body().errorCode).toBe('E0000001');
  });

  it('answers 400 to an after it did not issue, and to any after once cursors are invalidated', async () => {
    // Prepare
    const sim = await start();
    const first = await call(logsUrl(sim, { since: iso(sim.now() - MINUTE) }));

    // Act
    const forged = await call(logsUrl(sim, { after: 'eyJtIjoicCIsInMiOjB9.AAAAAAAAAAAAAAAA' }));
    const garbage = await call(logsUrl(sim, { after: 'not-a-cursor' }));
    sim.invalidateCursors();
    const stale = await call(first.links.next!);

    // Assess
    expect([forged.status, garbage.status, stale.status]).toEqual([400, 400, 400]);
    expect(stale.body().errorSummary).toMatch(/after/);
  });
});

describe('okta simulator: filters', () => {
  it('filters on eventType, outcome.result and actor.alternateId, combined with and', async () => {
    // Prepare
    const sim = await start({ seed: 21 });
    sim.produce(3_000);
    const since = iso(sim.now() - MINUTE);
    const all = sim.events.map(
      (e) =>
        e.event as {
          uuid: string;
          eventType: string;
          outcome: { result: string };
          actor: { alternateId: string };
        },
    );
    const someone = all.find((e) => e.eventType === 'user.session.start')!.actor.alternateId;

    // Act
    const failedSignIns = await drain(
      logsUrl(sim, {
        since,
        limit: 1000,
        filter: 'eventType eq "user.session.start" and outcome.result eq "FAILURE"',
      }),
    );
    const byActor = await drain(
      logsUrl(sim, { since, limit: 1000, filter: `actor.alternateId eq "${someone}"` }),
    );

    // Assess
    const expected = (p: (e: (typeof all)[number]) => boolean): string[] => all.filter(p).map((e) => e.uuid);
    const failed = expected((e) => e.eventType === 'user.session.start' && e.outcome.result === 'FAILURE');
    expect(failed.length).toBeGreaterThan(10);
    expect(failedSignIns.uuids).toEqual(failed);
    expect(byActor.uuids).toEqual(expected((e) => e.actor.alternateId === someone));
    expect(byActor.uuids.length).toBeGreaterThan(0);
  });

  it('answers 400, naming it, to what the simulator does not support (or, sw, DESCENDING, q)', async () => {
    // Prepare
    const sim = await start();
    const since = iso(sim.now() - MINUTE);

    // Act
    const unsupported: Record<string, string>[] = [
      { filter: 'eventType eq "a" or eventType eq "b"' },
      { filter: 'eventType sw "user."' },
      { sortOrder: 'DESCENDING', until: iso(sim.now()) },
      { q: 'Chrome' },
    ];
    const answers = await Promise.all(unsupported.map((query) => call(logsUrl(sim, { since, ...query }))));

    // Assess
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400]);
    expect(answers.map((a) => a.body().errorSummary)).toEqual([
      expect.stringMatching(/supports only 'attribute eq "value"' joined with 'and'/),
      expect.stringMatching(/supports only 'attribute eq "value"'/),
      expect.stringMatching(/'sortOrder': the simulator supports only ASCENDING/),
      expect.stringMatching(/'q': the simulator does not support keywords/),
    ]);
  });

  it('answers 400 to a filter it cannot parse, one on published, and one on an unknown field', async () => {
    // Prepare
    const sim = await start();
    const since = iso(sim.now() - MINUTE);

    // Act
    const unparsable = await call(logsUrl(sim, { since, filter: 'eventType eqq "x"' }));
    const unterminated = await call(logsUrl(sim, { since, filter: 'eventType eq "x' }));
    const onPublished = await call(logsUrl(sim, { since, filter: 'published gt "2025-01-01T00:00:00Z"' }));
    const unknown = await call(logsUrl(sim, { since, filter: 'nope eq "x"' }));

    // Assess
    expect([unparsable.status, unterminated.status, onPublished.status, unknown.status]).toEqual([
      400, 400, 400, 400,
    ]);
    expect(unparsable.body().errorCode).toBe('E0000053');
    expect(onPublished.body().errorCode).toBe('E0000031');
  });
});

describe('okta simulator: Link header styles', () => {
  async function rawLinkHeaders(url: string): Promise<string[]> {
    const response = await new Promise<IncomingMessage>((resolve, reject) =>
      httpGet(url, { headers: { Authorization: `SSWS ${TOKEN}` } }, resolve).on('error', reject),
    );
    response.resume();
    const values: string[] = [];
    for (let i = 0; i < response.rawHeaders.length; i += 2) {
      if (response.rawHeaders[i]!.toLowerCase() === 'link') values.push(response.rawHeaders[i + 1]!);
    }
    return values;
  }

  it('sends self and next as two Link headers by default, or one comma-joined header', async () => {
    // Prepare
    const sim = await start();
    const url = logsUrl(sim, { since: iso(sim.now() - MINUTE) });

    // Act
    const separate = await rawLinkHeaders(url);
    sim.configure({ linkStyle: 'joined' });
    const joined = await rawLinkHeaders(url);

    // Assess
    expect(separate).toHaveLength(2);
    expect(separate[0]).toMatch(/; rel="self"$/);
    expect(separate[1]).toMatch(/; rel="next"$/);
    expect(joined).toHaveLength(1);
    expect(joined[0]).toMatch(/^<[^>]+>; rel="self", <[^>]+>; rel="next"$/);
  });
});

describe('okta simulator: authentication', () => {
  it('answers 401 E0000011 to a missing or wrong SSWS token', async () => {
    // Prepare
    const sim = await start();
    const url = logsUrl(sim, { since: iso(sim.now() - MINUTE) });

    // Act
    const missing = await call(url, { token: null });
    const wrong = await call(url, { token: 'nope' });

    // Assess
    expect([missing.status, wrong.status]).toEqual([401, 401]);
    expect(wrong.body()).toMatchObject({ errorCode: 'E0000011', errorSummary: 'Invalid token provided' });
    expect(sim.counters.unauthorized).toBe(2);
  });

  it('accepts a rotated token and refuses the old one once revoked', async () => {
    // Prepare
    const sim = await start({ apiToken: 'old-token' });
    const url = logsUrl(sim, { since: iso(sim.now() - MINUTE) });

    // Act
    sim.addApiToken('new-token');
    const bothOld = await call(url, { token: 'old-token' });
    sim.revokeApiToken('old-token');
    const oldAfter = await call(url, { token: 'old-token' });
    const newAfter = await call(url, { token: 'new-token' });
    sim.revokeApiToken();
    const none = await call(url, { token: 'new-token' });

    // Assess
    expect([bothOld.status, oldAfter.status, newAfter.status, none.status]).toEqual([200, 401, 200, 401]);
  });

  it('routes the token endpoint and non-SSWS API calls to the OAuth hook', async () => {
    // Prepare
    const seen: string[] = [];
    const hook: OktaOAuthHook = {
      handleTokenRequest: (req, body) => {
        seen.push(`token ${req.method} ${body}`);
        return Promise.resolve({
          status: 200,
          headers: { 'Content-Type': 'application/json' },
          body: '{"access_token":"at","token_type":"DPoP"}',
        });
      },
      checkApiRequest: (req, url) => {
        seen.push(`api ${url.pathname} ${req.headers.authorization ?? ''}`);
        return Promise.resolve(
          req.headers.authorization === 'DPoP at'
            ? undefined
            : { status: 401, headers: { 'WWW-Authenticate': 'DPoP error="invalid_token"' }, body: '{}' },
        );
      },
      apiResponseHeaders: () => ({ 'DPoP-Nonce': 'n-1' }),
    };
    const sim = await start({ oauth: hook });
    const url = logsUrl(sim, { since: iso(sim.now() - MINUTE) });

    // Act
    const token = await fetch(`${sim.orgUrl}/oauth2/v1/token`, {
      method: 'POST',
      body: 'grant_type=client_credentials',
    });
    const ok = await call(url, { token: null, headers: { Authorization: 'DPoP at' } });
    const refused = await call(url, { token: null, headers: { Authorization: 'DPoP other' } });
    const ssws = await call(url);

    // Assess
    expect(token.status).toBe(200);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('dpop-nonce')).toBe('n-1');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('DPoP error="invalid_token"');
    expect(ssws.status).toBe(401);
    expect(seen).toEqual([
      'token POST grant_type=client_credentials',
      'api /api/v1/logs DPoP at',
      'api /api/v1/logs DPoP other',
      `api /api/v1/logs SSWS ${TOKEN}`,
    ]);
  });
});

describe('okta simulator: rate limits and headers', () => {
  it('counts down X-Rate-Limit-Remaining, answers 429 E0000047 when empty, and resets on the minute', async () => {
    // Prepare
    const clock = manualClock(Date.UTC(2025, 2, 10, 9, 30, 15, 250));
    const sim = await start({ now: clock.now, rateLimitPerMinute: 3 });
    const url = logsUrl(sim, { since: iso(clock.now() - MINUTE) });

    // Act
    const answers = [await call(url), await call(url), await call(url), await call(url)];
    clock.advance(45_000);
    const afterReset = await call(url);

    // Assess
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers.map((a) => a.headers.get('x-rate-limit-remaining'))).toEqual(['2', '1', '0', '0']);
    expect(answers.every((a) => a.headers.get('x-rate-limit-limit') === '3')).toBe(true);
    expect(answers[3]!.headers.get('x-rate-limit-reset')).toBe(String(Date.UTC(2025, 2, 10, 9, 31) / 1000));
    expect(answers[3]!.body().errorCode).toBe('E0000047');
    expect(answers[0]!.headers.get('x-okta-request-id')).toMatch(/^\w{20,}$/);
    expect(answers[0]!.headers.get('date')).toBe(new Date(Date.UTC(2025, 2, 10, 9, 30, 15)).toUTCString());
    expect(afterReset.status).toBe(200);
    expect(afterReset.headers.get('x-rate-limit-remaining')).toBe('2');
    expect(sim.counters.rateLimited).toBe(1);
  });

  it('shares the bucket with other integrations of the org', async () => {
    // Prepare
    const sim = await start({ rateLimitPerMinute: 10 });
    const url = logsUrl(sim, { since: iso(sim.now() - MINUTE) });

    // Act
    const left = sim.consumeRateLimit(9);
    const ours = await call(url);
    const refused = await call(url);

    // Assess
    expect(left).toBe(1);
    expect(ours.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(refused.status).toBe(429);
    expect(sim.rateLimitState().remaining).toBe(0);
  });

  it('starts a window at the first request when aligned that way', async () => {
    // Prepare
    const clock = manualClock(Date.UTC(2025, 2, 10, 9, 30, 15, 0));
    const sim = await start({ now: clock.now, rateLimitPerMinute: 5, rateLimitAlignment: 'first-request' });

    // Act
    const answer = await call(logsUrl(sim, { since: iso(clock.now() - MINUTE) }));

    // Assess
    expect(answer.headers.get('x-rate-limit-reset')).toBe(String(Date.UTC(2025, 2, 10, 9, 31, 15) / 1000));
  });

  it('sends no rate-limit headers when unlimited', async () => {
    // Prepare
    const sim = await start();

    // Act
    const answer = await call(logsUrl(sim, { since: iso(sim.now() - MINUTE) }));

    // Assess
    expect(answer.headers.get('x-rate-limit-limit')).toBeNull();
  });

  it('applies its clock skew to Date, X-Rate-Limit-Reset and published', async () => {
    // Prepare
    const clock = manualClock(Date.UTC(2025, 2, 10, 9, 30, 0, 0));
    const skew = -7 * MINUTE;
    const sim = await start({ now: clock.now, clockSkewMs: skew, rateLimitPerMinute: 50 });
    sim.produce(1);

    // Act
    const answer = await call(logsUrl(sim, { since: iso(sim.now() - MINUTE) }));

    // Assess
    const date = Date.parse(answer.headers.get('date')!);
    expect(date).toBe(clock.now() + skew);
    expect(Number(answer.headers.get('x-rate-limit-reset')) * 1000 - date).toBe(MINUTE);
    expect(sim.events[0]!.publishedMs).toBe(clock.now() + skew);
  });

  /** Two ways to get Okta's concurrent-request 429: real overlap beyond the limit, or the programmed fault. */
  const concurrentRefusals: [string, () => Promise<{ refused: Answer; others: Promise<Answer>[] }>][] = [
    [
      'beyond maxConcurrentRequests',
      async () => {
        const sim = await start({ maxConcurrentRequests: 1 });
        sim.setFaults({ queue: [{ kind: 'slow', delayMs: 1_000 }] });
        const url = logsUrl(sim, { since: iso(sim.now() - MINUTE) });
        const slow = call(url);
        while (sim.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
        return { refused: await call(url), others: [slow] };
      },
    ],
    [
      'as the programmed concurrent-limit fault',
      async () => {
        const sim = await start({ rateLimitPerMinute: 50 });
        sim.produce(20);
        sim.pushFaults({ kind: 'concurrent-limit' });
        return {
          refused: await call(logsUrl(sim, { since: iso(sim.now() - MINUTE), limit: 10 })),
          others: [],
        };
      },
    ],
  ];

  it.each(concurrentRefusals)(
    'answers the concurrent-request 429 (Limit 0, Remaining 0) %s',
    async (_how, provoke) => {
      // Act
      const { refused, others } = await provoke();

      // Assess
      expect(refused.status).toBe(429);
      expect([
        refused.headers.get('x-rate-limit-limit'),
        refused.headers.get('x-rate-limit-remaining'),
      ]).toEqual(['0', '0']);
      for (const other of others) expect((await other).status).toBe(200);
    },
  );

  it('gzips pages when asked to and the client accepts it', async () => {
    // Prepare
    const sim = await start({ compress: true });
    sim.produce(50);

    // Act
    const answer = await call(logsUrl(sim, { since: iso(sim.now() - MINUTE) }), {
      headers: { 'Accept-Encoding': 'gzip' },
    });

    // Assess
    expect(answer.headers.get('content-encoding')).toBe('gzip');
    expect(answer.uuids()).toHaveLength(50);
  });
});

describe('okta simulator: faults', () => {
  async function faulted(
    fault: Parameters<OktaSimulator['pushFaults']>[0],
    options: OktaSimulatorOptions = {},
  ) {
    const sim = await start(options);
    sim.produce(20);
    sim.pushFaults(fault);
    return { sim, url: logsUrl(sim, { since: iso(sim.now() - MINUTE), limit: 10 }) };
  }

  it('fires queued faults in order, one per request, then serves normally', async () => {
    // Prepare
    const sim = await start();
    sim.setFaults({ queue: [{ kind: 'pass' }, { kind: 'server-error' }, { kind: 'status', status: 403 }] });
    const url = logsUrl(sim, { since: iso(sim.now() - MINUTE) });

    // Act
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await call(url)).status);

    // Assess
    expect(statuses).toEqual([200, 500, 403, 200]);
    expect(sim.requests.map((r) => r.fault)).toEqual([undefined, 'server-error', 'status', undefined]);
    expect(sim.counters.faults).toBe(2);
  });

  it('draws chance faults deterministically from the seed', async () => {
    // Prepare
    const schedule = { probability: 0.5, pool: [{ kind: 'server-error' as const }], seed: 99 };
    const runs: number[][] = [];

    // Act
    for (let run = 0; run < 2; run += 1) {
      const sim = await startOktaSimulator({ faults: schedule });
      const url = logsUrl(sim, { since: iso(sim.now() - MINUTE) });
      const statuses = [];
      for (let i = 0; i < 12; i += 1) statuses.push((await call(url)).status);
      runs.push(statuses);
      await sim.stop();
    }

    // Assess
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[0]).toContain(500);
    expect(runs[0]).toContain(200);
  });

  it('rate-limit: 429 E0000047 with Remaining 0 and the programmed X-Rate-Limit-Reset', async () => {
    // Prepare
    const { sim, url } = await faulted({ kind: 'rate-limit', resetInSeconds: 30 });

    // Act
    const answer = await call(url);

    // Assess
    expect(answer.status).toBe(429);
    expect(answer.body().errorCode).toBe('E0000047');
    expect(answer.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(Number(answer.headers.get('x-rate-limit-reset'))).toBe(Math.ceil((sim.now() + 30_000) / 1000));
  });

  it('server-error: 500 E0000009; unavailable: 503 with an HTML body', async () => {
    // Prepare
    const { sim, url } = await faulted({ kind: 'server-error' });
    sim.pushFaults({ kind: 'unavailable' });

    // Act
    const timeout = await call(url);
    const unavailable = await call(url);

    // Assess
    expect(timeout.status).toBe(500);
    expect(timeout.body().errorCode).toBe('E0000009');
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('content-type')).toMatch(/text\/html/);
    expect(unavailable.text).toMatch(/^<!DOCTYPE html>/);
  });

  it('reset-mid-body: headers with a next link arrive, then the body fails', async () => {
    // Prepare
    const { url } = await faulted({ kind: 'reset-mid-body', fraction: 0.3 });

    // Act
    const response = await fetch(url, { headers: { Authorization: `SSWS ${TOKEN}` } });
    const body = response.text();

    // Assess
    expect(response.status).toBe(200);
    expect(parseLinks(response.headers.get('link')).next).toBeDefined();
    await expect(body).rejects.toThrow();
  });

  it('malformed-json: 200 with a truncated body and a next link that must not be followed', async () => {
    // Prepare
    const { url } = await faulted({ kind: 'malformed-json' });

    // Act
    const answer = await call(url);

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.links.next).toBeDefined();
    expect(() => JSON.parse(answer.text) as unknown).toThrow();
  });

  it('slow: answers after the delay', async () => {
    // Prepare
    const { url } = await faulted({ kind: 'slow', delayMs: 250 });

    // Act
    const started = performance.now();
    const answer = await call(url);

    // Assess
    expect(answer.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('hang: never answers, so the client must time out', async () => {
    // Prepare
    const { url } = await faulted({ kind: 'hang' });

    // Act
    const outcome = call(url, { signal: AbortSignal.timeout(200) });

    // Assess
    await expect(outcome).rejects.toThrow(/abort|timeout/i);
  });

  it('empty-page: [] with a next link to the same position, so nothing is skipped', async () => {
    // Prepare
    const sim = await start();
    const url = logsUrl(sim, { since: iso(sim.now() - MINUTE), limit: 10 });
    const first = await call(url);
    sim.produce(20);
    sim.pushFaults({ kind: 'empty-page' });

    // Act
    const empty = await call(first.links.next!);
    const { uuids } = await drain(empty.links.next!);

    // Assess
    expect(empty.text).toBe('[]');
    expect(uuids).toEqual(sim.events.map((e) => e.uuid));
  });

  it('stuck-page: the real page, with a next link to the request itself', async () => {
    // Prepare
    const sim = await start();
    sim.produce(30);
    const url = logsUrl(sim, { since: iso(sim.now() - MINUTE), limit: 10 });
    const first = await call(url);
    sim.pushFaults({ kind: 'stuck-page' });

    // Act
    const stuck = await call(first.links.next!);
    const after = await call(stuck.links.next!);

    // Assess
    expect(stuck.links.next).toBe(first.links.next);
    expect(stuck.uuids()).toEqual(sim.events.slice(10, 20).map((e) => e.uuid));
    expect(after.uuids()).toEqual(stuck.uuids());
  });

  it('foreign-next: the next link points at another origin', async () => {
    // Prepare
    const { url } = await faulted({ kind: 'foreign-next', origin: 'https://evil.example' });

    // Act
    const answer = await call(url);

    // Assess
    expect(answer.uuids()).toHaveLength(10);
    expect(new URL(answer.links.next!).origin).toBe('https://evil.example');
  });

  it("status: 401, 403 and 404 in Okta's error shape", async () => {
    // Prepare
    const { sim, url } = await faulted({ kind: 'status', status: 401 });
    sim.pushFaults({ kind: 'status', status: 403 }, { kind: 'status', status: 404 });

    // Act
    const answers = [await call(url), await call(url), await call(url)];

    // Assess
    expect(answers.map((a) => [a.status, a.body().errorCode])).toEqual([
      [401, 'E0000011'],
      [403, 'E0000006'],
      [404, 'E0000007'],
    ]);
  });

  it('records requests with their headers, status and events', async () => {
    // Prepare
    const sim = await start();
    sim.produce(3);

    // Act
    await call(logsUrl(sim, { since: iso(sim.now() - MINUTE) }), {
      headers: { 'X-Okta-Retry-For': 'abc', 'X-Okta-Retry-Count': '1' },
    });
    await call(`${sim.orgUrl}/api/v1/users`);

    // Assess
    expect(sim.requests[0]).toMatchObject({ kind: 'logs', status: 200, events: 3, query: 'polling' });
    expect(sim.requests[0]!.headers['x-okta-retry-for']).toBe('abc');
    expect(sim.requests[1]).toMatchObject({ kind: 'other', status: 404 });
    expect(sim.served.get(sim.events[0]!.uuid)).toBe(1);
    expect(sim.counters).toMatchObject({ requests: 2, logsRequests: 1, pages: 1, eventsServed: 3 });
  });
});
