/**
 * Invokes the real Lambda handler in this process, as the Lambda runtime would: an event, and a context whose
 * deadline is a few seconds away. Every result and error message is kept, so the demo can check that none of
 * them carries a secret.
 */
import type { Context } from 'aws-lambda';
import { inspect } from 'node:util';
import { lambdaContext } from '../../dev/local-stack.js';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

export type Invocation<R> = { ok: true; result: R; ms: number } | { ok: false; error: string; ms: number };

export class LambdaInvoker {
  /** JSON of every result and the message of every error, in order. */
  public readonly record: string[] = [];
  public invocations = 0;

  public constructor(
    private readonly handler: Handler,
    /** The deadline each invocation gets (a real one is the function's timeout). */
    private readonly deadlineMs: number,
  ) {}

  public async invoke<R>(event: unknown): Promise<Invocation<R>> {
    this.invocations += 1;
    // lambdaContext gives the members the handler reads; the rest of Context is Lambda runtime detail.
    const context = lambdaContext(this.deadlineMs, `demo-${this.invocations}`);
    const started = Date.now();
    try {
      const result = (await this.handler(event, context)) as R;
      this.record.push(JSON.stringify(result));
      return { ok: true, result, ms: Date.now() - started };
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      // The Lambda runtime reports the stack too, and the cause chain can quote what the message leaves out.
      this.record.push(error instanceof Error ? inspect(error) : message);
      return { ok: false, error: message, ms: Date.now() - started };
    }
  }
}
