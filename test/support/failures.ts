/** Helpers for tests that look at what an operation threw. */
import { inspect } from 'node:util';

/** Runs the operation and returns what it threw; fails the test if it did not throw. */
export async function failureOf(operation: Promise<unknown>): Promise<unknown> {
  try {
    await operation;
  } catch (error) {
    return error;
  }
  throw new Error('expected the operation to fail');
}

/** Everything a log line could show of an error: its string, its JSON, and a deep inspection with causes. */
export function exposedText(error: unknown): string {
  return [String(error), JSON.stringify(error), inspect(error, { depth: 10 })].join('\n');
}
