/**
 * Quoting a value the operator gave in an error message, bounded: a setting can be any length (a pasted
 * file, a 100,000-character key) and an error line must stay readable and small.
 */

/** How many characters of a value an error quotes. */
export const QUOTE_LIMIT = 60;

/**
 * The value as a JSON string literal (so control characters show as `\n`, `\u0000`), cut to
 * {@link QUOTE_LIMIT} characters with the full length noted.
 */
export function quote(value: string): string {
  if (value.length <= QUOTE_LIMIT) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, QUOTE_LIMIT))}… (${value.length} characters)`;
}
