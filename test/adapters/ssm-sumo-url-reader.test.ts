import { SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createSumoUrlProvider,
  parseSumoUrl,
  readSumoUrl,
} from '../../lambda/adapters/aws/sumo-url-reader.js';
import { CredentialError } from '../../lambda/core/errors.js';
import type { Logger } from '../../lambda/core/ports.js';
import {
  localAwsEnvironment,
  startLocalAwsEndpoints,
  type LocalAwsEndpoints,
} from '../../dev/local-aws-endpoints.js';

/** The source token embedded in every URL here: it must never appear in an error message. */
const TOKEN = 'ZaVnC4dhaV3_SECRET-token_Xy9kQ2hvbGRzYXRva2Vu==';
const WHERE = 'parameter "/collector/sumo-url" (SUMO_URL_PARAMETER)';

let aws: LocalAwsEndpoints;
let client: SSMClient;

beforeAll(async () => {
  aws = await startLocalAwsEndpoints();
  // The Lambda's client uses the default configuration: the endpoint comes from AWS_ENDPOINT_URL_SSM.
  for (const [name, value] of Object.entries(localAwsEnvironment({ ssm: aws.endpoint })))
    vi.stubEnv(name, value);
  client = new SSMClient({});
});

afterAll(async () => {
  client.destroy();
  await aws.stop();
  vi.unstubAllEnvs();
});

function recordingLogger(): Logger & { warnings: { message: string; data: unknown }[] } {
  const warnings: { message: string; data: unknown }[] = [];
  return {
    warnings,
    debug: () => {},
    info: () => {},
    error: () => {},
    warn: (message, data) => warnings.push({ message, data }),
  };
}

function expectNothingOfTheUrlIn(error: unknown, url: string): void {
  expect(error).toBeInstanceOf(CredentialError);
  const message = (error as Error).message;
  expect(message).not.toContain(TOKEN);
  expect(message).not.toContain(url.trim());
  expect((error as Error).cause).toBeUndefined();
}

