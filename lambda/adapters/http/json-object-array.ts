/**
 * Reads a JSON array of objects from its UTF-8 bytes without decoding it to a string or building the objects:
 * it returns each object's bytes (a view into the body) and one top-level string field of each (Okta's
 * `published`).
 *
 * Why not `JSON.parse` + `JSON.stringify` per element: re-serialising changes what the server sent (integers
 * past 2^53 lose digits, integer-like keys move first, a duplicated key keeps one value, `1.0` becomes `1`,
 * `-0` becomes `0`), and decoding a 2.3 MB page to a string only to encode it again for Sumo costs most of
 * the collector's per-page CPU budget. Here one pass over the bytes validates the text exactly as `JSON.parse`
 * would (the property tests compare the two on generated and mutated documents), so a truncated body, an HTML
 * error page or any malformed text is refused rather than forwarded.
 *
 * Sumo takes one message per line, so the line breaks of a pretty-printed body (which JSON allows only between
 * tokens) are overwritten with spaces, in place, inside the caller's buffer. That is the only change: every
 * other byte of each element is the server's.
 */
import { isUtf8 } from 'node:buffer';

/** What {@link readJsonObjectArray} found. */
export interface JsonObjectArray {
  /** Each element's bytes, trimmed, on one line (see the module comment): views into the body. */
  readonly elements: Buffer[];
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
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const UTF8 = new TextDecoder('utf-8');

/** Whether each byte may follow a backslash in a JSON string (`u` is checked further). */
const ESCAPABLE = new Uint8Array(256);
for (const c of '"\\/bfnrtu') ESCAPABLE[c.charCodeAt(0)] = 1;
/** Bytes that end a run inside a string: the quote, a backslash, control characters. */
const SPECIAL = new Uint8Array(256);
SPECIAL.fill(1, 0, SPACE);
SPECIAL[QUOTE] = 1;
SPECIAL[BACKSLASH] = 1;
/** Hex digits, for `\uXXXX`. */
const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;

/**
 * Reads `body` as a JSON array whose elements are all objects. Bytes that are not UTF-8 are replaced by U+FFFD
 * first (as `TextDecoder` and `Response.text()` do); a byte order mark is skipped.
 * @param field a top-level property to pick from each element (e.g. `published`).
 * @returns `undefined` when `body` is not valid JSON or not an array of objects.
 */
export function readJsonObjectArray(body: Uint8Array, field: string): JsonObjectArray | undefined {
  let bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (!isUtf8(bytes)) bytes = Buffer.from(UTF8.decode(bytes), 'utf8');
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const read = new Scanner(bytes, Buffer.from(JSON.stringify(field), 'utf8')).array(start);
  if (read && (bytes.indexOf(LF) >= 0 || bytes.indexOf(CR) >= 0)) read.elements.forEach(oneLine);
  return read;
}

/** A pushdown automaton over the bytes: one turn per value, strings and numbers read byte by byte. */
class Scanner {
  private readonly n: number;
  /** Open containers, innermost last: 1 for an object, 0 for an array. `stack[0]` is the outer array. */
  private stack = new Uint8Array(64);
  /** Set by {@link stringEnd}: the string just read held a backslash. */
  private escaped = false;

  public constructor(
    private readonly b: Buffer,
    private readonly quotedField: Buffer,
  ) {
    this.n = b.length;
  }

  public array(from: number): JsonObjectArray | undefined {
    const { b, n } = this;
    const elements: Buffer[] = [];
    const fields: (string | undefined)[] = [];
    let depth = 0;
    let i = this.spaces(from);
    if (b[i] !== OPEN_BRACKET) return undefined;
    this.stack[depth++] = 0;
    i = this.spaces(i + 1);
    if (b[i] === CLOSE_BRACKET) return this.spaces(i + 1) === n ? { elements, fields } : undefined;
    let elementStart = 0;
    let fieldValue: string | undefined;
    for (;;) {
      // An element of the outer array: must be an object.
      let c = b[i];
      if (depth === 1) {
        if (c !== OPEN_BRACE) return undefined;
        elementStart = i;
        fieldValue = undefined;
      }
      // Inside an object a key and a colon come first.
      let keyIsField = false;
      if (this.stack[depth - 1] === 1) {
        if (c !== QUOTE) return undefined;
        const keyEnd = this.stringEnd(i);
        if (keyEnd < 0) return undefined;
        if (depth === 2) keyIsField = this.isField(i, keyEnd);
        i = this.spaces(keyEnd);
        if (b[i] !== COLON) return undefined;
        i = this.spaces(i + 1);
        c = b[i];
      }
      // The value.
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (keyIsField) fieldValue = undefined;
        if (depth === this.stack.length) this.grow();
        this.stack[depth++] = c === OPEN_BRACE ? 1 : 0;
        i = this.spaces(i + 1);
        if (b[i] !== (c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET)) continue;
        // An empty container: fall through to the closers below as if a value ended just before `i`.
      } else if (c === QUOTE) {
        const end = this.stringEnd(i);
        if (end < 0) return undefined;
        if (keyIsField) fieldValue = this.stringValue(i, end);
        i = this.spaces(end);
      } else {
        const end = this.scalarEnd(i);
        if (end < 0) return undefined;
        if (keyIsField) fieldValue = undefined;
        i = this.spaces(end);
      }
      // After a value: closers, then a comma (next value) or the end of the document.
      for (;;) {
        c = b[i];
        if (c === COMMA) {
          i = this.spaces(i + 1);
          break;
        }
        if (c !== (this.stack[depth - 1] === 1 ? CLOSE_BRACE : CLOSE_BRACKET)) return undefined;
        depth--;
        i++;
        if (depth === 1) {
          elements.push(b.subarray(elementStart, i));
          fields.push(fieldValue);
        } else if (depth === 0) {
          return this.spaces(i) === n ? { elements, fields } : undefined;
        }
        i = this.spaces(i);
      }
    }
  }

