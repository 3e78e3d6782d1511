/**
 * The collector for one Okta org: schedule → Lambda → Okta System Log → Sumo Logic HTTP Source, with its
 * cursor table, credentials, failure queue and alarms.
 */
import { fileURLToPath } from 'node:url';
import { ArnFormat, Aws, Duration, RemovalPolicy, SecretValue, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { OKTA_SECRET_PLACEHOLDER } from '../lambda/adapters/aws/okta-secret-placeholder.js';
import { InvalidPropsError } from './invalid-props-error.js';
import { parseOktaOrgUrl } from './okta-org-url.js';
import { SendOnlyQueueDestination } from './send-only-queue-destination.js';

/** Namespace of the metrics the handler publishes as CloudWatch EMF (`POWERTOOLS_METRICS_NAMESPACE`). */
export const METRICS_NAMESPACE = 'OktaSumoCollector';
/** `POWERTOOLS_SERVICE_NAME`: the `service` dimension of every metric and the `service` key of every log line. */
export const SERVICE_NAME = 'okta-sumo-collector';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const HANDLER_ENTRY = fileURLToPath(new URL('../lambda/handler.ts', import.meta.url));

/**
 * Defines `require` in the ESM bundle: dependencies published as CommonJS call `require()` for Node
 * built-ins, which an ES module does not have.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __collectorCreateRequire } from 'node:module';" +
  'const require = __collectorCreateRequire(import.meta.url);';

/** Properties of {@link OktaSumoCollector}. */
export interface OktaSumoCollectorProps {
  /** The Okta org's origin, e.g. `https://acme.okta.com` (`https://`, no path). */
  readonly oktaOrgUrl: string;

  /**
   * The Secrets Manager secret holding the Okta credential: `{"apiToken": "..."}` or an OAuth 2.0 service app
   * `{"clientId": "...", "privateKey": <PEM or JWK>, "keyId": "..."}` (scope `okta.logs.read`). When it is
   * encrypted with a customer managed KMS key, import it with `Secret.fromSecretAttributes` and its
   * `encryptionKey` so the function may decrypt through Secrets Manager.
   * @default a new secret holding the placeholder `{"apiToken":"REPLACE_ME"}`, to be filled in after deploy;
   * until then every tick fails with an error saying so.
   */
  readonly oktaSecret?: secretsmanager.ISecret;

  /**
   * Name of an existing SSM SecureString parameter whose value is the Sumo Logic HTTP Source URL. It must be
   * created outside this stack: CloudFormation cannot create SecureString parameters.
   */
  readonly sumoUrlParameterName: string;

  /**
   * The customer managed KMS key the Sumo URL parameter is encrypted with.
   * @default the AWS managed key `alias/aws/ssm`, which needs no grant
   */
  readonly sumoUrlParameterKmsKey?: kms.IKey;

  /**
   * `X-Sumo-Category` of every message.
   * @default 'okta', what the Sumo Logic App for Okta queries
   */
  readonly sourceCategory?: string;

  /**
   * `X-Sumo-Name` of every message.
   * @default the HTTP Source's own name
   */
  readonly sourceName?: string;

  /**
   * `X-Sumo-Host` of every message.
   * @default the HTTP Source's own host
   */
  readonly sourceHost?: string;

  /**
   * `X-Sumo-Fields` of every message. Fields not in the Sumo account's field schema are dropped by Sumo.
   * @default no fields
   */
  readonly sumoFields?: Readonly<Record<string, string>>;

  /**
   * Where collection starts the very first time (ISO-8601 instant, within Okta's 90-day retention). Ignored
   * once a cursor exists.
   * @default 7 days before the first run
   */
  readonly startTime?: string;

  /**
   * Events per Okta request (`limit`, 1–1000).
   * @default 1000, Okta's maximum: the fewest requests against a shared rate limit
   */
  readonly pageLimit?: number;

  /**
   * Share (0–1] of the org's `/api/v1/logs` rate limit this collector may use. The bucket is shared with
   * everything else in the org that reads the System Log.
   * @default 0.5, what Okta gives new OAuth service apps, and below the 60 % at which Okta warns admins
   */
  readonly rateLimitShare?: number;

  /**
   * How often the collector ticks (whole minutes, 1 to 60). A duration rather than any schedule expression
   * because the lag alarm's window is derived from it.
   * @default 1 minute: new events reach Sumo within about a minute
   */
  readonly scheduleInterval?: Duration;

  /**
   * Memory of the function, in MB (CPU is proportional to it).
   * @default 256
   */
  readonly memorySize?: number;

  /**
   * Reserved concurrency: caps cost and leaves room for a manual replay beside a running tick (the lease, not
   * this limit, keeps ticks from overlapping). `null` reserves nothing, which accounts whose Lambda
   * concurrency quota is still 10 need (Lambda keeps 10 unreserved).
   * @default 3
   */
  readonly reservedConcurrency?: number | null;

  /**
   * How long one tick may run.
   * @default 15 minutes, Lambda's maximum
   */
  readonly timeout?: Duration;

  /**
   * Retention of the function's log group.
   * @default one year
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The lag alarm fires when, for 30 minutes or more, every tick ended with its newest delivered event older
   * than this (the window grows with long schedule intervals, see {@link OktaSumoCollector.lagAlarm}).
   * @default 1 hour
   */
  readonly lagAlarmThreshold?: Duration;

  /**
   * Where alarms (and their return to OK) are sent.
   * @default no actions: alarms only change state in CloudWatch
   */
  readonly alarmTopic?: sns.ITopic;
}

/**
 * Collects one Okta org's System Log into a Sumo Logic HTTP Source.
 *
 * A scheduled Lambda function follows Okta's `next` links from a cursor kept in DynamoDB and posts the events
 * to Sumo; it reads the Okta credential from Secrets Manager and the Sumo URL from SSM Parameter Store, each
 * with exactly the permission it needs. Alarms watch for failed ticks, growing lag and dropped invocations.
 */
export class OktaSumoCollector extends Construct {
  /** The collector function. */
  public readonly function: nodejs.NodejsFunction;
  /** The cursor table: one item per stream (the main cursor and each replay) with its cursor and run lease. */
  public readonly table: dynamodb.Table;
  /** The Okta credential. */
  public readonly secret: secretsmanager.ISecret;
  /** Records of asynchronous invocations that failed or expired before running. */
  public readonly failedInvocationsQueue: sqs.Queue;
  /** The function's own log group. */
  public readonly logGroup: logs.LogGroup;
  /** A tick threw (fatal error such as rejected credentials) or timed out. */
  public readonly errorsAlarm: cloudwatch.Alarm;
  /**
   * Collection fell behind, or stopped reporting: the maximum `LagSeconds` is above the threshold, or absent, in
   * every 10-minute period for at least 30 minutes (longer when timeout plus schedule interval exceed 20 minutes).
   */
  public readonly lagAlarm: cloudwatch.Alarm;
  /** A scheduled invocation never ran or failed asynchronously; its record is in the queue. */
  public readonly failedInvocationsAlarm: cloudwatch.Alarm;
  /** All alarms of this collector. */
  public readonly alarms: readonly cloudwatch.Alarm[];

  public constructor(scope: Construct, id: string, props: OktaSumoCollectorProps) {
    super(scope, id);
    const org = parseOktaOrgUrl(props.oktaOrgUrl);
    const pageLimit = props.pageLimit ?? 1000;
    const rateLimitShare = props.rateLimitShare ?? 0.5;
    // Catching up runs a tick until its time budget is spent; the next tick starts a minute later at most.
    // Idle ticks return in about a second, so the long timeout costs nothing when there is nothing to do.
    const timeout = props.timeout ?? Duration.minutes(15);
    // Throughput is capped by Okta's rate limit (at most 120 pages a minute, times the share), not by CPU:
    // 256 MB holds a 1000-event page (a few MB) with its batches and gzip buffers several times over.
    const memorySize = props.memorySize ?? 256;
    const scheduleInterval = props.scheduleInterval ?? Duration.minutes(1);
    validateProps(props, { pageLimit, rateLimitShare, scheduleInterval });

    // The cursor store only needs GetItem (read a cursor), UpdateItem (take/release the lease, fenced
    // checkpoint) and Scan (unfinished replays): the key is a stream id, with no sort key and no index.
    this.table = new dynamodb.Table(this, 'CursorTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      // Finished replay items may expire (epoch seconds). The main cursor must never carry this attribute:
      // DynamoDB would delete it. Leases use `leaseExpiresAt` (epoch ms), which TTL does not read.
      timeToLiveAttribute: 'expiresAt',
      // Losing the cursor means re-sending up to 7 days of events or skipping some: keep it past the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.secret =
      props.oktaSecret ??
      new secretsmanager.Secret(this, 'OktaSecret', {
        description: `Okta credential of the okta-sumo-collector for ${org.host}: {"apiToken":"..."} or {"clientId":"...","privateKey":"<PEM>","keyId":"..."}`,
        // A placeholder, not a credential: the operator puts the real value in after deploy. CloudFormation
        // leaves that value alone on later deploys as long as this template value stays the same.
        secretObjectValue: { apiToken: SecretValue.unsafePlainText(OKTA_SECRET_PLACEHOLDER) },
      });

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      // A year of collector logs lets an auditor trace the feed's continuity for the twelve months that US
      // federal logging guidance (OMB M-21-31) asks for; at one summary line a minute it stays small.
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Our own role without AWSLambdaBasicExecutionRole: logs are granted on this log group only.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `okta-sumo-collector for ${org.host}`,
    });
    this.logGroup.grantWrite(role);

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      description: `Ships the Okta System Log of ${org.host} to Sumo Logic`,
      entry: HANDLER_ENTRY,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize,
      timeout,
      // A tick, a manual replay and a spare. Overlapping ticks are prevented by the cursor's lease, not by
      // concurrency; the cap only bounds the damage of a runaway invoker.
      reservedConcurrentExecutions:
        props.reservedConcurrency === null ? undefined : (props.reservedConcurrency ?? 3),
      role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.INFO,
      bundling: {
        format: nodejs.OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        // Errors carry their own names and messages; a source map would double the bundle to decode stacks.
        sourceMap: false,
        // Pin the SDK we test with instead of whatever version the runtime ships.
        bundleAwsSDK: true,
        forceDockerBundling: false,
      },
      environment: {
        OKTA_ORG_URL: org.origin,
        SUMO_SOURCE_CATEGORY: props.sourceCategory ?? 'okta',
        OKTA_PAGE_LIMIT: String(pageLimit),
        OKTA_RATE_LIMIT_SHARE: String(rateLimitShare),
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ...optionalEnvironment(props),
      },
    });
    const fn = this.function;

    fn.addEnvironment('CURSOR_TABLE_NAME', this.table.tableName);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'CursorTable',
        actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:Scan'],
        resources: [this.table.tableArn],
      }),
    );
    // The AWS managed table key (alias/aws/dynamodb) is usable through DynamoDB by any principal of the
    // account: no kms grant.

    fn.addEnvironment('OKTA_SECRET_ID', this.secret.secretArn);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadOktaSecret',
        actions: ['secretsmanager:GetSecretValue'],
        // A partial ARN (no random suffix) only matches the secret with the 6-character suffix pattern.
        resources: [this.secret.secretFullArn ?? `${this.secret.secretArn}-??????`],
      }),
    );
    // The AWS managed key alias/aws/secretsmanager needs no grant (its key policy allows any principal of the
    // account through Secrets Manager); a customer managed key does.
    if (this.secret.encryptionKey) grantDecryptVia(fn, this.secret.encryptionKey, 'secretsmanager');

    fn.addEnvironment('SUMO_URL_PARAMETER', props.sumoUrlParameterName);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadSumoUrlParameter',
        actions: ['ssm:GetParameter'],
        resources: [parameterArn(this, props.sumoUrlParameterName)],
      }),
    );
    // Same for alias/aws/ssm: no grant. A customer managed key needs kms:Decrypt through SSM.
    if (props.sumoUrlParameterKmsKey) grantDecryptVia(fn, props.sumoUrlParameterKmsKey, 'ssm');

    this.failedInvocationsQueue = new sqs.Queue(this, 'FailedInvocations', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    fn.configureAsyncInvoke({
      // A tick that could not start within a minute is superseded by the next one; retrying a failed tick
      // immediately would only repeat a fatal error (transient ones are retried inside the tick).
      maxEventAge: Duration.minutes(1),
      retryAttempts: 0,
      onFailure: new SendOnlyQueueDestination(this.failedInvocationsQueue),
    });

    new events.Rule(this, 'Schedule', {
      description: `Ticks the okta-sumo-collector for ${org.host}`,
      schedule: events.Schedule.rate(scheduleInterval),
      targets: [new targets.LambdaFunction(fn)],
    });

    this.errorsAlarm = new cloudwatch.Alarm(this, 'ErrorsAlarm', {
      alarmDescription:
        `okta-sumo-collector (${org.host}): a tick failed. Fatal errors (rejected Okta credential, ` +
        'placeholder secret, Sumo 401/404, bad configuration) repeat every tick until fixed; the log group ' +
        'has the error, named with its cause. Events are not lost: the cursor resumes where it stopped.',
      metric: fn.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // No datapoint means no invocation: the lag alarm covers a collector that stopped running.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const lagThreshold = props.lagAlarmThreshold ?? Duration.hours(1);
    const lagPeriod = Duration.minutes(10);
    // A run publishes LagSeconds when it ends, so in normal operation the longest silence is one run that uses
    // its whole timeout plus the wait for the next tick. More empty periods in a row than fit in that silence
    // mean the collector has stopped; at least 3 periods (30 minutes) so that a burst does not page anyone.
    const longestSilence = timeout.toSeconds() + scheduleInterval.toSeconds();
    const lagPeriods = Math.max(3, Math.floor(longestSilence / lagPeriod.toSeconds()) + 1);
    this.lagAlarm = new cloudwatch.Alarm(this, 'LagAlarm', {
      alarmDescription:
        `okta-sumo-collector (${org.host}): for ${(lagPeriods * lagPeriod.toMinutes()).toString()} minutes, ` +
        `events reached Sumo more than ${lagThreshold.toHumanString()} late, or the collector stopped ` +
        'reporting. Check the errors alarm and the log group; sustained lag without errors means the ' +
        "rate-limit share is too small for the org's event volume.",
      metric: new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: 'LagSeconds',
        dimensionsMap: { service: SERVICE_NAME, OktaOrg: org.host },
        statistic: cloudwatch.Stats.MAXIMUM,
        period: lagPeriod,
      }),
      threshold: lagThreshold.toSeconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: lagPeriods,
      datapointsToAlarm: lagPeriods,
      // Silence is the failure this alarm exists for (schedule disabled, function deleted or throttled, runs
      // that never finish), so missing data breaches; the period count above keeps normal silences short of it.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });

    this.failedInvocationsAlarm = new cloudwatch.Alarm(this, 'FailedInvocationsAlarm', {
      alarmDescription:
        `okta-sumo-collector (${org.host}): a scheduled invocation was dropped (throttled for over a ` +
        'minute, or failed asynchronously); its record is in the failed-invocations queue. Check reserved ' +
        'concurrency and throttles, then purge the queue: the next tick resumes from the cursor.',
      metric: this.failedInvocationsQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // SQS publishes this metric while the queue holds messages; an empty, idle queue may publish nothing.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.alarms = [this.errorsAlarm, this.lagAlarm, this.failedInvocationsAlarm];
    if (props.alarmTopic) {
      const action = new cloudwatchActions.SnsAction(props.alarmTopic);
      for (const alarm of this.alarms) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }

    this.acknowledgeNagFindings(props.oktaSecret === undefined);
  }

  /** cdk-nag findings that do not apply, each with the reason. */
  private acknowledgeNagFindings(createdSecret: boolean): void {
    if (createdSecret) {
      Validations.of(this.secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'The secret holds a credential issued by Okta (API token or service-app private key); Secrets ' +
          'Manager cannot rotate it without Okta admin rights, so it is rotated in Okta and put here by hand.',
      });
    }
    Validations.of(this.failedInvocationsQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself the dead-letter destination of the function's asynchronous invocations; " +
        'nothing consumes it, an operator inspects it after the alarm.',
    });
  }
}

function optionalEnvironment(props: OktaSumoCollectorProps): Record<string, string> {
  const environment: Record<string, string> = {};
  if (props.sourceName !== undefined) environment.SUMO_SOURCE_NAME = props.sourceName;
  if (props.sourceHost !== undefined) environment.SUMO_SOURCE_HOST = props.sourceHost;
  const fields = Object.entries(props.sumoFields ?? {});
  if (fields.length > 0) environment.SUMO_FIELDS = fields.map(([key, value]) => `${key}=${value}`).join(',');
  if (props.startTime !== undefined) environment.OKTA_START_TIME = props.startTime;
  return environment;
}

/**
 * `kms:Decrypt` on a customer managed key, only when the call comes through the given service in this
 * region: the function can decrypt the secret or parameter, not arbitrary ciphertext under the key.
 */
function grantDecryptVia(fn: lambda.IFunction, key: kms.IKey, service: 'secretsmanager' | 'ssm'): void {
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: service === 'ssm' ? 'DecryptSumoUrlParameter' : 'DecryptOktaSecret',
      actions: ['kms:Decrypt'],
      resources: [key.keyArn],
      conditions: {
        StringEquals: { 'kms:ViaService': `${service}.${Aws.REGION}.${Aws.URL_SUFFIX}` },
      },
    }),
  );
}

