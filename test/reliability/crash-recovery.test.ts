/**
 * The handler killed with SIGKILL at arbitrary points (a Lambda timeout, an out-of-memory kill, a host failure):
 * no `finally` runs, the lease is not released, a POST or a cursor write may be half done. The handler runs in
 * child processes against the shared local stack; after each kill the test checks what was left behind and
 * restarts as Lambda would. Promise: nothing lost, at most one page re-sent per crash, the cursor never ahead
 * of what Sumo accepted, and a dead invocation's lease lapses by itself no later than 30 s after its deadline.
 *
 * Nothing here depends on how fast the machine is: kill points are events (a batch reached Sumo, a cursor write
 * reached DynamoDB), the crashing invocations have ten minutes so none runs out of time before its kill point,
 * and a killed invocation's lease lapses because the lab moves the containers' clock past it (`advance-clock`),
 * not because the test slept long enough.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayId } from '../../lambda/core/replay-request.js';
import { startLocalStack, type LocalStack } from '../../dev/local-stack.js';
import {
  CrashLab,
  type CrashRecord,
  type KillPoint,
  type RestartKind,
} from '../../dev/reliability/crash-lab.js';
import { startDynamoGate, type DynamoGate } from '../../dev/reliability/dynamo-gate.js';
import { HandlerWorker } from '../../dev/reliability/handler-worker.js';
import {
  CursorProbe,
  CursorWatch,
  deliveryReport,
  leakedSecrets,
  secretsInPlay,
} from '../../dev/reliability/invariants.js';
import { dice, reliabilitySeed } from '../../dev/reliability/seed.js';
import { waitUntil } from '../../dev/reliability/wait.js';

const PAGE_LIMIT = 50;
const LEASE_MARGIN_MS = 5000;
/** Ample: every kill point is reached long before the deadline, however slow the machine. */
const REMAINING_MS = 600_000;
const EVENTS = 30 * PAGE_LIMIT;
const SEED = reliabilitySeed(20_261_126);

const crashEnv = {
  OKTA_PAGE_LIMIT: String(PAGE_LIMIT),
  LEASE_MARGIN_MS: String(LEASE_MARGIN_MS),
  MIN_PAGE_TIME_MS: '100',
  CHECKPOINT_RESERVE_MS: '300',
  OKTA_REQUEST_TIMEOUT_MS: '1500',
  SUMO_REQUEST_TIMEOUT_MS: '1500',
  POWERTOOLS_LOG_LEVEL: 'DEBUG',
};

/** The kill points, every kind at least once, with seeded random details. */
function crashPlan(seed: number): { point: KillPoint; restart: RestartKind }[] {
  const d = dice(seed);
  return [
    { point: { kind: 'at-commit', nth: d.int(1, 3), mode: 'hold-before-write' }, restart: 'same-request-id' },
    {
      point: { kind: 'at-commit', nth: d.int(1, 3), mode: 'hold-after-write' },
      restart: 'after-lease-expiry',
    },
    { point: { kind: 'on-batch', nth: d.int(1, 3) }, restart: 'same-request-id' },
    { point: { kind: 'in-hanging-post', nth: d.int(1, 3) }, restart: 'after-lease-expiry' },
    { point: { kind: 'after-delay', ms: d.int(0, 250) }, restart: 'same-request-id' },
    { point: { kind: 'after-delay', ms: 0 }, restart: 'same-request-id' },
    {
      point: { kind: 'at-commit', nth: d.int(1, 3), mode: 'hold-before-write' },
      restart: 'after-lease-expiry',
    },
    { point: { kind: 'on-batch', nth: d.int(1, 4) }, restart: 'same-request-id' },
  ];
}

