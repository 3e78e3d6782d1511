import { describe, expect, it } from 'vitest';
import { OktaApiError, RateLimitedError } from '../../lambda/core/errors.js';
import { MAX_BATCH_BYTES } from '../../lambda/core/batcher.js';
import { makeEvent, sumoError, uuidOf } from '../../dev/core-fakes.js';
import { makeHarness, PAGE_LIMIT } from './harness.js';

describe('collect (scheduled tick)', () => {
  it('delivers every event once, page by page, and stops when a page is not full', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(25);

    // Act
    const summary = await h.tick();

    // Assess
    expect(summary.stopReason).toBe('caught-up');
    expect(summary.events).toBe(25);
    expect(summary.pages).toBe(3);
    expect(h.sink.uuids()).toEqual(h.source.events.map(uuidOf));
    expect(h.cursors.items.get('main')?.next).toBe('fake://logs?after=25');
    expect(summary.lagSeconds).toBe(61);
  });

  it('starts a brand-new cursor 7 days back with a polling query (no until)', async () => {
    // Prepare
    const h = makeHarness();

    // Act
    await h.tick();

    // Assess
    expect(h.source.requests[0]).toEqual({ since: new Date(h.clock.now() - 7 * 86_400_000).toISOString() });
  });

  it('starts a brand-new cursor at OKTA_START_TIME when given', async () => {
    // Prepare
    const h = makeHarness({ startTime: '2026-11-20T00:00:00.000Z' });

    // Act
    await h.tick();

    // Assess
    expect(h.source.requests[0]).toEqual({ since: '2026-11-20T00:00:00.000Z' });
  });

  it('refuses to start a brand-new cursor more than 180 days back, naming OKTA_START_TIME', async () => {
    // Prepare
    const h = makeHarness({ startTime: '2026-01-01T00:00:00.000Z' });

    // Act
    const run = h.tick();

    // Assess
    await expect(run).rejects.toThrow('OKTA_START_TIME is more than 180 days ago');
    expect(h.source.requests).toHaveLength(0);
  });

  it('resumes from the stored next link on the following tick', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(15);
    await h.tick();
    const requestsBefore = h.source.requests.length;
    h.produce(7);

    // Act
    const summary = await h.tick();

    // Assess
    expect(h.source.requests[requestsBefore]).toEqual({ next: 'fake://logs?after=15' });
    expect(summary.events).toBe(7);
    expect(h.sink.uuids()).toEqual(h.source.events.map(uuidOf));
  });

  it('writes the cursor only after Sumo accepted every batch of the page', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(25);
    let commitsWhenSending: number[] = [];
    h.sink.onSend = () => commitsWhenSending.push(h.cursors.commits.length);

    // Act
    await h.tick();

    // Assess: batch k of page p is sent when exactly p-1 cursors have been written
    expect(commitsWhenSending).toEqual([0, 1, 2]);
    commitsWhenSending = [];
  });

  it('does not move the cursor past a page Sumo refused, and throws a fatal error after checkpointing', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(25);
    h.sink.faults = [undefined, sumoError(401)];

    // Act
    const run = h.tick();

    // Assess
    await expect(run).rejects.toThrow('Sumo answered 401');
    expect(h.cursors.items.get('main')?.next).toBe('fake://logs?after=10');
    expect(h.cursors.items.get('main')?.leaseOwner).toBeUndefined();
  });

  it('retries a batch Sumo answered 429 or 503 and then moves on', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(5);
    h.sink.faults = [sumoError(429), sumoError(503)];

    // Act
    const summary = await h.tick();

    // Assess
    expect(summary.retries).toBe(2);
    expect(h.sink.uuids()).toHaveLength(5);
    expect(summary.stopReason).toBe('caught-up');
  });

  it('waits for the window named by a 429 and sends Okta the retry headers', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(5);
    const retryAt = h.clock.now() + 20_000;
    h.source.faults = [new RateLimitedError('429', { retryAt, concurrent: false, requestId: 'req-429' })];

    // Act
    const summary = await h.tick();

    // Assess
    expect(summary.rateLimited).toBe(1);
    expect(h.clock.now()).toBeGreaterThanOrEqual(retryAt);
    expect(h.source.retryHeaders[1]).toEqual({ retryFor: 'req-429', retryCount: 1 });
    expect(summary.events).toBe(5);
  });

  it('checkpoints and returns normally when a 429 wait does not fit the time left', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(15);
    h.source.faults = [
      undefined,
      new RateLimitedError('429', { retryAt: h.clock.now() + 120_000, concurrent: false }),
    ];

    // Act
    const summary = await h.tick(60_000);

    // Assess
    expect(summary.stopReason).toBe('time-budget');
    expect(summary.events).toBe(10);
    expect(h.cursors.items.get('main')?.next).toBe('fake://logs?after=10');
  });

  it('stops starting pages when the time budget is low and resumes on the next tick', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(50);
    // Each Sumo post takes 2 s of (fake) time: the 4th page no longer fits 8 s.
    h.sink.delay = () => h.clock.sleep(2000);

    // Act
    const first = await h.tick(8000);
    const second = await h.tick();

    // Assess
    expect(first.stopReason).toBe('time-budget');
    expect(first.events).toBeGreaterThan(0);
    expect(first.events).toBeLessThan(50);
    expect(second.stopReason).toBe('caught-up');
    expect(h.sink.uuids()).toEqual(h.source.events.map(uuidOf));
  });

  it('exits cleanly without touching anything when another invocation holds the lease', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(5);
    await h.cursors.acquire('main', {
      owner: 'other',
      expiresAt: h.clock.now() + 60_000,
      now: h.clock.now(),
    });

    // Act
    const summary = await h.tick();

    // Assess
    expect(summary.stopReason).toBe('lease-held');
    expect(h.source.requests).toHaveLength(0);
    expect(h.cursors.items.get('main')?.leaseOwner).toBe('other');
  });

  it('takes over a lease whose holder died after its deadline passed', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(5);
    await h.cursors.acquire('main', { owner: 'dead', expiresAt: h.clock.now() + 1000, now: h.clock.now() });
    h.clock.advance(2000);

    // Act
    const summary = await h.tick();

    // Assess
    expect(summary.stopReason).toBe('caught-up');
    expect(summary.events).toBe(5);
  });

  it('stops without writing when the lease is taken over mid-run', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(25);
    h.sink.onSend = () => {
      if (h.sink.accepted.length === 1) h.cursors.steal('main', 'thief');
    };

    // Act
    const summary = await h.tick();

    // Assess
    expect(summary.stopReason).toBe('lease-lost');
    expect(h.cursors.items.get('main')?.next).toBe('fake://logs?after=10');
    expect(h.cursors.items.get('main')?.leaseOwner).toBe('thief');
  });

  it('restarts from the last delivered time minus an overlap when Okta rejects the stored cursor', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(12);
    await h.tick();
    const requestsBefore = h.source.requests.length;
    h.source.faults = [
      new OktaApiError('bad after', { status: 400, retryable: false, errorCode: 'E0000001' }),
    ];

    // Act
    const summary = await h.tick();

    // Assess
    const lastPublished = Date.parse(h.source.events[11]!.published!);
    expect(summary.recoveries).toBe(1);
    expect(h.source.requests[requestsBefore]).toEqual({ next: 'fake://logs?after=12' });
    expect(h.source.requests[requestsBefore + 1]).toEqual({
      since: new Date(lastPublished - 5 * 60_000).toISOString(),
    });
    expect(h.logger.messages('error')).toContain('cursor unusable, restarting from the last delivered time');
  });

  it('recovers from a corrupt cursor item with nothing usable in it by restarting where the stream started', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(3);
    h.cursors.items.set('main', { version: 1, savedAt: new Date(h.clock.now()).toISOString() });
    h.cursors.corruption = 'next is not a string';

    // Act
    const summary = await h.tick();

    // Assess
    expect(summary.recoveries).toBe(1);
    expect(summary.events).toBe(3);
  });

  it('fetches the next page while the current one is being posted, yet commits in page order', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(35);
    let overlapped = 0;
    h.sink.delay = async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (h.source.requests.length > h.cursors.commits.length + 1) overlapped += 1;
    };

    // Act
    await h.tick();

    // Assess
    expect(overlapped).toBeGreaterThan(0);
    expect(h.cursors.commits.map((commit) => commit.checkpoint.next)).toEqual([
      'fake://logs?after=10',
      'fake://logs?after=20',
      'fake://logs?after=30',
      'fake://logs?after=35',
    ]);
  });

  it('sends the next request when the headers of a full page arrive, before its body is parsed, at most two at once', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(65);
    h.source.bodyDelayMs = 5;

    // Act
    const summary = await h.tick();

    // Assess
    expect(h.source.maxInFlight).toBe(2);
    expect(summary.events).toBe(65);
    expect(h.sink.uuids()).toEqual(h.source.events.map(uuidOf));
    expect(h.cursors.commits.map((commit) => commit.checkpoint.next).at(-1)).toBe('fake://logs?after=65');
  });

  it('does not use an early request when the page it came from was retried with another next link', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(45);
    await h.tick();
    h.produce(30);
    const source = h.source;
    const original = source.fetchPage.bind(source);
    let calls = 0;
    source.fetchPage = async (request, options) => {
      calls += 1;
      // The 2nd request announces a bogus next link, then fails as a malformed body would; its retry is clean.
      if (calls === 2) {
        options.onNext?.('fake://logs?after=0', undefined);
        throw new OktaApiError('malformed', {
          status: 200,
          retryable: true,
          errorCode: 'MALFORMED_RESPONSE',
        });
      }
      return original(request, options);
    };

    // Act
    await h.tick();

    // Assess: every event exactly once despite the bogus early link
    expect(h.sink.uuids()).toEqual(h.source.events.map(uuidOf));
  });

  it('keeps batches within 1 MB and sends an oversized event alone with a warning', async () => {
    // Prepare
    const h = makeHarness({ pageLimit: 1000 });
    const big = 'x'.repeat(300_000);
    for (let i = 0; i < 8; i++)
      h.source.events.push(makeEvent(i, h.clock.now() - 120_000 + i, { debugData: big }));
    h.source.events.push(makeEvent(8, h.clock.now() - 60_000, { debugData: 'y'.repeat(1_200_000) }));

    // Act
    await h.tick();

    // Assess
    const sizes = h.sink.accepted.map(({ batch }) => batch.bytes);
    expect(sizes.slice(0, -1).every((bytes) => bytes <= MAX_BATCH_BYTES)).toBe(true);
    expect(h.sink.accepted.at(-1)?.batch.events).toBe(1);
    expect(h.logger.messages('warn')).toContain('event larger than 1 MB sent alone');
    expect(h.sink.uuids()).toHaveLength(9);
  });

  it('paces requests to its share of the rate limit instead of running into 429s', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(100);
    const resetAt = h.clock.now() + 60_000;
    h.source.rateLimit = (call) => ({
      limit: 4,
      remaining: 4 - call - 1,
      resetAt: call < 2 ? resetAt : resetAt + 60_000,
    });

    // Act
    const summary = await h.tick(600_000);

    // Assess: share 0.5 of 4 = 2 requests, then a wait for the reset
    expect(summary.rateLimited).toBe(0);
    expect(h.clock.now()).toBeGreaterThanOrEqual(resetAt);
    expect(summary.events).toBe(100);
  });
});

