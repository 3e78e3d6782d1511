import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { ContextError, readAppSettings } from '../../lib/app-context.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const read = (context: Record<string, unknown>) => readAppSettings(new App({ context }).node);

describe('the CDK app context', () => {
  it('explains how to pass oktaOrgUrl when it is missing', () => {
    // Act
    const act = () => read({});

    // Assess
    expect(act).toThrow(ContextError);
    expect(act).toThrow('Missing context oktaOrgUrl: run cdk deploy -c oktaOrgUrl=https://acme.okta.com');
  });

  it.each([
    ['http://acme.okta.com', /must use https/],
    ['https://acme.okta.com/admin', /origin only/],
    ['acme', /is not a URL/],
  ])('rejects oktaOrgUrl %s', (oktaOrgUrl, message) => {
    // Act
    const act = () => read({ oktaOrgUrl });

    // Assess
    expect(act).toThrow(ContextError);
    expect(act).toThrow(message);
  });

  it('defaults the stack name and the Sumo URL parameter, and leaves the rest to the construct', () => {
    // Act
    const settings = read({ oktaOrgUrl: 'https://acme.okta.com' });

    // Assess
    expect(settings.stackName).toBe('OktaSumoCollector');
    expect(settings.stackProps.collector.sumoUrlParameterName).toBe('/okta-sumo-collector/sumo-url');
    expect(settings.stackProps.collector.rateLimitShare).toBeUndefined();
    expect(settings.stackProps.oktaSecretArn).toBeUndefined();
    expect(settings.stackProps.alarmEmail).toBeUndefined();
    expect(settings.stackProps.env).toBeUndefined();
  });

  it('reserves no concurrency with reservedConcurrency=none (accounts whose quota is still 10)', () => {
    // Act
    const settings = read({ oktaOrgUrl: 'https://acme.okta.com', reservedConcurrency: 'none' });

    // Assess
    expect(settings.stackProps.collector.reservedConcurrency).toBeNull();
  });

  it('reads numbers given as strings on the command line and k=v lists', () => {
    // Act
    const settings = read({
      oktaOrgUrl: 'https://acme.okta.com',
      rateLimitShare: '0.3',
      scheduleMinutes: '2',
      sumoFields: 'team=secops,env=prod',
      reservedConcurrency: '5',
    });

    // Assess
    expect(settings.stackProps.collector.reservedConcurrency).toBe(5);
    expect(settings.stackProps.collector.rateLimitShare).toBe(0.3);
    expect(settings.stackProps.collector.scheduleInterval?.toMinutes()).toBe(2);
    expect(settings.stackProps.collector.sumoFields).toEqual({ team: 'secops', env: 'prod' });
  });

  it.each([
    [{ scheduleMinutes: '0' }, /scheduleMinutes/],
    [{ rateLimitShare: 'half' }, /rateLimitShare "half": expected a number/],
    [{ alarmEmail: 'secops' }, /alarmEmail "secops"/],
    [{ oktaSecretArn: 'okta/collector' }, /oktaSecretArn: expected an ARN/],
    [{ sumoFields: 'team' }, /sumoFields: expected key=value pairs/],
    [{ stackName: 'okta sumo' }, /stackName "okta sumo"/],
    [{ reservedConcurrency: '0' }, /reservedConcurrency: a whole number of at least 1, or "none"/],
  ])('rejects %o with a message naming the key', (override, message) => {
    // Act
    const act = () => read({ oktaOrgUrl: 'https://acme.okta.com', ...override });

    // Assess
    expect(act).toThrow(ContextError);
    expect(act).toThrow(message);
  });

  it.each([
    [{}, 'Missing context oktaOrgUrl: run cdk deploy -c oktaOrgUrl=https://acme.okta.com'],
    [
      { oktaOrgUrl: 'https://acme.okta.com', rateLimitShare: '2' },
      'rateLimitShare must be a decimal number from 0.01 to 1, got "2"',
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
      timeout: 30_000,
    });

    // Assess
    expect(run.stderr.trim()).toBe(message);
    expect(run.status).toBe(1);
  });
});
