/**
 * A Lambda function's CPU and memory, imposed on a local process the way Lambda imposes them: CPU in proportion
 * to memory (1,769 MB = one vCPU) as a CFS quota, and a hard memory limit. cgroup v1: a child group under this
 * process's own group in the `cpu` and in the `memory` hierarchy (read from /proc/self/cgroup), with
 * `cpu.cfs_quota_us` / `cpu.cfs_period_us` and `memory.limit_in_bytes` (+ `memory.memsw.limit_in_bytes`, so the
 * limit is not dodged by swapping). Needs root; where that is unavailable, `createConfinement` says why and the
 * benchmark runs unconfined and says so.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** 1,769 MB of memory buys one vCPU (AWS Lambda documentation, "Memory and computing power"). */
export const MB_PER_VCPU = 1769;
/** The kernel's default CFS period. */
const PERIOD_US = 100_000;
const ROOT = '/sys/fs/cgroup';

/** A Lambda function size, as memory (MB) and the CPU share it buys. */
export interface LambdaSize {
  readonly memoryMb: number;
  readonly cpuShare: number;
}

export function lambdaSize(memoryMb: number): LambdaSize {
  return { memoryMb, cpuShare: memoryMb / MB_PER_VCPU };
}

/**
 * The Node.js runtime's heap flags for a function of this size, as the Lambda bootstrap sets them: old space
 * 90 % of memory, semi space 5 % (new space is two semi spaces: 10 %). 256 MB → 231 / 12.
 */
export function lambdaHeapFlags(memoryMb: number): string[] {
  return [
    `--max-semi-space-size=${Math.floor(memoryMb * 0.05)}`,
    `--max-old-space-size=${Math.floor(memoryMb * 0.9)}`,
  ];
}

/** A pair of child cgroups a process can be put in before it runs (see {@link Confinement.wrap}). */
export interface Confinement {
  readonly size: LambdaSize;
  /** The `cgroup.procs` files a process must write its pid to. */
  readonly procs: readonly string[];
  /** A command that moves itself into the groups, then execs `command args…` (so node starts confined). */
  wrap(command: string, args: readonly string[]): { command: string; args: string[] };
  /** Removes the groups (their processes must have exited). */
  remove(): void;
}

export type ConfinementResult =
  { readonly ok: true; readonly confinement: Confinement } | { readonly ok: false; readonly reason: string };

/** This process's group in a v1 hierarchy (`4:memory:/a/b` → `/a/b`), or undefined when it is not mounted. */
function ownGroup(controller: string): string | undefined {
  const lines = readFileSync('/proc/self/cgroup', 'utf8').split('\n');
  for (const line of lines) {
    const [, controllers, path] = line.split(':');
    if (controllers?.split(',').includes(controller)) return path;
  }
  return undefined;
}

let created = 0;

/** Creates the child groups for `size`, or says why it cannot. */
export function createConfinement(size: LambdaSize, label: string): ConfinementResult {
  try {
    const cpuGroup = ownGroup('cpu');
    const memoryGroup = ownGroup('memory');
    if (cpuGroup === undefined || memoryGroup === undefined)
      return { ok: false, reason: 'no cgroup v1 cpu and memory hierarchies in /proc/self/cgroup' };
    const name = `okta-sumo-bench-${process.pid}-${label}-${created++}`;
    const cpuDir = join(ROOT, 'cpu', cpuGroup, name);
    const memoryDir = join(ROOT, 'memory', memoryGroup, name);
    if (!existsSync(join(ROOT, 'cpu', cpuGroup, 'cpu.cfs_quota_us')))
      return { ok: false, reason: `${join(ROOT, 'cpu', cpuGroup)} has no cpu.cfs_quota_us` };
    mkdirSync(cpuDir);
    mkdirSync(memoryDir);
    const dirs = [cpuDir, memoryDir];
    writeFileSync(join(cpuDir, 'cpu.cfs_period_us'), String(PERIOD_US));
    writeFileSync(join(cpuDir, 'cpu.cfs_quota_us'), String(Math.round(size.cpuShare * PERIOD_US)));
    const limit = String(size.memoryMb * 1024 * 1024);
    writeFileSync(join(memoryDir, 'memory.limit_in_bytes'), limit);
    if (existsSync(join(memoryDir, 'memory.memsw.limit_in_bytes')))
      writeFileSync(join(memoryDir, 'memory.memsw.limit_in_bytes'), limit);
    const procs = dirs.map((dir) => join(dir, 'cgroup.procs'));
    return {
      ok: true,
      confinement: {
        size,
        procs,
        wrap: (command, args) => ({
          command: '/bin/sh',
          // $$ is the shell's pid, which exec hands to node: the process is confined before node starts.
          args: [
            '-c',
            `${procs.map((p) => `echo $$ > ${p}`).join(' && ')} && exec "$0" "$@"`,
            command,
            ...args,
          ],
        }),
        remove: () => {
          for (const dir of dirs) {
            try {
              rmdirSync(dir);
            } catch {
              // Still busy or already gone: the kernel frees an empty group when asked again.
            }
          }
        },
      },
    };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return { ok: false, reason: `cannot create a child cgroup (${code}; needs root and cgroup v1)` };
  }
}
