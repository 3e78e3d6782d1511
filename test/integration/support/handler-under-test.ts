/**
 * The real Lambda handler (`lambda/handler.ts`), loaded with a given Lambda environment and invoked the way
 * the Lambda runtime does: an event and a context whose deadline is some milliseconds away.
 *
 * The handler composes its collector once per module instance (once per cold start), from `process.env` at
 * its first invocation. Loading with another environment is a new cold start: the module graph is reset and
 * imported again.
 */
import type { ReplaySummary, TickSummary } from '../../../lambda/core/collect.js';
import { loadHandler as loadInProcessHandler } from '../../../dev/reliability/in-process-handler.js';

/** Enough time for any of these runs: the handler stops only when caught up or done. */
export const AMPLE_MS = 60_000;

/** A scheduled tick as EventBridge Scheduler / rules send it. */
export function scheduledEvent(now = new Date()): Record<string, unknown> {
  return {
    version: '0',
    id: '89d1a02d-5ec7-412e-82f5-13505f849b41',
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'us-east-1',
    resources: ['arn:aws:events:us-east-1:123456789012:rule/okta-sumo-collector-schedule'],
    detail: {},
  };
}

export interface HandlerUnderTest {
  /** Invokes the handler with `remainingMs` before the deadline; resolves with its result. */
  invoke(event: unknown, remainingMs?: number): Promise<unknown>;
  /** A scheduled tick (`{}`). */
  tick(remainingMs?: number): Promise<TickSummary>;
  /** `{"replay": request}`. */
  replay(request: unknown, remainingMs?: number): Promise<ReplaySummary>;
  /** Every result returned so far, in order. */
  readonly results: readonly unknown[];
}

let invocations = 0;

/**
 * Sets `env` as the process environment and imports a fresh copy of the handler module (the next invocation
 * is a cold start), through the reliability scaffold's in-process loader; a thrown error is rethrown.
 */
export async function loadHandler(env: Readonly<Record<string, string>>): Promise<HandlerUnderTest> {
  const loaded = await loadInProcessHandler(env);
  const results: unknown[] = [];
  const invoke = async (event: unknown, remainingMs = AMPLE_MS): Promise<unknown> => {
    invocations += 1;
    const outcome = await loaded.invoke(event, { remainingMs, requestId: `integration-${invocations}` });
    if (outcome.kind === 'threw') throw outcome.error;
    results.push(outcome.value);
    return outcome.value;
  };
  return {
    invoke,
    tick: async (remainingMs) => (await invoke({}, remainingMs)) as TickSummary,
    replay: async (request, remainingMs) => (await invoke({ replay: request }, remainingMs)) as ReplaySummary,
    results,
  };
}