describe('replay', () => {
  const window = (h: ReturnType<typeof makeHarness>) => ({
    since: new Date(h.clock.now() - 3_600_000).toISOString(),
    until: new Date(h.clock.now() - 60_000).toISOString(),
  });

  it('sends exactly the events published in [since, until), marked with the replay id, without touching the main cursor', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(40);
    await h.tick();
    const mainBefore = structuredClone(h.cursors.items.get('main'));
    const request = { since: h.source.events[5]!.published!, until: h.source.events[30]!.published! };
    h.sink.accepted.length = 0;

    // Act
    const summary = await h.replay(request);

    // Assess
    expect(summary.done).toBe(true);
    expect(h.sink.uuids()).toEqual(h.source.events.slice(5, 30).map(uuidOf));
    expect(h.sink.accepted.every(({ fields }) => fields?.replay === summary.replayId)).toBe(true);
    expect(h.cursors.items.get('main')).toEqual(mainBefore);
    expect(summary.totalEvents).toBe(25);
  });

  it('resumes where it stopped when invoked again with the same window, until done', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(60);
    h.sink.delay = () => h.clock.sleep(2000);
    const request = window(h);

    // Act
    const results = [];
    for (let i = 0; i < 20; i++) {
      const result = await h.replay(request, 8000);
      results.push(result);
      if (result.done) break;
    }

    // Assess
    expect(results.length).toBeGreaterThan(1);
    expect(results.at(-1)?.done).toBe(true);
    expect(new Set(results.map((result) => result.replayId)).size).toBe(1);
    expect(h.sink.uuids().sort()).toEqual(h.source.events.map(uuidOf).sort());
    expect(results.at(-1)?.totalEvents).toBe(60);
  });

  it('passes the filter to Okta', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(5);
    h.source.events.push(makeEvent(99, h.clock.now() - 600_000, { eventType: 'user.account.lock' }));

    // Act
    const summary = await h.replay({ ...window(h), filter: 'user.account.lock' });

    // Assess
    expect(h.sink.uuids()).toEqual(['evt-99']);
    expect(summary.window.filter).toBe('user.account.lock');
  });

  it('is continued by scheduled ticks after the live cursor caught up', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(30);
    h.sink.delay = () => h.clock.sleep(2000);
    const first = await h.replay(window(h), 6000);
    h.sink.delay = undefined;

    // Act
    const tick = await h.tick();

    // Assess
    expect(first.done).toBe(false);
    expect(tick.replays).toHaveLength(1);
    expect(tick.replays[0]?.done).toBe(true);
    expect(await h.cursors.listUnfinishedReplays()).toHaveLength(0);
  });

  it('rejects an invalid request before calling Okta', async () => {
    // Prepare
    const h = makeHarness();

    // Act
    const run = h.replay({ since: 'yesterday', until: '2026-11-26T00:00:00Z' });

    // Assess
    await expect(run).rejects.toThrow('replay.since must be an ISO-8601 instant');
    expect(h.source.requests).toHaveLength(0);
  });

  it('keeps a replay window to [since, until) even if Okta returns an event at until', async () => {
    // Prepare
    const h = makeHarness();
    const until = h.clock.now() - 120_000;
    h.source.events.push(makeEvent(1, until - 1000), makeEvent(2, until));
    const source = h.source;
    const original = source.fetchPage.bind(source);
    source.fetchPage = async (request, options) => {
      const page = await original(request, options);
      return { ...page, events: source.events };
    };

    // Act
    await h.replay({ since: new Date(until - 60_000).toISOString(), until: new Date(until).toISOString() });

    // Assess
    expect(h.sink.uuids()).toEqual(['evt-1']);
  });
});

describe('page limit', () => {
  it('judges a page full by the limit its request carried (a stored next link keeps an older OKTA_PAGE_LIMIT)', async () => {
    // Prepare: Okta serves pages of 5 (the limit in the stored links) while the configuration now says 10
    const h = makeHarness({ pageLimit: 10, sourceLimit: 5 });
    h.produce(23);

    // Act
    const summary = await h.tick();

    // Assess
    expect(summary.events).toBe(23);
    expect(summary.stopReason).toBe('caught-up');
  });

  it('uses the configured page limit to decide that it caught up', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(PAGE_LIMIT);

    // Act
    const summary = await h.tick();

    // Assess: a full page means "maybe more": the collector asks once more and gets an empty page
    expect(summary.pages).toBe(2);
    expect(summary.stopReason).toBe('caught-up');
  });
});
