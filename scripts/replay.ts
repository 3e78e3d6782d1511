/**
 * Replays a window of Okta events through the deployed collector: invokes the function with
 * `{"replay": {...}}` and again until it answers `done: true`, printing progress. `--help` for usage and exit
 * statuses. Every option is checked (with the function's own rules) before any AWS call.
 *
 *   npm run replay -- --function-name <name> --since 2026-11-01T00:00:00Z --until 2026-11-02T00:00:00Z [--filter '...']
 */
import { fileURLToPath } from 'node:url';
import { EXIT, parseCli, USAGE, UsageError } from './replay/cli-options.js';
import { lambdaInvoker, type Invoke } from './replay/lambda-invoker.js';
import { HEARTBEAT_MS, runReplay, summaryLine } from './replay/run-replay.js';

/** Runs the command; resolves with the exit status. `invoker` is built only after the options are valid. */
export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
  invoker: (functionName: string) => Invoke = lambdaInvoker,
): Promise<number> {
  let cli;
  try {
    cli = parseCli(argv, env, Date.now());
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n(npm run replay -- --help for usage)`);
    return EXIT.usage;
  }
  if (cli.help) {
    console.log(USAGE);
    return EXIT.done;
  }
  for (const warning of cli.request.warnings) console.error(`warning: ${warning}`);
  try {
    const outcome = await runReplay(
      {
        replay: cli.replay,
        maxInvocations: cli.maxInvocations,
        // Undocumented, for tests: a heartbeat without waiting 15 s.
        heartbeatMs: Number(env.OKTA_SUMO_REPLAY_HEARTBEAT_MS) || HEARTBEAT_MS,
      },
      invoker(cli.functionName),
    );
    console.log(summaryLine(outcome));
    return outcome.done ? EXIT.done : EXIT.unfinished;
  } catch (error) {
    console.error(`failed: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failed;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
