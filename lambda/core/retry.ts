/**
 * Retries with bounded, jittered exponential backoff, inside the invocation's time budget. Adapters only
 * classify failures (`retryable`); deciding when and whether to try again lives here so it can be tested
 * on a simulated clock.
 */
import { RateLimitedError, isRetryable } from './errors.js';
import type { Clock, RetryContext } from './ports.js';
import type { Deadline } from './time-budget.js';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Six tries over roughly a minute ride out a short Okta or Sumo blip without hiding an outage. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 20_000 };

/** Okta's SDKs add a few seconds of jitter after waiting for the window to reset; so do we. */
const RATE_LIMIT_JITTER_MS = 2000;

/** A retry (or a rate-limit wait) no longer fits the time budget; the run checkpoints and returns. */
export class OutOfTimeError extends Error {
  public override readonly name = 'OutOfTimeError';
}

export interface RetryObserver {
  /** Called before each wait; `error` is what failed. */
  onRetry(error: unknown, attempt: number, delayMs: number): void;
}

export interface RetryDeps {
  readonly clock: Clock;
  readonly deadline: Deadline;
  readonly policy: RetryPolicy;
  readonly random: () => number;
  readonly observer: RetryObserver;
  readonly signal?: AbortSignal;
}

/** Runs `operation` until it succeeds, a failure is not retryable, the tries run out, or time does. */
export async function withRetries<T>(
  deps: RetryDeps,
  operation: (attempt: number, retry: RetryContext | undefined) => Promise<T>,
): Promise<T> {
  let retry: RetryContext | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt, retry);
    } catch (error) {
      if (deps.signal?.aborted) throw error;
      if (deps.deadline.workRemaining() <= 0)
        throw new OutOfTimeError('time ran out during a request', { cause: error });
      if (!isRetryable(error) || attempt >= deps.policy.maxAttempts) throw error;
      const delayMs = retryDelay(error, attempt, deps);
      if (!deps.deadline.allowsWait(delayMs)) {
        throw new OutOfTimeError(
          `waiting ${Math.ceil(delayMs / 1000)} s to retry does not fit the time budget`,
          {
            cause: error,
          },
        );
      }
      if (error instanceof RateLimitedError && error.requestId) {
        retry = { retryFor: error.requestId, retryCount: (retry?.retryCount ?? 0) + 1 };
      }
      deps.observer.onRetry(error, attempt, delayMs);
      await deps.clock.sleep(delayMs, deps.signal);
    }
  }
}

function retryDelay(error: unknown, attempt: number, deps: RetryDeps): number {
  if (error instanceof RateLimitedError && !error.concurrent) {
    // Wait for the window Okta named, measured on our clock (the adapter translated it via `Date`).
    return Math.max(0, error.retryAt - deps.clock.now()) + deps.random() * RATE_LIMIT_JITTER_MS;
  }
  // Full jitter: spreads concurrent clients out (AWS Architecture Blog, "Exponential Backoff And Jitter").
  const ceiling = Math.min(deps.policy.maxDelayMs, deps.policy.baseDelayMs * 2 ** (attempt - 1));
  return deps.policy.baseDelayMs / 2 + deps.random() * (ceiling - deps.policy.baseDelayMs / 2);
}
