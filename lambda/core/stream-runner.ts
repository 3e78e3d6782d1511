/**
 * Runs one stream (the main cursor or a replay) under its lease:
 * fetch a page → post every batch → only then write the page's `next` as the cursor → repeat.
 * The next page is fetched while the current one is posted, but cursors are written strictly in page order,
 * so a crash anywhere re-sends at most the page in flight.
 */
import { toBatches, MAX_BATCH_BYTES } from './batcher.js';
import { CursorConflictError, OktaApiError, RateLimitedError } from './errors.js';
import { toIso } from './instant.js';
import { samePosition } from './page-position.js';
import type {
  CursorStore,
  Clock,
  Lease,
  LogPage,
  LogSink,
  LogSource,
  Logger,
  PageRequest,
  StoredCursor,
  UndeliverableStore,
} from './ports.js';
import { isIdlePoll, type PollHook } from './poll-schedule.js';
import type { RateGovernor } from './rate-governor.js';
import { deliverRefusable } from './refused-batch.js';
import { RestartPlan } from './restart-plan.js';
import { OutOfTimeError, withRetries, type RetryPolicy } from './retry.js';
import { RunStats } from './run-stats.js';
import type { StreamSpec } from './stream-spec.js';
import type { StopReason, StreamSummary } from './summary.js';
import type { Deadline } from './time-budget.js';

export interface CollectorDeps {
  readonly source: LogSource;
  readonly sink: LogSink;
  readonly cursors: CursorStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Jitter source; tests pass a seeded one. */
  readonly random: () => number;
  /** Where events Sumo refuses on their own are kept; absent: such an event is fatal. */
  readonly undeliverable?: UndeliverableStore;
}

export interface CollectorSettings {
  /** `limit` of each Okta request: a page with fewer events means caught up. */
  readonly pageLimit: number;
  /** Where a brand-new main cursor starts (ISO); undefined = now − 7 days. */
  readonly startTime: string | undefined;
  readonly retry: RetryPolicy;
  /** Batches of one page posted at once (Sumo wants low concurrency); `config.sumoMaxInFlight`. @default 3 */
  readonly sumoMaxInFlight?: number;
}

/** One invocation's identity and limits, shared by every stream it runs. */
export interface RunContext {
  /** The invocation's request id: the lease owner. */
  readonly owner: string;
  readonly deadline: Deadline;
  readonly governor: RateGovernor;
  /** Opt-in polling of the caught-up live stream (main cursor only); absent: caught up means done. */
  readonly poll?: PollHook;
}

/** Concurrent Sumo POSTs of one page unless configured. */
export const DEFAULT_SUMO_MAX_IN_FLIGHT = 3;

interface InFlightFetch {
  readonly request: PageRequest;
  /** When the request that produced (or will produce) the page was sent: pacing and retry waits excluded. */
  readonly sentAt: () => number;
  readonly page: Promise<LogPage>;
  /** The page's `next` link as soon as its headers arrive (before the body is parsed); undefined if none. */
  readonly nextLink: Promise<string | undefined>;
  abort(): void;
}

/** Runs one stream until it is caught up / done, out of time, or failing. Throws fatal errors after checkpointing. */
export async function runStream(
  deps: CollectorDeps,
  settings: CollectorSettings,
  run: RunContext,
  spec: StreamSpec,
): Promise<StreamSummary> {
  const { clock, logger } = deps;
  const stats = new RunStats(spec.id);
  const acquired = await deps.cursors.acquire(spec.id, {
    owner: run.owner,
    expiresAt: run.deadline.leaseExpiry(),
    now: clock.now(),
  });
  if (!acquired) {
    logger.info('stream busy, another invocation holds its lease', { stream: spec.id });
    return stats.summary('lease-held', clock.now());
  }
  stats.stored = acquired.cursor;
  const isReplay = spec.replay !== undefined;
  const finish = (reason: StopReason): StreamSummary =>
    stats.summary(reason, clock.now(), isReplay ? reason === 'done' : undefined);
  let holdsLease = true;
  try {
    if (acquired.cursor?.done === true) return finish('done');
    const stopReason = await pump(new StreamRun(deps, settings, run, spec, acquired.lease, stats), acquired);
    return finish(stopReason);
  } catch (error) {
    stats.lastError = describe(error);
    if (error instanceof CursorConflictError) {
      holdsLease = false;
      logger.warn('lease lost, stopping without writing', { stream: spec.id });
      return finish('lease-lost');
    }
    if (error instanceof OutOfTimeError) {
      logger.warn('stopping early: out of time', { stream: spec.id, reason: stats.lastError });
      return finish('time-budget');
    }
    logger.error('run failed', { stream: spec.id, error: stats.lastError, ...errorKeys(error) });
    throw error;
  } finally {
    // The lease lapses by itself at the deadline plus the margin; a failed release must not hide the outcome.
    if (holdsLease) {
      await deps.cursors.release(acquired.lease).catch((error: unknown) => {
        logger.warn('lease release failed; it lapses by itself', { stream: spec.id, error: describe(error) });
      });
    }
  }
}

