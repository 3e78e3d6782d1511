/** The collector's tuning of one stream run, from `Config` (see `lambda/settings`). */
import type { RetryPolicy } from './retry.js';

export interface CollectorSettings {
  /** `limit` of each Okta request: a page with fewer events means caught up. */
  readonly pageLimit: number;
  /** Where a brand-new main cursor starts (ISO); undefined = now − 7 days. */
  readonly startTime: string | undefined;
  readonly retry: RetryPolicy;
  /** Batches of one page posted at once (Sumo wants low concurrency); `config.sumoMaxInFlight`. @default 3 */
  readonly sumoMaxInFlight?: number;
}

/** Concurrent Sumo POSTs of one page unless configured. */
export const DEFAULT_SUMO_MAX_IN_FLIGHT = 3;