describe('parseSumoUrl', () => {
  const accepted = [
    `https://endpoint1.collection.sumologic.com/receiver/v1/http/${TOKEN}`,
    `https://endpoint4.collection.us2.sumologic.com/receiver/v1/http/${TOKEN}`,
    `https://collectors.fed.sumologic.com/receiver/v1/http/${TOKEN}`,
    `https://endpoint1.collection.fed.sumologic.com/receiver/v1/http/${TOKEN}`,
    `https://collectors.au.sumologic.com/receiver/v1/http/${TOKEN}`,
    `https://events.sumologic.net/receiver/v1/http/${TOKEN}`,
    `  https://endpoint1.collection.eu.sumologic.com/receiver/v1/http/${TOKEN}\n`,
    'http://127.0.0.1:4318/anything/at/all',
    'http://localhost:8080/receiver',
    'http://[::1]:9000/',
    'https://127.0.0.1/receiver/v1/http/local',
  ];

  it.each(accepted)('accepts %s', (value) => {
    // Act
    const url = parseSumoUrl(value, WHERE);

    // Assess
    expect(url.href).toBe(new URL(value.trim()).href);
  });

  const refused: [string, string, RegExp][] = [
    [
      'plain http to Sumo',
      `http://endpoint1.collection.sumologic.com/receiver/v1/http/${TOKEN}`,
      /must use https:\/\//,
    ],
    [
      'another host',
      `https://logs.example.com/receiver/v1/http/${TOKEN}`,
      /host is not a Sumo Logic collection endpoint/,
    ],
    [
      'a look-alike host',
      `https://sumologic.com.example.net/receiver/v1/http/${TOKEN}`,
      /host is not a Sumo Logic/,
    ],
    [
      'a host ending in sumologic.com without a dot',
      `https://evilsumologic.com/receiver/v1/http/${TOKEN}`,
      /host is not/,
    ],
    [
      'an OTLP source',
      `https://collectors.sumologic.com/receiver/v1/otlp/${TOKEN}/v1/logs`,
      /it is an OTLP source URL/,
    ],
    [
      'a traces source',
      `https://collectors.sumologic.com/receiver/v1/trace/${TOKEN}`,
      /it is a traces source URL/,
    ],
    [
      'no token',
      'https://endpoint1.collection.sumologic.com/receiver/v1/http/',
      /path is not \/receiver\/v1\/http\/<token>/,
    ],
    [
      'an extra path segment',
      `https://endpoint1.collection.sumologic.com/receiver/v1/http/${TOKEN}/x`,
      /path is not/,
    ],
    ['the wrong path', `https://endpoint1.collection.sumologic.com/${TOKEN}`, /path is not/],
    [
      'a query',
      `https://endpoint1.collection.sumologic.com/receiver/v1/http/${TOKEN}?x=1`,
      /query or fragment/,
    ],
    [
      'credentials in the URL',
      `https://u:${TOKEN}@endpoint1.collection.sumologic.com/receiver/v1/http/x`,
      /user name or password/,
    ],
    ['not a URL', `receiver/v1/http/${TOKEN}`, /it is not a URL/],
    [
      'another scheme',
      `ftp://endpoint1.collection.sumologic.com/receiver/v1/http/${TOKEN}`,
      /must use https:\/\/, not ftp:/,
    ],
    ['another scheme to loopback', `ftp://127.0.0.1/receiver/v1/http/${TOKEN}`, /must use https:\/\//],
  ];

  it.each(refused)('refuses %s without quoting any part of the URL', (_name, value, problem) => {
    // Act
    let error: unknown;
    try {
      parseSumoUrl(value, WHERE);
    } catch (caught) {
      error = caught;
    }

    // Assess
    expectNothingOfTheUrlIn(error, value);
    expect((error as Error).message).toMatch(problem);
    expect((error as Error).message).toContain(
      `${WHERE} does not hold a Sumo HTTP Logs Source URL (expected https://<endpoint>.sumologic.com/receiver/v1/http/<token>)`,
    );
  });
});

describe('readSumoUrl', () => {
  it('reads a SecureString with decryption', async () => {
    // Prepare
    const value = `https://endpoint1.collection.sumologic.com/receiver/v1/http/${TOKEN}`;
    aws.setParameter('/collector/secure', value, 'SecureString');
    let plain = 0;

    // Act
    const url = await readSumoUrl(client, '/collector/secure', () => (plain += 1));

    // Assess
    expect(url.href).toBe(value);
    expect(plain).toBe(0);
    expect(aws.requests.at(-1)).toMatchObject({
      operation: 'GetParameter',
      body: { Name: '/collector/secure', WithDecryption: true },
      signed: true,
    });
  });

  it('refuses a StringList parameter', async () => {
    // Prepare
    aws.setParameter(
      '/collector/list',
      `https://endpoint1.collection.sumologic.com/receiver/v1/http/${TOKEN},x`,
      'StringList',
    );

    // Act
    const result = readSumoUrl(client, '/collector/list');

    // Assess
    await expect(result).rejects.toThrow(/is a StringList; store the URL alone in a SecureString/);
    await result.catch((error: unknown) => expect((error as Error).message).not.toContain(TOKEN));
  });

  it('refuses a value that is not a Sumo URL without quoting it', async () => {
    // Prepare
    const value = `https://collector.example.com/receiver/v1/http/${TOKEN}`;
    aws.setParameter('/collector/elsewhere', value, 'SecureString');

    // Act
    const result = readSumoUrl(client, '/collector/elsewhere');

    // Assess
    await expect(result).rejects.toThrow(
      /parameter "\/collector\/elsewhere" \(SUMO_URL_PARAMETER\) does not hold/,
    );
    await result.catch((error: unknown) => expectNothingOfTheUrlIn(error, value));
  });

  it('says when the parameter does not exist', async () => {
    // Act
    const result = readSumoUrl(client, '/collector/missing');

    // Assess
    await expect(result).rejects.toThrow('parameter "/collector/missing" (SUMO_URL_PARAMETER) was not found');
    await expect(result).rejects.toHaveProperty('cause.name', 'ParameterNotFound');
  });

  it("says when the function's role may not read it", async () => {
    // Prepare
    aws.setParameter(
      '/collector/locked',
      `https://endpoint1.collection.sumologic.com/receiver/v1/http/${TOKEN}`,
      'SecureString',
    );
    aws.denyAccess('/collector/locked');

    // Act
    const result = readSumoUrl(client, '/collector/locked');

    // Assess
    await expect(result).rejects.toThrow(
      `the function's role may not read parameter "/collector/locked" (SUMO_URL_PARAMETER) (AccessDeniedException)`,
    );
  });

  it('also reaches a stand-in given as an explicit client endpoint', async () => {
    // Prepare
    const other = await startLocalAwsEndpoints();
    other.setParameter('/explicit', 'http://127.0.0.1:1/sink', 'SecureString');
    const explicit = new SSMClient({ endpoint: other.endpoint });

    // Act
    const url = await readSumoUrl(explicit, '/explicit');

    // Assess
    expect(url.href).toBe('http://127.0.0.1:1/sink');
    expect(other.calls('GetParameter')).toBe(1);
    explicit.destroy();
    await other.stop();
  });
});

describe('createSumoUrlProvider', () => {
  it('accepts a plain String parameter but warns once, without the URL', async () => {
    // Prepare
    aws.setParameter(
      '/collector/plain',
      `https://endpoint1.collection.sumologic.com/receiver/v1/http/${TOKEN}`,
      'String',
    );
    const logger = recordingLogger();
    const provider = createSumoUrlProvider({ client, parameterName: '/collector/plain', ttlMs: 0, logger });

    // Act
    await provider.get();
    const url = await provider.get();

    // Assess
    expect(url.hostname).toBe('endpoint1.collection.sumologic.com');
    expect(logger.warnings).toEqual([
      { message: 'Sumo URL parameter is not a SecureString', data: { parameter: '/collector/plain' } },
    ]);
    expect(JSON.stringify(logger.warnings)).not.toContain(TOKEN);
  });

  it('does not warn about a SecureString', async () => {
    // Prepare
    aws.setParameter('/collector/quiet', 'http://127.0.0.1:1/sink', 'SecureString');
    const logger = recordingLogger();
    const provider = createSumoUrlProvider({ client, parameterName: '/collector/quiet', ttlMs: 0, logger });

    // Act
    await provider.get();

    // Assess
    expect(logger.warnings).toEqual([]);
  });

  it('reuses the URL for the TTL and reads a regenerated one on refresh()', async () => {
    // Prepare
    const first = `https://endpoint1.collection.sumologic.com/receiver/v1/http/${TOKEN}`;
    const second = 'https://endpoint1.collection.sumologic.com/receiver/v1/http/regenerated';
    aws.setParameter('/collector/cached', first, 'SecureString');
    let now = 0;
    const provider = createSumoUrlProvider({
      client,
      parameterName: '/collector/cached',
      ttlMs: 60_000,
      logger: recordingLogger(),
      clock: { now: () => now },
    });
    const before = aws.calls('GetParameter');

    // Act
    const a = await provider.get();
    aws.setParameter('/collector/cached', second, 'SecureString');
    now = 59_000;
    const b = await provider.get();
    const c = await provider.refresh();

    // Assess
    expect([a.href, b.href, c.href]).toEqual([first, first, second]);
    expect(aws.calls('GetParameter') - before).toBe(2);
  });
});
