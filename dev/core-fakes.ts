/**
 * Small in-memory fakes of the core's ports. They keep the promises the ports state (the store fences
 * commits by lease, the sink only "accepts" what it records), so core tests exercise real behaviour.
 */
import { CursorConflictError, OktaApiError, SumoDeliveryError } from '../lambda/core/errors.js';
import type {
  AcquiredStream,
  Batch,
  Checkpoint,
  Clock,
  CursorStore,
  FetchOptions,
  Lease,
  LeaseRequest,
  LogPage,
  LogSink,
  LogSource,
  Logger,
  OktaEvent,
  PageRequest,
  RateLimitStatus,
  ReplayWindow,
  SendOptions,
  StoredCursor,
  UndeliverableContext,
  UndeliverableStore,
} from '../lambda/core/ports.js';

/** A clock that only moves when told to, or when someone sleeps. */
export class FakeClock implements Clock {
  public constructor(public time = Date.parse('2026-11-26T12:00:00Z')) {}
  public now(): number {
    return this.time;
  }
  public async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.time += ms;
    await Promise.resolve();
  }
  public advance(ms: number): void {
    this.time += ms;
  }
}

export function makeEvent(
  index: number,
  publishedMs: number,
  extra: Record<string, unknown> = {},
): OktaEvent {
  const published = new Date(publishedMs).toISOString();
  return {
    json: JSON.stringify({ uuid: `evt-${index}`, published, eventType: 'user.session.start', ...extra }),
    published,
  };
}

export function uuidOf(event: { json: string }): string {
  return (JSON.parse(event.json) as { uuid: string }).uuid;
}

type SourceFault = Error | undefined | ((request: PageRequest) => Error | undefined);

/**
 * An Okta stand-in over a list of events in persistence order. Polling queries page through it by offset
 * (`next` = `fake://logs?after=N`); bounded queries select by `published` in [since, until).
 */
export class FakeOktaSource implements LogSource {
  public readonly events: OktaEvent[] = [];
  public readonly requests: PageRequest[] = [];
  public readonly retryHeaders: (FetchOptions['retry'] | undefined)[] = [];
  public faults: SourceFault[] = [];
  public rateLimit: ((callIndex: number) => RateLimitStatus | undefined) | undefined;
  /** Called when a fetch starts; tests use it to observe overlap with posting. */
  public onFetch: ((request: PageRequest) => void) | undefined;
  public inFlight = 0;
  /** Real milliseconds between announcing the next link and returning the page (a slow body). */
  public bodyDelayMs = 0;
  public maxInFlight = 0;

  public constructor(private readonly limit: number) {}