/** The page loop, with the next fetch overlapping the current page's delivery. */
async function pump(
  run: StreamRun,
  acquired: { cursor: StoredCursor | undefined; corruption?: string },
): Promise<StopReason> {
  if (!run.deadline.allowsPage()) return 'time-budget';
  /** While pages come back full (a backlog), the next request is sent as soon as a page's headers arrive. */
  let catchingUp = false;
  /** Set once a caught-up stream polls again (opt-in low latency). */
  let polling = false;
  let current: InFlightFetch | undefined = run.startFetch(run.startingRequest(acquired));
  while (current) {
    const early: InFlightFetch | undefined = catchingUp ? await run.startEarly(current) : undefined;
    let page: LogPage;
    try {
      page = await current.page;
    } catch (error) {
      early?.abort();
      // Okta answers 400 to a `next` link it no longer accepts, and the source refuses a stored link to another
      // origin before sending anything: restart one step further back (see RestartPlan).
      const restart = isRejectedCursor(error) ? run.afterRefusal(current.request, error) : undefined;
      if (restart === undefined) throw error;
      current = run.startFetch(restart);
      continue;
    }
    // A page whose `next` is the request's own position: deliver it once, then stop (following would loop).
    const endsWork: boolean = run.spec.isLastPage(page, run.settings.pageLimit);
    const stalled: boolean = !endsWork && samePosition(current.request, page.next);
    const last: boolean = endsWork || stalled;
    // The early request is used only if it asked for exactly this page's `next` (a retried page may differ).
    const reusable: boolean =
      early !== undefined && !last && 'next' in early.request && early.request.next === page.next;
    if (!reusable) early?.abort();
    const prefetch: InFlightFetch | undefined = reusable
      ? early
      : !last && page.next !== undefined && run.deadline.allowsPage()
        ? run.startFetch({ next: page.next })
        : undefined;
    catchingUp = !last;
    try {
      await run.deliver(page);
      if (!(polling && isIdlePoll(current.request, page))) await run.checkpoint(page);
    } catch (error) {
      prefetch?.abort();
      throw error;
    }
    // A pacing or 429 wait is not page work: counting it would stop every later run a window early.
    run.deadline.recordPage(run.clock.now() - current.sentAt());
    if (stalled) return run.noProgress(page);
    if (last && page.next !== undefined && (await run.pollAgain(current.sentAt()))) {
      polling = true;
      current = run.startFetch({ next: page.next });
      continue;
    }
    if (last) return run.spec.replay ? 'done' : 'caught-up';
    if (!prefetch) return 'time-budget';
    current = prefetch;
  }
  return 'time-budget';
}

function isRejectedCursor(error: unknown): error is OktaApiError {
  return (
    error instanceof OktaApiError &&
    (error.status === 400 || (error.status === 0 && error.errorCode === 'FOREIGN_NEXT_LINK'))
  );
}

/** The state of one stream run: its lease, what it last stored, and the operations on pages. */
class StreamRun {
  public readonly clock: Clock;
  public readonly deadline: Deadline;
  private readonly logger: Logger;
  private readonly restarts: RestartPlan;
  private lastPublished: string | undefined;

  public constructor(
    private readonly deps: CollectorDeps,
    public readonly settings: CollectorSettings,
    private readonly run: RunContext,
    public readonly spec: StreamSpec,
    private readonly lease: Lease,
    private readonly stats: RunStats,
  ) {
    this.clock = deps.clock;
    this.logger = deps.logger;
    this.deadline = run.deadline;
    this.lastPublished = stats.stored?.lastPublished;
    this.restarts = new RestartPlan(spec, this.clock, this.logger, stats);
  }

