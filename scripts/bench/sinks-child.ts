/**
 * Everything the collector writes to, in one process: the Sumo HTTP receiver, a local DynamoDB (dynalite) with
 * the cursor table, and the Secrets Manager / SSM endpoints holding the Okta token and the Sumo URL.
 */
import { serve } from './ipc.js';
import { createCursorTable, localDynamoClient, startLocalDynamoDb } from '../../dev/local-dynamodb.js';
import { localAwsEnvironment, startLocalAwsEndpoints } from '../../dev/local-aws-endpoints.js';
import { startSumoReceiver } from '../../dev/sumo-receiver.js';
import { API_TOKEN, CURSOR_TABLE_NAME, OKTA_SECRET_ID, SUMO_URL_PARAMETER } from '../../dev/local-stack.js';

const dynamo = await startLocalDynamoDb();
const aws = await startLocalAwsEndpoints();
// keepLines off and a regex uuid scan: the receiver stays cheap, the benchmark is about the collector.
const sumo = await startSumoReceiver({ keepLines: false, parse: 'scan' });
aws.setSecret(OKTA_SECRET_ID, JSON.stringify({ apiToken: API_TOKEN }));
aws.setParameter(SUMO_URL_PARAMETER, sumo.url, 'SecureString');
const client = localDynamoClient(dynamo.endpoint);
await createCursorTable(client, CURSOR_TABLE_NAME);
client.destroy();

serve({
  /** Another, empty cursor table, for a second collector that must read the same pages. */
  createTable: async (name: string) => {
    const admin = localDynamoClient(dynamo.endpoint);
    await createCursorTable(admin, name);
    admin.destroy();
    return true;
  },
  /** The Lambda environment minus the Okta org URL (the Okta simulator runs elsewhere). */
  env: () => ({
    ...localAwsEnvironment({ secretsManager: aws.endpoint, ssm: aws.endpoint, dynamodb: dynamo.endpoint }),
    OKTA_SECRET_ID,
    SUMO_URL_PARAMETER,
    CURSOR_TABLE_NAME,
  }),
  /** Every POST waits this long after its body was read (0 = none): Sumo's answer time. */
  setLatency: (ms: number) => {
    sumo.setFaults(ms > 0 ? { probability: 1, pool: [{ kind: 'slow', delayMs: ms }] } : {});
    return true;
  },
  /** For the HTTP client comparison only (a local receiver: its URL holds no real token). */
  sumoUrl: () => sumo.url,
  counters: () => ({
    sumo: { ...sumo.counters },
    secretReads: aws.calls('GetSecretValue'),
    parameterReads: aws.calls('GetParameter'),
  }),
});
