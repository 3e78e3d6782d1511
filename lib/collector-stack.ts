/** The stack of the CDK app: one collector per Okta org, an optional alarm topic, and what an operator needs. */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { AlarmTopic } from './alarm-topic.js';
import { InvalidPropsError } from './invalid-props-error.js';
import { OktaSumoCollector, type OktaSumoCollectorProps } from './okta-sumo-collector.js';

/** Collector settings that are plain values; the stack turns ARNs and addresses into resources. */
export type CollectorStackSettings = Omit<
  OktaSumoCollectorProps,
  'oktaSecret' | 'sumoUrlParameterKmsKey' | 'alarmTopic' | 'undeliverableAccessLogsBucket'
>;

/** One org's collector in the stack, with the ARNs of what it imports. */
export interface CollectorDeployment {
  /** The collector's settings. */
  readonly collector: CollectorStackSettings;

  /**
   * ARN of an existing Secrets Manager secret with the Okta credential. Prefer the complete ARN (with the
   * 6-character suffix Secrets Manager adds); an ARN without it is matched as `<arn>-??????`.
   * @default a new secret with a placeholder value
   */
  readonly oktaSecretArn?: string;

  /**
   * ARN of the customer managed KMS key that encrypts the existing Okta secret.
   * @default the secret uses the AWS managed key, which needs no grant
   */
  readonly oktaSecretKmsKeyArn?: string;

  /**
   * ARN of the customer managed KMS key that encrypts the Sumo URL parameter.
   * @default the parameter uses the AWS managed key, which needs no grant
   */
  readonly sumoUrlParameterKmsKeyArn?: string;
}

/** Properties of {@link OktaSumoCollectorStack}: one org (`collector` and its ARNs) or several (`orgs`). */
export interface OktaSumoCollectorStackProps extends StackProps, Partial<CollectorDeployment> {
  /**
   * Several orgs in this stack, one collector each, its construct id (and so its resource names) derived from
   * the org's host: `acme.okta.com` → `AcmeOktaCom`. Not with `collector`.
   * @default one org, from `collector`, with the construct id `Collector`
   */
  readonly orgs?: readonly CollectorDeployment[];

  /**
   * Address that receives alarm notifications (through a new encrypted SNS topic).
   * @default no topic: alarms only change state in CloudWatch
   */
  readonly alarmEmail?: string;
}

/** `acme.okta.com` → `AcmeOktaCom`: the construct id of an org's collector in a stack of several. */
export function collectorIdForHost(host: string): string {
  return host
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/** A stack holding one {@link OktaSumoCollector} per org, deployable to any account and region (env-agnostic). */
export class OktaSumoCollectorStack extends Stack {
  /** Every collector, in the order of the orgs. */
  public readonly collectors: readonly OktaSumoCollector[];
  /** The first (with one org, the only) collector. */
  public readonly collector: OktaSumoCollector;
  /** The alarm topic, when `alarmEmail` was given. */
  public readonly alarmTopic: AlarmTopic | undefined;

  public constructor(scope: Construct, id: string, props: OktaSumoCollectorStackProps) {
    super(scope, id, props);
    if (props.orgs && props.collector) {
      throw new InvalidPropsError('give either collector (one org) or orgs (several), not both');
    }
    const single = props.collector ? [{ ...props, collector: props.collector }] : undefined;
    const deployments = single ?? props.orgs ?? [];
    if (deployments.length === 0)
      throw new InvalidPropsError('give collector (one org) or orgs (at least one)');

    this.alarmTopic =
      props.alarmEmail === undefined
        ? undefined
        : new AlarmTopic(this, 'Alarms', { email: props.alarmEmail });

    const ids = new Set<string>();
    this.collectors = deployments.map((deployment) => {
      // One org keeps the ids the stack always had; several get ids (and resource names) from their hosts.
      const collectorId = single
        ? 'Collector'
        : collectorIdForHost(new URL(deployment.collector.oktaOrgUrl).host);
      if (ids.has(collectorId)) {
        throw new InvalidPropsError(`two orgs give the same collector id ${collectorId}: list each org once`);
      }
      ids.add(collectorId);
      return this.addCollector(single ? '' : collectorId, collectorId, deployment);
    });
    this.collector = this.collectors[0]!;
  }

  /** One org's collector, its imports (ids prefixed with `prefix`) and its outputs. */
  private addCollector(prefix: string, id: string, deployment: CollectorDeployment): OktaSumoCollector {
    const secretKey =
      deployment.oktaSecretKmsKeyArn === undefined
        ? undefined
        : kms.Key.fromKeyArn(this, `${prefix}OktaSecretKey`, deployment.oktaSecretKmsKeyArn);
    const oktaSecret =
      deployment.oktaSecretArn === undefined
        ? undefined
        : importSecret(this, `${prefix}OktaSecret`, deployment.oktaSecretArn, secretKey);
    if (secretKey && !oktaSecret) {
      throw new InvalidPropsError(
        'oktaSecretKmsKeyArn is only used with oktaSecretArn (the secret it encrypts)',
      );
    }

    const collector = new OktaSumoCollector(this, id, {
      ...deployment.collector,
      oktaSecret,
      sumoUrlParameterKmsKey:
        deployment.sumoUrlParameterKmsKeyArn === undefined
          ? undefined
          : kms.Key.fromKeyArn(this, `${prefix}SumoUrlParameterKey`, deployment.sumoUrlParameterKmsKeyArn),
      alarmTopic: this.alarmTopic?.topic,
    });

    // What an operator needs after `cdk deploy`: where to put the credential, what to invoke, what to watch.
    const org = prefix ? ` (${collector.orgHost})` : '';
    const outputs: Record<string, [string, string]> = {
      FunctionName: [collector.function.functionName, `Invoke with {} for a tick now, or a replay${org}`],
      OktaSecretArn: [collector.secret.secretArn, `Put the Okta credential here${org}`],
      CursorTableName: [collector.table.tableName, `Cursor and lease of each stream${org}`],
      FailedInvocationsQueueUrl: [collector.failedInvocationsQueue.queueUrl, `Dropped invocations${org}`],
      UndeliverableBucketName: [collector.undeliverableBucket.bucketName, `Events Sumo refused${org}`],
    };
    for (const [outputId, [value, description]] of Object.entries(outputs)) {
      new CfnOutput(this, `${prefix}${outputId}`, { value, description });
    }
    return collector;
  }
}

/** A complete secret ARN ends in `-` and the 6 characters Secrets Manager appended to the name. */
const COMPLETE_SECRET_ARN = /:secret:.+-[A-Za-z0-9]{6}$/;

function importSecret(
  scope: Construct,
  id: string,
  arn: string,
  encryptionKey: kms.IKey | undefined,
): secretsmanager.ISecret {
  return secretsmanager.Secret.fromSecretAttributes(scope, id, {
    ...(COMPLETE_SECRET_ARN.test(arn) ? { secretCompleteArn: arn } : { secretPartialArn: arn }),
    encryptionKey,
  });
}
