/** The collector's Lambda function: its role, log group, failure queue, and each grant beside its variable. */
import { ArnFormat, Aws, type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { HANDLER } from './handler-bundle.js';
import { handlerCode } from './handler-code.js';
import { SendOnlyQueueDestination } from './send-only-queue-destination.js';

/** Properties of {@link CollectorFunction}. */
export interface CollectorFunctionProps {
  /** The org's host, for descriptions. */
  readonly orgHost: string;
  /** Environment variables of the settings (the resource variables are added by the `use…` methods). */
  readonly environment: Readonly<Record<string, string>>;
  readonly memorySize: number;
  readonly timeout: Duration;
  /** `undefined` reserves nothing. */
  readonly reservedConcurrency: number | undefined;
  /** The function's log group, from {@link collectorLogGroup}. */
  readonly logGroup: logs.LogGroup;
}

/**
 * The function's own log group, created in the collector's scope (not this construct's) so that it keeps the
 * logical id, and the logs, it had before the function became a construct of its own.
 */
export function collectorLogGroup(scope: Construct, retention: logs.RetentionDays): logs.LogGroup {
  return new logs.LogGroup(scope, 'LogGroup', {
    // A year of collector logs lets an auditor trace the feed's continuity for the twelve months that US
    // federal logging guidance (OMB M-21-31) asks for; at one summary line a minute it stays small.
    retention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

/**
 * The collector function (Node.js 24, arm64, JSON logs) with its own role and log group, and the queue that
 * receives the records of asynchronous invocations that failed or expired. Runtime, architecture and log
 * retention are set here and nowhere else.
 */
export class CollectorFunction extends Construct {
  /** The function. Its construct id is `Default`, so it keeps the logical id it had before this construct. */
  public readonly function: lambda.Function;
  /** Its execution role: no managed policy, only the statements the `use…` methods add. */
  public readonly role: iam.Role;
  /** The function's own log group. */
  public readonly logGroup: logs.LogGroup;
  /** Records of asynchronous invocations that failed or expired before running. */
  public readonly failedInvocationsQueue: sqs.Queue;

  public constructor(scope: Construct, id: string, props: CollectorFunctionProps) {
    super(scope, id);

    this.logGroup = props.logGroup;

    // Our own role without AWSLambdaBasicExecutionRole: logs are granted on this log group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `okta-sumo-collector for ${props.orgHost}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new lambda.Function(this, 'Default', {
      description: `Ships the Okta System Log of ${props.orgHost} to Sumo Logic`,
      code: handlerCode(),
      handler: HANDLER,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      reservedConcurrentExecutions: props.reservedConcurrency,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.INFO,
      environment: { ...props.environment },
    });

    this.failedInvocationsQueue = new sqs.Queue(this, 'FailedInvocations', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.function.configureAsyncInvoke({
      // A tick that could not start within a minute is superseded by the next one; retrying a failed tick
      // immediately would only repeat a fatal error (transient ones are retried inside the tick).
      maxEventAge: Duration.minutes(1),
      retryAttempts: 0,
      onFailure: new SendOnlyQueueDestination(this.failedInvocationsQueue),
    });
    Validations.of(this.failedInvocationsQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself the dead-letter destination of the function's asynchronous invocations; " +
        'nothing consumes it, an operator inspects it after the alarm.',
    });
  }

  /** `CURSOR_TABLE_NAME`, and the three item calls the cursor store makes on that table. */
  public useCursorTable(table: dynamodb.ITable): void {
    this.function.addEnvironment('CURSOR_TABLE_NAME', table.tableName);
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'CursorTable',
        actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:Scan'],
        resources: [table.tableArn],
      }),
    );
    // The AWS managed table key (alias/aws/dynamodb) is usable through DynamoDB by any principal of the
    // account: no kms grant.
  }

  /** `OKTA_SECRET_ID`, and reading that secret (decrypting through Secrets Manager for a customer key). */
  public useOktaSecret(secret: secretsmanager.ISecret): void {
    this.function.addEnvironment('OKTA_SECRET_ID', secret.secretArn);
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadOktaSecret',
        actions: ['secretsmanager:GetSecretValue'],
        // A partial ARN (no random suffix) only matches the secret with the 6-character suffix pattern.
        resources: [secret.secretFullArn ?? `${secret.secretArn}-??????`],
      }),
    );
    // The AWS managed key alias/aws/secretsmanager needs no grant (its key policy allows any principal of the
    // account through Secrets Manager); a customer managed key does.
    if (secret.encryptionKey) this.grantDecryptVia(secret.encryptionKey, 'secretsmanager');
  }

  /** `SUMO_URL_PARAMETER`, and reading that parameter (decrypting through SSM for a customer key). */
  public useSumoUrlParameter(name: string, key: kms.IKey | undefined): void {
    this.function.addEnvironment('SUMO_URL_PARAMETER', name);
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadSumoUrlParameter',
        actions: ['ssm:GetParameter'],
        resources: [parameterArn(this, name)],
      }),
    );
    // Same for alias/aws/ssm: no grant. A customer managed key needs kms:Decrypt through SSM.
    if (key) this.grantDecryptVia(key, 'ssm');
  }

  /**
   * `UNDELIVERABLE_BUCKET_NAME`, and `s3:PutObject` on that bucket's objects only: the function writes one
   * object per refused event (its key holds the event's `uuid`, so the resource cannot be narrower), and never
   * reads, lists or deletes.
   */
  public useUndeliverableBucket(bucket: s3.IBucket): void {
    this.function.addEnvironment('UNDELIVERABLE_BUCKET_NAME', bucket.bucketName);
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'WriteUndeliverableEvents',
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects('*')],
      }),
    );
    const cfnBucket = bucket.node.defaultChild as CfnElement | undefined;
    if (cfnBucket) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(cfnBucket)}.Arn>/*]`,
        reason:
          'One object per undeliverable event, keyed by its uuid: the key is not known in advance, so ' +
          's3:PutObject (and nothing else) is granted on the objects of this one bucket.',
      });
    }
  }

  /**
   * `kms:Decrypt` on a customer managed key, only when the call comes through the given service in this
   * region: the function can decrypt the secret or parameter, not arbitrary ciphertext under the key.
   */
  private grantDecryptVia(key: kms.IKey, service: 'secretsmanager' | 'ssm'): void {
    this.function.addToRolePolicy(
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
