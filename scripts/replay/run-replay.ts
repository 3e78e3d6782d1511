/**
 * The replay loop: invokes until the function answers `done`, with a heartbeat while an invocation runs (a
 * real one can take 15 minutes) and one progress line after each.
 */
import type { Invoke } from './lambda-invoker.js';

/** How often the heartbeat says an invocation is still running. */
export const HEARTBEAT_MS = 15_000;
/** Pause before invoking again when another invocation holds the replay's lease. */
const LEASE_HELD_PAUSE_MS = 5000;

export interface RunReplayOptions {
  readonly replay: { readonly since: string; readonly until: string; readonly filter?: string };
  readonly maxInvocations: number;
  /** @default HEARTBEAT_MS */
  readonly heartbeatMs?: number;
  /** Progress lines (stdout). */
  readonly print?: (line: string) => void;
  /** Heartbeat lines (stderr). */
  readonly heartbeat?: (line: string) => void;
  readonly now?: () => number;
}

/** What the function returns for a replay (the fields the command reads). */
export interface ReplayResult {
  readonly replayId: string;
  readonly done: boolean;
  readonly stopReason: string;
  readonly events: number;
  readonly newestPublished?: string;
  readonly totalEvents?: number;
  readonly totalPages?: number;
}

export interface ReplayOutcome {
  readonly done: boolean;
  readonly last: ReplayResult | undefined;
  readonly invocations: number;
  readonly events: number;
  readonly elapsedMs: number;
}

/** Invokes until the replay is done or `maxInvocations` ran; throws the function's (or AWS's) error. */
export async function runReplay(options: RunReplayOptions, invoke: Invoke): Promise<ReplayOutcome> {
  const now = options.now ?? Date.now;
  const print = options.print ?? console.log;
  const beat = options.heartbeat ?? ((line: string) => console.error(line));
  const started = now();
  const since = Date.parse(options.replay.since);
  const span = Date.parse(options.replay.until) - since;
  let last: ReplayResult | undefined;
  let events = 0;
  let reached = 0;
  for (let invocation = 1; invocation <= options.maxInvocations; invocation++) {
    const invokedAt = now();
    const timer = setInterval(
      () => beat(`  invocation ${invocation} running for ${seconds(now() - invokedAt)}`),
      options.heartbeatMs ?? HEARTBEAT_MS,
    );
    try {
      last = (await invoke({ replay: options.replay })) as ReplayResult;
    } finally {
      clearInterval(timer);
    }
    events += last.events;
    const newest = last.newestPublished === undefined ? Number.NaN : Date.parse(last.newestPublished);
    // A replay reads the window in `published` order: the newest delivered event says how far it is.
    if (last.done) reached = 100;
    else if (!Number.isNaN(newest))
      reached = Math.max(reached, Math.min(99, ((newest - since) / span) * 100));
    print(
      `replay ${last.replayId}: invocation ${invocation}, ${last.events} events sent now, ` +
        `${last.totalEvents ?? events} in all over ${last.totalPages ?? 0} pages, ` +
        `${Math.floor(reached)}% of the window (${last.done ? 'done' : last.stopReason})`,
    );
    if (last.done) return { done: true, last, invocations: invocation, events, elapsedMs: now() - started };
    // Another invocation (a scheduled tick, or a second copy of this command) is sending this window now.
    if (last.stopReason === 'lease-held') await new Promise((r) => setTimeout(r, LEASE_HELD_PAUSE_MS));
  }
  return { done: false, last, invocations: options.maxInvocations, events, elapsedMs: now() - started };
}

/** The final line. */
export function summaryLine(outcome: ReplayOutcome): string {
  const id = outcome.last?.replayId ?? 'replay';
  const totals = `${outcome.last?.totalEvents ?? outcome.events} events over ${outcome.last?.totalPages ?? 0} pages`;
  const took = `${outcome.invocations} invocation(s), ${seconds(outcome.elapsedMs)}`;
  return outcome.done
    ? `done: replay ${id} sent ${totals} (${outcome.events} in this run; ${took})`
    : `not done after ${took}: replay ${id} has sent ${totals} so far; run the same command again to resume it`;
}

function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
