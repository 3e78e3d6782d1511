/**
 * Splits a page into Sumo request bodies: one event per line (the Sumo App for Okta parses `_raw` as one
 * event's JSON), each body at most 1 MB before compression as Sumo asks.
 */
import type { Batch, OktaEvent } from './ports.js';

/**
 * Sumo: "keep each request between 100 KB and 1 MB, never above 1 MB". We count decimal megabytes so the
 * body is under 1 MB whichever megabyte Sumo means.
 */
export const MAX_BATCH_BYTES = 1_000_000;

const NEWLINE = 0x0a;

/**
 * Packs events, in order, into as few bodies as fit. An event larger than `maxBytes` on its own still goes,
 * alone in its body (Sumo splits messages over 64 KB itself): its batch's `bytes` exceed `maxBytes`.
 * Each body is built with one copy of each event's bytes (no string is built for events that carry bytes).
 */
export function toBatches(events: readonly OktaEvent[], maxBytes: number = MAX_BATCH_BYTES): Batch[] {
  const batches: Batch[] = [];
  let items: OktaEvent[] = [];
  let parts: Uint8Array[] = [];
  let bytes = 0;
  const flush = (): void => {
    if (items.length === 0) return;
    batches.push({ body: joinLines(parts, bytes), events: items.length, bytes, items });
    items = [];
    parts = [];
    bytes = 0;
  };
  for (const event of events) {
    const eventBytes = event.bytes ?? Buffer.from(event.json, 'utf8');
    // The newline before an event is counted only when the event joins a body that already has one.
    let added = items.length === 0 ? eventBytes.length : eventBytes.length + 1;
    if (items.length > 0 && bytes + added > maxBytes) {
      flush();
      added = eventBytes.length;
    }
    bytes += added;
    items.push(event);
    parts.push(eventBytes);
  }
  flush();
  return batches;
}

/** The parts joined by newlines into one buffer of `size` bytes. */
function joinLines(parts: readonly Uint8Array[], size: number): Buffer {
  const body = Buffer.allocUnsafe(size);
  let at = 0;
  for (const part of parts) {
    if (at > 0) body[at++] = NEWLINE;
    body.set(part, at);
    at += part.length;
  }
  return body;
}
