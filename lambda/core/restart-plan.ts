/**
 * Where a stream run starts, and where it restarts when its cursor cannot be used (interface 10). The steps,
 * each tried only when the one before is unusable or refused:
 *
 * 1. the stored `next` link, followed whatever else in the item is unreadable;
 * 2. the newest `published` delivered, minus the overlap (a polling `since` filters on persistence time, so
 *    it must be a time known to be delivered, never the item's wall-clock `savedAt`);
 * 3. where the stream started (its recorded `startedAt`, else the configured start rule; a replay's window
 *    start), accepting duplicates: duplicates over gaps.
 *
 * The stream's own start refused is fatal: the cause is then not the cursor (a bad filter, a credential).
 */
import { OKTA_RETENTION_MS, parseInstant } from './instant.js';
import type { AcquiredStream, Clock, Logger, PageRequest } from './ports.js';
import type { RunStats } from './run-stats.js';
import type { StreamSpec } from './stream-spec.js';

/** Restarts one run may make: a source that accepts queries but refuses every `next` link must not loop. */
export const MAX_RESTARTS_PER_RUN = 3;

type Step = 'delivered' | 'start';

export class RestartPlan {
  /** Which step produced a request, so a refusal of it moves one step down. */
  private readonly steps = new WeakMap<PageRequest, Step>();
  /** Where the stream started, for the checkpoints to carry (`undefined` for an old item that never said). */
  public startedAt: string | undefined;

  public constructor(
    private readonly spec: StreamSpec,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly stats: RunStats,
  ) {
    this.startedAt = stats.stored?.startedAt;
  }

  /** The run's first request: the stored `next` if usable, a new query for a new stream, else a restart. */
  public first(acquired: Pick<AcquiredStream, 'cursor' | 'corruption'>): PageRequest {
    const { cursor, corruption } = acquired;
    if (corruption !== undefined) {
      // Attribute names and what was wrong with them; the store never quotes a value here.
      this.logger.warn('cursor item partly unreadable', { stream: this.spec.id, problem: corruption });
    }
    if (cursor === undefined) {
      const request = this.spec.initialRequest(this.clock.now());
      this.steps.set(request, 'start');
      this.startedAt ??= sinceOf(request);
      return request;
    }
    if (cursor.next !== undefined) {
      const savedMs = cursor.savedAt === undefined ? undefined : parseInstant(cursor.savedAt);
      if (savedMs !== undefined && this.clock.now() - savedMs > OKTA_RETENTION_MS)
        return this.fromDelivered('the cursor is older than Okta keeps logs (90 days)', cursor.lastPublished);
      return { next: cursor.next };
    }
    const reason =
      corruption === undefined ? 'the cursor has no next link' : 'the cursor item has no usable next link';
    return this.fromDelivered(reason, cursor.lastPublished);
  }

  /**
   * The request to send after `refused` was refused (Okta's 400, or a stored link the source would not
   * follow); `undefined` when nothing is left to try, and the refusal is then the run's error.
   * @param lastDelivered the newest `published` delivered (stored, or delivered by this run).
   */
  public afterRefusal(
    refused: PageRequest,
    lastDelivered: string | undefined,
    reason: string,
  ): PageRequest | undefined {
    const step = this.steps.get(refused);
    if (step === 'start' || this.stats.recoveries >= MAX_RESTARTS_PER_RUN) return undefined;
    return step === 'delivered' ? this.fromStart(reason) : this.fromDelivered(reason, lastDelivered);
  }

  private fromDelivered(reason: string, anchor: string | undefined): PageRequest {
    const request = this.spec.recoveryRequest(anchor, this.clock.now());
    if (request === undefined) return this.fromStart(reason);
    this.stats.recoveries += 1;
    this.steps.set(request, 'delivered');
    this.logger.error('cursor unusable, restarting from the last delivered time', {
      stream: this.spec.id,
      reason,
      lastPublished: anchor,
      restartSince: sinceOf(request),
    });
    return request;
  }

  private fromStart(reason: string): PageRequest {
    this.stats.recoveries += 1;
    const request = this.spec.restartRequest(this.startedAt, this.clock.now());
    this.steps.set(request, 'start');
    // Nothing delivered is known past this point: it is where the stream now starts.
    this.startedAt ??= sinceOf(request);
    this.logger.warn('cursor unusable, restarting where the stream started', {
      stream: this.spec.id,
      reason,
      startedAt: this.startedAt,
      restartSince: sinceOf(request),
    });
    return request;
  }
}

function sinceOf(request: PageRequest): string | undefined {
  return 'since' in request ? request.since : undefined;
}
