import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInstant, parseInstantOrEpochMs, readInstant } from '../../lambda/core/instant.js';
import { propertyParameters } from '../support/property-seed.js';

describe('parseInstant', () => {
  it.each([
    ['2026-01-31T00:00:00Z', '2026-01-31T00:00:00.000Z'],
    ['2026-01-31T00:00Z', '2026-01-31T00:00:00.000Z'],
    ['2026-01-31t10:20:30.5z', '2026-01-31T10:20:30.500Z'],
    ['2026-01-31T10:20:30.123456789Z', '2026-01-31T10:20:30.123Z'],
    ['2026-01-31T02:00:00+02:00', '2026-01-31T00:00:00.000Z'],
    ['2026-01-30T19:30:00-0430', '2026-01-31T00:00:00.000Z'],
    ['2024-02-29T23:59:59Z', '2024-02-29T23:59:59.000Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['0050-06-01T00:00:00Z', '0050-06-01T00:00:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    // Act
    const ms = parseInstant(text);

    // Assess
    expect(ms === undefined ? undefined : new Date(ms).toISOString()).toBe(iso);
  });

  it.each([
    ['2026-02-30T00:00:00Z', 'day 30 does not exist in 2026-02 (it has 28 days)'],
    ['2026-02-29T00:00:00Z', 'day 29 does not exist in 2026-02 (it has 28 days)'],
    ['1900-02-29T00:00:00Z', 'day 29 does not exist in 1900-02 (it has 28 days)'],
    ['2026-04-31T00:00:00Z', 'day 31 does not exist in 2026-04 (it has 30 days)'],
    ['2026-01-00T00:00:00Z', 'day 0 does not exist'],
    ['2026-13-01T00:00:00Z', 'month 13 does not exist (01-12)'],
    ['2026-00-01T00:00:00Z', 'month 0 does not exist'],
    ['2026-01-31T24:00:00Z', 'hour 24 does not exist (00-23)'],
    ['2026-01-31T23:60:00Z', 'minute 60 does not exist'],
    ['2026-12-31T23:59:60Z', 'second 60 does not exist (00-59)'],
    ['2026-01-31T00:00:00+24:00', 'offset 24:00 does not exist'],
    ['2026-01-31T00:00:00+01:75', 'offset 01:75 does not exist'],
  ])('refuses the impossible %s instead of rolling it over', (text, problem) => {
    // Act
    const reading = readInstant(text);

    // Assess
    expect(parseInstant(text)).toBeUndefined();
    expect(reading).toEqual({ problem: expect.stringContaining(problem) as unknown });
    expect(reading).toEqual({ problem: expect.stringMatching(/^is not a real date and time: /) as unknown });
  });

  it.each(['2026-01-31', '2026-01-31T00:00:00', 'yesterday', '', '1769817600000', '2026-1-31T00:00:00Z'])(
    'refuses %o, which is not an ISO-8601 instant',
    (text) => {
      // Act + Assess
      expect(parseInstant(text)).toBeUndefined();
      expect(readInstant(text)).toEqual({
        problem: 'must be an ISO-8601 instant such as 2026-01-31T00:00:00Z',
      });
    },
  );

  it('agrees with Date.parse on every valid instant (fixed seed, FC_SEED to explore)', () => {
    // Prepare
    const instants = fc
      .date({
        min: new Date('1970-01-01T00:00:00Z'),
        max: new Date('2999-12-31T23:59:59Z'),
        noInvalidDate: true,
      })
      .chain((date) =>
        fc.record({ date: fc.constant(date), offset: fc.integer({ min: -14 * 60, max: 14 * 60 }) }),
      );

    // Act + Assess
    fc.assert(
      fc.property(instants, ({ date, offset }) => {
        const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 23);
        const sign = offset < 0 ? '-' : '+';
        const abs = Math.abs(offset);
        const text = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
        expect(parseInstant(text)).toBe(date.getTime());
        expect(parseInstant(text)).toBe(Date.parse(text));
      }),
      propertyParameters('instant'),
    );
  });
});

describe('parseInstantOrEpochMs', () => {
  it('takes 13-digit epoch milliseconds, as the script collector stores start_time and end_time', () => {
    // Act + Assess
    expect(parseInstantOrEpochMs('1769817600000')).toBe(Date.parse('2026-01-31T00:00:00Z'));
    expect(parseInstantOrEpochMs('2026-01-31T00:00:00Z')).toBe(Date.parse('2026-01-31T00:00:00Z'));
  });

  it('says that a 10-digit number looks like epoch seconds rather than reading it as 1970', () => {
    // Act
    const reading = readInstant('1769817600', { epochMs: true });

    // Assess
    expect(reading).toEqual({ problem: expect.stringContaining('looks like epoch seconds') as unknown });
  });

  it.each(['17698176000001', '-1769817600000', '1769817600000.5', '0x1'])('refuses %o', (text) => {
    // Act + Assess
    expect(parseInstantOrEpochMs(text)).toBeUndefined();
    expect(readInstant(text, { epochMs: true })).toEqual({
      problem: expect.stringContaining('or epoch milliseconds such as 1769817600000') as unknown,
    });
  });
});
