/**
 * The simulated org's System Log: events in persistence order (what polling queries read), the same events by
 * `published` (what bounded queries read), and `produce`, which persists new ones. Each event is serialized
 * once, when produced; a page is a join of those strings, so 1,000-event pages take a few ms and benchmarks
 * measure the collector, not the simulator.
 */
import { createOktaEventGenerator, type OktaEventGenerator } from '../okta-events.js';
import type { ProduceOptions, ProducibleEvent, StoredOktaEvent } from './types.js';

/** A stored event; the object form is parsed lazily, since only filters and tests need it. */
class StoredEvent implements StoredOktaEvent {
  private parsed: Readonly<Record<string, unknown>> | undefined;

  public constructor(
    public readonly seq: number,
    public readonly uuid: string,
    public readonly published: string,
    public readonly publishedMs: number,
    public readonly persistedAt: number,
    public readonly json: string,
    event?: Readonly<Record<string, unknown>>,
  ) {
    this.parsed = event;
  }

  public get event(): Readonly<Record<string, unknown>> {
    this.parsed ??= JSON.parse(this.json) as Record<string, unknown>;
    return this.parsed;
  }
}

/** Index of the first element for which `before` is false (elements must be partitioned: trues then falses). */
export function partition<T>(items: readonly T[], before: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(items[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const byPublishedThenSeq = (a: StoredOktaEvent, b: StoredOktaEvent): number =>
  a.publishedMs - b.publishedMs || a.seq - b.seq;

export class EventLog {
  /** Every event, in persistence order (`seq` is the index). */
  public readonly events: StoredOktaEvent[] = [];
  private readonly byUuid = new Map<string, StoredOktaEvent>();
  private sortedByPublished: StoredOktaEvent[] = [];
  private publishedInOrder = true;
  private lastPersisted = 0;
  private readonly generator: OktaEventGenerator;

  /** `now` is the simulator's (Okta's) clock. */
  public constructor(
    generatorOptions: Parameters<typeof createOktaEventGenerator>[0],
    private readonly now: () => number,
  ) {
    this.generator = createOktaEventGenerator(generatorOptions);
  }

  public find(uuid: string): StoredOktaEvent | undefined {
    return this.byUuid.get(uuid);
  }

  /** Events sorted by (`published`, `seq`), sorted again only when a late event broke the order. */
  public byPublished(): readonly StoredOktaEvent[] {
    if (!this.publishedInOrder) {
      this.sortedByPublished = [...this.sortedByPublished].sort(byPublishedThenSeq);
      this.publishedInOrder = true;
    }
    return this.sortedByPublished;
  }

  /** How many events (from the start, in persistence order) a query at `at` sees, given Okta's delay. */
  public visibleCount(at: number, visibilityDelayMs: number): number {
    if (visibilityDelayMs <= 0) return this.events.length;
    const horizon = at - visibilityDelayMs;
    return partition(this.events, (e) => e.persistedAt <= horizon);
  }

  /** Appends events, persisted now; generates `n` events when given a number. */
  public produce(
    input: number | readonly ProducibleEvent[],
    options: ProduceOptions = {},
  ): StoredOktaEvent[] {
    const persistedAt = Math.max(this.lastPersisted, this.now());
    this.lastPersisted = persistedAt;
    const count = typeof input === 'number' ? input : input.length;
    const age = options.ageMs ?? 0;
    const at = options.publishedAt;
    // Generated events are published just before they are persisted, 1 ms apart, in order.
    const publishedFor = (i: number): number | undefined =>
      typeof at === 'function'
        ? at(i)
        : typeof at === 'number'
          ? at
          : typeof input === 'number' || age > 0
            ? persistedAt - age - (count - 1 - i)
            : undefined;
    const out = new Array<StoredOktaEvent>(count);
    for (let i = 0; i < count; i += 1) {
      const publishedMs = publishedFor(i);
      if (typeof input === 'number') {
        const generated = this.generator.nextJson({ published: publishedMs });
        out[i] = this.store(generated.uuid, generated.published, generated.json, persistedAt);
        continue;
      }
      const item = input[i]!;
      if (typeof item === 'string') {
        if (publishedMs !== undefined)
          throw new TypeError('cannot override published of an event given as JSON text');
        const parsed = JSON.parse(item) as Record<string, unknown>;
        out[i] = this.store(parsed.uuid, parsed.published, item, persistedAt, parsed);
      } else {
        const object = item as Readonly<Record<string, unknown>>;
        const event =
          publishedMs === undefined ? object : { ...object, published: new Date(publishedMs).toISOString() };
        out[i] = this.store(event.uuid, event.published, JSON.stringify(event), persistedAt, event);
      }
    }
    return out;
  }

  private store(
    uuid: unknown,
    published: unknown,
    json: string,
    persistedAt: number,
    event?: Readonly<Record<string, unknown>>,
  ): StoredOktaEvent {
    if (typeof uuid !== 'string' || uuid === '') throw new TypeError('an Okta event needs a string uuid');
    const publishedMs = typeof published === 'string' ? Date.parse(published) : Number.NaN;
    if (typeof published !== 'string' || Number.isNaN(publishedMs))
      throw new TypeError(`event ${uuid} needs an ISO-8601 published`);
    if (this.byUuid.has(uuid))
      throw new RangeError(`duplicate uuid ${uuid}: Okta never persists an event twice`);
    const stored = new StoredEvent(
      this.events.length,
      uuid,
      published,
      publishedMs,
      persistedAt,
      json,
      event,
    );
    this.events.push(stored);
    this.byUuid.set(uuid, stored);
    const last = this.sortedByPublished[this.sortedByPublished.length - 1];
    if (last !== undefined && byPublishedThenSeq(last, stored) > 0) this.publishedInOrder = false;
    this.sortedByPublished.push(stored);
    return stored;
  }
}
