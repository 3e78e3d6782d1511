import { describe, expect, it } from 'vitest';
import { CachedValue } from '../../lambda/adapters/cached-value.js';

/** A loader that counts its calls and can be told to fail or to hold its answer until released. */
function countingLoader() {
  const state = { calls: 0, fail: false, hold: false };
  const waiting: (() => void)[] = [];
  const load = async (): Promise<string> => {
    state.calls += 1;
    const call = state.calls;
    if (state.hold) await new Promise<void>((resolve) => waiting.push(resolve));
    if (state.fail) throw new Error(`load ${call} failed`);
    return `value ${call}`;
  };
  const releaseAll = () => waiting.splice(0).forEach((resolve) => resolve());
  return { state, load, releaseAll };
}

function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('CachedValue', () => {
  it('reuses a loaded value until the TTL has passed, then reads it again', async () => {
    // Prepare
    const loader = countingLoader();
    const clock = manualClock();
    const cached = new CachedValue({ load: loader.load, ttlMs: 60_000, clock });

    // Act
    const first = await cached.get();
    clock.advance(59_999);
    const withinTtl = await cached.get();
    clock.advance(1);
    const afterTtl = await cached.get();

    // Assess
    expect([first, withinTtl, afterTtl]).toEqual(['value 1', 'value 1', 'value 2']);
    expect(loader.state.calls).toBe(2);
  });

  it('reads on every get when the TTL is 0', async () => {
    // Prepare
    const loader = countingLoader();
    const cached = new CachedValue({ load: loader.load, ttlMs: 0, clock: manualClock() });

    // Act
    await cached.get();
    await cached.get();
    const third = await cached.get();

    // Assess
    expect(third).toBe('value 3');
    expect(loader.state.calls).toBe(3);
  });

  it('lets concurrent callers share one in-flight load', async () => {
    // Prepare
    const loader = countingLoader();
    loader.state.hold = true;
    const cached = new CachedValue({ load: loader.load, ttlMs: 0, clock: manualClock() });

    // Act
    const callers = [cached.get(), cached.get(), cached.refresh()];
    loader.releaseAll();
    const values = await Promise.all(callers);

    // Assess
    expect(values).toEqual(['value 1', 'value 1', 'value 1']);
    expect(loader.state.calls).toBe(1);
  });

  it('does not cache a failed load: the next get tries again', async () => {
    // Prepare
    const loader = countingLoader();
    loader.state.fail = true;
    const cached = new CachedValue({ load: loader.load, ttlMs: 60_000, clock: manualClock() });

    // Act
    const failure = cached.get();
    await expect(failure).rejects.toThrow('load 1 failed');
    loader.state.fail = false;
    const value = await cached.get();

    // Assess
    expect(value).toBe('value 2');
    expect(loader.state.calls).toBe(2);
  });

  it('reads again on refresh even while the cached value is fresh, and caches the new value', async () => {
    // Prepare
    const loader = countingLoader();
    const cached = new CachedValue({ load: loader.load, ttlMs: 60_000, clock: manualClock() });
    await cached.get();

    // Act
    const refreshed = await cached.refresh();
    const after = await cached.get();

    // Assess
    expect(refreshed).toBe('value 2');
    expect(after).toBe('value 2');
    expect(loader.state.calls).toBe(2);
  });

  it('does not serve the rejected value after a refresh that failed', async () => {
    // Prepare
    const loader = countingLoader();
    const cached = new CachedValue({ load: loader.load, ttlMs: 60_000, clock: manualClock() });
    await cached.get();
    loader.state.fail = true;

    // Act
    await expect(cached.refresh()).rejects.toThrow('load 2 failed');
    loader.state.fail = false;
    const next = await cached.get();

    // Assess
    expect(next).toBe('value 3');
  });

  it('turns a loader that throws synchronously into a rejection', async () => {
    // Prepare
    const cached = new CachedValue<string>({
      load: () => {
        throw new Error('sync failure');
      },
      ttlMs: 1000,
    });

    // Act
    const result = cached.get();

    // Assess
    await expect(result).rejects.toThrow('sync failure');
  });

  it('refuses a negative TTL', () => {
    // Act
    const create = () => new CachedValue({ load: () => Promise.resolve(1), ttlMs: -1 });

    // Assess
    expect(create).toThrow(RangeError);
  });
});
