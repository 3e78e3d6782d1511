/**
 * One CloudWatch dashboard per collector: what the summary log line says, as graphs, with each alarm's
 * threshold drawn on the graph of its metric. People would rather look than read log lines.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import type { AlarmSubject } from './collector-alarms.js';
import { type CollectorMetricName, collectorMetric } from './collector-metrics.js';

/** The alarms whose thresholds the dashboard draws (each absent when disabled). */
export interface DashboardAlarms {
  readonly errorsAlarm: cloudwatch.Alarm | undefined;
  readonly lagAlarm: cloudwatch.Alarm | undefined;
  readonly failedInvocationsAlarm: cloudwatch.Alarm | undefined;
  readonly undeliverableAlarm: cloudwatch.Alarm | undefined;
  readonly noProgressAlarm: cloudwatch.Alarm | undefined;
}

const PERIOD = Duration.minutes(5);
const WIDTH = 8;
const HEIGHT = 6;

/** `OktaSumoCollector-acme-okta-com`: the stack's name and the org's host, in the characters names allow. */
export function defaultDashboardName(scope: Construct, orgHost: string): string {
  return `${Stack.of(scope).stackName}-${orgHost}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 255);
}

/** Builds the dashboard in `scope`. */
export function collectorDashboard(
  scope: Construct,
  subject: AlarmSubject,
  alarms: DashboardAlarms,
  dashboardName: string,
): cloudwatch.Dashboard {
  const metric = (name: CollectorMetricName, statistic: string = cloudwatch.Stats.SUM, label?: string) =>
    collectorMetric(subject.orgHost, name, statistic, PERIOD, label);
  const thresholds = (...list: (cloudwatch.Alarm | undefined)[]) =>
    list.flatMap((alarm) => (alarm ? [alarm.toAnnotation()] : []));
  const graph = (
    title: string,
    left: cloudwatch.IMetric[],
    annotations: cloudwatch.HorizontalAnnotation[] = [],
  ) =>
    new cloudwatch.GraphWidget({
      title,
      left,
      leftAnnotations: annotations,
      leftYAxis: { min: 0 },
      width: WIDTH,
      height: HEIGHT,
    });
  const fn = subject.function;

  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', {
    dashboardName,
    defaultInterval: Duration.days(1),
  });
  dashboard.addWidgets(
    new cloudwatch.TextWidget({
      markdown:
        `## Okta System Log → Sumo Logic: ${subject.orgHost}\n` +
        "Every tick logs an `invocation summary` line in the function's log group; these graphs are its figures.",
      width: 3 * WIDTH,
      height: 2,
    }),
  );
  dashboard.addWidgets(
    graph('Events delivered to Sumo', [metric('EventsDelivered', cloudwatch.Stats.SUM, 'events')]),
    graph(
      'Lag: age of the newest delivered event (s)',
      [metric('LagSeconds', cloudwatch.Stats.MAXIMUM, 'lag')],
      thresholds(alarms.lagAlarm),
    ),
    graph('Okta pages', [metric('Pages', cloudwatch.Stats.SUM, 'pages')]),
  );
  dashboard.addWidgets(
    graph('Okta 429 answers (rate limited)', [metric('RateLimited', cloudwatch.Stats.SUM, '429s')]),
    graph('Retries and cursor recoveries', [
      metric('Retries', cloudwatch.Stats.SUM, 'retries'),
      metric('Recoveries', cloudwatch.Stats.SUM, 'recoveries'),
    ]),
    graph(
      'Undeliverable events and no-progress stops',
      [
        metric('UndeliverableEvents', cloudwatch.Stats.SUM, 'undeliverable events'),
        metric('NoProgressStops', cloudwatch.Stats.SUM, 'no-progress stops'),
      ],
      thresholds(alarms.undeliverableAlarm, alarms.noProgressAlarm),
    ),
  );
  dashboard.addWidgets(
    graph(
      'Function errors and dropped invocations',
      [
        fn.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM, label: 'errors' }),
        subject.failedInvocationsQueue.metricApproximateNumberOfMessagesVisible({
          period: PERIOD,
          statistic: cloudwatch.Stats.MAXIMUM,
          label: 'failed-invocation records',
        }),
      ],
      thresholds(alarms.errorsAlarm, alarms.failedInvocationsAlarm),
    ),
    graph(
      'Tick duration against the timeout (ms)',
      [
        fn.metricDuration({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM, label: 'longest tick' }),
        fn.metricDuration({ period: PERIOD, statistic: cloudwatch.Stats.p(50), label: 'median tick' }),
      ],
      [{ value: subject.timeout.toMilliseconds(), label: 'timeout', color: cloudwatch.Color.RED }],
    ),
    graph('Invocations and throttles', [
      fn.metricInvocations({ period: PERIOD, statistic: cloudwatch.Stats.SUM, label: 'invocations' }),
      fn.metricThrottles({ period: PERIOD, statistic: cloudwatch.Stats.SUM, label: 'throttles' }),
    ]),
  );
  return dashboard;
}
