/**
 * Parallel catch-up: a large backlog read in time segments at once, within the one rate-limit share (every
 * segment goes through the invocation's single `RateGovernor`). See `catch-up-segment.ts` for why nothing falls
 * between segments.
 *
 * The plan is stored as the segments' own cursor items (leased and fenced like every stream; listed like replays,
 * whose fields they reuse), created in order with the open-ended last segment last, so a plan whose last segment
 * exists is complete. The main cursor is parked meanwhile: its item keeps its position until every closed
 * segment is done; it then takes over the last segment's position. A crash at any point leaves either the parked
 * main cursor (nothing lost, the backlog read again) or a plan that resumes where its segments stopped.
 */
import { parseInstant, toIso } from './instant.js';
import type { AcquiredStream, Checkpoint, CursorStore, Lease, ReplayWindow } from './ports.js';
import {
  parseSegment,
  segmentSpec,
  segmentStreamId,
  segmentWindow,
  type CatchUpSegment,
} from './catch-up-segment.js';
import {
  describe,
  runStream,
  type CollectorDeps,
  type CollectorSettings,
  type RunContext,
} from './stream-runner.js';
import { RunStats } from './run-stats.js';
import { MAIN_STREAM_ID, RECOVERY_OVERLAP_MS } from './stream-spec.js';
import type { StreamSummary } from './summary.js';

/** A segment narrower than this is not worth its overlap. */
export const MIN_SEGMENT_MS = 10 * 60_000;

/** A plan found among the listed windows. */
export interface ActivePlan {
  readonly plan: string;
  readonly closed: number;
  /** Its segments not done yet, by index. */
  readonly unfinished: readonly CatchUpSegment[];
  /** Whether every segment was created (the last one exists). */
  readonly complete: boolean;
}

export interface CatchUpResult {
  readonly plan: string;
  /** One run per segment this invocation worked on. */
  readonly segments: readonly StreamSummary[];
  /** Closed segments still to finish. */
  readonly remaining: number;
  /** The main cursor took over the last segment's position in this invocation. */
  readonly adopted: boolean;
  /** An incomplete plan (a crash while creating it) was dropped; the parked main cursor goes on. */
  readonly abandoned: boolean;
  /** Another invocation holds the main lease (it runs the plan). */
  readonly leaseHeld: boolean;
}

/** The oldest plan among the listed windows, if any. */
export function findPlan(windows: readonly ReplayWindow[]): ActivePlan | undefined {
  const plans = new Map<string, CatchUpSegment[]>();
  for (const window of windows) {
    const segment = parseSegment(window);
    if (segment) plans.set(segment.plan, [...(plans.get(segment.plan) ?? []), segment]);
  }
  const oldest = [...plans.keys()].sort((a, b) => parseInt(a, 36) - parseInt(b, 36))[0];
  if (oldest === undefined) return undefined;
  const unfinished = plans.get(oldest)!.sort((a, b) => a.index - b.index);
  const closed = unfinished[0]!.closed;
  return { plan: oldest, closed, unfinished, complete: unfinished.some((s) => s.index === closed) };
}

/**
 * Splits the backlog between the main cursor's position and now into segments and parks the main cursor.
 * Resolves `false` (and changes nothing) when the main cursor is busy, unusable, or the backlog too short.
 */
export async function createPlan(
  deps: CollectorDeps,
  run: RunContext,
  concurrency: number,
): Promise<boolean> {
  const main = await acquire(deps, run, MAIN_STREAM_ID);
  if (!main) return false;
  try {
    const cursor = main.cursor;
    const from = cursor?.lastPublished === undefined ? undefined : parseInstant(cursor.lastPublished);
    if (main.corruption !== undefined || cursor?.next === undefined || from === undefined) return false;
    const now = deps.clock.now();
    const closed = Math.min(2 * concurrency, Math.floor((now - from) / MIN_SEGMENT_MS));
    if (closed < 2) return false;
    const plan = now.toString(36);
    const start = (index: number): number =>
      index === closed ? now : from + Math.round((index * (now - from)) / closed);
    for (let index = 0; index <= closed; index++) {
      const segment: CatchUpSegment = {
        plan,
        index,
        closed,
        // The first segment goes on from the main cursor's own `next`; its `since` is only a recovery floor.
        since: toIso(index === 0 ? from - RECOVERY_OVERLAP_MS : start(index)),
        until: index === closed ? undefined : toIso(start(index + 1)),
      };
      await write(deps, run, segment, {
        next: index === 0 ? cursor.next : undefined,
        lastPublished: index === 0 ? cursor.lastPublished : undefined,
      });
    }
    deps.logger.info('catch-up plan created', {
      plan,
      segments: closed + 1,
      backlogHours: Math.round((now - from) / 360_000) / 10,
    });
    return true;
  } finally {
    await release(deps, main.lease);
  }
}

/**
 * Works on a plan for the rest of the invocation: the open-ended last segment first (it holds the newest
 * events), then the closed segments, `concurrency` at a time; adopts the last segment's position into the main
 * cursor once every closed segment is done.
 */