  private grow(): void {
    const bigger = new Uint8Array(this.stack.length * 2);
    bigger.set(this.stack);
    this.stack = bigger;
  }

  /** Index of the first byte at or after `i` that is not JSON whitespace. */
  private spaces(i: number): number {
    const b = this.b;
    let c = b[i];
    while (c === SPACE || c === LF || c === CR || c === TAB) c = b[++i];
    return i;
  }

  /** Index after the string that opens at `open`, or -1 when it is unterminated or holds a bad escape or byte. */
  private stringEnd(open: number): number {
    const { b, n } = this;
    this.escaped = false;
    let i = open + 1;
    for (;;) {
      // The run of ordinary bytes first: most of a page, so one table lookup per byte and nothing else.
      while (i < n && SPECIAL[b[i]!] === 0) i++;
      const c = b[i];
      if (c === QUOTE) return i + 1;
      if (c !== BACKSLASH) return -1; // the end of the body, or a raw control character (JSON allows none)
      const e = b[i + 1];
      if (e === undefined || ESCAPABLE[e] !== 1) return -1;
      if (e === 0x75 /* u */) {
        if (HEX[b[i + 2]!] !== 1 || HEX[b[i + 3]!] !== 1 || HEX[b[i + 4]!] !== 1 || HEX[b[i + 5]!] !== 1)
          return -1;
        i += 6;
      } else {
        i += 2;
      }
      this.escaped = true;
    }
  }

  private isField(open: number, end: number): boolean {
    const key = this.quotedField;
    if (!this.escaped)
      return end - open === key.length && this.b.compare(key, 0, key.length, open, end) === 0;
    // The same key written with escapes ("publ\u0069shed") is the same key to JSON.parse.
    return JSON.parse(this.b.toString('utf8', open, end)) === JSON.parse(key.toString('utf8'));
  }

  private stringValue(open: number, end: number): string {
    return this.escaped
      ? (JSON.parse(this.b.toString('utf8', open, end)) as string)
      : this.b.toString('utf8', open + 1, end - 1);
  }

  /** Index after the number or literal starting at `i`, or -1. */
  private scalarEnd(i: number): number {
    const b = this.b;
    const c = b[i];
    if (c === 0x74 /* t */) return b[i + 1] === 0x72 && b[i + 2] === 0x75 && b[i + 3] === 0x65 ? i + 4 : -1;
    if (c === 0x66 /* f */) {
      return b[i + 1] === 0x61 && b[i + 2] === 0x6c && b[i + 3] === 0x73 && b[i + 4] === 0x65 ? i + 5 : -1;
    }
    if (c === 0x6e /* n */) return b[i + 1] === 0x75 && b[i + 2] === 0x6c && b[i + 3] === 0x6c ? i + 4 : -1;
    // -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
    if (b[i] === MINUS) i++;
    if (b[i] === DIGIT_0) i++;
    else if (isDigit(b[i])) i = this.digits(i);
    else return -1;
    if (b[i] === DOT) {
      if (!isDigit(b[i + 1])) return -1;
      i = this.digits(i + 1);
    }
    if (b[i] === 0x65 || b[i] === 0x45 /* e E */) {
      i++;
      if (b[i] === PLUS || b[i] === MINUS) i++;
      if (!isDigit(b[i])) return -1;
      i = this.digits(i);
    }
    return i;
  }

  private digits(i: number): number {
    while (isDigit(this.b[i])) i++;
    return i;
  }
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= DIGIT_0 && c <= DIGIT_9;
}

/** Line breaks can only sit between tokens (the scanner refuses them inside strings): make them spaces. */
function oneLine(element: Buffer): void {
  for (let k = element.indexOf(LF); k >= 0; k = element.indexOf(LF, k + 1)) element[k] = SPACE;
  for (let k = element.indexOf(CR); k >= 0; k = element.indexOf(CR, k + 1)) element[k] = SPACE;
}
