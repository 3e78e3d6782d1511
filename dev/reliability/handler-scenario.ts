/**
 * A randomized reliability scenario through the real handler, described as data (a plan) so that fast-check
 * (test/reliability/handler-fault-properties.test.ts) and the soak script (scripts/soak.ts) can generate plans
 * their own way and run them the same way. Each step produces events, queues Okta and Sumo faults, then
 * ticks, crashes a tick (SIGKILL at a kill point, see {@link CrashLab}) or runs two ticks at once. At the end the
 * faults are cleared and the handler ticks until caught up; the result holds the figures and every broken
 * promise found. Plain Node: no vitest.
 */
import { startLocalStack } from '../local-stack.js';
import { bucketUuids, producePoison, refusalRules, type RefusalPlan } from './refused-events.js';
import type { FaultSchedule } from '../faults.js';
import type { LinkStyle, OktaFault } from '../okta-simulator.js';
import type { SumoFault } from '../sumo-receiver.js';
import { CrashLab, type KillPoint, type RestartKind } from './crash-lab.js';
import { startDynamoGate } from './dynamo-gate.js';
import type { InvocationOutcome } from './handler-worker.js';
import { CursorProbe, CursorWatch, deliveryReport, leakedSecrets, secretsInPlay } from './invariants.js';

export type StepAction =
  | { readonly kind: 'tick'; readonly remainingMs: number }
  | { readonly kind: 'crash'; readonly point: KillPoint; readonly restart: RestartKind }
  | { readonly kind: 'overlap'; readonly remainingMs: number };

export interface StepPlan {
  readonly produce: number;
  /** Events persisted now with a `published` this far in the past (Okta's late records). */
  readonly late: { readonly count: number; readonly ageMs: number } | undefined;
  readonly oktaFaults: readonly OktaFault[];
  readonly sumoFaults: readonly SumoFault[];
  readonly action: StepAction;
}

export interface ScenarioPlan {
  readonly pageLimit: number;
  readonly linkStyle: LinkStyle;
  /** Authenticate as an OAuth service app (private_key_jwt + DPoP) instead of an API token. */
  readonly oauth: boolean;
  /** Chance faults on top of the queued ones, for the whole scenario (until the final catch-up). */
  readonly oktaNoise: FaultSchedule<OktaFault> | undefined;
  readonly sumoNoise: FaultSchedule<SumoFault> | undefined;
  readonly steps: readonly StepPlan[];
  /** Lambda time left for crashing ticks: short, so a killed lease lapses quickly. */
  readonly crashRemainingMs: number;
  /** A Sumo that refuses some batches for good (413 over a size, 400 to poison events). @default none */
  readonly refusal?: RefusalPlan;
}

export interface ScenarioResult {
  readonly produced: number;
  /** Distinct events that reached Sumo. */
  readonly delivered: number;
  readonly lost: readonly string[];
  readonly mismatched: number;
  readonly unexpected: number;
  readonly duplicates: number;
  /** page limit × failures that may re-send a page. */
  readonly duplicateBound: number;
  /** Invocations killed mid-run. */
  readonly crashes: number;
  /** Faults that fired, by stand-in and kind (e.g. `okta:server-error`, `sumo:status-429`). */
  readonly faults: Readonly<Record<string, number>>;
  readonly cursorViolations: readonly string[];
  /** Broken lease promises: a second collector during an overlap, a lease that outlives deadline + 30 s... */
  readonly leaseViolations: readonly string[];
  readonly leaks: readonly string[];
  /** Ticks that threw (a fault outlasting the retries); each counts as a failure in the bound. */
  readonly tickErrors: readonly string[];
  /** The final catch-up did not finish. */
  readonly notCaughtUp: boolean;
  readonly invocations: number;
  /** Events in the undeliverable bucket (each a poison event: counted as arrived, not lost). */
  readonly undeliverable: number;
  /** Events in the bucket that Sumo would have taken (not poison): must be none. */
  readonly wronglyKept: readonly string[];
}

/** Lambda settings for scenarios: short budgets and timeouts so kills and hangs cost little time. */
export function scenarioEnv(plan: ScenarioPlan): Record<string, string> {
  return {
    OKTA_PAGE_LIMIT: String(plan.pageLimit),
    LEASE_MARGIN_MS: '500',
    MIN_PAGE_TIME_MS: '100',
    CHECKPOINT_RESERVE_MS: '300',
    OKTA_REQUEST_TIMEOUT_MS: '1500',
    SUMO_REQUEST_TIMEOUT_MS: '1500',
    POWERTOOLS_LOG_LEVEL: 'DEBUG',
  };
}

const LEASE_PROMISE_MS = 30_000;