describe(`a collector killed at random points (seed ${SEED})`, () => {
  let stack: LocalStack;
  let gate: DynamoGate;
  let probe: CursorProbe;
  let lab: CrashLab;
  let watch: CursorWatch;
  const records: CrashRecord[] = [];

  beforeAll(async () => {
    stack = await startLocalStack({ okta: { events: { unusualRate: 0.2 } } });
    gate = await startDynamoGate(stack.dynamo.endpoint);
    probe = new CursorProbe(stack);
    lab = new CrashLab({
      stack,
      gate,
      probe,
      env: { ...stack.env, ...crashEnv, AWS_ENDPOINT_URL_DYNAMODB: gate.endpoint },
      remainingMs: REMAINING_MS,
      leaseLapse: 'advance-clock',
    });
    stack.okta.produce(EVENTS);
    watch = new CursorWatch(probe);
    for (const { point, restart } of crashPlan(SEED)) records.push(await lab.crash(point, restart));
  }, 300_000); // eight crashes, each with a container cold start behind it

  afterAll(async () => {
    await lab?.stop();
    probe?.close();
    await gate?.stop();
    await stack?.stop();
  });

  it('was killed mid-run at every planned point (the test exercised what it claims)', () => {
    // Assess: the deterministic kill points are always reached; a delay may let the run end first only at 0 ms
    for (const record of records)
      if (record.point.kind !== 'after-delay')
        expect(record.crashed, JSON.stringify(record.point)).toBe(true);
    expect(records.filter((r) => r.crashed).length).toBeGreaterThanOrEqual(6);
  });

  it('never left the cursor ahead of what Sumo accepted, at any crash', () => {
    // Assess
    for (const record of records) expect(record.cursorViolations, JSON.stringify(record.point)).toEqual([]);
  });

  it("left each killed invocation's lease to lapse by itself at its deadline plus the margin (≤ 30 s)", () => {
    // Assess
    // (A run killed before it took the lease leaves the lease of the invocation it retried, which ends sooner.)
    const leased = records.filter((r) => r.crashed && r.leaseOwner === r.requestId);
    expect(leased.length).toBeGreaterThanOrEqual(5);
    for (const record of leased) {
      expect(record.leaseExpiresAt).toBeLessThanOrEqual(record.deadlineAt + LEASE_MARGIN_MS);
    }
    // Kills at a cursor write certainly came after the lease was taken: it is the killed run's own, and it
    // outlives the deadline (the handler reads its deadline a moment after the worker set it, so the lease can
    // end up to that moment before deadline + margin; the 5 s margin keeps that far from the deadline).
    const own = leased.filter((r) => r.point.kind === 'at-commit');
    expect(own.length).toBeGreaterThanOrEqual(2);
    for (const record of own) expect(record.leaseExpiresAt).toBeGreaterThan(record.deadlineAt);
  });

  it('made other invocations step aside (lease-held, nothing sent) until that lease lapsed', () => {
    // Assess
    const probed = records.filter((r) => r.whileLeaseHeld !== undefined);
    expect(probed.length).toBeGreaterThanOrEqual(2);
    for (const { whileLeaseHeld } of probed) {
      expect(whileLeaseHeld!.outcome.kind).toBe('returned');
      if (whileLeaseHeld!.outcome.kind === 'returned')
        expect((whileLeaseHeld!.outcome.value as { stopReason: string }).stopReason).toBe('lease-held');
      expect(whileLeaseHeld!.newBatches).toBe(0);
    }
  });

  it('then delivers every event, unchanged, with at most one page re-sent per crash', async () => {
    // Act: ticks with a normal deadline until caught up
    const outcomes = [];
    for (let tick = 0; tick < 6; tick++) {
      const outcome = await lab.tick(30_000);
      outcomes.push(outcome);
      const caughtUp =
        outcome.kind === 'returned' && (outcome.value as { stopReason: string }).stopReason === 'caught-up';
      if (caughtUp && stack.sumo.uuidCounts.size === EVENTS) break;
    }
    const { violations } = await watch.stop();

    // Assess
    expect(outcomes.map((o) => o.kind)).not.toContain('threw');
    const report = deliveryReport(stack);
    expect(report.missing).toEqual([]);
    expect(report.mismatched).toBe(0);
    expect(report.unexpected).toBe(0);
    const crashes = records.filter((r) => r.crashed).length;
    expect(report.duplicates).toBeLessThanOrEqual(PAGE_LIMIT * crashes);
    expect(violations).toEqual([]);
  });

  it('wrote no secret to stdout or stderr, dead or alive', async () => {
    // Prepare
    await lab.stop();

    // Assess
    const output = lab.output();
    expect(output).toContain('page delivered');
    expect(leakedSecrets(output, secretsInPlay(stack))).toEqual([]);
  });
});

