/**
 * Bad input, through the handler and the local stack: wrong or revoked credentials, malformed secrets, missing
 * parameters, invalid configuration and invalid invocation payloads. Each time the handler rejects with a
 * message naming the problem, sends nothing and leaves the cursor where it was; once the problem is fixed the
 * next tick delivers everything, so nothing is lost. No secret (API token, private key, Sumo URL, a password in
 * a URL, the text of a malformed secret) appears in the error (message, stack, causes), the return value or
 * anything written to stdout or stderr.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TOKEN, OKTA_SECRET_ID, SUMO_URL_PARAMETER } from '../../dev/local-stack.js';
import { generateServiceAppKey } from '../../dev/okta-oauth-authority.js';
import { expectNothingLostOrLeaked, joinRuns } from '../../dev/reliability/expectations.js';
import type { InProcessOutcome } from '../../dev/reliability/in-process-handler.js';
import { leakedSecrets, secretsInPlay } from '../../dev/reliability/invariants.js';
import {
  readOktaSecret,
  startScenario,
  tickUntilCaughtUp,
  type Scenario,
  type TickRun,
} from '../../dev/reliability/scenario.js';

const DAY_MS = 86_400_000;

interface BadInput {
  /** What is wrong, as the test name says it. */
  readonly name: string;
  /** The handler's error message must match. */
  readonly message: RegExp;
  readonly errorName?: string;
  /** The invocation payload. @default {} */
  readonly event?: unknown;
  /** Lambda environment overrides for the failing cold start. */
  readonly env?: Readonly<Record<string, string>>;
  /** Breaks a stand-in (Secrets Manager, SSM, Okta) before the failing invocation. */
  readonly breakIt?: (s: Scenario) => void;
  /** Undoes it. */
  readonly fix?: (s: Scenario) => void;
  /** Values that must not appear anywhere, beyond the stack's own secrets. */
  readonly secrets?: readonly string[];
  /** Reads of the Okta secret and 401s from Okta the failing cold start may make (one refresh after a 401). */
  readonly secretReads?: number;
  readonly oktaUnauthorized?: number;
}

const asRun = (outcome: InProcessOutcome): TickRun => ({
  outcomes: [outcome],
  cursorViolations: [],
  output: outcome.output,
});

/**
 * Prepare: new events, then the bad input on a cold start. Act: one invocation. Assess: rejected with the
 * message, nothing sent, cursor unchanged, no secret anywhere; then, fixed, the next ticks deliver everything.
 */
async function expectRejectedThenHealed(s: Scenario, bad: BadInput): Promise<void> {
  // Prepare
  s.stack.okta.produce(60);
  const cursorBefore = (await s.probe.read())?.cursor?.next;
  const batchesBefore = s.stack.sumo.batches.length;
  await s.reload(bad.env ?? {});
  bad.breakIt?.(s);
  const secretReadsBefore = s.stack.aws.calls('GetSecretValue');
  const unauthorizedBefore = s.stack.okta.counters.unauthorized;

  // Act
  const outcome = await s.handler.invoke(bad.event ?? {});

  // Assess
  expect(outcome.kind).toBe('threw');
  if (outcome.kind !== 'threw') return;
  const error = outcome.error as Error;
  expect(error.message).toMatch(bad.message);
  if (bad.errorName) expect(error.name).toBe(bad.errorName);
  if (bad.secretReads !== undefined)
    expect(s.stack.aws.calls('GetSecretValue') - secretReadsBefore).toBe(bad.secretReads);
  if (bad.oktaUnauthorized !== undefined)
    expect(s.stack.okta.counters.unauthorized - unauthorizedBefore).toBe(bad.oktaUnauthorized);
  expect(s.stack.sumo.batches.length).toBe(batchesBefore);
  expect((await s.probe.read())?.cursor?.next).toBe(cursorBefore);
  expect(
    leakedSecrets(`${outcome.errorText}\n${outcome.output}`, secretsInPlay(s.stack, bad.secrets)),
  ).toEqual([]);

  // Act: fixed (the environment through a new deployment, i.e. a cold start; a stand-in in place)
  bad.fix?.(s);
  if (bad.env) await s.reload();
  const healed = await tickUntilCaughtUp(s);

  // Assess
  expect(healed.outcomes.map((o) => o.kind)).not.toContain('threw');
  await expectNothingLostOrLeaked(s, joinRuns(asRun(outcome), healed), { extraSecrets: bad.secrets ?? [] });
}

