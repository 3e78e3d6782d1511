/**
 * The collector for one Okta org: schedule → Lambda → Okta System Log → Sumo Logic HTTP Source, with its
 * cursor table, credentials, failure queue and alarms. Each concept is its own construct; this one composes
 * them and exposes every resource.
 */
import { Annotations, Duration, SecretValue, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { OKTA_SECRET_PLACEHOLDER } from '../lambda/adapters/aws/okta-secret-placeholder.js';
import { adminDomainFix } from '../lambda/settings/org-url.js';
import { CollectorFunction, collectorLogGroup } from './collector-function.js';
import { CollectorMonitoring } from './collector-monitoring.js';
import type { OktaSumoCollectorProps } from './collector-props.js';
import { checkPollingTimeout, resolveSettings } from './collector-settings.js';
import { CursorTable } from './cursor-table.js';
import { UndeliverableBucket } from './undeliverable-bucket.js';

export type { OktaSumoCollectorProps } from './collector-props.js';
export { METRICS_NAMESPACE, SERVICE_NAME } from '../lambda/settings/telemetry-names.js';

/**
 * Collects one Okta org's System Log into a Sumo Logic HTTP Source.
 *
 * A scheduled Lambda function follows Okta's `next` links from a cursor kept in DynamoDB and posts the events
 * to Sumo; it reads the Okta credential from Secrets Manager and the Sumo URL from SSM Parameter Store, each
 * with exactly the permission it needs; events Sumo refuses on their own go to an S3 bucket. Alarms watch for
 * failed ticks, growing lag, dropped invocations, undeliverable events and an Okta that makes no progress.
 */
export class OktaSumoCollector extends Construct {
  /** The org's host, e.g. `acme.okta.com`: the `OktaOrg` dimension of its metrics. */
  public readonly orgHost: string;
  /** The collector function. */
  public readonly function: lambda.Function;
  /** The function with its role, log group and failure queue. */
  public readonly collectorFunction: CollectorFunction;
  /** The cursor table: one item per stream (the main cursor and each replay) with its cursor and run lease. */
  public readonly table: dynamodb.Table;
  /** The Okta credential. */
  public readonly secret: secretsmanager.ISecret;
  /** Records of asynchronous invocations that failed or expired before running. */
  public readonly failedInvocationsQueue: sqs.Queue;
  /** The function's own log group. */
  public readonly logGroup: logs.LogGroup;
  /** Events Sumo refused on their own, one object per event (`UNDELIVERABLE_BUCKET_NAME`). */
  public readonly undeliverableBucket: s3.Bucket;
  /** The undeliverable bucket with its server access logs bucket. */
  public readonly undeliverable: UndeliverableBucket;
  /** The rule that ticks the function. */
  public readonly schedule: events.Rule;
  /** The alarms (and dashboard) of this collector. */
  public readonly monitoring: CollectorMonitoring;
  /** A tick threw (fatal error such as rejected credentials) or timed out; `undefined` when disabled. */
  public readonly errorsAlarm: cloudwatch.Alarm | undefined;
  /**
   * Collection fell behind, or stopped reporting: the maximum `LagSeconds` is above the threshold, or absent, in
   * every 10-minute period for at least 30 minutes (longer when timeout plus schedule interval exceed 20
   * minutes); `undefined` when disabled.
   */
  public readonly lagAlarm: cloudwatch.Alarm | undefined;
  /** A scheduled invocation never ran or failed asynchronously; `undefined` when disabled. */
  public readonly failedInvocationsAlarm: cloudwatch.Alarm | undefined;
  /** Sumo refused events on their own; `undefined` when disabled. */
  public readonly undeliverableAlarm: cloudwatch.Alarm | undefined;
  /** Okta's full page did not advance, tick after tick; `undefined` when disabled. */
  public readonly noProgressAlarm: cloudwatch.Alarm | undefined;
  /** All alarms of this collector. */
  public readonly alarms: readonly cloudwatch.Alarm[];
  /** The collector's dashboard; `undefined` when `dashboard` is false. */
  public readonly dashboard: cloudwatch.Dashboard | undefined;

  public constructor(scope: Construct, id: string, props: OktaSumoCollectorProps) {
    super(scope, id);
    const settings = resolveSettings(props);
    this.orgHost = settings.host;
    const adminFix = adminDomainFix(settings.origin);
    if (adminFix) {
      Annotations.of(this).addWarningV2(
        'okta-sumo-collector:admin-domain',
        `oktaOrgUrl ${settings.origin} is the Okta Admin Console's address; the System Log API answers on the ` +
          `org's own domain: use ${adminFix}`,
      );
    }
    // Catching up runs a tick until its time budget is spent; the next tick starts a minute later at most.
    // Idle ticks return in about a second, so the long timeout costs nothing when there is nothing to do.
    const timeout = props.timeout ?? Duration.minutes(15);
    checkPollingTimeout(timeout, settings);

    this.table = new CursorTable(this, 'CursorTable').table;
    this.secret = props.oktaSecret ?? this.placeholderSecret();

    this.collectorFunction = new CollectorFunction(this, 'Function', {
      orgHost: settings.host,
      environment: settings.environment,
      // Throughput is capped by Okta's rate limit (at most 120 pages a minute, times the share), not by CPU:
      // 256 MB holds a 1000-event page (a few MB) with its batches and gzip buffers several times over.
      memorySize: props.memorySize ?? 256,
      timeout,
      // A tick, a manual replay and a spare. Overlapping ticks are prevented by the cursor's lease, not by
      // concurrency; the cap only bounds the damage of a runaway invoker.
      reservedConcurrency: props.reservedConcurrency === null ? undefined : (props.reservedConcurrency ?? 3),
      logGroup: collectorLogGroup(this, props.logRetention ?? logs.RetentionDays.ONE_YEAR),
    });
    const fn = this.collectorFunction;
    this.function = fn.function;
    this.logGroup = fn.logGroup;
    this.failedInvocationsQueue = fn.failedInvocationsQueue;
    fn.useCursorTable(this.table);
    fn.useOktaSecret(this.secret);
    fn.useSumoUrlParameter(props.sumoUrlParameterName, props.sumoUrlParameterKmsKey);
    this.undeliverable = new UndeliverableBucket(this, 'Undeliverable', {
      retention: props.undeliverableRetention,
      serverAccessLogsBucket: props.undeliverableAccessLogsBucket,
    });
    this.undeliverableBucket = this.undeliverable.bucket;
    fn.useUndeliverableBucket(this.undeliverableBucket);

    this.schedule = new events.Rule(this, 'Schedule', {
      description: `Ticks the okta-sumo-collector for ${settings.host}`,
      schedule: events.Schedule.rate(settings.scheduleInterval),
      targets: [new targets.LambdaFunction(this.function)],
    });

    this.monitoring = new CollectorMonitoring(this, 'Monitoring', {
      ...props,
      orgHost: settings.host,
      function: this.function,
      failedInvocationsQueue: this.failedInvocationsQueue,
      timeout,
      scheduleInterval: settings.scheduleInterval,
    });
    this.errorsAlarm = this.monitoring.errorsAlarm;
    this.lagAlarm = this.monitoring.lagAlarm;
    this.failedInvocationsAlarm = this.monitoring.failedInvocationsAlarm;
    this.undeliverableAlarm = this.monitoring.undeliverableAlarm;
    this.noProgressAlarm = this.monitoring.noProgressAlarm;
    this.alarms = this.monitoring.alarms;
    this.dashboard = this.monitoring.dashboard;
  }

  /** A new secret with the placeholder the function recognises; the operator puts the credential in. */
  private placeholderSecret(): secretsmanager.Secret {
    const secret = new secretsmanager.Secret(this, 'OktaSecret', {
      description: `Okta credential of the okta-sumo-collector for ${this.orgHost}: {"apiToken":"..."} or {"clientId":"...","privateKey":"<PEM>","keyId":"..."}`,
      // A placeholder, not a credential: the operator puts the real value in after deploy. CloudFormation
      // leaves that value alone on later deploys as long as this template value stays the same.
      secretObjectValue: { apiToken: SecretValue.unsafePlainText(OKTA_SECRET_PLACEHOLDER) },
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The secret holds a credential issued by Okta (API token or service-app private key); Secrets ' +
        'Manager cannot rotate it without Okta admin rights, so it is rotated in Okta and put here by hand.',
    });
    return secret;
  }
}
