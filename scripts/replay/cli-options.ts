/**
 * The replay command's options, validated before any AWS call with the function's own rules, so a typo is
 * reported at once, naming the option, without a region or credentials.
 */
import { parseArgs } from 'node:util';
import { boundedQuote } from '../../lambda/core/bounded-quote.js';
import { validateReplayWindow, type ParsedReplay } from '../../lambda/core/replay-request.js';

export const EXIT = { done: 0, failed: 1, usage: 2, unfinished: 3 } as const;

const DEFAULT_MAX_INVOCATIONS = 1000;
const MAX_MAX_INVOCATIONS = 100_000;
/** A function name, partial ARN or ARN, optionally with a version or alias (Lambda's own limit is 170). */
const FUNCTION_NAME = /^[A-Za-z0-9_\-:.$]{1,170}$/;

export const USAGE = `Replays a window of Okta events through the deployed collector function: invokes it with
{"replay": {...}} again and again until it answers done.

Usage: npm run replay -- --function-name <name> --since <instant> --until <instant> [options]

  --function-name <name>   the collector function (stack output FunctionName); or set OKTA_SUMO_FUNCTION_NAME
  --since <instant>        start of the window, included: ISO-8601 (2026-11-01T00:00:00Z) or epoch
                           milliseconds (1793491200000, as the script collector's start_time)
  --until <instant>        end of the window, excluded; at least 1 minute ago (a warning if less than 10)
  --filter <expression>    an Okta filter, e.g. 'eventType eq "user.session.start"' (at most 1024 characters)
  --max-invocations <n>    stop after n invocations (1-${MAX_MAX_INVOCATIONS}, default ${DEFAULT_MAX_INVOCATIONS}); the same command resumes
  -h, --help               this text

Example:
  npm run replay -- --function-name OktaSumoCollector-CollectorFunction-AbC123 \\
    --since 2026-11-01T00:00:00Z --until 2026-11-02T00:00:00Z

The window may be at most 180 days back. AWS credentials and region come from the usual places
(AWS_PROFILE, AWS_REGION, ...). Progress goes to stdout, a heartbeat while an invocation runs to stderr.

Exit status: 0 the replay is done, 1 it failed (the function's or AWS's error is printed),
2 usage error (nothing was invoked), 3 not done after --max-invocations (run the same command again).`;

export interface ReplayCliOptions {
  readonly functionName: string;
  readonly request: ParsedReplay;
  /** The payload's `replay` member: the window as ISO instants (epoch ms given on the command line converted). */
  readonly replay: { readonly since: string; readonly until: string; readonly filter?: string };
  readonly maxInvocations: number;
}

export type ParsedCli = { readonly help: true } | ({ readonly help: false } & ReplayCliOptions);

/** A bad command line: printed with a pointer to --help, exit status 2. */
export class UsageError extends Error {
  public override readonly name = 'UsageError';
}

/** @throws UsageError naming the option. */
export function parseCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  now: number,
): ParsedCli {
  const values = parseOptions(argv);
  if (values.help) return { help: true };
  const functionName = values['function-name'] ?? env.OKTA_SUMO_FUNCTION_NAME;
  if (!functionName)
    throw new UsageError(
      '--function-name is required (or set OKTA_SUMO_FUNCTION_NAME); the stack prints it as the output FunctionName',
    );
  if (!FUNCTION_NAME.test(functionName))
    throw new UsageError(
      `--function-name is not a Lambda function name or ARN, got ${boundedQuote(functionName)}`,
    );
  if (values.since === undefined) throw new UsageError('--since is required (e.g. 2026-11-01T00:00:00Z)');
  if (values.until === undefined) throw new UsageError('--until is required (e.g. 2026-11-02T00:00:00Z)');
  const maxInvocations = wholeNumber(values['max-invocations'], '--max-invocations');
  let request: ParsedReplay;
  try {
    request = validateReplayWindow(
      { since: values.since, until: values.until, filter: values.filter },
      now,
      (field) => `--${field}`,
    );
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { since, until, filter } = request.window;
  return {
    help: false,
    functionName,
    request,
    replay: { since, until, ...(filter === undefined ? {} : { filter }) },
    maxInvocations,
  };
}

function parseOptions(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        'function-name': { type: 'string' },
        since: { type: 'string' },
        until: { type: 'string' },
        filter: { type: 'string' },
        'max-invocations': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    // parseArgs quotes the whole offending argument: say the same in a bounded way.
    const code = (error as { code?: string }).code;
    const offending = argv.find((arg) => arg.startsWith('-') && !KNOWN.has(arg.split('=')[0]!));
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && offending !== undefined)
      throw new UsageError(`unknown option ${boundedQuote(offending)}`);
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const positional = argv.find((arg) => !arg.startsWith('-')) ?? '';
      throw new UsageError(`unexpected argument ${boundedQuote(positional)} (options take --name value)`);
    }
    const option = argv.find((arg) => KNOWN.has(arg)) ?? 'an option';
    throw new UsageError(
      code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
        ? `${optionIn(error, option)} needs a value`
        : `invalid command line (${optionIn(error, option)})`,
    );
  }
}

const KNOWN = new Set([
  '--function-name',
  '--since',
  '--until',
  '--filter',
  '--max-invocations',
  '--help',
  '-h',
]);

/** The option parseArgs complained about, taken from our own list (never the user's text unbounded). */
function optionIn(error: unknown, fallback: string): string {
  const message = error instanceof Error ? error.message : '';
  return [...KNOWN].find((name) => message.includes(`${name} `) || message.includes(`'${name}`)) ?? fallback;
}

function wholeNumber(value: string | undefined, option: string): number {
  if (value === undefined) return DEFAULT_MAX_INVOCATIONS;
  const n = /^\d{1,7}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!(n >= 1 && n <= MAX_MAX_INVOCATIONS))
    throw new UsageError(
      `${option} must be a whole number from 1 to ${MAX_MAX_INVOCATIONS}, got ${boundedQuote(value)}`,
    );
  return n;
}
