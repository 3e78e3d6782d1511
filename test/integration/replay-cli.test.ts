/**
 * The replay command (`scripts/replay.ts`) against a local Lambda Invoke endpoint that runs the real handler on
 * the local stack: it re-invokes until the replay is done, prints progress, and surfaces function errors.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaInvoker, runReplay } from '../../scripts/replay.js';
import { startLocalStack, type LocalStack } from '../../dev/local-stack.js';
import { loadHandler } from './support/handler-under-test.js';
import { startLambdaInvokeEndpoint, type LambdaInvokeEndpoint } from './support/lambda-invoke-endpoint.js';
import { compareLines, replayLines } from './support/sumo-views.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FUNCTION_NAME = 'OktaSumoCollector-CollectorFunction-local';
const MINUTE_MS = 60_000;
/** The function's timeout as the endpoint gives it: room for one page when Okta answers slowly (see replay.test.ts). */
const REMAINING_MS = 5000;
const PROGRESS =
  /^replay (r-[0-9a-f]{16}): invocation (\d+), (\d+) events sent now, (\d+) in all over (\d+) pages \((time-budget|done)\)$/;

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `tsx scripts/replay.ts <args>` with only the standard AWS variables pointing at the local endpoint. */
function runCli(args: readonly string[], lambdaEndpoint: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/replay.ts', ...args], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'AKIDLOCALSTANDIN',
        AWS_SECRET_ACCESS_KEY: 'local-stand-in-not-a-secret',
        AWS_ENDPOINT_URL_LAMBDA: lambdaEndpoint,
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the replay command', () => {
  let stack: LocalStack;
  let endpoint: LambdaInvokeEndpoint;
  let client: LambdaClient;
  const t0 = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - 10 * MINUTE_MS;
  const window = { since: new Date(t0 - 60 * MINUTE_MS).toISOString(), until: new Date(t0).toISOString() };
  const earlier = {
    since: new Date(t0 - 180 * MINUTE_MS).toISOString(),
    until: new Date(t0 - 120 * MINUTE_MS).toISOString(),
  };
  const options = (extra: Record<string, unknown> = {}) => ({
    functionName: FUNCTION_NAME,
    ...window,
    maxInvocations: 20,
    ...extra,
  });

  beforeAll(async () => {
    stack = await startLocalStack({ env: { OKTA_PAGE_LIMIT: '40' } });
    const lambda = await loadHandler(stack.env);
    endpoint = await startLambdaInvokeEndpoint({
      functionName: FUNCTION_NAME,
      invoke: (payload) => lambda.invoke(payload, REMAINING_MS),
    });
    client = new LambdaClient({
      endpoint: endpoint.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDLOCALSTANDIN', secretAccessKey: 'local-stand-in-not-a-secret' },
    });
    for (const w of [window, earlier]) {
      const since = Date.parse(w.since);
      const span = Date.parse(w.until) - since;
      stack.okta.produce(150, { publishedAt: (i) => since + Math.floor((i * span) / 150) });
    }
    // Every Okta answer takes a while, so each invocation has time for one page and the command must go on.
    stack.okta.setFaults({ probability: 1, pool: [{ kind: 'slow', delayMs: 700 }] });
  });

  afterAll(async () => {
    client.destroy();
    await endpoint.stop();
    await stack.stop();
  });

  it('invokes the function again and again until the replay is done, printing progress each time', async () => {
    // Prepare
    const printed: string[] = [];
    const expected = stack.okta.events.filter(
      (e) => e.publishedMs >= Date.parse(window.since) && e.publishedMs < Date.parse(window.until),
    );

    // Act
    const result = await runReplay(options(), lambdaInvoker(FUNCTION_NAME, client), (line) =>
      printed.push(line),
    );

    // Assess
    expect(result).toMatchObject({ done: true, totalEvents: expected.length });
    expect(endpoint.invocations.length).toBeGreaterThan(2);
    expect(
      endpoint.invocations.every(
        (call) => JSON.stringify(call.payload) === JSON.stringify({ replay: window }),
      ),
    ).toBe(true);
    expect(printed).toHaveLength(endpoint.invocations.length);
    const progress = printed.map((line) => PROGRESS.exec(line));
    expect(progress.every((match) => match !== null)).toBe(true);
    expect(progress.map((match) => Number(match![2]))).toEqual(printed.map((_, index) => index + 1));
    expect(progress.map((match) => match![6])).toEqual([
      ...printed.slice(1).map(() => 'time-budget'),
      'done',
    ]);
    expect(progress.at(-1)![1]).toBe(result.replayId);
    expect(Number(progress.at(-1)![4])).toBe(expected.length);
    expect(compareLines(replayLines(stack.sumo, result.replayId), expected)).toEqual({
      missing: [],
      unexpected: [],
      mismatched: [],
      duplicates: 0,
    });
  });

  it("surfaces the function's error as a clear error, without invoking again", async () => {
    // Prepare
    const calls = endpoint.invocations.length;
    const invalid = options({ until: new Date(Date.now() + MINUTE_MS).toISOString() });

    // Act
    const act = runReplay(invalid, lambdaInvoker(FUNCTION_NAME, client), () => undefined);

    // Assess
    await expect(act).rejects.toThrow(
      /^ReplayRequestError: replay\.until must be at least 1 minute in the past \(Okta may still be persisting later events\)$/,
    );
    expect(endpoint.invocations.slice(calls).map((call) => call.functionError)).toEqual(['Unhandled']);
  });

  it('fails clearly when the function does not exist', async () => {
    // Act
    const act = runReplay(
      options({ functionName: 'no-such-function' }),
      lambdaInvoker('no-such-function', client),
      () => undefined,
    );

    // Assess
    await expect(act).rejects.toThrow(/Function not found/);
  });

  it('runs from the command line with the standard AWS environment (AWS_ENDPOINT_URL_LAMBDA), filter included', async () => {
    // Prepare
    const filter = 'eventType eq "user.session.start"';
    const expected = stack.okta.events.filter(
      (e) =>
        e.publishedMs >= Date.parse(earlier.since) &&
        e.publishedMs < Date.parse(earlier.until) &&
        e.event.eventType === 'user.session.start',
    );

    // Act
    const run = await runCli(
      [
        '--function-name',
        FUNCTION_NAME,
        '--since',
        earlier.since,
        '--until',
        earlier.until,
        '--filter',
        filter,
      ],
      endpoint.endpoint,
    );

    // Assess
    expect(run.stderr).not.toMatch(/Error:/);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.every((line) => PROGRESS.test(line))).toBe(true);
    const last = PROGRESS.exec(lines.at(-1)!)!;
    expect(last[6]).toBe('done');
    expect(Number(last[4])).toBe(expected.length);
    expect(compareLines(replayLines(stack.sumo, last[1]!), expected)).toEqual({
      missing: [],
      unexpected: [],
      mismatched: [],
      duplicates: 0,
    });
  });

  it('exits with status 1 and prints the function error on the command line', async () => {
    // Act
    const run = await runCli(
      ['--function-name', FUNCTION_NAME, '--since', earlier.until, '--until', earlier.since],
      endpoint.endpoint,
    );

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ReplayRequestError: replay.since must be before replay.until');
  });
});
