/** Reads cursor table items as stored, attribute by attribute, without going through the collector's store. */
import { GetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { localDynamoClient } from '../../../dev/local-dynamodb.js';
import type { LocalStack } from '../../../dev/local-stack.js';

export type RawItem = Record<string, AttributeValue>;

export async function readCursorItem(stack: LocalStack, pk: string): Promise<RawItem | undefined> {
  const client = localDynamoClient(stack.dynamo.endpoint);
  try {
    const output = await client.send(
      new GetItemCommand({
        TableName: stack.env.CURSOR_TABLE_NAME,
        Key: { pk: { S: pk } },
        ConsistentRead: true,
      }),
    );
    return output.Item;
  } finally {
    client.destroy();
  }
}

/** The lease attributes an invocation sets while it runs a stream. */
export const LEASE_ATTRIBUTES = ['leaseOwner', 'leaseId', 'leaseExpiresAt'] as const;
