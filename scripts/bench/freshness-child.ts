/**
 * One freshness scenario in its own process (the handler reads its configuration from `process.env` once per
 * cold start, so two scenarios cannot share a process): every stand-in on loopback (`dev/local-stack.ts`), the
 * real Lambda handler (`lambda/handler.ts`) invoked once a minute as EventBridge would, and a live event stream
 * in the Okta simulator. Real time: the schedule is the point.
 */
import { performance } from 'node:perf_hooks';
import type { Context } from 'aws-lambda';
import { serve } from './ipc.js';
import { lambdaContext, startLocalStack } from '../../dev/local-stack.js';
import { seededRandom } from '../../dev/faults.js';
import type { TickSummary } from '../../lambda/core/collect.js';

export interface FreshnessArgs {
  /** `OKTA_POLL_INTERVAL_SECONDS`, or none (the default: a caught-up tick returns at once). */
  readonly pollIntervalSeconds: number | undefined;
  /** Ticks to measure over (one a minute), after one warm-up tick. */
  readonly ticks: number;
  /** New events per second, at random moments (a Poisson stream). */
  readonly eventsPerSecond: number;
  /** Okta's answer time per request and Sumo's per POST (ms). */
  readonly oktaLatencyMs: number;
  readonly sumoLatencyMs: number;
  readonly seed: number;
}

export interface FreshnessResult {
  /** Seconds from an event becoming visible in Okta to Sumo accepting it, for each measured event. */
  readonly freshnessSeconds: readonly number[];
  readonly produced: number;
  readonly missing: number;
  readonly duplicates: number;
  readonly ticks: number;
  /** Wall time of each invocation (ms): what Lambda bills. */
  readonly invocationMs: readonly number[];
  readonly polls: number;
  /** `/api/v1/logs` requests per minute of the measured span. */
  readonly oktaRequestsPerMinute: number;
  readonly leaseHeld: number;
}

type Handler = (event: unknown, context: Context) => Promise<unknown>;
const MINUTE = 60_000;
/** The function timeout the stack sets (15 minutes): the deadline each invocation gets. */
const TIMEOUT_MS = 900_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function run(args: FreshnessArgs): Promise<FreshnessResult> {
  const random = seededRandom(args.seed);
  const stack = await startLocalStack({ okta: { seed: args.seed } });
  try {
    const startedAt = stack.okta.now();
    Object.assign(process.env, stack.env, {
      OKTA_START_TIME: new Date(startedAt - 1000).toISOString(),
      AWS_LAMBDA_LOG_LEVEL: 'WARN',
      POWERTOOLS_LOG_LEVEL: 'WARN',
      ...(args.pollIntervalSeconds === undefined
        ? {}
        : { OKTA_POLL_INTERVAL_SECONDS: String(args.pollIntervalSeconds) }),
    });
    if (args.oktaLatencyMs > 0)
      stack.okta.setFaults({ probability: 1, pool: [{ kind: 'slow', delayMs: args.oktaLatencyMs }] });
    if (args.sumoLatencyMs > 0)
      stack.sumo.setFaults({ probability: 1, pool: [{ kind: 'slow', delayMs: args.sumoLatencyMs }] });
    const { handler } = (await import('../../lambda/handler.js')) as { handler: Handler };

    const invocationMs: number[] = [];
    const running = new Set<Promise<void>>();
    let polls = 0;
    let leaseHeld = 0;
    let tickIndex = 0;
    const tick = (): void => {
      const index = tickIndex++;
      const invocation = (async () => {
        // EventBridge starts the function a little after the scheduled moment.
        await sleep(20 + random() * 230);
        const t0 = performance.now();
        const summary = (await handler({}, lambdaContext(TIMEOUT_MS, `tick-${index}`))) as TickSummary;
        invocationMs.push(performance.now() - t0);
        polls += summary.polls ?? 0;
        if (summary.stopReason === 'lease-held') leaseHeld += 1;
      })();
      running.add(invocation);
      void invocation.finally(() => running.delete(invocation));
    };

    // Warm-up: the cold start and the first (empty) read are not part of the figure.
    tick();
    await Promise.all(running);
    const measureFrom = stack.okta.now();
    const schedule = setInterval(tick, MINUTE);
    tick();
    // The live stream: exponential gaps, for `ticks` minutes.
    const produceUntil = measureFrom + args.ticks * MINUTE;
    while (stack.okta.now() < produceUntil) {
      await sleep(-Math.log(1 - random()) * (1000 / args.eventsPerSecond));
      stack.okta.produce(1);
    }
    // One more tick delivers what arrived last.
    await sleep(MINUTE + 1000);
    clearInterval(schedule);
    await Promise.all(running);

    const measured = stack.okta.events.filter((event) => event.persistedAt >= measureFrom);
    const firstAccepted = new Map<string, number>();
    const seen = new Map<string, number>();
    for (const line of stack.sumo.lines) {
      if (line.uuid === undefined) continue;
      seen.set(line.uuid, (seen.get(line.uuid) ?? 0) + 1);
      const batch = stack.sumo.batches[line.batch]!;
      // The receiver stamps a POST on arrival; Sumo's answer (its acceptance) comes after the simulated latency.
      const acceptedAt = batch.time + args.sumoLatencyMs;
      if (!firstAccepted.has(line.uuid)) firstAccepted.set(line.uuid, acceptedAt);
    }
    const freshnessSeconds: number[] = [];
    let missing = 0;
    let duplicates = 0;
    for (const event of measured) {
      const accepted = firstAccepted.get(event.uuid);
      if (accepted === undefined) missing += 1;
      // Visible to queries once persisted (the simulator's visibility delay is 0 here).
      else freshnessSeconds.push((accepted - event.persistedAt) / 1000);
      duplicates += Math.max(0, (seen.get(event.uuid) ?? 0) - 1);
    }
    const requests = stack.okta.requests.filter(
      (request) => request.kind === 'logs' && request.time >= measureFrom && request.time < produceUntil,
    ).length;
    return {
      freshnessSeconds,
      produced: measured.length,
      missing,
      duplicates,
      ticks: invocationMs.length,
      invocationMs: invocationMs.slice(1),
      polls,
      oktaRequestsPerMinute: requests / args.ticks,
      leaseHeld,
    };
  } finally {
    await stack.stop();
  }
}

serve({ run: (args: FreshnessArgs) => run(args) });
