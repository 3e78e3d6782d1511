/**
 * The ports of the collector core: what it needs from the outside world, stated as promises.
 * Adapters under `lambda/adapters/` implement exactly one port each; tests pass in-memory fakes.
 */

/** One Okta System Log event, kept exactly as Okta served it. */
export interface OktaEvent {
  /** The event's JSON on one line: every original field and value, nothing added. */
  readonly json: string;
  /** The event's `published` instant (ISO-8601), when it has one. */
  readonly published: string | undefined;
  /**
   * The same text as UTF-8, when the source has the bytes Okta served (see `ServedEvent`): batches are built
   * from them, so a page is never decoded to strings and encoded again.
   */
  readonly bytes?: Uint8Array;
}

/** What Okta's `X-Rate-Limit-*` headers said about the `/api/v1/logs` bucket. */
export interface RateLimitStatus {
  /** Requests allowed in the window (0 on a concurrent-request 429). */
  readonly limit: number;
  /** Requests left in the window, for the whole org (every integration shares the bucket). */
  readonly remaining: number;
  /**
   * When the window resets, as epoch milliseconds on *our* clock: Okta's `X-Rate-Limit-Reset` measured
   * against the response's `Date` header, so a skewed local clock does not matter.
   */
  readonly resetAt: number;
}

/** One page of the System Log. */
export interface LogPage {
  readonly events: readonly OktaEvent[];
  /** Okta's `rel="next"` link, already checked to have the org's origin and `/api/v1/logs`; absent at the end of a bounded query. */
  readonly next: string | undefined;
  readonly rateLimit: RateLimitStatus | undefined;
  /**
   * The `limit` of the request that produced this page, when known: a `next` link keeps the limit of the query
   * it continues, which differs from the configured one after `OKTA_PAGE_LIMIT` changed.
   */
  readonly limit?: number;
}

/**
 * Where to read a page from: a `next` link Okta gave us, or the start of a query.
 * A query without `until` is a polling query (Okta orders it by persistence time and always returns `next`);
 * one with `until` is bounded (ordered by `published`, the last page has no `next`).
 */
export type PageRequest =
  { readonly next: string } | { readonly since: string; readonly until?: string; readonly filter?: string };

/** Set when a request repeats one that Okta answered 429, so Okta can correlate them (as its SDKs do). */
export interface RetryContext {
  /** `X-Okta-Request-Id` of the 429 answer. */
  readonly retryFor: string;
  /** How many times this request has been retried after a 429 (1 on the first retry). */
  readonly retryCount: number;
}

export interface FetchOptions {
  readonly signal: AbortSignal;
  readonly retry?: RetryContext;
  /**
   * Called as soon as a response's headers carry a usable `next` link, before its body is read and parsed, so
   * the caller can send the following request meanwhile. May be called again if the request is repeated.
   */
  readonly onNext?: (next: string, rateLimit: RateLimitStatus | undefined) => void;
}

/** The Okta System Log (`GET /api/v1/logs`). */
export interface LogSource {
  /**
   * Fetches one page. Does not retry transient failures (the core does, within its time budget); it does
   * handle authentication on its own (credential refresh after a 401, DPoP nonces).
   * @throws OktaApiError (with `retryable`), RateLimitedError on 429.
   */
  fetchPage(request: PageRequest, options: FetchOptions): Promise<LogPage>;
}

/** A request body for the Sumo HTTP Source: events as NDJSON, at most 1 MB unless one event is larger. */
export interface Batch {
  /** The events' UTF-8 text, one per line (no trailing newline). */
  readonly body: Buffer;
  readonly events: number;
  /** Size of `body`, before compression. */
  readonly bytes: number;
  /** The events in `body`, in order: a refused batch can be split and packed again from them. */
  readonly items: readonly OktaEvent[];
}

export interface SendOptions {
  readonly signal: AbortSignal;
  /** Extra `X-Sumo-Fields` entries for this batch (a replay marks its messages with `replay=<id>`). */
  readonly fields?: Readonly<Record<string, string>>;
  /** Overrides `X-Sumo-Category` for this batch (the opt-in health line goes to its own category). */
  readonly category?: string;
}

/** The Sumo Logic HTTP Logs Source. */
export interface LogSink {
  /**
   * Posts one batch. Resolves only after Sumo answered 2xx for the whole batch; does not retry (the core does).
   * @throws SumoDeliveryError (with `retryable`).
   */
  send(batch: Batch, options: SendOptions): Promise<void>;
}

