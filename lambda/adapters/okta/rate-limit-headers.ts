/**
 * Okta's `X-Rate-Limit-*` response headers, translated to our clock.
 *
 * `X-Rate-Limit-Reset` is UTC epoch seconds on Okta's clock. Okta's guidance (and its SDKs) compare it with
 * the response's `Date` header rather than the local clock, so a skewed Lambda clock neither hammers Okta
 * nor waits for nothing: resetAt = localNow + (Reset − Date). `Date` has one-second resolution and is
 * truncated, so the result errs late by under a second, the safe side.
 */
import type { RateLimitStatus } from '../../core/ports.js';

const WHOLE_NUMBER = /^\d{1,15}$/;

/**
 * Reads the rate-limit status of a response, or `undefined` when any of the three headers is absent or not
 * a whole number. Without a usable `Date` header the local clock is trusted as Okta's.
 * @param localNow epoch ms on our clock when the response arrived.
 */
export function readRateLimit(headers: Headers, localNow: number): RateLimitStatus | undefined {
  const limit = wholeNumber(headers.get('x-rate-limit-limit'));
  const remaining = wholeNumber(headers.get('x-rate-limit-remaining'));
  const reset = wholeNumber(headers.get('x-rate-limit-reset'));
  if (limit === undefined || remaining === undefined || reset === undefined) return undefined;
  const date = headers.get('date');
  const serverNow = date === null ? Number.NaN : Date.parse(date);
  const resetAt = Number.isNaN(serverNow) ? reset * 1000 : localNow + (reset * 1000 - serverNow);
  return { limit, remaining, resetAt };
}

function wholeNumber(value: string | null): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  return WHOLE_NUMBER.test(trimmed) ? Number(trimmed) : undefined;
}
