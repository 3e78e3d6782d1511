import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lambda/config.js';
import { ALL_SETTINGS } from '../../lambda/settings/catalog.js';
import { OktaSumoCollector, type OktaSumoCollectorProps } from '../../lib/okta-sumo-collector.js';

const REQUIRED: OktaSumoCollectorProps = {
  oktaOrgUrl: 'https://acme.okta.com',
  sumoUrlParameterName: '/okta-sumo-collector/sumo-url',
};
const START = new Date(Math.floor(Date.now() / 1000) * 1000 - 3 * 86_400_000).toISOString();

/**
 * A valid non-default value for every prop of the settings catalog, and the variable text it must become.
 * Props that are resources (`oktaSecret`) or required (`oktaOrgUrl`, `sumoUrlParameterName`) are covered by the
 * stack tests.
 */
const SAMPLES: Record<string, [value: unknown, envText: string]> = {
  startTime: [START, START],
  pageLimit: [200, '200'],
  rateLimitShare: [0.25, '0.25'],
  oktaRequestTimeoutMs: [45_000, '45000'],
  pollInterval: [Duration.seconds(20), '20'],
  catchUpSegments: [2, '2'],
  sourceCategory: ['security/okta', 'security/okta'],
  sourceName: ['okta-prod', 'okta-prod'],
  sourceHost: ['acme', 'acme'],
  sumoFields: [{ team: 'secops', env: 'prod' }, 'team=secops,env=prod'],
  sumoRequestTimeoutMs: [20_000, '20000'],
  sumoMaxInFlight: [2, '2'],
  healthCategory: ['okta/health', 'okta/health'],
  scheduleInterval: [Duration.minutes(5), '300'],
  replayRetentionDays: [7, '7'],
  credentialsTtlSeconds: [60, '60'],
  minPageTimeMs: [5000, '5000'],
  checkpointReserveMs: [2000, '2000'],
  leaseMarginMs: [20_000, '20000'],
};
const RESOURCE_PROPS = new Set(['oktaOrgUrl', 'oktaSecret', 'sumoUrlParameterName']);

function environmentOf(props: OktaSumoCollectorProps): Record<string, string> {
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');
  new OktaSumoCollector(stack, 'Collector', props);
  const functions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')) as {
    Properties: { Environment: { Variables: Record<string, unknown> } };
  }[];
  expect(functions).toHaveLength(1);
  return Object.fromEntries(
    Object.entries(functions[0]!.Properties.Environment.Variables).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : `resolved-${name}`,
    ]),
  );
}

describe('OktaSumoCollector settings props', () => {
  it('has a prop for every runtime setting of the catalog that the stack does not set itself', () => {
    // Prepare
    const props = ALL_SETTINGS.flatMap((spec) => (spec.prop ? [spec.prop] : []));

    // Act
    const untested = props.filter((prop) => !RESOURCE_PROPS.has(prop) && !(prop in SAMPLES));

    // Assess
    expect(untested).toEqual([]);
    expect(Object.keys(SAMPLES).sort()).toEqual(props.filter((prop) => !RESOURCE_PROPS.has(prop)).sort());
  });

  it('writes each prop into its variable as text the function parses back to the same value', () => {
    // Prepare
    const props = Object.fromEntries(Object.entries(SAMPLES).map(([prop, [value]]) => [prop, value]));

    // Act
    const env = environmentOf({ ...REQUIRED, ...props });

    // Assess
    for (const [prop, [, envText]] of Object.entries(SAMPLES)) {
      const spec = ALL_SETTINGS.find((setting) => setting.prop === prop)!;
      expect({ prop, value: env[spec.env] }).toEqual({ prop, value: envText });
    }
    const config = loadConfig(env);
    expect(config).toMatchObject({
      oktaPageLimit: 200,
      pollIntervalSeconds: 20,
      schedulePeriodSeconds: 300,
      sumoMaxInFlight: 2,
      healthCategory: 'okta/health',
      sumo: { fields: { team: 'secops', env: 'prod' }, host: 'acme' },
    });
  });

  it("sends the org's host as X-Sumo-Host unless sourceHost is set, and the schedule period", () => {
    // Act
    const env = environmentOf(REQUIRED);

    // Assess
    expect(env.SUMO_SOURCE_HOST).toBe('acme.okta.com');
    expect(env.SCHEDULE_PERIOD_SECONDS).toBe('60');
    expect(env.OKTA_POLL_INTERVAL_SECONDS).toBeUndefined();
  });
});
