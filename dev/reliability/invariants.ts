/**
 * The promises of issue 3, checked against the stand-ins:
 *
 * - at-least-once: every event Okta produced reached Sumo, with content equal to what Okta served;
 * - duplicates bounded: at most one page per failure;
 * - the stored cursor is never ahead of what Sumo accepted (answered 2xx for);
 * - no secret in anything the collector returned, threw or wrote.
 *
 * "Ahead" is decided with the Okta simulator's own cursor format: its `after` is `<base64url JSON>.<mac>`,
 * where a polling cursor holds `s`, the next position in persistence order, and a bounded one holds the last
 * (published, seq) it returned. Every event before the stored position must be among the accepted ones.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoCursorStore, type CursorItemView } from '../../lambda/adapters/aws/dynamo-cursor-store.js';
import { CURSOR_TABLE_NAME, type LocalStack } from '../local-stack.js';
import type { StoredOktaEvent } from '../okta-simulator.js';
import type { SumoReceiver } from '../sumo-receiver.js';
import { localDynamoClient } from '../local-dynamodb.js';

type SimulatorCursor =
  | { readonly m: 'p'; readonly s: number; readonly f: number }
  | { readonly m: 'b'; readonly t: number; readonly s: number; readonly a: number; readonly u: number };

/** Reads the simulator's position out of a `next` link (test-side knowledge of the stand-in's format). */
export function decodeSimulatorCursor(next: string): SimulatorCursor {
  const after = new URL(next).searchParams.get('after');
  if (after === null) throw new Error('the stored next link has no after parameter');
  const payload = after.split('.')[0] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SimulatorCursor;
}

/** The events a cursor has moved past: each must have been accepted by Sumo before the cursor was written. */
export function eventsBefore(cursor: SimulatorCursor, events: readonly StoredOktaEvent[]): StoredOktaEvent[] {
  if (cursor.m === 'p') return events.filter((e) => e.seq < cursor.s && e.persistedAt >= cursor.f);
  return events.filter(
    (e) =>
      e.publishedMs >= cursor.a &&
      e.publishedMs < cursor.u &&
      (e.publishedMs < cursor.t || (e.publishedMs === cursor.t && e.seq <= cursor.s)),
  );
}

/** uuids in batches Sumo answered 2xx for (what the collector may consider delivered). */
export function acceptedUuids(sumo: SumoReceiver): Set<string> {
  const out = new Set<string>();
  for (const line of sumo.lines) {
    const status = sumo.batches[line.batch]?.status ?? 0;
    if (status >= 200 && status < 300 && line.uuid !== undefined) out.add(line.uuid);
  }
  return out;
}

/** Reads the cursor table of a local stack (no lease taken). */
export class CursorProbe {
  private readonly client: DynamoDBClient;
  private readonly store: DynamoCursorStore;

  public constructor(private readonly stack: LocalStack) {
    this.client = localDynamoClient(stack.dynamo.endpoint);
    this.store = new DynamoCursorStore({ client: this.client, tableName: CURSOR_TABLE_NAME });
  }

  public read(streamId = 'main'): Promise<CursorItemView | undefined> {
    return this.store.readCursor(streamId);
  }

  /**
   * uuids the stored cursor of `streamId` has moved past although Sumo never accepted them (must be empty).
   * The item is read first and Sumo's record checked after: Sumo's record only grows, so a violation found
   * is real.
   */
  public async unacceptedBehindCursor(streamId = 'main'): Promise<string[]> {
    const item = await this.read(streamId);
    const next = item?.cursor?.next;
    if (next === undefined) return [];
    const accepted = acceptedUuids(this.stack.sumo);
    return eventsBefore(decodeSimulatorCursor(next), this.stack.okta.events)
      .filter((e) => !accepted.has(e.uuid))
      .map((e) => e.uuid);
  }

  public close(): void {
    this.client.destroy();
  }
}

/**
 * Checks "cursor never ahead" over and over while something runs, so a cursor that is ahead only for a moment
 * (and later looks fine) is caught too.
 */
export class CursorWatch {
  private readonly violations: string[] = [];
  private checks = 0;
  private stopped = false;
  private readonly loop: Promise<void>;

  public constructor(
    private readonly probe: CursorProbe,
    private readonly streamId = 'main',
    private readonly everyMs = 25,
  ) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const found = await this.probe.unacceptedBehindCursor(this.streamId);
      this.checks += 1;
      for (const uuid of found) if (!this.violations.includes(uuid)) this.violations.push(uuid);
      await new Promise((resolve) => setTimeout(resolve, this.everyMs));
    }
  }

  /** Stops, runs one last check, and returns the uuids ever found behind the cursor without a 2xx. */
  public async stop(): Promise<{ violations: string[]; checks: number }> {
    this.stopped = true;
    await this.loop;
    const found = await this.probe.unacceptedBehindCursor(this.streamId);
    for (const uuid of found) if (!this.violations.includes(uuid)) this.violations.push(uuid);
    return { violations: this.violations, checks: this.checks + 1 };
  }
}

/** What arrived in Sumo compared with what Okta produced. */
export interface DeliveryReport {
  readonly produced: number;
  readonly missing: readonly string[];
  readonly mismatched: number;
  readonly unexpected: number;
  /** Lines beyond the first per uuid. */
  readonly duplicates: number;
}

export function deliveryReport(stack: LocalStack): DeliveryReport {
  const comparison = stack.sumo.compareWith(stack.okta.events);
  return {
    produced: stack.okta.events.length,
    missing: comparison.missing,
    mismatched: comparison.mismatched.length,
    unexpected: comparison.unexpected.length,
    duplicates: comparison.duplicates,
  };
}

/** Every secret in play: the stack's, plus every credential the collector actually sent to Okta. */
export function secretsInPlay(stack: LocalStack, extra: readonly string[] = []): string[] {
  const sent = new Set<string>();
  for (const request of stack.okta.requests) {
    for (const header of ['authorization', 'dpop'] as const) {
      const value = request.headers[header];
      if (typeof value !== 'string' || value === '') continue;
      const space = value.indexOf(' ');
      sent.add(space < 0 ? value : value.slice(space + 1));
    }
  }
  return [...new Set([...stack.secrets, ...sent, ...extra])].filter((secret) => secret.length >= 8);
}

/** The secrets found in `text` (shown shortened, so a failing assertion does not print them whole). */
export function leakedSecrets(text: string, secrets: readonly string[]): string[] {
  return secrets
    .filter((secret) => secret.length > 0 && text.includes(secret))
    .map((secret) => `${secret.slice(0, 6)}…(${secret.length} chars)`);
}
