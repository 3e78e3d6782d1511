/**
 * Paces Okta requests so this collector uses at most its share of each `/api/v1/logs` rate-limit window.
 * The bucket is shared by every integration of the org, and Okta warns admins when one integration passes
 * 60 % of a limit; a 429 in normal operation means we took someone else's requests.
 */
import type { RateLimitStatus } from './ports.js';

export interface RateGovernorOptions {
  /** Share of each window's limit we may use, (0, 1]. */
  readonly share: number;
  /**
   * Share of the limit to leave untouched for others: a replay leaves room for the live collector this way.
   * @default 0
   */
  readonly reserveShare?: number;
  readonly random: () => number;
}

/** Okta's `/api/v1/logs` windows last a minute. */
const HALF_WINDOW_MS = 30_000;
/** Jitter after a window resets, so two collectors do not fire at the same instant. */
const RESET_JITTER_MS = 1000;

export class RateGovernor {
  private window: RateLimitStatus | undefined;
  private sentInWindow = 0;
  private firstAnswer = true;

  public constructor(private readonly options: RateGovernorOptions) {}

  /** Records the rate-limit headers of a response. */
  public observe(status: RateLimitStatus | undefined): void {
    if (!status || status.limit <= 0) return; // a concurrent-request 429 says nothing about the window
    // `resetAt` is derived from `Date`, which has one-second resolution, so it jitters by a second or so within
    // one window: only a reset that moved forward by half a window, or a bucket that refilled, is a new window.
    const isNewWindow =
      !this.window ||
      status.resetAt - this.window.resetAt >= HALF_WINDOW_MS ||
      (status.remaining > this.window.remaining && status.resetAt > this.window.resetAt);
    if (this.firstAnswer) {
      this.firstAnswer = false;
      // An invocation's first answer: earlier invocations of ours may have used this window already (a tick
      // starting right after another ended). Counting the window's whole usage as ours keeps the total within
      // our share at the cost of, at worst, part of one window.
      this.sentInWindow = Math.max(this.sentInWindow, status.limit - status.remaining);
    } else if (isNewWindow) {
      // The request that produced this response is the first of ours in the new window.
      this.sentInWindow = 1;
    }
    this.window = status;
  }

  /** Milliseconds to wait before the next request may be sent (0 = now). */
  public delayBeforeNext(now: number): number {
    const window = this.window;
    if (!window || now >= window.resetAt) return 0;
    const allowance = Math.max(1, Math.floor(window.limit * this.options.share));
    const reserve = Math.ceil(window.limit * (this.options.reserveShare ?? 0));
    const exhausted = this.sentInWindow >= allowance || window.remaining <= reserve;
    return exhausted ? window.resetAt - now + this.options.random() * RESET_JITTER_MS : 0;
  }

  /** Counts a request about to be sent. */
  public recordRequest(now: number): void {
    if (this.window && now >= this.window.resetAt) {
      this.window = undefined;
      this.sentInWindow = 0;
    }
    this.sentInWindow += 1;
  }
}
