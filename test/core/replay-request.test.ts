import { describe, expect, it } from 'vitest';
import { parseReplayRequest, replayId } from '../../lambda/core/replay-request.js';

const NOW = Date.parse('2026-11-26T12:00:00Z');

describe('parseReplayRequest', () => {
  it('normalises the window and derives a stable id from window and filter', () => {
    // Act
    const a = parseReplayRequest({ since: '2026-11-25T00:00:00Z', until: '2026-11-25T01:00:00+00:00' }, NOW);
    const b = parseReplayRequest({ since: '2026-11-25T00:00:00.000Z', until: '2026-11-25T01:00:00Z' }, NOW);
    const filtered = parseReplayRequest(
      {
        since: '2026-11-25T00:00:00Z',
        until: '2026-11-25T01:00:00Z',
        filter: 'eventType eq "user.session.start"',
      },
      NOW,
    );

    // Assess
    expect(a.window).toEqual({
      id: b.window.id,
      since: '2026-11-25T00:00:00.000Z',
      until: '2026-11-25T01:00:00.000Z',
      filter: undefined,
    });
    expect(a.window.id).toMatch(/^r-[0-9a-f]{16}$/);
    expect(filtered.window.id).not.toBe(a.window.id);
    expect(replayId(a.window)).toBe(a.window.id);
  });

  it('warns, but accepts, a window reaching past the 90 days Okta keeps', () => {
    // Act
    const parsed = parseReplayRequest({ since: '2026-07-01T00:00:00Z', until: '2026-07-02T00:00:00Z' }, NOW);

    // Assess
    expect(parsed.warnings).toHaveLength(1);
  });

  it.each([
    [undefined, 'replay must be an object'],
    ['x', 'replay must be an object'],
    [{ until: '2026-11-25T00:00:00Z' }, 'replay.since is required'],
    [{ since: '2026-11-25T00:00:00Z' }, 'replay.until is required'],
    [{ since: 5, until: '2026-11-25T00:00:00Z' }, 'replay.since is required'],
    [{ since: '2026-11-25', until: '2026-11-26T00:00:00Z' }, 'replay.since must be an ISO-8601 instant'],
    [{ since: '2026-11-25T00:00:00Z', until: 'now' }, 'replay.until must be an ISO-8601 instant'],
    [
      { since: '2026-11-25T02:00:00Z', until: '2026-11-25T01:00:00Z' },
      'replay.since must be before replay.until',
    ],
    [
      { since: '2026-11-25T01:00:00Z', until: '2026-11-25T01:00:00Z' },
      'replay.since must be before replay.until',
    ],
    [
      { since: '2026-11-26T11:00:00Z', until: '2026-11-26T11:59:30Z' },
      'replay.until must be at least 1 minute in the past',
    ],
    [{ since: '2026-05-01T00:00:00Z', until: '2026-05-02T00:00:00Z' }, 'more than 180 days ago'],
    [
      { since: '2026-11-25T00:00:00Z', until: '2026-11-25T01:00:00Z', filter: 'x'.repeat(1025) },
      'replay.filter is longer than 1024',
    ],
    [
      { since: '2026-11-25T00:00:00Z', until: '2026-11-25T01:00:00Z', sinse: 'typo' },
      'unknown key(s) "sinse"',
    ],
  ])('refuses %o', (request, message) => {
    // Act + Assess
    expect(() => parseReplayRequest(request, NOW)).toThrow(message);
  });
});