const PASSWORD = 'hunter2-correct-horse-battery';
const WRONG_TOKEN = '00-wrong-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const BARE_TOKEN = '00-bare-token-bbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const goodSecret = JSON.stringify({ apiToken: API_TOKEN });
const setSecret = (text: string) => (s: Scenario) => s.stack.aws.setSecret(OKTA_SECRET_ID, text);
const restoreSecret = setSecret(goodSecret);
const restoreSumoUrl = (s: Scenario) =>
  s.stack.aws.setParameter(SUMO_URL_PARAMETER, s.stack.sumo.url, 'SecureString');

const configProblems: readonly BadInput[] = [
  {
    name: 'a non-https org URL',
    env: { OKTA_ORG_URL: 'http://acme.okta.com' },
    message: /^OKTA_ORG_URL must use https:\/\/ \(plain http:\/\/ is only allowed to a loopback host\)$/,
    errorName: 'ConfigError',
  },
  {
    name: 'an org URL with a path',
    env: { OKTA_ORG_URL: 'https://acme.okta.com/api/v1' },
    message: /^OKTA_ORG_URL must be the org's origin only/,
    errorName: 'ConfigError',
  },
  {
    name: 'an org URL with user info',
    env: { OKTA_ORG_URL: `https://admin:${PASSWORD}@acme.okta.com` },
    message: /^OKTA_ORG_URL must not contain a user name or password$/,
    secrets: [PASSWORD],
  },
  {
    name: 'an org URL that is not a URL',
    env: { OKTA_ORG_URL: 'acme.okta.com' },
    message: /^OKTA_ORG_URL is not a URL/,
  },
  {
    name: 'a malformed SUMO_FIELDS (an entry without a value)',
    env: { SUMO_FIELDS: 'team=secops,env' },
    message: /^SUMO_FIELDS must be a list of key=value pairs/,
  },
  {
    name: 'a malformed SUMO_FIELDS (a bad field name)',
    env: { SUMO_FIELDS: 'team name=secops' },
    message: /^SUMO_FIELDS has an invalid field name "team name"/,
  },
  {
    name: 'OKTA_PAGE_LIMIT 0',
    env: { OKTA_PAGE_LIMIT: '0' },
    message: /^OKTA_PAGE_LIMIT must be a whole number from 1 to 1000, got 0$/,
  },
  {
    name: 'OKTA_PAGE_LIMIT 1001',
    env: { OKTA_PAGE_LIMIT: '1001' },
    message: /^OKTA_PAGE_LIMIT must be a whole number from 1 to 1000, got 1001$/,
  },
  {
    name: 'OKTA_PAGE_LIMIT abc',
    env: { OKTA_PAGE_LIMIT: 'abc' },
    message: /^OKTA_PAGE_LIMIT must be a whole number from 1 to 1000$/,
  },
  {
    name: 'OKTA_START_TIME that is not an instant',
    env: { OKTA_START_TIME: 'yesterday' },
    message: /^OKTA_START_TIME must be an ISO-8601 instant/,
  },
  {
    name: 'OKTA_START_TIME in the future',
    env: { OKTA_START_TIME: new Date(Date.now() + DAY_MS).toISOString() },
    message: /^OKTA_START_TIME is in the future$/,
  },
  {
    name: 'a missing CURSOR_TABLE_NAME',
    env: { CURSOR_TABLE_NAME: '' },
    message: /^CURSOR_TABLE_NAME is required but is not set$/,
  },
  {
    name: 'a cursor table that does not exist',
    env: { CURSOR_TABLE_NAME: 'no-such-table' },
    message:
      /^could not take the lease on stream "main" in table "no-such-table" \(CURSOR_TABLE_NAME\): the table was not found/,
    errorName: 'CursorStoreError',
  },
  {
    name: 'a category an HTTP header cannot carry',
    env: { SUMO_SOURCE_CATEGORY: 'okta\nX-Injected: 1' },
    message: /^SUMO_SOURCE_CATEGORY holds characters an HTTP header cannot carry/,
  },
];

