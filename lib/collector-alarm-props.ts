/** Alarm thresholds and switches of a collector. */
import type { Duration } from 'aws-cdk-lib';
import type * as sns from 'aws-cdk-lib/aws-sns';

/** The collector's alarms, by name, for {@link CollectorAlarmProps.disabledAlarms}. */
export type CollectorAlarmName = 'errors' | 'lag' | 'failedInvocations' | 'undeliverable' | 'noProgress';

/** Every alarm name, in the order the alarms are created. */
export const COLLECTOR_ALARM_NAMES: readonly CollectorAlarmName[] = [
  'errors',
  'lag',
  'failedInvocations',
  'undeliverable',
  'noProgress',
];

/** Thresholds of the alarms, each with its default, and which alarms to leave out. */
export interface CollectorAlarmProps {
  /**
   * The errors alarm fires when the function fails (throws or times out) at least this many times in 5 minutes.
   * @default 1
   */
  readonly errorsAlarmThreshold?: number;

  /**
   * The lag alarm fires when, for 30 minutes or more, every tick ended with its newest delivered event older
   * than this (the window grows with long schedule intervals, see {@link OktaSumoCollector.lagAlarm}).
   * @default 1 hour
   */
  readonly lagAlarmThreshold?: Duration;

  /**
   * The failed-invocations alarm fires when the failure queue holds at least this many records.
   * @default 1
   */
  readonly failedInvocationsAlarmThreshold?: number;

  /**
   * The undeliverable alarm fires when at least this many events were written to the undeliverable bucket in 5
   * minutes (each is an event Sumo refused on its own).
   * @default 1: any undeliverable event
   */
  readonly undeliverableAlarmThreshold?: number;

  /**
   * The no-progress alarm fires when at least this many streams stopped because Okta's full page did not
   * advance, in each of {@link noProgressAlarmPeriods} consecutive 5-minute periods.
   * @default 1
   */
  readonly noProgressAlarmThreshold?: number;

  /**
   * Consecutive 5-minute periods of no-progress stops before the no-progress alarm fires: one stop recovers on
   * the next tick; a stop every tick means Okta keeps serving the same page.
   * @default 3
   */
  readonly noProgressAlarmPeriods?: number;

  /**
   * Alarms not to create (the member stays `undefined`).
   * @default none: every alarm is created
   */
  readonly disabledAlarms?: readonly CollectorAlarmName[];

  /**
   * Where alarms (and their return to OK) are sent.
   * @default no actions: alarms only change state in CloudWatch
   */
  readonly alarmTopic?: sns.ITopic;
}