/** The parameter's ARN in this stack's partition, region and account; names may or may not start with `/`. */
function parameterArn(scope: Construct, name: string): string {
  return Stack.of(scope).formatArn({
    service: 'ssm',
    resource: 'parameter',
    resourceName: name.replace(/^\//, ''),
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

const SSM_PARAMETER_NAME = /^\/?[A-Za-z0-9_.\-]+(\/[A-Za-z0-9_.\-]+)*$/;
const SUMO_FIELD_KEY = /^[A-Za-z0-9_]{1,255}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Fails synth with the same rules the Lambda's `loadConfig` applies, so a bad value never reaches a tick. */
function validateProps(
  props: OktaSumoCollectorProps,
  resolved: {
    readonly pageLimit: number;
    readonly rateLimitShare: number;
    readonly scheduleInterval: Duration;
  },
): void {
  const minutes = resolved.scheduleInterval.toSeconds() / 60;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60) {
    throw new InvalidPropsError(
      `scheduleInterval must be whole minutes from 1 to 60, got ${resolved.scheduleInterval.toHumanString()}`,
    );
  }
  const name = props.sumoUrlParameterName;
  if (Token.isUnresolved(name)) {
    throw new InvalidPropsError(
      'sumoUrlParameterName must be a literal name: its ARN is built at synth time',
    );
  }
  if (!SSM_PARAMETER_NAME.test(name) || (name.includes('/') && !name.startsWith('/'))) {
    throw new InvalidPropsError(
      `sumoUrlParameterName "${name}" is not an SSM parameter name (e.g. /okta-sumo-collector/sumo-url)`,
    );
  }
  if (!Number.isInteger(resolved.pageLimit) || resolved.pageLimit < 1 || resolved.pageLimit > 1000) {
    throw new InvalidPropsError(`pageLimit must be a whole number from 1 to 1000, got ${resolved.pageLimit}`);
  }
  if (!(resolved.rateLimitShare > 0 && resolved.rateLimitShare <= 1)) {
    throw new InvalidPropsError(
      `rateLimitShare must be greater than 0 and at most 1, got ${resolved.rateLimitShare}`,
    );
  }
  if (props.startTime !== undefined && !ISO_INSTANT.test(props.startTime)) {
    throw new InvalidPropsError(
      `startTime must be an ISO-8601 instant such as 2026-01-31T00:00:00Z, got "${props.startTime}"`,
    );
  }
  for (const [key, value] of Object.entries(props.sumoFields ?? {})) {
    if (!SUMO_FIELD_KEY.test(key))
      throw new InvalidPropsError(
        `sumoFields has an invalid field name "${key}" (letters, digits and _ only)`,
      );
    if (value.trim() === '' || /[,=]/.test(value)) {
      throw new InvalidPropsError(`sumoFields.${key} must be a non-empty value without "," or "="`);
    }
  }
  if (props.lagAlarmThreshold !== undefined && props.lagAlarmThreshold.toSeconds() <= 0) {
    throw new InvalidPropsError('lagAlarmThreshold must be longer than zero');
  }
}
