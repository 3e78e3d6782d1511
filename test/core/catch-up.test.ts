import { describe, expect, it } from 'vitest';
import { collect } from '../../lambda/core/collect.js';
import { SEGMENT_MARGIN_MS } from '../../lambda/core/catch-up-segment.js';
import type { FetchOptions, LogPage, LogSource, PageRequest } from '../../lambda/core/ports.js';
import { Deadline, DEFAULT_TIME_BUDGET } from '../../lambda/core/time-budget.js';
import { makeEvent, uuidOf } from '../../dev/core-fakes.js';
import { makeHarness } from './harness.js';

const HOUR = 3_600_000;
const PAGE = 10;

type Harness = ReturnType<typeof makeHarness>;

/** Okta answering each request after `latencyMs` on the injected clock, with rate-limit headers unless told not to. */
function slowOkta(h: Harness, latencyMs: number, headers = true): void {
  const inner = h.source;
  inner.rateLimit = headers
    ? () => ({ limit: 1200, remaining: 1000, resetAt: h.clock.now() + 30_000 })
    : undefined;
  const slow: LogSource = {
    async fetchPage(request: PageRequest, options: FetchOptions): Promise<LogPage> {
      await h.clock.sleep(latencyMs);
      return inner.fetchPage(request, options);
    },
  };
  (h.deps as { source: LogSource }).source = slow;
}

/** `count` events published evenly over the `spanMs` before now − 1 minute, in persistence order. */
function backlog(h: Harness, count: number, spanMs: number): void {
  const first = h.source.events.length;
  const end = h.clock.now() - 60_000;
  for (let i = 0; i < count; i++)
    h.source.events.push(makeEvent(first + i, end - spanMs + Math.round((i * spanMs) / count)));
}

function tick(h: Harness, owner: string, timeMs = 600_000, segments = 4) {
  const deadline = new Deadline(h.clock, h.clock.now() + timeMs, DEFAULT_TIME_BUDGET);
  return collect(h.deps, h.settings, { owner, deadline, rateLimitShare: 0.5, catchUpSegments: segments });
}

const segmentItems = (h: Harness) => [...h.cursors.items.keys()].filter((key) => key.startsWith('catchup#'));

/** Ticks until the main cursor is caught up with no plan left (at most `max` ticks). */
async function untilCaughtUp(h: Harness, max = 20, timeMs = 600_000) {
  const summaries = [];
  for (let i = 0; i < max; i++) {
    const summary = await tick(h, `tick-${i}`, timeMs);
    summaries.push(summary);
    if (summary.stopReason === 'caught-up' && summary.catchUp === undefined) break;
    h.clock.advance(60_000);
  }
  return summaries;
}

