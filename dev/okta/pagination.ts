/**
 * `GET /api/v1/logs` queries and their pages, as Okta documents them (see /work/shared/FACTS.md):
 *
 * - Polling requests (no `until`, ascending) filter on Okta's internal *persistence* time, return events in
 *   persistence order (so a late-persisted event with an old `published` is still returned), and always carry
 *   a `next` link, even on an empty page.
 * - Bounded requests (`until` given) filter on `published` in [since, until), in `published` order; the last
 *   page has no `next` link. Events persisted after the query read past them are missing, as in Okta.
 *
 * The position is opaque in `after=` and signed, so a forged or stale one is refused like Okta does. Only
 * `sortOrder=ASCENDING` and no `q` (the collector sends neither otherwise): other values get a 400 naming it.
 */
import { createHmac } from 'node:crypto';
import type { EventLog } from './event-log.js';
import { partition } from './event-log.js';
import { compileOktaFilter } from './filter.js';
import { badRequest, OktaHttpError } from './okta-error.js';
import type { StoredOktaEvent } from './types.js';

export const LOGS_PATH = '/api/v1/logs';
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const DAY_MS = 86_400_000;
const DEFAULT_LOOKBACK_MS = 7 * DAY_MS;
const MAX_SINCE_AGE_MS = 180 * DAY_MS;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A position; `e` is the cursor epoch, so `invalidateCursors` makes every earlier one unknown. */
export type Cursor =
  /** Polling: next index in persistence order; `f` = the original `since` (persistence floor). */
  | { m: 'p'; s: number; f: number; e: number }
  /** Bounded: after the event (t = publishedMs, s = seq), within [a = since, u = until). */
  | { m: 'b'; t: number; s: number; a: number; u: number; e: number };

export interface Query {
  readonly limit: number;
  readonly matches: (event: StoredOktaEvent) => boolean;
  /** Where the request starts. */
  readonly cursor: Cursor;
}

export interface Page {
  readonly events: readonly StoredOktaEvent[];
  readonly next: Cursor | undefined;
  readonly query: 'polling' | 'bounded';
}

function parseInstant(name: string, value: string): number {
  const ms = ISO_INSTANT.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    const why =
      'The date format in your query is not recognized. Please enter dates using ISO8601 string format.';
    throw badRequest(`'${name}': ${why}`, [`${name}: ${why}`]);
  }
  return ms;
}

export class Pagination {
  private epoch = 0;

  public constructor(
    private readonly log: EventLog,
    /** Signs `after` values. */
    private readonly secret: string,
    /** Okta keeps 90 days: older `published` are not returned. */
    private readonly retentionMs: number,
  ) {}

  /** Every `after` issued so far becomes unknown (400). */
  public invalidate(): void {
    this.epoch += 1;
  }

  /** The same position, valid in the current epoch (an empty page that keeps the client where it was). */
  public renew(cursor: Cursor): Cursor {
    return { ...cursor, e: this.epoch };
  }

  /** Validates the request's parameters and finds where it starts: a fresh query, or the `after` cursor. */
  public parse(url: URL, at: number): Query {
    const params = url.searchParams;
    const limitText = params.get('limit');
    const limit = limitText === null ? DEFAULT_LIMIT : Number(limitText);
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT || limitText?.trim() === '') {
      throw badRequest(`'limit': must be an integer between 0 and ${MAX_LIMIT}.`);
    }
    if ((params.get('sortOrder') ?? 'ASCENDING').toUpperCase() !== 'ASCENDING')
      throw badRequest(`'sortOrder': the simulator supports only ASCENDING.`);
    if ((params.get('q') ?? '').trim() !== '')
      throw badRequest(`'q': the simulator does not support keywords.`);
    const filterText = params.get('filter');
    const predicate =
      filterText === null || filterText.trim() === '' ? undefined : compileOktaFilter(filterText);
    const oldest = at - this.retentionMs;
    const matches = (e: StoredOktaEvent): boolean =>
      e.publishedMs >= oldest && (predicate === undefined || predicate(e.event));

