/**
 * Secrets Manager and SSM Parameter Store on 127.0.0.1, speaking enough of the AWS JSON 1.1 protocol
 * (`POST /`, `X-Amz-Target: <service>.<Operation>`, JSON body, errors as `{"__type": ...}` with status 400)
 * for `GetSecretValue` and `GetParameter`. Point SDK clients at it with `AWS_ENDPOINT_URL_SECRETS_MANAGER` and
 * `AWS_ENDPOINT_URL_SSM` (or a client's `endpoint`). Signatures are not checked; any credentials do.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback-server.js';

export type ParameterType = 'String' | 'SecureString' | 'StringList';

/** A failure served instead of the next answer: AWS's 500, or throttling (both retried by the SDK). */
export type EndpointFailure = 'internal-error' | 'throttling';

export type Operation = 'GetSecretValue' | 'GetParameter';

/** A request the stand-in received. */
export interface RecordedRequest {
  readonly operation: string;
  readonly body: Record<string, unknown>;
  /** Whether it carried a SigV4 `Authorization` header (the SDK signs every request). */
  readonly signed: boolean;
}

export interface LocalAwsEndpoints {
  /** e.g. `http://127.0.0.1:41234`; serves both services. */
  readonly endpoint: string;
  /** Stores a secret's text under its name (also found by the ARN in `secretArn(name)`). */
  setSecret(name: string, secretString: string): void;
  /** Stores a secret that holds binary data instead of text. */
  setSecretBinary(name: string, bytes: Uint8Array): void;
  setParameter(name: string, value: string, type: ParameterType): void;
  /** Removes a secret or parameter. */
  remove(name: string): void;
  /** Answers AccessDeniedException for this secret or parameter, as AWS does when the role lacks the grant. */
  denyAccess(name: string): void;
  /** The next `count` requests (any operation) fail this way. */
  failNext(count: number, failure: EndpointFailure): void;
  /** The ARN this stand-in reports for a secret. */
  secretArn(name: string): string;
  /** How many requests arrived for an operation (failed ones included). */
  calls(operation: Operation): number;
  readonly requests: readonly RecordedRequest[];
  /** Stops the server; waits for open connections to close. */
  stop(): Promise<void>;
}

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';

interface Secret {
  readonly string?: string;
  readonly binary?: Uint8Array;
  readonly createdAt: number;
}

interface Parameter {
  readonly value: string;
  readonly type: ParameterType;
  readonly version: number;
  readonly modifiedAt: number;
}

class AwsError extends Error {
  public constructor(
    public readonly type: string,
    message: string | undefined,
    public readonly status = 400,
  ) {
    super(message);
  }
}

