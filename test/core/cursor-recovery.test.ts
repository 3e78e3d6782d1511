/**
 * Where a stream starts and restarts when its stored cursor item is partly unreadable or its `next` link is
 * refused (interface 10): a usable `next` is followed whatever else is wrong; otherwise the restart is the last
 * *delivered* `published` minus the overlap, or where the stream started; never the item's wall-clock `savedAt`.
 */
import { describe, expect, it } from 'vitest';
import { OktaApiError } from '../../lambda/core/errors.js';
import type { PageRequest } from '../../lambda/core/ports.js';
import { validateReplayWindow } from '../../lambda/core/replay-request.js';
import { RECOVERY_OVERLAP_MS } from '../../lambda/core/stream-spec.js';
import { uuidOf } from '../../dev/core-fakes.js';
import { makeHarness } from './harness.js';

const DAY_MS = 86_400_000;

function sinceOf(request: PageRequest | undefined): string | undefined {
  return request !== undefined && 'since' in request ? request.since : undefined;
}

function refused(status: 0 | 400): OktaApiError {
  return status === 0
    ? new OktaApiError('refusing a next link that does not point at the org', {
        status: 0,
        retryable: false,
        errorCode: 'FOREIGN_NEXT_LINK',
      })
    : new OktaApiError('Okta rejected the request (400 E0000001)', {
        status: 400,
        retryable: false,
        errorCode: 'E0000001',
      });
}

describe('a partly unreadable main cursor item', () => {
  it('follows a usable next link, warns naming the unreadable attribute, and counts no recovery', async () => {
    // Prepare: 12 events, 10 delivered; the item's lastPublished could not be read
    const h = makeHarness();
    h.produce(12);
    h.cursors.items.set('main', {
      version: 4,
      next: 'fake://logs?after=10',
      savedAt: new Date(h.clock.now()).toISOString(),
    });
    h.cursors.corruption = 'lastPublished is not an ISO-8601 instant';

    // Act
    const summary = await h.tick();

    // Assess
    expect(h.source.requests[0]).toEqual({ next: 'fake://logs?after=10' });
    expect(summary.recoveries).toBe(0);
    expect(h.sink.uuids()).toEqual(['evt-10', 'evt-11']);
    const warning = h.logger.lines.find((line) => line.message === 'cursor item partly unreadable');
    expect(warning?.level).toBe('warn');
    expect(warning?.data).toMatchObject({
      stream: 'main',
      problem: 'lastPublished is not an ISO-8601 instant',
    });
    expect(h.cursors.items.get('main')?.lastPublished).toBe(h.source.events[11]!.published);
  });

  it('restarts from the last delivered published minus the overlap when the next link is unreadable, not from savedAt', async () => {
    // Prepare: delivered up to an event published 2 hours ago; saved just now
    const h = makeHarness();
    h.produce(30);
    const lastPublished = h.source.events[9]!.published!;
    h.cursors.items.set('main', {
      version: 2,
      lastPublished,
      savedAt: new Date(h.clock.now()).toISOString(),
    });
    h.cursors.corruption = 'next is not an Okta /api/v1/logs link';

    // Act
    const summary = await h.tick();

    // Assess
    expect(sinceOf(h.source.requests[0])).toBe(
      new Date(Date.parse(lastPublished) - RECOVERY_OVERLAP_MS).toISOString(),
    );
    expect(summary.recoveries).toBe(1);
    expect(new Set(h.sink.uuids())).toEqual(new Set(h.source.events.map(uuidOf)));
  });

  it('restarts where the stream started when nothing delivered is known, accepting duplicates', async () => {
    // Prepare: neither next nor lastPublished readable; the stream started 3 days ago
    const h = makeHarness();
    h.produce(5);
    const startedAt = new Date(h.clock.now() - 3 * DAY_MS).toISOString();
    h.cursors.items.set('main', { version: 7, startedAt, savedAt: new Date(h.clock.now()).toISOString() });
    h.cursors.corruption = 'next is not an Okta /api/v1/logs link; lastPublished is not an ISO-8601 instant';

    // Act
    const summary = await h.tick();

    // Assess
    expect(sinceOf(h.source.requests[0])).toBe(startedAt);
    expect(summary.recoveries).toBe(1);
    expect(summary.events).toBe(5);
  });

  it('without a recorded start, restarts at OKTA_START_TIME (or 7 days back), never at savedAt', async () => {
    // Prepare
    const startTime = '2026-11-20T00:00:00.000Z';
    const configured = makeHarness({ startTime });
    const unconfigured = makeHarness();
    for (const h of [configured, unconfigured]) {
      h.produce(3);
      h.cursors.items.set('main', { version: 1, savedAt: new Date(h.clock.now()).toISOString() });
      h.cursors.corruption = 'next is not an Okta /api/v1/logs link';
    }

    // Act
    await configured.tick();
    await unconfigured.tick();

    // Assess
    expect(sinceOf(configured.source.requests[0])).toBe(startTime);
    expect(sinceOf(unconfigured.source.requests[0])).toBe(
      new Date(unconfigured.clock.now() - 7 * DAY_MS).toISOString(),
    );
  });

  it('records where a brand-new stream started in every checkpoint, and keeps it', async () => {
    // Prepare
    const startTime = '2026-11-25T00:00:00.000Z';
    const h = makeHarness({ startTime });
    h.produce(25);

    // Act
    await h.tick();
    h.produce(5);
    await h.tick();

    // Assess
    expect(h.cursors.commits.length).toBeGreaterThan(3);
    expect(h.cursors.commits.every(({ checkpoint }) => checkpoint.startedAt === startTime)).toBe(true);
  });
});

