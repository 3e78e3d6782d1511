import { describe, expect, it } from 'vitest';
import { toBatches } from '../../lambda/core/batcher.js';
import { collect } from '../../lambda/core/collect.js';
import { SumoDeliveryError, UndeliverableStoreError } from '../../lambda/core/errors.js';
import type { Batch, OktaEvent } from '../../lambda/core/ports.js';
import { DEFAULT_RETRY_POLICY } from '../../lambda/core/retry.js';
import type { CollectorDeps, CollectorSettings } from '../../lambda/core/stream-runner.js';
import { Deadline, DEFAULT_TIME_BUDGET } from '../../lambda/core/time-budget.js';
import {
  CapturingLogger,
  FakeClock,
  FakeOktaSource,
  FakeSink,
  InMemoryCursorStore,
  InMemoryUndeliverableStore,
  makeEvent,
  sumoError,
  uuidOf,
} from '../../dev/core-fakes.js';

const PAGE_LIMIT = 20;
const POISON = 'poison-marker';

/** The core wired to fakes, with an undeliverable store (or none). */
function setup(options: { store?: boolean } = {}) {
  const clock = new FakeClock();
  const source = new FakeOktaSource(PAGE_LIMIT);
  const sink = new FakeSink();
  const cursors = new InMemoryCursorStore();
  const logger = new CapturingLogger();
  const undeliverable = new InMemoryUndeliverableStore();
  const deps: CollectorDeps = {
    source,
    sink,
    cursors,
    clock,
    logger,
    random: () => 0.5,
    ...(options.store === false ? {} : { undeliverable }),
  };
  const settings: CollectorSettings = {
    pageLimit: PAGE_LIMIT,
    startTime: undefined,
    retry: DEFAULT_RETRY_POLICY,
  };
  let ticks = 0;
  return {
    clock,
    source,
    sink,
    cursors,
    logger,
    undeliverable,
    produce(count: number, extra: (index: number) => Record<string, unknown> = () => ({})): OktaEvent[] {
      const first = source.events.length;
      const made = Array.from({ length: count }, (_, i) =>
        makeEvent(first + i, clock.now() - 600_000 + (first + i) * 1000, extra(first + i)),
      );
      source.events.push(...made);
      return made;
    },
    tick: () =>
      collect(deps, settings, {
        owner: `req-${++ticks}`,
        deadline: new Deadline(clock, clock.now() + 300_000, DEFAULT_TIME_BUDGET),
        rateLimitShare: 0.5,
      }),
  };
}

/** A Sumo that answers 413 to bodies over `maxBytes` and 400 to bodies holding the poison marker. */
function refusing(maxBytes: number) {
  return (batch: Batch): SumoDeliveryError | undefined => {
    if (batch.bytes > maxBytes) return sumoError(413);
    if (batch.body.includes(POISON)) return sumoError(400);
    return undefined;
  };
}

