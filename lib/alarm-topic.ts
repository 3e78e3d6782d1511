import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** Properties of {@link AlarmTopic}. */
export interface AlarmTopicProps {
  /**
   * An address subscribed to the topic. AWS sends it a confirmation mail; nothing is delivered until the
   * recipient confirms.
   * @default no subscription (subscribe a pager or chat integration yourself)
   */
  readonly email?: string;
}

/**
 * An SNS topic that CloudWatch alarms can publish to, encrypted at rest and reachable over TLS only.
 *
 * The topic is encrypted with its own customer managed key, not the AWS managed `alias/aws/sns`: that key's
 * policy cannot be edited to let `cloudwatch.amazonaws.com` use it, so alarms would silently fail to publish
 * to a topic encrypted with it.
 */
export class AlarmTopic extends Construct {
  public readonly topic: sns.Topic;
  public readonly key: kms.Key;

  public constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);

    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the okta-sumo-collector alarm topic',
      enableKeyRotation: true,
      // Holds no data at rest (SNS messages are transient): schedule its deletion with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // CloudWatch encrypts the message with the topic's key when an alarm publishes.
    this.key.grant(
      new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );

    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Okta to Sumo Logic collector alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    // A topic policy replaces SNS's default one, so CloudWatch must be allowed to publish explicitly, and only
    // for alarms of this account and region.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );

    if (props.email !== undefined) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    }
  }
}
