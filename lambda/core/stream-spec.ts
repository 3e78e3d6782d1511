/**
 * The two kinds of stream the collector runs: the live main cursor (an Okta polling query) and a replay
 * (a bounded query over a window). They differ only in where they start, how they recover, and when they end.
 */
import { ConfigError } from './errors.js';
import { OKTA_MAX_LOOKBACK_MS, parseInstant, toIso } from './instant.js';
import type { LogPage, OktaEvent, PageRequest, ReplayWindow } from './ports.js';

export const MAIN_STREAM_ID = 'main';
const WEEK_MS = 7 * 86_400_000;
/**
 * Restarting after a rejected cursor goes back this far before the last delivered event: late-persisted
 * events can appear a little behind `published` order, and a few duplicates beat a gap.
 */
export const RECOVERY_OVERLAP_MS = 5 * 60_000;
/** Keep a recovery `since` comfortably inside Okta's 180-day limit. */
const LOOKBACK_SAFETY_MS = 3_600_000;

export interface StreamSpec {
  readonly id: string;
  /** The first request of a brand-new stream. */
  initialRequest(now: number): PageRequest;
  /**
   * Where to restart when the stored `next` cannot be used: `anchor` (the newest `published` delivered) minus
   * {@link RECOVERY_OVERLAP_MS}; `undefined` when the anchor is missing or gives no usable request (a replay's
   * restart at or after its `until`), so the caller restarts where the stream started.
   */
  recoveryRequest(anchor: string | undefined, now: number): PageRequest | undefined;
  /**
   * Where the stream started: `startedAt` as recorded in its item, else the configured start (`OKTA_START_TIME`,
   * else now − 7 days), kept within Okta's 180 days; a replay always restarts at its window's start.
   */
  restartRequest(startedAt: string | undefined, now: number): PageRequest;
  /** Whether this page ends the run's work on the stream. */
  isLastPage(page: LogPage, pageLimit: number): boolean;
  /** Whether the stream is complete after this page (stored as `done`). @default a replay's page without `next` */
  isDone?(page: LogPage): boolean;
  /** Events to send (a replay drops anything Okta returned outside its window). */
  select(events: readonly OktaEvent[]): readonly OktaEvent[];
  /** Extra `X-Sumo-Fields` for this stream's messages. */
  readonly fields: Readonly<Record<string, string>> | undefined;
  readonly replay: ReplayWindow | undefined;
}

/** `ms` moved forward, when needed, to stay inside Okta's 180-day `since` limit. */
function withinLookback(ms: number, now: number): string {
  return toIso(Math.max(ms, now - OKTA_MAX_LOOKBACK_MS + LOOKBACK_SAFETY_MS));
}

function clampedSince(anchorMs: number, now: number): string {
  return withinLookback(anchorMs - RECOVERY_OVERLAP_MS, now);
}

/** The live stream: a polling query (no `until`) that always has a `next` link. */
export function mainStream(startTime: string | undefined): StreamSpec {
  const initialRequest = (now: number): PageRequest => {
    if (startTime !== undefined && now - Date.parse(startTime) > OKTA_MAX_LOOKBACK_MS - LOOKBACK_SAFETY_MS) {
      throw new ConfigError(
        'OKTA_START_TIME is more than 180 days ago, which Okta rejects (it keeps 90 days of System Log)',
      );
    }
    return { since: startTime ?? toIso(now - WEEK_MS) };
  };
  return {
    id: MAIN_STREAM_ID,
    initialRequest,
    recoveryRequest: (anchor, now) => {
      const anchorMs = anchor === undefined ? undefined : parseInstant(anchor);
      return anchorMs === undefined ? undefined : { since: clampedSince(anchorMs, now) };
    },
    // A restart of a running stream moves a start past Okta's 180 days forward rather than stopping the stream.
    restartRequest: (startedAt, now) => {
      const startedMs =
        (startedAt === undefined ? undefined : parseInstant(startedAt)) ??
        (startTime === undefined ? undefined : parseInstant(startTime)) ??
        now - WEEK_MS;
      return { since: withinLookback(startedMs, now) };
    },
    // Okta's advice for polling: follow `next` until a page is not full, then poll again later.
    isLastPage: (page, pageLimit) =>
      page.events.length < (page.limit ?? pageLimit) || page.next === undefined,
    select: (events) => events,
    fields: undefined,
    replay: undefined,
  };
}

/** A replay: a bounded query over [since, until), optionally filtered, marked in Sumo with `replay=<id>`. */
export function replayStream(window: ReplayWindow): StreamSpec {
  const sinceMs = Date.parse(window.since);
  const untilMs = Date.parse(window.until);
  const bounded = (since: string): PageRequest => ({
    since,
    until: window.until,
    ...(window.filter === undefined ? {} : { filter: window.filter }),
  });
  return {
    id: `replay#${window.id}`,
    initialRequest: () => bounded(window.since),
    // Inside the window or not at all: a `since` at or after `until` is a 400 on every invocation.
    recoveryRequest: (anchor, now) => {
      const anchorMs = anchor === undefined ? undefined : parseInstant(anchor);
      if (anchorMs === undefined) return undefined;
      const restartMs = Math.max(sinceMs, Date.parse(clampedSince(anchorMs, now)));
      return restartMs < untilMs ? bounded(toIso(restartMs)) : undefined;
    },
    restartRequest: () => bounded(window.since),
    // A bounded query's last page has no `next` link.
    isLastPage: (page) => page.next === undefined,
    // Exactly [since, until): guard against an Okta that includes `until`, or a recovery overlap.
    select: (events) =>
      events.filter((event) => {
        const published = event.published === undefined ? undefined : Date.parse(event.published);
        return (
          published === undefined || Number.isNaN(published) || (published >= sinceMs && published < untilMs)
        );
      }),
    fields: { replay: window.id },
    replay: window,
  };
}