/** Why an event is kept aside: which stream it belongs to and what Sumo answered when it was sent alone. */
export interface UndeliverableContext {
  /** `main`, or `replay#<id>`. */
  readonly stream: string;
  /** The HTTP status Sumo refused the event with (a non-retryable 4xx other than 401/403/404). */
  readonly status: number;
  /** Our own description of the refusal (never a URL, a token or the event's content). */
  readonly reason: string;
}

/** Where events Sumo refuses on their own are kept (an S3 bucket), so an operator can re-send them later. */
export interface UndeliverableStore {
  /**
   * Keeps one event, exactly as Okta served it (its NDJSON line). Resolves only once it is stored durably;
   * does not retry (the core does).
   * @throws UndeliverableStoreError (with `retryable`).
   */
  put(event: OktaEvent, context: UndeliverableContext): Promise<void>;
}

/** A replay's window, as requested and stored with its cursor. */
export interface ReplayWindow {
  /** Stable id derived from the window and filter, so the same request resumes the same replay. */
  readonly id: string;
  readonly since: string;
  readonly until: string;
  readonly filter?: string;
}

/** What the store holds for one stream (the main cursor, or one replay). */
export interface StoredCursor {
  /** The `next` link to resume from; absent before the first checkpoint. */
  readonly next?: string;
  /** Newest `published` delivered so far: where recovery restarts when Okta rejects `next`. */
  readonly lastPublished?: string;
  /**
   * When the cursor was last written (ISO, wall clock); a cursor older than Okta's retention cannot be resumed.
   * Never a restart point: a polling `since` filters on persistence time, and a backlog is behind `savedAt`.
   */
  readonly savedAt?: string;
  /** Where the stream started (the `since` of its first query): the restart when nothing delivered is known. */
  readonly startedAt?: string;
  /** Replays only. */
  readonly replay?: ReplayWindow;
  readonly done?: boolean;
  readonly events?: number;
  readonly pages?: number;
}

/** A new checkpoint: written only after Sumo accepted every event before `next`. */
export interface Checkpoint {
  readonly next: string | undefined;
  readonly lastPublished: string | undefined;
  readonly savedAt: string;
  /** Where the stream started, carried from checkpoint to checkpoint (see {@link StoredCursor.startedAt}). */
  readonly startedAt?: string;
  readonly replay?: ReplayWindow;
  readonly done?: boolean;
  readonly events?: number;
  readonly pages?: number;
}

/** Proof of holding a stream's run lease; opaque to the core (the store keeps its fencing data inside). */
export interface Lease {
  readonly streamId: string;
  readonly owner: string;
  readonly expiresAt: number;
}

export interface AcquiredStream {
  readonly lease: Lease;
  /** The stored cursor; `undefined` for a brand-new stream. */
  readonly cursor: StoredCursor | undefined;
  /**
   * Which attributes of the stored item could not be read (names, never values); `cursor` still holds every
   * readable field, and the core follows a usable `next` whatever else is wrong.
   */
  readonly corruption?: string;
}

export interface LeaseRequest {
  /** The invocation's request id. */
  readonly owner: string;
  /** Epoch ms when the lease lapses by itself: the invocation's deadline plus a small margin. */
  readonly expiresAt: number;
  /** Epoch ms now: a lease whose `expiresAt` is before this is free. */
  readonly now: number;
}

/** The cursor table: one item per stream holding its cursor and its run lease. */
export interface CursorStore {
  /** Takes the stream's lease if it is free or expired. Resolves `undefined` when another owner holds it. */
  acquire(streamId: string, request: LeaseRequest): Promise<AcquiredStream | undefined>;
  /**
   * Writes the checkpoint only if this lease is still held and the item is unchanged since we last read
   * or wrote it (fenced conditional write).
   * @throws CursorConflictError when the lease was lost or the item changed.
   */
  commit(lease: Lease, checkpoint: Checkpoint): Promise<void>;
  /** Gives the lease up (only if still ours); never throws for a lease already lost. */
  release(lease: Lease): Promise<void>;
  /** Replays that were started and are not done yet. */
  listUnfinishedReplays(): Promise<readonly ReplayWindow[]>;
}

/** Time, injectable so tests and benchmarks can run on a simulated clock. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Structured logger: fixed messages, data in keys (Powertools Logger satisfies it). */
export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}
