/** ISO-8601 instants as Okta takes them: a date, a time, and `Z` or an offset. */

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

export const DAY_MS = 86_400_000;
/** Okta rejects `since` more than 180 days back with a 400. */
export const OKTA_MAX_LOOKBACK_MS = 180 * DAY_MS;
/** Okta keeps 90 days of System Log. */
export const OKTA_RETENTION_MS = 90 * DAY_MS;

/** Parses an ISO-8601 instant to epoch ms, or `undefined` when it is not one (a date alone is not an instant). */
export function parseInstant(value: string): number | undefined {
  if (!ISO_INSTANT.test(value) || !isCalendarDateTime(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `Date.parse` rolls `02-30` over to March and `T24:00` to the next day: refuse both instead. */
function isCalendarDateTime(value: string): boolean {
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  const hour = Number(value.slice(11, 13));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23;
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
