/**
 * Opt-in low latency through the real handler: with OKTA_POLL_INTERVAL_SECONDS a caught-up tick keeps polling
 * the Okta simulator, delivers what arrives meanwhile, and writes nothing to DynamoDB when a poll is idle.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../dev/local-stack.js';
import { readCursorItem } from './support/cursor-table.js';
import { loadHandler, type HandlerUnderTest } from './support/handler-under-test.js';
import { captureOutput, type OutputCapture } from '../../dev/reliability/output-capture.js';

/**
 * With a 5 s interval and 21 s left: polls at about 5, 10 and 15 s fit (3 s page minimum + 1.5 s reserve after
 * the wait), leaving room for a slow first page; a fourth would not. The deadline, not the 60 s schedule, ends this tick, so the test is short.
 */
const REMAINING_MS = 21_000;

const logsRequests = (stack: LocalStack) => stack.okta.requests.filter((request) => request.kind === 'logs');

describe('the handler with OKTA_POLL_INTERVAL_SECONDS=5', () => {
  let stack: LocalStack;
  let lambda: HandlerUnderTest;
  let output: OutputCapture;

  beforeAll(async () => {
    stack = await startLocalStack({ env: { OKTA_POLL_INTERVAL_SECONDS: '5' } });
    output = captureOutput();
    lambda = await loadHandler(stack.env);
  });

  afterAll(async () => {
    output.stop();
    await stack.stop();
  });

  it('keeps polling after catching up, delivers events that arrive meanwhile, and an idle poll writes no cursor', async () => {
    // Prepare: a backlog for the tick itself, and events that become visible once its first request is answered.
    const backlog = stack.okta.produce(1500);
    const before = logsRequests(stack).length;
    let late: ReturnType<LocalStack['okta']['produce']> = [];
    const watcher = setInterval(() => {
      if (late.length === 0 && logsRequests(stack).length >= before + 2) late = stack.okta.produce(40);
    }, 50);

    // Act
    const summary = await lambda.tick(REMAINING_MS).finally(() => clearInterval(watcher));

    // Assess: everything delivered once, by one invocation that polled.
    expect(late).toHaveLength(40);
    expect(summary).toMatchObject({ stream: 'main', stopReason: 'caught-up', events: 1540 });
    expect(summary.polls).toBeGreaterThanOrEqual(2);
    const comparison = stack.sumo.compareWith([...backlog, ...late]);
    expect(comparison).toMatchObject({ ok: true, checked: 1540, duplicates: 0, missing: [] });
    // The last poll found nothing: the cursor was last written before it was sent.
    const requests = logsRequests(stack).slice(before);
    const lastPoll = requests.at(-1)!;
    expect(lastPoll.events).toBe(0);
    const item = await readCursorItem(stack, 'main');
    expect(Date.parse(item?.['savedAt']?.S ?? '')).toBeLessThan(lastPoll.time);
    // Polls are the tick's own requests after catching up: two pages (and maybe an early request), then one per poll.
    expect(requests.length).toBeGreaterThanOrEqual(2 + summary.polls!);
  });

  it('leaves the lease free when it returns, so the next tick collects', async () => {
    // Prepare
    const produced = stack.okta.produce(3);

    // Act
    const summary = await lambda.tick(5000);

    // Assess
    expect(summary).toMatchObject({ stopReason: 'caught-up', events: produced.length });
  });
});
