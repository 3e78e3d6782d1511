/**
 * Random scenario plans for the soak run: page sizes, link styles, API token or OAuth, background fault noise
 * on Okta and Sumo, and a few steps each producing events (some late-persisted), queueing faults, then ticking,
 * crashing a tick at a random kill point, or running two ticks at once. Deterministic from the seed.
 */
import type { OktaFault } from '../../dev/okta-simulator.js';
import type { SumoFault } from '../../dev/sumo-receiver.js';
import type { KillPoint, RestartKind } from '../../dev/reliability/crash-lab.js';
import type { ScenarioPlan, StepAction, StepPlan } from '../../dev/reliability/handler-scenario.js';
import { dice, type Dice } from '../../dev/reliability/seed.js';

/** The seed of scenario `index` of a soak run with `seed`: scenarios can be re-run alone. */
export function scenarioSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 31) + Math.imul(index + 1, 0x85ebca6b)) >>> 0;
}

function oktaFault(d: Dice): OktaFault {
  switch (d.int(0, 11)) {
    case 0:
      return { kind: 'rate-limit', resetInSeconds: d.int(1, 2) };
    case 1:
      return { kind: 'concurrent-limit' };
    case 2:
    case 3:
      return { kind: 'server-error' };
    case 4:
      return { kind: 'unavailable' };
    case 5:
      return { kind: 'reset-mid-body', fraction: d.random() };
    case 6:
      return { kind: 'malformed-json' };
    case 7:
      return { kind: 'slow', delayMs: d.int(20, 400) };
    case 8:
    case 9:
      return { kind: 'empty-page' };
    case 10:
      return d.chance(0.3) ? { kind: 'hang' } : { kind: 'pass' };
    default:
      return { kind: 'pass' };
  }
}

function sumoFault(d: Dice): SumoFault {
  switch (d.int(0, 9)) {
    case 0:
      return { kind: 'status', status: 429 };
    case 1:
      return { kind: 'status', status: d.pick([500, 503, 504] as const) };
    case 2:
      return { kind: 'status', status: 408, ingest: d.chance(0.5) };
    case 3:
      return { kind: 'reset', ingest: d.chance(0.4) };
    case 4:
    case 5:
      return { kind: 'slow', delayMs: d.int(20, 400) };
    case 6:
      return d.chance(0.3) ? { kind: 'hang' } : { kind: 'pass' };
    default:
      return { kind: 'pass' };
  }
}

function killPoint(d: Dice): KillPoint {
  switch (d.int(0, 3)) {
    case 0:
      return { kind: 'after-delay', ms: d.int(0, 600) };
    case 1:
      return { kind: 'on-batch', nth: d.int(1, 5) };
    case 2:
      return {
        kind: 'at-commit',
        nth: d.int(1, 4),
        mode: d.pick(['hold-before-write', 'hold-after-write'] as const),
      };
    default:
      return { kind: 'in-hanging-post', nth: d.int(1, 3) };
  }
}

function action(d: Dice): StepAction {
  const roll = d.random();
  if (roll < 0.45) {
    const restart: RestartKind = d.chance(0.7) ? 'same-request-id' : 'after-lease-expiry';
    return { kind: 'crash', point: killPoint(d), restart };
  }
  if (roll < 0.6) return { kind: 'overlap', remainingMs: 15_000 };
  // Now and then a tick with little time, cut short by its deadline.
  return { kind: 'tick', remainingMs: d.chance(0.25) ? d.int(1200, 2500) : 15_000 };
}

function step(d: Dice): StepPlan {
  return {
    produce: d.int(0, 400),
    late: d.chance(0.3) ? { count: d.int(1, 40), ageMs: d.int(60_000, 12 * 3_600_000) } : undefined,
    oktaFaults: Array.from({ length: d.int(0, 3) }, () => oktaFault(d)),
    sumoFaults: Array.from({ length: d.int(0, 3) }, () => sumoFault(d)),
    action: action(d),
  };
}

/** Chance faults drawn from a small random pool (no hangs: a hang on every few requests only costs time). */
function noise<F extends { kind: string }>(
  d: Dice,
  draw: (d: Dice) => F,
): { probability: number; pool: F[]; seed: number } | undefined {
  const pool = Array.from({ length: 4 }, () => draw(d)).filter((f) => f.kind !== 'hang' && f.kind !== 'pass');
  const probability = 0.03 + d.random() * 0.1;
  const seed = d.int(1, 1e9);
  return pool.length === 0 ? undefined : { probability, pool, seed };
}

export function randomPlan(seed: number): ScenarioPlan {
  const d = dice(seed);
  const noisy = d.chance(0.5);
  const oktaNoise = noisy ? noise(d, oktaFault) : undefined;
  const sumoNoise = noisy ? noise(d, sumoFault) : undefined;
  const plan = {
    pageLimit: d.pick([10, 20, 50, 100, 200]),
    linkStyle: d.pick(['separate', 'joined'] as const),
    oauth: d.chance(0.25),
    oktaNoise,
    sumoNoise,
    steps: Array.from({ length: d.int(1, 5) }, () => step(d)),
    crashRemainingMs: 3000,
  };
  // Drawn last, so the rest of a seed's plan is what it was before refusals existed.
  const refusal = d.chance(0.3)
    ? { maxBytes: d.pick([8_000, 30_000, 120_000]), poisonPerStep: d.int(0, 2) }
    : undefined;
  return refusal ? { ...plan, refusal } : plan;
}
