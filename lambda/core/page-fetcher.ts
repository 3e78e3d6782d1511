/**
 * The fetch side of a stream run: each page request paced to our share of Okta's rate limit, the limit
 * observed from every answer in order, transient failures retried, and the next request sent early (as soon
 * as a page's headers name it) while the current page is still read.
 */
import { RateLimitedError } from './errors.js';
import type { LogPage, LogSource, PageRequest } from './ports.js';
import type { RateGovernor } from './rate-governor.js';
import { requestSignal, retryDepsFor, type RequestScope } from './request-scope.js';
import { OutOfTimeError, withRetries } from './retry.js';
import { samePosition } from './page-position.js';

/** A page request sent (or about to be, after pacing); awaited later, in page order. */
export interface InFlightFetch {
  readonly request: PageRequest;
  /** When the request that produced (or will produce) the page was sent: pacing and retry waits excluded. */
  readonly sentAt: () => number;
  readonly page: Promise<LogPage>;
  /** The page's `next` link as soon as its headers arrive (before the body is parsed); undefined if none. */
  readonly nextLink: Promise<string | undefined>;
  abort(): void;
}

/** What {@link PageFetcher} needs beyond the run's {@link RequestScope}. */
export interface PageFetcherDeps extends RequestScope {
  readonly source: LogSource;
  /** The invocation's share of Okta's rate limit, shared by every stream it runs. */
  readonly governor: RateGovernor;
}

/** Starts page fetches for one stream run; at most two are in flight (the current page and the next). */
export class PageFetcher {
  public constructor(private readonly deps: PageFetcherDeps) {}

  /**
   * Sends the request for the page after `flight` as soon as `flight`'s headers name it, so Okta works on it
   * while `flight`'s body is read and parsed. `undefined` when there is no next page or no time for one.
   */
  public async startEarly(flight: InFlightFetch): Promise<InFlightFetch | undefined> {
    const next = await flight.nextLink;
    return next !== undefined && !samePosition(flight.request, next) && this.deps.deadline.allowsPage()
      ? this.startFetch({ next })
      : undefined;
  }

  /** Starts fetching a page (after any pacing wait); the returned promise is awaited later, in order. */
  public startFetch(request: PageRequest): InFlightFetch {
    const controller = new AbortController();
    let sentAt = this.deps.clock.now();
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
    const { clock, deadline, governor, logger, source, stats } = this.deps;
    return withRetries(retryDepsFor(this.deps, signal), async (_attempt, retry) => {
      const pacing = governor.delayBeforeNext(clock.now());
      if (pacing > 0) {
        if (!deadline.allowsWait(pacing)) {
          throw new OutOfTimeError(
            `our share of Okta's rate limit is used up for ${Math.ceil(pacing / 1000)} s`,
          );
        }
        logger.debug('pacing to stay within our share of the rate limit', { waitMs: Math.round(pacing) });
        await clock.sleep(pacing, signal);
      }
      onSend(clock.now());
      governor.recordRequest(clock.now());
      // Each answer's rate-limit headers are observed once, as they arrive (the early-request path does it
      // before the body is read), so the governor sees windows in order.
      let observed = false;
      try {
        const page = await source.fetchPage(request, {
          signal: requestSignal(deadline, signal),
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
        if (error instanceof RateLimitedError) stats.rateLimited += 1;
        throw error;
      }
    });
  }
}