  /** Where this run starts: the stored `next` link if usable, a new query, or a restart (see RestartPlan). */
  public startingRequest(acquired: { cursor: StoredCursor | undefined; corruption?: string }): PageRequest {
    return this.restarts.first(acquired);
  }

  /** The request to send after `refused` was refused, or `undefined` (the refusal is then fatal). */
  public afterRefusal(refused: PageRequest, error: OktaApiError): PageRequest | undefined {
    const reason = `the ${'next' in refused ? 'next link' : 'query'} was refused (${error.status} ${error.errorCode ?? ''})`;
    return this.restarts.afterRefusal(refused, this.lastPublished, reason.trim());
  }

  /** Ends the run after a page that did not advance (delivered and checkpointed already). */
  public noProgress(page: LogPage): StopReason {
    this.stats.noProgressStops += 1;
    this.logger.warn('no progress: the next link repeats the request', {
      stream: this.spec.id,
      events: page.events.length,
      action: 'stopping this stream until the next invocation',
    });
    return 'no-progress';
  }

  /** Opt-in low latency (see poll-schedule.ts): waits for the next poll; false when the run should end. */
  public pollAgain(lastSentAt: number): Promise<boolean> {
    return this.run.poll?.waitForNextPoll(lastSentAt) ?? Promise.resolve(false);
  }

  /**
   * Sends the request for the page after `flight` as soon as `flight`'s headers name it, so Okta works on it
   * while `flight`'s body is read and parsed. At most two requests are then in flight.
   */
  public async startEarly(flight: InFlightFetch): Promise<InFlightFetch | undefined> {
    const next = await flight.nextLink;
    return next !== undefined && !samePosition(flight.request, next) && this.deadline.allowsPage()
      ? this.startFetch({ next })
      : undefined;
  }

  /** Starts fetching a page (after any pacing wait); the returned promise is awaited later, in order. */
  public startFetch(request: PageRequest): InFlightFetch {
    const controller = new AbortController();
    let sentAt = this.clock.now();
    let announce: (next: string | undefined) => void = () => undefined;
    const nextLink = new Promise<string | undefined>((resolve) => (announce = resolve));
    const page = this.fetchPage(request, controller.signal, (at) => (sentAt = at), announce);
    // Handled where it is awaited; this keeps a failing prefetch from being an unhandled rejection meanwhile.
    page.then(
      (fetched) => announce(fetched.next),
      () => announce(undefined),
    );
    return { request, sentAt: () => sentAt, page, nextLink, abort: () => controller.abort() };
  }

  private async fetchPage(
    request: PageRequest,
    signal: AbortSignal,
    onSend: (at: number) => void,
    onNext: (next: string) => void,
  ): Promise<LogPage> {
    const { governor } = this.run;
    return withRetries(this.retryDeps(signal), async (_attempt, retry) => {
      const pacing = governor.delayBeforeNext(this.clock.now());
      if (pacing > 0) {
        if (!this.deadline.allowsWait(pacing)) {
          throw new OutOfTimeError(
            `our share of Okta's rate limit is used up for ${Math.ceil(pacing / 1000)} s`,
          );
        }
        this.logger.debug('pacing to stay within our share of the rate limit', {
          waitMs: Math.round(pacing),
        });
        await this.clock.sleep(pacing, signal);
      }
      onSend(this.clock.now());
      governor.recordRequest(this.clock.now());
      // Each answer's rate-limit headers are observed once, as they arrive (the early-request path does it
      // before the body is read), so the governor sees windows in order.
      let observed = false;
      try {
        const page = await this.deps.source.fetchPage(request, {
          signal: this.requestSignal(signal),
          ...(retry ? { retry } : {}),
          onNext: (next, rateLimit) => {
            if (!observed) governor.observe(rateLimit);
            observed = true;
            onNext(next);
          },
        });
        if (!observed) governor.observe(page.rateLimit);
        return page;
      } catch (error) {
        if (error instanceof RateLimitedError) this.stats.rateLimited += 1;
        throw error;
      }
    });
  }

