import { describe, expect, it } from 'vitest';
import { readRateLimit } from '../../lambda/adapters/okta/rate-limit-headers.js';

describe('readRateLimit', () => {
  it('measures Reset against the Date header, not the local clock', () => {
    // Prepare: Okta's clock says 12:00:00, the reset is 30 s later; our clock runs 1 hour behind
    const serverNow = Date.UTC(2026, 0, 1, 12, 0, 0);
    const localNow = serverNow - 3_600_000;
    const headers = new Headers({
      'X-Rate-Limit-Limit': '50',
      'X-Rate-Limit-Remaining': '7',
      'X-Rate-Limit-Reset': String(serverNow / 1000 + 30),
      Date: new Date(serverNow).toUTCString(),
    });

    // Act
    const status = readRateLimit(headers, localNow);

    // Assess
    expect(status).toEqual({ limit: 50, remaining: 7, resetAt: localNow + 30_000 });
  });

  it('falls back to the local clock when Date is missing or unreadable', () => {
    // Prepare
    const reset = 1_767_268_800;
    const base = {
      'X-Rate-Limit-Limit': '20',
      'X-Rate-Limit-Remaining': '0',
      'X-Rate-Limit-Reset': String(reset),
    };

    // Act
    const withoutDate = readRateLimit(new Headers(base), 1);
    const badDate = readRateLimit(new Headers({ ...base, Date: 'yesterday-ish' }), 1);

    // Assess
    expect(withoutDate?.resetAt).toBe(reset * 1000);
    expect(badDate?.resetAt).toBe(reset * 1000);
  });

  it('reads a concurrent-request answer: Limit 0 and Remaining 0', () => {
    // Prepare
    const headers = new Headers({
      'X-Rate-Limit-Limit': '0',
      'X-Rate-Limit-Remaining': '0',
      'X-Rate-Limit-Reset': '100',
    });

    // Act
    const status = readRateLimit(headers, 0);

    // Assess
    expect(status).toMatchObject({ limit: 0, remaining: 0 });
  });

  it.each([
    ['all absent', {}],
    ['Reset absent', { 'X-Rate-Limit-Limit': '50', 'X-Rate-Limit-Remaining': '3' }],
    [
      'Remaining not a number',
      { 'X-Rate-Limit-Limit': '50', 'X-Rate-Limit-Remaining': 'lots', 'X-Rate-Limit-Reset': '1' },
    ],
    [
      'Limit negative',
      { 'X-Rate-Limit-Limit': '-1', 'X-Rate-Limit-Remaining': '3', 'X-Rate-Limit-Reset': '1' },
    ],
    [
      'Reset fractional',
      { 'X-Rate-Limit-Limit': '50', 'X-Rate-Limit-Remaining': '3', 'X-Rate-Limit-Reset': '1.5' },
    ],
  ])('is undefined when the headers are unusable (%s)', (_case, values: Record<string, string>) => {
    // Act
    const status = readRateLimit(new Headers(values), 0);

    // Assess
    expect(status).toBeUndefined();
  });
});
