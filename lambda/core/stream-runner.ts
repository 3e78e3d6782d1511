/**
 * Runs one stream (the main cursor or a replay) under its lease:
 * fetch a page → post every batch → only then write the page's `next` as the cursor → repeat.
 * The next page is fetched while the current one is posted, but cursors are written strictly in page order,
 * so a crash anywhere re-sends at most the page in flight.
 */
import { toBatches, MAX_BATCH_BYTES } from './batcher.js';
import { DEFAULT_SUMO_MAX_IN_FLIGHT, type CollectorSettings } from './collector-settings.js';
import { isRejectedCursor, type CursorRejectedError } from './errors.js';
import { toIso } from './instant.js';
import { runUnderLease } from './leased-run.js';
import { PageFetcher, type InFlightFetch } from './page-fetcher.js';
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
import { requestSignal, retryDepsFor, type RequestScope } from './request-scope.js';
import { withRetries } from './retry.js';
import type { RunStats } from './run-stats.js';
import type { StreamSpec } from './stream-spec.js';
import type { StopReason, StreamSummary } from './summary.js';
import type { Deadline } from './time-budget.js';

export { DEFAULT_SUMO_MAX_IN_FLIGHT, type CollectorSettings } from './collector-settings.js';
// Imported from here by other modules (catch-up); they live in their own files now.
export { describe, errorKeys } from './error-description.js';

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

/** One invocation's identity and limits, shared by every stream it runs. */
export interface RunContext {
  /** The invocation's request id: the lease owner. */
  readonly owner: string;
  readonly deadline: Deadline;
  readonly governor: RateGovernor;
  /** Opt-in polling of the caught-up live stream (main cursor only); absent: caught up means done. */
  readonly poll?: PollHook;
}

/** Runs one stream until it is caught up / done, out of time, or failing. Throws fatal errors after checkpointing. */
export function runStream(
  deps: CollectorDeps,
  settings: CollectorSettings,
  run: RunContext,
  spec: StreamSpec,
): Promise<StreamSummary> {
  return runUnderLease(deps, run, spec, (acquired, stats) =>
    pump(new StreamRun(deps, settings, run, spec, acquired.lease, stats), acquired),
  );
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

/** The state of one stream run: its lease, what it last stored, and the operations on pages. */
class StreamRun {
  public readonly clock: Clock;
  public readonly deadline: Deadline;
  private readonly logger: Logger;
  private readonly restarts: RestartPlan;
  private readonly scope: RequestScope;
  private readonly fetcher: PageFetcher;
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
    this.scope = { ...deps, stream: spec.id, deadline: this.deadline, policy: settings.retry, stats };
    this.fetcher = new PageFetcher({ ...this.scope, source: deps.source, governor: run.governor });
  }

  /** Where this run starts: the stored `next` link if usable, a new query, or a restart (see RestartPlan). */
  public startingRequest(acquired: { cursor: StoredCursor | undefined; corruption?: string }): PageRequest {
    return this.restarts.first(acquired);
  }

  /** The request to send after `refused` was refused, or `undefined` (the refusal is then fatal). */
  public afterRefusal(refused: PageRequest, error: CursorRejectedError): PageRequest | undefined {
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
  public startEarly(flight: InFlightFetch): Promise<InFlightFetch | undefined> {
    return this.fetcher.startEarly(flight);
  }

  /** Starts fetching a page (after any pacing wait); the returned promise is awaited later, in order. */
  public startFetch(request: PageRequest): InFlightFetch {
    return this.fetcher.startFetch(request);
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
    return requestSignal(this.deadline, signal);
  }

  private retryDeps(signal: AbortSignal) {
    return retryDepsFor(this.scope, signal);
  }
}
