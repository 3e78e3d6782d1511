import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { describe, expect, it } from 'vitest';
import { InvalidPropsError } from '../../lib/invalid-props-error.js';
import { OktaSumoCollector, type OktaSumoCollectorProps } from '../../lib/okta-sumo-collector.js';

const REQUIRED: OktaSumoCollectorProps = {
  oktaOrgUrl: 'https://acme.okta.com',
  sumoUrlParameterName: '/okta-sumo-collector/sumo-url',
};

/** A stack for one construct, without asset bundling (these tests are about props, not code). */
function newStack(): Stack {
  return new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');
}

describe('OktaSumoCollector props', () => {
  it.each([
    [{ oktaOrgUrl: 'acme.okta.com' }, /oktaOrgUrl "acme.okta.com" is not a URL/],
    [{ oktaOrgUrl: 'http://acme.okta.com' }, /oktaOrgUrl must use https:\/\//],
    [{ oktaOrgUrl: 'https://acme.okta.com/api/v1/logs' }, /origin only/],
    [
      { sumoUrlParameterName: 'okta/sumo-url' },
      /sumoUrlParameterName "okta\/sumo-url" is not an SSM parameter name/,
    ],
    [{ pageLimit: 1001 }, /pageLimit must be a whole number from 1 to 1000/],
    [{ rateLimitShare: 0 }, /rateLimitShare must be greater than 0/],
    [{ scheduleInterval: Duration.seconds(30) }, /scheduleInterval must be whole minutes from 1 to 60/],
    [{ startTime: '2026-01-31' }, /startTime must be an ISO-8601 instant/],
    [{ sumoFields: { team: 'a,b' } }, /sumoFields.team must be a non-empty value without "," or "="/],
  ] as const)('rejects %o at synth time', (override, message) => {
    // Prepare
    const stack = newStack();

    // Act
    let error: unknown;
    try {
      new OktaSumoCollector(stack, 'Collector', { ...REQUIRED, ...override });
    } catch (thrown) {
      error = thrown;
    }

    // Assess
    expect(error).toBeInstanceOf(InvalidPropsError);
    expect((error as Error).message).toMatch(message);
  });

  it('matches a secret imported by partial ARN with the suffix Secrets Manager adds, and nothing wider', () => {
    // Prepare
    const stack = newStack();
    const partialArn = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:okta/collector';
    const oktaSecret = secretsmanager.Secret.fromSecretPartialArn(stack, 'Secret', partialArn);

    // Act
    new OktaSumoCollector(stack, 'Collector', { ...REQUIRED, oktaSecret });

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'secretsmanager:GetSecretValue', Resource: `${partialArn}-??????` }),
        ]),
      },
    });
  });

  it('widens the lag alarm window when a run plus the wait for the next tick can be silent longer', () => {
    // Prepare
    const stack = newStack();

    // Act: a 60-minute schedule: one 15-minute run, then up to 60 minutes until the next
    const collector = new OktaSumoCollector(stack, 'Collector', {
      ...REQUIRED,
      scheduleInterval: Duration.hours(1),
    });

    // Assess: 75 minutes of normal silence span at most 7 whole 10-minute periods
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'LagSeconds',
      EvaluationPeriods: 8,
      DatapointsToAlarm: 8,
    });
    expect(collector.alarms).toHaveLength(3);
  });

  it('uses the given memory, timeout, retention, page limit and lag threshold', () => {
    // Prepare
    const stack = newStack();

    // Act
    new OktaSumoCollector(stack, 'Collector', {
      ...REQUIRED,
      memorySize: 512,
      timeout: Duration.minutes(5),
      logRetention: 90,
      pageLimit: 200,
      lagAlarmThreshold: Duration.minutes(20),
      sourceName: 'okta-prod',
      sourceHost: 'acme',
      startTime: '2026-01-31T00:00:00Z',
    });

    // Assess
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 512,
      Timeout: 300,
      Environment: {
        Variables: {
          OKTA_PAGE_LIMIT: '200',
          SUMO_SOURCE_NAME: 'okta-prod',
          SUMO_SOURCE_HOST: 'acme',
          OKTA_START_TIME: '2026-01-31T00:00:00Z',
        },
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'LagSeconds', Threshold: 1200 });
  });
});
