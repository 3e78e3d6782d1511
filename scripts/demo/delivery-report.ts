/**
 * Proof of delivery, from the stand-ins' own records rather than the collector's word: every event Okta holds
 * against every line Sumo received, byte-for-byte content included, plus the limits Okta and Sumo set.
 */
import type { OktaSimulator } from '../../dev/okta-simulator.js';
import type { SumoReceiver } from '../../dev/sumo-receiver.js';
import { MAX_BATCH_BYTES } from '../../lambda/core/batcher.js';
import { bytes, count, row } from './format.js';

export interface DeliveryReport {
  readonly ok: boolean;
  readonly lines: readonly string[];
  /** Why the demo failed, one reason per entry. */
  readonly problems: readonly string[];
}

export function reportDelivery(okta: OktaSimulator, sumo: SumoReceiver, category: string): DeliveryReport {
  const comparison = sumo.compareWith(okta.events);
  const accepted = sumo.batches.filter((b) => b.status === 200);
  // Sumo's limit is 1 MB before compression; the collector counts decimal megabytes, the stricter reading.
  const over = accepted.filter((b) => b.bytes > MAX_BATCH_BYTES);
  const oversizedBatches = over.filter((b) => b.lines > 1);
  const loneGiants = over.filter((b) => b.lines === 1);
  const largestShared = Math.max(0, ...accepted.filter((b) => b.lines > 1).map((b) => b.bytes));
  const wrongCategory = accepted.filter((b) => b.headers['x-sumo-category'] !== category).length;
  const compressed = accepted.reduce((sum, b) => sum + b.compressedBytes, 0);
  const uncompressed = accepted.reduce((sum, b) => sum + b.bytes, 0);

  const problems: string[] = [];
  const fail = (condition: boolean, problem: string): void => {
    if (condition) problems.push(problem);
  };
  const examples = (uuids: readonly string[]): string => ` (e.g. uuid ${uuids.slice(0, 3).join(', ')})`;
  fail(
    comparison.missing.length > 0,
    `${count(comparison.missing.length)} events never reached Sumo${examples(comparison.missing)}`,
  );
  fail(
    comparison.mismatched.length > 0,
    `${count(comparison.mismatched.length)} events arrived altered${examples(comparison.mismatched.map((m) => m.uuid))}`,
  );
  fail(
    comparison.unexpected.length > 0,
    `${count(comparison.unexpected.length)} lines Sumo got are not Okta events`,
  );
  fail(sumo.counters.invalidUtf8 > 0, `${count(sumo.counters.invalidUtf8)} requests were not valid UTF-8`);
  fail(
    oversizedBatches.length > 0,
    `${count(oversizedBatches.length)} requests with several events were over 1 MB`,
  );
  fail(wrongCategory > 0, `${count(wrongCategory)} requests lacked X-Sumo-Category: ${category}`);

  const lines = [
    row('events produced in Okta', count(okta.events.length)),
    row('distinct events received by Sumo', count(sumo.uuidCounts.size)),
    row('missing', count(comparison.missing.length)),
    row('content mismatches', `${count(comparison.mismatched.length)} (each line deep-equal to Okta's JSON)`),
    row('lines that are not Okta events', count(comparison.unexpected.length)),
    row('duplicates', `${count(comparison.duplicates)} (allowed: delivery is at-least-once)`),
    row(
      'Sumo requests',
      `${count(accepted.length)}, ${bytes(uncompressed)} sent as ${bytes(compressed)} gzip`,
    ),
    row(
      'requests over 1 MB uncompressed',
      `${count(oversizedBatches.length)} (largest with several events: ${count(largestShared)} bytes)`,
    ),
    row(
      'single events over 1 MB, sent alone',
      `${count(loneGiants.length)} ${loneGiants.map((b) => `(${bytes(b.bytes)})`).join(' ')} (Sumo allows)`,
    ),
    row('messages over 64 KB (Sumo splits)', count(sumo.counters.linesOver64KB)),
    row(
      `X-Sumo-Category: ${category}`,
      wrongCategory === 0 ? 'on every request' : `missing on ${count(wrongCategory)}`,
    ),
    row('most Sumo requests in flight', count(sumo.counters.maxInFlight)),
    row('429s from Okta', count(okta.counters.rateLimited)),
  ];
  return { ok: problems.length === 0, lines, problems };
}
