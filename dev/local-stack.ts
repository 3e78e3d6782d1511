/**
 * Everything the collector talks to, on loopback: a local DynamoDB (dynalite) with the cursor table, local
 * Secrets Manager and SSM endpoints holding the Okta credential and the Sumo URL, the Okta System Log
 * simulator (API token or OAuth service app with DPoP) and the Sumo HTTP receiver. `env` is what the Lambda
 * would see: the stable environment variables plus the standard AWS endpoint variables.
 */
import type { Context } from 'aws-lambda';
import {
  createCursorTable,
  startLocalDynamoDb,
  type LocalDynamoDb,
  localDynamoClient,
} from './local-dynamodb.js';
import {
  localAwsEnvironment,
  startLocalAwsEndpoints,
  type LocalAwsEndpoints,
} from './local-aws-endpoints.js';
import { generateServiceAppKey, OktaOAuthAuthority } from './okta-oauth-authority.js';
import { startOktaSimulator, type OktaSimulator, type OktaSimulatorOptions } from './okta-simulator.js';
import { startLocalS3, type LocalS3 } from './local-s3.js';
import { startSumoReceiver, type SumoReceiver, type SumoReceiverOptions } from './sumo-receiver.js';
import { startRefusingSumo, type RefusingSumo, type SumoRefusalRules } from './sumo-refusal.js';

export const OKTA_SECRET_ID = 'okta-sumo-collector/okta';
export const SUMO_URL_PARAMETER = '/okta-sumo-collector/sumo-url';
export const CURSOR_TABLE_NAME = 'okta-sumo-collector-cursors';
export const UNDELIVERABLE_BUCKET_NAME = 'okta-sumo-collector-undeliverable';

export interface LocalStackOptions {
  /** Authenticate with an OAuth 2.0 service app (private_key_jwt + DPoP) instead of an API token. */
  readonly oauth?: boolean;
  readonly okta?: Omit<OktaSimulatorOptions, 'oauth' | 'apiToken'>;
  readonly sumo?: SumoReceiverOptions;
  /** Put a Sumo that refuses some batches for good (413 over a size, 400 on a marker) in front of the receiver. */
  readonly sumoRefusal?: SumoRefusalRules;
  /** Give the Lambda an undeliverable-events bucket on the local S3 (`UNDELIVERABLE_BUCKET_NAME`). @default true */
  readonly undeliverableBucket?: boolean;
  /** Extra or overriding Lambda environment variables. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface LocalStack {
  readonly okta: OktaSimulator;
  readonly sumo: SumoReceiver;
  readonly aws: LocalAwsEndpoints;
  readonly dynamo: LocalDynamoDb;
  /** The local S3 holding the undeliverable-events bucket ({@link UNDELIVERABLE_BUCKET_NAME}). */
  readonly s3: LocalS3;
  /** The refusing proxy in front of the receiver, when `sumoRefusal` was given (the Lambda posts to it). */
  readonly refusal: RefusingSumo | undefined;
  /** Present in OAuth mode. */
  readonly authority: OktaOAuthAuthority | undefined;
  /** The Lambda's environment for this stack. */
  readonly env: Readonly<Record<string, string>>;
  /** Every secret value in play (API token, private key PEM, Sumo URL), to check that none leaks. */
  readonly secrets: readonly string[];
  stop(): Promise<void>;
}

export const API_TOKEN = '00-local-stand-in-okta-api-token-0123456789';

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const dynamo = await startLocalDynamoDb();
  const aws = await startLocalAwsEndpoints();
  const authority = options.oauth ? new OktaOAuthAuthority({ clock: { now: () => Date.now() } }) : undefined;
  const okta = await startOktaSimulator({
    ...options.okta,
    ...(authority ? { oauth: authority } : { apiToken: API_TOKEN }),
  });
  const sumo = await startSumoReceiver(options.sumo);
  const s3 = await startLocalS3();
  s3.createBucket(UNDELIVERABLE_BUCKET_NAME);
  const refusal = options.sumoRefusal ? await startRefusingSumo(sumo, options.sumoRefusal) : undefined;
  const secrets: string[] = [sumo.url, new URL(sumo.url).pathname.split('/').at(-1)!];
  if (authority) {
    const key = await generateServiceAppKey({ clientId: '0oa-local-collector', keyId: 'local-1' });
    authority.registerClient(key.registration);
    aws.setSecret(OKTA_SECRET_ID, JSON.stringify(key.secret));
    const pem =
      typeof key.secret.privateKey === 'string'
        ? key.secret.privateKey
        : JSON.stringify(key.secret.privateKey);
    // The PEM's base64 body lines are what would show up if key material leaked.
    secrets.push(...pem.split('\n').filter((line) => line.length > 40));
  } else {
    aws.setSecret(OKTA_SECRET_ID, JSON.stringify({ apiToken: API_TOKEN }));
    secrets.push(API_TOKEN);
  }
  aws.setParameter(SUMO_URL_PARAMETER, refusal?.url ?? sumo.url, 'SecureString');
  const client = localDynamoClient(dynamo.endpoint);
  await createCursorTable(client, CURSOR_TABLE_NAME);
  client.destroy();
  const env = {
    ...localAwsEnvironment({
      secretsManager: aws.endpoint,
      ssm: aws.endpoint,
      dynamodb: dynamo.endpoint,
      s3: s3.endpoint,
    }),
    OKTA_ORG_URL: okta.orgUrl,
    OKTA_SECRET_ID,
    SUMO_URL_PARAMETER,
    CURSOR_TABLE_NAME,
    ...(options.undeliverableBucket === false ? {} : { UNDELIVERABLE_BUCKET_NAME }),
    ...options.env,
  };
  return {
    okta,
    sumo,
    aws,
    dynamo,
    s3,
    refusal,
    authority,
    env,
    secrets,
    stop: async () => {
      await Promise.allSettled([
        okta.stop(),
        sumo.stop(),
        aws.stop(),
        dynamo.stop(),
        s3.stop(),
        ...(refusal ? [refusal.stop()] : []),
      ]);
    },
  };
}

/** A Lambda context whose deadline is `remainingMs` from now. */
export function lambdaContext(
  remainingMs: number,
  requestId = `local-${Math.random().toString(36).slice(2)}`,
): Context {
  const deadline = Date.now() + remainingMs;
  const unused = (): void => undefined;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'okta-sumo-collector-local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:okta-sumo-collector-local',
    memoryLimitInMB: '256',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/okta-sumo-collector-local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unused,
    fail: unused,
    succeed: unused,
  };
}
