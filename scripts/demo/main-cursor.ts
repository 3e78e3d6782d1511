/** The main cursor's DynamoDB item, read as stored (lease and version included), to show a replay left it alone. */
import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CURSOR_TABLE_NAME } from '../../dev/local-stack.js';
import { MAIN_STREAM_ID } from '../../lambda/core/stream-spec.js';

export function mainCursorReader(client: DynamoDBClient): () => Promise<unknown> {
  return async () => {
    const command = new GetItemCommand({
      TableName: CURSOR_TABLE_NAME,
      Key: { pk: { S: MAIN_STREAM_ID } },
      ConsistentRead: true,
    });
    return (await client.send(command)).Item;
  };
}
