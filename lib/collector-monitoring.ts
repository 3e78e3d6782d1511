/** What watches one collector: its alarms and (unless switched off) its dashboard. */
import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Construct } from 'constructs';
import { InvalidPropsError } from './invalid-props-error.js';
import { collectorDashboard, defaultDashboardName } from './collector-dashboard.js';
import type { CollectorAlarmName, CollectorAlarmProps } from './collector-alarm-props.js';
import {
  type AlarmSubject,
  errorsAlarm,
  failedInvocationsAlarm,
  lagAlarm,
  noProgressAlarm,
  undeliverableAlarm,
} from './collector-alarms.js';

/** Properties of {@link CollectorMonitoring}. */
export interface CollectorMonitoringProps extends CollectorAlarmProps, AlarmSubject {
  /**
   * Whether to create the dashboard.
   * @default true
   */
  readonly dashboard?: boolean;

  /**
   * Name of the dashboard.
   * @default `<stack name>-<org host>`, dots as dashes, e.g. `OktaSumoCollector-acme-okta-com`
   */
  readonly dashboardName?: string;
}

/**
 * The collector's alarms, each created unless listed in `disabledAlarms`, all sent to the alarm topic when
 * one is given.
 */
export class CollectorMonitoring extends Construct {
  /** A tick threw (fatal error such as rejected credentials) or timed out. */
  public readonly errorsAlarm: cloudwatch.Alarm | undefined;
  /** Collection fell behind, or stopped reporting. */
  public readonly lagAlarm: cloudwatch.Alarm | undefined;
  /** A scheduled invocation never ran or failed asynchronously; its record is in the queue. */
  public readonly failedInvocationsAlarm: cloudwatch.Alarm | undefined;
  /** Sumo refused events on their own; they are in the undeliverable bucket. */
  public readonly undeliverableAlarm: cloudwatch.Alarm | undefined;
  /** Okta's full page did not advance, tick after tick. */
  public readonly noProgressAlarm: cloudwatch.Alarm | undefined;
  /** Every alarm created. */
  public readonly alarms: readonly cloudwatch.Alarm[];
  /** The collector's dashboard; `undefined` when switched off. */
  public readonly dashboard: cloudwatch.Dashboard | undefined;

  public constructor(scope: Construct, id: string, props: CollectorMonitoringProps) {
    super(scope, id);
    const disabled = new Set<CollectorAlarmName>(props.disabledAlarms ?? []);
    const enabled = (name: CollectorAlarmName) => !disabled.has(name);

    const lagThreshold = props.lagAlarmThreshold ?? Duration.hours(1);
    if (lagThreshold.toSeconds() <= 0)
      throw new InvalidPropsError('lagAlarmThreshold must be longer than zero');

    this.errorsAlarm = enabled('errors')
      ? errorsAlarm(this, props, count('errorsAlarmThreshold', props.errorsAlarmThreshold))
      : undefined;
    this.lagAlarm = enabled('lag') ? lagAlarm(this, props, lagThreshold) : undefined;
    this.failedInvocationsAlarm = enabled('failedInvocations')
      ? failedInvocationsAlarm(
          this,
          props,
          count('failedInvocationsAlarmThreshold', props.failedInvocationsAlarmThreshold),
        )
      : undefined;

    this.undeliverableAlarm = enabled('undeliverable')
      ? undeliverableAlarm(
          this,
          props,
          count('undeliverableAlarmThreshold', props.undeliverableAlarmThreshold),
        )
      : undefined;
    this.noProgressAlarm = enabled('noProgress')
      ? noProgressAlarm(
          this,
          props,
          count('noProgressAlarmThreshold', props.noProgressAlarmThreshold),
          count('noProgressAlarmPeriods', props.noProgressAlarmPeriods, 3),
        )
      : undefined;

    this.alarms = [
      this.errorsAlarm,
      this.lagAlarm,
      this.failedInvocationsAlarm,
      this.undeliverableAlarm,
      this.noProgressAlarm,
    ].filter((alarm): alarm is cloudwatch.Alarm => alarm !== undefined);
    if (props.dashboardName !== undefined && !/^[A-Za-z0-9_-]{1,255}$/.test(props.dashboardName)) {
      throw new InvalidPropsError(
        `dashboardName must be 1 to 255 letters, digits, - or _, got "${props.dashboardName.slice(0, 40)}"`,
      );
    }
    this.dashboard =
      props.dashboard === false
        ? undefined
        : collectorDashboard(
            this,
            props,
            this,
            props.dashboardName ?? defaultDashboardName(this, props.orgHost),
          );

    if (props.alarmTopic) {
      const action = new cloudwatchActions.SnsAction(props.alarmTopic);
      for (const alarm of this.alarms) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }
  }
}

/** A count threshold: a whole number of at least 1 (a threshold of 0 would be in alarm all the time). */
export function count(label: string, value: number | undefined, fallback = 1): number {
  const threshold = value ?? fallback;
  if (!Number.isInteger(threshold) || threshold < 1) {
    throw new InvalidPropsError(`${label} must be a whole number of at least 1, got ${String(threshold)}`);
  }
  return threshold;
}
