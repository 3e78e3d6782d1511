/**
 * The collector's two use cases: a scheduled tick (live cursor first, then unfinished replays with the time
 * left) and a manual replay of a window.
 */
import { liveTick, type CatchUpReport } from './catch-up-tick.js';
import { PollSchedule, type PollSettings } from './poll-schedule.js';
import { parseSegment } from './catch-up-segment.js';
import { parseReplayRequest } from './replay-request.js';
import { RateGovernor } from './rate-governor.js';
import { runStream, type CollectorDeps, type CollectorSettings } from './stream-runner.js';
import { mainStream, replayStream } from './stream-spec.js';
import type { StreamSummary } from './summary.js';
import type { Deadline } from './time-budget.js';

export interface CollectOptions {
  /** The invocation's request id (lease owner). */
  readonly owner: string;
  readonly deadline: Deadline;
  /** Share of Okta's rate limit this collector may use. */
  readonly rateLimitShare: number;
  /** Opt-in low latency (`OKTA_POLL_INTERVAL_SECONDS`); absent or interval unset: a caught-up tick returns at once. */
  readonly poll?: PollSettings;
  /**
   * Parallel catch-up (`OKTA_CATCHUP_SEGMENTS`): how many segments of a large backlog are read at once when
   * Okta is slow. Absent or 1: the main cursor is always read serially.
   */
  readonly catchUpSegments?: number;
}

export interface TickSummary extends StreamSummary {
  /** Unfinished replays continued after the live cursor caught up. */
  readonly replays: readonly StreamSummary[];
  /** Polls made after the live cursor was caught up (present when polling is on). */
  readonly polls?: number;
  /** A parallel catch-up this tick worked on (its segments' counts are included above). */
  readonly catchUp?: CatchUpReport;
}

/** A scheduled tick: collect live events until caught up or out of time, then continue unfinished replays. */
export async function collect(
  deps: CollectorDeps,
  settings: CollectorSettings,
  options: CollectOptions,
): Promise<TickSummary> {
  const governor = new RateGovernor({ share: options.rateLimitShare, random: deps.random });
  const run = { owner: options.owner, deadline: options.deadline, governor };
  const poll =
    options.poll?.intervalSeconds === undefined
      ? undefined
      : new PollSchedule(options.poll, deps.clock, options.deadline, deps.clock.now());
  const segments = options.catchUpSegments ?? 1;
  // Plans are stored among the replays: list them first. A failed listing only means no plan this tick.
  const listed = segments > 1 ? await deps.cursors.listUnfinishedReplays().catch(() => undefined) : undefined;
  const live =
    segments > 1
      ? await liveTick(
          deps,
          settings,
          run,
          poll,
          { segments, rateLimitShare: options.rateLimitShare },
          listed,
        )
      : {
          main: await runStream(
            deps,
            settings,
            { ...run, ...(poll && { poll }) },
            mainStream(settings.startTime),
          ),
        };
  const main = live.main;
  const replays: StreamSummary[] = [];
  // Live collection has priority: replays only get the time (and rate budget) left once it is caught up.
  if (main.stopReason === 'caught-up') {
    for (const window of listed ?? (await deps.cursors.listUnfinishedReplays())) {
      if (parseSegment(window) !== undefined) continue; // catch-up segments, not replays
      if (!options.deadline.allowsPage()) break;
      try {
        replays.push(await runStream(deps, settings, run, replayStream(window)));
      } catch {
        // Already logged by the run; a broken replay must not fail live collection. Its manual
        // invocation reports the error to the person who started it.
        continue;
      }
    }
  }
  return {
    ...main,
    replays,
    ...(poll && { polls: poll.polls }),
    ...(live.catchUp && { catchUp: live.catchUp }),
  };
}

export interface ReplaySummary extends StreamSummary {
  readonly replayId: string;
  readonly done: boolean;
  readonly window: { readonly since: string; readonly until: string; readonly filter?: string };
  readonly warnings: readonly string[];
}

/**
 * A manual replay of `[since, until)`: validated before any Okta call, resumable (same window → same replay
 * id → same cursor item), and never touching the main cursor or its lease.
 * @throws ReplayRequestError for an invalid request.
 */
export async function replay(
  deps: CollectorDeps,
  settings: CollectorSettings,
  options: CollectOptions,
  request: unknown,
): Promise<ReplaySummary> {
  const { window, warnings } = parseReplayRequest(request, deps.clock.now());
  for (const warning of warnings) deps.logger.warn('replay window warning', { replayId: window.id, warning });
  // A replay started by hand may run beside a live tick: it takes half our share and leaves the other half
  // of it untouched in the bucket, so live collection keeps priority.
  const governor = new RateGovernor({
    share: options.rateLimitShare / 2,
    reserveShare: options.rateLimitShare / 2,
    random: deps.random,
  });
  const summary = await runStream(
    deps,
    settings,
    { owner: options.owner, deadline: options.deadline, governor },
    replayStream(window),
  );
  const { id, ...shown } = window;
  return { ...summary, replayId: id, done: summary.done === true, window: shown, warnings };
}
