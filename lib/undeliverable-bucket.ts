/**
 * Where events go that Sumo refuses on their own (interface 9): one object per event, so that nothing is lost
 * and the stream moves on. The README says how to re-send them once the cause is fixed.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { InvalidPropsError } from './invalid-props-error.js';

/** Properties of {@link UndeliverableBucket}. */
export interface UndeliverableBucketProps {
  /**
   * How long an undeliverable event is kept before S3 deletes it (whole days).
   * @default 90 days, Okta's own retention of the System Log
   */
  readonly retention?: Duration;

  /**
   * The bucket that receives the server access logs of the undeliverable bucket (who read or wrote which
   * event). It must accept S3 server access logs (SSE-S3 encryption, a bucket policy for
   * `logging.s3.amazonaws.com`, which CDK adds to a bucket of the same stack).
   * @default a new bucket, kept as long as the undeliverable events
   */
  readonly serverAccessLogsBucket?: s3.IBucket;
}

/**
 * An S3 bucket for undeliverable events: encrypted (SSE-S3), TLS only, no public access, objects expire after
 * the retention, kept when the stack is deleted (it may hold the only copy of an event), with server access
 * logs.
 */
export class UndeliverableBucket extends Construct {
  /** The bucket the function writes undeliverable events to (`UNDELIVERABLE_BUCKET_NAME`). */
  public readonly bucket: s3.Bucket;
  /** Where the bucket's server access logs go. */
  public readonly accessLogsBucket: s3.IBucket;

  public constructor(scope: Construct, id: string, props: UndeliverableBucketProps = {}) {
    super(scope, id);
    const retention = props.retention ?? Duration.days(90);
    const days = retention.toDays({ integral: false });
    if (!Number.isInteger(days) || days < 1) {
      throw new InvalidPropsError(
        `undeliverableRetention must be whole days, at least 1, got ${retention.toHumanString()}`,
      );
    }
    const common: s3.BucketProps = {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: retention, abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    };

    this.accessLogsBucket = props.serverAccessLogsBucket ?? new s3.Bucket(this, 'AccessLogs', common);
    if (!props.serverAccessLogsBucket) {
      Validations.of(this.accessLogsBucket).acknowledge({
        id: 'AwsSolutions-S1',
        reason:
          'This bucket receives the server access logs of the undeliverable-events bucket; logging its own ' +
          'access would need yet another bucket, and S3 writes these logs itself.',
      });
    }
    this.bucket = new s3.Bucket(this, 'Default', {
      ...common,
      // ACLs off: only this account's principals own and read the events. (The access-logs bucket keeps S3's
      // default, which CDK adapts to how its stack grants log delivery: bucket policy or ACL.)
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'undeliverable/',
    });
  }
}
