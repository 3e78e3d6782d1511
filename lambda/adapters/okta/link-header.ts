/**
 * RFC 8288 `Link` header parsing, for Okta's pagination (`<https://org/api/v1/logs?...>; rel="next"`).
 *
 * Okta may send `self` and `next` as two `Link` headers (fetch's `Headers.get` then joins them with ", ") or
 * as one comma-joined header; both read the same here. A target URL can itself contain commas and semicolons
 * (a `filter` in the query), so the `<...>` part is read first and never split.
 */

/**
 * Parses a `Link` header value into a map from relation type (lower-cased) to target, as written (relative
 * targets are returned unresolved). When several links share a relation, the first wins, as RFC 8288
 * §3.3 asks for a repeated `rel` parameter. Malformed links are skipped, never thrown on.
 */
export function parseLinks(value: string | null | undefined): Map<string, string> {
  const links = new Map<string, string>();
  if (!value) return links;
  let i = 0;
  const n = value.length;
  while (i < n) {
    const open = value.indexOf('<', i);
    if (open < 0) break;
    const close = value.indexOf('>', open + 1);
    if (close < 0) break;
    const target = value.slice(open + 1, close).trim();
    const params = readParams(value, close + 1);
    i = params.end;
    const rel = params.rel;
    if (rel === undefined || target === '') continue;
    // rel may name several relation types: rel="next last".
    for (const type of rel.split(/[ \t]+/)) {
      const key = type.toLowerCase();
      if (key !== '' && !links.has(key)) links.set(key, target);
    }
  }
  return links;
}

interface Params {
  /** The first `rel` parameter's value. */
  readonly rel: string | undefined;
  /** Index just past the comma that ends this link (or the end of the value). */
  readonly end: number;
}

/** Reads `; name=value; name="quoted, value"` up to the comma that ends the link. */
function readParams(value: string, start: number): Params {
  const n = value.length;
  let rel: string | undefined;
  let i = start;
  while (i < n) {
    i = skipSpace(value, i);
    const c = value[i];
    if (c === ',') return { rel, end: i + 1 };
    if (c === '<') return { rel, end: i }; // a missing comma: let the next link start here
    if (c !== ';') {
      i++; // stray character: ignore it rather than lose the links after it
      continue;
    }
    i = skipSpace(value, i + 1);
    let nameEnd = i;
    while (
      nameEnd < n &&
      !'=;,<'.includes(value[nameEnd]!) &&
      value[nameEnd] !== ' ' &&
      value[nameEnd] !== '\t'
    ) {
      nameEnd++;
    }
    const name = value.slice(i, nameEnd).toLowerCase();
    i = skipSpace(value, nameEnd);
    let paramValue = '';
    if (value[i] === '=') {
      i = skipSpace(value, i + 1);
      if (value[i] === '"') {
        let text = '';
        i++;
        while (i < n && value[i] !== '"') {
          if (value[i] === '\\' && i + 1 < n) i++;
          text += value[i];
          i++;
        }
        i++; // closing quote
        paramValue = text;
      } else {
        let valueEnd = i;
        while (valueEnd < n && !';,<'.includes(value[valueEnd]!)) valueEnd++;
        paramValue = value.slice(i, valueEnd).trim();
        i = valueEnd;
      }
    }
    if (name === 'rel' && rel === undefined) rel = paramValue.trim();
  }
  return { rel, end: n };
}

function skipSpace(value: string, i: number): number {
  while (i < value.length && (value[i] === ' ' || value[i] === '\t')) i++;
  return i;
}
