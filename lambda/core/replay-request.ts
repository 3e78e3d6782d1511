/**
 * A replay request: `{"replay": {"since", "until", "filter"?}}`, validated before any Okta call, and the
 * replay id derived from it so the same request resumes the same replay. The replay command validates its
 * options with the same rules ({@link validateReplayWindow}) before it calls AWS.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { boundedQuote } from './bounded-quote.js';
import { ReplayRequestError } from './errors.js';
import type { ReplayWindow } from './ports.js';
import { OKTA_MAX_LOOKBACK_MS, OKTA_RETENTION_MS, readInstant, toIso } from './instant.js';

const MINUTE_MS = 60_000;
/** Events can be persisted in Okta after they are published: do not close a window on the last minute. */
export const REPLAY_SETTLE_MS = MINUTE_MS;
/**
 * A bounded query filters on `published` and never returns an event Okta persists after the query ran ("rare
 * but possible", Okta says, usually within minutes). A window ending this recently is accepted, with a warning.
 */
export const REPLAY_LATE_EVENTS_MS = 10 * MINUTE_MS;
/** Okta filter expressions are short; a bound keeps a typo'd paste from reaching Okta. */
export const MAX_FILTER_LENGTH = 1024;
/** Unknown keys named in an error at most (each cut by {@link boundedQuote}). */
const MAX_KEYS_QUOTED = 3;

const ALLOWED_KEYS = ['since', 'until', 'filter'] as const;

const replaySchema = z
  .object({
    since: z.string({ error: 'replay.since is required (an ISO-8601 instant)' }),
    until: z.string({ error: 'replay.until is required (an ISO-8601 instant)' }),
    filter: z.string({ error: 'replay.filter must be a string' }).optional(),
  })
  .strict();

/** The fields of a replay window as given (strings: ISO-8601 instants or epoch milliseconds). */
export interface ReplayFields {
  readonly since: string;
  readonly until: string;
  readonly filter?: string | undefined;
}

export type ReplayField = keyof ReplayFields;

export interface ParsedReplay {
  readonly window: ReplayWindow;
  /** Non-fatal remarks (part of the window past Okta's retention, a window that ends very recently). */
  readonly warnings: readonly string[];
}

/**
 * Validates the `replay` member of an invocation payload.
 * @throws ReplayRequestError naming the field and the problem.
 */
export function parseReplayRequest(input: unknown, now: number): ParsedReplay {
  const parsed = replaySchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const message =
      issue?.code === 'unrecognized_keys'
        ? `replay has unknown key(s) ${quotedKeys(issue.keys)}; allowed: ${ALLOWED_KEYS.join(', ')}`
        : issue?.code === 'invalid_type' && issue.path.length === 0
          ? 'replay must be an object such as {"since": "2026-01-01T00:00:00Z", "until": "2026-01-02T00:00:00Z"}'
          : (issue?.message ?? 'replay is invalid');
    throw new ReplayRequestError(message);
  }
  return validateReplayWindow(parsed.data, now);
}

/**
 * The rules of a replay window, shared by the function and the replay command: `since` and `until` ISO-8601
 * instants or 13-digit epoch milliseconds (real dates: no February 30), `since < until`, `until` at least 1
 * minute ago, `since` within Okta's 180 days, a filter of at most {@link MAX_FILTER_LENGTH} characters.
 * @param label how an error names a field (`replay.since` for the function, `--since` for the command).
 * @throws ReplayRequestError naming the field and the problem.
 */
export function validateReplayWindow(
  fields: ReplayFields,
  now: number,
  label: (field: ReplayField) => string = (field) => `replay.${field}`,
): ParsedReplay {
  const since = instant(fields.since, label('since'));
  const until = instant(fields.until, label('until'));
  if (since >= until) throw new ReplayRequestError(`${label('since')} must be before ${label('until')}`);
  if (until > now - REPLAY_SETTLE_MS) {
    throw new ReplayRequestError(
      `${label('until')} must be at least 1 minute in the past (Okta may still be persisting later events)`,
    );
  }
  if (now - since > OKTA_MAX_LOOKBACK_MS) {
    throw new ReplayRequestError(
      `${label('since')} is more than 180 days ago, which Okta rejects (it keeps 90 days)`,
    );
  }
  const filter = fields.filter?.trim() || undefined;
  if (filter !== undefined && filter.length > MAX_FILTER_LENGTH) {
    throw new ReplayRequestError(`${label('filter')} is longer than ${MAX_FILTER_LENGTH} characters`);
  }
  const warnings: string[] = [];
  if (now - since > OKTA_RETENTION_MS)
    warnings.push(`${label('since')} is more than 90 days ago: Okta has no events that old`);
  if (now - until < REPLAY_LATE_EVENTS_MS) {
    warnings.push(
      `${label('until')} is less than 10 minutes ago: Okta may still be persisting events of the window's last minutes, and a replay (a bounded query) does not see events persisted after it read them; replay those minutes again later if they matter`,
    );
  }
  const window = { since: toIso(since), until: toIso(until), filter };
  return { window: { id: replayId(window), ...window }, warnings };
}

/** A short, stable id for a window and filter (the same request always maps to the same replay). */
export function replayId(window: { since: string; until: string; filter?: string | undefined }): string {
  const digest = createHash('sha256')
    .update(`${window.since}|${window.until}|${window.filter ?? ''}`)
    .digest('hex');
  return `r-${digest.slice(0, 16)}`;
}

function instant(value: string, field: string): number {
  const reading = readInstant(value.trim(), { epochMs: true });
  if ('problem' in reading)
    throw new ReplayRequestError(`${field} ${reading.problem}, got ${boundedQuote(value)}`);
  return reading.ms;
}

function quotedKeys(keys: readonly string[]): string {
  const shown = keys.slice(0, MAX_KEYS_QUOTED).map((key) => boundedQuote(key));
  const more = keys.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}
