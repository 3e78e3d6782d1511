/** Quoting input in error messages without echoing it whole: a pasted 100,000-character key stays a short line. */

/** Characters of a value an error message quotes at most. */
export const QUOTE_LIMIT = 40;

/**
 * The value as a JSON string literal (control characters escaped), cut to `limit` characters plus `…` when
 * longer. Cuts between code points, never inside a surrogate pair.
 */
export function boundedQuote(value: string, limit = QUOTE_LIMIT): string {
  // limit + 1 code points take at most 2 * (limit + 1) UTF-16 units: enough to know whether to cut.
  const head = Array.from(value.slice(0, 2 * (limit + 1)));
  return head.length > limit ? `${JSON.stringify(head.slice(0, limit).join(''))}…` : JSON.stringify(value);
}