describe('a replay killed mid-way', () => {
  it('resumes where it stopped when invoked again, and a scheduled tick finishes it after its lease lapsed', async () => {
    // Prepare: 12 pages of events published two hours ago; the replay covers them
    const stack = await startLocalStack({ okta: { events: { unusualRate: 0.2 } } });
    const gate = await startDynamoGate(stack.dynamo.endpoint);
    const probe = new CursorProbe(stack);
    const lab = new CrashLab({
      stack,
      gate,
      probe,
      env: { ...stack.env, ...crashEnv, AWS_ENDPOINT_URL_DYNAMODB: gate.endpoint },
      remainingMs: REMAINING_MS,
      leaseLapse: 'advance-clock',
    });
    try {
      const now = Date.now();
      const window = {
        since: new Date(now - 3 * 3_600_000).toISOString(),
        until: new Date(now - 3_600_000).toISOString(),
      };
      const old = stack.okta.produce(12 * PAGE_LIMIT, { publishedAt: (i) => now - 2 * 3_600_000 + i * 1000 });
      const stream = `replay#${replayId(window)}`;
      const request = { replay: window };

      // Act: killed after its third page was accepted (not checkpointed); the same request again (Lambda's
      // retry); killed again at its second cursor write (applied); then only scheduled ticks
      const first = await lab.crash(
        { kind: 'at-commit', nth: 3, mode: 'hold-before-write' },
        'same-request-id',
        request,
        stream,
      );
      const second = await lab.crash(
        { kind: 'at-commit', nth: 2, mode: 'hold-after-write' },
        'after-lease-expiry',
        request,
        stream,
      );
      const stored = await probe.read(stream);
      const tick = await lab.tick(30_000);

      // Assess
      expect([first.crashed, second.crashed]).toEqual([true, true]);
      expect([...first.cursorViolations, ...second.cursorViolations]).toEqual([]);
      expect(stored?.cursor?.done).toBe(false);
      expect(tick.kind).toBe('returned');
      const replays =
        tick.kind === 'returned'
          ? (tick.value as { replays: { stream: string; done: boolean }[] }).replays
          : [];
      expect(replays).toEqual([expect.objectContaining({ stream, done: true })]);
      const replayed = stack.sumo.lines.filter((l) =>
        String(stack.sumo.batches[l.batch]?.headers['x-sumo-fields'] ?? '').includes('replay='),
      );
      const counts = new Map<string, number>();
      for (const line of replayed) counts.set(line.uuid!, (counts.get(line.uuid!) ?? 0) + 1);
      expect(old.filter((e) => !counts.has(e.uuid))).toEqual([]);
      expect(replayed.length - counts.size).toBeLessThanOrEqual(2 * PAGE_LIMIT);
      expect(stack.sumo.compareWith(stack.okta.events)).toMatchObject({
        missing: [],
        mismatched: [],
        unexpected: [],
      });
    } finally {
      await lab.stop();
      probe.close();
      await gate.stop();
      await stack.stop();
    }
  });
});

describe('the lease of a killed invocation, with the default margin', () => {
  it('lapses no later than 30 s after its deadline; until then a new invocation steps aside and a retry of the same one resumes', async () => {
    // Prepare: a long Lambda deadline (15 min) and the default LEASE_MARGIN_MS
    const stack = await startLocalStack();
    const probe = new CursorProbe(stack);
    const workers = [0, 1, 2].map(
      () => new HandlerWorker({ ...stack.env, OKTA_PAGE_LIMIT: String(PAGE_LIMIT) }),
    );
    try {
      await Promise.all(workers.map((w) => w.ready));
      stack.okta.produce(10 * PAGE_LIMIT);
      stack.sumo.setFaults({ queue: [{ kind: 'pass' }, { kind: 'hang' }] });
      const killed = workers[0]!.invoke({}, { remainingMs: 900_000, requestId: 'req-killed' });
      const deadlineAt = await killed.started;
      await waitUntil(() => stack.sumo.batches.length === 2, 'the second batch hangs in Sumo');

      // Act
      await workers[0]!.kill();
      const item = await probe.read();
      const other = await workers[1]!.invoke({}, { remainingMs: 60_000, requestId: 'req-other' }).outcome;
      const batchesAfterOther = stack.sumo.batches.length;
      const retried = await workers[2]!.invoke({}, { remainingMs: 60_000, requestId: 'req-killed' }).outcome;

      // Assess
      expect(item?.leaseOwner).toBe('req-killed');
      expect(item?.leaseExpiresAt).toBeGreaterThan(deadlineAt);
      expect(item?.leaseExpiresAt).toBeLessThanOrEqual(deadlineAt + 30_000);
      expect(other.kind === 'returned' && (other.value as { stopReason: string }).stopReason).toBe(
        'lease-held',
      );
      expect(batchesAfterOther).toBe(2);
      expect(retried.kind === 'returned' && (retried.value as { stopReason: string }).stopReason).toBe(
        'caught-up',
      );
      const report = deliveryReport(stack);
      expect(report.missing).toEqual([]);
      expect(report.duplicates).toBe(0);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      probe.close();
      await stack.stop();
    }
  });
});
