/**
 * Replays a window of Okta events through the deployed collector: invokes the function with
 * `{"replay": {...}}` and again until it answers `done: true`, printing progress.
 *
 *   npm run replay -- --function-name <name> --since 2026-11-01T00:00:00Z --until 2026-11-02T00:00:00Z [--filter '...']
 *
 * Uses the AWS SDK's default configuration (AWS_PROFILE, AWS_REGION, ...).
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

export interface ReplayCliOptions {
  readonly functionName: string;
  readonly since: string;
  readonly until: string;
  readonly filter?: string;
  /** Stop after this many invocations (a safety net; a replay normally finishes long before). */
  readonly maxInvocations: number;
}

/** Invokes the function synchronously and returns its parsed result, or throws with the function's error. */
export type Invoke = (payload: unknown) => Promise<unknown>;

interface ReplayResult {
  readonly replayId: string;
  readonly done: boolean;
  readonly stopReason: string;
  readonly totalEvents?: number;
  readonly totalPages?: number;
  readonly events: number;
  readonly lastError?: string;
}

export function lambdaInvoker(functionName: string, client = new LambdaClient({})): Invoke {
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

/** Invokes until the replay is done; returns the last result. */
export async function runReplay(
  options: ReplayCliOptions,
  invoke: Invoke,
  print: (line: string) => void = console.log,
): Promise<ReplayResult> {
  const replay = {
    since: options.since,
    until: options.until,
    ...(options.filter ? { filter: options.filter } : {}),
  };
  for (let invocation = 1; invocation <= options.maxInvocations; invocation++) {
    const result = (await invoke({ replay })) as ReplayResult;
    print(
      `replay ${result.replayId}: invocation ${invocation}, ${result.events} events sent now, ` +
        `${result.totalEvents ?? 0} in all over ${result.totalPages ?? 0} pages (${result.done ? 'done' : result.stopReason})`,
    );
    if (result.done) return result;
    if (result.stopReason === 'lease-held') {
      // Another invocation (a scheduled tick, or a second copy of this command) is sending this window now.
      await new Promise((resolve) => setTimeout(resolve, 5000));
    }
  }
  throw new Error(
    `the replay was not done after ${options.maxInvocations} invocations; run the same command again to resume it`,
  );
}

function parseCli(argv: string[]): ReplayCliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      'function-name': { type: 'string', default: process.env.OKTA_SUMO_FUNCTION_NAME },
      since: { type: 'string' },
      until: { type: 'string' },
      filter: { type: 'string' },
      'max-invocations': { type: 'string', default: '1000' },
    },
  });
  const functionName = values['function-name'];
  if (!functionName)
    throw new Error(
      '--function-name is required (or set OKTA_SUMO_FUNCTION_NAME); the stack prints it as an output',
    );
  if (!values.since || !values.until)
    throw new Error('--since and --until are required ISO-8601 instants, e.g. 2026-11-01T00:00:00Z');
  return {
    functionName,
    since: values.since,
    until: values.until,
    ...(values.filter ? { filter: values.filter } : {}),
    maxInvocations: Number(values['max-invocations']),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const options = parseCli(process.argv.slice(2));
    await runReplay(options, lambdaInvoker(options.functionName));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
