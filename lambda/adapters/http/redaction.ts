/**
 * Taking credentials out of text we did not write (a server's error summary, undici's messages) before it is
 * quoted in an error or a log line. The one place that decides what a redacted credential looks like.
 */

/** What stands where a credential was. */
export const REDACTED = '[redacted]';
/** Shorter needles would redact ordinary words; no credential of ours is this short. */
const MIN_SECRET_LENGTH = 4;

/**
 * A function replacing every occurrence of each secret in a text. Longest secrets first, so a header value
 * (`SSWS abc…`) is replaced whole before its token part could leave the scheme behind.
 */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const needles = secrets
    .filter((secret) => secret.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  return (text) => needles.reduce((out, needle) => out.split(needle).join(REDACTED), text);
}

/** `text` with every occurrence of each secret replaced by {@link REDACTED}. */
export function redact(text: string, secrets: readonly string[]): string {
  return redactor(secrets)(text);
}

/** Each credential-bearing header value and its token part (`SSWS abc` → `SSWS abc`, `abc`): the needles to redact. */
export function credentialParts(headerValue: string): string[] {
  const space = headerValue.indexOf(' ');
  return space < 0 ? [headerValue] : [headerValue, headerValue.slice(space + 1)];
}
