import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readJsonObjectArray as readBytes } from '../../lambda/adapters/http/json-object-array.js';
import { propertyParameters } from '../support/property-seed.js';

/** The reader on the UTF-8 bytes of `text`, with each element decoded back to text for the assertions. */
function readJsonObjectArray(text: string, field: string) {
  const read = readBytes(Buffer.from(text, 'utf8'), field);
  return read && { texts: read.elements.map((element) => element.toString('utf8')), fields: read.fields };
}

/** What JSON.parse says: the array of objects, or undefined when the text is not one. */
function reference(text: string): Record<string, unknown>[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const objects = parsed as unknown[];
  return objects.every((e) => typeof e === 'object' && e !== null && !Array.isArray(e))
    ? (objects as Record<string, unknown>[])
    : undefined;
}

const event = fc
  .tuple(
    fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 6 }),
    fc.option(fc.oneof(fc.string(), fc.jsonValue()), { nil: undefined }),
  )
  .map(([fields, published]) => (published === undefined ? fields : { ...fields, published }));
const events = fc.array(event, { maxLength: 8 });

/** The same document laid out three ways: compact, with spaces between tokens, pretty-printed. */
const layouts: Record<string, (value: unknown) => string> = {
  compact: (value) => JSON.stringify(value),
  // Strings never hold a raw line break, so dropping every "\n" leaves spaces between tokens only.
  spaced: (value) => JSON.stringify(value, null, 2).replaceAll('\n', ''),
  pretty: (value) => JSON.stringify(value, null, '\t').replaceAll('\n', '\r\n'),
};

