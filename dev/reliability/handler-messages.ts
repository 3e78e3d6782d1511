/** The IPC protocol between {@link HandlerWorker} and its child process (handler-process.ts). */

export interface InvokeMessage {
  readonly type: 'invoke';
  readonly id: number;
  readonly event: unknown;
  /** The context's `getRemainingTimeInMillis()` at the start of the invocation. */
  readonly remainingMs: number;
  readonly requestId: string;
  /**
   * How far this container's `Date.now()` runs ahead of the parent's from this invocation on (never less than
   * before): a test moves time forward so that a killed invocation's lease lapses without waiting for it.
   */
  readonly clockOffsetMs: number;
}

export type ParentMessage = InvokeMessage;

/** An error as the Lambda runtime would report it, plus everything `util.inspect` shows (causes included). */
export interface ReportedError {
  readonly name: string;
  readonly message: string;
  readonly stack: string;
  readonly inspected: string;
}

export type ChildMessage =
  | { readonly type: 'ready' }
  /** The invocation began; `deadlineAt` is its Lambda deadline (epoch ms, child clock = parent clock + offset). */
  | { readonly type: 'started'; readonly id: number; readonly deadlineAt: number }
  | { readonly type: 'result'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly type: 'result'; readonly id: number; readonly ok: false; readonly error: ReportedError };