describe('refused batches (interface 9)', () => {
  it('splits a batch Sumo answers 413 until the parts fit, and delivers every event', async () => {
    // Prepare
    const h = setup();
    const events = h.produce(PAGE_LIMIT + 5);
    const oneEvent = toBatches([events[0]!])[0]!.bytes;
    h.sink.refuse = refusing(oneEvent * 6);

    // Act
    const summary = await h.tick();

    // Assess
    expect(h.sink.uuids().sort()).toEqual(events.map(uuidOf).sort());
    expect(h.sink.accepted.every(({ batch }) => batch.bytes <= oneEvent * 6)).toBe(true);
    expect(h.undeliverable.stored).toHaveLength(0);
    expect(summary).toMatchObject({ stopReason: 'caught-up', events: events.length, undeliverable: 0 });
    // 20 → 10 + 10 → 5 + 5 per half: four accepted parts for the full page, one for the page of 5.
    expect(summary.batches).toBe(5);
    expect(
      h.logger.messages('info').filter((m) => m === 'batch refused by Sumo, sending it in parts'),
    ).toHaveLength(3);
  });

  it('isolates a poison event by halving, stores it alone, and moves the cursor on', async () => {
    // Prepare
    const h = setup();
    const events = h.produce(PAGE_LIMIT * 2 + 3, (index) =>
      index === 7 || index === 30 ? { note: POISON } : {},
    );
    h.sink.refuse = refusing(Number.MAX_SAFE_INTEGER);

    // Act
    const summary = await h.tick();

    // Assess
    const poisoned = [uuidOf(events[7]!), uuidOf(events[30]!)];
    expect(h.undeliverable.uuids()).toEqual(poisoned);
    expect(h.undeliverable.stored.map(({ event }) => event)).toEqual([events[7], events[30]]);
    expect(h.undeliverable.stored[0]!.context).toEqual({
      stream: 'main',
      status: 400,
      reason: 'Sumo answered 400',
    });
    expect(h.sink.uuids().sort()).toEqual(
      events
        .map(uuidOf)
        .filter((uuid) => !poisoned.includes(uuid))
        .sort(),
    );
    expect(summary).toMatchObject({ stopReason: 'caught-up', events: events.length - 2, undeliverable: 2 });
    expect(h.cursors.items.get('main')?.next).toBe(`fake://logs?after=${events.length}`);
  });

  it('logs a kept-aside event by status and uuid, never its content', async () => {
    // Prepare
    const h = setup();
    const events = h.produce(3, (index) => (index === 1 ? { note: POISON } : {}));
    h.sink.refuse = refusing(Number.MAX_SAFE_INTEGER);

    // Act
    await h.tick();

    // Assess
    const warning = h.logger.lines.find(
      (line) => line.message === 'event refused by Sumo, kept in the undeliverable bucket',
    );
    expect(warning?.data).toEqual({ stream: 'main', status: 400, uuid: uuidOf(events[1]!) });
    expect(JSON.stringify(h.logger.lines)).not.toContain(POISON);
  });

  it('keeps a single event larger than Sumo accepts (413 alone) aside', async () => {
    // Prepare
    const h = setup();
    const events = h.produce(4, (index) => (index === 2 ? { big: 'x'.repeat(5000) } : {}));
    h.sink.refuse = refusing(4000);

    // Act
    const summary = await h.tick();

    // Assess
    expect(h.undeliverable.uuids()).toEqual([uuidOf(events[2]!)]);
    expect(h.undeliverable.stored[0]!.context.status).toBe(413);
    expect(summary.undeliverable).toBe(1);
    expect(h.sink.uuids()).toHaveLength(3);
  });

  it('the next tick makes progress after a page with refused events', async () => {
    // Prepare
    const h = setup();
    h.produce(PAGE_LIMIT, (index) => (index === 3 ? { note: POISON } : {}));
    h.sink.refuse = refusing(Number.MAX_SAFE_INTEGER);
    await h.tick();
    const later = h.produce(5);

    // Act
    const summary = await h.tick();

    // Assess
    expect(summary).toMatchObject({ stopReason: 'caught-up', events: 5, undeliverable: 0 });
    expect(h.sink.uuids().slice(-5).sort()).toEqual(later.map(uuidOf).sort());
    expect(h.undeliverable.stored).toHaveLength(1);
  });

  it.each([401, 403, 404])('keeps %i fatal: no split, nothing stored, the cursor stays', async (status) => {
    // Prepare
    const h = setup();
    h.produce(5);
    h.sink.refuse = () => sumoError(status);

    // Act
    const run = h.tick();

    // Assess
    await expect(run).rejects.toMatchObject({ name: 'SumoDeliveryError', status });
    expect(h.sink.offered).toHaveLength(1);
    expect(h.undeliverable.stored).toHaveLength(0);
    expect(h.cursors.items.get('main')?.next).toBeUndefined();
  });

  it('keeps a redirect (3xx) fatal: it is a configuration problem, not content', async () => {
    // Prepare
    const h = setup();
    h.produce(5);
    h.sink.refuse = () => new SumoDeliveryError('redirect', { status: 302, retryable: false });

    // Act
    const run = h.tick();

    // Assess
    await expect(run).rejects.toMatchObject({ status: 302 });
    expect(h.sink.offered).toHaveLength(1);
  });

  it('without a bucket a refused event is fatal, naming UNDELIVERABLE_BUCKET_NAME, and the cursor stays', async () => {
    // Prepare
    const h = setup({ store: false });
    const events = h.produce(4, (index) => (index === 0 ? { note: POISON } : {}));
    h.sink.refuse = refusing(Number.MAX_SAFE_INTEGER);

    // Act
    const run = h.tick();

    // Assess
    await expect(run).rejects.toThrow(/UNDELIVERABLE_BUCKET_NAME is not set/);
    await expect(run).rejects.toMatchObject({ name: 'SumoDeliveryError', status: 400 });
    await expect(run).rejects.toThrow(uuidOf(events[0]!));
    expect(h.cursors.items.get('main')?.next).toBeUndefined();
  });

  it('retries a store that fails for a moment, then keeps the event', async () => {
    // Prepare
    const h = setup();
    h.produce(2, (index) => (index === 0 ? { note: POISON } : {}));
    h.sink.refuse = refusing(Number.MAX_SAFE_INTEGER);
    h.undeliverable.faults = [new UndeliverableStoreError('S3 503', { retryable: true })];

    // Act
    const summary = await h.tick();

    // Assess
    expect(summary).toMatchObject({ undeliverable: 1, retries: 1, stopReason: 'caught-up' });
    expect(h.undeliverable.stored).toHaveLength(1);
  });

  it('a store that keeps failing is fatal: the event is not dropped and the cursor stays', async () => {
    // Prepare
    const h = setup();
    h.produce(2, (index) => (index === 0 ? { note: POISON } : {}));
    h.sink.refuse = refusing(Number.MAX_SAFE_INTEGER);
    h.undeliverable.faults = Array.from(
      { length: DEFAULT_RETRY_POLICY.maxAttempts },
      () => new UndeliverableStoreError('S3 503', { retryable: true }),
    );

    // Act
    const run = h.tick();

    // Assess
    await expect(run).rejects.toMatchObject({ name: 'UndeliverableStoreError' });
    expect(h.undeliverable.stored).toHaveLength(0);
    expect(h.cursors.items.get('main')?.next).toBeUndefined();
  });

  it('still retries a retryable answer before treating anything as refused', async () => {
    // Prepare
    const h = setup();
    const events = h.produce(3);
    h.sink.faults = [sumoError(503), sumoError(429)];

    // Act
    const summary = await h.tick();

    // Assess
    expect(summary).toMatchObject({ retries: 2, undeliverable: 0, events: 3 });
    expect(h.sink.uuids()).toEqual(events.map(uuidOf));
  });
});
