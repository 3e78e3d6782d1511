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

/** A start time Okta accepts whenever the test runs: 10 days ago, to the second. */
const START_TIME = new Date(Math.floor(Date.now() / 1000) * 1000 - 10 * 86_400_000).toISOString();

/** A stack for one construct, without asset bundling (these tests are about props, not code). */
function newStack(): Stack {
  return new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');
}

describe('OktaSumoCollector props', () => {
  it.each([
    [
      { oktaOrgUrl: 'acme.okta.com' },
      /oktaOrgUrl is not a URL \(e.g. https:\/\/acme.okta.com\), got "acme.okta.com"/,
    ],
    [{ oktaOrgUrl: 'http://acme.okta.com' }, /oktaOrgUrl must use https:\/\//],
    [{ oktaOrgUrl: 'https://acme.okta.com/api/v1/logs' }, /origin only/],
    [
      { sumoUrlParameterName: 'okta/sumo-url' },
      /sumoUrlParameterName "okta\/sumo-url" is not an SSM parameter name/,
    ],
    [{ pageLimit: 1001 }, /pageLimit must be a whole number from 1 to 1000, got 1001/],
    [{ rateLimitShare: 0 }, /rateLimitShare must be a decimal number from 0.01 to 1/],
    [{ scheduleInterval: Duration.seconds(30) }, /scheduleInterval must be whole minutes from 1 to 60/],
    [{ startTime: '2026-01-31' }, /startTime must be an ISO-8601 instant/],
    [{ startTime: '2099-01-01T00:00:00Z' }, /startTime is in the future/],
    [{ startTime: '2001-01-01T00:00:00Z' }, /startTime is more than 180 days back/],
    [{ sumoFields: { team: 'a,b' } }, /sumoFields field team must have a non-empty value without "," or "="/],
    [{ sumoFields: { _sourceHost: 'x' } }, /sumoFields has the reserved field name "_sourceHost"/],
    [{ sourceCategory: 'sécurité' }, /sourceCategory holds characters an HTTP header cannot carry/],
    [{ sumoMaxInFlight: 5 }, /sumoMaxInFlight must be a whole number from 1 to 4, got 5/],
    [{ pollInterval: Duration.seconds(60) }, /pollInterval must be a whole number from 5 to 55, got 60/],
    [{ pollInterval: Duration.millis(5500) }, /pollInterval must be whole seconds/],
    [{ leaseMarginMs: 30_001 }, /leaseMarginMs must be a whole number from 0 to 30000/],
    [{ errorsAlarmThreshold: 0 }, /errorsAlarmThreshold must be a whole number of at least 1, got 0/],
    [{ noProgressAlarmPeriods: 1.5 }, /noProgressAlarmPeriods must be a whole number of at least 1/],
    [
      { pollInterval: Duration.seconds(20), timeout: Duration.seconds(60) },
      /timeout must be at least 90 seconds with pollInterval set \(the schedule interval, 1 minute, plus 30 seconds\), got 1 minute/,
    ],
    [
      {
        pollInterval: Duration.seconds(20),
        scheduleInterval: Duration.minutes(5),
        timeout: Duration.minutes(5),
      },
      /timeout must be at least 330 seconds/,
    ],
    [{ undeliverableRetention: Duration.hours(36) }, /undeliverableRetention must be whole days, at least 1/],
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
    expect(collector.alarms.length).toBeGreaterThanOrEqual(3);
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
      startTime: START_TIME,
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
          OKTA_START_TIME: START_TIME,
        },
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'LagSeconds', Threshold: 1200 });
  });
});

describe('OktaSumoCollector composition', () => {
  it('keeps the logical ids of the table, secret, log group and function, so an upgrade keeps the cursor and the credential', () => {
    // Prepare: the ids these resources had when the construct was one file
    const stack = newStack();

    // Act
    new OktaSumoCollector(stack, 'Collector', REQUIRED);

    // Assess
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>;
    expect(resources.CollectorCursorTableDCD40C16?.Type).toBe('AWS::DynamoDB::Table');
    expect(resources.CollectorOktaSecretFEAA8743?.Type).toBe('AWS::SecretsManager::Secret');
    expect(resources.CollectorLogGroup421B380A?.Type).toBe('AWS::Logs::LogGroup');
    expect(resources.CollectorFunctionE9933A71?.Type).toBe('AWS::Lambda::Function');
  });

  it('polls with a timeout that covers the schedule interval plus the margin, and keeps events as long as asked', () => {
    // Prepare
    const stack = newStack();

    // Act
    const collector = new OktaSumoCollector(stack, 'Collector', {
      ...REQUIRED,
      pollInterval: Duration.seconds(20),
      timeout: Duration.seconds(90),
      undeliverableRetention: Duration.days(30),
      noProgressAlarmPeriods: 5,
      undeliverableAlarmThreshold: 10,
    });

    // Assess
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 90,
      Environment: {
        Variables: Match.objectLike({ OKTA_POLL_INTERVAL_SECONDS: '20', SCHEDULE_PERIOD_SECONDS: '60' }),
      },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: Match.anyValue(),
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 30 })] },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'NoProgressStops',
      EvaluationPeriods: 5,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'UndeliverableEvents',
      Threshold: 10,
    });
    expect(collector.alarms).toHaveLength(5);
  });

  it('leaves out the alarms listed in disabledAlarms and uses the given thresholds for the others', () => {
    // Prepare
    const stack = newStack();

    // Act
    const collector = new OktaSumoCollector(stack, 'Collector', {
      ...REQUIRED,
      disabledAlarms: ['lag', 'noProgress'],
      errorsAlarmThreshold: 3,
      failedInvocationsAlarmThreshold: 2,
    });

    // Assess
    const template = Template.fromStack(stack);
    expect(collector.lagAlarm).toBeUndefined();
    expect(collector.noProgressAlarm).toBeUndefined();
    expect(collector.alarms).toHaveLength(3);
    expect(collector.alarms).not.toContain(undefined);
    expect(
      template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'LagSeconds' } }),
    ).toEqual({});
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Threshold: 3 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 2,
    });
  });
});
