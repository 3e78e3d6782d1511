/**
 * The replay command line takes the script collector's epoch milliseconds as well as ISO instants, and sends
 * the function the same ISO window (the same replay id) either way.
 */
import { describe, expect, it } from 'vitest';
import { parseCli, UsageError } from '../../scripts/replay/cli-options.js';

const NOW = Date.parse('2026-12-02T12:00:00Z');
const FUNCTION = ['--function-name', 'OktaSumoCollector-CollectorFunction-AbC123'];

describe('parseCli, window in epoch milliseconds', () => {
  it('sends the same ISO window, and so the same replay, as the ISO form', () => {
    // Prepare: 2026-11-01T00:00:00Z and 2026-11-02T00:00:00Z as the script collector's start_time / end_time
    const epoch = [...FUNCTION, '--since', '1793491200000', '--until', '1793577600000'];
    const iso = [...FUNCTION, '--since', '2026-11-01T00:00:00Z', '--until', '2026-11-02T00:00:00Z'];

    // Act
    const fromEpoch = parseCli(epoch, {}, NOW);
    const fromIso = parseCli(iso, {}, NOW);

    // Assess
    expect(fromEpoch.help).toBe(false);
    if (fromEpoch.help || fromIso.help) return;
    expect(fromEpoch.replay).toEqual({
      since: '2026-11-01T00:00:00.000Z',
      until: '2026-11-02T00:00:00.000Z',
    });
    expect(fromEpoch.replay).toEqual(fromIso.replay);
    expect(fromEpoch.request).toEqual(fromIso.request);
  });

  it('mixes the two forms', () => {
    // Act
    const parsed = parseCli(
      [...FUNCTION, '--since', '1793491200000', '--until', '2026-11-01T01:00:00Z'],
      {},
      NOW,
    );

    // Assess
    expect(parsed.help === false && parsed.replay).toEqual({
      since: '2026-11-01T00:00:00.000Z',
      until: '2026-11-01T01:00:00.000Z',
    });
  });

  it('refuses epoch seconds (10 digits: 1970) by the window rules, naming the option', () => {
    // Act
    const act = () => parseCli([...FUNCTION, '--since', '1793491200', '--until', '1793577600000'], {}, NOW);

    // Assess
    expect(act).toThrow(UsageError);
    expect(act).toThrow(/--since/);
  });
});