const credentialProblems: readonly BadInput[] = [
  {
    name: 'a wrong API token (401 after one credential refresh)',
    breakIt: setSecret(JSON.stringify({ apiToken: WRONG_TOKEN })),
    fix: restoreSecret,
    message: /^Okta rejected the credential \(401 E0000011\): Invalid token provided: check the API token/,
    errorName: 'OktaApiError',
    secrets: [WRONG_TOKEN],
    secretReads: 2,
    oktaUnauthorized: 2,
  },
  {
    name: 'a missing Okta secret',
    breakIt: (s) => s.stack.aws.remove(OKTA_SECRET_ID),
    fix: restoreSecret,
    message: /^secret "okta-sumo-collector\/okta" \(OKTA_SECRET_ID\) was not found/,
    errorName: 'CredentialError',
  },
  {
    name: 'a secret that is not JSON',
    breakIt: setSecret(`{"apiToken": ${BARE_TOKEN}`),
    fix: restoreSecret,
    message: /\(OKTA_SECRET_ID\) is not JSON; expected/,
    secrets: [BARE_TOKEN],
  },
  {
    name: 'a bare token as the secret',
    breakIt: setSecret(BARE_TOKEN),
    fix: restoreSecret,
    message: /is not JSON \(it looks like a bare token: wrap it as \{"apiToken": "\.\.\."\}\)/,
    secrets: [BARE_TOKEN],
  },
  {
    name: 'a secret of the wrong shape',
    breakIt: setSecret(JSON.stringify({ token: BARE_TOKEN })),
    fix: restoreSecret,
    message: /has neither apiToken nor clientId and privateKey \(its keys are token\)/,
    secrets: [BARE_TOKEN],
  },
  {
    name: 'a token with its SSWS prefix',
    breakIt: setSecret(JSON.stringify({ apiToken: `SSWS ${BARE_TOKEN}` })),
    fix: restoreSecret,
    message: /apiToken must be the token alone, without "SSWS "/,
    secrets: [BARE_TOKEN],
  },
  {
    name: 'the placeholder REPLACE_ME',
    breakIt: setSecret('REPLACE_ME'),
    fix: restoreSecret,
    message: /still holds the placeholder REPLACE_ME/,
  },
  {
    name: 'the placeholder inside the JSON',
    breakIt: setSecret(JSON.stringify({ apiToken: 'REPLACE_ME' })),
    fix: restoreSecret,
    message: /still holds the placeholder REPLACE_ME/,
  },
  {
    name: 'a missing SSM parameter',
    breakIt: (s) => s.stack.aws.remove(SUMO_URL_PARAMETER),
    fix: restoreSumoUrl,
    message: /^parameter "\/okta-sumo-collector\/sumo-url" \(SUMO_URL_PARAMETER\) was not found/,
    errorName: 'CredentialError',
  },
  {
    name: 'a Sumo URL that is not a Sumo receiver',
    breakIt: (s) => s.stack.aws.setParameter(SUMO_URL_PARAMETER, 'https://example.com/foo', 'SecureString'),
    fix: restoreSumoUrl,
    message: /does not hold a Sumo HTTP Logs Source URL .*its host is not a Sumo Logic collection endpoint/,
    secrets: ['https://example.com/foo', 'example.com/foo'],
  },
  {
    name: 'a plain-http Sumo URL',
    breakIt: (s) =>
      s.stack.aws.setParameter(
        SUMO_URL_PARAMETER,
        'http://endpoint4.collection.sumologic.com/receiver/v1/http/ZaVnC4dhaV0qZNmBLkVPMtestonly',
        'SecureString',
      ),
    fix: restoreSumoUrl,
    message: /does not hold a Sumo HTTP Logs Source URL .*must use https:\/\//,
    secrets: ['ZaVnC4dhaV0qZNmBLkVPMtestonly'],
  },
];

