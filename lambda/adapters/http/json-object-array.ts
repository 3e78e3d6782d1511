/**
 * Reads a JSON array of objects without building the objects: it returns each object's source text and one
 * top-level string field of each (Okta's `published`).
 *
 * Why not `JSON.parse` + `JSON.stringify` per element: re-serialising may change what the server sent
 * (integers past 2^53 lose digits, integer-like keys move first, a duplicated key keeps one value, `1.0`
 * becomes `1`), and on a 1,000-event Okta page (~2.3 MB) it costs ~15 ms of CPU, most of the collector's
 * per-page budget. Here strings, most of an Okta event, are skipped with `indexOf` (vectorised), so a compact
 * page costs about half as much, and the text is still validated exactly as `JSON.parse` would (the property
 * tests compare the two on generated and mutated documents): a truncated body, an HTML error page or any
 * malformed text is refused rather than forwarded.
 *
 * Text holding control characters (a pretty-printed body's line breaks, or invalid JSON) takes a slower path
 * through `JSON.parse`, which also re-serialises any element that spans lines: Sumo takes one message per line.
 */

/** What {@link readJsonObjectArray} found. */
export interface JsonObjectArray {
  /** Each element's source text, trimmed; always on one line (see the module comment). */
  readonly texts: string[];
  /** The named top-level field of each element when its value is a string (the last one wins, as in `JSON.parse`). */
  readonly fields: (string | undefined)[];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const SPACE = 0x20;

/** Any control character: JSON allows only tab, LF and CR, and only between tokens. */
const CONTROL = /[\x00-\x1f]/;
const LINE_BREAK = /[\n\r]/;
/** An invalid escape: an odd run of backslashes followed by anything but an escape's rest. */
const INVALID_ESCAPE = /(?<!\\)(?:\\\\)*\\(?!["\\/bfnrt]|u[0-9a-fA-F]{4})/g;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * Reads `text` as a JSON array whose elements are all objects.
 * @param field a top-level property to pick from each element (e.g. `published`).
 * @returns `undefined` when `text` is not valid JSON or not an array of objects.
 */
export function readJsonObjectArray(text: string, field: string): JsonObjectArray | undefined {
  if (CONTROL.test(text)) return viaJsonParse(text, field);
  const firstBackslash = text.indexOf('\\');
  if (firstBackslash >= 0) {
    INVALID_ESCAPE.lastIndex = firstBackslash;
    if (INVALID_ESCAPE.test(text)) return undefined;
  }
  return scan(text, field);
}

/**
 * The fast path, for text without control characters and with valid escapes only (checked by the caller):
 * a pushdown automaton over tokens in which each string is one `indexOf` hop.
 */
function scan(text: string, field: string): JsonObjectArray | undefined {
  const quotedField = JSON.stringify(field);
  const texts: string[] = [];
  const fields: (string | undefined)[] = [];
  const n = text.length;
  /** Open containers, innermost last: 1 for an object, 0 for an array. `stack[0]` is the outer array. */
  const stack = new Uint8Array(512);
  let depth = 0;
  let i = skipSpaces(text, 0);
  if (text.charCodeAt(i) !== OPEN_BRACKET) return undefined;
  stack[depth++] = 0;
  i = skipSpaces(text, i + 1);
  if (text.charCodeAt(i) === CLOSE_BRACKET) {
    return skipSpaces(text, i + 1) === n ? { texts, fields } : undefined;
  }
  let elementStart = 0;
  let fieldValue: string | undefined;
  // Each turn reads one value (after any key and colon), then the separators and closers that follow it.
  for (;;) {
    // An element of the outer array: must be an object.
    let c = text.charCodeAt(i);
    if (depth === 1) {
      if (c !== OPEN_BRACE) return undefined;
      elementStart = i;
      fieldValue = undefined;
    }
    // Inside an object a key and a colon come first.
    let keyIsField = false;
    if (depth > 0 && stack[depth - 1] === 1) {
      if (c !== QUOTE) return undefined;
      const keyEnd = stringEnd(text, i);
      if (keyEnd < 0) return undefined;
      if (depth === 2) keyIsField = isKey(text, i, keyEnd, quotedField);
      i = skipSpaces(text, keyEnd);
      if (text.charCodeAt(i) !== COLON) return undefined;
      i = skipSpaces(text, i + 1);
      c = text.charCodeAt(i);
    }
    // The value.
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (keyIsField) fieldValue = undefined;
      if (depth === stack.length) return viaJsonParse(text, field); // deeper than any event: let V8 handle it
      stack[depth++] = c === OPEN_BRACE ? 1 : 0;
      i = skipSpaces(text, i + 1);
      const empty = text.charCodeAt(i) === (c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET);
      if (!empty) continue;
      // An empty container: fall through to the closers below as if a value ended just before `i`.
    } else if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (end < 0) return undefined;
      if (keyIsField) fieldValue = stringValue(text, i, end);
      i = skipSpaces(text, end);
    } else {
      const end = scalarEnd(text, i, c);
      if (end < 0) return undefined;
      if (keyIsField) fieldValue = undefined;
      i = skipSpaces(text, end);
    }
    // After a value: closers, then a comma (next value) or the end of the document.
    for (;;) {
      c = text.charCodeAt(i);
      if (c === COMMA) {
        i = skipSpaces(text, i + 1);
        break;
      }
      if (c !== (stack[depth - 1] === 1 ? CLOSE_BRACE : CLOSE_BRACKET)) return undefined;
      depth--;
      i++;
      if (depth === 1) {
        texts.push(text.slice(elementStart, i));
        fields.push(fieldValue);
      } else if (depth === 0) {
        return skipSpaces(text, i) === n ? { texts, fields } : undefined;
      }
      i = skipSpaces(text, i);
    }
  }
}

/** The slow path: `JSON.parse` validates; texts come from the parsed elements only where needed. */
function viaJsonParse(text: string, field: string): JsonObjectArray | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const fields: (string | undefined)[] = [];
  for (const element of parsed as unknown[]) {
    if (typeof element !== 'object' || element === null || Array.isArray(element)) return undefined;
    const value = (element as Record<string, unknown>)[field];
    fields.push(typeof value === 'string' ? value : undefined);
  }
  const texts = splitElements(text);
  for (let k = 0; k < texts.length; k++) {
    if (LINE_BREAK.test(texts[k]!)) texts[k] = JSON.stringify(parsed[k]);
  }
  return { texts, fields };
}