describe('a next link that is refused', () => {
  it.each([
    ['points at a foreign origin (refused before sending)', 0],
    ['is rejected by Okta with a 400', 400],
  ] as const)(
    'that %s: restarts from the last delivered published minus the overlap',
    async (_name, status) => {
      // Prepare
      const h = makeHarness();
      h.produce(12);
      await h.tick();
      const lastPublished = h.cursors.items.get('main')!.lastPublished!;
      const before = h.source.requests.length;
      h.source.faults = [refused(status)];

      // Act
      const summary = await h.tick();

      // Assess
      expect(summary.recoveries).toBe(1);
      expect(sinceOf(h.source.requests[before + 1])).toBe(
        new Date(Date.parse(lastPublished) - RECOVERY_OVERLAP_MS).toISOString(),
      );
      expect(h.logger.messages('error')).toContain(
        'cursor unusable, restarting from the last delivered time',
      );
    },
  );

  it('falls back to where the stream started when the restart from the last delivered time is refused too', async () => {
    // Prepare
    const h = makeHarness({ startTime: '2026-11-25T00:00:00.000Z' });
    h.produce(12);
    await h.tick();
    const before = h.source.requests.length;
    h.source.faults = [refused(400), refused(400)];

    // Act
    const summary = await h.tick();

    // Assess
    expect(summary.recoveries).toBe(2);
    expect(sinceOf(h.source.requests[before + 2])).toBe('2026-11-25T00:00:00.000Z');
    expect(summary.stopReason).toBe('caught-up');
  });

  it('throws when even the stream start is refused (the cause is not the cursor)', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(12);
    await h.tick();
    h.source.faults = [refused(400), refused(400), refused(400)];

    // Act
    const result = h.tick();

    // Assess
    await expect(result).rejects.toBeInstanceOf(OktaApiError);
  });
});

describe('a replay whose item cannot be used', () => {
  function replayOf(h: ReturnType<typeof makeHarness>) {
    const fields = {
      since: new Date(h.clock.now() - 3_600_000).toISOString(),
      until: new Date(h.clock.now() - 1_800_000).toISOString(),
    };
    const { window } = validateReplayWindow(fields, h.clock.now());
    return { fields, window, streamId: `replay#${window.id}` };
  }

  it('recovers inside its own window: never a since at or after until, and finishes', async () => {
    // Prepare: a stored lastPublished after the window's end (hand edit), next unreadable
    const h = makeHarness();
    h.produce(4000);
    const { fields, window, streamId } = replayOf(h);
    h.cursors.items.set(streamId, {
      version: 3,
      replay: window,
      done: false,
      lastPublished: new Date(Date.parse(window.until) + 3_600_000).toISOString(),
      savedAt: new Date(h.clock.now()).toISOString(),
    });
    h.cursors.corruption = 'next is not an Okta /api/v1/logs link';

    // Act
    let summary = await h.replay(fields);
    for (let run = 0; run < 5 && !summary.done; run++) summary = await h.replay(fields);

    // Assess
    expect(summary.done).toBe(true);
    for (const request of h.source.requests)
      if ('since' in request) expect(Date.parse(request.since)).toBeLessThan(Date.parse(window.until));
    expect(sinceOf(h.source.requests[0])).toBe(window.since);
    expect(h.logger.messages('warn')).toContain('cursor unusable, restarting where the stream started');
  });

  it('is reset to the window start when nothing in it is readable (the savedAt after until is ignored)', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(4000);
    const { fields, window, streamId } = replayOf(h);
    h.cursors.items.set(streamId, { version: 3, savedAt: new Date(h.clock.now()).toISOString() });
    h.cursors.corruption = 'next is not an Okta /api/v1/logs link; lastPublished is not an ISO-8601 instant';

    // Act
    const summary = await h.replay(fields);

    // Assess
    expect(sinceOf(h.source.requests[0])).toBe(window.since);
    expect(summary.done).toBe(true);
    const inWindow = h.source.events.filter((event) => {
      const ms = Date.parse(event.published!);
      return ms >= Date.parse(window.since) && ms < Date.parse(window.until);
    });
    expect(new Set(h.sink.uuids())).toEqual(new Set(inWindow.map(uuidOf)));
  });
});
