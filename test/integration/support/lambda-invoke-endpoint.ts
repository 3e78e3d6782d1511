/**
 * A local AWS Lambda Invoke endpoint on 127.0.0.1: `POST /2015-03-31/functions/{FunctionName}/invocations`
 * (RequestResponse) runs a handler in this process and answers as the Lambda service does: 200 with the
 * handler's JSON result; for a thrown error, 200 with `X-Amz-Function-Error: Unhandled` and
 * `{"errorType", "errorMessage", "trace"}`; for another function name, 404 `ResourceNotFoundException`.
 * Point an SDK client at it with `endpoint`, or the CLI with `AWS_ENDPOINT_URL_LAMBDA`.
 */
import { createServer, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '../../../dev/loopback-server.js';

export interface InvokeRecord {
  readonly functionName: string;
  readonly payload: unknown;
  readonly status: number;
  readonly functionError: string | undefined;
}

export interface LambdaInvokeEndpoint {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly invocations: readonly InvokeRecord[];
  stop(): Promise<void>;
}

export interface LambdaInvokeEndpointOptions {
  readonly functionName: string;
  /** Runs one invocation (the handler with its Lambda context). */
  readonly invoke: (payload: unknown) => Promise<unknown>;
}

const PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

export async function startLambdaInvokeEndpoint(
  options: LambdaInvokeEndpointOptions,
): Promise<LambdaInvokeEndpoint> {
  const invocations: InvokeRecord[] = [];
  const reply = (
    res: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body: unknown,
  ): void => {
    const text = JSON.stringify(body ?? null);
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(text)),
      'X-Amzn-RequestId': `local-${invocations.length}`,
      ...headers,
    });
    res.end(text);
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const match = PATH.exec(new URL(req.url ?? '/', 'http://localhost').pathname);
        if (req.method !== 'POST' || match === null) {
          return reply(
            res,
            404,
            { 'X-Amzn-ErrorType': 'UnknownOperationException' },
            { message: 'Unknown operation' },
          );
        }
        const functionName = decodeURIComponent(match[1]!);
        const text = Buffer.concat(chunks).toString('utf8');
        const payload: unknown = text === '' ? {} : JSON.parse(text);
        if (functionName !== options.functionName) {
          invocations.push({ functionName, payload, status: 404, functionError: undefined });
          return reply(
            res,
            404,
            { 'X-Amzn-ErrorType': 'ResourceNotFoundException' },
            {
              Type: 'User',
              message: `Function not found: arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
            },
          );
        }
        try {
          const result = await options.invoke(payload);
          invocations.push({ functionName, payload, status: 200, functionError: undefined });
          reply(res, 200, { 'X-Amz-Executed-Version': '$LATEST' }, result);
        } catch (error) {
          const failure = error instanceof Error ? error : new Error(String(error));
          invocations.push({ functionName, payload, status: 200, functionError: 'Unhandled' });
          reply(
            res,
            200,
            { 'X-Amz-Executed-Version': '$LATEST', 'X-Amz-Function-Error': 'Unhandled' },
            { errorType: failure.name, errorMessage: failure.message, trace: [] },
          );
        }
      })();
    });
  });
  const listening = await listenOnLoopback(server);
  return { endpoint: listening.url, invocations, stop: listening.close };
}
