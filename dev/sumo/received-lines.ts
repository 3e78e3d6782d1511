/**
 * What reached "Sumo", line by line, and the checks tests and the demo run against it: which expected events
 * are missing, which arrived twice, and whether each line is the event Okta served.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ContentComparison, ReceivedLine, ServedEvent } from './types.js';

/** Lines as received, uuid counts, and waiters for a number of distinct events. */
export class ReceivedLines {
  /** Every line recorded (empty when lines are not kept). */
  public readonly lines: ReceivedLine[] = [];
  /** uuid → times received. */
  public readonly uuidCounts = new Map<string, number>();
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  public constructor(private readonly keepLines: boolean) {}

  /** Records one line of batch `batch`. Call {@link notify} once the batch is recorded. */
  public record(line: string, batch: number, uuid: string | undefined): void {
    if (uuid !== undefined) this.uuidCounts.set(uuid, (this.uuidCounts.get(uuid) ?? 0) + 1);
    if (this.keepLines) this.lines.push({ line, batch, uuid });
  }

  /** Wakes the waiters whose count of distinct events arrived. */
  public notify(): void {
    for (let i = this.waiters.length - 1; i >= 0; i -= 1) {
      const waiter = this.waiters[i]!;
      if (this.uuidCounts.size >= waiter.count) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  /** Expected uuids that never arrived, in the order given. */
  public missing(expectedUuids: Iterable<string>): string[] {
    const out: string[] = [];
    for (const uuid of expectedUuids) if (!this.uuidCounts.has(uuid)) out.push(uuid);
    return out;
  }

  /** uuids received more than once → count. */
  public duplicates(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [uuid, count] of this.uuidCounts) if (count > 1) out.set(uuid, count);
    return out;
  }

  /** Checks every received line against the events Okta served: deep-equal to the event with its uuid. */
  public compareWith(expected: Iterable<ServedEvent>): ContentComparison {
    const served = new Map<string, { json: string; parsed?: unknown }>();
    for (const e of expected) served.set(e.uuid, { json: e.json });
    const mismatched: { uuid: string; expected: string; received: string }[] = [];
    const unexpected: string[] = [];
    const seen = new Set<string>();
    let duplicates = 0;
    for (const { line } of this.lines) {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        unexpected.push(line.slice(0, 200));
        continue;
      }
      const uuid = (value as { uuid?: unknown } | null)?.uuid;
      const want = typeof uuid === 'string' ? served.get(uuid) : undefined;
      if (typeof uuid !== 'string' || want === undefined) {
        unexpected.push(line.slice(0, 200));
        continue;
      }
      if (seen.has(uuid)) duplicates += 1;
      seen.add(uuid);
      want.parsed ??= JSON.parse(want.json);
      if (!isDeepStrictEqual(value, want.parsed))
        mismatched.push({ uuid, expected: want.json, received: line });
    }
    const missing = [...served.keys()].filter((uuid) => !seen.has(uuid));
    return {
      ok: missing.length === 0 && mismatched.length === 0 && unexpected.length === 0,
      checked: this.lines.length,
      missing,
      mismatched,
      unexpected,
      duplicates,
    };
  }

  /** Resolves once `count` distinct uuids arrived; rejects after `timeoutMs`. */
  public waitForEvents(count: number, timeoutMs = 10_000): Promise<void> {
    if (this.uuidCounts.size >= count) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(`sumo receiver: ${this.uuidCounts.size} of ${count} events after ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = {
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }
}
