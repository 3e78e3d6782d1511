/** Invokes the deployed collector function synchronously, once per call: no SDK retry may invoke it again. */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

/**
 * Above Lambda's longest timeout (15 minutes): the answer of a replay invocation that runs to its time budget
 * must be waited for, not given up on (the AWS CLI's 60 s default gives up and retries, invoking again).
 */
export const INVOKE_READ_TIMEOUT_MS = 16 * 60_000;

/** Invokes the function synchronously and returns its parsed result, or throws with the function's error. */
export type Invoke = (payload: unknown) => Promise<unknown>;

/**
 * A Lambda client for synchronous invokes: one attempt (a retried Invoke runs the function again), and a read
 * timeout above the function's. Otherwise the SDK's default configuration (AWS_PROFILE, AWS_REGION,
 * AWS_ENDPOINT_URL_LAMBDA, ...).
 */
export function invokeClient(): LambdaClient {
  return new LambdaClient({
    maxAttempts: 1,
    requestHandler: {
      requestTimeout: INVOKE_READ_TIMEOUT_MS,
      socketTimeout: INVOKE_READ_TIMEOUT_MS,
      throwOnRequestTimeout: true,
      connectionTimeout: 10_000,
    },
  });
}

export function lambdaInvoker(functionName: string, client: LambdaClient = invokeClient()): Invoke {
  return async (payload) => {
    const output = await client.send(
      new InvokeCommand({
        FunctionName: functionName,
        Payload: new TextEncoder().encode(JSON.stringify(payload)),
      }),
    );
    const body = output.Payload
      ? (JSON.parse(new TextDecoder().decode(output.Payload)) as unknown)
      : undefined;
    if (output.FunctionError) {
      const error = body as { errorType?: string; errorMessage?: string } | undefined;
      throw new Error(`${error?.errorType ?? 'Error'}: ${error?.errorMessage ?? 'the function failed'}`);
    }
    return body;
  };
}
