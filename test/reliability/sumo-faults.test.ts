/**
 * Sumo misbehaving, seen through the real handler and the local stack. For each fault: once it has cleared,
 * every event Okta produced is in Sumo exactly as Okta served it, the stored cursor never moved past a batch
 * Sumo had not answered 2xx for, duplicates appear only when Sumo kept data it did not acknowledge (at most one
 * page per such failure), and no secret (the Sumo URL is one) shows up in anything the handler returned,
 * threw or wrote.
 */
import { describe, expect, it } from 'vitest';
import { SUMO_URL_PARAMETER } from '../../dev/local-stack.js';
import type { SumoFault } from '../../dev/sumo-receiver.js';
import { expectNothingLostOrLeaked, joinRuns } from '../../dev/reliability/expectations.js';
import { PAGE_LIMIT, tickUntilCaughtUp } from '../../dev/reliability/scenario.js';
import { scenarioPerTest } from '../../dev/reliability/scenario-per-test.js';

const pass: SumoFault = { kind: 'pass' };
/** 4 full pages and a partial one; a page is one batch. */
const EVENTS = 4 * PAGE_LIMIT + 30;

const freshScenario = scenarioPerTest();

interface FaultCase {
  readonly name: string;
  /** Faults queued for the POSTs, in order (`pass` = accepted normally). */
  readonly faults: readonly SumoFault[];
}

/** Faults after which Sumo may hold data it never acknowledged: each may cause one page of duplicates. */
const ingesting = (faults: readonly SumoFault[]) =>
  faults.filter((f) => (f.kind === 'status' || f.kind === 'reset') && f.ingest === true).length;

const transientFaults: readonly FaultCase[] = [
  {
    name: '429 (throttled: Sumo drops the data, the client must re-send)',
    faults: [pass, { kind: 'status', status: 429 }, { kind: 'status', status: 429 }],
  },
  {
    name: '503 and 504',
    faults: [pass, pass, { kind: 'status', status: 503 }, { kind: 'status', status: 504 }],
  },
  { name: '500', faults: [{ kind: 'status', status: 500 }] },
  {
    name: '408 after partly ingesting the batch',
    faults: [pass, { kind: 'status', status: 408, ingest: true }],
  },
  { name: '408 without ingesting', faults: [pass, pass, { kind: 'status', status: 408 }] },
  { name: 'a connection reset before the answer', faults: [pass, { kind: 'reset' }, { kind: 'reset' }] },
  {
    name: 'a connection reset after ingesting the batch',
    faults: [pass, pass, pass, { kind: 'reset', ingest: true }],
  },
  { name: 'slow accepts', faults: [{ kind: 'slow', delayMs: 400 }, pass, { kind: 'slow', delayMs: 700 }] },
  { name: 'an answer that never comes (request timeout)', faults: [pass, { kind: 'hang' }] },
  {
    name: 'a mix of everything',
    faults: [
      { kind: 'status', status: 429 },
      pass,
      { kind: 'reset' },
      { kind: 'status', status: 408, ingest: true },
      { kind: 'slow', delayMs: 200 },
      { kind: 'status', status: 503 },
    ],
  },
];

describe('the handler under Sumo faults', () => {
  it.each(transientFaults)('delivers every event, unchanged, after $name', async ({ faults }) => {
    // Prepare
    const scenario = await freshScenario();
    const { okta, sumo } = scenario.stack;
    okta.produce(EVENTS);
    sumo.setFaults({ queue: faults });

    // Act
    const run = await tickUntilCaughtUp(scenario);

    // Assess
    expect(run.outcomes.every((o) => o.kind === 'returned')).toBe(true);
    expect(sumo.firedFaults.filter((f) => f.fault.kind !== 'pass')).toHaveLength(
      faults.filter((f) => f.kind !== 'pass').length,
    );
    await expectNothingLostOrLeaked(scenario, run, { maxDuplicates: PAGE_LIMIT * ingesting(faults) });
  });

  it('re-reads the URL from SSM after one 401 and goes on (a regenerated URL already in the parameter)', async () => {
    // Prepare: the source URL is regenerated mid-run and the new one put in SSM, as an operator would
    const scenario = await freshScenario();
    const { okta, sumo, aws } = scenario.stack;
    const oldUrl = sumo.url;
    okta.produce(EVENTS);
    await tickUntilCaughtUp(scenario, { maxTicks: 1 });
    const newUrl = sumo.regenerateUrl();
    aws.setParameter(SUMO_URL_PARAMETER, newUrl, 'SecureString');
    okta.produce(EVENTS);
    const readsBefore = aws.calls('GetParameter');

    // Act
    const run = await tickUntilCaughtUp(scenario);

    // Assess
    expect(run.outcomes.every((o) => o.kind === 'returned')).toBe(true);
    expect(sumo.counters.unauthorized).toBe(1);
    expect(aws.calls('GetParameter') - readsBefore).toBe(1);
    await expectNothingLostOrLeaked(scenario, run, {
      extraSecrets: [oldUrl, newUrl, newUrl.split('/').at(-1)!],
    });
  });
});

describe('Sumo answering 401 again after the URL was re-read', () => {
  it('is fatal with a message naming SUMO_URL_PARAMETER; the cursor stays at the last accepted page and nothing is lost', async () => {
    // Prepare: the third batch (and its retry with the re-read URL) is refused
    const scenario = await freshScenario();
    const { okta, sumo } = scenario.stack;
    okta.produce(EVENTS);
    sumo.setFaults({ queue: [pass, pass, { kind: 'status', status: 401 }, { kind: 'status', status: 401 }] });

    // Act
    const failed = await tickUntilCaughtUp(scenario, { maxTicks: 1 });
    const stored = await scenario.probe.read();
    const healed = await tickUntilCaughtUp(scenario);

    // Assess
    const outcome = failed.outcomes[0]!;
    expect(outcome.kind).toBe('threw');
    if (outcome.kind !== 'threw') return;
    expect((outcome.error as Error).name).toBe('SumoDeliveryError');
    expect((outcome.error as Error).message).toMatch(
      /Sumo Logic rejected the HTTP Source URL \(401\).*SUMO_URL_PARAMETER/,
    );
    expect(sumo.uuidCounts.size).toBe(EVENTS);
    expect(stored?.leaseOwner).toBeUndefined();
    await expectNothingLostOrLeaked(scenario, joinRuns(failed, healed));
  });
});