describe('parallel catch-up (OKTA_CATCHUP_SEGMENTS)', () => {
  it('reads a large backlog in segments when Okta is slow, and delivers every event', async () => {
    // Prepare: 3 hours of backlog, 1.5 s per answer (40 pages/min serially vs an allowance of 600/min).
    const h = makeHarness({ pageLimit: PAGE });
    backlog(h, 1200, 3 * HOUR);
    slowOkta(h, 1500);

    // Act
    const summaries = await untilCaughtUp(h);

    // Assess: a plan ran, every event arrived, duplicates only from the segment overlaps.
    const first = summaries[0]!;
    console.log(
      JSON.stringify(
        summaries.map((s) => ({
          stop: s.stopReason,
          ev: s.events,
          cu: s.catchUp && {
            ...s.catchUp,
            segments: s.catchUp.segments.map((x) => [x.stream, x.stopReason, x.events]),
          },
        })),
      ),
      [...h.cursors.items.entries()],
    );
    expect(first.catchUp?.segments.length).toBeGreaterThan(1);
    expect(segmentItems(h).length).toBeGreaterThan(2);
    const delivered = h.sink.uuids();
    const unique = new Set(delivered);
    expect(unique).toEqual(new Set(h.source.events.map(uuidOf)));
    // Events are 9 s apart; each boundary repeats those of its margin (60 s), and at most one recovery page.
    const boundaries = segmentItems(h).length - 1;
    expect(delivered.length - unique.size).toBeLessThanOrEqual(
      boundaries * Math.ceil(SEGMENT_MARGIN_MS / 9000),
    );
    // The tick's counts include the segments'.
    const reported = summaries.reduce((sum, s) => sum + s.events, 0);
    expect(reported).toBe(delivered.length);
    // Starting a segment is not a recovery.
    expect(summaries.reduce((sum, s) => sum + s.recoveries, 0)).toBe(0);
    // Afterwards the main cursor is at the end of the log, and every segment is done.
    expect(h.cursors.items.get('main')?.next).toBe(`fake://logs?after=${h.source.events.length}`);
    expect(await h.cursors.listUnfinishedReplays()).toEqual([]);
  });

  it('includes events persisted late (old published) during the catch-up', async () => {
    // Prepare: the backlog, and late events whose published falls inside early segments, persisted mid-way.
    const h = makeHarness({ pageLimit: PAGE });
    backlog(h, 1200, 3 * HOUR);
    slowOkta(h, 1500);
    let injected = 0;
    const inner = h.source;
    inner.onFetch = () => {
      if (inner.requests.length === 30 && injected === 0) {
        for (let i = 0; i < 5; i++) inner.events.push(makeEvent(5000 + i, h.clock.now() - 2.5 * HOUR));
        injected = 5;
      }
    };

    // Act
    await untilCaughtUp(h);

    // Assess
    expect(injected).toBe(5);
    expect(new Set(h.sink.uuids())).toEqual(new Set(h.source.events.map(uuidOf)));
  });

  it('resumes an unfinished plan on the next tick, keeping the main cursor parked until every segment is done', async () => {
    // Prepare: a first tick short enough to leave the plan unfinished.
    const h = makeHarness({ pageLimit: PAGE });
    backlog(h, 1200, 3 * HOUR);
    slowOkta(h, 1500);
    const first = await tick(h, 'short', 60_000);
    const parked = h.cursors.items.get('main')?.next;

    // Act
    h.clock.advance(60_000);
    const second = await tick(h, 'next', 60_000);
    const stillParked = h.cursors.items.get('main')?.next;
    const rest = await untilCaughtUp(h);

    // Assess
    expect(first.catchUp?.remaining).toBeGreaterThan(0);
    expect(second.catchUp?.plan).toBe(first.catchUp?.plan);
    expect(stillParked).toBe(parked);
    expect(rest.some((s) => s.catchUp?.adopted === true)).toBe(true);
    expect(new Set(h.sink.uuids())).toEqual(new Set(h.source.events.map(uuidOf)));
  });

  it('does not overlap: a tick that finds the plan running returns lease-held', async () => {
    // Prepare: a plan exists, and another invocation holds the main lease.
    const h = makeHarness({ pageLimit: PAGE });
    backlog(h, 1200, 3 * HOUR);
    slowOkta(h, 1500);
    await tick(h, 'first', 60_000);
    await h.cursors.acquire('main', {
      owner: 'other',
      expiresAt: h.clock.now() + 600_000,
      now: h.clock.now(),
    });
    const before = h.sink.uuids().length;

    // Act
    const summary = await tick(h, 'second');

    // Assess
    expect(summary.stopReason).toBe('lease-held');
    expect(h.sink.uuids().length).toBe(before);
  });

  it.each([
    ['Okta answers fast', 0, true, 3 * HOUR],
    ['Okta sends no rate-limit headers (the share is unknown)', 1500, false, 3 * HOUR],
    ['the backlog is under an hour', 1500, true, 0.8 * HOUR],
  ])('reads serially when %s', async (_case, latencyMs, headers, spanMs) => {
    // Prepare
    const h = makeHarness({ pageLimit: PAGE });
    backlog(h, 600, spanMs);
    slowOkta(h, latencyMs, headers);

    // Act
    const summary = await tick(h, 'serial');

    // Assess
    expect(summary.catchUp).toBeUndefined();
    expect(segmentItems(h)).toEqual([]);
    expect(summary).toMatchObject({ stopReason: 'caught-up', events: 600 });
  });

  it('reads serially with OKTA_CATCHUP_SEGMENTS=1 even when Okta is slow', async () => {
    // Prepare
    const h = makeHarness({ pageLimit: PAGE });
    backlog(h, 600, 3 * HOUR);
    slowOkta(h, 1500);

    // Act
    const summary = await tick(h, 'off', 600_000, 1);

    // Assess
    expect(summary.catchUp).toBeUndefined();
    expect(segmentItems(h)).toEqual([]);
    expect(summary.events).toBe(600);
  });

  it('drops a plan whose creation was cut short, and the main cursor goes on', async () => {
    // Prepare: a plan's first two segment items exist, its last (open-ended) one does not.
    const h = makeHarness({ pageLimit: PAGE });
    backlog(h, 100, 3 * HOUR);
    for (const index of [0, 1]) {
      const acquired = await h.cursors.acquire(`catchup#p1#${index}`, {
        owner: 'crashed',
        expiresAt: h.clock.now() - 1,
        now: h.clock.now() - 2,
      });
      await h.cursors.commit(acquired!.lease, {
        next: undefined,
        lastPublished: undefined,
        savedAt: new Date(h.clock.now()).toISOString(),
        replay: {
          id: `catchup-p1-${index}-3`,
          since: new Date(h.clock.now() - 3 * HOUR + index * HOUR).toISOString(),
          until: new Date(h.clock.now() - 2 * HOUR + index * HOUR).toISOString(),
        },
        done: false,
      });
    }

    // Act
    const summary = await tick(h, 'after-crash');

    // Assess
    expect(await h.cursors.listUnfinishedReplays()).toEqual([]);
    expect(summary).toMatchObject({ stopReason: 'caught-up', events: 100 });
  });
});
