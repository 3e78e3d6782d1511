import { describe, expect, it } from 'vitest';
import {
  createOktaEventGenerator,
  generateOktaEvents,
  OKTA_EVENT_TYPES,
  padEventTo,
  UNUSUAL_STRINGS,
  type OktaLogEvent,
} from '../../dev/okta-events.js';

const LOG_EVENT_FIELDS = [
  'actor',
  'client',
  'device',
  'authenticationContext',
  'displayMessage',
  'eventType',
  'outcome',
  'published',
  'securityContext',
  'severity',
  'debugContext',
  'legacyEventType',
  'transaction',
  'uuid',
  'version',
  'request',
  'target',
];

describe('okta event generator', () => {
  it('makes the same events, byte for byte, from the same seed, and different ones from another seed', () => {
    // Prepare
    const options = { seed: 42, unusualRate: 0.5 };

    // Act
    const first = createOktaEventGenerator(options)
      .batchJson(500)
      .map((e) => e.json);
    const again = createOktaEventGenerator(options)
      .batchJson(500)
      .map((e) => e.json);
    const other = createOktaEventGenerator({ ...options, seed: 43 })
      .batchJson(500)
      .map((e) => e.json);

    // Assess
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it("gives every event all fields of Okta's LogEvent, with the client, request and outcome details", () => {
    // Prepare / Act
    const events = generateOktaEvents(2_000, { seed: 7 });

    // Assess
    for (const event of events) {
      expect(Object.keys(event)).toEqual(LOG_EVENT_FIELDS);
      expect(event.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(new Date(event.published).toISOString()).toBe(event.published);
      expect(Object.keys(event.client)).toEqual([
        'userAgent',
        'zone',
        'device',
        'id',
        'ipAddress',
        'geographicalContext',
      ]);
      expect(event.debugContext.debugData).toBeTypeOf('object');
      expect(['SUCCESS', 'FAILURE', 'ALLOW', 'DENY', 'CHALLENGE']).toContain(event.outcome.result);
      expect(event.version).toBe('0');
    }
    const web = events.find((e) => e.transaction.type === 'WEB')!;
    expect(web.client.geographicalContext?.geolocation?.lat).toBeTypeOf('number');
    expect(web.request.ipChain[0]?.ip).toBe(web.client.ipAddress);
    expect(new Set(events.map((e) => e.uuid)).size).toBe(events.length);
  });

  it('covers the event types the Sumo App for Okta reads, including failed sign-ins with reasons', () => {
    // Prepare / Act
    const events = generateOktaEvents(20_000, { seed: 1 });

    // Assess
    const types = new Set(events.map((e) => e.eventType));
    for (const type of [
      'user.session.start',
      'user.authentication.auth_via_mfa',
      'user.authentication.sso',
      'user.mfa.factor.activate',
      'user.mfa.factor.deactivate',
      'user.account.lock',
      'user.lifecycle.create',
      'user.lifecycle.deactivate',
      'user.account.update_password',
      'group.user_membership.add',
      'application.user_membership.add',
      'policy.evaluate_sign_on',
      'system.api_token.create',
      'user.session.access_admin_app',
    ]) {
      expect(types, type).toContain(type);
    }
    const failedSignIns = events.filter(
      (e) => e.eventType === 'user.session.start' && e.outcome.result === 'FAILURE',
    );
    expect(failedSignIns.map((e) => e.outcome.reason)).toContain('INVALID_CREDENTIALS');
    expect(
      failedSignIns.every(
        (e) => e.legacyEventType === 'core.user_auth.login_failed' && e.severity === 'WARN',
      ),
    ).toBe(true);
    expect(types.size).toBe(OKTA_EVENT_TYPES.length);
  });

  it('restricts the stream to the requested event types and rejects unknown ones', () => {
    // Prepare / Act
    const events = generateOktaEvents(300, {
      seed: 2,
      eventTypes: ['user.account.lock', 'user.session.start'],
    });

    // Assess
    expect(new Set(events.map((e) => e.eventType))).toEqual(
      new Set(['user.account.lock', 'user.session.start']),
    );
    expect(() => createOktaEventGenerator({ eventTypes: ['user.not.a.thing'] })).toThrow(
      /unknown event types: user.not.a.thing/,
    );
  });

  it('keeps unusual text (emoji, quotes, backslashes, real newlines, </script>, U+2028) intact and the JSON on one line', () => {
    // Prepare
    const generator = createOktaEventGenerator({ seed: 5, unusualRate: 1 });

    // Act
    const generated = generator.batchJson(400);

    // Assess
    const texts = new Set<string>();
    for (const { json } of generated) {
      expect(json).not.toMatch(/[\n\r]/);
      const event = JSON.parse(json) as OktaLogEvent;
      texts.add(event.actor.displayName!);
      expect(JSON.stringify(event)).toBe(json);
    }
    for (const tricky of UNUSUAL_STRINGS) expect(texts, JSON.stringify(tricky)).toContain(tricky);
  });

  it('writes lone surrogates as \\u escapes only when asked to', () => {
    // Prepare / Act
    const without = createOktaEventGenerator({ seed: 9, unusualRate: 1 })
      .batchJson(500)
      .map((e) => e.json)
      .join('\n');
    const withLone = createOktaEventGenerator({ seed: 9, unusualRate: 1, loneSurrogates: true })
      .batchJson(500)
      .map((e) => e.json)
      .join('\n');

    // Assess
    expect(without).not.toMatch(/\\ud83d |\\udca9 /);
    expect(withLone).toMatch(/lone high \\ud83d surrogate/);
  });

  it('makes large events of an exact UTF-8 size, with multibyte padding whose length differs from its bytes', () => {
    // Prepare
    const generator = createOktaEventGenerator({ seed: 3 });

    // Act
    const kb100 = generator.nextJson({ bytes: 100 * 1024 });
    const overOneMb = generator.nextJson({ bytes: 1_100_000, padding: 'multibyte' });
    const exactlyOneMb = generator.nextJson({ bytes: 1_048_576 });

    // Assess
    expect(Buffer.byteLength(kb100.json)).toBe(102_400);
    expect(Buffer.byteLength(overOneMb.json)).toBe(1_100_000);
    expect(overOneMb.json.length).toBeLessThan(400_000);
    expect(Buffer.byteLength(exactlyOneMb.json)).toBe(1_048_576);
    expect((JSON.parse(overOneMb.json) as OktaLogEvent).debugContext.debugData.padding).toMatch(/^€+x*$/);
    expect(() => generator.nextJson({ bytes: 100 })).toThrow(RangeError);
  });

  it('mixes large events into a stream at the requested rate', () => {
    // Prepare / Act
    const generated = createOktaEventGenerator({ seed: 4, large: { rate: 0.1, bytes: 70_000 } }).batchJson(
      500,
    );

    // Assess
    const large = generated.filter((e) => Buffer.byteLength(e.json) === 70_000).length;
    expect(large).toBeGreaterThan(25);
    expect(large).toBeLessThan(80);
  });

  it('pads an event object to an exact size', () => {
    // Prepare
    const event = generateOktaEvents(1, { seed: 11 })[0]!;

    // Act
    padEventTo(event, 200_000, 'multibyte');

    // Assess
    expect(Buffer.byteLength(JSON.stringify(event))).toBe(200_000);
  });

  it('uses the given published instants, and otherwise advances its own clock', () => {
    // Prepare
    const generator = createOktaEventGenerator({ seed: 6, startTime: Date.UTC(2025, 5, 1) });

    // Act
    const own = generator.batch(50).map((e) => Date.parse(e.published));
    const given = generator.batch(3, (i) => Date.UTC(2025, 0, 1) + i).map((e) => e.published);

    // Assess
    expect(own[0]).toBeGreaterThanOrEqual(Date.UTC(2025, 5, 1));
    expect([...own].sort((a, b) => a - b)).toEqual(own);
    expect(given).toEqual([
      '2025-01-01T00:00:00.000Z',
      '2025-01-01T00:00:00.001Z',
      '2025-01-01T00:00:00.002Z',
    ]);
  });
});
