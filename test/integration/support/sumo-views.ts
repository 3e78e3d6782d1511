/** Views of what the Sumo receiver got, split by the `X-Sumo-*` headers of the request that carried each line. */
import { isDeepStrictEqual } from 'node:util';
import type { ReceivedLine, SumoBatch, SumoReceiver } from '../../../dev/sumo-receiver.js';

/** `X-Sumo-Fields: k=v,k=v` as a record (empty when absent). */
export function sumoFields(batch: SumoBatch): Record<string, string> {
  const header = batch.headers['x-sumo-fields'];
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const fields: Record<string, string> = {};
  for (const entry of text.split(',')) {
    const at = entry.indexOf('=');
    if (at > 0) fields[entry.slice(0, at).trim()] = entry.slice(at + 1).trim();
  }
  return fields;
}

/** Lines carried by requests marked `replay=<replayId>`. */
export function replayLines(sumo: SumoReceiver, replayId: string): ReceivedLine[] {
  return linesWhere(sumo, (batch) => sumoFields(batch).replay === replayId);
}

/** Lines carried by requests with no `replay` field: live collection. */
export function liveLines(sumo: SumoReceiver): ReceivedLine[] {
  return linesWhere(sumo, (batch) => sumoFields(batch).replay === undefined);
}

function linesWhere(sumo: SumoReceiver, keep: (batch: SumoBatch) => boolean): ReceivedLine[] {
  const kept = new Set(sumo.batches.filter(keep).map((batch) => batch.index));
  return sumo.lines.filter((line) => kept.has(line.batch));
}

/** A position in the receiver's history, to look at what arrived after it. */
export interface SumoMark {
  readonly batches: number;
  readonly lines: number;
}

export function markSumo(sumo: SumoReceiver): SumoMark {
  return { batches: sumo.batches.length, lines: sumo.lines.length };
}

export function batchesSince(sumo: SumoReceiver, mark: SumoMark): SumoBatch[] {
  return sumo.batches.slice(mark.batches);
}

export function linesSince(sumo: SumoReceiver, mark: SumoMark): ReceivedLine[] {
  return sumo.lines.slice(mark.lines);
}

/** How many times each uuid occurs in `lines`. */
export function countUuids(lines: readonly ReceivedLine[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines)
    if (line.uuid !== undefined) counts.set(line.uuid, (counts.get(line.uuid) ?? 0) + 1);
  return counts;
}

export interface LineComparison {
  /** Expected uuids not among the lines. */
  readonly missing: string[];
  /** Lines whose uuid was not expected (or that have none). */
  readonly unexpected: string[];
  /** uuids of lines whose JSON differs from the event Okta served. */
  readonly mismatched: string[];
  /** Lines beyond the first per uuid. */
  readonly duplicates: number;
}

/** Compares some of the received lines with the events they should be, exactly (deep-equal JSON). */
export function compareLines(
  lines: readonly ReceivedLine[],
  expected: Iterable<{ readonly uuid: string; readonly json: string }>,
): LineComparison {
  const byUuid = new Map<string, string>();
  for (const event of expected) byUuid.set(event.uuid, event.json);
  const seen = new Set<string>();
  const unexpected: string[] = [];
  const mismatched: string[] = [];
  let duplicates = 0;
  for (const line of lines) {
    const json = line.uuid === undefined ? undefined : byUuid.get(line.uuid);
    if (line.uuid === undefined || json === undefined) {
      unexpected.push(line.uuid ?? line.line.slice(0, 200));
      continue;
    }
    if (seen.has(line.uuid)) duplicates += 1;
    seen.add(line.uuid);
    if (!isDeepStrictEqual(JSON.parse(line.line), JSON.parse(json))) mismatched.push(line.uuid);
  }
  const missing = [...byUuid.keys()].filter((uuid) => !seen.has(uuid));
  return { missing, unexpected, mismatched, duplicates };
}