/** Starts both services on a free loopback port. */
export async function startLocalAwsEndpoints(): Promise<LocalAwsEndpoints> {
  const secrets = new Map<string, Secret>();
  const parameters = new Map<string, Parameter>();
  const denied = new Set<string>();
  const failures: EndpointFailure[] = [];
  const requests: RecordedRequest[] = [];
  const secretArn = (name: string) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`;
  const parameterArn = (name: string) =>
    `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/${name.replace(/^\//, '')}`;

  const checkAccess = (name: string, action: string, arn: string) => {
    if (denied.has(name)) {
      throw new AwsError(
        'AccessDeniedException',
        `User: arn:aws:sts::${ACCOUNT}:assumed-role/collector/fn is not authorized to perform: ${action} on resource: ${arn} because no identity-based policy allows the ${action} action`,
      );
    }
  };

  const operations: Record<string, (body: Record<string, unknown>) => unknown> = {
    'secretsmanager.GetSecretValue': (body) => {
      const id = typeof body['SecretId'] === 'string' ? body['SecretId'] : '';
      if (id === '') throw new AwsError('InvalidParameterException', 'SecretId is required');
      const name = [...secrets.keys()].find((key) => id === key || id === secretArn(key)) ?? id;
      // IAM is checked before existence, as AWS does.
      checkAccess(name, 'secretsmanager:GetSecretValue', secretArn(name));
      const secret = secrets.get(name);
      if (secret === undefined) {
        throw new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      }
      return {
        ARN: secretArn(name),
        Name: name,
        VersionId: '00000000-0000-4000-8000-000000000001',
        VersionStages: ['AWSCURRENT'],
        CreatedDate: secret.createdAt / 1000,
        ...(secret.string !== undefined && { SecretString: secret.string }),
        ...(secret.binary !== undefined && { SecretBinary: Buffer.from(secret.binary).toString('base64') }),
      };
    },
    'AmazonSSM.GetParameter': (body) => {
      const name = typeof body['Name'] === 'string' ? body['Name'] : '';
      if (name === '') throw new AwsError('ValidationException', 'Name is required');
      checkAccess(name, 'ssm:GetParameter', parameterArn(name));
      const parameter = parameters.get(name);
      // SSM's ParameterNotFound carries no message.
      if (parameter === undefined) throw new AwsError('ParameterNotFound', undefined);
      // Without decryption SSM returns a SecureString's ciphertext, never its value.
      const value =
        parameter.type === 'SecureString' && body['WithDecryption'] !== true
          ? `AQICAH${createHash('sha256').update(parameter.value).digest('base64')}`
          : parameter.value;
      return {
        Parameter: {
          Name: name,
          Type: parameter.type,
          Value: value,
          Version: parameter.version,
          LastModifiedDate: parameter.modifiedAt / 1000,
          ARN: parameterArn(name),
          DataType: 'text',
        },
      };
    },
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = request.headers['x-amz-target'];
    const operation = typeof target === 'string' ? target : '';
    let body: Record<string, unknown> = {};
    try {
      const text = Buffer.concat(chunks).toString('utf8');
      body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      return send(response, 400, { __type: 'SerializationException' });
    }
    requests.push({
      operation: operation.split('.').pop() ?? '',
      body,
      signed: String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 '),
    });
    const failure = failures.shift();
    if (failure === 'internal-error') {
      const type = operation.startsWith('AmazonSSM.') ? 'InternalServerError' : 'InternalServiceError';
      return send(response, 500, { __type: type, message: 'An internal error occurred.' });
    }
    if (failure === 'throttling')
      return send(response, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
    const run = operations[operation];
    if (run === undefined) return send(response, 400, { __type: 'UnknownOperationException' });
    try {
      return send(response, 200, run(body));
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      return send(response, error.status, {
        __type: error.type,
        ...(error.message !== '' && { message: error.message }),
      });
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('local-aws-endpoints failed', error);
      if (!response.headersSent) send(response, 500, { __type: 'InternalFailure' });
    });
  });
  const listening = await listenOnLoopback(server);

  return {
    endpoint: listening.url,
    setSecret: (name, secretString) => secrets.set(name, { string: secretString, createdAt: Date.now() }),
    setSecretBinary: (name, bytes) => secrets.set(name, { binary: bytes, createdAt: Date.now() }),
    setParameter: (name, value, type) =>
      parameters.set(name, {
        value,
        type,
        version: (parameters.get(name)?.version ?? 0) + 1,
        modifiedAt: Date.now(),
      }),
    remove: (name) => {
      secrets.delete(name);
      parameters.delete(name);
    },
    denyAccess: (name) => denied.add(name),
    failNext: (count, failure) => {
      for (let index = 0; index < count; index += 1) failures.push(failure);
    },
    secretArn,
    calls: (operation) => requests.filter((request) => request.operation === operation).length,
    requests,
    stop: listening.close,
  };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': randomUUID(),
  });
  response.end(JSON.stringify(body));
}

/** Where SDK clients built with the default configuration should send each service's requests. */
export interface LocalEndpoints {
  readonly secretsManager?: string;
  readonly ssm?: string;
  readonly dynamodb?: string;
  /** The local S3 (`dev/local-s3.ts`): the undeliverable-events bucket. */
  readonly s3?: string;
}

/**
 * The environment an SDK client with the default configuration needs to talk to local stand-ins: a region,
 * made-up static credentials (nothing checks signatures), and the `AWS_ENDPOINT_URL_<SERVICE>` variables.
 * Stub it before a client's first request: the SDK reads the endpoint variables once per client.
 */
export function localAwsEnvironment(endpoints: LocalEndpoints): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDLOCALSTANDIN',
    AWS_SECRET_ACCESS_KEY: 'local-stand-in-not-a-secret',
    AWS_SESSION_TOKEN: '',
    AWS_PROFILE: '',
    AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: '',
    ...(endpoints.secretsManager !== undefined && {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secretsManager,
    }),
    ...(endpoints.ssm !== undefined && { AWS_ENDPOINT_URL_SSM: endpoints.ssm }),
    ...(endpoints.dynamodb !== undefined && { AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb }),
    ...(endpoints.s3 !== undefined && { AWS_ENDPOINT_URL_S3: endpoints.s3 }),
  };
}
