/** The parsers the settings are built from; each throws a `ConfigError` naming the label. */
import { settingError } from './errors.js';
import { quote } from './quote.js';
import type { ParseContext } from './setting.js';

type Parser<T> = (raw: string, ctx: ParseContext) => T;

/** A whole number in [min, max], written in decimal digits (no `1e3`, `0x10`, `10.0`). */
export function wholeNumber(min: number, max: number): Parser<number> {
  return (raw, { label }) => {
    const rule = `must be a whole number from ${min} to ${max}`;
    if (!/^-?\d{1,16}$/.test(raw)) throw settingError(label, rule);
    const value = Number(raw);
    if (value < min || value > max) throw settingError(label, `${rule}, got ${value}`);
    return value;
  };
}

/**
 * A plain decimal in [min, max] (`0.5`, `.25`, `1`): hexadecimal, exponents and `Infinity`, which `Number()`
 * accepts, are refused, and so is anything below `min` (a share of `1e-300` would stall the collector).
 */
export function decimal(min: number, max: number): Parser<number> {
  return (raw, { label }) => {
    const rule = `must be a decimal number from ${min} to ${max}`;
    if (!/^(\d+(\.\d*)?|\.\d+)$/.test(raw)) throw settingError(label, `${rule}, got ${quote(raw)}`);
    const value = Number(raw);
    if (!(value >= min && value <= max)) throw settingError(label, `${rule}, got ${quote(raw)}`);
    return value;
  };
}

/** Any non-empty text (names and ARNs), at most `maxLength` characters. */
export function text(maxLength = 2048): Parser<string> {
  return (raw, { label }) => {
    if (raw.length > maxLength) throw settingError(label, `must be at most ${maxLength} characters`);
    return raw;
  };
}

/** Printable ASCII: what an HTTP header value can carry without encoding (RFC 9110 field values). */
export const HEADER_SAFE = /^[\x20-\x7e]*$/;

/**
 * Text that is sent as an HTTP header value (`X-Sumo-Category`, …): printable ASCII only, so that a value
 * such as `é` or a line break fails here, naming the setting, and not on every POST to Sumo.
 */
export function headerText(maxLength = 1024): Parser<string> {
  return (raw, ctx) => {
    if (!HEADER_SAFE.test(raw)) {
      throw settingError(
        ctx.label,
        `holds characters an HTTP header cannot carry (printable ASCII only), got ${quote(raw)}`,
      );
    }
    return text(maxLength)(raw, ctx);
  };
}
