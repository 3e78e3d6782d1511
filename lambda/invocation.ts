/**
 * What the handler was asked to do: a scheduled tick (`{}` or an EventBridge event) or a replay
 * (`{"replay": {...}}`). Anything else is refused with a message saying what is accepted.
 */
import { ReplayRequestError } from './core/errors.js';

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
