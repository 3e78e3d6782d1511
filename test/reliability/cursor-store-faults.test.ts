/**
 * DynamoDB misbehaving under the cursor writes, seen through the real handler. A proxy in front of the local
 * DynamoDB (support/dynamo-gate.ts) fails commits or loses their answers; the rest of the stack is healthy.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startDynamoGate, type DynamoGate } from '../../dev/reliability/dynamo-gate.js';
import { expectNothingLostOrLeaked, joinRuns } from '../../dev/reliability/expectations.js';
import {
  PAGE_LIMIT,
  startScenario,
  tickUntilCaughtUp,
  type Scenario,
} from '../../dev/reliability/scenario.js';

const EVENTS = 4 * PAGE_LIMIT + 30;

let scenario: Scenario | undefined;
let gate: DynamoGate | undefined;
afterEach(async () => {
  await gate?.stop();
  await scenario?.stop();
  gate = undefined;
  scenario = undefined;
});

/** A scenario whose collector reaches DynamoDB through the gate. */
async function startGated(): Promise<{ s: Scenario; gate: DynamoGate }> {
  scenario = await startScenario();
  gate = await startDynamoGate(scenario.stack.dynamo.endpoint);
  await scenario.reload({
    AWS_ENDPOINT_URL_DYNAMODB: gate.endpoint,
    LEASE_MARGIN_MS: '500',
    MIN_PAGE_TIME_MS: '100',
    CHECKPOINT_RESERVE_MS: '300',
  });
  return { s: scenario, gate };
}

describe('a cursor write DynamoDB keeps failing (past the SDK retries)', () => {
  it('fails the tick with a message naming the table, after Sumo accepted the page; the next tick re-sends at most that page', async () => {
    // Prepare: the second page's cursor write fails, and so do the SDK's retries of it
    const { s, gate } = await startGated();
    s.stack.okta.produce(EVENTS);
    gate.failCommits(20, 2);

    // Act
    const failed = await tickUntilCaughtUp(s, { maxTicks: 1 });
    gate.failCommits(0);
    const healed = await tickUntilCaughtUp(s);

    // Assess
    const outcome = failed.outcomes[0]!;
    expect(outcome.kind).toBe('threw');
    expect(outcome.kind === 'threw' && (outcome.error as Error).message).toMatch(
      /^could not write the cursor of stream "main" in table "okta-sumo-collector-cursors" \(CURSOR_TABLE_NAME\): DynamoDB answered InternalServerError$/,
    );
    expect(healed.outcomes.map((o) => o.kind)).not.toContain('threw');
    await expectNothingLostOrLeaked(s, joinRuns(failed, healed), { maxDuplicates: PAGE_LIMIT });
  });
});

describe('a cursor write whose answer is lost (applied, then the connection breaks; the SDK retries the same write)', () => {
  // The retried conditional write finds the version it itself wrote and fails its condition. Reported as a lost
  // lease, the run would stop early and keep its lease, so the next ticks would step aside until it lapsed (the
  // Lambda deadline plus the margin: up to ~15 minutes with a 15-minute timeout).
  it('neither stops the run nor leaves the lease held', async () => {
    // Prepare
    const { s, gate } = await startGated();
    s.stack.okta.produce(EVENTS);
    const lost = gate.holdCommit(2, 'reset-after-write');

    // Act
    const first = await s.handler.invoke({}, { requestId: 'tick-1' });
    await lost;
    const item = await s.probe.read();
    const second = await s.handler.invoke({}, { requestId: 'tick-2' });

    // Assess
    expect(first.kind === 'returned' && (first.value as { stopReason: string }).stopReason).toBe('caught-up');
    expect(item?.leaseOwner).toBeUndefined();
    expect(second.kind === 'returned' && (second.value as { stopReason: string }).stopReason).not.toBe(
      'lease-held',
    );
    await expectNothingLostOrLeaked(
      s,
      joinRuns({ outcomes: [first, second], cursorViolations: [], output: first.output + second.output }),
    );
  });

  it('loses nothing and sends nothing twice, even so', async () => {
    // Prepare
    const { s, gate } = await startGated();
    s.stack.okta.produce(EVENTS);
    const lost = gate.holdCommit(2, 'reset-after-write');

    // Act: ticks until every event is in Sumo (waiting out the stranded lease if there is one)
    const first = await s.handler.invoke({}, { requestId: 'tick-1' });
    await lost;
    const item = await s.probe.read();
    if (item?.leaseExpiresAt !== undefined)
      while (Date.now() <= item.leaseExpiresAt) await new Promise((r) => setTimeout(r, 100));
    const healed = await tickUntilCaughtUp(s);

    // Assess
    await expectNothingLostOrLeaked(
      s,
      joinRuns({ outcomes: [first], cursorViolations: [], output: first.output }, healed),
    );
  });
});
