import { describe, expect, it } from 'vitest';
import { collect } from '../../lambda/core/collect.js';
import { POLL_STOP_MARGIN_MS, type PollSettings } from '../../lambda/core/poll-schedule.js';
import { Deadline, DEFAULT_TIME_BUDGET } from '../../lambda/core/time-budget.js';
import { makeEvent, uuidOf } from '../../dev/core-fakes.js';
import { makeHarness } from './harness.js';

const SECOND = 1000;

/** A scheduled tick with polling settings, on the harness's injected clock. */
function pollingTick(
  h: ReturnType<typeof makeHarness>,
  poll: PollSettings,
  timeMs = 300_000,
  owner = 'tick',
) {
  const deadline = new Deadline(h.clock, h.clock.now() + timeMs, DEFAULT_TIME_BUDGET);
  return collect(h.deps, h.settings, { owner, deadline, rateLimitShare: 0.5, poll });
}

/** When each Okta request was sent, relative to `start`. */
function requestTimes(h: ReturnType<typeof makeHarness>, start: number): number[] {
  const times: number[] = [];
  h.source.onFetch = () => void times.push(h.clock.now() - start);
  return times;
}

describe('polling after the live cursor is caught up (OKTA_POLL_INTERVAL_SECONDS)', () => {
  it('returns at once when the interval is unset, as before', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(5);
    const start = h.clock.now();

    // Act
    const summary = await pollingTick(h, { intervalSeconds: undefined, periodSeconds: 60 });

    // Assess
    expect(summary.stopReason).toBe('caught-up');
    expect(h.source.requests).toHaveLength(1);
    expect(h.clock.now()).toBe(start);
    expect(summary.polls).toBeUndefined();
  });

  it('polls every interval until shortly before the next tick, then returns', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(5);
    const start = h.clock.now();
    const times = requestTimes(h, start);

    // Act
    const summary = await pollingTick(h, { intervalSeconds: 15, periodSeconds: 60 });

    // Assess: the tick's own request at 0, then polls at 15, 30, 45; 60 would not leave the margin.
    expect(times).toEqual([0, 15 * SECOND, 30 * SECOND, 45 * SECOND]);
    expect(summary).toMatchObject({ stopReason: 'caught-up', polls: 3, events: 5 });
    expect(h.clock.now() - start).toBeLessThanOrEqual(60 * SECOND - POLL_STOP_MARGIN_MS);
  });

  it('delivers events that arrive while polling at the next poll, and writes the cursor for them', async () => {
    // Prepare: three events become visible 20 s into the tick.
    const h = makeHarness();
    const start = h.clock.now();
    let produced = false;
    h.source.onFetch = () => {
      if (!produced && h.clock.now() - start >= 20 * SECOND) {
        produced = true;
        for (let i = 0; i < 3; i++) h.source.events.push(makeEvent(i, h.clock.now() - 1000));
      }
    };

    // Act
    const summary = await pollingTick(h, { intervalSeconds: 15, periodSeconds: 60 });

    // Assess: the poll at 30 s (the first after 20 s) delivered them.
    expect(summary.events).toBe(3);
    expect(h.sink.uuids()).toEqual(h.source.events.map(uuidOf));
    expect(h.cursors.items.get('main')?.next).toBe('fake://logs?after=3');
  });

  it('costs one Okta request and no cursor write per idle poll', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(5);

    // Act
    const summary = await pollingTick(h, { intervalSeconds: 5, periodSeconds: 60 });

    // Assess: polls at 5, 10, …, 55 find nothing; only the tick's own page wrote the cursor.
    expect(summary.polls).toBe(11);
    expect(h.source.requests).toHaveLength(1 + 11);
    expect(h.cursors.commits).toHaveLength(1);
  });

  it('keeps the lease while polling, so a tick started meanwhile does not overlap, and gives it back at the end', async () => {
    // Prepare: another invocation tries to take the main lease during the second poll.
    const h = makeHarness();
    h.produce(5);
    const attempts: boolean[] = [];
    h.source.onFetch = () => {
      if (h.source.requests.length === 3) {
        void h.cursors
          .acquire('main', { owner: 'next-tick', expiresAt: h.clock.now() + 60_000, now: h.clock.now() })
          .then((acquired) => attempts.push(acquired !== undefined));
      }
    };

    // Act
    await pollingTick(h, { intervalSeconds: 15, periodSeconds: 60 });
    const after = await h.cursors.acquire('main', {
      owner: 'next-tick',
      expiresAt: h.clock.now() + 60_000,
      now: h.clock.now(),
    });

    // Assess
    expect(attempts).toEqual([false]);
    expect(after).toBeDefined();
  });

  it('stops polling when the time budget would not hold another page after the wait', async () => {
    // Prepare: 20 s left; after a 15 s wait 3.5 s remain (≥ 3 s page minimum), after another one none.
    const h = makeHarness();
    h.produce(5);

    // Act
    const summary = await pollingTick(h, { intervalSeconds: 15, periodSeconds: 60 }, 20_000);

    // Assess
    expect(summary.polls).toBe(1);
    expect(h.source.requests).toHaveLength(2);
  });

  it('counts the next tick from this tick’s start: a catch-up that ends late leaves fewer polls', async () => {
    // Prepare: each page takes 10 s to post, so the third (last, not full) page is delivered 30 s in.
    const h = makeHarness();
    h.produce(25);
    h.sink.delay = () => h.clock.sleep(10 * SECOND);
    const start = h.clock.now();
    const times = requestTimes(h, start);

    // Act
    const summary = await pollingTick(h, { intervalSeconds: 15, periodSeconds: 60 });

    // Assess: pages requested at 0, 0 (early), 10, an early request at 20 that the short page made moot; the
    // last page was requested at 10, so the first poll is due at 25 and goes at once (30), the next at 45.
    expect(summary.events).toBe(25);
    expect(times).toEqual([0, 0, 10, 20, 30, 45].map((s) => s * SECOND));
    expect(summary.polls).toBe(2);
  });
});