function faultKey(source: 'okta' | 'sumo', fault: OktaFault | SumoFault): string {
  if (fault.kind === 'status')
    return `${source}:status-${fault.status}${'ingest' in fault && fault.ingest ? '-ingested' : ''}`;
  if (fault.kind === 'reset' && 'ingest' in fault && fault.ingest) return `${source}:reset-ingested`;
  return `${source}:${fault.kind}`;
}

/** Sumo faults after which Sumo may hold data it never acknowledged: each may cost one page of duplicates. */
function mayDuplicate(fault: SumoFault): boolean {
  return (fault.kind === 'status' || fault.kind === 'reset') && fault.ingest === true;
}

/** When an invocation wrote cursors ("page delivered" log lines), from its output; undefined when it wrote none. */
function cursorWriteTimes(output: string): { first: number; last: number } | undefined {
  const times: number[] = [];
  for (const line of output.split('\n')) {
    if (!line.includes('"page delivered"')) continue;
    try {
      const { timestamp } = JSON.parse(line) as { timestamp?: string };
      if (timestamp !== undefined) times.push(Date.parse(timestamp));
    } catch {
      // not a log line
    }
  }
  return times.length === 0 ? undefined : { first: Math.min(...times), last: Math.max(...times) };
}

function stopReasonOf(outcome: InvocationOutcome): string | undefined {
  return outcome.kind === 'returned' ? (outcome.value as { stopReason?: string }).stopReason : undefined;
}

