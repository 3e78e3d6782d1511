/** Assertions shared by the reliability tests (vitest only). */
import { expect } from 'vitest';
import { deliveryReport, leakedSecrets, secretsInPlay } from './invariants.js';
import type { Scenario, TickRun } from './scenario.js';

export interface DeliveryExpectation {
  /** Most duplicate lines allowed (one page per failure that may have been partly ingested). @default 0 */
  readonly maxDuplicates?: number;
  /** Secrets beyond the stack's own (a rotated token, a wrong password in a URL...). */
  readonly extraSecrets?: readonly string[];
}

/**
 * Nothing lost (every produced event in Sumo), content unchanged, duplicates within the bound, the cursor never
 * ahead of what Sumo accepted (throughout the run and now), and no secret in anything the handler returned,
 * threw or wrote.
 */
export async function expectNothingLostOrLeaked(
  s: Scenario,
  run: TickRun,
  expectation: DeliveryExpectation = {},
): Promise<void> {
  const report = deliveryReport(s.stack);
  expect(report.missing).toEqual([]);
  expect(report.mismatched).toBe(0);
  expect(report.unexpected).toBe(0);
  expect(report.duplicates).toBeLessThanOrEqual(expectation.maxDuplicates ?? 0);
  expect(run.cursorViolations).toEqual([]);
  expect(await s.probe.unacceptedBehindCursor()).toEqual([]);
  expectNoSecrets(s, run, expectation.extraSecrets);
}

/** No secret in the handler's return values, errors (message, stack, causes) or output. */
export function expectNoSecrets(s: Scenario, run: TickRun, extraSecrets: readonly string[] = []): void {
  // The capture works (the handler logs its summary or its failure), so an empty leak check means something.
  expect(run.output).toMatch(/invocation summary|run failed|"level"/);
  const returned = run.outcomes
    .map((o) => (o.kind === 'returned' ? JSON.stringify(o.value) : o.errorText))
    .join('\n');
  expect(leakedSecrets(`${returned}\n${run.output}`, secretsInPlay(s.stack, extraSecrets))).toEqual([]);
}

/** Joins runs (e.g. a failing tick and the healing ones after it) for the shared assertions. */
export function joinRuns(...runs: TickRun[]): TickRun {
  return {
    outcomes: runs.flatMap((r) => r.outcomes),
    cursorViolations: runs.flatMap((r) => r.cursorViolations),
    output: runs.map((r) => r.output).join(''),
  };
}
