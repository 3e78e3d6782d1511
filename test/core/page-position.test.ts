import { describe, expect, it } from 'vitest';
import { samePosition } from '../../lambda/core/page-position.js';

const ORG = 'https://acme.okta.com/api/v1/logs';

describe('samePosition', () => {
  it('matches a next link equal to the request once the query parameters are in order', () => {
    // Prepare
    const request = { next: `${ORG}?after=1740830400000_1&limit=1000&sortOrder=ASCENDING` };

    // Act
    const same = samePosition(request, `${ORG}?sortOrder=ASCENDING&limit=1000&after=1740830400000_1`);

    // Assess
    expect(same).toBe(true);
  });

  it('does not match a next link that moved on, or another origin', () => {
    // Prepare
    const request = { next: `${ORG}?after=1740830400000_1&limit=1000` };

    // Act
    const moved = samePosition(request, `${ORG}?after=1740830400000_2&limit=1000`);
    const elsewhere = samePosition(
      request,
      `https://other.okta.com/api/v1/logs?after=1740830400000_1&limit=1000`,
    );
    const none = samePosition(request, undefined);

    // Assess
    expect([moved, elsewhere, none]).toEqual([false, false, false]);
  });

  it("compares a since request with a next link's since, until and filter, as instants", () => {
    // Prepare
    const request = {
      since: '2026-03-01T00:00:00.000Z',
      until: '2026-03-02T00:00:00Z',
      filter: 'severity eq "WARN"',
    };
    const query = (params: Record<string, string>) => `${ORG}?${new URLSearchParams(params).toString()}`;

    // Act
    const same = samePosition(
      request,
      query({
        since: '2026-03-01T00:00:00Z',
        until: '2026-03-02T00:00:00.000Z',
        filter: 'severity eq "WARN"',
      }),
    );
    const withAfter = samePosition(
      request,
      query({
        since: '2026-03-01T00:00:00Z',
        until: '2026-03-02T00:00:00Z',
        filter: 'severity eq "WARN"',
        after: 'x',
      }),
    );
    const otherUntil = samePosition(
      request,
      query({ since: '2026-03-01T00:00:00Z', until: '2026-03-03T00:00:00Z', filter: 'severity eq "WARN"' }),
    );
    const noFilter = samePosition(
      request,
      query({ since: '2026-03-01T00:00:00Z', until: '2026-03-02T00:00:00Z' }),
    );

    // Assess
    expect([same, withAfter, otherUntil, noFilter]).toEqual([true, false, false, false]);
  });
});
