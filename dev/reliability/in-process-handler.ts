/**
 * The real Lambda handler loaded in the test process as a cold start: `process.env` is set to the Lambda's
 * environment, the module registry is reset, and `lambda/handler.ts` is imported afresh, so it composes itself
 * from that environment (config, SDK clients, adapters) exactly as in AWS. Everything written to stdout and
 * stderr while it runs is captured (and kept off the test output unless a loud capture is active) to check it
 * for secrets. The integration tests' `handler-under-test.ts` is a thin view of this one.
 *
 * Vitest only (it uses `vi.resetModules`); scripts use {@link HandlerWorker} instead.
 */
import { inspect } from 'node:util';
import type { Context } from 'aws-lambda';
import { vi } from 'vitest';
import { lambdaContext } from '../local-stack.js';
import { newRequestId } from './handler-worker.js';
import { captureOutput } from './output-capture.js';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

export type InProcessOutcome =
  | { readonly kind: 'returned'; readonly value: unknown; readonly output: string }
  | {
      readonly kind: 'threw';
      readonly error: unknown;
      /** message + stack + `util.inspect` (causes included): everything a log line could show of it. */
      readonly errorText: string;
      readonly output: string;
    };

const ORIGINAL_ENV = { ...process.env };

async function captured<T>(
  run: () => Promise<T>,
): Promise<{ result: PromiseSettledResult<T>; output: string }> {
  const capture = captureOutput({ quiet: true });
  try {
    const [result] = await Promise.allSettled([run()]);
    return { result, output: capture.text() };
  } finally {
    capture.stop();
  }
}

export interface InvokeOptions {
  /** The context's time left. @default 60 s */
  readonly remainingMs?: number;
  readonly requestId?: string;
}

export interface LoadedHandler {
  invoke(event: unknown, options?: InvokeOptions): Promise<InProcessOutcome>;
}

/**
 * Sets `process.env` to the original environment plus `env`, and imports a fresh copy of the handler module.
 * The previous copy (and its cached composition) stays usable by whoever holds it, with its own config.
 */
export async function loadHandler(env: Readonly<Record<string, string>>): Promise<LoadedHandler> {
  for (const key of Object.keys(process.env)) if (!(key in ORIGINAL_ENV)) delete process.env[key];
  Object.assign(process.env, ORIGINAL_ENV, env);
  vi.resetModules();
  const { handler } = (await import('../../lambda/handler.js')) as { handler: Handler };
  return {
    async invoke(event, options = {}) {
      const context = lambdaContext(
        options.remainingMs ?? 60_000,
        options.requestId ?? newRequestId('inproc'),
      );
      const { result, output } = await captured(() => handler(event, context));
      if (result.status === 'fulfilled') return { kind: 'returned', value: result.value, output };
      const error: unknown = result.reason;
      const errorText =
        error instanceof Error
          ? `${error.message}\n${error.stack ?? ''}\n${inspect(error, { depth: 8 })}`
          : inspect(error, { depth: 8 });
      return { kind: 'threw', error, errorText, output };
    },
  };
}
