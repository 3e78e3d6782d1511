/**
 * Manual replays (`{"replay": {"since", "until", "filter"?}}`) through the real handler against the local stack:
 * exact windows, resumption across invocations, marking in Sumo, validation before any Okta call, and
 * coexistence with scheduled ticks on the main cursor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplaySummary } from '../../lambda/core/collect.js';
import { startLocalStack, type LocalStack } from '../../dev/local-stack.js';
import type { StoredOktaEvent } from '../../dev/okta-simulator.js';
import { readCursorItem } from './support/cursor-table.js';
import { loadHandler, type HandlerUnderTest } from './support/handler-under-test.js';
import {
  batchesSince,
  compareLines,
  countUuids,
  liveLines,
  markSumo,
  replayLines,
  sumoFields,
} from './support/sumo-views.js';

const MINUTE_MS = 60_000;
const PAGE_LIMIT = 50;
/**
 * Room for exactly one page: the handler starts a page only with 3 s left beyond its 1.5 s checkpoint
 * reserve, and every Okta answer is made to take {@link SLOW_OKTA_MS}, so after one page less is left.
 */
const ONE_PAGE_MS = 5000;
const SLOW_OKTA_MS = 700;

interface Window {
  readonly since: string;
  readonly until: string;
}

/** Events Okta published in [since, until). */
const inWindow = (events: readonly StoredOktaEvent[], window: Window): StoredOktaEvent[] =>
  events.filter(
    (event) => event.publishedMs >= Date.parse(window.since) && event.publishedMs < Date.parse(window.until),
  );

