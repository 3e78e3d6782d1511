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

const NEWLINE_BYTES = 1;

/**
 * Packs events, in order, into as few bodies as fit. An event larger than `maxBytes` on its own still goes,
 * alone in its body (Sumo splits messages over 64 KB itself); the caller is told through `oversized`.
 */
export function toBatches(events: readonly OktaEvent[], maxBytes: number = MAX_BATCH_BYTES): Batch[] {
  const batches: Batch[] = [];
  let lines: string[] = [];
  let bytes = 0;
  const flush = (): void => {
    if (lines.length === 0) return;
    batches.push({ body: lines.join('\n'), events: lines.length, bytes });
    lines = [];
    bytes = 0;
  };
  for (const event of events) {
    const eventBytes = Buffer.byteLength(event.json, 'utf8');
    const added = lines.length === 0 ? eventBytes : eventBytes + NEWLINE_BYTES;
    if (lines.length > 0 && bytes + added > maxBytes) flush();
    bytes += lines.length === 0 ? eventBytes : eventBytes + NEWLINE_BYTES;
    lines.push(event.json);
  }
  flush();
  return batches;
}

/** Batches holding a single event that is larger than the limit. */
export function oversized(batches: readonly Batch[], maxBytes: number = MAX_BATCH_BYTES): Batch[] {
  return batches.filter((batch) => batch.bytes > maxBytes);
}
