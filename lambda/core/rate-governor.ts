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
const WINDOW_MS = 60_000;
const HALF_WINDOW_MS = WINDOW_MS / 2;
/**
 * `resetAt` comes from `Date`, which has one-second resolution, so a window may have begun up to a second before
 * `resetAt − 1 minute`: our requests of that second are counted in it too (at worst one request twice).
 */
const START_SLACK_MS = 1000;
/** Jitter after a window resets, so two collectors do not fire at the same instant. */
const RESET_JITTER_MS = 1000;

/**
 * What a window had used when we first heard of it, and how many of our requests were already counted then.
 * Earlier invocations of ours may have used this window (a tick starting right after another ended).
 */
interface PriorUsage {
  readonly resetAt: number;
  readonly used: number;
  readonly oursThen: number;
}

/**
 * One governor serves every stream of an invocation (the live cursor, replays, catch-up segments running side by
 * side): it counts each request it lets go by the time it was sent, so requests in flight together are all
 * counted in the window they belong to, whatever order their answers come back in.
 */
export class RateGovernor {
  /** The newest window Okta told us about. */
  private window: RateLimitStatus | undefined;
  private prior: PriorUsage | undefined;
  /** When each of our recent requests was sent (epoch ms, our clock), oldest first. */
  private readonly sends: number[] = [];

  public constructor(private readonly options: RateGovernorOptions) {}

  /** Records the rate-limit headers of a response. */
  public observe(status: RateLimitStatus | undefined): void {
    if (!status || status.limit <= 0) return; // a concurrent-request 429 says nothing about the window
    const current = this.window;
    // An answer from a window already replaced (answers of concurrent requests arrive in any order).
    if (current && current.resetAt - status.resetAt >= HALF_WINDOW_MS) return;
    const sameWindow = current !== undefined && status.resetAt - current.resetAt < HALF_WINDOW_MS;
    if (!current) {
      // An invocation's first answer: counting the window's whole usage as ours keeps the total within our
      // share at the cost of, at worst, part of one window. Only the request that produced this answer is known
      // to be in `used`; any other of ours in flight is counted on top.
      this.prior = {
        resetAt: status.resetAt,
        used: status.limit - status.remaining,
        oursThen: Math.min(1, this.sentSince(windowStart(status.resetAt))),
      };
    }
    // Within one window the lowest `remaining` is the latest state of the bucket, whatever the arrival order.
    this.window = sameWindow
      ? { ...status, remaining: Math.min(status.remaining, current.remaining) }
      : status;
  }

  /** Milliseconds to wait before the next request may be sent (0 = now). */
  public delayBeforeNext(now: number): number {
    const window = this.window;
    if (!window) return 0;
    // Past the window we know of, the current one is predicted: windows follow each other a minute apart.
    const observed = now < window.resetAt;
    const resetAt = observed
      ? window.resetAt
      : window.resetAt + (Math.floor((now - window.resetAt) / WINDOW_MS) + 1) * WINDOW_MS;
    const allowance = Math.max(1, Math.floor(window.limit * this.options.share));
    const reserve = Math.ceil(window.limit * (this.options.reserveShare ?? 0));
    const exhausted = this.usedIn(resetAt) >= allowance || (observed && window.remaining <= reserve);
    return exhausted ? resetAt - now + this.options.random() * RESET_JITTER_MS : 0;
  }

  /** Counts a request about to be sent. */
  public recordRequest(now: number): void {
    this.sends.push(now);
    while (this.sends.length > 0 && this.sends[0]! < now - 2 * WINDOW_MS) this.sends.shift();
  }

  /** Requests counted against the window that resets at `resetAt`. */
  private usedIn(resetAt: number): number {
    const ours = this.sentSince(windowStart(resetAt));
    const prior = this.prior;
    if (!prior || Math.abs(prior.resetAt - resetAt) >= HALF_WINDOW_MS) return ours;
    return Math.max(ours, prior.used + ours - prior.oursThen);
  }

  private sentSince(start: number): number {
    let count = 0;
    for (let i = this.sends.length - 1; i >= 0 && this.sends[i]! > start; i--) count += 1;
    return count;
  }
}

/** The earliest moment a window resetting at `resetAt` may have begun (see {@link START_SLACK_MS}). */
function windowStart(resetAt: number): number {
  return resetAt - WINDOW_MS - START_SLACK_MS;
}