export async function runPlan(
  deps: CollectorDeps,
  settings: CollectorSettings,
  run: RunContext,
  plan: ActivePlan,
  concurrency: number,
): Promise<CatchUpResult> {
  const result = (over: Partial<CatchUpResult>): CatchUpResult => ({
    plan: plan.plan,
    segments: [],
    remaining: plan.unfinished.filter((s) => s.index < plan.closed).length,
    adopted: false,
    abandoned: false,
    leaseHeld: false,
    ...over,
  });
  // The main lease keeps a second invocation from running the same plan (and the main cursor) meanwhile.
  const main = await acquire(deps, run, MAIN_STREAM_ID);
  if (!main) return result({ leaseHeld: true });
  try {
    if (!plan.complete) {
      for (const segment of plan.unfinished) await write(deps, run, segment, { done: true });
      deps.logger.warn('incomplete catch-up plan dropped; the main cursor goes on', { plan: plan.plan });
      return result({ abandoned: true, remaining: 0 });
    }
    const summaries: StreamSummary[] = [];
    const attempt = async (segment: CatchUpSegment): Promise<boolean> => {
      const spec = segmentSpec(segment, deps.clock, settings.pageLimit);
      try {
        summaries.push(await runStream({ ...deps, cursors: freshAsNew(deps.cursors) }, settings, run, spec));
      } catch (error) {
        // Logged by the run; fatal errors (credentials, Sumo refusing us) stop the whole plan for this invocation.
        summaries.push({ ...failed(spec.id, deps.clock.now()), lastError: describe(error) });
        throw error;
      }
      return spec.finished;
    };
    const open = plan.unfinished.find((s) => s.index === plan.closed)!;
    await attempt(open);
    const queue = plan.unfinished.filter((s) => s.index < plan.closed);
    let remaining = queue.length;
    const worker = async (): Promise<void> => {
      for (let segment = queue.shift(); segment; segment = queue.shift()) {
        if (!run.deadline.allowsPage()) return;
        if (await attempt(segment)) remaining -= 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
    const adopted = remaining === 0 && (await adopt(deps, run, main, open));
    return result({ segments: summaries, remaining, adopted });
  } finally {
    await release(deps, main.lease);
  }
}

/** The main cursor takes the last segment's position; then the last segment is marked done (plan over). */
async function adopt(
  deps: CollectorDeps,
  run: RunContext,
  main: AcquiredStream,
  open: CatchUpSegment,
): Promise<boolean> {
  const last = await acquire(deps, run, segmentStreamId(open));
  if (!last) return false;
  try {
    const next = last.cursor?.next;
    if (next === undefined || last.corruption !== undefined) return false;
    // Restarting the main cursor from here (minus the overlap) covers whatever the last segment did not send.
    const lastPublished = last.cursor?.lastPublished ?? open.since;
    const { replay: _r, done: _d, events: _e, pages: _p, ...kept } = main.cursor ?? {};
    const savedAt = toIso(deps.clock.now());
    await deps.cursors.commit(main.lease, { ...kept, next, lastPublished, savedAt });
    await deps.cursors.commit(last.lease, {
      ...last.cursor,
      next,
      lastPublished: last.cursor?.lastPublished,
      savedAt,
      replay: segmentWindow(open),
      done: true,
    });
    deps.logger.info('catch-up plan done: the main cursor goes on from its last segment', {
      plan: open.plan,
    });
    return true;
  } finally {
    await release(deps, last.lease);
  }
}

/**
 * A segment item the plan created and no run has read yet is a brand-new stream (its first request is its own
 * query), not a cursor without a `next` link (which would count as a recovery).
 */
function freshAsNew(cursors: CursorStore): CursorStore {
  return {
    acquire: async (streamId, request) => {
      const acquired = await cursors.acquire(streamId, request);
      const cursor = acquired?.cursor;
      const fresh =
        acquired?.corruption === undefined &&
        cursor !== undefined &&
        cursor.next === undefined &&
        cursor.lastPublished === undefined &&
        cursor.done !== true &&
        (cursor.events ?? 0) === 0;
      return fresh ? { ...acquired!, cursor: undefined } : acquired;
    },
    commit: (lease, checkpoint) => cursors.commit(lease, checkpoint),
    release: (lease) => cursors.release(lease),
    listUnfinishedReplays: () => cursors.listUnfinishedReplays(),
  };
}

async function acquire(
  deps: CollectorDeps,
  run: RunContext,
  streamId: string,
): Promise<AcquiredStream | undefined> {
  return deps.cursors.acquire(streamId, {
    owner: run.owner,
    expiresAt: run.deadline.leaseExpiry(),
    now: deps.clock.now(),
  });
}

/** Writes a segment's item under its own lease (creating it, or marking it done). */
async function write(
  deps: CollectorDeps,
  run: RunContext,
  segment: CatchUpSegment,
  fields: Partial<Pick<Checkpoint, 'next' | 'lastPublished' | 'done'>>,
): Promise<void> {
  const acquired = await acquire(deps, run, segmentStreamId(segment));
  if (!acquired) throw new Error(`the lease of catch-up segment ${segmentStreamId(segment)} is held`);
  try {
    const stored = acquired.cursor;
    await deps.cursors.commit(acquired.lease, {
      next: 'next' in fields ? fields.next : stored?.next,
      lastPublished: 'lastPublished' in fields ? fields.lastPublished : stored?.lastPublished,
      savedAt: toIso(deps.clock.now()),
      replay: segmentWindow(segment),
      done: fields.done ?? false,
      events: stored?.events ?? 0,
      pages: stored?.pages ?? 0,
    });
  } finally {
    await release(deps, acquired.lease);
  }
}

async function release(deps: CollectorDeps, lease: Lease): Promise<void> {
  await deps.cursors.release(lease).catch((error: unknown) => {
    deps.logger.warn('lease release failed; it lapses by itself', {
      stream: lease.streamId,
      error: describe(error),
    });
  });
}

/** A summary of a segment run that threw (every counter zero: the run logged what it did). */
function failed(stream: string, now: number): StreamSummary {
  return new RunStats(stream).summary('error', now);
}
