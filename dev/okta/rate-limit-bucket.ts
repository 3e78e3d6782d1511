/**
 * Okta's per-minute rate-limit bucket for `/api/v1/logs`: one per org, shared by every integration that reads
 * the log, so a test can drain it from "another integration" and see the collector slow down.
 */

/**
 * When a rate-limit window resets. `minute`: on each minute of the simulator's clock (Okta's per-minute
 * windows). `first-request`: 60 s after the first request of the window.
 */
export type RateLimitAlignment = 'minute' | 'first-request';

export const WINDOW_MS = 60_000;

/** What a request sees of the bucket. */
export interface BucketState {
  readonly remaining: number;
  /** When the window resets (simulator clock, epoch ms). */
  readonly resetAt: number;
}

export class RateLimitBucket {
  private used = 0;
  private resetAt = 0;

  /** `limit` 0 means unlimited (and then no `X-Rate-Limit-*` headers are sent). */
  public constructor(
    public limit: number,
    public alignment: RateLimitAlignment,
  ) {}

  /** Takes `n` requests if they fit; reports the state after the take. */
  public take(now: number, n = 1): BucketState & { allowed: boolean } {
    if (now >= this.resetAt) {
      this.used = 0;
      this.resetAt = this.nextReset(now);
    }
    const allowed = this.used + n <= this.limit;
    this.used = Math.min(this.limit, this.used + n);
    return { allowed, remaining: this.limit - this.used, resetAt: this.resetAt };
  }

  /** The state the next request would see before taking from it. */
  public peek(now: number): BucketState {
    if (now >= this.resetAt) return { remaining: this.limit, resetAt: this.nextReset(now) };
    return { remaining: this.limit - this.used, resetAt: this.resetAt };
  }

  /** When the current window resets, or (unlimited) a minute from now: what a 429 reports. */
  public resetAfter(now: number): number {
    return this.limit > 0 ? this.peek(now).resetAt : now + WINDOW_MS;
  }

  private nextReset(now: number): number {
    return this.alignment === 'minute'
      ? Math.floor(now / WINDOW_MS) * WINDOW_MS + WINDOW_MS
      : now + WINDOW_MS;
  }
}

/** Okta's `X-Rate-Limit-*` headers (Reset in UTC epoch seconds). */
export function rateLimitHeaders(limit: number, remaining: number, resetAt: number): Record<string, string> {
  return {
    'X-Rate-Limit-Limit': String(limit),
    'X-Rate-Limit-Remaining': String(remaining),
    'X-Rate-Limit-Reset': String(Math.ceil(resetAt / 1000)),
  };
}
