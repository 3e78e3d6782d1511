/**
 * A CPU profile of the collector's process over some invocations (V8's sampling profiler through
 * node:inspector), reduced to the functions with the most self time and to the modules they live in.
 */
import { Session, type Profiler } from 'node:inspector';
import { basename } from 'node:path';

export interface HotSpot {
  readonly name: string;
  readonly selfMs: number;
  readonly share: number;
  /** The most frequent callers (3 levels up), for native functions that say nothing by themselves. */
  readonly via?: string;
}

export interface ProfileSummary {
  readonly busyMs: number;
  readonly functions: readonly HotSpot[];
  readonly modules: readonly HotSpot[];
}

const session = new Session();

function post<T>(method: string, params?: object): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T)));
  });
}

export async function startProfiling(): Promise<void> {
  session.connect();
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
}

/** Where a script lives, shortened: our files by path, dependencies by package, Node's own by module. */
function moduleOf(url: string): string {
  if (url === '') return '(native / V8)';
  const path = url.replace(/^file:\/\//, '');
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (dependency) return dependency[1]!;
  if (path.startsWith('node:')) return path;
  const ours = /\/(lambda\/.*)$/.exec(path);
  return ours ? ours[1]! : basename(path);
}

export async function stopProfiling(top = 12): Promise<ProfileSummary> {
  const { profile } = await post<{ profile: Profiler.Profile }>('Profiler.stop');
  session.disconnect();
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++)
    selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + (deltas[i] ?? 0));
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  const callers = new Map<string, Map<string, number>>();
  const parent = new Map<number, Profiler.ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
  const label = (node: Profiler.ProfileNode): string => {
    const { functionName, url } = node.callFrame;
    return `${functionName || '(anonymous)'}${url ? `@${moduleOf(url)}` : ''}`;
  };
  let busy = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') continue;
    // The profiler's own work (Profiler.stop serialising through node:inspector) is not the collector's.
    let profilerOwn = url.startsWith('node:inspector');
    for (let up = parent.get(node.id); up && !profilerOwn; up = parent.get(up.id))
      profilerOwn = up.callFrame.url.startsWith('node:inspector');
    if (profilerOwn) continue;
    busy += us;
    const where = url ? `${moduleOf(url)}:${lineNumber + 1}` : '';
    const name = `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const chain: string[] = [];
    for (let up = parent.get(node.id); up && chain.length < 3; up = parent.get(up.id)) chain.push(label(up));
    const path = chain.join(' < ');
    const perCaller = callers.get(name) ?? new Map<string, number>();
    perCaller.set(path, (perCaller.get(path) ?? 0) + us);
    callers.set(name, perCaller);
    const module = functionName === '(garbage collector)' ? '(garbage collector)' : moduleOf(url);
    byModule.set(module, (byModule.get(module) ?? 0) + us);
  }
  const rank = (map: Map<string, number>, withCallers: boolean): HotSpot[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => {
        const via = withCallers
          ? [...(callers.get(name) ?? new Map<string, number>()).entries()].sort(
              (a, b) => b[1] - a[1],
            )[0]?.[0]
          : undefined;
        return { name, selfMs: us / 1000, share: us / busy, ...(via ? { via } : {}) };
      });
  return { busyMs: busy / 1000, functions: rank(byFunction, true), modules: rank(byModule, false) };
}
