/**
 * The seed of every fast-check property in the suite: fixed, so `npm test` runs the same cases every time and a
 * red run can be replayed; printed, so the log says which; `FC_SEED=<integer>` runs another set to explore.
 */
import type { Parameters } from 'fast-check';

/** The seed when `FC_SEED` is not set and the file names none of its own. */
export const DEFAULT_FC_SEED = 20_261_202;

const printed = new Set<string>();

/** `FC_SEED` from `env` when set, else `fallback`; throws naming `FC_SEED` when it is not a 32-bit integer. */
export function propertySeed(fallback: number = DEFAULT_FC_SEED, env = process.env): number {
  const text = env.FC_SEED?.trim();
  if (text === undefined || text === '') return fallback;
  const seed = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(seed) || seed < -(2 ** 31) || seed >= 2 ** 32)
    throw new RangeError(`FC_SEED must be a 32-bit integer, got '${text.slice(0, 40)}'`);
  return seed;
}

/**
 * fast-check parameters with the suite's seed added (see {@link propertySeed}); prints the seed once per
 * `label` (one line per property file).
 */
export function propertyParameters<T>(
  label: string,
  extra: Parameters<T> = {},
  fallbackSeed: number = DEFAULT_FC_SEED,
): Parameters<T> & { seed: number } {
  const seed = propertySeed(fallbackSeed);
  if (!printed.has(label)) {
    printed.add(label);
    console.log(`fast-check ${label}: seed ${seed} (FC_SEED=${seed} replays it, another value explores)`);
  }
  return { ...extra, seed };
}
