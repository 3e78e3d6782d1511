/**
 * The replay command (`scripts/replay.ts`) against a local Lambda Invoke endpoint that runs the real handler on
 * the local stack: it re-invokes until the replay is done, prints progress, and surfaces function errors.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaInvoker } from '../../scripts/replay/lambda-invoker.js';
import { runReplay } from '../../scripts/replay/run-replay.js';
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
  /^replay (r-[0-9a-f]{16}): invocation (\d+), (\d+) events sent now, (\d+) in all over (\d+) pages, (\d+)% of the window \((time-budget|done)\)$/;

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `tsx scripts/replay.ts <args>` with only the standard AWS variables pointing at the local endpoint. */
function runCli(
  args: readonly string[],
  lambdaEndpoint: string,
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<CliRun> {
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
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...extraEnv,
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
  const options = (print: (line: string) => void, replay: { since: string; until: string } = window) => ({
    replay,
    maxInvocations: 20,
    print,
    heartbeat: () => undefined,
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
    const outcome = await runReplay(
      options((line) => printed.push(line)),
      lambdaInvoker(FUNCTION_NAME, client),
    );
    const result = outcome.last!;

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
    const percent = progress.map((match) => Number(match![6]));
    expect(percent.at(-1)).toBe(100);
    expect(percent.every((value, index) => index === 0 || value >= percent[index - 1]!)).toBe(true);
    expect(progress.map((match) => match![7])).toEqual([
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
    const invalid = options(() => undefined, {
      ...window,
      until: new Date(Date.now() + MINUTE_MS).toISOString(),
    });

    // Act
    const act = runReplay(invalid, lambdaInvoker(FUNCTION_NAME, client));

    // Assess
    await expect(act).rejects.toThrow(
      /^ReplayRequestError: replay\.until must be at least 1 minute in the past \(Okta may still be persisting later events\)$/,
    );
    expect(endpoint.invocations.slice(calls).map((call) => call.functionError)).toEqual(['Unhandled']);
  });

  it('fails clearly when the function does not exist', async () => {
    // Act
    const act = runReplay(
      options(() => undefined),
      lambdaInvoker('no-such-function', client),
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
    expect(lines.slice(0, -1).every((line) => PROGRESS.test(line))).toBe(true);
    expect(lines.at(-1)).toMatch(
      /^done: replay r-[0-9a-f]{16} sent \d+ events over \d+ pages \(\d+ in this run; \d+ invocation\(s\), /,
    );
    const last = PROGRESS.exec(lines.at(-2)!)!;
    expect(last[7]).toBe('done');
    expect(Number(last[4])).toBe(expected.length);
    expect(compareLines(replayLines(stack.sumo, last[1]!), expected)).toEqual({
      missing: [],
      unexpected: [],
      mismatched: [],
      duplicates: 0,
    });
  });

  it('exits with status 1 and prints the error when the invocation fails', async () => {
    // Act
    const run = await runCli(
      ['--function-name', 'no-such-function', '--since', earlier.since, '--until', earlier.until],
      endpoint.endpoint,
    );

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^failed: .*Function not found/m);
  });

  it('prints usage with an example and the exit statuses for --help and -h (exit 0)', async () => {
    // Act
    const runs = await Promise.all([runCli(['--help'], ''), runCli(['-h'], '')]);

    // Assess
    for (const run of runs) {
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Usage: npm run replay -- --function-name <name> --since <instant>');
      expect(run.stdout).toContain('Example:');
      expect(run.stdout).toMatch(
        /Exit status: 0 the replay is done, 1 it failed .*\s2 usage error .*\s3 not done/s,
      );
    }
  });

  it.each([
    ['--since yesterday', ['--since', 'yesterday'], '--since must be an ISO-8601 instant'],
    [
      '--since after --until',
      ['--since', '2026-11-02T00:00:00Z', '--until', '2026-11-01T00:00:00Z'],
      '--since must be before --until',
    ],
    [
      '--since 2026-02-30',
      ['--since', '2026-02-30T00:00:00Z'],
      '--since is not a real date and time: day 30 does not exist',
    ],
    [
      '--max-invocations abc',
      ['--max-invocations', 'abc'],
      '--max-invocations must be a whole number from 1 to 100000, got "abc"',
    ],
    ['--max-invocations 0', ['--max-invocations', '0'], '--max-invocations must be a whole number'],
    ['a 1025-character --filter', ['--filter', 'x'.repeat(1025)], '--filter is longer than 1024 characters'],
    ['an unknown option', ['--sinse', 'x'], 'unknown option "--sinse"'],
  ] as const)(
    'refuses %s with exit 2 naming the option, before any AWS call (no region, no credentials)',
    async (_label, args, message) => {
      // Prepare
      const valid: Record<string, string> = {
        '--function-name': FUNCTION_NAME,
        '--since': earlier.since,
        '--until': earlier.until,
      };
      for (let i = 0; i < args.length; i += 2) valid[args[i]!] = args[i + 1]!;
      const calls = endpoint.invocations.length;

      // Act: no AWS_REGION, no credentials, and a Lambda endpoint that would answer.
      const run = await new Promise<CliRun>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', 'scripts/replay.ts', ...Object.entries(valid).flat()],
          {
            cwd: REPO_ROOT,
            env: { PATH: process.env.PATH ?? '', AWS_ENDPOINT_URL_LAMBDA: endpoint.endpoint },
          },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });

      // Assess
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(message);
      expect(run.stderr).not.toMatch(/region/i);
      expect(run.stderr.length).toBeLessThan(400);
      expect(endpoint.invocations.length).toBe(calls);
    },
  );

  it('beats while an invocation runs and exits 3 when not done after --max-invocations', async () => {
    // Prepare: a window not replayed yet, and Okta slow enough that an invocation outlasts a few heartbeats.
    const fresh = {
      since: new Date(t0 - 300 * MINUTE_MS).toISOString(),
      until: new Date(t0 - 240 * MINUTE_MS).toISOString(),
    };
    stack.okta.produce(100, {
      publishedAt: (i) => Date.parse(fresh.since) + i * 30_000,
    });

    // Act
    const run = await runCli(
      [
        '--function-name',
        FUNCTION_NAME,
        '--since',
        fresh.since,
        '--until',
        fresh.until,
        '--max-invocations',
        '1',
      ],
      endpoint.endpoint,
      { OKTA_SUMO_REPLAY_HEARTBEAT_MS: '100' },
    );

    // Assess
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^ {2}invocation 1 running for \d+ s$/m);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(PROGRESS);
    expect(PROGRESS.exec(lines[0]!)![7]).toBe('time-budget');
    expect(lines.at(-1)).toMatch(
      /^not done after 1 invocation\(s\), .*run the same command again to resume it$/,
    );
  });
});
