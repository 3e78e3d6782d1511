/** Reading a setting, from the environment (run time) or from a prop or context value (synth time). */
import { settingError } from './errors.js';
import { rawValue, type Setting } from './setting.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The setting's value from the environment, its fallback when unset.
 * @throws ConfigError naming the variable.
 */
export function readEnv<T>(env: Env, spec: Setting<T>, now: number): T {
  const raw = rawValue(env, spec.env);
  if (raw === undefined) {
    if (spec.required) throw settingError(spec.env, 'is required but is not set');
    return spec.fallback;
  }
  return spec.parse(raw, { label: spec.env, now });
}

/**
 * A required setting's value from the environment.
 * @throws ConfigError naming the variable when it is unset or invalid.
 */
export function readRequiredEnv<T>(env: Env, spec: Setting<T | undefined>, now: number): T {
  const value = readEnv(env, spec, now);
  if (value === undefined) throw settingError(spec.env, 'is required but is not set');
  return value;
}

/** The raw text of a prop or context value: strings and finite numbers only; empty means unset. */
export function rawOf(value: unknown, label: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw settingError(label, `must be a finite number, got ${String(value)}`);
    return String(value);
  }
  if (typeof value !== 'string')
    throw settingError(label, `must be a string or a number, got ${typeof value}`);
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * A synth-time value through the same parser the function uses, plus the synth-only checks, returning the
 * parsed value and the environment text that the function will parse back to the same value.
 * @throws ConfigError naming `label` (the prop or context key).
 */
export function resolveAtSynth<T>(
  spec: Setting<T>,
  raw: string,
  label: string,
  now: number,
): { readonly value: Exclude<T, undefined>; readonly envText: string } {
  const ctx = { label, now };
  const value = spec.parse(raw, ctx);
  spec.atSynth?.(value, ctx);
  const envText = spec.format ? spec.format(value) : String(value);
  return { value, envText };
}
