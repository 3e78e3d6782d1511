/**
 * What the handler was asked to do: a scheduled tick (`{}` or an EventBridge event) or a replay
 * (`{"replay": {...}}`). Anything else is refused with a message saying what is accepted.
 */
import type { Collector } from './compose.js';
import { collect, replay, type ReplaySummary, type TickSummary } from './core/collect.js';
import { ReplayRequestError } from './core/errors.js';
import { withHealthReport } from './core/health-report.js';
import { Deadline } from './core/time-budget.js';

export type Invocation = { readonly kind: 'tick' } | { readonly kind: 'replay'; readonly request: unknown };

export function parseInvocation(event: unknown): Invocation {
  if (event === undefined || event === null) return { kind: 'tick' };
  if (typeof event !== 'object' || Array.isArray(event)) throw invalid();
  const keys = Object.keys(event);
  if ('replay' in event) {
    if (keys.length > 1)
      throw new ReplayRequestError(
        'the replay payload must hold only "replay", e.g. {"replay": {"since": "...", "until": "..."}}',
      );
    return { kind: 'replay', request: event.replay };
  }
  // EventBridge events (the schedule sends a "Scheduled Event") carry `source` and `detail-type`.
  if (keys.length === 0 || ('source' in event && 'detail-type' in event)) return { kind: 'tick' };
  throw invalid();
}

function invalid(): ReplayRequestError {
  return new ReplayRequestError(
    'unrecognised invocation payload: send {} (or let the schedule send its event) to collect, or {"replay": {"since": "<ISO>", "until": "<ISO>"}} to replay a window',
  );
}

/** What {@link runInvocation} needs of Lambda's context object. */
export interface InvocationContext {
  readonly awsRequestId: string;
  getRemainingTimeInMillis?(): number;
}

/**
 * One invocation's work, as the handler does it and as the benchmarks simulate it (on their own clock): the
 * deadline from the context's remaining time, a tick or a replay, the opt-in health line. Logging and metrics
 * stay with the caller.
 */
export async function runInvocation(
  collector: Collector,
  invocation: Invocation,
  context: InvocationContext,
): Promise<TickSummary | ReplaySummary> {
  const { deps, settings, config } = collector;
  const deadline = new Deadline(
    deps.clock,
    deps.clock.now() + (context.getRemainingTimeInMillis?.() || 0),
    config.budget,
  );
  const options = {
    owner: context.awsRequestId,
    deadline,
    rateLimitShare: config.oktaRateLimitShare,
    poll: { intervalSeconds: config.pollIntervalSeconds, periodSeconds: config.schedulePeriodSeconds },
    catchUpSegments: config.catchUpSegments,
  };
  return withHealthReport(collector.health, async () =>
    invocation.kind === 'replay'
      ? replay(deps, settings, options, invocation.request)
      : collect(deps, settings, options),
  );
}
