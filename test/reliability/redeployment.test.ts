/**
 * Changes between deployments (a new environment is a new cold start) while a cursor is stored: the collector
 * resumes from the stored `next` link, loses nothing, and keeps collecting at full speed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { API_TOKEN, OKTA_SECRET_ID } from '../../dev/local-stack.js';
import { expectNothingLostOrLeaked, joinRuns } from '../../dev/reliability/expectations.js';
import {
  readOktaSecret,
  startScenario,
  summaryOf,
  tickUntilCaughtUp,
  type Scenario,
} from '../../dev/reliability/scenario.js';

let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.stop();
  scenario = undefined;
});

describe('OKTA_PAGE_LIMIT changed between deployments', () => {
  // Okta's next links carry the `limit` of the request that started the query, so after the limit is raised
  // the stored link keeps asking for the old, smaller pages. A full old-size page then has fewer events than
  // the new limit and is taken for "caught up": each tick delivers one page and stops, and an org producing
  // more than that per tick falls further behind on every tick.
  it('after it is raised, one tick with ample time still catches up with everything waiting', async () => {
    // Prepare: a cursor stored with 20-event pages, then 500 events waiting
    scenario = await startScenario({ lambdaEnv: { OKTA_PAGE_LIMIT: '20' } });
    const s = scenario;
    s.stack.okta.produce(300);
    const before = await tickUntilCaughtUp(s);
    s.stack.okta.produce(500);
    await s.reload({ OKTA_PAGE_LIMIT: '100' });

    // Act
    const tick = await s.handler.invoke({});

    // Assess
    expect(summaryOf(tick)).toMatchObject({ stopReason: 'caught-up', events: 500 });
    await expectNothingLostOrLeaked(
      s,
      joinRuns(before, { outcomes: [tick], cursorViolations: [], output: tick.output }),
    );
  });

  it('after it is lowered, one tick with ample time still catches up with everything waiting', async () => {
    // Prepare
    scenario = await startScenario({ lambdaEnv: { OKTA_PAGE_LIMIT: '100' } });
    const s = scenario;
    s.stack.okta.produce(300);
    const before = await tickUntilCaughtUp(s);
    s.stack.okta.produce(500);
    await s.reload({ OKTA_PAGE_LIMIT: '20' });

    // Act
    const tick = await s.handler.invoke({});

    // Assess
    expect(summaryOf(tick)).toMatchObject({ stopReason: 'caught-up', events: 500 });
    await expectNothingLostOrLeaked(
      s,
      joinRuns(before, { outcomes: [tick], cursorViolations: [], output: tick.output }),
    );
  });
});

describe('the Okta secret switched from an API token to an OAuth service app', () => {
  it('resumes from the stored cursor with the new credential and loses nothing', async () => {
    // Prepare: an OAuth org that also still accepts the old API token; the cursor was stored with the token
    scenario = await startScenario({ oauth: true });
    const s = scenario;
    const serviceApp = await readOktaSecret(s);
    s.stack.okta.addApiToken(API_TOKEN);
    s.stack.aws.setSecret(OKTA_SECRET_ID, JSON.stringify({ apiToken: API_TOKEN }));
    s.stack.okta.produce(130);
    const before = await tickUntilCaughtUp(s);
    s.stack.okta.produce(170);
    s.stack.aws.setSecret(OKTA_SECRET_ID, serviceApp);
    s.stack.okta.revokeApiToken(API_TOKEN);

    // Act
    const after = await tickUntilCaughtUp(s);

    // Assess
    expect(after.outcomes.map((o) => o.kind)).not.toContain('threw');
    expect(s.stack.authority!.counters.tokensIssued).toBeGreaterThan(0);
    await expectNothingLostOrLeaked(s, joinRuns(before, after), { extraSecrets: [API_TOKEN] });
  });
});
