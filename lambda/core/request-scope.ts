/**
 * What bounds every request of one stream run, to Okta and to Sumo alike: the caller's abort and the time left
 * (minus the checkpoint reserve), and the retry policy with an observer that counts and logs each retry.
 */
import { describe, errorKeys } from './error-description.js';
import type { Clock, Logger } from './ports.js';
import type { RetryDeps, RetryPolicy } from './retry.js';
import type { RunStats } from './run-stats.js';
import type { Deadline } from './time-budget.js';

/** One stream run's collaborators that every request needs. */
export interface RequestScope {
  /** The stream's id, for the logs. */
  readonly stream: string;
  readonly clock: Clock;
  readonly deadline: Deadline;
  readonly policy: RetryPolicy;
  /** Jitter source; tests pass a seeded one. */
  readonly random: () => number;
  readonly logger: Logger;
  readonly stats: RunStats;
}

/** Aborts when `signal` does or when the time left (minus the checkpoint reserve) is spent. */
export function requestSignal(deadline: Deadline, signal: AbortSignal): AbortSignal {
  return AbortSignal.any([signal, AbortSignal.timeout(Math.max(1, Math.ceil(deadline.workRemaining())))]);
}

/** The dependencies of `withRetries` for one operation of the run; `signal` stops its waits. */
export function retryDepsFor(scope: RequestScope, signal: AbortSignal): RetryDeps {
  const { clock, deadline, policy, random, logger, stats } = scope;
  return {
    clock,
    deadline,
    policy,
    random,
    signal,
    observer: {
      onRetry: (error: unknown, attempt: number, delayMs: number) => {
        stats.retries += 1;
        stats.lastError = describe(error);
        logger.warn('retrying', {
          stream: scope.stream,
          attempt,
          delayMs: Math.round(delayMs),
          error: stats.lastError,
          ...errorKeys(error),
        });
      },
    },
  };
}
