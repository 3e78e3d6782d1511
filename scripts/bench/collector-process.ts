/**
 * A collector process as Lambda runs one: plain node on ./lambda-runner.ts (built), the synthesized bundle
 * imported once, the heap flags of the function's size, optionally confined to its CPU share and memory.
 */
import { lambdaHeapFlags, type Confinement } from './cgroup.js';
import { spawnChild, type Child } from './ipc.js';
import type { FetchOnlyResult, InvokeResult } from './lambda-runner.js';
import type { StandIns } from './stand-ins.js';

export interface CollectorProcess {
  readonly child: Child;
  readonly importMs: number;
  invoke(args?: { sampleMemory?: boolean }): Promise<InvokeResult>;
  fetchOnly(url: string): Promise<FetchOnlyResult>;
  stop(): Promise<void>;
}

export interface CollectorProcessOptions {
  readonly runner: string;
  readonly bundle: string;
  readonly standIns: StandIns;
  /** The function's memory: its heap flags and `AWS_LAMBDA_FUNCTION_MEMORY_SIZE`. */
  readonly memoryMb: number;
  /** Node's default heap limits instead of Lambda's (to see what Lambda's smaller heap costs in GC). */
  readonly defaultHeap?: boolean;
  readonly confine?: Confinement;
  readonly env?: Readonly<Record<string, string>>;
}

export async function startCollector(options: CollectorProcessOptions): Promise<CollectorProcess> {
  const child = await spawnChild(options.runner, {
    plain: true,
    env: { ...options.standIns.env(options.memoryMb), ...options.env },
    stdout: 'ignore',
    nodeFlags: options.defaultHeap ? [] : lambdaHeapFlags(options.memoryMb),
    ...(options.confine ? { confine: options.confine } : {}),
  });
  const { importMs } = await child.call<{ importMs: number }>('load', options.bundle);
  const token = options.standIns.token;
  return {
    child,
    importMs,
    invoke: (args) => child.call<InvokeResult>('invoke', args ?? {}),
    fetchOnly: (url) => child.call<FetchOnlyResult>('fetchOnly', { url, token }),
    stop: () => child.stop(),
  };
}

/** Throws unless the invocation delivered exactly `expected` events. */
export function expectDelivered(result: InvokeResult, expected: number, who: string): void {
  const delivered = Number(result.summary['events']);
  if (delivered !== expected)
    throw new Error(
      `${who} delivered ${delivered} events, expected ${expected} (stop: ${String(result.summary['stopReason'])})`,
    );
}
