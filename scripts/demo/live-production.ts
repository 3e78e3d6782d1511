/**
 * The org at work while the demo runs: a few events a second, and now and then a handful that Okta persists
 * late, with a `published` a minute or two in the past. Polling follows Okta's persistence order, so the
 * collector must pick those up even though they are older than what it already delivered.
 */
import type { OktaSimulator } from '../../dev/okta-simulator.js';

export interface LiveProductionOptions {
  readonly eventsPerSecond: number;
  /** Every this many ms, a few late events. */
  readonly lateEveryMs: number;
}

export interface LiveProduction {
  /** Events produced so far (late ones included). */
  readonly produced: number;
  readonly late: number;
  stop(): void;
}

const STEP_MS = 100;
const LATE_BATCH = 3;

export function startLiveProduction(okta: OktaSimulator, options: LiveProductionOptions): LiveProduction {
  const counts = { produced: 0, late: 0 };
  let owed = 0;
  let sinceLate = 0;
  const timer = setInterval(() => {
    // Fractional events accumulate, so any rate works with a fixed step.
    owed += (options.eventsPerSecond * STEP_MS) / 1000;
    const now = Math.floor(owed);
    if (now > 0) {
      okta.produce(now);
      counts.produced += now;
      owed -= now;
    }
    sinceLate += STEP_MS;
    if (sinceLate >= options.lateEveryMs) {
      sinceLate = 0;
      const ageMs = 30_000 + Math.floor(Math.random() * 90_000);
      okta.produceLate(LATE_BATCH, ageMs);
      counts.produced += LATE_BATCH;
      counts.late += LATE_BATCH;
    }
  }, STEP_MS);
  return {
    get produced() {
      return counts.produced;
    },
    get late() {
      return counts.late;
    },
    stop: () => clearInterval(timer),
  };
}
