/**
 * The opt-in health line (SUMO_HEALTH_CATEGORY) through the real handler and the local stand-ins: one JSON
 * line per invocation under its own category, with counts and error names only; a health POST that fails
 * changes nothing else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OKTA_SECRET_ID, startLocalStack, type LocalStack } from '../../dev/local-stack.js';
import type { SumoBatch } from '../../dev/sumo-receiver.js';
import { loadHandler } from './support/handler-under-test.js';
import { leakedSecrets } from '../../dev/reliability/invariants.js';
import { captureOutput, type OutputCapture } from '../../dev/reliability/output-capture.js';

const HEALTH = 'okta/collector-health';

function healthBatches(batches: readonly SumoBatch[]): SumoBatch[] {
  return batches.filter((batch) => batch.headers['x-sumo-category'] === HEALTH);
}

describe('the health line', () => {
  let stack: LocalStack;
  let output: OutputCapture;

  beforeAll(async () => {
    stack = await startLocalStack({ env: { SUMO_HEALTH_CATEGORY: HEALTH } });
    output = captureOutput();
  });

  afterAll(async () => {
    output.stop();
    await stack.stop();
  });

  it("sends each invocation's summary as one JSON line under its own category, without any event or secret", async () => {
    // Prepare
    const lambda = await loadHandler(stack.env);
    const produced = stack.okta.produce(120);
    const before = stack.sumo.batches.length;

    // Act
    const result = await lambda.tick();

    // Assess
    const sent = stack.sumo.batches.slice(before);
    const health = healthBatches(sent);
    expect(health).toHaveLength(1);
    expect(health[0]!.lines).toBe(1);
    expect(JSON.parse(health[0]!.body!)).toEqual({
      kind: 'okta-sumo-collector.health',
      time: expect.any(String) as unknown,
      org: new URL(stack.okta.orgUrl).host,
      outcome: 'ok',
      stream: 'main',
      stopReason: 'caught-up',
      events: produced.length,
      pages: result.pages,
      retries: 0,
      rateLimited: 0,
      recoveries: 0,
      lagSeconds: result.lagSeconds,
      newestPublished: result.newestPublished,
      errors: {},
      replays: 0,
    });
    expect(sent.filter((batch) => batch.headers['x-sumo-category'] === 'okta')).toHaveLength(sent.length - 1);
    expect(produced.some((event) => health[0]!.body!.includes(event.event.uuid as string))).toBe(false);
    expect(leakedSecrets(health[0]!.body!, stack.secrets)).toEqual([]);
  });

  it('logs a health POST that fails and still returns normally with the cursor moved', async () => {
    // Prepare: the events' batch passes, the health POST gets a 500.
    const lambda = await loadHandler(stack.env);
    stack.okta.produce(30);
    stack.sumo.pushFaults({ kind: 'pass' }, { kind: 'status', status: 500 });
    const mark = output.text().length;

    // Act
    const first = await lambda.tick();
    const second = await lambda.tick();

    // Assess
    expect(first).toMatchObject({ stopReason: 'caught-up', events: 30 });
    expect(second).toMatchObject({ stopReason: 'caught-up', events: 0 });
    expect(output.text().slice(mark)).toMatch(
      /"message":"health report not sent".*"error":"SumoDeliveryError"/,
    );
  });

  it('reports a failed invocation by error name, without its message or any secret', async () => {
    // Prepare: Okta rejects the credential.
    stack.aws.setSecret(
      OKTA_SECRET_ID,
      JSON.stringify({ apiToken: '00-not-the-right-token-0000000000000000' }),
    );
    const lambda = await loadHandler(stack.env);
    const before = stack.sumo.batches.length;

    // Act
    const act = lambda.tick();

    // Assess
    await expect(act).rejects.toThrow();
    const health = healthBatches(stack.sumo.batches.slice(before));
    expect(health).toHaveLength(1);
    const record = JSON.parse(health[0]!.body!) as { outcome: string; errors: Record<string, number> };
    expect(record.outcome).toBe('failed');
    expect(Object.keys(record.errors)).toEqual([expect.stringMatching(/^[A-Za-z]+Error$/)]);
    expect(health[0]!.body).not.toContain('00-not-the-right-token');
    expect(leakedSecrets(health[0]!.body!, stack.secrets)).toEqual([]);
  });

  it('sends nothing extra when SUMO_HEALTH_CATEGORY is not set', async () => {
    // Prepare
    const plain = await startLocalStack();
    try {
      const lambda = await loadHandler(plain.env);
      plain.okta.produce(10);

      // Act
      await lambda.tick();

      // Assess
      expect(plain.sumo.batches.length).toBeGreaterThan(0);
      expect(plain.sumo.batches.every((batch) => batch.headers['x-sumo-category'] === 'okta')).toBe(true);
    } finally {
      await plain.stop();
    }
  });
});
