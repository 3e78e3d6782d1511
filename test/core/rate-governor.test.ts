import { describe, expect, it } from 'vitest';
import { RateGovernor } from '../../lambda/core/rate-governor.js';

const NOW = 1_000_000;

describe('RateGovernor', () => {
  it('lets requests go until our share of the window is used, then waits for the reset', () => {
    // Prepare
    const governor = new RateGovernor({ share: 0.5, random: () => 0 });
    const resetAt = NOW + 30_000;

    // Act
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      delays.push(governor.delayBeforeNext(NOW));
      governor.recordRequest(NOW);
      governor.observe({ limit: 4, remaining: 3 - i, resetAt });
    }
    delays.push(governor.delayBeforeNext(NOW));

    // Assess: 0.5 × 4 = 2 requests per window
    expect(delays).toEqual([0, 0, 30_000, 30_000]);
  });

  it('waits when the bucket is empty because other integrations used it', () => {
    // Prepare
    const governor = new RateGovernor({ share: 0.5, random: () => 0 });
    governor.recordRequest(NOW);
    governor.observe({ limit: 100, remaining: 0, resetAt: NOW + 10_000 });

    // Act + Assess
    expect(governor.delayBeforeNext(NOW)).toBe(10_000);
  });

  it('starts counting afresh in a new window', () => {
    // Prepare
    const governor = new RateGovernor({ share: 0.5, random: () => 0 });
    governor.recordRequest(NOW);
    governor.observe({ limit: 2, remaining: 1, resetAt: NOW + 10_000 });

    // Act
    const during = governor.delayBeforeNext(NOW + 5000);
    const after = governor.delayBeforeNext(NOW + 10_000);

    // Assess
    expect(during).toBe(5000);
    expect(after).toBe(0);
  });

  it('leaves the reserve share untouched (a replay yields to live collection)', () => {
    // Prepare
    const governor = new RateGovernor({ share: 0.25, reserveShare: 0.25, random: () => 0 });
    governor.recordRequest(NOW);
    governor.observe({ limit: 100, remaining: 25, resetAt: NOW + 10_000 });

    // Act + Assess
    expect(governor.delayBeforeNext(NOW)).toBe(10_000);
  });

  it('ignores a concurrent-request 429 (Limit 0) when pacing', () => {
    // Prepare
    const governor = new RateGovernor({ share: 0.5, random: () => 0 });
    governor.recordRequest(NOW);

    // Act
    governor.observe({ limit: 0, remaining: 0, resetAt: NOW + 60_000 });

    // Assess
    expect(governor.delayBeforeNext(NOW)).toBe(0);
  });
});

describe('RateGovernor window detection', () => {
  it('does not mistake a reset time jittering by a second (Date has one-second resolution) for a new window', () => {
    // Prepare
    const governor = new RateGovernor({ share: 0.5, random: () => 0 });
    const resetAt = NOW + 30_000;
    for (let i = 0; i < 2; i++) {
      governor.recordRequest(NOW);
      governor.observe({ limit: 4, remaining: 3 - i, resetAt: resetAt + (i % 2 === 0 ? 0 : -1000) });
    }

    // Act
    const delay = governor.delayBeforeNext(NOW);

    // Assess: still two of ours in this window, the allowance of 0.5 × 4
    expect(delay).toBeGreaterThan(0);
  });

  it('starts a new window when the bucket refills', () => {
    // Prepare
    const governor = new RateGovernor({ share: 0.5, random: () => 0 });
    for (let i = 0; i < 2; i++) {
      governor.recordRequest(NOW);
      governor.observe({ limit: 4, remaining: 3 - i, resetAt: NOW + 1000 });
    }

    // Act
    governor.recordRequest(NOW + 1000);
    governor.observe({ limit: 4, remaining: 3, resetAt: NOW + 61_000 });

    // Assess
    expect(governor.delayBeforeNext(NOW + 1000)).toBe(0);
  });
});

describe('RateGovernor at a handover between invocations', () => {
  it('counts what the window already used as ours on its first answer, so two invocations in one window stay within the share', () => {
    // Prepare: the previous invocation used 2 of the 4 requests of this window (the allowance at share 0.5)
    const governor = new RateGovernor({ share: 0.5, random: () => 0 });
    governor.recordRequest(NOW);

    // Act
    governor.observe({ limit: 4, remaining: 1, resetAt: NOW + 20_000 });

    // Assess
    expect(governor.delayBeforeNext(NOW)).toBe(20_000);
  });
});

describe('RateGovernor shared by streams running side by side', () => {
  it('counts every request sent in a new window, though their answers come back in any order', () => {
    // Prepare: limit 8, share 0.5 → 4 per window. A window ends at NOW; four requests go out after it, at once.
    const governor = new RateGovernor({ share: 0.5, random: () => 0 });
    governor.recordRequest(NOW - 30_000);
    governor.observe({ limit: 8, remaining: 7, resetAt: NOW });
    const resetAt = NOW + 60_000;
    for (let i = 0; i < 4; i++) governor.recordRequest(NOW + 100 + i);

    // Act: the last one is answered first (Okta had counted only it), then the others.
    governor.observe({ limit: 8, remaining: 7, resetAt });
    const afterFirstAnswer = governor.delayBeforeNext(NOW + 200);
    for (const remaining of [4, 6, 5]) governor.observe({ limit: 8, remaining, resetAt: resetAt - 1000 });
    const afterAll = governor.delayBeforeNext(NOW + 300);

    // Assess: all four are ours in this window, the allowance.
    expect(afterFirstAnswer).toBe(resetAt - NOW - 200);
    expect(afterAll).toBe(resetAt - 1000 - NOW - 300);
  });

  it('keeps counting in the next window before any answer from it arrives', () => {
    // Prepare: a known window ends at NOW + 1 s; allowance 2 of limit 4.
    const governor = new RateGovernor({ share: 0.5, random: () => 0 });
    governor.recordRequest(NOW);
    governor.observe({ limit: 4, remaining: 3, resetAt: NOW + 1000 });

    // Act: after the reset two streams send one request each, then a third asks before any answer.
    const later = NOW + 2000;
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      delays.push(governor.delayBeforeNext(later));
      if (delays[i] === 0) governor.recordRequest(later);
    }

    // Assess: the third waits for the predicted reset, a minute after the known one.
    expect(delays).toEqual([0, 0, NOW + 61_000 - later]);
  });

  it('ignores a late answer from a window that is already over', () => {
    // Prepare
    const governor = new RateGovernor({ share: 0.5, random: () => 0 });
    governor.recordRequest(NOW);
    governor.observe({ limit: 4, remaining: 3, resetAt: NOW + 1000 });
    governor.recordRequest(NOW + 2000);
    governor.observe({ limit: 4, remaining: 3, resetAt: NOW + 61_000 });
    governor.recordRequest(NOW + 2001);

    // Act: an answer of the old window (remaining 0) arrives last.
    governor.observe({ limit: 4, remaining: 0, resetAt: NOW + 1000 });

    // Assess: the new window's two requests are the allowance; the late answer changed nothing else.
    expect(governor.delayBeforeNext(NOW + 2002)).toBe(NOW + 61_000 - (NOW + 2002));
    expect(governor.delayBeforeNext(NOW + 61_000)).toBe(0);
  });
});