  public async fetchPage(request: PageRequest, options: FetchOptions): Promise<LogPage> {
    this.requests.push(request);
    this.retryHeaders.push(options.retry);
    this.onFetch?.(request);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await Promise.resolve();
      const fault = this.faults.shift();
      const error = typeof fault === 'function' ? fault(request) : fault;
      if (error) throw error;
      const page = this.page(request);
      // Like the Okta adapter: the next link is announced with the headers, before the body is "parsed".
      if (page.next !== undefined) options.onNext?.(page.next, page.rateLimit);
      await (this.bodyDelayMs > 0
        ? new Promise((resolve) => setTimeout(resolve, this.bodyDelayMs))
        : Promise.resolve());
      return page;
    } finally {
      this.inFlight -= 1;
    }
  }

  private page(request: PageRequest): LogPage {
    const rateLimit = this.rateLimit?.(this.requests.length - 1);
    if ('next' in request) {
      if (request.next.startsWith('fake://bounded'))
        return { ...this.resolveBounded(request.next), rateLimit };
      const match = /after=(\d+)(?:&until=(.*))?$/.exec(request.next);
      if (!match)
        throw new OktaApiError('invalid after', { status: 400, retryable: false, errorCode: 'E0000001' });
      return this.slice(
        Number(match[1]),
        match[2] === undefined ? undefined : decodeURIComponent(match[2]),
        rateLimit,
      );
    }
    if (request.until !== undefined) {
      const since = Date.parse(request.since);
      const until = Date.parse(request.until);
      const inWindow = this.events
        .filter((event) => {
          const published = Date.parse(event.published ?? '');
          return published >= since && published < until;
        })
        .filter((event) => request.filter === undefined || event.json.includes(request.filter));
      return this.boundedSlice(inWindow, 0, request, rateLimit);
    }
    const since = Date.parse(request.since);
    const start = this.events.findIndex((event) => Date.parse(event.published ?? '') >= since);
    return this.slice(start === -1 ? this.events.length : start, undefined, rateLimit);
  }

  private slice(offset: number, _until: string | undefined, rateLimit: RateLimitStatus | undefined): LogPage {
    const events = this.events.slice(offset, offset + this.limit);
    return { events, next: `fake://logs?after=${offset + events.length}`, rateLimit, limit: this.limit };
  }

  private boundedSlice(
    inWindow: OktaEvent[],
    offset: number,
    request: { since: string; until?: string; filter?: string },
    rateLimit: RateLimitStatus | undefined,
  ): LogPage {
    const events = inWindow.slice(offset, offset + this.limit);
    const end = offset + events.length;
    const next =
      end < inWindow.length
        ? `fake://bounded?offset=${end}&q=${encodeURIComponent(JSON.stringify(request))}`
        : undefined;
    return { events, next, rateLimit };
  }

  /** Bounded `next` links carry their query; resolve them here. */
  private resolveBounded(next: string): LogPage {
    const match = /offset=(\d+)&q=(.*)$/.exec(next);
    if (!match)
      throw new OktaApiError('invalid after', { status: 400, retryable: false, errorCode: 'E0000001' });
    const request = JSON.parse(decodeURIComponent(match[2]!)) as {
      since: string;
      until: string;
      filter?: string;
    };
    const since = Date.parse(request.since);
    const until = Date.parse(request.until);
    const inWindow = this.events.filter((event) => {
      const published = Date.parse(event.published ?? '');
      return (
        published >= since &&
        published < until &&
        (request.filter === undefined || event.json.includes(request.filter))
      );
    });
    return this.boundedSlice(inWindow, Number(match[1]), request, undefined);
  }
}

/** A Sumo stand-in that records accepted batches and fails on demand. */
export class FakeSink implements LogSink {
  public readonly accepted: { batch: Batch; fields: Readonly<Record<string, string>> | undefined }[] = [];
  public faults: (Error | undefined)[] = [];
  public delay: (() => Promise<void>) | undefined;
  public onSend: (() => void) | undefined;
  /** A rule on the content, consulted after the queued faults (a Sumo that refuses some bodies every time). */
  public refuse: ((batch: Batch) => Error | undefined) | undefined;
  /** Every batch offered, refused ones included. */
  public readonly offered: Batch[] = [];

  public async send(batch: Batch, options: SendOptions): Promise<void> {
    this.onSend?.();
    if (this.delay) await this.delay();
    this.offered.push(batch);
    const fault = this.faults.shift() ?? this.refuse?.(batch);
    if (fault) throw fault;
    this.accepted.push({ batch, fields: options.fields });
  }

  public uuids(): string[] {
    return this.accepted.flatMap(({ batch }) =>
      batch.body
        .toString('utf8')
        .split('\n')
        .map((line) => uuidOf({ json: line })),
    );
  }
}

export function sumoError(status: number): SumoDeliveryError {
  return new SumoDeliveryError(`Sumo answered ${status}`, {
    status,
    retryable: status === 429 || status >= 500 || status === 408,
  });
}

/** The undeliverable-events bucket in memory: keeps what it is given, fails on demand. */
export class InMemoryUndeliverableStore implements UndeliverableStore {
  public readonly stored: { event: OktaEvent; context: UndeliverableContext }[] = [];
  /** Consumed one per `put`, before storing. */
  public faults: (Error | undefined)[] = [];

