/** Seeds for randomized reliability tests: fixed by default (CI is reproducible), overridable to explore. */
import { seededRandom } from '../faults.js';

/** `RELIABILITY_SEED` from the environment, else `fallback`. */
export function reliabilitySeed(fallback: number): number {
  const text = process.env.RELIABILITY_SEED;
  const value = text === undefined || text === '' ? Number.NaN : Number(text);
  return Number.isInteger(value) ? value : fallback;
}

/** A seeded random source with helpers. */
export function dice(seed: number) {
  const random = seededRandom(seed);
  return {
    random,
    /** An integer in [min, max]. */
    int: (min: number, max: number): number => min + Math.floor(random() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!,
    chance: (p: number): boolean => random() < p,
  };
}

export type Dice = ReturnType<typeof dice>;
