/** Counters of one stream run, turned into its summary at the end. */
import type { Batch, StoredCursor } from './ports.js';
import type { StopReason, StreamSummary } from './summary.js';

export class RunStats {
  public events = 0;
  /** Events Sumo refused on their own, kept in the undeliverable store. */
  public undeliverable = 0;
  public pages = 0;
  public batches = 0;
  public bytes = 0;
  public retries = 0;
  public rateLimited = 0;
  public recoveries = 0;
  public noProgressStops = 0;
  public newestPublishedMs: number | undefined;
  public lastError: string | undefined;

  public constructor(
    public readonly stream: string,
    /** What the store held when the run started (totals, last delivered time). */
    public stored: StoredCursor | undefined = undefined,
  ) {}

  public batchAccepted(batch: Batch): void {
    this.batches += 1;
    this.events += batch.events;
    this.bytes += batch.bytes;
  }

  public published(ms: number): void {
    if (this.newestPublishedMs === undefined || ms > this.newestPublishedMs) this.newestPublishedMs = ms;
  }

  public summary(stopReason: StopReason, now: number, done?: boolean): StreamSummary {
    const newest = this.newestPublishedMs ?? storedLastPublished(this.stored);
    const lagMs =
      stopReason === 'caught-up' && this.newestPublishedMs === undefined
        ? 0
        : newest === undefined
          ? undefined
          : now - newest;
    return {
      stream: this.stream,
      stopReason,
      events: this.events,
      undeliverable: this.undeliverable,
      pages: this.pages,
      batches: this.batches,
      bytes: this.bytes,
      retries: this.retries,
      rateLimited: this.rateLimited,
      recoveries: this.recoveries,
      noProgressStops: this.noProgressStops,
      newestPublished:
        this.newestPublishedMs === undefined ? undefined : new Date(this.newestPublishedMs).toISOString(),
      lagSeconds: lagMs === undefined ? undefined : Math.max(0, Math.round(lagMs / 1000)),
      lastError: this.lastError,
      ...(done === undefined
        ? {}
        : {
            done,
            totalEvents: (this.stored?.events ?? 0) + this.events,
            totalPages: (this.stored?.pages ?? 0) + this.pages,
          }),
    };
  }
}

function storedLastPublished(stored: StoredCursor | undefined): number | undefined {
  const ms = stored?.lastPublished === undefined ? Number.NaN : Date.parse(stored.lastPublished);
  return Number.isNaN(ms) ? undefined : ms;
}
