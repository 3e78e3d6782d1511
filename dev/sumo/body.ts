/**
 * Reading a request body as Sumo does: undo `Content-Encoding`, then one message per line (CRLF tolerated,
 * empty lines carry no message), and find each message's Okta `uuid`.
 */
import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';

const UUID_SCAN = /"uuid"\s*:\s*"([^"\\]*)"/;

/** The body without its `Content-Encoding`. @throws Error for an encoding Sumo does not take, or a broken body. */
export function decode(encoding: string, raw: Buffer): Buffer {
  switch (encoding) {
    case 'identity':
      return raw;
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(raw);
    case 'deflate':
      // HTTP "deflate" is meant to be zlib-wrapped, but some clients send raw deflate: accept both, as servers do.
      try {
        return inflateSync(raw);
      } catch {
        return inflateRawSync(raw);
      }
    default:
      throw new Error(`unsupported Content-Encoding ${encoding}`);
  }
}

/** The messages of a body, and how many empty lines it had (a trailing newline is normal, not counted). */
export function messagesOf(body: string): { readonly messages: string[]; readonly emptyLines: number } {
  const messages: string[] = [];
  let emptyLines = 0;
  for (const raw of body.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') emptyLines += 1;
    else messages.push(line);
  }
  if (body.endsWith('\n')) emptyLines -= 1;
  return { messages, emptyLines };
}

/**
 * A message's `uuid`: `json` parses it (`invalid` when it is not a JSON object), `scan` finds the first
 * `"uuid":"…"` with a regular expression, cheaper for benchmarks.
 */
export function uuidOf(
  line: string,
  mode: 'json' | 'scan',
): { readonly uuid: string | undefined; readonly invalid: boolean } {
  if (mode === 'scan') return { uuid: UUID_SCAN.exec(line)?.[1], invalid: false };
  try {
    const value: unknown = JSON.parse(line);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const uuid = (value as { uuid?: unknown }).uuid;
      return { uuid: typeof uuid === 'string' ? uuid : undefined, invalid: false };
    }
  } catch {
    // not JSON: invalid below
  }
  return { uuid: undefined, invalid: true };
}