  /** Posts every batch of the page, in order; resolves only when Sumo accepted all of them. */
  public async deliver(page: LogPage): Promise<void> {
    const events = this.spec.select(page.events);
    for (const event of events) {
      if (event.published !== undefined) {
        const ms = Date.parse(event.published);
        if (!Number.isNaN(ms)) this.stats.published(ms);
      }
    }
    const batches = toBatches(events);
    const controller = new AbortController();
    let nextBatch = 0;
    // A few workers take the page's batches in order; the page counts as delivered only when all are accepted.
    const worker = async (): Promise<void> => {
      while (nextBatch < batches.length && !controller.signal.aborted) {
        const batch = batches[nextBatch++]!;
        if (batch.bytes > MAX_BATCH_BYTES) {
          this.logger.warn('event larger than 1 MB sent alone', { stream: this.spec.id, bytes: batch.bytes });
        }
        // A batch Sumo refuses is split, and an event it refuses alone kept aside (refused-batch.ts).
        await deliverRefusable(
          {
            stream: this.spec.id,
            send: (part) =>
              this.deps.sink.send(part, {
                signal: this.requestSignal(controller.signal),
                ...(this.spec.fields ? { fields: this.spec.fields } : {}),
              }),
            retrying: (operation) => withRetries(this.retryDeps(controller.signal), operation),
            undeliverable: this.deps.undeliverable,
            logger: this.logger,
            stats: this.stats,
          },
          batch,
        );
      }
    };
    const width = Math.min(batches.length, this.settings.sumoMaxInFlight ?? DEFAULT_SUMO_MAX_IN_FLIGHT);
    const settled = await Promise.allSettled(
      Array.from({ length: width }, () =>
        worker().catch((error: unknown) => {
          controller.abort(); // the first failure stops the others: the page is not delivered either way
          throw error;
        }),
      ),
    );
    const failed = settled.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    this.stats.pages += 1;
  }

  /** Writes the page's `next` as the cursor: Sumo has accepted every event before it. */
  public async checkpoint(page: LogPage): Promise<void> {
    const newest = this.stats.newestPublishedMs;
    if (
      newest !== undefined &&
      (this.lastPublished === undefined || newest > Date.parse(this.lastPublished))
    ) {
      this.lastPublished = toIso(newest);
    }
    const stored = this.stats.stored;
    const done = this.spec.replay !== undefined && (this.spec.isDone?.(page) ?? page.next === undefined);
    await this.deps.cursors.commit(this.lease, {
      next: page.next,
      lastPublished: this.lastPublished,
      savedAt: toIso(this.clock.now()),
      ...(this.restarts.startedAt === undefined ? {} : { startedAt: this.restarts.startedAt }),
      ...(this.spec.replay
        ? {
            replay: this.spec.replay,
            done,
            events: (stored?.events ?? 0) + this.stats.events,
            pages: (stored?.pages ?? 0) + this.stats.pages,
          }
        : {}),
    });
    this.logger.info('page delivered', {
      stream: this.spec.id,
      events: this.stats.events,
      pages: this.stats.pages,
      lastPublished: this.lastPublished,
    });
  }

  /** Aborts when the caller does or when the time left (minus the checkpoint reserve) is spent. */
  private requestSignal(signal: AbortSignal): AbortSignal {
    return AbortSignal.any([
      signal,
      AbortSignal.timeout(Math.max(1, Math.ceil(this.deadline.workRemaining()))),
    ]);
  }

  private retryDeps(signal: AbortSignal) {
    return {
      clock: this.clock,
      deadline: this.deadline,
      policy: this.settings.retry,
      random: this.deps.random,
      signal,
      observer: {
        onRetry: (error: unknown, attempt: number, delayMs: number) => {
          this.stats.retries += 1;
          this.stats.lastError = describe(error);
          this.logger.warn('retrying', {
            stream: this.spec.id,
            attempt,
            delayMs: Math.round(delayMs),
            error: this.stats.lastError,
            ...errorKeys(error),
          });
        },
      },
    };
  }
}

/** An error's name and message: our own messages, which never hold a credential. */
export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Operator-facing details carried by our errors (status, Okta errorCode and request id). */
export function errorKeys(error: unknown): Record<string, unknown> {
  if (error instanceof OktaApiError)
    return { status: error.status, errorCode: error.errorCode, oktaRequestId: error.requestId };
  if (typeof error === 'object' && error !== null && 'status' in error) return { status: error.status };
  return {};
}
