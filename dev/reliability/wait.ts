/** Small waiting helpers for tests that watch the stand-ins while a child process works. */

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resolves when `predicate` holds (checked every `everyMs`), or rejects after `timeoutMs`. Polling is what
 * a test can do from outside the child; the stand-ins run in this process, so a check sees their state live.
 */
export async function waitUntil(
  predicate: () => boolean,
  what: string,
  timeoutMs = 20_000,
  everyMs = 2,
): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > giveUpAt) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await sleep(everyMs);
  }
}

/** Like waitUntil, but resolves `false` instead of rejecting when `stop` happens first. */
export async function waitUntilOr(
  predicate: () => boolean,
  stop: Promise<unknown>,
  everyMs = 2,
): Promise<boolean> {
  let stopped = false;
  void stop.then(() => (stopped = true));
  while (!predicate()) {
    if (stopped) return predicate();
    await sleep(everyMs);
  }
  return true;
}
