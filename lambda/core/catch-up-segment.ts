/**
 * One segment of a parallel catch-up: a polling query (ordered by Okta's persistence time) from `since`, which
 * for every segment but the last stops once it has read an event published after the next segment's start
 * plus a margin. An event cannot be persisted before it happened, so any event persisted before that start came
 * earlier in the stream than the stopping event; the next segment, a polling query from that start, reads every
 * event persisted after it, late-published ones included. Nothing falls between two segments; the events both
 * read are those persisted in [start, stopping event), about a margin's worth (the stated duplicates).
 */
import { OKTA_MAX_LOOKBACK_MS, parseInstant, toIso } from './instant.js';
import type { Clock, LogPage, OktaEvent, ReplayWindow } from './ports.js';
import { RECOVERY_OVERLAP_MS, type StreamSpec } from './stream-spec.js';

/**
 * A segment stops on an event published this long after the next segment's start. It covers clock skew between
 * the Okta component that stamps `published` and the one that records persistence; the events of this margin
 * are read twice.
 */
export const SEGMENT_MARGIN_MS = 60_000;
const LOOKBACK_SAFETY_MS = 3_600_000;
/**
 * A segment that has read to the present without meeting an event past its end (a quiet org) is done once the
 * present is this far past its end: it then read everything persisted up to minutes ago, its whole span
 * included. (Okta's polling pages can come back short under a steady flow while more exists near the head of
 * the log; this leaves those minutes to settle.)
 */
export const SEGMENT_SETTLE_MS = 10 * 60_000;

function withinLookback(ms: number, now: number): string {
  return toIso(Math.max(ms, now - OKTA_MAX_LOOKBACK_MS + LOOKBACK_SAFETY_MS));
}

/** Where a segment is and where it ends, as stored with its cursor (in the item's replay window fields). */
export interface CatchUpSegment {
  /** The plan's id (base 36 of its creation time). */
  readonly plan: string;
  /** 0-based position; the last segment (`index === closed`) is open-ended. */
  readonly index: number;
  /** How many segments of the plan end (all but the last). */
  readonly closed: number;
  readonly since: string;
  /** The next segment's start; `undefined` for the open-ended last segment. */
  readonly until: string | undefined;
}

const ID = /^catchup-([0-9a-z]+)-(\d+)-(\d+)$/;

/** The stream id (cursor item key) of a segment. */
export function segmentStreamId(segment: Pick<CatchUpSegment, 'plan' | 'index'>): string {
  return `catchup#${segment.plan}#${segment.index}`;
}

/**
 * The replay window a segment is stored as (so the cursor store keeps and lists it like a replay); the open
 * segment's `until` is a placeholder one millisecond after `since` (the store wants a window).
 */
export function segmentWindow(segment: CatchUpSegment): ReplayWindow {
  return {
    id: `catchup-${segment.plan}-${segment.index}-${segment.closed}`,
    since: segment.since,
    until: segment.until ?? toIso(Date.parse(segment.since) + 1),
  };
}

/** The segment a listed window stands for, or `undefined` for a real replay. */
export function parseSegment(window: ReplayWindow): CatchUpSegment | undefined {
  const match = ID.exec(window.id);
  if (!match) return undefined;
  const index = Number(match[2]);
  const closed = Number(match[3]);
  if (index > closed) return undefined;
  return {
    plan: match[1]!,
    index,
    closed,
    since: window.since,
    until: index === closed ? undefined : window.until,
  };
}

/** The stream of one segment. `finished` turns true once it has read past its end (it is then done). */
export function segmentSpec(
  segment: CatchUpSegment,
  clock: Clock,
  /** `OKTA_PAGE_LIMIT`: a page with fewer events read to the present. */
  pageLimit: number,
): StreamSpec & { readonly finished: boolean } {
  const stopAt = segment.until === undefined ? undefined : Date.parse(segment.until) + SEGMENT_MARGIN_MS;
  const floor = segment.index === 0 ? undefined : Date.parse(segment.since);
  /** Index of the first event published at or after `stopAt`, or -1. */
  const stopIndex = (events: readonly OktaEvent[]): number =>
    stopAt === undefined
      ? -1
      : events.findIndex((event) => {
          const ms = event.published === undefined ? Number.NaN : Date.parse(event.published);
          return ms >= stopAt;
        });
  let finished = false;
  return {
    id: segmentStreamId(segment),
    initialRequest: () => ({ since: segment.since }),
    // As the main cursor: back from the newest delivered `published` by the overlap (an undelivered event was
    // persisted after it), but never before the segment's own start (earlier ones belong to the segment before).
    recoveryRequest: (anchor, now) => {
      const anchorMs = anchor === undefined ? undefined : parseInstant(anchor);
      if (anchorMs === undefined) return undefined;
      const from = anchorMs - RECOVERY_OVERLAP_MS;
      return { since: withinLookback(Math.max(from, floor ?? from), now) };
    },
    restartRequest: (_startedAt, now) => ({ since: withinLookback(Date.parse(segment.since), now) }),
    // A short page ends this run only (Okta's polling pages can come back short while more exists); reading past
    // the end ends the segment.
    isLastPage: (page: LogPage, pageLimit: number) =>
      stopIndex(page.events) >= 0 ||
      page.events.length < (page.limit ?? pageLimit) ||
      page.next === undefined,
    isDone: (page: LogPage) => {
      const settled =
        stopAt !== undefined &&
        page.events.length < (page.limit ?? pageLimit) &&
        clock.now() >= stopAt + SEGMENT_SETTLE_MS;
      if (stopIndex(page.events) >= 0 || settled) finished = true;
      return finished;
    },
    // Events from the stopping one on were persisted after the next segment's start: that segment sends them.
    select: (events) => {
      const stop = stopIndex(events);
      return stop < 0 ? events : events.slice(0, stop);
    },
    fields: undefined,
    replay: segmentWindow(segment),
    get finished() {
      return finished;
    },
  };
}
