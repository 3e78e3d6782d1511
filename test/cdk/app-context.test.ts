import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { ContextError, readAppSettings } from '../../lib/app-context.js';
import { SETTING_CONTEXT_KEYS } from '../../lib/app-context-keys.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NOW = Date.parse('2026-06-01T00:00:00Z');
const ORG = { oktaOrgUrl: 'https://acme.okta.com' };

const read = (context: Record<string, unknown>) => readAppSettings(new App({ context }).node, NOW);
const collectorOf = (context: Record<string, unknown>) => read({ ...ORG, ...context }).stackProps.collector!;

const dir = mkdtempSync(join(tmpdir(), 'okta-sumo-orgs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
/** Writes an orgs file and returns its path. */
function orgsFile(content: unknown): string {
  const path = join(dir, `orgs-${++files}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('the CDK app context', () => {
  it('explains how to pass oktaOrgUrl when it is missing', () => {
    // Act
    const act = () => read({});

    // Assess
    expect(act).toThrow(ContextError);
    expect(act).toThrow('Missing context oktaOrgUrl: run cdk deploy -c oktaOrgUrl=https://acme.okta.com');
  });

  it.each([
    ['http://acme.okta.com', /oktaOrgUrl must use https/],
    ['https://acme.okta.com/admin', /oktaOrgUrl .*origin only/],
    ['acme', /oktaOrgUrl is not a URL/],
  ])('rejects oktaOrgUrl %s', (oktaOrgUrl, message) => {
    // Act
    const act = () => read({ oktaOrgUrl });

    // Assess
    expect(act).toThrow(ContextError);
    expect(act).toThrow(message);
  });

  it('defaults the stack name and the Sumo URL parameter, and leaves the rest to the construct', () => {
    // Act
    const settings = read(ORG);

    // Assess
    expect(settings.stackName).toBe('OktaSumoCollector');
    expect(settings.stackProps.collector?.sumoUrlParameterName).toBe('/okta-sumo-collector/sumo-url');
    expect(settings.stackProps.collector?.rateLimitShare).toBeUndefined();
    expect(settings.stackProps.oktaSecretArn).toBeUndefined();
    expect(settings.stackProps.alarmEmail).toBeUndefined();
    expect(settings.stackProps.orgs).toBeUndefined();
    expect(settings.stackProps.env).toBeUndefined();
  });

  it('reserves no concurrency with reservedConcurrency=none (accounts whose quota is still 10)', () => {
    // Act & Assess
    expect(collectorOf({ reservedConcurrency: 'none' }).reservedConcurrency).toBeNull();
  });

  it('reads numbers given as strings on the command line, k=v lists and durations', () => {
    // Act
    const collector = collectorOf({
      rateLimitShare: '0.3',
      scheduleMinutes: '2',
      pollInterval: '20',
      pageLimit: '500',
      sumoFields: 'team=secops,env=prod',
      reservedConcurrency: '5',
      startTime: '2026-05-01T00:00:00Z',
      undeliverableRetentionDays: '30',
      dashboard: 'false',
    });

    // Assess
    expect(collector.reservedConcurrency).toBe(5);
    expect(collector.rateLimitShare).toBe(0.3);
    expect(collector.pageLimit).toBe(500);
    expect(collector.scheduleInterval?.toMinutes()).toBe(2);
    expect(collector.pollInterval?.toSeconds()).toBe(20);
    expect(collector.sumoFields).toEqual({ team: 'secops', env: 'prod' });
    expect(collector.startTime).toBe('2026-05-01T00:00:00.000Z');
    expect(collector.undeliverableRetention?.toDays()).toBe(30);
    expect(collector.dashboard).toBe(false);
  });

  it.each([
    [{ scheduleMinutes: '0' }, /scheduleMinutes must be a whole number from 1 to 60/],
    [{ rateLimitShare: 'half' }, /rateLimitShare must be a decimal number from 0.01 to 1, got "half"/],
    [{ pageLimit: '0' }, /pageLimit must be a whole number from 1 to 1000, got 0/],
    [{ startTime: '2099-01-01T00:00:00Z' }, /startTime is in the future/],
    [{ startTime: '2025-01-01T00:00:00Z' }, /startTime is more than 180 days back/],
    [{ pollInterval: '4' }, /pollInterval must be a whole number from 5 to 55/],
    [{ sumoMaxInFlight: '9' }, /sumoMaxInFlight must be a whole number from 1 to 4/],
    [{ sourceCategory: 'a\u0007b' }, /sourceCategory holds characters an HTTP header cannot carry/],
    [{ alarmEmail: 'secops' }, /alarmEmail "secops"/],
    [{ oktaSecretArn: 'okta/collector' }, /oktaSecretArn must be an ARN/],
    [{ sumoFields: 'team' }, /sumoFields must be a list of key=value pairs/],
    [{ sumoUrlParameterName: 'a b' }, /sumoUrlParameterName "a b" is not an SSM parameter name/],
    [{ stackName: 'okta sumo' }, /stackName "okta sumo"/],
    [{ reservedConcurrency: '0' }, /reservedConcurrency must be a whole number of at least 1, or "none"/],
    [{ dashboard: 'no' }, /dashboard must be true or false/],
  ])('rejects %o with a message naming the key', (override, message) => {
    // Act
    const act = () => read({ ...ORG, ...override });

    // Assess
    expect(act).toThrow(ContextError);
    expect(act).toThrow(message);
  });

  it('has a context key for every runtime setting of the catalog that is not set by the stack', () => {
    // Assess
    expect(SETTING_CONTEXT_KEYS).toEqual(
      expect.arrayContaining([
        'pageLimit',
        'sumoMaxInFlight',
        'replayRetentionDays',
        'pollInterval',
        'healthCategory',
      ]),
    );
    for (const key of SETTING_CONTEXT_KEYS.filter((k) => !['oktaOrgUrl', 'oktaSecretArn'].includes(k))) {
      expect(() => read({ ...ORG, [key]: '\u0000 invalid' }), key).toThrow(new RegExp(`^${key} `));
    }
  });

  describe('unknown keys', () => {
    it('fail naming the key and the nearest valid one', () => {
      // Act
      const act = () => read({ ...ORG, pageLimt: '10' });

      // Assess
      expect(act).toThrow(ContextError);
      expect(act).toThrow(/^Unknown context key pageLimt: did you mean pageLimit\?/);
    });

    it('leave the keys of the CDK alone: feature flags, toolkit keys, the CLI own and cached lookups', () => {
      // Act
      const act = () =>
        read({
          ...ORG,
          '@aws-cdk/core:newStyleStackSynthesis': true,
          'aws:cdk:bundling-stacks': [],
          'aws-cdk:enableDiffNoFail': 'true',
          'cli-telemetry': false,
          'acknowledged-issue-numbers': [123],
          'availability-zones:account=111122223333:region=us-east-1': ['us-east-1a'],
        });

      // Assess
      expect(act).not.toThrow();
    });
  });

  describe('orgsFile', () => {
    it('gives one collector per org, with the command line values as every org default', () => {
      // Prepare
      const path = orgsFile([
        { oktaOrgUrl: 'https://acme.okta.com', sumoUrlParameterName: '/sumo/acme', pageLimit: 200 },
        {
          oktaOrgUrl: 'https://globex.okta.com',
          sumoUrlParameterName: '/sumo/globex',
          sumoFields: { env: 'prod' },
        },
      ]);

      // Act
      const settings = read({ orgsFile: path, sourceCategory: 'security/okta' });

      // Assess
      const orgs = settings.stackProps.orgs!;
      expect(settings.stackProps.collector).toBeUndefined();
      expect(orgs.map((org) => org.collector.oktaOrgUrl)).toEqual([
        'https://acme.okta.com',
        'https://globex.okta.com',
      ]);
      expect(orgs.map((org) => org.collector.pageLimit)).toEqual([200, undefined]);
      expect(orgs.map((org) => org.collector.sourceCategory)).toEqual(['security/okta', 'security/okta']);
      expect(orgs[1]!.collector.sumoFields).toEqual({ env: 'prod' });
    });

    it.each([
      [
        [{ oktaOrgUrl: 'https://acme.okta.com', pageLimt: 10 }],
        /^Unknown key pageLimt \(.*org 1\): did you mean pageLimit\?/,
      ],
      [[{ oktaOrgUrl: 'https://acme.okta.com' }, { pageLimit: 10 }], /^Missing oktaOrgUrl \(.*org 2\)/],
      [
        [{ oktaOrgUrl: 'https://acme.okta.com', startTime: '2099-01-01T00:00:00Z' }],
        /^startTime \(.*org 1\) is in the future/,
      ],
      [
        [{ oktaOrgUrl: 'https://acme.okta.com', stackName: 'x' }],
        /stackName \(.*org 1\) is a key of the whole app/,
      ],
      [[ORG, ORG], /lists the org acme.okta.com more than once/],
      [[], /must hold a non-empty JSON array of orgs/],
      ['[{"oktaOrgUrl": ', /is not JSON/],
    ])('refuses %j naming the org and the key', (content, message) => {
      // Act
      const act = () => read({ orgsFile: orgsFile(content) });

      // Assess
      expect(act).toThrow(ContextError);
      expect(act).toThrow(message);
    });

    it('refuses a single-org key beside it, and a file that does not exist', () => {
      // Act & Assess
      expect(() => read({ ...ORG, orgsFile: orgsFile([ORG]) })).toThrow(
        /oktaOrgUrl cannot be combined with orgsFile/,
      );
      expect(() => read({ orgsFile: join(dir, 'missing.json') })).toThrow(
        /orgsFile .*missing.json cannot be read \(ENOENT\)/,
      );
    });
  });

  it.each([
    [{}, 'Missing context oktaOrgUrl: run cdk deploy -c oktaOrgUrl=https://acme.okta.com'],
    [{ ...ORG, rateLimitShare: '2' }, 'rateLimitShare must be a decimal number from 0.01 to 1, got "2"'],
    [
      { ...ORG, pageLimt: '10' },
      'Unknown context key pageLimt: did you mean pageLimit? (the README lists every key)',
    ],
  ])('makes `cdk synth` with context %o print one line and exit 1, not a stack trace', (context, message) => {
    // Prepare: what the CDK CLI runs (cdk.json "app") and how it passes context
    const { CDK_OUTDIR: _outdir, ...inherited } = process.env;
    const env = { ...inherited, CDK_CONTEXT_JSON: JSON.stringify(context) };

    // Act
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'lib/app.ts'], {
      cwd: REPO_ROOT,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });

    // Assess
    expect(run.stderr.trim()).toBe(message);
    expect(run.status).toBe(1);
  });
});