export async function runScenario(
  plan: ScenarioPlan,
  options: { readonly seed: number },
): Promise<ScenarioResult> {
  const stack = await startLocalStack({
    oauth: plan.oauth,
    okta: { seed: options.seed, linkStyle: plan.linkStyle, events: { unusualRate: 0.2 } },
    ...(plan.refusal ? { sumoRefusal: refusalRules(plan.refusal) } : {}),
  });
  const poison = new Set<string>();
  // Every event ends in Sumo or, when Sumo refuses it on its own, in the bucket.
  const missingEverywhere = (uuids: readonly string[]): string[] => {
    const kept = bucketUuids(stack);
    return uuids.filter((uuid) => !kept.has(uuid));
  };
  const gate = await startDynamoGate(stack.dynamo.endpoint);
  const probe = new CursorProbe(stack);
  const lab = new CrashLab({
    stack,
    gate,
    probe,
    env: { ...stack.env, ...scenarioEnv(plan), AWS_ENDPOINT_URL_DYNAMODB: gate.endpoint },
    remainingMs: plan.crashRemainingMs,
  });
  const watch = new CursorWatch(probe, 'main', 50);
  const leaseViolations: string[] = [];
  const tickErrors: string[] = [];
  const texts: string[] = [];
  let failures = 0;
  let invocations = 0;
  let notCaughtUp = true;
  const record = (outcome: InvocationOutcome) => {
    invocations += 1;
    if (outcome.kind === 'threw') {
      tickErrors.push(`${outcome.error.name}: ${outcome.error.message}`);
      texts.push(outcome.error.message, outcome.error.stack, outcome.error.inspected);
      failures += 1;
    } else if (outcome.kind === 'returned') {
      texts.push(JSON.stringify(outcome.value));
      const reason = stopReasonOf(outcome);
      // A tick cut short by its deadline may leave a page sent but not checkpointed.
      if (reason === 'time-budget' || reason === 'lease-lost') failures += 1;
    }
  };
  try {
    try {
      if (plan.oktaNoise) stack.okta.setFaults(plan.oktaNoise);
      if (plan.sumoNoise) stack.sumo.setFaults(plan.sumoNoise);
      for (const step of plan.steps) {
        if (step.produce > 0) stack.okta.produce(step.produce);
        if (plan.refusal)
          for (const uuid of producePoison(stack, plan.refusal.poisonPerStep, options.seed)) poison.add(uuid);
        if (step.late && step.late.count > 0) stack.okta.produceLate(step.late.count, step.late.ageMs);
        if (step.oktaFaults.length > 0) stack.okta.pushFaults(...step.oktaFaults);
        if (step.sumoFaults.length > 0) stack.sumo.pushFaults(...step.sumoFaults);
        const action = step.action;
        if (action.kind === 'tick') {
          record(await lab.tick(action.remainingMs));
        } else if (action.kind === 'overlap') {
          const runs = await lab.overlap(action.remainingMs);
          for (const run of runs) record(run.outcome);
          // Two collectors at once would write cursors in interleaved times (a lease-held one writes none; one
          // that ran after the other finished writes after it).
          const [a, b] = runs.map((run) => cursorWriteTimes(run.output));
          if (a && b && a.first < b.last && b.first < a.last) {
            leaseViolations.push('overlap: two invocations wrote the cursor during the same time');
          }
        } else {
          const crash = await lab.crash(action.point, action.restart);
          if (crash.crashed) {
            invocations += 1;
            failures += 1;
          } else if (crash.outcome) {
            record(crash.outcome);
          }
          if (crash.crashed && crash.leaseOwner === crash.requestId && crash.leaseExpiresAt !== undefined) {
            if (crash.leaseExpiresAt > crash.deadlineAt + LEASE_PROMISE_MS)
              leaseViolations.push(
                `a killed invocation's lease outlives its deadline by ${crash.leaseExpiresAt - crash.deadlineAt} ms`,
              );
          }
          if (crash.whileLeaseHeld !== undefined) {
            invocations += 1;
            if (
              stopReasonOf(crash.whileLeaseHeld.outcome) !== 'lease-held' ||
              crash.whileLeaseHeld.newBatches > 0
            ) {
              leaseViolations.push(
                `while a killed invocation's lease was held, another one ${stopReasonOf(crash.whileLeaseHeld.outcome) ?? 'threw'} and sent ${crash.whileLeaseHeld.newBatches} batches`,
              );
            }
          }
        }
      }

      // The faults clear; ticks with a normal deadline until caught up with everything delivered.
      stack.okta.setFaults({});
      stack.sumo.setFaults({});
      for (let tick = 0; tick < 8; tick++) {
        const outcome = await lab.tick(30_000);
        record(outcome);
        if (
          stopReasonOf(outcome) === 'caught-up' &&
          missingEverywhere(stack.sumo.missing(stack.okta.events.map((e) => e.uuid))).length === 0
        ) {
          notCaughtUp = false;
          break;
        }
      }
    } finally {
      await lab.stop();
    }
    const { violations } = await watch.stop();
    const report = deliveryReport(stack);
    const faults: Record<string, number> = {};
    const fired = [
      ...stack.okta.firedFaults.map((f) => ({ key: faultKey('okta', f.fault), fault: f.fault })),
      ...stack.sumo.firedFaults.map((f) => ({ key: faultKey('sumo', f.fault), fault: f.fault })),
    ].filter(({ fault }) => fault.kind !== 'pass');
    for (const { key } of fired) faults[key] = (faults[key] ?? 0) + 1;
    const duplicatingFaults = stack.sumo.firedFaults.filter((f) => mayDuplicate(f.fault)).length;
    const leaks = leakedSecrets(`${texts.join('\n')}\n${lab.output()}`, secretsInPlay(stack));
    const result: ScenarioResult = {
      produced: report.produced,
      delivered: stack.sumo.uuidCounts.size,
      lost: missingEverywhere(report.missing),
      mismatched: report.mismatched,
      unexpected: report.unexpected,
      duplicates: report.duplicates,
      duplicateBound: plan.pageLimit * (failures + duplicatingFaults),
      crashes: lab.records.filter((r) => r.crashed).length,
      faults,
      cursorViolations: missingEverywhere([
        ...new Set([...violations, ...lab.records.flatMap((r) => r.cursorViolations)]),
      ]),
      leaseViolations,
      leaks,
      tickErrors,
      notCaughtUp,
      invocations,
      undeliverable: bucketUuids(stack).size,
      wronglyKept: [...bucketUuids(stack)].filter((uuid) => !poison.has(uuid)),
    };
    return result;
  } finally {
    await watch.stop();
    probe.close();
    await gate.stop();
    await stack.stop();
  }
}

/** The broken promises in a result, in words; empty when the scenario kept every promise. */
export function brokenPromises(result: ScenarioResult): string[] {
  const out: string[] = [];
  if (result.lost.length > 0) out.push(`${result.lost.length} events lost`);
  if (result.mismatched > 0) out.push(`${result.mismatched} events changed on the way`);
  if (result.unexpected > 0) out.push(`${result.unexpected} unexpected lines in Sumo`);
  if (result.duplicates > result.duplicateBound)
    out.push(`${result.duplicates} duplicates, above the bound of ${result.duplicateBound}`);
  if (result.cursorViolations.length > 0)
    out.push(`cursor ahead of Sumo for ${result.cursorViolations.length} events`);
  out.push(...result.leaseViolations);
  if (result.leaks.length > 0) out.push(`secrets in output: ${result.leaks.join(', ')}`);
  if (result.notCaughtUp) out.push('did not catch up after the faults cleared');
  if (result.wronglyKept.length > 0)
    out.push(`${result.wronglyKept.length} events Sumo would take kept in the undeliverable bucket`);
  return out;
}
