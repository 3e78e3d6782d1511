/**
 * Runs the real Lambda handler in a child process, like a Lambda container: one cold start, then any number of
 * warm invocations, until the container is killed. SIGKILL is a crash at an arbitrary point: no `finally`, no
 * lease release, no flush. Everything the child writes to stdout and stderr is kept, to check for secrets.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ReportedError } from './handler-messages.js';

const CHILD_SCRIPT = fileURLToPath(new URL('./handler-process.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** How an invocation ended. */
export type InvocationOutcome =
  | { readonly kind: 'returned'; readonly value: unknown }
  | { readonly kind: 'threw'; readonly error: ReportedError }
  /** The container died (killed) before the invocation ended. */
  | { readonly kind: 'killed' };

export interface Invocation {
  /** Resolves when the child started the invocation, with its Lambda deadline (epoch ms). */
  readonly started: Promise<number>;
  readonly outcome: Promise<InvocationOutcome>;
  readonly requestId: string;
}

/** Variables of the parent worth passing on (the child must find node, tsx and a temp dir); nothing AWS. */
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SYSTEMROOT'];

let requestCounter = 0;

/** A fresh Lambda-like request id. */
export function newRequestId(prefix = 'req'): string {
  requestCounter += 1;
  return `${prefix}-${process.pid}-${requestCounter}-${Math.random().toString(36).slice(2, 8)}`;
}

export class HandlerWorker {
  private readonly child: ChildProcess;
  private readonly chunks: string[] = [];
  private readonly pending = new Map<
    number,
    { started: (deadline: number) => void; done: (outcome: InvocationOutcome) => void }
  >();
  private nextId = 0;
  private dead = false;
  /** How far the container's clock runs ahead of this process's, from the next invocation on (only grows). */
  public clockOffsetMs = 0;
  /** Resolves when the child has imported the handler (the cold start is over). */
  public readonly ready: Promise<void>;
  /** Resolves when the child exited, for whatever reason. */
  public readonly exited: Promise<void>;

  /** @param env the Lambda's environment (e.g. the local stack's `env` plus overrides). */
  public constructor(env: Readonly<Record<string, string>>) {
    const base: Record<string, string> = {};
    for (const name of INHERITED) {
      const value = process.env[name];
      if (value !== undefined) base[name] = value;
    }
    this.child = fork(CHILD_SCRIPT, [], {
      cwd: REPO_ROOT,
      env: { ...base, ...env },
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.chunks.push(chunk));
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.chunks.push(chunk));
    this.exited = new Promise((resolve) => {
      this.child.once('exit', () => {
        this.dead = true;
        for (const { done } of this.pending.values()) done({ kind: 'killed' });
        this.pending.clear();
        resolve();
      });
    });
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (message: ChildMessage) => {
        if (message.type === 'ready') resolve();
      };
      this.child.on('message', onMessage);
      void this.exited.then(() =>
        reject(new Error(`the handler process exited during its cold start:\n${this.output().slice(-4000)}`)),
      );
    });
    // A rejection nobody awaited yet is not a crash of the test process.
    this.ready.catch(() => undefined);
    this.child.on('message', (message: ChildMessage) => this.onMessage(message));
  }

  /** Invokes the handler once; `remainingMs` is the context's time left (the Lambda deadline). */
  public invoke(event: unknown, options: { remainingMs: number; requestId?: string }): Invocation {
    const id = this.nextId++;
    const requestId = options.requestId ?? newRequestId();
    let started!: (deadline: number) => void;
    let done!: (outcome: InvocationOutcome) => void;
    const startedPromise = new Promise<number>((resolve) => (started = resolve));
    const outcome = new Promise<InvocationOutcome>((resolve) => (done = resolve));
    if (this.dead) {
      done({ kind: 'killed' });
    } else {
      this.pending.set(id, { started, done });
      this.child.send({
        type: 'invoke',
        id,
        event,
        remainingMs: options.remainingMs,
        requestId,
        clockOffsetMs: this.clockOffsetMs,
      });
    }
    return { started: startedPromise, outcome, requestId };
  }

  /** SIGKILL: the container dies now, whatever it was doing. Resolves once it is gone. */
  public async kill(): Promise<void> {
    if (!this.dead) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Ends the container (after the last invocation): SIGKILL too, since a frozen Lambda never runs again. */
  public async stop(): Promise<void> {
    await this.kill();
  }

  public get alive(): boolean {
    return !this.dead;
  }

  /** Everything the child wrote to stdout and stderr so far. */
  public output(): string {
    return this.chunks.join('');
  }

  private onMessage(message: ChildMessage): void {
    if (message.type === 'ready') return;
    const entry = this.pending.get(message.id);
    if (entry === undefined) return;
    if (message.type === 'started') {
      entry.started(message.deadlineAt);
      return;
    }
    this.pending.delete(message.id);
    entry.done(
      message.ok ? { kind: 'returned', value: message.value } : { kind: 'threw', error: message.error },
    );
  }
}
