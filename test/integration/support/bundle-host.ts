/**
 * Runs a Lambda bundle (the synthesized asset's `index.mjs`) in a child Node process the way the Lambda runtime
 * does: the process environment is the function's environment, the module is imported once (a cold start) and
 * then serves invocations one at a time, each with an event and a context with a deadline. A thrown error comes
 * back as `{errorType, errorMessage}`, as the runtime reports it; a result comes back JSON-serialized.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** The runtime side, run with `node --input-type=module -e`; argv: module path, export name. */
const HOST_CODE = `
import { pathToFileURL } from 'node:url';
const [, modulePath, exportName] = process.argv;
const handler = (await import(pathToFileURL(modulePath).href))[exportName];
if (typeof handler !== 'function') throw new Error('the bundle does not export a function named ' + exportName);
let count = 0;
process.on('message', async ({ id, event, remainingMs }) => {
  count += 1;
  const deadline = Date.now() + remainingMs;
  const context = {
    awsRequestId: 'bundle-' + process.pid + '-' + count,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:' + process.env.AWS_LAMBDA_FUNCTION_NAME,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: '/aws/lambda/' + process.env.AWS_LAMBDA_FUNCTION_NAME,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    const result = await handler(event, context);
    process.send({ id, result: result === undefined ? null : JSON.parse(JSON.stringify(result)) });
  } catch (error) {
    process.send({ id, error: { errorType: error?.name ?? 'Error', errorMessage: error?.message ?? String(error) } });
  }
});
process.send({ ready: true });
`;

/** What the runtime reports for an invocation that threw. */
export class FunctionError extends Error {
  public constructor(
    public readonly errorType: string,
    public readonly errorMessage: string,
  ) {
    super(`${errorType}: ${errorMessage}`);
    this.name = 'FunctionError';
  }
}

export interface BundleHost {
  invoke(event: unknown, remainingMs: number): Promise<unknown>;
  /** What the bundle printed (its log stream). */
  output(): string;
  stop(): Promise<void>;
}

interface Reply {
  readonly id?: number;
  readonly ready?: boolean;
  readonly result?: unknown;
  readonly error?: { errorType: string; errorMessage: string };
}

export async function startBundleHost(
  modulePath: string,
  exportName: string,
  env: Readonly<Record<string, string>>,
): Promise<BundleHost> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--input-type=module', '-e', HOST_CODE, modulePath, exportName],
    {
      env: { ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let exited: Error | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (message: Reply) => {
      if (message.ready === true) return resolve();
      const waiter = message.id === undefined ? undefined : pending.get(message.id);
      if (waiter === undefined) return;
      pending.delete(message.id!);
      if (message.error)
        waiter.reject(new FunctionError(message.error.errorType, message.error.errorMessage));
      else waiter.resolve(message.result);
    });
    child.on('exit', (code, signal) => {
      exited = new Error(
        `the bundle's process ended (code ${code}, signal ${signal}):\n${output.slice(-2000)}`,
      );
      reject(exited);
      for (const waiter of pending.values()) waiter.reject(exited);
      pending.clear();
    });
  });
  await ready;
  return {
    invoke: (event, remainingMs) =>
      new Promise((resolve, reject) => {
        if (exited) return reject(exited);
        const id = nextId++;
        pending.set(id, { resolve, reject });
        child.send({ id, event, remainingMs });
      }),
    output: () => output,
    stop: async () => {
      if (exited) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await gone;
    },
  };
}
