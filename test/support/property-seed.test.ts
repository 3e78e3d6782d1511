import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_FC_SEED, propertyParameters, propertySeed } from './property-seed.js';

describe('propertySeed', () => {
  it('is fixed when FC_SEED is not set, and the fallback a file names when it names one', () => {
    // Act + Assess
    expect(propertySeed(undefined, {})).toBe(DEFAULT_FC_SEED);
    expect(propertySeed(undefined, { FC_SEED: '' })).toBe(DEFAULT_FC_SEED);
    expect(propertySeed(42, {})).toBe(42);
  });

  it('takes FC_SEED over any fallback', () => {
    // Act + Assess
    expect(propertySeed(42, { FC_SEED: '7' })).toBe(7);
    expect(propertySeed(undefined, { FC_SEED: ' -12 ' })).toBe(-12);
  });

  it.each(['abc', '1.5', '0x10', '1e3', '99999999999', 'x'.repeat(100)])(
    'refuses FC_SEED=%s naming the variable, quoting at most 40 characters',
    (text) => {
      // Act
      const act = () => propertySeed(undefined, { FC_SEED: text });

      // Assess
      expect(act).toThrow(/^FC_SEED must be a 32-bit integer, got '.{1,40}'$/);
    },
  );
});

describe('propertyParameters', () => {
  it('adds the seed to the given parameters and prints it once per label', () => {
    // Prepare
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      // Act
      const first = propertyParameters('seed helper test', { numRuns: 5 });
      const second = propertyParameters('seed helper test', { numRuns: 6 });

      // Assess
      expect(first).toEqual({ numRuns: 5, seed: propertySeed() });
      expect(second).toEqual({ numRuns: 6, seed: propertySeed() });
      expect(log).toHaveBeenCalledTimes(1);
      expect(log.mock.calls[0]![0]).toContain(`seed ${propertySeed()}`);
    } finally {
      log.mockRestore();
    }
  });
});
