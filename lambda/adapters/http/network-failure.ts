/**
 * Recognising and describing failures of `fetch` itself (no HTTP answer, or an answer cut off mid-body).
 * undici's messages and causes can quote the request URL, and the Sumo URL embeds its token, so callers
 * write their own messages and attach only a redacted copy of the cause (see {@link redactedCause}).
 */
import { redactor } from './redaction.js';

/**
 * True for undici's transport failures: `TypeError('fetch failed', { cause })` when no answer arrived, and
 * `TypeError('terminated', { cause })` when the connection broke while the body was streaming. Anything
 * else thrown by `fetch` (an invalid header value, a bug) is not a network failure and retrying cannot help.
 */
export function isNetworkFailure(error: unknown): boolean {
  return error instanceof TypeError && error.cause !== undefined;
}

/** The first system or undici error code in the cause chain (`ECONNRESET`, `UND_ERR_SOCKET`...), safe to show. */
export function failureCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

const KEPT_PROPERTIES = ['code', 'errno', 'syscall'] as const;

/**
 * A copy of `error` and its cause chain (up to 5 deep) in which every occurrence of each secret is replaced,
 * keeping name, message and `code`/`errno`/`syscall` but no stack (a stack's first line repeats the message,
 * and loggers such as Powertools print causes with their stacks). `undefined` stays `undefined`.
 */
export function redactedCause(error: unknown, secrets: readonly string[]): Error | undefined {
  const scrub = redactor(secrets);
  const copy = (value: unknown, depth: number): Error | undefined => {
    if (value === undefined || value === null) return undefined;
    if (!(value instanceof Error))
      return new Error(typeof value === 'string' ? scrub(value) : `a thrown ${typeof value}`);
    const cause = depth < 5 ? copy(value.cause, depth + 1) : undefined;
    const clone = new Error(scrub(value.message), cause === undefined ? undefined : { cause });
    clone.name = value.name;
    clone.stack = `${clone.name}: ${clone.message}`;
    for (const key of KEPT_PROPERTIES) {
      const kept = (value as unknown as Record<string, unknown>)[key];
      if (typeof kept === 'string' || typeof kept === 'number') {
        (clone as unknown as Record<string, unknown>)[key] = typeof kept === 'string' ? scrub(kept) : kept;
      }
    }
    return clone;
  };
  return copy(error, 0);
}
