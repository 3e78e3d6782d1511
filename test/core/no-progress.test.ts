/**
 * An Okta that makes no progress: a page whose `next` link is the request's own position is delivered once,
 * then the stream stops for this invocation (`'no-progress'`), with the cursor committed as usual.
 */
import { describe, expect, it } from 'vitest';
import type { FetchOptions, LogPage, PageRequest } from '../../lambda/core/ports.js';
import { makeHarness, PAGE_LIMIT } from './harness.js';

/** Makes the source answer requests for `stuckAt` with their page but a `next` link equal to the request. */
function stickAt(
  h: ReturnType<typeof makeHarness>,
  stuck: (request: PageRequest) => string | undefined,
): void {
  const real = h.source.fetchPage.bind(h.source);
  h.source.fetchPage = async (request: PageRequest, options: FetchOptions): Promise<LogPage> => {
    const self = stuck(request);
    if (self === undefined) return real(request, options);
    // The real page, but announce and return the request's own position as next.
    const page = await real(request, { ...options, onNext: () => undefined });
    options.onNext?.(self, page.rateLimit);
    return { ...page, next: self };
  };
}

describe('a full page whose next link does not advance', () => {
  it('is delivered once, then the stream stops with no-progress, committing the cursor as usual', async () => {
    // Prepare: the page at after=10 is full, and its next link points at after=10 again
    const h = makeHarness();
    h.produce(35);
    stickAt(h, (request) =>
      'next' in request && request.next === 'fake://logs?after=10' ? request.next : undefined,
    );

    // Act
    const summary = await h.tick();

    // Assess
    expect(summary.stopReason).toBe('no-progress');
    expect(summary.noProgressStops).toBe(1);
    const asked = h.source.requests.filter((r) => 'next' in r && r.next === 'fake://logs?after=10');
    expect(asked).toHaveLength(1);
    expect(summary.events).toBe(2 * PAGE_LIMIT);
    expect(h.cursors.items.get('main')?.next).toBe('fake://logs?after=10');
    const line = h.logger.lines.find((l) => l.message === 'no progress: the next link repeats the request');
    expect(line?.level).toBe('warn');
    expect(line?.data).toMatchObject({ stream: 'main', events: PAGE_LIMIT });
  });

  it('is tried again on the next tick, which moves on once Okta does', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(35);
    let stuckTicks = 1;
    stickAt(h, (request) =>
      stuckTicks > 0 && 'next' in request && request.next === 'fake://logs?after=10'
        ? request.next
        : undefined,
    );
    const first = await h.tick();
    stuckTicks = 0;

    // Act
    const second = await h.tick();

    // Assess
    expect(first.stopReason).toBe('no-progress');
    expect(second.stopReason).toBe('caught-up');
    expect(second.noProgressStops).toBe(0);
    // The stuck page was delivered once more (by the tick that moved on): one page of duplicates per stuck tick.
    const uuids = h.sink.uuids();
    expect(uuids.length - new Set(uuids).size).toBe(PAGE_LIMIT);
    expect(new Set(uuids).size).toBe(35);
  });

  it('is detected for a since request whose next link repeats the same since (after normalisation)', async () => {
    // Prepare: a brand-new stream; Okta answers its first, full page with a next link to the same query
    const h = makeHarness({ startTime: '2026-11-26T00:00:00.000Z' });
    h.produce(25);
    stickAt(h, (request) =>
      'since' in request
        ? `fake://logs?sortOrder=ASCENDING&since=2026-11-26T00%3A00%3A00Z&limit=10`
        : undefined,
    );

    // Act
    const summary = await h.tick();

    // Assess
    expect(summary.stopReason).toBe('no-progress');
    expect(h.source.requests).toHaveLength(1);
    expect(summary.events).toBe(PAGE_LIMIT);
  });

  it('stops a replay whose bounded page repeats its own position', async () => {
    // Prepare
    const h = makeHarness();
    h.produce(40);
    const since = new Date(h.clock.now() - 3_600_000).toISOString();
    const until = new Date(h.clock.now() - 60_000).toISOString();
    let stuck: string | undefined;
    stickAt(h, (request) => {
      if (!('next' in request)) return undefined;
      stuck ??= request.next;
      return request.next === stuck ? stuck : undefined;
    });

    // Act
    const summary = await h.replay({ since, until });

    // Assess
    expect(summary.stopReason).toBe('no-progress');
    expect(summary.done).toBe(false);
    expect(h.source.requests.filter((r) => 'next' in r && r.next === stuck)).toHaveLength(1);
  });
});