/** Edits that turn a valid document into (mostly) invalid ones. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.constantFrom(
      '"',
      '\\',
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '0',
      '-',
      'e',
      '.',
      ' ',
      '\t',
      '\n',
      '\u0001',
      'x',
      'n',
      '\\u12',
    ),
  }),
);

function mutate(
  text: string,
  m: { kind: 'truncate' | 'delete' | 'insert'; at: number; text?: string },
): string {
  const at = text.length === 0 ? 0 : m.at % text.length;
  if (m.kind === 'truncate') return text.slice(0, at);
  if (m.kind === 'delete') return text.slice(0, at) + text.slice(at + 1);
  return text.slice(0, at) + (m.text ?? '') + text.slice(at);
}

describe('readJsonObjectArray', () => {
  for (const [layout, serialise] of Object.entries(layouts)) {
    it(`returns each element as it was, one per line, with its published string (${layout} documents)`, () => {
      fc.assert(
        fc.property(events, (values) => {
          // Prepare
          const text = serialise(values);

          // Act
          const read = readJsonObjectArray(text, 'published');

          // Assess
          const expected = reference(text)!;
          expect(read).toBeDefined();
          expect(read!.texts).toHaveLength(expected.length);
          read!.texts.forEach((element, k) => {
            expect(element).not.toMatch(/[\n\r]/);
            expect(JSON.parse(element)).toEqual(expected[k]);
            if (layout !== 'pretty')
              expect(text).toContain(element); // the source text itself
            // Pretty-printed: the source text too, its line breaks (between tokens only) made spaces.
            else expect(text.replace(/[\r\n]/g, ' ')).toContain(element);
            const published = expected[k]!.published;
            expect(read!.fields[k]).toBe(typeof published === 'string' ? published : undefined);
          });
        }),
        propertyParameters('json-object-array', { numRuns: 300 }),
      );
    });
  }

  it('accepts exactly what JSON.parse accepts as an array of objects', () => {
    fc.assert(
      fc.property(
        events,
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (values, edits, spaced) => {
          // Prepare
          const text = edits.reduce(mutate, (spaced ? layouts.spaced! : layouts.compact!)(values));

          // Act
          const read = readJsonObjectArray(text, 'published');

          // Assess
          const expected = reference(text);
          expect(read === undefined).toBe(expected === undefined);
          if (expected) expect(read!.texts.map((t) => JSON.parse(t) as unknown)).toEqual(expected);
        },
      ),
      propertyParameters('json-object-array', { numRuns: 3000 }),
    );
  });

  it('keeps what re-serialising would change: big integers, key order, duplicate keys, number spelling', () => {
    // Prepare
    const first =
      '{"b":1,"10":2,"id":12345678901234567890,"lat":1.0,"x":1e2,"published":"2026-01-01T00:00:00.000Z"}';
    const second = '{"published":"a","published":"2026-01-02T00:00:00.000Z","s":"caf\\u00e9 \\"q\\" \\/"}';

    // Act
    const read = readJsonObjectArray(`[${first},  ${second}]`, 'published');

    // Assess
    expect(read?.texts).toEqual([first, second]);
    expect(read?.fields).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z']);
  });

  it('keeps an element that spans lines as served, only its line breaks made spaces (-0 stays -0)', () => {
    // Prepare
    const text = '[\r\n  {\n    "n": -0,\r\n    "big": 12345678901234567890,\n    "published": "p"\n  }\n]\n';

    // Act
    const read = readJsonObjectArray(text, 'published');

    // Assess
    expect(read?.texts).toEqual([
      '{     "n": -0,      "big": 12345678901234567890,     "published": "p"   }',
    ]);
    expect(read?.fields).toEqual(['p']);
  });

  it('returns views into the body: the bytes Okta served, multi-byte characters included', () => {
    // Prepare
    const first = '{"city":"Zürich 🦘","published":"2026-01-01T00:00:00Z"}';
    const body = Buffer.from(`\ufeff[${first}]`, 'utf8');

    // Act
    const read = readBytes(body, 'published');

    // Assess
    expect(read?.elements).toHaveLength(1);
    expect(Buffer.compare(read!.elements[0]!, Buffer.from(first, 'utf8'))).toBe(0);
    expect(read!.elements[0]!.buffer).toBe(body.buffer);
  });

  it('replaces bytes that are not UTF-8, as decoding the body as text did', () => {
    // Prepare
    const body = Buffer.concat([Buffer.from('[{"a":"x'), Buffer.from([0xff]), Buffer.from('y"}]')]);

    // Act
    const read = readBytes(body, 'published');

    // Assess
    expect(read?.elements.map((e) => e.toString('utf8'))).toEqual(['{"a":"x\ufffdy"}']);
  });

  it('reads a published key written with escapes, and ignores a nested or non-string published', () => {
    // Prepare
    const text = '[{"publ\\u0069shed":"2026-01-01T00:00:00Z"},{"a":{"published":"x"}},{"published":5}]';

    // Act
    const read = readJsonObjectArray(text, 'published');

    // Assess
    expect(read?.fields).toEqual(['2026-01-01T00:00:00Z', undefined, undefined]);
  });

  it.each([
    ['an HTML error page', '<html><body>503 Service Unavailable</body></html>'],
    ['a truncated page', '[{"uuid":"a","published":"2026-01-01T00:00:00Z"},{"uuid":"b","publi'],
    ['an Okta error object', '{"errorCode":"E0000009","errorSummary":"Internal Server Error"}'],
    ['an array holding a non-object', '[{"a":1},2]'],
    ['an empty body', ''],
    ['text after the array', '[{"a":1}] x'],
    ['a raw line break inside a string', '[{"a":"line\nbreak"}]'],
  ])('refuses %s', (_case, text) => {
    // Act / Assess
    expect(readJsonObjectArray(text, 'published')).toBeUndefined();
  });

  it('reads an empty page', () => {
    // Act / Assess
    expect(readJsonObjectArray(' [ ] ', 'published')).toEqual({ texts: [], fields: [] });
  });

  it('reads documents nested deeper than its own stack', () => {
    // Prepare
    const deep = '['.repeat(600) + ']'.repeat(600);
    const text = `[{"published":"p","deep":${deep}}]`;

    // Act
    const read = readJsonObjectArray(text, 'published');

    // Assess
    expect(read).toEqual({ texts: [`{"published":"p","deep":${deep}}`], fields: ['p'] });
  });
});