describe('a replay through the handler', () => {
  let stack: LocalStack;
  let lambda: HandlerUnderTest;
  // Whole minutes, well over a minute in the past (a replay may not end in the last minute).
  const t0 = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - 10 * MINUTE_MS;
  const hour = (n: number) => new Date(t0 - n * 60 * MINUTE_MS).toISOString();
  const windows = {
    main: { since: hour(2), until: hour(1) },
    beside: { since: hour(4), until: hour(3) },
    ticks: { since: hour(6), until: hour(5) },
    untouched: { since: hour(8), until: hour(7) },
  } satisfies Record<string, Window>;

  /** Invokes the same replay until it answers done (or `max` invocations). */
  async function replayUntilDone(
    request: Window & { filter?: string },
    remainingMs: number,
    max = 20,
  ): Promise<ReplaySummary[]> {
    const results: ReplaySummary[] = [];
    for (let i = 0; i < max; i++) {
      const result = await lambda.replay(request, remainingMs);
      results.push(result);
      if (result.done) break;
    }
    return results;
  }

  const slowOkta = () =>
    stack.okta.setFaults({ probability: 1, pool: [{ kind: 'slow', delayMs: SLOW_OKTA_MS }] });
  const normalOkta = () => stack.okta.setFaults({});

  beforeAll(async () => {
    stack = await startLocalStack({
      env: { OKTA_PAGE_LIMIT: String(PAGE_LIMIT), SUMO_FIELDS: 'team=secops' },
    });
    lambda = await loadHandler(stack.env);
    // Every window: events spread inside, events on both edges and 1 ms beside them.
    for (const window of Object.values(windows)) {
      const since = Date.parse(window.since);
      const until = Date.parse(window.until);
      stack.okta.produce(180, {
        publishedAt: (i) => since + Math.floor(((i + 0.5) * (until - since)) / 180),
      });
      stack.okta.produce(4, { publishedAt: since });
      stack.okta.produce(3, { publishedAt: until });
      stack.okta.produce(2, { publishedAt: since - 1 });
      stack.okta.produce(2, { publishedAt: until - 1 });
    }
    // Live collection has them all already: whatever a replay sends is marked as the replay's.
    await lambda.tick();
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('sends exactly the events published in [since, until) over several short invocations, marked replay=<id>', async () => {
    // Prepare
    const window = windows.main;
    const expected = inWindow(stack.okta.events, window);
    const mark = markSumo(stack.sumo);
    slowOkta();

    // Act
    const results = await replayUntilDone(window, ONE_PAGE_MS).finally(normalOkta);

    // Assess: resumed where each invocation stopped, until done.
    const last = results.at(-1)!;
    expect(last.done).toBe(true);
    expect(results.length).toBeGreaterThan(2);
    expect(results.slice(0, -1).every((result) => !result.done && result.stopReason === 'time-budget')).toBe(
      true,
    );
    expect(results.every((result) => result.pages <= 1)).toBe(true);
    // Edges: at `since` included, at `until` excluded, 1 ms inside each edge included.
    expect(expected.filter((event) => event.publishedMs === Date.parse(window.since))).toHaveLength(4);
    expect(expected.filter((event) => event.publishedMs === Date.parse(window.until) - 1)).toHaveLength(2);
    const lines = replayLines(stack.sumo, last.replayId);
    expect(compareLines(lines, expected)).toEqual({
      missing: [],
      unexpected: [],
      mismatched: [],
      duplicates: 0,
    });
    for (const batch of batchesSince(stack.sumo, mark)) {
      expect(batch.headers['x-sumo-category']).toBe('okta');
      expect(sumoFields(batch)).toEqual({ team: 'secops', replay: last.replayId });
    }
  });

  it('reports its id, window, state and totals over every invocation', async () => {
    // Prepare
    const window = windows.main;
    const expected = inWindow(stack.okta.events, window);

    // Act: the replay is done; invoking it again only reports.
    const result = await lambda.replay(window);

    // Assess
    expect(result).toMatchObject({
      replayId: expect.stringMatching(/^r-[0-9a-f]{16}$/),
      stream: `replay#${result.replayId}`,
      done: true,
      stopReason: 'done',
      window: { since: window.since, until: window.until },
      totalEvents: expected.length,
      totalPages: Math.ceil(expected.length / PAGE_LIMIT),
      warnings: [],
    });
  });

  it('answers done at once when invoked again after it is done, without calling Okta or re-sending', async () => {
    // Prepare
    const mark = markSumo(stack.sumo);
    const oktaRequests = stack.okta.counters.requests;

    // Act
    const again = await lambda.replay(windows.main);

    // Assess
    expect(again).toMatchObject({ done: true, stopReason: 'done', events: 0, pages: 0, batches: 0 });
    expect(stack.okta.counters.requests).toBe(oktaRequests);
    expect(batchesSince(stack.sumo, mark)).toEqual([]);
  });

  it('resumes the same replay when the same window is spelled differently', async () => {
    // Prepare: the same instants without milliseconds and with a +02:00 offset.
    const done = await lambda.replay(windows.main);
    const respelled = {
      since: windows.main.since.replace('.000Z', 'Z'),
      until: new Date(Date.parse(windows.main.until) + 2 * 60 * MINUTE_MS)
        .toISOString()
        .replace('.000Z', '+02:00'),
    };
    const oktaRequests = stack.okta.counters.requests;

    // Act
    const again = await lambda.replay(respelled);

    // Assess
    expect(again).toMatchObject({ replayId: done.replayId, done: true, events: 0, window: windows.main });
    expect(stack.okta.counters.requests).toBe(oktaRequests);
  });

  it('is done in one invocation when no event was published in the window', async () => {
    // Prepare
    const empty = { since: hour(10), until: hour(9) };
    const mark = markSumo(stack.sumo);

    // Act
    const result = await lambda.replay(empty);

    // Assess
    expect(result).toMatchObject({
      done: true,
      stopReason: 'done',
      events: 0,
      totalEvents: 0,
      window: empty,
    });
    expect(batchesSince(stack.sumo, mark)).toEqual([]);
  });

  it('warns, and still finishes, when the window is older than the 90 days Okta keeps', async () => {
    // Prepare
    const ancient = {
      since: new Date(Date.now() - 120 * 86_400_000).toISOString(),
      until: new Date(Date.now() - 119 * 86_400_000).toISOString(),
    };

    // Act
    const result = await lambda.replay(ancient);

    // Assess
    expect(result).toMatchObject({
      done: true,
      totalEvents: 0,
      warnings: [expect.stringMatching(/more than 90 days ago/)],
    });
  });

  it('sends only the events matching a filter, as a replay of its own', async () => {
    // Prepare
    const filter = 'eventType eq "user.session.start"';
    const window = windows.main;
    const all = inWindow(stack.okta.events, window);
    const expected = all.filter((event) => event.event.eventType === 'user.session.start');
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);

    // Act
    const results = await replayUntilDone({ ...window, filter }, 60_000);

    // Assess
    const last = results.at(-1)!;
    expect(last).toMatchObject({ done: true, window: { ...window, filter }, totalEvents: expected.length });
    const unfiltered = (await lambda.replay(window)).replayId;
    expect(last.replayId).not.toBe(unfiltered);
    expect(compareLines(replayLines(stack.sumo, last.replayId), expected)).toEqual({
      missing: [],
      unexpected: [],
      mismatched: [],
      duplicates: 0,
    });
  });

  const valid = () => windows.main;
  const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
  it.each([
    ['until is missing', { replay: { since: valid().since } }, /replay\.until is required/],
    ['since is missing', { replay: { until: valid().until } }, /replay\.since is required/],
    [
      'since is not an instant',
      { replay: { since: 'last tuesday', until: valid().until } },
      /replay\.since must be an ISO-8601 instant/,
    ],
    [
      'since is not before until',
      { replay: { since: valid().until, until: valid().since } },
      /replay\.since must be before replay\.until/,
    ],
    [
      'until is in the last minute',
      { replay: { since: valid().since, until: new Date().toISOString() } },
      /at least 1 minute in the past/,
    ],
    ['since is over 180 days ago', { replay: { since: daysAgo(200), until: daysAgo(199) } }, /180 days/],
    ['a key is unknown', { replay: { ...valid(), limit: 10 } }, /unknown key\(s\) "limit"/],
    [
      'the filter is too long',
      { replay: { ...valid(), filter: `eventType eq "${'x'.repeat(1100)}"` } },
      /longer than 1024/,
    ],
    ['replay is not an object', { replay: 'yesterday' }, /replay must be an object/],
    ['the payload has more than replay', { replay: valid(), dryRun: true }, /must hold only "replay"/],
    [
      'the payload is neither a tick nor a replay',
      { since: valid().since },
      /unrecognised invocation payload/,
    ],
  ])(
    'rejects a payload where %s, with a clear message, before any Okta call',
    async (_case, payload, message) => {
      // Prepare
      const oktaRequests = stack.okta.counters.requests;
      const mark = markSumo(stack.sumo);

      // Act
      const act = lambda.invoke(payload);

      // Assess
      await expect(act).rejects.toThrow(message);
      await expect(act).rejects.toMatchObject({ name: 'ReplayRequestError' });
      expect(stack.okta.counters.requests).toBe(oktaRequests);
      expect(batchesSince(stack.sumo, mark)).toEqual([]);
    },
  );

  it('never changes the main cursor item', async () => {
    // Prepare
    stack.okta.produce(20);
    await lambda.tick();
    const mainBefore = await readCursorItem(stack, 'main');
    slowOkta();

    // Act
    const results = await replayUntilDone(windows.untouched, ONE_PAGE_MS).finally(normalOkta);

    // Assess
    expect(results.at(-1)?.done).toBe(true);
    expect(results.length).toBeGreaterThan(1);
    expect(await readCursorItem(stack, 'main')).toEqual(mainBefore);
  });

  it('runs beside scheduled ticks collecting live events, and nothing is lost on either side', async () => {
    // Prepare
    const window = windows.beside;
    const expected = inWindow(stack.okta.events, window);
    const live: StoredOktaEvent[] = [];
    let replayId = '';
    slowOkta();

    // Act: each round, new live events, and a tick and a short replay invocation at the same time.
    try {
      for (let round = 0; round < 12; round++) {
        live.push(...stack.okta.produce(30));
        const [tick, replay] = await Promise.all([lambda.tick(), lambda.replay(window, ONE_PAGE_MS)]);
        expect(tick.stopReason).toBe('caught-up');
        replayId = replay.replayId;
        if (replay.done || tick.replays.some((run) => run.done === true)) break;
      }
    } finally {
      normalOkta();
    }
    live.push(...stack.okta.produce(30));
    await lambda.tick();

    // Assess
    expect((await lambda.replay(window)).done).toBe(true);
    const liveCounts = countUuids(liveLines(stack.sumo));
    expect(live.filter((event) => liveCounts.get(event.uuid) !== 1)).toEqual([]);
    expect(compareLines(replayLines(stack.sumo, replayId), expected)).toEqual({
      missing: [],
      unexpected: [],
      mismatched: [],
      duplicates: 0,
    });
  });

  it('is completed by scheduled ticks once live collection is caught up', async () => {
    // Prepare: a replay started by hand that stopped after one page.
    const window = windows.ticks;
    const expected = inWindow(stack.okta.events, window);
    slowOkta();
    const started = await lambda.replay(window, ONE_PAGE_MS);
    expect(started).toMatchObject({ done: false, stopReason: 'time-budget', pages: 1 });
    const replayItem = await readCursorItem(stack, `replay#${started.replayId}`);
    const live = stack.okta.produce(3 * PAGE_LIMIT);

    // Act 1: a tick that is not caught up when its time runs out leaves the replay alone.
    const behind = await lambda.tick(ONE_PAGE_MS);
    normalOkta();

    // Assess 1
    expect(behind).toMatchObject({ stopReason: 'time-budget', replays: [] });
    expect(await readCursorItem(stack, `replay#${started.replayId}`)).toEqual(replayItem);

    // Act 2
    const caughtUp = await lambda.tick();
    const next = await lambda.tick();

    // Assess 2: live first, then the replay to its end; nothing left for the following tick.
    expect(caughtUp.stopReason).toBe('caught-up');
    expect(caughtUp.replays).toEqual([
      expect.objectContaining({
        stream: `replay#${started.replayId}`,
        done: true,
        stopReason: 'done',
        totalEvents: expected.length,
      }),
    ]);
    expect(next.replays).toEqual([]);
    const liveCounts = countUuids(liveLines(stack.sumo));
    expect(live.filter((event) => liveCounts.get(event.uuid) !== 1)).toEqual([]);
    expect(compareLines(replayLines(stack.sumo, started.replayId), expected)).toEqual({
      missing: [],
      unexpected: [],
      mismatched: [],
      duplicates: 0,
    });
  });
});
