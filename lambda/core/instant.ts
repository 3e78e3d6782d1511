/** ISO-8601 instants as Okta takes them: a date, a time, and `Z` or an offset. */

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

export const DAY_MS = 86_400_000;
/** Okta rejects `since` more than 180 days back with a 400. */
export const OKTA_MAX_LOOKBACK_MS = 180 * DAY_MS;
/** Okta keeps 90 days of System Log. */
export const OKTA_RETENTION_MS = 90 * DAY_MS;

/** Parses an ISO-8601 instant to epoch ms, or `undefined` when it is not one (a date alone is not an instant). */
export function parseInstant(value: string): number | undefined {
  if (!ISO_INSTANT.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
