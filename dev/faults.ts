/**
 * Fault scheduling shared by the HTTP stand-ins (the Okta simulator and the Sumo receiver).
 *
 * A test programs faults in two ways that combine: a queue consumed one entry per request (exact, for
 * "the second page answers 429"), and a probability with a seeded random source (for soak and
 * property-based runs that must be replayable from their seed). The queue always wins over chance.
 */

/** A deterministic random source: the same seed gives the same sequence on every machine. */
export type RandomSource = () => number;

/**
 * Creates a seeded PRNG (mulberry32: 32-bit state, fast, good enough for test data, not for crypto).
 * Returns floats in [0, 1).
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** How faults are chosen for the next requests. Every field is optional; `{}` clears all faults. */
export interface FaultSchedule<F> {
  /** Faults consumed one per request, in order, before chance is consulted. */
  readonly queue?: readonly F[];
  /** Probability in [0, 1] that a request not served from the queue gets a fault drawn from `pool`. @default 0 */
  readonly probability?: number;
  /** What a chance fault is drawn from (uniformly). @default [] */
  readonly pool?: readonly F[];
  /** Seed of the random source used for `probability` and `pool`. @default 1 */
  readonly seed?: number;
}

/** One fault that fired: what it was and which request (1-based, counting requests that consulted the plan). */
export interface FiredFault<F> {
  readonly fault: F;
  readonly request: number;
  readonly source: 'queue' | 'chance';
}

/** The live fault plan of one stand-in. */
export class FaultPlan<F> {
  private queue: F[] = [];
  private probability = 0;
  private pool: readonly F[] = [];
  private random: RandomSource = seededRandom(1);
  private requests = 0;
  /** Every fault that fired, in order. */
  public readonly fired: FiredFault<F>[] = [];

  public constructor(schedule: FaultSchedule<F> = {}) {
    this.set(schedule);
  }

  /** Replaces the whole schedule (the queue, the probability and the pool). */
  public set(schedule: FaultSchedule<F>): void {
    const probability = schedule.probability ?? 0;
    if (!(probability >= 0 && probability <= 1))
      throw new RangeError(`fault probability must be in [0, 1], got ${probability}`);
    if (probability > 0 && (schedule.pool ?? []).length === 0)
      throw new RangeError('a fault probability needs a non-empty pool');
    this.queue = [...(schedule.queue ?? [])];
    this.probability = probability;
    this.pool = [...(schedule.pool ?? [])];
    this.random = seededRandom(schedule.seed ?? 1);
  }

  /** Appends faults to the queue, keeping the probability and pool. */
  public push(...faults: F[]): void {
    this.queue.push(...faults);
  }

  /** Queued faults not consumed yet. */
  public get pending(): number {
    return this.queue.length;
  }

  /** Consumes the fault for the next request, or `undefined` when the request is to be served normally. */
  public next(): F | undefined {
    this.requests += 1;
    const queued = this.queue.shift();
    if (queued !== undefined) {
      this.fired.push({ fault: queued, request: this.requests, source: 'queue' });
      return queued;
    }
    if (this.probability > 0 && this.random() < this.probability) {
      const drawn = this.pool[Math.floor(this.random() * this.pool.length)];
      if (drawn !== undefined) {
        this.fired.push({ fault: drawn, request: this.requests, source: 'chance' });
        return drawn;
      }
    }
    return undefined;
  }
}

/** Resolves after `ms` unless `signal` aborts first (then resolves early: a stand-in stopping is not an error). */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    if (signal?.aborted === true) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
