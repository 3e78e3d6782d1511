/**
 * A small request/response protocol over Node's child-process IPC channel, so the benchmark can keep the
 * stand-ins and the collector in separate processes (their CPU is then measured apart, and a fresh process
 * gives a clean peak RSS) and still drive them step by step.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { Confinement } from './cgroup.js';

type Handler = (args: never) => unknown;

interface Request {
  readonly id: number;
  readonly cmd: string;
  readonly args: unknown;
}

interface Reply {
  readonly id: number;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: string;
}

/** Child side: answers each request with its handler's result; `usage` and `exit` are always there. */
export function serve(handlers: Record<string, Handler>): void {
  const all: Record<string, Handler> = {
    usage: () => ({
      cpu: process.cpuUsage(),
      maxRssKb: process.resourceUsage().maxRSS,
      uptimeMs: performance.now(),
    }),
    exit: () => {
      setImmediate(() => process.exit(0));
      return true;
    },
    ...handlers,
  };
  process.on('message', (message: Request) => {
    const handler = all[message.cmd];
    void (async () => {
      let reply: Reply;
      try {
        if (!handler) throw new Error(`unknown command ${message.cmd}`);
        reply = { id: message.id, ok: true, result: await handler(message.args as never) };
      } catch (error) {
        reply = {
          id: message.id,
          ok: false,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        };
      }
      process.send?.(reply);
    })();
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ id: 0, ok: true, result: 'ready' } satisfies Reply);
}

export interface ChildUsage {
  /** µs, all threads of the child (zlib's thread pool included). */
  readonly cpu: NodeJS.CpuUsage;
  readonly maxRssKb: number;
  readonly uptimeMs: number;
}

export interface Child {
  readonly process: ChildProcess;
  call<T>(cmd: string, args?: unknown): Promise<T>;
  usage(): Promise<ChildUsage>;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** Run plain `node` on a JavaScript module instead of TypeScript through tsx. */
  readonly plain?: boolean;
  /** Extra V8 / Node flags (e.g. Lambda's heap limits). */
  readonly nodeFlags?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Where the child's stdout goes; the collector's log lines are counted in the child, not piped. */
  readonly stdout?: 'inherit' | 'ignore';
  /** Start the child inside these cgroups (a Lambda function's CPU share and memory). */
  readonly confine?: Confinement;
}

/** Forks a TypeScript module (through tsx) or a plain JavaScript one, and waits until it serves. */
export async function spawnChild(modulePath: string, options: SpawnOptions = {}): Promise<Child> {
  const nodeArgs = [...(options.plain ? [] : ['--import', 'tsx']), ...(options.nodeFlags ?? []), modulePath];
  const { command, args } = options.confine?.wrap(process.execPath, nodeArgs) ?? {
    command: process.execPath,
    args: nodeArgs,
  };
  const child = spawn(command, args, {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', options.stdout ?? 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let exited = false;
  const ready = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${modulePath} exited with ${code} before it was ready`)));
    child.on('message', (message: Reply) => {
      if (message.id === 0) return resolve();
      const waiter = pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(`${modulePath}: ${message.error}`));
    });
  });
  child.on('exit', (code, signal) => {
    exited = true;
    for (const waiter of pending.values())
      waiter.reject(new Error(`${modulePath} exited (${code ?? signal})`));
    pending.clear();
  });
  await ready;
  const call = <T>(cmd: string, args?: unknown): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(new Error(`${modulePath} has exited`));
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, cmd, args } satisfies Request);
    });
  return {
    process: child,
    call,
    usage: () => call<ChildUsage>('usage'),
    stop: async () => {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ id: nextId++, cmd: 'exit', args: undefined } satisfies Request);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** CPU of a `process.cpuUsage()` difference, in ms (user + system). */
export function cpuMs(delta: NodeJS.CpuUsage): number {
  return (delta.user + delta.system) / 1000;
}

/** `b − a` of two `cpuUsage()` readings, in ms. */
export function cpuBetween(a: NodeJS.CpuUsage, b: NodeJS.CpuUsage): number {
  return (b.user - a.user + b.system - a.system) / 1000;
}
