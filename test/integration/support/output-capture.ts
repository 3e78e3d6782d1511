/**
 * Records what the process writes to stdout and stderr (the Lambda's log stream: Powertools writes its JSON
 * lines there) while still passing it through, so a test can look for leaked secrets.
 */
export interface OutputCapture {
  /** Everything written since `start`. */
  text(): string;
  stop(): void;
}

export function captureOutput(): OutputCapture {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr] as const;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- restored as it was, and called with its stream
  const originals = streams.map((stream) => stream.write);
  streams.forEach((stream, index) => {
    const original = originals[index]! as (...args: unknown[]) => boolean;
    stream.write = (chunk: unknown, ...rest: unknown[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return original.call(stream, chunk, ...rest);
    };
  });
  return {
    text: () => chunks.join(''),
    stop: () => {
      streams.forEach((stream, index) => {
        stream.write = originals[index]!;
      });
    },
  };
}

/** The secrets (of `secrets`) found in `text`. */
export function leakedSecrets(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((secret) => secret.length > 0 && text.includes(secret));
}
