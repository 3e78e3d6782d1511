/**
 * Records what the process writes to stdout and stderr (the Lambda's log stream: Powertools writes its JSON
 * lines there), so a test can look for leaked secrets. Captures may overlap in any order (overlapping
 * invocations each capture their own run): one interceptor serves them all while any is active, and the
 * streams get their own `write` back when the last one stops. Output still reaches the terminal unless every
 * active capture is `quiet`.
 */

export interface OutputCapture {
  /** Everything written since the capture started. */
  text(): string;
  stop(): void;
}

interface Active {
  readonly chunks: string[];
  readonly quiet: boolean;
}

const active = new Set<Active>();
const streams = [process.stdout, process.stderr] as const;
let originals: (typeof process.stdout.write)[] | undefined;

/** Starts capturing. @param options.quiet keep the output off the terminal (while no loud capture is active). */
export function captureOutput(options: { readonly quiet?: boolean } = {}): OutputCapture {
  const capture: Active = { chunks: [], quiet: options.quiet ?? false };
  if (active.size === 0) install();
  active.add(capture);
  return {
    text: () => capture.chunks.join(''),
    stop: () => {
      if (!active.delete(capture) || active.size > 0 || originals === undefined) return;
      const saved = originals;
      streams.forEach((stream, index) => {
        stream.write = saved[index]!;
      });
      originals = undefined;
    },
  };
}

function install(): void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- restored as it was, and called with its stream
  const saved = streams.map((stream) => stream.write);
  originals = saved;
  streams.forEach((stream, index) => {
    const original = saved[index]! as (...args: unknown[]) => boolean;
    stream.write = (chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      let loud = false;
      for (const capture of active) {
        capture.chunks.push(text);
        loud ||= !capture.quiet;
      }
      if (loud) return original.call(stream, chunk, ...rest);
      const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      done?.();
      return true;
    };
  });
}
