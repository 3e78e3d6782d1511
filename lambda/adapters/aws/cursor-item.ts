/**
 * The layout of one cursor table item (one per stream) and how it is read back. Reading is defensive: the
 * item may have been edited by hand or written by another version, and a cursor is worth salvaging field by
 * field (a valid `lastPublished` still lets the core resume without a gap) rather than thrown away whole.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import type { Checkpoint, ReplayWindow, StoredCursor } from '../../core/ports.js';
import { QUOTE_LIMIT } from '../../core/bounded-quote.js';
import { DAY_MS, parseInstant } from '../../core/instant.js';
import { schemeProblem, tryParseUrl } from '../../core/url-policy.js';

/** Attribute names. Only `pk` is part of the table's schema; the rest are plain attributes. */
export const CURSOR_ATTRIBUTES = {
  /** Partition key (S): the stream id, `main` or `replay#<id>`. */
  pk: 'pk',
  next: 'next',
  lastPublished: 'lastPublished',
  savedAt: 'savedAt',
  /** (S) Where the stream started: the restart point when nothing delivered is known. */
  startedAt: 'startedAt',
  /**
   * (N, epoch seconds) The table's TTL attribute (`timeToLiveAttribute` in `lib/`): set on finished replays
   * only, and removed by every other commit, since DynamoDB deletes an item once it has passed.
   */
  expiresAt: 'expiresAt',
  /** (N) Incremented by every commit; a commit is conditional on the value it last saw. */
  version: 'version',
  leaseOwner: 'leaseOwner',
  /** (S) Unique per acquire: fences a lease holder that was taken over, even by the same owner. */
  leaseId: 'leaseId',
  /** (N) Epoch ms. */
  leaseExpiresAt: 'leaseExpiresAt',
  replayId: 'replayId',
  replaySince: 'replaySince',
  replayUntil: 'replayUntil',
  replayFilter: 'replayFilter',
  done: 'done',
  events: 'events',
  pages: 'pages',
} as const;

export type CursorItem = Record<string, AttributeValue>;

/** What an item says, once read. */
export interface ParsedCursorItem {
  /** Every valid cursor field; `undefined` when the item holds no cursor field at all (a brand-new stream). */
  readonly cursor: StoredCursor | undefined;
  /** Which cursor fields were invalid and left out of `cursor`; never quotes their values. */
  readonly corruption: string | undefined;
  /** The `version` attribute exactly as stored (the next commit's condition compares against it). */
  readonly version: AttributeValue | undefined;
  /** The version the next commit writes: one more than a valid stored version, else 1. */
  readonly nextVersion: number;
  /** Set when the stored `version` is not a whole number (the next commit replaces it). */
  readonly versionProblem: string | undefined;
  readonly leaseOwner: string | undefined;
  readonly leaseExpiresAt: number | undefined;
  /** Attributes this version does not know (names cut short; at most a few): ignored, left in place. */
  readonly unknownAttributes: readonly string[];
}

/** What `readCursor` finds in an item (tools and tests). */
export interface CursorItemView {
  readonly cursor: StoredCursor | undefined;
  readonly corruption: string | undefined;
  readonly version: number | undefined;
  readonly leaseOwner: string | undefined;
  readonly leaseExpiresAt: number | undefined;
}

/** Days a finished replay item is kept when not configured (`REPLAY_RETENTION_DAYS`). */
export const DEFAULT_FINISHED_REPLAY_RETENTION_DAYS = 30;
/** Unknown attribute names a warning lists at most. */
const MAX_UNKNOWN_NAMES = 5;

const A = CURSOR_ATTRIBUTES;
const KNOWN = new Set<string>(Object.values(A));
const CURSOR_FIELDS = [
  A.next,
  A.lastPublished,
  A.savedAt,
  A.startedAt,
  A.version,
  A.replayId,
  A.replaySince,
  A.replayUntil,
  A.replayFilter,
  A.done,
  A.events,
  A.pages,
];

const string = z.object({ S: z.string() }).transform((attribute) => attribute.S);
const count = z
  .object({ N: z.string() })
  .transform((attribute) => Number(attribute.N))
  .pipe(z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER));
const boolean = z.object({ BOOL: z.boolean() }).transform((attribute) => attribute.BOOL);
/** Read with the core's own rule, so whatever the store accepts the core can use. */
const instant = string.refine((value) => parseInstant(value) !== undefined);
/** A `next` link is only ever an Okta `/api/v1/logs` URL (checked for the org's origin when it is followed). */
const nextLink = string.refine((value) => {
  const url = tryParseUrl(value);
  return url !== undefined && schemeProblem(url) === undefined && url.pathname === '/api/v1/logs';
});

