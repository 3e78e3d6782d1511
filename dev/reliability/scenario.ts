/**
 * One reliability scenario through the real handler: a fresh local stack (Okta simulator, Sumo receiver,
 * DynamoDB, Secrets Manager and SSM on loopback), a fresh handler module composed from the stack's Lambda
 * environment, a cursor probe, and helpers to run scheduled ticks until everything is delivered.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { OKTA_SECRET_ID, startLocalStack, type LocalStack, type LocalStackOptions } from '../local-stack.js';
import { loadHandler, type InProcessOutcome, type LoadedHandler } from './in-process-handler.js';
import { CursorProbe, CursorWatch } from './invariants.js';

/** Small pages: a crash or a fault then re-sends at most this many events. */
export const PAGE_LIMIT = 50;

export interface Scenario {
  readonly stack: LocalStack;
  readonly probe: CursorProbe;
  handler: LoadedHandler;
  /** Reloads the handler (a new cold start) with the stack's environment plus `env`. */
  reload(env?: Readonly<Record<string, string>>): Promise<LoadedHandler>;
  stop(): Promise<void>;
}

/** The Lambda environment used unless a test says otherwise: small pages, debug logs (more output to check). */
export const BASE_ENV: Readonly<Record<string, string>> = {
  OKTA_PAGE_LIMIT: String(PAGE_LIMIT),
  POWERTOOLS_LOG_LEVEL: 'DEBUG',
  // Short timeouts so a hanging stand-in costs a second, not thirty.
  OKTA_REQUEST_TIMEOUT_MS: '2000',
  SUMO_REQUEST_TIMEOUT_MS: '2000',
};

export async function startScenario(
  options: LocalStackOptions & { readonly lambdaEnv?: Readonly<Record<string, string>> } = {},
): Promise<Scenario> {
  const { lambdaEnv, ...stackOptions } = options;
  const stack = await startLocalStack({
    ...stackOptions,
    okta: { events: { unusualRate: 0.2 }, ...stackOptions.okta },
  });
  const probe = new CursorProbe(stack);
  const scenario: Scenario = {
    stack,
    probe,
    handler: await loadHandler({ ...stack.env, ...BASE_ENV, ...lambdaEnv }),
    async reload(env = {}) {
      scenario.handler = await loadHandler({ ...stack.env, ...BASE_ENV, ...lambdaEnv, ...env });
      return scenario.handler;
    },
    async stop() {
      probe.close();
      await stack.stop();
    },
  };
  return scenario;
}

export interface TickSummaryView {
  readonly stopReason: string;
  readonly events: number;
  readonly retries: number;
  readonly rateLimited: number;
  readonly lastError?: string;
}

export function summaryOf(outcome: InProcessOutcome): TickSummaryView {
  if (outcome.kind !== 'returned') {
    const text =
      outcome.error instanceof Error
        ? `${outcome.error.name}: ${outcome.error.message}`
        : String(outcome.error);
    throw new Error(`the handler threw: ${text}`);
  }
  return outcome.value as TickSummaryView;
}

export interface TickRun {
  readonly outcomes: InProcessOutcome[];
  /** uuids found behind the stored cursor without a 2xx from Sumo, at any moment of the run. */
  readonly cursorViolations: string[];
  readonly output: string;
}

/**
 * Runs scheduled ticks until a tick reports `caught-up` with every produced event in Sumo, a tick throws, or
 * `maxTicks` ran, while a {@link CursorWatch} checks the cursor throughout.
 */
export async function tickUntilCaughtUp(
  scenario: Scenario,
  options: { maxTicks?: number; remainingMs?: number; stopOnError?: boolean } = {},
): Promise<TickRun> {
  const watch = new CursorWatch(scenario.probe);
  const outcomes: InProcessOutcome[] = [];
  let violations: string[] = [];
  try {
    for (let tick = 0; tick < (options.maxTicks ?? 10); tick++) {
      const outcome = await scenario.handler.invoke({}, { remainingMs: options.remainingMs ?? 60_000 });
      outcomes.push(outcome);
      if (outcome.kind === 'threw') {
        if (options.stopOnError ?? true) break;
        continue;
      }
      const summary = outcome.value as TickSummaryView;
      const everything =
        scenario.stack.sumo.missing(scenario.stack.okta.events.map((e) => e.uuid)).length === 0;
      if (summary.stopReason === 'caught-up' && everything) break;
    }
  } finally {
    ({ violations } = await watch.stop());
  }
  return { outcomes, cursorViolations: violations, output: outcomes.map((o) => o.output).join('') };
}

/** The Okta secret's text as the stack stored it (to put it back after a test replaced it). */
export async function readOktaSecret(s: Scenario): Promise<string> {
  const client = new SecretsManagerClient({
    endpoint: s.stack.aws.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    return (await client.send(new GetSecretValueCommand({ SecretId: OKTA_SECRET_ID }))).SecretString ?? '';
  } finally {
    client.destroy();
  }
}
