import { describe, expect, it } from 'vitest';
import { parseLinks } from '../../lambda/adapters/okta/link-header.js';

const SELF = 'https://acme.okta.com/api/v1/logs?since=2026-01-01T00%3A00%3A00Z&limit=1000';
const NEXT = 'https://acme.okta.com/api/v1/logs?after=1700000000000_1&limit=1000';

describe('parseLinks', () => {
  it('reads self and next from two Link headers joined by fetch with ", "', () => {
    // Prepare: what Headers.get('link') returns when Okta sends two Link headers
    const value = `<${SELF}>; rel="self", <${NEXT}>; rel="next"`;

    // Act
    const links = parseLinks(value);

    // Assess
    expect(links.get('self')).toBe(SELF);
    expect(links.get('next')).toBe(NEXT);
  });

  it('keeps commas and semicolons inside the URL, as in a filter query', () => {
    // Prepare
    const withFilter =
      'https://acme.okta.com/api/v1/logs?filter=eventType%20eq%20"a,b";x=1,2&after=9_9&limit=10&q=a,b';
    const value = `<${withFilter}>; rel="next",<${SELF}>;rel=self`;

    // Act
    const links = parseLinks(value);

    // Assess
    expect(links.get('next')).toBe(withFilter);
    expect(links.get('self')).toBe(SELF);
  });

  it('tolerates odd spacing, tabs, no space after the comma and unquoted rel values', () => {
    // Prepare
    const value = `  <${SELF}>\t;\trel = self ,<${NEXT}>;rel=next   `;

    // Act
    const links = parseLinks(value);

    // Assess
    expect([...links.entries()]).toEqual([
      ['self', SELF],
      ['next', NEXT],
    ]);
  });

  it('reads relation types case-insensitively and each of several in one rel', () => {
    // Prepare
    const value = `<${NEXT}>; title="page, two"; REL="Next Last"`;

    // Act
    const links = parseLinks(value);

    // Assess
    expect(links.get('next')).toBe(NEXT);
    expect(links.get('last')).toBe(NEXT);
  });

  it('uses the first rel parameter of a link and the first link of a relation', () => {
    // Prepare
    const value = `<${NEXT}>; rel="next"; rel="self", <${SELF}>; rel="next"`;

    // Act
    const links = parseLinks(value);

    // Assess
    expect(links.get('next')).toBe(NEXT);
    expect(links.has('self')).toBe(false);
  });

  it('reads escaped quotes and commas inside quoted parameter values', () => {
    // Prepare
    const value = `<${SELF}>; title="a \\"quoted\\", title"; rel="self", <${NEXT}>; rel="next"`;

    // Act
    const links = parseLinks(value);

    // Assess
    expect(links.get('self')).toBe(SELF);
    expect(links.get('next')).toBe(NEXT);
  });

  it('skips links without rel and malformed pieces without losing the others', () => {
    // Prepare
    const value = `garbage, <${SELF}>, <unterminated; rel="self"`;
    const second = `<${SELF}>; rel="self" <${NEXT}>; rel="next"`;

    // Act
    const links = parseLinks(value);
    const recovered = parseLinks(second);

    // Assess
    expect(links.size).toBe(0);
    expect(recovered.get('self')).toBe(SELF);
    expect(recovered.get('next')).toBe(NEXT);
  });

  it('returns an empty map for a missing or empty header', () => {
    // Act / Assess
    expect(parseLinks(null).size).toBe(0);
    expect(parseLinks(undefined).size).toBe(0);
    expect(parseLinks('').size).toBe(0);
  });
});