const now = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();
const payloadProblems: readonly BadInput[] = [
  {
    name: 'an array as the payload',
    event: [],
    message: /^unrecognised invocation payload: send \{\}/,
    errorName: 'ReplayRequestError',
  },
  { name: 'a string as the payload', event: 'tick', message: /^unrecognised invocation payload/ },
  {
    name: 'an object with unknown keys',
    event: { collect: true },
    message: /^unrecognised invocation payload/,
  },
  {
    name: 'replay beside other keys',
    event: { replay: { since: iso(now - 2 * DAY_MS), until: iso(now - DAY_MS) }, dryRun: true },
    message: /^the replay payload must hold only "replay"/,
  },
  {
    name: 'a replay that is not an object',
    event: { replay: 'yesterday' },
    message: /^replay must be an object such as/,
  },
  {
    name: 'a replay without until',
    event: { replay: { since: iso(now - DAY_MS) } },
    message: /^replay\.until is required/,
  },
  {
    name: 'a replay whose since is not an instant',
    event: { replay: { since: '2026-13-45', until: iso(now - DAY_MS) } },
    message: /^replay\.since must be an ISO-8601 instant/,
  },
  {
    name: 'a replay whose since is not before until',
    event: { replay: { since: iso(now - DAY_MS), until: iso(now - 2 * DAY_MS) } },
    message: /^replay\.since must be before replay\.until$/,
  },
  {
    name: 'a replay ending less than a minute ago',
    event: { replay: { since: iso(now - DAY_MS), until: iso(now + 60_000) } },
    message: /^replay\.until must be at least 1 minute in the past/,
  },
  {
    name: 'a replay starting more than 180 days back',
    event: { replay: { since: iso(now - 200 * DAY_MS), until: iso(now - DAY_MS) } },
    message: /^replay\.since is more than 180 days ago/,
  },
  {
    name: 'a replay with an unknown key',
    event: { replay: { since: iso(now - 2 * DAY_MS), until: iso(now - DAY_MS), fliter: 'x' } },
    message: /^replay has unknown key\(s\) "fliter"; allowed: since, until, filter$/,
  },
];

describe('bad input through the handler (API token)', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await startScenario();
    s.stack.okta.produce(120);
    await tickUntilCaughtUp(s);
  });
  afterAll(async () => s?.stop());

  describe('invalid configuration', () => {
    it.each(configProblems)('rejects $name with a message naming it, and loses nothing', async (bad) => {
      await expectRejectedThenHealed(s, bad);
    });
  });

  describe('unusable credentials', () => {
    it.each(credentialProblems)('rejects $name with a message naming it, and loses nothing', async (bad) => {
      await expectRejectedThenHealed(s, bad);
    });
  });

  describe('invalid invocation payloads', () => {
    it.each(payloadProblems)('rejects $name with a message saying what is accepted', async (bad) => {
      await expectRejectedThenHealed(s, bad);
    });
  });

  it('gives up on a revoked API token after exactly one credential refresh, then resumes once the token is rotated', async () => {
    // Prepare: a warm collector; the admin who created the token leaves (Okta revokes it)
    const rotated = '00-rotated-token-cccccccccccccccccccccccccccc';
    s.stack.okta.produce(60);
    await s.reload();
    const warm = await tickUntilCaughtUp(s);
    s.stack.okta.produce(60);
    s.stack.okta.revokeApiToken(API_TOKEN);
    const secretReads = s.stack.aws.calls('GetSecretValue');
    const unauthorized = s.stack.okta.counters.unauthorized;
    const cursorBefore = (await s.probe.read())?.cursor?.next;

    // Act
    const failed = await s.handler.invoke({});

    // Assess
    expect(failed.kind).toBe('threw');
    expect(failed.kind === 'threw' && (failed.error as Error).message).toMatch(
      /^Okta rejected the credential \(401 E0000011\)/,
    );
    expect(s.stack.aws.calls('GetSecretValue') - secretReads).toBe(1);
    expect(s.stack.okta.counters.unauthorized - unauthorized).toBe(2);
    expect((await s.probe.read())?.cursor?.next).toBe(cursorBefore);

    // Act: a new token in Okta and in the secret; the same warm collector ticks again
    s.stack.okta.addApiToken(rotated);
    s.stack.aws.setSecret(OKTA_SECRET_ID, JSON.stringify({ apiToken: rotated }));
    const healed = await tickUntilCaughtUp(s);

    // Assess
    expect(healed.outcomes.map((o) => o.kind)).not.toContain('threw');
    await expectNothingLostOrLeaked(s, joinRuns(warm, asRun(failed), healed), { extraSecrets: [rotated] });
  });
});

