import { describe, expect, it } from 'vitest';
import { parseReplayRequest, replayId, validateReplayWindow } from '../../lambda/core/replay-request.js';

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

  it("takes epoch milliseconds (the script collector's start_time / end_time) as the same replay as ISO", () => {
    // Act
    const iso = parseReplayRequest({ since: '2026-11-25T00:00:00Z', until: '2026-11-25T01:00:00Z' }, NOW);
    const epoch = parseReplayRequest({ since: '1795564800000', until: '1795568400000' }, NOW);

    // Assess
    expect(epoch.window).toEqual(iso.window);
  });

  it('warns, but accepts, a window ending less than 10 minutes ago: Okta may still be persisting its events', () => {
    // Act
    const recent = parseReplayRequest({ since: '2026-11-26T11:00:00Z', until: '2026-11-26T11:55:00Z' }, NOW);
    const settled = parseReplayRequest({ since: '2026-11-26T11:00:00Z', until: '2026-11-26T11:50:00Z' }, NOW);

    // Assess
    expect(recent.warnings).toEqual([
      expect.stringMatching(
        /^replay\.until is less than 10 minutes ago: Okta may still be persisting events/,
      ),
    ]);
    expect(settled.warnings).toEqual([]);
  });

  it('names the field as the caller names it (the replay command says --since)', () => {
    // Act
    const act = () =>
      validateReplayWindow(
        { since: '2026-11-25T02:00:00Z', until: '2026-11-25T01:00:00Z' },
        NOW,
        (field) => `--${field}`,
      );

    // Assess
    expect(act).toThrow(/^--since must be before --until$/);
  });

  it('bounds what an error quotes: a 100,000-character unknown key is cut to 40 characters', () => {
    // Prepare
    const key = 'k'.repeat(100_000);

    // Act
    const act = () =>
      parseReplayRequest({ since: '2026-11-25T00:00:00Z', until: '2026-11-25T01:00:00Z', [key]: 1 }, NOW);

    // Assess
    expect(act).toThrow(`replay has unknown key(s) "${'k'.repeat(40)}"…; allowed: since, until, filter`);
  });

  it('names at most three unknown keys, and how many more there are', () => {
    // Prepare
    const request: Record<string, string> = { since: '2026-11-25T00:00:00Z', until: '2026-11-25T01:00:00Z' };
    for (let i = 0; i < 1000; i++) request[`extra${i}`] = 'x';

    // Act
    const act = () => parseReplayRequest(request, NOW);

    // Assess
    expect(act).toThrow(/^replay has unknown key\(s\) "extra0", "extra1", "extra2" and 997 more; allowed/);
  });

  it('bounds the value it quotes after an invalid instant', () => {
    // Act
    const act = () => parseReplayRequest({ since: 'x'.repeat(100_000), until: '2026-11-25T01:00:00Z' }, NOW);

    // Assess
    expect(act).toThrow(/^replay\.since must be an ISO-8601 instant .*, got "x{40}"…$/);
  });

  it.each([
    ['2026-02-30T00:00:00Z', 'replay.since is not a real date and time: day 30 does not exist in 2026-02'],
    ['2026-11-25T24:00:00Z', 'replay.since is not a real date and time: hour 24 does not exist'],
    ['2026-13-01T00:00:00Z', 'replay.since is not a real date and time: month 13 does not exist'],
    ['2026-11-25T23:59:60Z', 'replay.since is not a real date and time: second 60 does not exist'],
  ])('refuses the impossible date %s naming the field, instead of rolling it over', (since, message) => {
    // Act + Assess
    expect(() => parseReplayRequest({ since, until: '2026-11-26T00:00:00Z' }, NOW)).toThrow(message);
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
