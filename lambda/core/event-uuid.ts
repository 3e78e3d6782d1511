/** An event's `uuid`, read from its JSON, when it is safe to name in a log line or an object key. */
import type { OktaEvent } from './ports.js';

/** Okta's uuids are hex and dashes; anything else (a slash, a control character, a huge value) is not used. */
const SAFE_UUID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * The event's `uuid` field, or `undefined` when the line is not a JSON object or its `uuid` is missing or is
 * not a plain identifier. Only for the rare refused event: parsing a whole page this way would be wasteful.
 */
export function eventUuid(event: OktaEvent): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(event.json);
  } catch {
    return undefined;
  }
  const uuid = typeof value === 'object' && value !== null ? (value as { uuid?: unknown }).uuid : undefined;
  return typeof uuid === 'string' && SAFE_UUID.test(uuid) ? uuid : undefined;
}
