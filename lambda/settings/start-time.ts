/**
 * Where a brand-new cursor starts: an ISO-8601 instant, or epoch milliseconds (the old script collector's
 * `start_time` is epoch ms, so a migration can copy it as is).
 */
import { OKTA_MAX_LOOKBACK_MS, parseInstant, toIso } from '../core/instant.js';
import { settingError } from './errors.js';
import { quote } from './quote.js';
import type { ParseContext } from './setting.js';

/** Epoch milliseconds as the script collector wrote them: digits only, 13 of them for any date after 2001. */
const EPOCH_MS = /^\d{1,15}$/;

/** Parses the start time to its canonical ISO form (`2026-01-31T00:00:00.000Z`). */
export function parseStartTime(raw: string, { label, now }: ParseContext): string {
  const ms = EPOCH_MS.test(raw) ? Number(raw) : parseInstant(raw);
  if (ms === undefined) {
    throw settingError(
      label,
      `must be an ISO-8601 instant such as 2026-01-31T00:00:00Z or epoch milliseconds, got ${quote(raw)}`,
    );
  }
  if (ms > now) throw settingError(label, 'is in the future');
  return toIso(ms);
}

/**
 * Okta refuses a `since` more than 180 days back. Checked at synth time only: the deploy is when the first
 * tick will run; at run time the core checks it when a new cursor starts, so an old value does not fail later
 * ticks once a cursor exists.
 */
export function checkStartTimeLookback(iso: string, { label, now }: ParseContext): void {
  if (now - Date.parse(iso) > OKTA_MAX_LOOKBACK_MS) {
    throw settingError(label, `is more than 180 days back (${iso}); Okta refuses such a start`);
  }
}
