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
  'oktaSecret' | 'sumoUrlParameterKmsKey' | 'alarmTopic'
>;

/** Properties of {@link OktaSumoCollectorStack}. */
export interface OktaSumoCollectorStackProps extends StackProps {
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

  /**
   * Address that receives alarm notifications (through a new encrypted SNS topic).
   * @default no topic: alarms only change state in CloudWatch
   */
  readonly alarmEmail?: string;
}

/** A stack holding one {@link OktaSumoCollector}, deployable to any account and region (env-agnostic). */
export class OktaSumoCollectorStack extends Stack {
  public readonly collector: OktaSumoCollector;
  /** The alarm topic, when `alarmEmail` was given. */
  public readonly alarmTopic: AlarmTopic | undefined;

  public constructor(scope: Construct, id: string, props: OktaSumoCollectorStackProps) {
    super(scope, id, props);

    const secretKey =
      props.oktaSecretKmsKeyArn === undefined
        ? undefined
        : kms.Key.fromKeyArn(this, 'OktaSecretKey', props.oktaSecretKmsKeyArn);
    const oktaSecret =
      props.oktaSecretArn === undefined ? undefined : importSecret(this, props.oktaSecretArn, secretKey);
    if (secretKey && !oktaSecret) {
      throw new InvalidPropsError(
        'oktaSecretKmsKeyArn is only used with oktaSecretArn (the secret it encrypts)',
      );
    }

    this.alarmTopic =
      props.alarmEmail === undefined
        ? undefined
        : new AlarmTopic(this, 'Alarms', { email: props.alarmEmail });

    this.collector = new OktaSumoCollector(this, 'Collector', {
      ...props.collector,
      oktaSecret,
      sumoUrlParameterKmsKey:
        props.sumoUrlParameterKmsKeyArn === undefined
          ? undefined
          : kms.Key.fromKeyArn(this, 'SumoUrlParameterKey', props.sumoUrlParameterKmsKeyArn),
      alarmTopic: this.alarmTopic?.topic,
    });

    // What an operator needs after `cdk deploy`: where to put the credential, what to invoke, what to watch.
    const outputs: Record<string, [string, string]> = {
      FunctionName: [this.collector.function.functionName, 'Invoke with {} for a tick now, or a replay'],
      OktaSecretArn: [this.collector.secret.secretArn, 'Put the Okta credential here'],
      CursorTableName: [this.collector.table.tableName, 'Cursor and lease of each stream'],
      FailedInvocationsQueueUrl: [this.collector.failedInvocationsQueue.queueUrl, 'Dropped invocations'],
    };
    for (const [id, [value, description]] of Object.entries(outputs)) {
      new CfnOutput(this, id, { value, description });
    }
  }
}

/** A complete secret ARN ends in `-` and the 6 characters Secrets Manager appended to the name. */
const COMPLETE_SECRET_ARN = /:secret:.+-[A-Za-z0-9]{6}$/;

function importSecret(
  scope: Construct,
  arn: string,
  encryptionKey: kms.IKey | undefined,
): secretsmanager.ISecret {
  return secretsmanager.Secret.fromSecretAttributes(scope, 'OktaSecret', {
    ...(COMPLETE_SECRET_ARN.test(arn) ? { secretCompleteArn: arn } : { secretPartialArn: arn }),
    encryptionKey,
  });
}
