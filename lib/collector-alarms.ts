/**
 * The alarms of one collector, each built from its threshold. Descriptions say what happened and what to do,
 * since they are what an operator reads when paged.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { collectorMetric } from './collector-metrics.js';

/** What every alarm needs to know about its collector. */
export interface AlarmSubject {
  readonly orgHost: string;
  readonly function: lambda.IFunction;
  readonly failedInvocationsQueue: sqs.IQueue;
  readonly timeout: Duration;
  readonly scheduleInterval: Duration;
}

const FIVE_MINUTES = Duration.minutes(5);
const LAG_PERIOD = Duration.minutes(10);

/** Errors of the function in 5 minutes, at or above `threshold`. */
export function errorsAlarm(scope: Construct, subject: AlarmSubject, threshold: number): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, 'ErrorsAlarm', {
    alarmDescription:
      `okta-sumo-collector (${subject.orgHost}): a tick failed. Fatal errors (rejected Okta credential, ` +
      'placeholder secret, Sumo 401/404, bad configuration) repeat every tick until fixed; the log group ' +
      'has the error, named with its cause. Events are not lost: the cursor resumes where it stopped.',
    metric: subject.function.metricErrors({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
    threshold,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    // No datapoint means no invocation: the lag alarm covers a collector that stopped running.
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}

/**
 * 10-minute periods the lag alarm needs: a run publishes LagSeconds when it ends, so in normal operation the
 * longest silence is one run that uses its whole timeout plus the wait for the next tick. More empty periods
 * in a row than fit in that silence mean the collector has stopped; at least 3 (30 minutes) so that a burst
 * does not page anyone.
 */
export function lagAlarmPeriods(timeout: Duration, scheduleInterval: Duration): number {
  const longestSilence = timeout.toSeconds() + scheduleInterval.toSeconds();
  return Math.max(3, Math.floor(longestSilence / LAG_PERIOD.toSeconds()) + 1);
}

/** Maximum `LagSeconds` above `threshold`, or missing, in every period of the window. */
export function lagAlarm(scope: Construct, subject: AlarmSubject, threshold: Duration): cloudwatch.Alarm {
  const periods = lagAlarmPeriods(subject.timeout, subject.scheduleInterval);
  return new cloudwatch.Alarm(scope, 'LagAlarm', {
    alarmDescription:
      `okta-sumo-collector (${subject.orgHost}): for ${(periods * LAG_PERIOD.toMinutes()).toString()} ` +
      `minutes, events reached Sumo more than ${threshold.toHumanString()} late, or the collector stopped ` +
      'reporting. Check the errors alarm and the log group; sustained lag without errors means the ' +
      "rate-limit share is too small for the org's event volume.",
    metric: collectorMetric(subject.orgHost, 'LagSeconds', cloudwatch.Stats.MAXIMUM, LAG_PERIOD),
    threshold: threshold.toSeconds(),
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: periods,
    datapointsToAlarm: periods,
    // Silence is the failure this alarm exists for (schedule disabled, function deleted or throttled, runs
    // that never finish), so missing data breaches; the period count above keeps normal silences short of it.
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
}

/** Records in the failed-invocations queue, at or above `threshold`. */
export function failedInvocationsAlarm(
  scope: Construct,
  subject: AlarmSubject,
  threshold: number,
): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, 'FailedInvocationsAlarm', {
    alarmDescription:
      `okta-sumo-collector (${subject.orgHost}): a scheduled invocation was dropped (throttled for over a ` +
      'minute, or failed asynchronously); its record is in the failed-invocations queue. Check reserved ' +
      'concurrency and throttles, then purge the queue: the next tick resumes from the cursor.',
    metric: subject.failedInvocationsQueue.metricApproximateNumberOfMessagesVisible({
      period: FIVE_MINUTES,
      statistic: cloudwatch.Stats.MAXIMUM,
    }),
    threshold,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    // SQS publishes this metric while the queue holds messages; an empty, idle queue may publish nothing.
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}

/** Events written to the undeliverable bucket in 5 minutes, at or above `threshold`. */
export function undeliverableAlarm(
  scope: Construct,
  subject: AlarmSubject,
  threshold: number,
): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, 'UndeliverableAlarm', {
    alarmDescription:
      `okta-sumo-collector (${subject.orgHost}): Sumo refused events on their own (a non-retryable status ` +
      'other than 401/403/404, even after splitting); each is in the undeliverable bucket, one object per ' +
      'event, and the stream moved on. Find the status in the log group, fix the cause (source limits, ' +
      'content), then re-send the objects as the README describes.',
    metric: collectorMetric(subject.orgHost, 'UndeliverableEvents', cloudwatch.Stats.SUM, FIVE_MINUTES),
    threshold,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}

/** Streams stopped for lack of progress, at or above `threshold` in each of `periods` 5-minute periods. */
export function noProgressAlarm(
  scope: Construct,
  subject: AlarmSubject,
  threshold: number,
  periods: number,
): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, 'NoProgressAlarm', {
    alarmDescription:
      `okta-sumo-collector (${subject.orgHost}): for ${(periods * FIVE_MINUTES.toMinutes()).toString()} ` +
      "minutes, Okta kept serving a full page whose next link did not advance (stop reason 'no-progress'); " +
      'each tick delivers that page once and stops, so newer events wait. Check the log group for the ' +
      "'no-progress' line and Okta's status; open a case with Okta quoting the request ids if it persists.",
    metric: collectorMetric(subject.orgHost, 'NoProgressStops', cloudwatch.Stats.SUM, FIVE_MINUTES),
    threshold,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: periods,
    datapointsToAlarm: periods,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}