    const after = params.get('after');
    if (after !== null) return { limit, matches, cursor: this.decode(after) };
    const untilText = params.get('until');
    const sinceText = params.get('since');
    const until = untilText === null ? undefined : parseInstant('until', untilText);
    const since = sinceText === null ? (until ?? at) - DEFAULT_LOOKBACK_MS : parseInstant('since', sinceText);
    if (since < at - MAX_SINCE_AGE_MS) {
      throw new OktaHttpError(
        400,
        'E0000053',
        'Invalid parameter: The since parameter is over 180 days prior to the current day.',
      );
    }
    if (until !== undefined && since > until) throw badRequest(`'since': must be before 'until'.`);
    // Polling: `since` bounds Okta's persistence time, not `published`.
    const cursor: Cursor =
      until === undefined
        ? { m: 'p', s: partition(this.log.events, (e) => e.persistedAt < since), f: since, e: this.epoch }
        : { m: 'b', t: Number.MIN_SAFE_INTEGER, s: -1, a: since, u: until, e: this.epoch };
    return { limit, matches, cursor };
  }

  /** Reads one page from the query's cursor, seeing only what is visible at `at`. */
  public read({ limit, matches, cursor }: Query, at: number, visibilityDelayMs: number): Page {
    const end = this.log.visibleCount(at, visibilityDelayMs);
    const page: StoredOktaEvent[] = [];
    if (cursor.m === 'p') {
      let i = cursor.s;
      while (i < end && page.length < limit) {
        const e = this.log.events[i]!;
        i += 1;
        if (e.persistedAt >= cursor.f && matches(e)) page.push(e);
      }
      // Polling always has a next page: the position after what was scanned (the same one when nothing was).
      return { events: page, next: { ...cursor, s: i, e: this.epoch }, query: 'polling' };
    }
    const { t, s, a, u } = cursor;
    const sorted = this.log.byPublished();
    // Sorted by (published, seq): skip what is before `since` or at/before the cursor.
    const start = partition(
      sorted,
      (e) => e.publishedMs < a || e.publishedMs < t || (e.publishedMs === t && e.seq <= s),
    );
    let more = false;
    for (let i = start; i < sorted.length && sorted[i]!.publishedMs < u; i += 1) {
      const e = sorted[i]!;
      if (e.seq >= end || !matches(e)) continue;
      if (page.length === limit) {
        more = true;
        break;
      }
      page.push(e);
    }
    const last = page[page.length - 1];
    // Bounded queries end: the last page has no next link.
    const next: Cursor | undefined = more
      ? { m: 'b', t: last?.publishedMs ?? t, s: last?.seq ?? s, a, u, e: this.epoch }
      : undefined;
    return { events: page, next, query: 'bounded' };
  }

  /** The `next` link: the request's own parameters, the position in `after=`, on `origin`. */
  public link(url: URL, cursor: Cursor, origin: string): string {
    const link = new URL(LOGS_PATH, origin);
    for (const name of ['limit', 'sortOrder', 'filter']) {
      const value = url.searchParams.get(name);
      if (value !== null) link.searchParams.set(name, value);
    }
    if (cursor.m === 'b') {
      link.searchParams.set('since', new Date(cursor.a).toISOString());
      link.searchParams.set('until', new Date(cursor.u).toISOString());
    }
    link.searchParams.set('after', this.encode(cursor));
    return link.toString();
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url').slice(0, 16);
  }

  private encode(cursor: Cursor): string {
    const payload = Buffer.from(JSON.stringify(cursor)).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  private decode(after: string): Cursor {
    const [payload, mac] = after.split('.');
    const unknown = badRequest(`'after': The cursor is invalid or unknown.`);
    if (payload === undefined || mac === undefined || this.sign(payload) !== mac) throw unknown;
    let cursor: Cursor;
    try {
      cursor = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Cursor;
    } catch {
      throw unknown;
    }
    if (cursor.e !== this.epoch) throw unknown;
    return cursor;
  }
}