/** Reads an item; never throws. */
export function parseCursorItem(item: CursorItem): ParsedCursorItem {
  const problems: string[] = [];
  const field = <T>(name: string, schema: z.ZodType<T>, problem: string): T | undefined => {
    const attribute = item[name];
    if (attribute === undefined) return undefined;
    const parsed = schema.safeParse(attribute);
    if (parsed.success) return parsed.data;
    problems.push(`${name} ${problem}`);
    return undefined;
  };

  const next = field(A.next, nextLink, 'is not an Okta /api/v1/logs link');
  const lastPublished = field(A.lastPublished, instant, 'is not an ISO-8601 instant');
  const savedAt = field(A.savedAt, instant, 'is not an ISO-8601 instant');
  const startedAt = field(A.startedAt, instant, 'is not an ISO-8601 instant');
  const done = field(A.done, boolean, 'is not a boolean');
  const events = field(A.events, count, 'is not a whole number');
  const pages = field(A.pages, count, 'is not a whole number');
  const replay = replayWindow(item, problems);

  const version = item[A.version];
  const storedVersion = version === undefined ? undefined : count.safeParse(version);
  const hasCursor = CURSOR_FIELDS.some((name) => item[name] !== undefined);
  const cursor: StoredCursor | undefined = hasCursor
    ? {
        ...(next !== undefined && { next }),
        ...(lastPublished !== undefined && { lastPublished }),
        ...(savedAt !== undefined && { savedAt }),
        ...(startedAt !== undefined && { startedAt }),
        ...(replay !== undefined && { replay }),
        ...(done !== undefined && { done }),
        ...(events !== undefined && { events }),
        ...(pages !== undefined && { pages }),
      }
    : undefined;

  return {
    cursor,
    corruption: problems.length > 0 ? problems.join('; ') : undefined,
    version,
    nextVersion: storedVersion?.success ? storedVersion.data + 1 : 1,
    versionProblem: storedVersion?.success === false ? 'version is not a whole number' : undefined,
    leaseOwner: string.safeParse(item[A.leaseOwner]).data,
    leaseExpiresAt: count.safeParse(item[A.leaseExpiresAt]).data,
    unknownAttributes: Object.keys(item)
      .filter((name) => !KNOWN.has(name))
      .slice(0, MAX_UNKNOWN_NAMES)
      .map((name) =>
        name.length > QUOTE_LIMIT ? `${Array.from(name).slice(0, QUOTE_LIMIT).join('')}…` : name,
      ),
  };
}

export function itemView(parsed: ParsedCursorItem): CursorItemView {
  return {
    cursor: parsed.cursor,
    corruption: parsed.corruption,
    version:
      parsed.versionProblem === undefined && parsed.version !== undefined
        ? parsed.nextVersion - 1
        : undefined,
    leaseOwner: parsed.leaseOwner,
    leaseExpiresAt: parsed.leaseExpiresAt,
  };
}

/**
 * Every attribute a commit writes, `undefined` for those it removes: the checkpoint is the stream's whole
 * cursor, so an attribute it leaves out (or one that was unreadable) never survives the commit.
 * @param retentionDays how long a finished replay item is kept (its `expiresAt`, epoch seconds, counted from
 *   the checkpoint's `savedAt`).
 */
export function checkpointAttributes(
  checkpoint: Checkpoint,
  retentionDays: number,
): Record<string, AttributeValue | undefined> {
  const text = (value: string | undefined) => (value === undefined ? undefined : { S: value });
  const count = (value: number | undefined) => (value === undefined ? undefined : { N: String(value) });
  const finished = checkpoint.replay !== undefined && checkpoint.done === true;
  const expiresAt = Math.floor((Date.parse(checkpoint.savedAt) + retentionDays * DAY_MS) / 1000);
  return {
    [A.next]: text(checkpoint.next),
    [A.lastPublished]: text(checkpoint.lastPublished),
    [A.savedAt]: { S: checkpoint.savedAt },
    [A.startedAt]: text(checkpoint.startedAt),
    [A.replayId]: text(checkpoint.replay?.id),
    [A.replaySince]: text(checkpoint.replay?.since),
    [A.replayUntil]: text(checkpoint.replay?.until),
    [A.replayFilter]: text(checkpoint.replay?.filter),
    [A.done]: checkpoint.done === undefined ? undefined : { BOOL: checkpoint.done },
    [A.events]: count(checkpoint.events),
    [A.pages]: count(checkpoint.pages),
    [A.expiresAt]: finished && Number.isFinite(expiresAt) ? count(expiresAt) : undefined,
  };
}

/**
 * The replay window stored in an item: `undefined` when it has none, or when it is invalid (then a problem is
 * added: half a window cannot be resumed).
 */
export function replayWindow(item: CursorItem, problems: string[] = []): ReplayWindow | undefined {
  const parts = [A.replayId, A.replaySince, A.replayUntil, A.replayFilter];
  if (parts.every((name) => item[name] === undefined)) return undefined;
  const id = string.pipe(z.string().min(1)).safeParse(item[A.replayId]);
  const since = instant.safeParse(item[A.replaySince]);
  const until = instant.safeParse(item[A.replayUntil]);
  const filter = item[A.replayFilter] === undefined ? undefined : string.safeParse(item[A.replayFilter]);
  if (!id.success || !since.success || !until.success || filter?.success === false) {
    const bad: string[] = [];
    if (!id.success) bad.push(A.replayId);
    if (!since.success) bad.push(A.replaySince);
    if (!until.success) bad.push(A.replayUntil);
    if (filter?.success === false) bad.push(A.replayFilter);
    problems.push(`replay window is unusable (${bad.join(', ')} missing or invalid)`);
    return undefined;
  }
  if (Date.parse(since.data) >= Date.parse(until.data)) {
    problems.push(`replay window is unusable (${A.replaySince} is not before ${A.replayUntil})`);
    return undefined;
  }
  return {
    id: id.data,
    since: since.data,
    until: until.data,
    ...(filter?.data !== undefined && { filter: filter.data }),
  };
}
