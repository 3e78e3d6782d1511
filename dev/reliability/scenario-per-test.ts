/**
 * A fresh local stack for each test of a reliability file, stopped after the test whatever happened in it.
 * Vitest only (it registers an `afterEach`).
 */
import { afterEach } from 'vitest';
import { startScenario, type Scenario } from './scenario.js';

/** Call once at the top of a test file; the function it returns starts this test's scenario. */
export function scenarioPerTest(): (options?: Parameters<typeof startScenario>[0]) => Promise<Scenario> {
  let current: Scenario | undefined;
  afterEach(async () => {
    await current?.stop();
    current = undefined;
  });
  return async (options) => {
    current = await startScenario(options);
    return current;
  };
}
