import { describe, expect, it } from 'vitest';
import { parseInvocation } from '../../lambda/invocation.js';

describe('parseInvocation', () => {
  it.each([{}, null, undefined, { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} }])(
    'treats %o as a scheduled tick',
    (event) => {
      // Act + Assess
      expect(parseInvocation(event)).toEqual({ kind: 'tick' });
    },
  );

  it('recognises a replay', () => {
    // Act
    const invocation = parseInvocation({ replay: { since: 'a', until: 'b' } });

    // Assess
    expect(invocation).toEqual({ kind: 'replay', request: { since: 'a', until: 'b' } });
  });

  it.each([[{ key1: 'value1' }], ['tick'], [[1]], [{ replay: {}, extra: 1 }]])(
    'refuses %o with a message saying what is accepted',
    (event) => {
      // Act + Assess
      expect(() => parseInvocation(event)).toThrow(/replay/);
    },
  );
});
