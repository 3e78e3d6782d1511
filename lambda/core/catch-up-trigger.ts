/**
 * When a parallel catch-up pays: the `next` chain is serial (each request needs the previous answer), so one
 * stream reads at most one page per Okta answer time. When that is well below our share of the rate limit and
 * the backlog is large, several segments read at once. Otherwise (Okta fast, a small backlog, a fresh cursor on
 * a quiet org, no rate-limit headers to know the share by) the serial read stays: it has no overlap duplicates.
 */
import type { Clock, FetchOptions, LogPage, LogSource, PageRequest } from './ports.js';

/** A backlog must be at least this old (newest event read vs now) before segments are worth their overlap. */
export const CATCH_UP_MIN_BACKLOG_MS = 3_600_000;
/** Full pages timed before deciding (one slow answer is not a slow Okta). */
export const CATCH_UP_SAMPLE_PAGES = 3;
/** Split only when the serial read would reach less than this share of the allowance. */
const SERIAL_SHORTFALL = 0.9;
const MINUTE_MS = 60_000;

/**
 * Wraps the log source of the live stream: times each answer (from send to the headers that name the next page;
 * pacing waits happen before the call and are not counted) and says when the serial read is too slow for the
 * backlog it is in.
 */
export class CatchUpTrigger implements LogSource {
  private readonly latencies: number[] = [];
  private newestPublishedMs: number | undefined;
  private limit: number | undefined;
  private decided = false;

  public constructor(
    private readonly inner: LogSource,
    private readonly clock: Clock,
    /** `OKTA_RATE_LIMIT_SHARE`. */
    private readonly share: number,
    /** `OKTA_PAGE_LIMIT`: a full page means more is waiting. */
    private readonly pageLimit: number,
  ) {}

  public async fetchPage(request: PageRequest, options: FetchOptions): Promise<LogPage> {
    const sentAt = this.clock.now();
    let headersAt: number | undefined;
    const page = await this.inner.fetchPage(request, {
      ...options,
      onNext: (next, rateLimit) => {
        headersAt ??= this.clock.now();
        options.onNext?.(next, rateLimit);
      },
    });
    // The serial chain moves on as soon as the headers name the next page (the body is read meanwhile).
    this.record((headersAt ?? this.clock.now()) - sentAt, page);
    return page;
  }

  /** True once the live stream should hand over to a parallel catch-up (stays true). */
  public get fired(): boolean {
    if (this.decided) return true;
    const recent = this.latencies.slice(-CATCH_UP_SAMPLE_PAGES);
    if (recent.length < CATCH_UP_SAMPLE_PAGES || this.limit === undefined) return false;
    if (this.newestPublishedMs === undefined) return false;
    if (this.clock.now() - this.newestPublishedMs < CATCH_UP_MIN_BACKLOG_MS) return false;
    const allowancePerMinute = Math.max(1, Math.floor(this.limit * this.share));
    const serialPerMinute = MINUTE_MS / median(recent);
    this.decided = serialPerMinute < SERIAL_SHORTFALL * allowancePerMinute;
    return this.decided;
  }

  /** The answer times seen (ms), for the summary. */
  public get medianLatencyMs(): number | undefined {
    return this.latencies.length === 0 ? undefined : median(this.latencies);
  }

  private record(latencyMs: number, page: LogPage): void {
    if (page.rateLimit && page.rateLimit.limit > 0) this.limit = page.rateLimit.limit;
    // Only full pages: a short page is the end of the backlog, and an empty one answers faster.
    if (page.events.length < (page.limit ?? this.pageLimit)) return;
    this.latencies.push(latencyMs);
    for (const event of page.events) {
      const ms = event.published === undefined ? Number.NaN : Date.parse(event.published);
      if (!Number.isNaN(ms) && (this.newestPublishedMs === undefined || ms > this.newestPublishedMs))
        this.newestPublishedMs = ms;
    }
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
