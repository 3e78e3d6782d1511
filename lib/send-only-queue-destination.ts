import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * An SQS queue as the destination of a function's asynchronous invocations, granting the function
 * `sqs:SendMessage` and nothing more.
 *
 * Lambda only calls `SendMessage` to deliver an invocation record; `aws-lambda-destinations.SqsDestination`
 * would also grant `sqs:GetQueueAttributes` and `sqs:GetQueueUrl`. The queue must not use a customer managed
 * KMS key (this grants no `kms:*`); SQS-managed encryption needs none.
 */
export class SendOnlyQueueDestination implements lambda.IDestination {
  public constructor(private readonly queue: sqs.IQueue) {}

  public bind(_scope: Construct, fn: lambda.IFunction): lambda.DestinationConfig {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'SendFailedInvocationRecords',
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
      }),
    );
    return { destination: this.queue.queueArn };
  }
}
