/**
 * Crashes the real handler on purpose. The handler runs in child processes (warm containers, see
 * {@link HandlerWorker}) against a local stack whose DynamoDB sits behind a {@link DynamoGate}; each crash
 * invokes a tick and SIGKILLs the container at a chosen point, then checks what the crash left behind (the
 * cursor, the lease) and restarts the way Lambda would: a retry of the same invocation (same request id), or a
 * later invocation once the killed one's lease has lapsed. Plain Node (no vitest), so the soak script uses it too.
 */
import type { LocalStack } from '../local-stack.js';
import type { SumoFault } from '../sumo-receiver.js';
import type { DynamoGate, GateMode } from './dynamo-gate.js';
import { HandlerWorker, newRequestId, type InvocationOutcome } from './handler-worker.js';
import type { CursorProbe } from './invariants.js';
import { sleep, waitUntilOr } from './wait.js';

/** Where the container is killed, counted from the start of the invocation. */
export type KillPoint =
  /** After a delay (anywhere: lease, fetch, post, commit, release). */
  | { readonly kind: 'after-delay'; readonly ms: number }
  /** As soon as Sumo received the nth batch of this invocation (it may or may not have answered yet). */
  | { readonly kind: 'on-batch'; readonly nth: number }
  /** At the nth cursor write: before it reaches DynamoDB, or after it was applied but before the answer. */
  | { readonly kind: 'at-commit'; readonly nth: number; readonly mode: GateMode }
  /** While Sumo holds the nth POST without answering. */
  | { readonly kind: 'in-hanging-post'; readonly nth: number };

export type RestartKind = 'same-request-id' | 'after-lease-expiry';

export interface CrashRecord {
  readonly point: KillPoint;
  readonly restart: RestartKind;
  readonly requestId: string;
  /** The invocation was still running when killed (false: it ended before the kill point). */
  readonly crashed: boolean;
  /** How it ended when it was not killed. */
  readonly outcome: InvocationOutcome | undefined;
  /** The killed invocation's Lambda deadline (epoch ms). */
  readonly deadlineAt: number;
  readonly leaseOwner: string | undefined;
  readonly leaseExpiresAt: number | undefined;
  /** uuids behind the stored cursor without a 2xx from Sumo, right after the crash. */
  readonly cursorViolations: readonly string[];
  /** With `after-lease-expiry`: how an invocation with a new request id fared while the lease was still held. */
  readonly whileLeaseHeld: { readonly outcome: InvocationOutcome; readonly newBatches: number } | undefined;
}

export interface CrashLabOptions {
  readonly stack: LocalStack;
  readonly gate: DynamoGate;
  readonly probe: CursorProbe;
  /** The Lambda environment (its AWS_ENDPOINT_URL_DYNAMODB must be the gate). */
  readonly env: Readonly<Record<string, string>>;
  /** Lambda time left at the start of each crashing invocation. */
  readonly remainingMs: number;
  /**
   * How a restart `after-lease-expiry` gets past the killed invocation's lease. `wait`: sleep until it lapsed
   * (real time; keep `remainingMs` short). `advance-clock`: move the containers' clock past it at once, so
   * `remainingMs` can be long enough that no kill point depends on how fast the machine is (the stand-ins keep
   * real time, so leave it off when something there checks the collector's clock, such as OAuth assertions).
   * @default 'wait'
   */
  readonly leaseLapse?: 'wait' | 'advance-clock';
}

export class CrashLab {
  private warm: HandlerWorker | undefined;
  private spare: HandlerWorker | undefined;
  private nextRequestId: string | undefined;
  /** How far the containers' clock runs ahead of this process's (see {@link CrashLabOptions.leaseLapse}). */
  private clockOffsetMs = 0;
  private readonly outputs: string[] = [];
  public readonly records: CrashRecord[] = [];

  public constructor(private readonly options: CrashLabOptions) {}

