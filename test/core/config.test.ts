import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lambda/config.js';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const BASE = {
  OKTA_ORG_URL: 'https://acme.okta.com',
  OKTA_SECRET_ID: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:okta-AbCdEf',
  SUMO_URL_PARAMETER: '/okta-sumo-collector/sumo-url',
  CURSOR_TABLE_NAME: 'cursors',
};

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    // Act
    const config = loadConfig(BASE, NOW);

    // Assess
    expect(config).toMatchObject({
      oktaOrgUrl: 'https://acme.okta.com',
      sumo: { category: 'okta', name: undefined, host: undefined, fields: {} },
      oktaStartTime: undefined,
      oktaPageLimit: 1000,
      oktaRateLimitShare: 0.5,
      oktaRequestTimeoutMs: 40_000,
      sumoRequestTimeoutMs: 30_000,
      credentialsTtlMs: 300_000,
      undeliverableBucketName: undefined,
      replayRetentionDays: 30,
      sumoMaxInFlight: 3,
      pollIntervalSeconds: undefined,
      schedulePeriodSeconds: 60,
      catchUpSegments: 4,
      healthCategory: undefined,
    });
  });

  it('reads the settings added for delivery, freshness and housekeeping', () => {
    // Act
    const config = loadConfig(
      {
        ...BASE,
        UNDELIVERABLE_BUCKET_NAME: 'undeliverable-bucket',
        REPLAY_RETENTION_DAYS: '7',
        SUMO_MAX_IN_FLIGHT: '1',
        OKTA_POLL_INTERVAL_SECONDS: '15',
        SCHEDULE_PERIOD_SECONDS: '120',
        OKTA_CATCHUP_SEGMENTS: '1',
        SUMO_HEALTH_CATEGORY: 'okta/health',
      },
      NOW,
    );

    // Assess
    expect(config).toMatchObject({
      undeliverableBucketName: 'undeliverable-bucket',
      replayRetentionDays: 7,
      sumoMaxInFlight: 1,
      pollIntervalSeconds: 15,
      schedulePeriodSeconds: 120,
      catchUpSegments: 1,
      healthCategory: 'okta/health',
    });
  });

  it("accepts the script collector's epoch milliseconds as the start time", () => {
    // Act
    const config = loadConfig({ ...BASE, OKTA_START_TIME: String(Date.parse('2026-11-01T00:00:00Z')) }, NOW);

    // Assess
    expect(config.oktaStartTime).toBe('2026-11-01T00:00:00.000Z');
  });

  it('accepts a plain decimal share with a leading dot', () => {
    // Act
    const config = loadConfig({ ...BASE, OKTA_RATE_LIMIT_SHARE: '.25' }, NOW);

    // Assess
    expect(config.oktaRateLimitShare).toBe(0.25);
  });

  it('quotes at most 60 characters of a long value in its error', () => {
    // Prepare
    const long = `x${'y'.repeat(100_000)}`;

    // Act
    let message = '';
    try {
      loadConfig({ ...BASE, OKTA_START_TIME: long }, NOW);
    } catch (error) {
      message = (error as Error).message;
    }

    // Assess
    expect(message).toMatch(/^OKTA_START_TIME must be an ISO-8601 instant/);
    expect(message).toContain('(100001 characters)');
    expect(message.length).toBeLessThan(250);
  });

  it('reads every optional setting', () => {
    // Act
    const config = loadConfig(
      {
        ...BASE,
        SUMO_SOURCE_CATEGORY: 'security/okta',
        SUMO_SOURCE_NAME: 'okta-prod',
        SUMO_SOURCE_HOST: 'acme',
        SUMO_FIELDS: 'team=secops, env=prod',
        OKTA_START_TIME: '2026-11-01T00:00:00+01:00',
        OKTA_PAGE_LIMIT: '200',
        OKTA_RATE_LIMIT_SHARE: '0.25',
      },
      NOW,
    );

    // Assess
    expect(config.sumo).toEqual({
      category: 'security/okta',
      name: 'okta-prod',
      host: 'acme',
      fields: { team: 'secops', env: 'prod' },
    });
    expect(config.oktaStartTime).toBe('2026-10-31T23:00:00.000Z');
    expect(config.oktaPageLimit).toBe(200);
    expect(config.oktaRateLimitShare).toBe(0.25);
  });

  it('accepts plain http only to a loopback host', () => {
    // Act
    const config = loadConfig({ ...BASE, OKTA_ORG_URL: 'http://127.0.0.1:8080/' }, NOW);

    // Assess
    expect(config.oktaOrgUrl).toBe('http://127.0.0.1:8080');
  });

  it.each([
    [{ OKTA_ORG_URL: undefined }, 'OKTA_ORG_URL is required'],
    [{ OKTA_ORG_URL: '  ' }, 'OKTA_ORG_URL is required'],
    [{ OKTA_SECRET_ID: '' }, 'OKTA_SECRET_ID is required'],
    [{ SUMO_URL_PARAMETER: undefined }, 'SUMO_URL_PARAMETER is required'],
    [{ CURSOR_TABLE_NAME: undefined }, 'CURSOR_TABLE_NAME is required'],
    [{ OKTA_ORG_URL: 'acme.okta.com' }, 'OKTA_ORG_URL is not a URL'],
    [{ OKTA_ORG_URL: 'http://acme.okta.com' }, 'OKTA_ORG_URL must use https://'],
    [{ OKTA_ORG_URL: 'ftp://acme.okta.com' }, 'OKTA_ORG_URL must use https://'],
    [{ OKTA_ORG_URL: 'https://acme.okta.com/api/v1' }, 'OKTA_ORG_URL must be the org'],
    [
      { OKTA_ORG_URL: 'https://admin:pw@acme.okta.com' },
      'OKTA_ORG_URL must not contain a user name or password',
    ],
    [{ SUMO_FIELDS: 'team' }, 'SUMO_FIELDS must be a list of key=value pairs'],
    [{ SUMO_FIELDS: 'a=b=c' }, 'SUMO_FIELDS must be a list of key=value pairs'],
    [{ SUMO_FIELDS: 'bad key=x' }, 'SUMO_FIELDS has an invalid field name'],
    [{ OKTA_PAGE_LIMIT: '0' }, 'OKTA_PAGE_LIMIT must be a whole number from 1 to 1000'],
    [{ OKTA_PAGE_LIMIT: '1001' }, 'OKTA_PAGE_LIMIT must be a whole number from 1 to 1000'],
    [{ OKTA_PAGE_LIMIT: '10.5' }, 'OKTA_PAGE_LIMIT must be a whole number'],
    [{ OKTA_START_TIME: '2026-11-01' }, 'OKTA_START_TIME must be an ISO-8601 instant'],
    [{ OKTA_START_TIME: 'yesterday' }, 'OKTA_START_TIME must be an ISO-8601 instant'],
    [{ OKTA_START_TIME: '2027-01-01T00:00:00Z' }, 'OKTA_START_TIME is in the future'],
    [{ OKTA_RATE_LIMIT_SHARE: '0' }, 'OKTA_RATE_LIMIT_SHARE must be a decimal number from 0.01 to 1'],
    [{ OKTA_RATE_LIMIT_SHARE: '1.5' }, 'OKTA_RATE_LIMIT_SHARE must be a decimal number from 0.01 to 1'],
    [
      { OKTA_RATE_LIMIT_SHARE: '0x1' },
      'OKTA_RATE_LIMIT_SHARE must be a decimal number from 0.01 to 1, got "0x1"',
    ],
    [{ OKTA_RATE_LIMIT_SHARE: '1e-300' }, 'OKTA_RATE_LIMIT_SHARE must be a decimal number from 0.01 to 1'],
    [{ OKTA_RATE_LIMIT_SHARE: '0.001' }, 'OKTA_RATE_LIMIT_SHARE must be a decimal number from 0.01 to 1'],
    [{ OKTA_RATE_LIMIT_SHARE: 'Infinity' }, 'OKTA_RATE_LIMIT_SHARE must be a decimal number'],
    [{ SUMO_FIELDS: 'team=é€' }, 'SUMO_FIELDS field team holds characters an HTTP header cannot carry'],
    [{ SUMO_FIELDS: 'a=x\ny' }, 'SUMO_FIELDS field a holds characters an HTTP header cannot carry'],
    [{ SUMO_FIELDS: '_sourceCategory=x' }, 'SUMO_FIELDS has the reserved field name "_sourceCategory"'],
    [{ SUMO_FIELDS: '_collector=x' }, 'SUMO_FIELDS has the reserved field name "_collector"'],
    [{ SUMO_FIELDS: '_anything=x' }, 'SUMO_FIELDS has the reserved field name'],
    [
      { SUMO_SOURCE_CATEGORY: 'okta\r\nX-Injected: 1' },
      'SUMO_SOURCE_CATEGORY holds characters an HTTP header cannot carry',
    ],
    [{ SUMO_SOURCE_HOST: 'hôte' }, 'SUMO_SOURCE_HOST holds characters an HTTP header cannot carry'],
    [{ OKTA_START_TIME: '2026-02-30T00:00:00Z' }, 'OKTA_START_TIME must be an ISO-8601 instant'],
    [{ OKTA_START_TIME: '2026-11-01T24:00:00Z' }, 'OKTA_START_TIME must be an ISO-8601 instant'],
    [{ OKTA_START_TIME: '1800000000000' }, 'OKTA_START_TIME is in the future'],
    [
      { SUMO_URL_PARAMETER: 'okta/sumo-url' },
      'SUMO_URL_PARAMETER "okta/sumo-url" is not an SSM parameter name',
    ],
    [
      { OKTA_REQUEST_TIMEOUT_MS: '1e4' },
      'OKTA_REQUEST_TIMEOUT_MS must be a whole number from 1000 to 120000',
    ],
    [{ SUMO_MAX_IN_FLIGHT: '5' }, 'SUMO_MAX_IN_FLIGHT must be a whole number from 1 to 4, got 5'],
    [{ OKTA_POLL_INTERVAL_SECONDS: '4' }, 'OKTA_POLL_INTERVAL_SECONDS must be a whole number from 5 to 55'],
    [{ OKTA_POLL_INTERVAL_SECONDS: '56' }, 'OKTA_POLL_INTERVAL_SECONDS must be a whole number from 5 to 55'],
    [{ SCHEDULE_PERIOD_SECONDS: '59' }, 'SCHEDULE_PERIOD_SECONDS must be a whole number from 60 to 86400'],
    [{ OKTA_CATCHUP_SEGMENTS: '9' }, 'OKTA_CATCHUP_SEGMENTS must be a whole number from 1 to 8'],
    [{ REPLAY_RETENTION_DAYS: '0' }, 'REPLAY_RETENTION_DAYS must be a whole number from 1 to 3650'],
  ])('refuses %o naming the variable', (override, message) => {
    // Act
    const load = () => loadConfig({ ...BASE, ...override }, NOW);

    // Assess
    expect(load).toThrow(message);
    expect(load).toThrowError(expect.objectContaining({ name: 'ConfigError' }) as Error);
  });
});
