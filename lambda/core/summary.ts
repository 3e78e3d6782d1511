/** What one run of one stream did, returned to the caller and logged as one line. */

/** Why a run stopped: every tick says it, so a stall is never silent. */
export type StopReason =
  /** A polling page came back with fewer events than the limit: nothing waiting now. */
  | 'caught-up'
  /** A replay reached the end of its window. */
  | 'done'
  /** Not enough time left for another page (or for a retry / rate-limit wait); the next run resumes. */
  | 'time-budget'
  /** Another invocation holds this stream's lease: it is doing the work. */
  | 'lease-held'
  /** The lease was taken over or the cursor changed under us: stopped without writing. */
  | 'lease-lost'
  /** Okta answered a page whose `next` link is the request's own position: delivered once, retried next tick. */
  | 'no-progress'
  /** A fatal error (thrown after checkpointing). */
  | 'error';

export interface StreamSummary {
  /** `main`, or `replay#<id>`. */
  readonly stream: string;
  readonly stopReason: StopReason;
  /** Events accepted by Sumo in this run. */
  readonly events: number;
  /** Events Sumo refused on their own, written to the undeliverable bucket (metric `UndeliverableEvents`). */
  readonly undeliverable: number;
  readonly pages: number;
  readonly batches: number;
  /** Uncompressed bytes accepted by Sumo. */
  readonly bytes: number;
  readonly retries: number;
  /** 429 answers from Okta. */
  readonly rateLimited: number;
  /** Times the stored cursor was unusable and the run restarted from the last delivered time. */
  readonly recoveries: number;
  /** Times the run stopped because Okta's page did not advance (0 or 1; metric `NoProgressStops`). */
  readonly noProgressStops: number;
  /** Newest `published` delivered in this run. */
  readonly newestPublished: string | undefined;
  /**
   * Age of the newest event delivered in this run, or of the last one delivered before it when this run
   * delivered nothing; 0 when the run caught up with nothing to deliver; undefined when unknown.
   */
  readonly lagSeconds: number | undefined;
  /** The error that ended the run or the last retried one (no secrets: our own messages). */
  readonly lastError: string | undefined;
  /** Replays only: whether the window is complete, and totals over every run of this replay. */
  readonly done?: boolean;
  readonly totalEvents?: number;
  readonly totalPages?: number;
}