/** Element texts of a JSON array already validated by `JSON.parse` (whitespace may be anything JSON allows). */
function splitElements(text: string): string[] {
  const texts: string[] = [];
  let depth = 0;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (end < 0) break; // cannot happen for text JSON.parse accepted; never loop on it
      i = end - 1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (depth === 1) start = i;
      depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (depth === 1) texts.push(text.slice(start, i + 1));
    }
  }
  return texts;
}

function skipSpaces(text: string, i: number): number {
  let c = text.charCodeAt(i);
  while (c === SPACE) c = text.charCodeAt(++i);
  return i;
}

/** Index after the string that opens at `open`, or -1 when it is unterminated. */
function stringEnd(text: string, open: number): number {
  let close = text.indexOf('"', open + 1);
  while (close > 0 && text.charCodeAt(close - 1) === BACKSLASH) {
    let backslashes = 1;
    while (text.charCodeAt(close - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) break;
    close = text.indexOf('"', close + 1);
  }
  return close < 0 ? -1 : close + 1;
}

function isKey(text: string, open: number, end: number, quotedKey: string): boolean {
  const length = end - open;
  if (length === quotedKey.length) return text.startsWith(quotedKey, open);
  if (length < quotedKey.length) return false;
  // The same key written with escapes ("publ\u0069shed") is the same key to JSON.parse.
  const raw = text.slice(open, end);
  return raw.includes('\\') && (JSON.parse(raw) as string) === JSON.parse(quotedKey);
}

function stringValue(text: string, open: number, end: number): string {
  const raw = text.slice(open, end);
  return raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
}

/** Index after the number or literal starting at `i`, or -1. */
function scalarEnd(text: string, i: number, c: number): number {
  if (c === 0x74 /* t */) return text.startsWith('true', i) ? i + 4 : -1;
  if (c === 0x66 /* f */) return text.startsWith('false', i) ? i + 5 : -1;
  if (c === 0x6e /* n */) return text.startsWith('null', i) ? i + 4 : -1;
  NUMBER.lastIndex = i;
  return NUMBER.test(text) ? NUMBER.lastIndex : -1;
}
