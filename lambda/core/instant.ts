/**
 * Instants as Okta takes them: ISO-8601 with a date, a time, and `Z` or an offset. Parsed strictly: a date
 * that does not exist (`2026-02-30`, hour 24, month 13, second 60) is refused, never rolled over to another
 * day as `Date.parse` does.
 */

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/i;
/**
 * Epoch milliseconds as the old script collector's `start_time` / `end_time` hold them. Thirteen digits cover
 * 2001-09-09 to 2286: anything shorter is most likely epoch *seconds*, which would silently mean 1970.
 */
const EPOCH_MS = /^\d{13}$/;
const EPOCH_SECONDS = /^\d{9,10}$/;

export const DAY_MS = 86_400_000;
/** Okta rejects `since` more than 180 days back with a 400. */
export const OKTA_MAX_LOOKBACK_MS = 180 * DAY_MS;
/** Okta keeps 90 days of System Log. */
export const OKTA_RETENTION_MS = 90 * DAY_MS;

/** What {@link readInstant} found: the instant, or why the text is not one (to follow the field's name). */
export type InstantReading = { readonly ms: number } | { readonly problem: string };

export interface InstantSyntax {
  /** Also accept 13-digit epoch milliseconds (the script collector's `start_time` / `end_time`). */
  readonly epochMs?: boolean;
}

/**
 * Reads an instant strictly. The problem reads after a field name: `replay.since ${problem}`. It quotes
 * nothing of the value, so a caller may quote a bounded part of it if it wants.
 */
export function readInstant(value: string, syntax: InstantSyntax = {}): InstantReading {
  if (syntax.epochMs && EPOCH_MS.test(value)) return { ms: Number(value) };
  const match = ISO_INSTANT.exec(value);
  if (!match) {
    if (syntax.epochMs && EPOCH_SECONDS.test(value))
      return {
        problem: 'looks like epoch seconds; give epoch milliseconds (13 digits) or an ISO-8601 instant',
      };
    return {
      problem: `must be an ISO-8601 instant such as 2026-01-31T00:00:00Z${syntax.epochMs ? ' or epoch milliseconds such as 1769817600000' : ''}`,
    };
  }
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = match
    .slice(1, 7)
    .map((part) => Number(part ?? 0));
  const fraction = match[7] ?? '';
  const problem = fieldProblem(year, month, day, hour, minute, second, match[9], match[10]);
  if (problem) return { problem: `is not a real date and time: ${problem}` };
  const utc = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0-99 to 1900-1999.
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, Number(fraction.padEnd(3, '0').slice(0, 3)));
  const offsetMinutes =
    match[8] === undefined ? 0 : (match[8] === '-' ? -1 : 1) * (Number(match[9]) * 60 + Number(match[10]));
  return { ms: utc.getTime() - offsetMinutes * 60_000 };
}

/** Parses a strict ISO-8601 instant to epoch ms, or `undefined` when it is not one (a date alone is not an instant). */
export function parseInstant(value: string): number | undefined {
  const reading = readInstant(value);
  return 'ms' in reading ? reading.ms : undefined;
}

/** Like {@link parseInstant}, also accepting 13-digit epoch milliseconds (the script collector's format). */
export function parseInstantOrEpochMs(value: string): number | undefined {
  const reading = readInstant(value, { epochMs: true });
  return 'ms' in reading ? reading.ms : undefined;
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

function fieldProblem(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  offsetHours: string | undefined,
  offsetMinutes: string | undefined,
): string | undefined {
  if (month < 1 || month > 12) return `month ${month} does not exist (01-12)`;
  const days = daysInMonth(year, month);
  if (day < 1 || day > days)
    return `day ${day} does not exist in ${year}-${String(month).padStart(2, '0')} (it has ${days} days)`;
  // Hour 24 (ISO's "end of day") and leap second 60 are refused: Okta and most parsers do not take them.
  if (hour > 23) return `hour ${hour} does not exist (00-23)`;
  if (minute > 59) return `minute ${minute} does not exist (00-59)`;
  if (second > 59) return `second ${second} does not exist (00-59)`;
  if (offsetHours !== undefined && (Number(offsetHours) > 23 || Number(offsetMinutes) > 59))
    return `offset ${offsetHours}:${offsetMinutes} does not exist`;
  return undefined;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
