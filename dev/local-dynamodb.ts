/**
 * A real DynamoDB wire protocol on 127.0.0.1: dynalite, in-process and in memory (memory-level: nothing touches
 * the disk). Each call gets its own empty database.
 *
 * dynalite still `require`s classic-level when it loads, which loads its native binding. That works without
 * classic-level's install script (skipped by `npm ci --ignore-scripts`): the script only compiles when no
 * prebuilt binary fits, and the package ships prebuilds for linux x64 (glibc and musl), linux arm64, macOS and
 * Windows, which node-gyp-build finds at run time.
 */
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { listenOnLoopback } from './loopback-server.js';

/** The subset of dynalite 4's options used here (it ships no types). */
interface DynaliteOptions {
  /** How long a table stays CREATING/DELETING/UPDATING; 0 makes tables usable at once. */
  readonly createTableMs?: number;
  readonly deleteTableMs?: number;
  readonly updateTableMs?: number;
  /** A LevelDB directory; without it dynalite keeps everything in memory. */
  readonly path?: string;
}

// dynalite is CommonJS without type declarations: load it through require and give it the one type we use.
const dynalite = createRequire(import.meta.url)('dynalite') as (options: DynaliteOptions) => Server;

export interface LocalDynamoDb {
  /** e.g. `http://127.0.0.1:41234`: for `AWS_ENDPOINT_URL_DYNAMODB` or a client's `endpoint`. */
  readonly endpoint: string;
  /** Stops the server and drops the data; waits for open connections to close. */
  stop(): Promise<void>;
}

/** Starts an empty in-memory DynamoDB on a free loopback port. */
export async function startLocalDynamoDb(): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const listening = await listenOnLoopback(server);
  return { endpoint: listening.url, stop: listening.close };
}

/** An SDK client for the local DynamoDB at `endpoint` (made-up credentials: nothing checks signatures). */
export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/**
 * Creates the cursor table with the schema the CDK stack gives it (partition key `pk` of type S, no sort key,
 * on-demand billing) and waits until it is ACTIVE.
 */
export async function createCursorTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  // The SDK's waiter polls every 20 s at least; dynalite with createTableMs 0 is ready within a tick or two.
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}
