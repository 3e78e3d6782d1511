/**
 * One stream run's lease, from acquiring it to releasing it, and how the run's outcome becomes its summary:
 * a lost lease or an exhausted time budget ends the run quietly (its pages so far are checkpointed), any other
 * failure is logged and rethrown.
 */
import { describe, errorKeys } from './error-description.js';
import { CursorConflictError } from './errors.js';
import type { AcquiredStream, Clock, CursorStore, Logger } from './ports.js';
import { OutOfTimeError } from './retry.js';
import { RunStats } from './run-stats.js';
import type { StreamSpec } from './stream-spec.js';
import type { StopReason, StreamSummary } from './summary.js';
import type { Deadline } from './time-budget.js';

/** What holding a stream's lease needs. */
export interface LeaseDeps {
  readonly cursors: CursorStore;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Runs `work` while holding the lease of `spec`'s stream for `owner` until the deadline; `lease-held` without
 * running it when another invocation holds the lease, `done` when the stored cursor says so.
 */
export async function runUnderLease(
  deps: LeaseDeps,
  lease: { readonly owner: string; readonly deadline: Deadline },
  spec: StreamSpec,
  work: (acquired: AcquiredStream, stats: RunStats) => Promise<StopReason>,
): Promise<StreamSummary> {
  const { clock, logger } = deps;
  const stats = new RunStats(spec.id);
  const acquired = await deps.cursors.acquire(spec.id, {
    owner: lease.owner,
    expiresAt: lease.deadline.leaseExpiry(),
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
    return finish(await work(acquired, stats));
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
