/**
 * The live part of a scheduled tick when parallel catch-up is on (`OKTA_CATCHUP_SEGMENTS` > 1): go on with a
 * plan in progress, or read the main cursor serially and hand over to a plan when the trigger says the serial
 * read is too slow for the backlog (see `catch-up-trigger.ts`). Segment counts are folded into the main
 * summary, so the tick's totals and metrics include every event the segments delivered.
 */
import { createPlan, findPlan, runPlan, type CatchUpResult } from './catch-up.js';
import { CatchUpTrigger } from './catch-up-trigger.js';
import type { PollHook } from './poll-schedule.js';
import type { ReplayWindow } from './ports.js';
import { runStream, type CollectorDeps, type CollectorSettings, type RunContext } from './stream-runner.js';
import { RunStats } from './run-stats.js';
import { MAIN_STREAM_ID, mainStream } from './stream-spec.js';
import type { StopReason, StreamSummary } from './summary.js';

export interface CatchUpSettings {
  /** `OKTA_CATCHUP_SEGMENTS`: segments read at once (1 = off). */
  readonly segments: number;
  /** `OKTA_RATE_LIMIT_SHARE`, to tell whether the serial read reaches it. */
  readonly rateLimitShare: number;
}

/** What the tick's summary shows of a catch-up plan. */
export interface CatchUpReport {
  readonly plan: string;
  readonly segments: readonly StreamSummary[];
  /** Closed segments still to finish. */
  readonly remaining: number;
  /** The plan ended in this tick: the main cursor goes on from its last segment. */
  readonly adopted: boolean;
}

export interface LiveTick {
  readonly main: StreamSummary;
  readonly catchUp?: CatchUpReport;
}

/**
 * @param run the invocation's context, without polling (segments never poll).
 * @param poll the main cursor's polling, when on.
 * @param listed the unfinished replays listed at the start of the tick (plans are stored among them), or
 * `undefined` when listing failed (the main cursor then runs as usual).
 */
export async function liveTick(
  deps: CollectorDeps,
  settings: CollectorSettings,
  run: RunContext,
  poll: PollHook | undefined,
  catchUp: CatchUpSettings,
  listed: readonly ReplayWindow[] | undefined,
): Promise<LiveTick> {
  const { segments } = catchUp;
  const active = listed === undefined ? undefined : findPlan(listed);
  let plan: CatchUpResult | undefined;
  if (active) {
    plan = await runPlan(deps, settings, run, active, segments);
    if (!plan.adopted && !plan.abandoned)
      return { main: fold(undefined, plan, deps.clock.now()), catchUp: report(plan) };
  }
  // No plan (or it just ended): the main cursor, watched by the trigger unless a plan just ran.
  const trigger =
    plan === undefined
      ? new CatchUpTrigger(deps.source, deps.clock, catchUp.rateLimitShare, settings.pageLimit)
      : undefined;
  const mainRun: RunContext = {
    ...run,
    ...(trigger && { deadline: run.deadline.until(() => trigger.fired) }),
    ...(poll && { poll }),
  };
  const main = await runStream(
    trigger ? { ...deps, source: trigger } : deps,
    settings,
    mainRun,
    mainStream(settings.startTime),
  );
  if (trigger?.fired === true && main.stopReason === 'time-budget' && run.deadline.allowsPage()) {
    deps.logger.info('backlog large and Okta slow: reading it in segments', {
      medianAnswerMs: trigger.medianLatencyMs,
      segments,
    });
    if (await createPlan(deps, run, segments)) {
      const created = findPlan(await deps.cursors.listUnfinishedReplays());
      if (created) plan = await runPlan(deps, settings, run, created, segments);
    }
  }
  return plan ? { main: fold(main, plan, deps.clock.now()), catchUp: report(plan) } : { main };
}

function report(plan: CatchUpResult): CatchUpReport {
  return { plan: plan.plan, segments: plan.segments, remaining: plan.remaining, adopted: plan.adopted };
}

/** The main summary with every segment's counts added (totals and metrics then include them). */
function fold(main: StreamSummary | undefined, plan: CatchUpResult, now: number): StreamSummary {
  // The main cursor's reason when it ran after the plan ended; otherwise the backlog is not read yet.
  const ended = plan.adopted || plan.abandoned;
  const stopReason: StopReason =
    main && ended ? main.stopReason : plan.leaseHeld ? 'lease-held' : 'time-budget';
  // Every counter zero when the main cursor did not run (RunStats knows all of them, new ones included).
  const base: StreamSummary = main ?? new RunStats(MAIN_STREAM_ID).summary(stopReason, now);
  const sums: Record<string, unknown> = { ...base };
  for (const segment of plan.segments) {
    for (const [key, value] of Object.entries(segment)) {
      // Counters add up; lag and totals of one stream do not.
      if (typeof value !== 'number' || key === 'lagSeconds' || key.startsWith('total')) continue;
      const current = sums[key];
      sums[key] = (typeof current === 'number' ? current : 0) + value;
    }
  }
  const newest = [base, ...plan.segments]
    .map((s) => s.newestPublished)
    .filter((p): p is string => p !== undefined)
    .sort()
    .at(-1);
  // The lag of the newest events: the open-ended last segment (the first one run) unless the main cursor ran after it.
  const lagSeconds = main?.lagSeconds ?? plan.segments[0]?.lagSeconds ?? base.lagSeconds;
  return {
    ...(sums as unknown as StreamSummary),
    stream: MAIN_STREAM_ID,
    stopReason,
    newestPublished: newest,
    lagSeconds,
    lastError: main?.lastError ?? plan.segments.find((s) => s.lastError)?.lastError,
  };
}