describe('OKTA_START_TIME more than 180 days back, for a brand-new cursor', () => {
  it('is rejected before asking Okta, and a valid start time then delivers everything', async () => {
    const s = await startScenario({
      lambdaEnv: { OKTA_START_TIME: new Date(Date.now() - 200 * DAY_MS).toISOString() },
    });
    try {
      // Prepare
      s.stack.okta.produce(80);

      // Act
      const failed = await s.handler.invoke({});
      const logsRequests = s.stack.okta.counters.logsRequests;
      await s.reload({ OKTA_START_TIME: new Date(Date.now() - DAY_MS).toISOString() });
      const healed = await tickUntilCaughtUp(s);

      // Assess
      expect(failed.kind).toBe('threw');
      expect(failed.kind === 'threw' && (failed.error as Error).message).toMatch(
        /^OKTA_START_TIME is more than 180 days ago/,
      );
      expect(logsRequests).toBe(0);
      await expectNothingLostOrLeaked(s, joinRuns(asRun(failed), healed));
    } finally {
      await s.stop();
    }
  });
});

describe('bad input through the handler (OAuth 2.0 service app)', () => {
  let s: Scenario;
  let registeredSecret: string;
  beforeAll(async () => {
    s = await startScenario({ oauth: true });
    registeredSecret = await readOktaSecret(s);
    s.stack.okta.produce(120);
    await tickUntilCaughtUp(s);
  });
  afterAll(async () => s?.stop());

  it('rejects a private key Okta does not know, naming the problem without quoting the key, and loses nothing', async () => {
    const stranger = await generateServiceAppKey({ clientId: '0oa-local-collector', keyId: 'local-1' });
    await expectRejectedThenHealed(s, {
      name: 'an unregistered key',
      breakIt: setSecret(JSON.stringify(stranger.secret)),
      fix: setSecret(registeredSecret),
      message:
        /^Okta rejected the service app's client assertion \(401 invalid_client\): unknown client id, or the public key registered in Okta does not match/,
      errorName: 'CredentialError',
      secrets: pemLines(stranger.secret.privateKey),
    });
  });

  it('rejects a service app secret whose private key is not a key, without quoting it', async () => {
    const notAKey = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC-not-really-a-key-but-secret-looking';
    await expectRejectedThenHealed(s, {
      name: 'a broken private key',
      breakIt: setSecret(JSON.stringify({ clientId: '0oa-local-collector', privateKey: notAKey })),
      fix: setSecret(registeredSecret),
      message: /^secret "okta-sumo-collector\/okta" \(OKTA_SECRET_ID\): privateKey /,
      errorName: 'CredentialError',
      secrets: [notAKey],
    });
  });

  it('rejects a service app secret without clientId', async () => {
    const { privateKey } = JSON.parse(registeredSecret) as { privateKey: unknown };
    await expectRejectedThenHealed(s, {
      name: 'a missing clientId',
      breakIt: setSecret(JSON.stringify({ privateKey })),
      fix: setSecret(registeredSecret),
      message: /^secret "okta-sumo-collector\/okta" \(OKTA_SECRET_ID\): clientId is missing/,
      errorName: 'CredentialError',
    });
  });

  it('gets a new access token when Okta revokes the current one, and loses nothing', async () => {
    // Prepare
    s.stack.okta.produce(90);
    const tokensBefore = s.stack.authority!.counters.tokensIssued;
    s.stack.authority!.revokeAllTokens();

    // Act
    const run = await tickUntilCaughtUp(s);

    // Assess
    expect(run.outcomes.map((o) => o.kind)).not.toContain('threw');
    expect(s.stack.authority!.counters.tokensIssued).toBeGreaterThan(tokensBefore);
    await expectNothingLostOrLeaked(s, run);
  });
});

/** The base64 body lines of a PEM key: what would show up if key material leaked. */
function pemLines(key: unknown): string[] {
  const pem = typeof key === 'string' ? key : JSON.stringify(key);
  return pem.split('\n').filter((line) => line.length > 40);
}
