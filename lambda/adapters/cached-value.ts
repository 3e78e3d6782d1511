/**
 * A value read from somewhere slow or rate-limited (Secrets Manager, SSM) and reused for a while, so a warm
 * Lambda does not read it on every invocation, yet a rotation takes effect within the TTL without a redeploy.
 */
import type { CredentialProvider } from './credentials.js';
import type { Clock } from '../core/ports.js';

export interface CachedValueOptions<T> {
  /** Reads the value. Its errors reach the caller unchanged and are never cached. */
  readonly load: () => Promise<T>;
  /** How long a loaded value is reused; 0 reads it on every `get()`. */
  readonly ttlMs: number;
  /**
   * Time source, for tests.
   * @default the system clock (`Date.now`)
   */
  readonly clock?: Pick<Clock, 'now'>;
}

interface Fresh<T> {
  readonly value: T;
  /** Epoch ms after which the value is read again. */
  readonly expiresAt: number;
}

/**
 * Loads a value on first use, reuses it for `ttlMs`, and reloads it on demand. Concurrent callers share one
 * in-flight load: a cold start that fans out does not read the secret once per caller.
 */
export class CachedValue<T> implements CredentialProvider<T> {
  private readonly load: () => Promise<T>;
  private readonly ttlMs: number;
  private readonly clock: Pick<Clock, 'now'>;
  private fresh: Fresh<T> | undefined;
  private inFlight: Promise<T> | undefined;

  public constructor(options: CachedValueOptions<T>) {
    if (!Number.isFinite(options.ttlMs) || options.ttlMs < 0) {
      throw new RangeError('ttlMs must be a finite number of milliseconds, 0 or more');
    }
    this.load = options.load;
    this.ttlMs = options.ttlMs;
    this.clock = options.clock ?? { now: () => Date.now() };
  }

  public get(): Promise<T> {
    const fresh = this.fresh;
    if (fresh !== undefined && this.clock.now() < fresh.expiresAt) return Promise.resolve(fresh.value);
    return this.start();
  }

  /**
   * Drops the cached value and reads it again. A load already in flight is shared rather than repeated: it
   * started after the value the caller saw rejected, so it cannot return an older one.
   */
  public refresh(): Promise<T> {
    this.fresh = undefined;
    return this.start();
  }

  private start(): Promise<T> {
    if (this.inFlight !== undefined) return this.inFlight;
    // Measured from the start of the read, so a value is never served longer than ttlMs after it was read.
    const startedAt = this.clock.now();
    // The executor turns a loader that throws synchronously into a rejection like any other failure.
    const loading = new Promise<T>((resolve) => resolve(this.load())).then(
      (value) => {
        if (this.inFlight === loading) this.inFlight = undefined;
        if (this.ttlMs > 0) this.fresh = { value, expiresAt: startedAt + this.ttlMs };
        return value;
      },
      (error: unknown) => {
        // Not cached: the next caller tries again.
        if (this.inFlight === loading) this.inFlight = undefined;
        throw error;
      },
    );
    this.inFlight = loading;
    return loading;
  }
}