  /**
   * Invokes the handler (a tick, or the given payload, e.g. a replay) and kills its container at `point`; then
   * prepares the restart.
   */
  public async crash(
    point: KillPoint,
    restart: RestartKind,
    event: unknown = {},
    streamId = 'main',
  ): Promise<CrashRecord> {
    const { stack, gate, probe } = this.options;
    const worker = await this.container();
    const requestId = this.nextRequestId ?? newRequestId('crash');
    this.nextRequestId = undefined;
    const batchesBase = stack.sumo.batches.length;
    const commitsBase = gate.commits;
    if (point.kind === 'in-hanging-post') {
      const passes: SumoFault[] = Array.from({ length: point.nth - 1 }, () => ({ kind: 'pass' }));
      stack.sumo.pushFaults(...passes, { kind: 'hang' });
    }
    const heldCommit =
      point.kind === 'at-commit' ? gate.holdCommit(commitsBase + point.nth, point.mode) : undefined;

    const invocation = worker.invoke(event, { remainingMs: this.options.remainingMs, requestId });
    const deadlineAt = await Promise.race([invocation.started, invocation.outcome.then(() => Number.NaN)]);
    const ended = invocation.outcome.then(() => undefined);
    let reached: boolean;
    switch (point.kind) {
      case 'after-delay':
        reached = await Promise.race([sleep(point.ms).then(() => true), ended.then(() => false)]);
        break;
      case 'on-batch':
      case 'in-hanging-post': {
        const nth = point.nth;
        reached = await waitUntilOr(() => stack.sumo.batches.length >= batchesBase + nth, ended);
        break;
      }
      case 'at-commit':
        reached = await Promise.race([heldCommit!.then(() => true), ended.then(() => false)]);
        if (!reached) gate.disarm();
        break;
    }
    let outcome: InvocationOutcome | undefined;
    if (reached) {
      await this.kill(worker);
    } else {
      outcome = await invocation.outcome;
    }

    const item = await probe.read(streamId);
    const cursorViolations = await probe.unacceptedBehindCursor(streamId);
    const leaseOwner = item?.leaseOwner;
    const leaseExpiresAt = item?.leaseExpiresAt;
    let whileLeaseHeld: CrashRecord['whileLeaseHeld'];
    if (restart === 'same-request-id') {
      // Lambda retries a failed invocation with the same request id: it may take its own lease back at once.
      this.nextRequestId = requestId;
    } else if (reached && leaseOwner === requestId && leaseExpiresAt !== undefined) {
      // A warm container first (its cold start must not eat the time the lease has left), then a new request.
      const other = await this.container();
      if (leaseExpiresAt > this.now() + 500) {
        const before = stack.sumo.batches.length;
        const outcome = await other.invoke(event, { remainingMs: this.options.remainingMs }).outcome;
        whileLeaseHeld = { outcome, newBatches: stack.sumo.batches.length - before };
      }
      if (this.options.leaseLapse === 'advance-clock') this.advanceClock(leaseExpiresAt + 21 - this.now());
      while (this.now() <= leaseExpiresAt + 20) await sleep(Math.min(200, leaseExpiresAt + 21 - this.now()));
    }
    const record: CrashRecord = {
      point,
      restart,
      requestId,
      crashed: reached,
      outcome,
      deadlineAt,
      leaseOwner,
      leaseExpiresAt,
      cursorViolations,
      whileLeaseHeld,
    };
    this.records.push(record);
    return record;
  }

  /** One tick (or the given payload) on a warm container, with the given Lambda time. */
  public async tick(remainingMs: number, event: unknown = {}): Promise<InvocationOutcome> {
    const requestId = this.nextRequestId ?? newRequestId('tick');
    this.nextRequestId = undefined;
    return (await this.container()).invoke(event, { remainingMs, requestId }).outcome;
  }

  /**
   * Two ticks at once in two containers (the warm one and the spare), with new request ids. Returns each
   * outcome with what that container wrote meanwhile (its log lines tell when it wrote cursors).
   */
  public async overlap(remainingMs: number): Promise<{ outcome: InvocationOutcome; output: string }[]> {
    const first = await this.container();
    this.spare ??= this.newWorker();
    await this.spare.ready;
    return Promise.all(
      [first, this.spare].map(async (worker) => {
        const before = worker.output().length;
        const outcome = await worker.invoke({}, { remainingMs }).outcome;
        return { outcome, output: worker.output().slice(before) };
      }),
    );
  }

  /** The containers' clock (epoch ms): this process's plus the offset the lab moved it by. */
  public now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** Everything every container wrote to stdout and stderr. */
  public output(): string {
    return [...this.outputs, this.warm?.output() ?? '', this.spare?.output() ?? ''].join('');
  }

  public async stop(): Promise<void> {
    for (const worker of [this.warm, this.spare]) {
      if (worker === undefined) continue;
      await worker.stop();
      this.outputs.push(worker.output());
    }
    this.warm = undefined;
    this.spare = undefined;
  }

  /** Moves every container's clock `ms` forward, from its next invocation on. */
  private advanceClock(ms: number): void {
    if (ms <= 0) return;
    this.clockOffsetMs += ms;
    for (const worker of [this.warm, this.spare]) if (worker) worker.clockOffsetMs = this.clockOffsetMs;
  }

  /** The warm container, or a new one (the spare, started ahead so its cold start overlaps the last run). */
  private async container(): Promise<HandlerWorker> {
    if (this.warm?.alive !== true) {
      this.warm = this.spare ?? this.newWorker();
      this.spare = this.newWorker();
    }
    await this.warm.ready;
    return this.warm;
  }

  private newWorker(): HandlerWorker {
    const worker = new HandlerWorker(this.options.env);
    worker.clockOffsetMs = this.clockOffsetMs;
    return worker;
  }

  private async kill(worker: HandlerWorker): Promise<void> {
    await worker.kill();
    this.outputs.push(worker.output());
    if (this.warm === worker) this.warm = undefined;
  }
}
