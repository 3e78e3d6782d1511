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
      credentialsTtlMs: 300_000,
    });
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
    [{ OKTA_RATE_LIMIT_SHARE: '0' }, 'OKTA_RATE_LIMIT_SHARE must be a number greater than 0 and at most 1'],
    [{ OKTA_RATE_LIMIT_SHARE: '1.5' }, 'OKTA_RATE_LIMIT_SHARE must be a number greater than 0 and at most 1'],
  ])('refuses %o naming the variable', (override, message) => {
    // Act
    const load = () => loadConfig({ ...BASE, ...override }, NOW);

    // Assess
    expect(load).toThrow(message);
    expect(load).toThrowError(expect.objectContaining({ name: 'ConfigError' }) as Error);
  });
});
