/** The cursor table of one collector: one item per stream (the main cursor and each replay). */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/**
 * The DynamoDB table holding each stream's cursor (Okta's `next` link) and run lease.
 *
 * The cursor store only needs GetItem (read a cursor), UpdateItem (take/release the lease, fenced checkpoint)
 * and Scan (unfinished replays): the key is a stream id, with no sort key and no index.
 */
export class CursorTable extends Construct {
  /** The table. Its construct id is `Default`, so it keeps the logical id it had before this construct existed. */
  public readonly table: dynamodb.Table;

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Default', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      // Finished replay items expire (epoch seconds, written by the cursor store after REPLAY_RETENTION_DAYS).
      // The main cursor never carries this attribute: DynamoDB would delete it. Leases use `leaseExpiresAt`
      // (epoch ms), which TTL does not read.
      timeToLiveAttribute: 'expiresAt',
      // Losing the cursor means re-sending up to 7 days of events or skipping some: keep it past the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