  public async put(event: OktaEvent, context: UndeliverableContext): Promise<void> {
    await Promise.resolve();
    const fault = this.faults.shift();
    if (fault) throw fault;
    this.stored.push({ event, context });
  }

  public uuids(): string[] {
    return this.stored.map(({ event }) => uuidOf(event));
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Item extends Mutable<StoredCursor> {
  leaseOwner?: string;
  leaseId?: number;
  leaseExpiresAt?: number;
  version: number;
}

interface FakeLease extends Lease {
  readonly leaseId: number;
  version: number;
}

/** The cursor table in memory, with the same lease and fencing rules as the DynamoDB adapter. */
export class InMemoryCursorStore implements CursorStore {
  public readonly items = new Map<string, Item>();
  public readonly commits: { streamId: string; checkpoint: Checkpoint }[] = [];
  public corruption: string | undefined;
  private nextLeaseId = 1;

  public async acquire(streamId: string, request: LeaseRequest): Promise<AcquiredStream | undefined> {
    await Promise.resolve();
    const item = this.items.get(streamId) ?? { version: 0 };
    const held =
      item.leaseOwner !== undefined &&
      (item.leaseExpiresAt ?? 0) >= request.now &&
      item.leaseOwner !== request.owner;
    if (held) return undefined;
    const leaseId = this.nextLeaseId++;
    Object.assign(item, { leaseOwner: request.owner, leaseId, leaseExpiresAt: request.expiresAt });
    this.items.set(streamId, item);
    const { leaseOwner: _o, leaseId: _i, leaseExpiresAt: _e, version, ...cursor } = item;
    const lease: FakeLease = {
      streamId,
      owner: request.owner,
      expiresAt: request.expiresAt,
      leaseId,
      version,
    };
    const stored = Object.keys(cursor).length === 0 ? undefined : cursor;
    return { lease, cursor: stored, ...(this.corruption ? { corruption: this.corruption } : {}) };
  }

  public async commit(lease: Lease, checkpoint: Checkpoint): Promise<void> {
    await Promise.resolve();
    const fake = lease as FakeLease;
    const item = this.items.get(lease.streamId);
    if (!item || item.leaseId !== fake.leaseId || item.version !== fake.version) {
      throw new CursorConflictError(`lease on ${lease.streamId} lost`);
    }
    const { next, ...rest } = checkpoint;
    const updated: Item = { ...item, ...rest, version: item.version + 1 };
    if (next === undefined) delete updated.next;
    else updated.next = next;
    this.items.set(lease.streamId, updated);
    fake.version = updated.version;
    this.commits.push({ streamId: lease.streamId, checkpoint });
  }

  public async release(lease: Lease): Promise<void> {
    await Promise.resolve();
    const item = this.items.get(lease.streamId);
    if (item && item.leaseId === (lease as FakeLease).leaseId) {
      delete item.leaseOwner;
      delete item.leaseId;
      delete item.leaseExpiresAt;
    }
  }

  public async listUnfinishedReplays(): Promise<readonly ReplayWindow[]> {
    await Promise.resolve();
    return [...this.items.values()]
      .filter((item) => item.replay && item.done === false)
      .map((item) => item.replay!);
  }

  /** Another invocation takes the lease over (as after an expiry). */
  public steal(streamId: string, owner: string): void {
    const item = this.items.get(streamId);
    if (item) Object.assign(item, { leaseOwner: owner, leaseId: this.nextLeaseId++ });
  }
}

export class CapturingLogger implements Logger {
  public readonly lines: { level: string; message: string; data: Record<string, unknown> | undefined }[] = [];
  public debug(message: string, data?: Record<string, unknown>): void {
    this.lines.push({ level: 'debug', message, data });
  }
  public info(message: string, data?: Record<string, unknown>): void {
    this.lines.push({ level: 'info', message, data });
  }
  public warn(message: string, data?: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', message, data });
  }
  public error(message: string, data?: Record<string, unknown>): void {
    this.lines.push({ level: 'error', message, data });
  }
  public messages(level: string): string[] {
    return this.lines.filter((line) => line.level === level).map((line) => line.message);
  }
}
