import { describe, expect, it } from 'vitest';
import { OktaApiError, RateLimitedError, SumoDeliveryError } from '../../lambda/core/errors.js';
import { OutOfTimeError, withRetries } from '../../lambda/core/retry.js';
import { Deadline, DEFAULT_TIME_BUDGET } from '../../lambda/core/time-budget.js';
import { FakeClock } from '../../dev/core-fakes.js';

function setup(timeMs = 300_000) {
  const clock = new FakeClock();
  const waits: number[] = [];
  const deps = {
    clock,
    deadline: new Deadline(clock, clock.now() + timeMs, DEFAULT_TIME_BUDGET),
    policy: { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 8000 },
    random: () => 1,
    observer: { onRetry: (_error: unknown, _attempt: number, delayMs: number) => waits.push(delayMs) },
  };
  return { clock, deps, waits };
}

describe('withRetries', () => {
  it('retries retryable failures with growing, capped delays and returns the result', async () => {
    // Prepare
    const { deps, waits } = setup();
    let calls = 0;

    // Act
    const result = await withRetries(deps, async () => {
      calls += 1;
      if (calls < 4) throw new SumoDeliveryError('503', { status: 503, retryable: true });
      return 'ok';
    });

    // Assess
    expect(result).toBe('ok');
    expect(waits).toEqual([1000, 2000, 4000]);
  });

  it('gives up after maxAttempts with the last error', async () => {
    // Prepare
    const { deps } = setup();

    // Act
    const run = withRetries(deps, async () => {
      throw new SumoDeliveryError('503', { status: 503, retryable: true });
    });

    // Assess
    await expect(run).rejects.toThrow(SumoDeliveryError);
  });

  it('does not retry a fatal error', async () => {
    // Prepare
    const { deps, waits } = setup();

    // Act
    const run = withRetries(deps, async () => {
      throw new OktaApiError('401', { status: 401, retryable: false });
    });

    // Assess
    await expect(run).rejects.toThrow('401');
    expect(waits).toEqual([]);
  });

  it('backs off briefly (not until the window resets) on a concurrent-request 429', async () => {
    // Prepare
    const { clock, deps, waits } = setup();
    let calls = 0;

    // Act
    await withRetries(deps, async () => {
      if (calls++ === 0)
        throw new RateLimitedError('429', { retryAt: clock.now() + 60_000, concurrent: true });
    });

    // Assess
    expect(waits[0]).toBeLessThan(60_000);
  });

  it('throws OutOfTimeError when the wait would not fit the time budget', async () => {
    // Prepare
    const { clock, deps } = setup(30_000);

    // Act
    const run = withRetries(deps, async () => {
      throw new RateLimitedError('429', { retryAt: clock.now() + 60_000, concurrent: false });
    });

    // Assess
    await expect(run).rejects.toThrow(OutOfTimeError);
  });
});

describe('Deadline', () => {
  it('never lets the lease expire before the deadline, and at most the margin after it', () => {
    // Prepare
    const clock = new FakeClock();

    // Act
    const normal = new Deadline(clock, clock.now() + 60_000, DEFAULT_TIME_BUDGET).leaseExpiry();
    const noTimeLeft = new Deadline(clock, clock.now(), DEFAULT_TIME_BUDGET).leaseExpiry();

    // Assess
    expect(normal).toBe(clock.now() + 60_000 + DEFAULT_TIME_BUDGET.leaseMarginMs);
    expect(noTimeLeft).toBe(clock.now() + DEFAULT_TIME_BUDGET.leaseMarginMs);
    expect(DEFAULT_TIME_BUDGET.leaseMarginMs).toBeLessThanOrEqual(30_000);
  });
});
