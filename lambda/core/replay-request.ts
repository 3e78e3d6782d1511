/**
 * A replay request: `{"replay": {"since", "until", "filter"?}}`, validated before any Okta call, and the
 * replay id derived from it so the same request resumes the same replay.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ReplayRequestError } from './errors.js';
import type { ReplayWindow } from './ports.js';
import { OKTA_MAX_LOOKBACK_MS, OKTA_RETENTION_MS, parseInstant, toIso } from './instant.js';

const MINUTE_MS = 60_000;
/** Events can be persisted in Okta after they are published: do not close a window on the last minute. */
export const REPLAY_SETTLE_MS = MINUTE_MS;
/** Okta filter expressions are short; a bound keeps a typo'd paste from reaching Okta. */
export const MAX_FILTER_LENGTH = 1024;

const replaySchema = z
  .object({
    since: z.string({ error: 'replay.since is required (an ISO-8601 instant)' }),
    until: z.string({ error: 'replay.until is required (an ISO-8601 instant)' }),
    filter: z.string({ error: 'replay.filter must be a string' }).optional(),
  })
  .strict();

export interface ParsedReplay {
  readonly window: ReplayWindow;
  /** Non-fatal remarks (e.g. part of the window is past Okta's retention). */
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
        ? `replay has unknown key(s) ${issue.keys.map((key) => `"${key}"`).join(', ')}; allowed: since, until, filter`
        : issue?.code === 'invalid_type' && issue.path.length === 0
          ? 'replay must be an object such as {"since": "2026-01-01T00:00:00Z", "until": "2026-01-02T00:00:00Z"}'
          : (issue?.message ?? 'replay is invalid');
    throw new ReplayRequestError(message);
  }
  const since = instant(parsed.data.since, 'replay.since');
  const until = instant(parsed.data.until, 'replay.until');
  if (since >= until) throw new ReplayRequestError('replay.since must be before replay.until');
  if (until > now - REPLAY_SETTLE_MS) {
    throw new ReplayRequestError(
      'replay.until must be at least 1 minute in the past (Okta may still be persisting later events)',
    );
  }
  if (now - since > OKTA_MAX_LOOKBACK_MS) {
    throw new ReplayRequestError(
      'replay.since is more than 180 days ago, which Okta rejects (it keeps 90 days)',
    );
  }
  const filter = parsed.data.filter?.trim() || undefined;
  if (filter !== undefined && filter.length > MAX_FILTER_LENGTH) {
    throw new ReplayRequestError(`replay.filter is longer than ${MAX_FILTER_LENGTH} characters`);
  }
  const warnings =
    now - since > OKTA_RETENTION_MS
      ? ['replay.since is more than 90 days ago: Okta has no events that old']
      : [];
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
  const ms = parseInstant(value);
  if (ms === undefined)
    throw new ReplayRequestError(`${field} must be an ISO-8601 instant such as 2026-01-31T00:00:00Z`);
  return ms;
}
