/**
 * `npm start`: the collector end to end on this machine, with no AWS account and no internet.
 *
 * schedule (sped up) → the real Lambda handler → Okta simulator → Sumo receiver, cursor in a local DynamoDB,
 * the Okta credential in a local Secrets Manager and the Sumo URL in a local SSM, all on loopback.
 *
 * A new deployment meets a week of backlog, then live traffic (with late events); when production stops the
 * collector catches up, and the demo proves from the stand-ins' records that nothing was lost or altered,
 * shows what the Sumo App for Okta would chart, replays one hour, and checks no secret reached any output.
 *
 *   npm start                 API token (SSWS)
 *   npm start -- --oauth      OAuth 2.0 service app with private_key_jwt and DPoP (or DEMO_AUTH=oauth)
 *
 * Exits 0 only when nothing was lost or altered and no request broke Sumo's size limit.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startLocalStack, type LocalStack } from '../dev/local-stack.js';
import { quietSdkNodeVersionWarning } from '../dev/sdk-node-warning.js';
import { reportAuth } from './demo/auth-report.js';
import { produceBacklog } from './demo/backlog.js';
import { dashboardLines } from './demo/dashboards.js';
import { reportDelivery } from './demo/delivery-report.js';
import { bytes, count, seconds } from './demo/format.js';
import { LambdaInvoker } from './demo/lambda-invoker.js';
import { mainCursorReader } from './demo/main-cursor.js';
import { startLiveProduction } from './demo/live-production.js';
import { OutputCapture } from './demo/output-capture.js';
import { demonstrateReplay } from './demo/replay-demo.js';
import { Schedule } from './demo/schedule.js';
import { countSecretsIn } from './demo/secret-scan.js';

/** Okta's limit for /api/v1/logs in a Workforce Identity org; the collector takes its default share (0.5). */
const OKTA_RATE_LIMIT_PER_MINUTE = 120;
const BACKLOG = { events: 18_000, attackAttempts: 240, seed: 7 };
const LIVE = { forMs: 24_000, eventsPerSecond: 4, lateEveryMs: 3_000 };
/** The schedule's minute, compressed. */
const TICK_EVERY_MS = 3_000;
/** Each invocation's deadline: short, so a backlog takes more than one tick, as it would in AWS. */
const INVOCATION_DEADLINE_MS = 6_000;
const MAX_FINAL_TICKS = 10;

const print = (line = ''): void => console.log(line);

async function main(): Promise<number> {
  const started = Date.now();
  // The SDK's "Node < 22 will be unsupported in 2027" notice is noise in a demo on Node 20 (the function runs 24).
  quietSdkNodeVersionWarning();
  const oauth = process.argv.includes('--oauth') || process.env.DEMO_AUTH === 'oauth';
  const stack = await startLocalStack({
    oauth,
    okta: { rateLimitPerMinute: OKTA_RATE_LIMIT_PER_MINUTE, events: { unusualRate: 0.03 } },
  });
  const capture = new OutputCapture();
  try {
    // The handler reads its environment on the first invocation, as in Lambda: set it before loading it.
    Object.assign(process.env, stack.env, { POWERTOOLS_LOG_LEVEL: 'INFO' });
    capture.install();
    const problems = await runDemo(stack, oauth, capture);
    print();
    if (problems.length === 0) {
      print(
        `OK: nothing lost, nothing altered, no request over Sumo's 1 MB limit. (${seconds(Date.now() - started)})`,
      );
      return 0;
    }
    print(`FAILED (${seconds(Date.now() - started)}):`);
    for (const problem of problems) print(`  - ${problem}`);
    return 1;
  } finally {
    capture.restore();
    await stack.stop();
  }
}

async function runDemo(stack: LocalStack, oauth: boolean, capture: OutputCapture): Promise<string[]> {
  const { okta, sumo } = stack;
  const { handler } = await import('../lambda/handler.js');
  const invoker = new LambdaInvoker(handler, INVOCATION_DEADLINE_MS);
  const schedule = new Schedule(invoker, okta, TICK_EVERY_MS, print);

  print(
    'okta-sumo-collector, end to end on loopback: the real Lambda handler against local Okta, Sumo and AWS stand-ins',
  );
  print(
    oauth
      ? '  auth: OAuth 2.0 service app (private_key_jwt + DPoP), scope okta.logs.read'
      : '  auth: Okta API token (SSWS); try `npm start -- --oauth` for an OAuth 2.0 service app with DPoP',
  );
  print(
    `  Okta rate limit ${OKTA_RATE_LIMIT_PER_MINUTE}/min on /api/v1/logs; the collector's default share is 0.5`,
  );
  const backlog = produceBacklog(okta, BACKLOG);
  print(
    `  backlog: ${count(backlog.events)} events over the last 7 days (office hours, some unusual text, ` +
      `large ones of ${backlog.largeEventBytes.map(bytes).join(', ')}, a brute-force attack on 2 accounts)`,
  );
  print(
    `  live: ~${LIVE.eventsPerSecond} events/s for ${seconds(LIVE.forMs)}, some persisted late; the schedule ticks every ` +
      `${seconds(TICK_EVERY_MS)} (every minute in AWS), each invocation gets ${seconds(INVOCATION_DEADLINE_MS)}`,
  );
  print();
  print('Schedule (one line per invocation)');

  const live = startLiveProduction(okta, LIVE);
  const liveEnds = Date.now() + LIVE.forMs;
  try {
    await schedule.runWhile(() => Date.now() < liveEnds);
  } finally {
    live.stop();
  }
  print(
    `  production stopped: ${count(live.produced)} live events (${count(live.late)} late); ticking until caught up`,
  );
  const caughtUp = await schedule.runUntilCaughtUp(
    () => sumo.uuidCounts.size >= okta.events.length,
    MAX_FINAL_TICKS,
  );

  print();
  print("Delivery (from the stand-ins' records)");
  const delivery = reportDelivery(okta, sumo, 'okta');
  delivery.lines.forEach((line) => print(line));
  print();
  print('Okta authentication');
  const auth = reportAuth(okta, stack.authority);
  auth.lines.forEach((line) => print(line));
  print();
  dashboardLines(sumo).forEach((line) => print(line));

  print();
  print(`Replay of the attack hour (as \`npm run replay\` would invoke the function)`);
  const dynamo = new DynamoDBClient({}); // built now: the default configuration reads the stack's env
  const replayProblems = await demonstrateReplay(
    { invoker, okta, sumo, readMainCursor: mainCursorReader(dynamo), print },
    backlog.attackHour,
  ).finally(() => dynamo.destroy());

  print();
  const outputs = [capture.text, ...invoker.record];
  const leaks = countSecretsIn(outputs, stack.secrets);
  print(
    `secrets in output: ${leaks} (searched ${bytes(outputs.join('').length)} of logs, results and errors ` +
      `from ${count(invoker.invocations)} invocations for ${stack.secrets.length} secret values)`,
  );
  if (capture.warnings > 0) print(`collector warnings shown above: ${capture.warnings}`);

  return [
    ...(caughtUp ? [] : [`not caught up after ${MAX_FINAL_TICKS} final ticks`]),
    ...schedule.failures.map((failure) => `a tick failed: ${failure}`),
    ...delivery.problems,
    ...auth.problems,
    ...replayProblems,
    ...(leaks > 0 ? [`${leaks} secret value(s) appeared in logs or results`] : []),
  ];
}

process.exitCode = await main().catch((error: unknown) => {
  console.error('the demo could not run:', error);
  return 1;
});
