import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createOktaCredentialProvider,
  parseOktaSecret,
  readOktaSecret,
} from '../../lambda/adapters/aws/okta-secret-reader.js';
import { CredentialError } from '../../lambda/core/errors.js';
import {
  localAwsEnvironment,
  startLocalAwsEndpoints,
  type LocalAwsEndpoints,
} from '../../dev/local-aws-endpoints.js';

/** A value that must never appear in an error message. */
const TOKEN = '00SECRETtokenVALUE-abc123XYZ';
const WHERE = 'secret "okta/acme" (OKTA_SECRET_ID)';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const RSA_PEM = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const RSA_JWK = { ...rsa.privateKey.export({ format: 'jwk' }), kid: 'key-from-jwk' };
const EC_JWK = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
const PUBLIC_PEM = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const ENCRYPTED_PEM = rsa.privateKey
  .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pass' })
  .toString();
/** Characters of the private key that would betray it in a message. */
const KEY_MATERIAL = [RSA_PEM.split('\n')[5]!, RSA_JWK.d!, EC_JWK.d!];

let aws: LocalAwsEndpoints;
let client: SecretsManagerClient;

beforeAll(async () => {
  aws = await startLocalAwsEndpoints();
  // The Lambda's client uses the default configuration: the endpoint comes from AWS_ENDPOINT_URL_SECRETS_MANAGER.
  for (const [name, value] of Object.entries(localAwsEnvironment({ secretsManager: aws.endpoint }))) {
    vi.stubEnv(name, value);
  }
  client = new SecretsManagerClient({});
});

afterAll(async () => {
  client.destroy();
  await aws.stop();
  vi.unstubAllEnvs();
});

function expectNoSecretIn(error: unknown): void {
  expect(error).toBeInstanceOf(CredentialError);
  // The cause too: a logger may print it whole.
  const text = `${(error as Error).message} ${inspect((error as Error).cause)}`;
  for (const secret of [TOKEN, ...KEY_MATERIAL]) expect(text).not.toContain(secret);
}

function parseFailure(secretString: string): CredentialError {
  try {
    parseOktaSecret(secretString, WHERE);
  } catch (error) {
    expectNoSecretIn(error);
    return error as CredentialError;
  }
  throw new Error('expected the secret to be refused');
}

describe('parseOktaSecret', () => {
  it('reads an API token secret', () => {
    // Act
    const credential = parseOktaSecret(JSON.stringify({ apiToken: TOKEN }), WHERE);

    // Assess
    expect(credential).toEqual({ kind: 'api-token', apiToken: TOKEN });
  });

  it('reads a service app secret with a PEM key and a key id', () => {
    // Act
    const credential = parseOktaSecret(
      JSON.stringify({ clientId: '0oa1', privateKey: RSA_PEM, keyId: 'kid-1' }),
      WHERE,
    );

    // Assess
    expect(credential).toEqual({
      kind: 'service-app',
      clientId: '0oa1',
      privateKey: RSA_PEM.trim(),
      keyId: 'kid-1',
    });
  });

  it('reads a service app secret with a JWK object, taking the key id from the JWK', () => {
    // Act
    const credential = parseOktaSecret(JSON.stringify({ clientId: '0oa1', privateKey: RSA_JWK }), WHERE);

    // Assess
    expect(credential).toEqual({
      kind: 'service-app',
      clientId: '0oa1',
      privateKey: RSA_JWK,
      keyId: 'key-from-jwk',
    });
  });

  it('prefers an explicit keyId over the JWK kid', () => {
    // Act
    const credential = parseOktaSecret(
      JSON.stringify({ clientId: '0oa1', privateKey: RSA_JWK, keyId: 'explicit' }),
      WHERE,
    );

    // Assess
    expect(credential).toMatchObject({ keyId: 'explicit' });
  });

  it('accepts an EC JWK, and a JWK pasted as a JSON string', () => {
    // Act
    const credential = parseOktaSecret(
      JSON.stringify({ clientId: '0oa1', privateKey: JSON.stringify(EC_JWK) }),
      WHERE,
    );

    // Assess
    expect(credential).toEqual({
      kind: 'service-app',
      clientId: '0oa1',
      privateKey: EC_JWK,
      keyId: undefined,
    });
  });

  it('accepts a PEM whose line breaks were typed as \\n', () => {
    // Prepare
    const escaped = RSA_PEM.trim().replaceAll('\n', '\\n');

    // Act
    const credential = parseOktaSecret(JSON.stringify({ clientId: '0oa1', privateKey: escaped }), WHERE);

    // Assess
    expect(credential).toMatchObject({ privateKey: RSA_PEM.trim() });
  });

  it('accepts a JWK Set holding one key, storing that key and its kid', () => {
    // Act
    const credential = parseOktaSecret(
      JSON.stringify({ clientId: '0oa1', privateKey: { keys: [RSA_JWK] } }),
      WHERE,
    );

    // Assess
    expect(credential).toEqual({
      kind: 'service-app',
      clientId: '0oa1',
      privateKey: RSA_JWK,
      keyId: 'key-from-jwk',
    });
  });

  const malformed: [string, string, RegExp][] = [
    ['not JSON', `{apiToken: ${TOKEN}}`, /is not JSON;/],
    [
      'a bare token',
      TOKEN,
      /is not JSON \(it looks like a bare token: wrap it as \{"apiToken": "\.\.\."\}\)/,
    ],
    ['an empty string', '  ', /is empty;/],
    ['a JSON array', JSON.stringify([TOKEN]), /is JSON but not an object/],
    ['a JSON string', JSON.stringify(TOKEN), /is JSON but not an object/],
    ['an empty object', '{}', /has neither apiToken nor clientId and privateKey \(it is an empty object\)/],
    ['a misspelt key', JSON.stringify({ apitoken: TOKEN }), /\(its keys are apitoken\)/],
    [
      'a token pasted as a key',
      JSON.stringify({ [TOKEN]: true, note: 'x' }),
      /\(its keys are note, 1 other key\)/,
    ],
    ['a numeric apiToken', JSON.stringify({ apiToken: 42 }), /apiToken must be a string/],
    ['an empty apiToken', JSON.stringify({ apiToken: ' ' }), /apiToken is empty/],
    ['an apiToken with the SSWS prefix', JSON.stringify({ apiToken: `SSWS ${TOKEN}` }), /without "SSWS "/],
    [
      'an apiToken with whitespace',
      JSON.stringify({ apiToken: `${TOKEN} x` }),
      /apiToken contains whitespace/,
    ],
    [
      'both shapes mixed',
      JSON.stringify({ apiToken: TOKEN, clientId: '0oa1', privateKey: RSA_PEM }),
      /mixes both shapes \(apiToken together with clientId, privateKey\)/,
    ],
    ['a missing clientId', JSON.stringify({ privateKey: RSA_PEM }), /clientId is missing/],
    ['a missing privateKey', JSON.stringify({ clientId: '0oa1' }), /privateKey is missing/],
    [
      'a numeric privateKey',
      JSON.stringify({ clientId: '0oa1', privateKey: 7 }),
      /privateKey is neither a PEM private key/,
    ],
    [
      'a privateKey that is not PEM',
      JSON.stringify({ clientId: '0oa1', privateKey: TOKEN }),
      /privateKey is neither a PEM private key/,
    ],
    [
      'a public PEM',
      JSON.stringify({ clientId: '0oa1', privateKey: PUBLIC_PEM }),
      /privateKey holds a public key or a certificate \(a public key was given\?\)/,
    ],
    [
      'an encrypted PEM',
      JSON.stringify({ clientId: '0oa1', privateKey: ENCRYPTED_PEM }),
      /privateKey is an encrypted PKCS#8 PEM: store it unencrypted/,
    ],
    [
      'a PEM cut short',
      JSON.stringify({ clientId: '0oa1', privateKey: RSA_PEM.slice(0, 200) }),
      /PEM key without its END line/,
    ],
    [
      'a public JWK',
      JSON.stringify({ clientId: '0oa1', privateKey: { kty: 'RSA', n: RSA_JWK.n, e: RSA_JWK.e } }),
      /privateKey is a public JWK \(no "d" member/,
    ],
    [
      'an RSA JWK without its CRT parameters',
      JSON.stringify({
        clientId: '0oa1',
        privateKey: { kty: 'RSA', n: RSA_JWK.n, e: RSA_JWK.e, d: RSA_JWK.d },
      }),
      /is an RSA JWK without p, q, dp, dq, qi/,
    ],
    [
      'a JWK Set of two keys',
      JSON.stringify({ clientId: '0oa1', privateKey: { keys: [RSA_JWK, EC_JWK] } }),
      /privateKey is a JWK Set: store exactly one private JWK/,
    ],
    [
      'a symmetric JWK',
      JSON.stringify({ clientId: '0oa1', privateKey: { kty: 'oct', d: TOKEN } }),
      /privateKey is a JWK of type oct: Okta service apps sign with RSA/,
    ],
    [
      'a JWK string that is not JSON',
      JSON.stringify({ clientId: '0oa1', privateKey: `{${TOKEN}` }),
      /privateKey starts like a JSON JWK but is not valid JSON/,
    ],
    [
      'a numeric keyId',
      JSON.stringify({ clientId: '0oa1', privateKey: RSA_PEM, keyId: 3 }),
      /keyId must be a string/,
    ],
    [
      'the placeholder alone',
      'REPLACE_ME',
      /put your Okta API token or service app key in secret "okta\/acme"/,
    ],
    [
      'the placeholder in JSON',
      JSON.stringify({ apiToken: 'REPLACE_ME' }),
      /still holds the placeholder REPLACE_ME/,
    ],
  ];

  it.each(malformed)(
    'refuses %s, saying what is expected and never quoting the secret',
    (_name, secret, problem) => {
      // Act
      const error = parseFailure(secret);

      // Assess
      expect(error.message).toMatch(problem);
      expect(error.message).toContain(WHERE);
      expect(error.message).toContain('expected {"apiToken": "..."} or {"clientId"');
    },
  );
});

describe('readOktaSecret', () => {
  it('reads the secret by name and by ARN', async () => {
    // Prepare
    aws.setSecret('okta/by-name', JSON.stringify({ apiToken: TOKEN }));

    // Act
    const byName = await readOktaSecret(client, 'okta/by-name');
    const byArn = await readOktaSecret(client, aws.secretArn('okta/by-name'));

    // Assess
    expect(byName).toEqual({ kind: 'api-token', apiToken: TOKEN });
    expect(byArn).toEqual(byName);
    expect(aws.requests.at(-1)).toMatchObject({ operation: 'GetSecretValue', signed: true });
  });

  it('refuses a secret stored as binary', async () => {
    // Prepare
    aws.setSecretBinary('okta/binary', new TextEncoder().encode(JSON.stringify({ apiToken: TOKEN })));

    // Act
    const result = readOktaSecret(client, 'okta/binary');

    // Assess
    await expect(result).rejects.toThrow(
      /holds binary data \(SecretBinary\); store the JSON as the secret's text/,
    );
    await result.catch(expectNoSecretIn);
  });

  it('says when the secret does not exist', async () => {
    // Act
    const result = readOktaSecret(client, 'okta/missing');

    // Assess
    await expect(result).rejects.toThrow('secret "okta/missing" (OKTA_SECRET_ID) was not found');
    await expect(result).rejects.toHaveProperty('cause.name', 'ResourceNotFoundException');
  });

  it("says when the function's role may not read it", async () => {
    // Prepare
    aws.setSecret('okta/locked', JSON.stringify({ apiToken: TOKEN }));
    aws.denyAccess('okta/locked');

    // Act
    const result = readOktaSecret(client, 'okta/locked');

    // Assess
    await expect(result).rejects.toThrow(
      `the function's role may not read secret "okta/locked" (OKTA_SECRET_ID) (AccessDeniedException)`,
    );
  });

  it('names the AWS error when Secrets Manager keeps failing after the SDK retries', async () => {
    // Prepare
    aws.setSecret('okta/throttled', JSON.stringify({ apiToken: TOKEN }));
    aws.failNext(3, 'throttling');
    const before = aws.calls('GetSecretValue');

    // Act
    const result = readOktaSecret(client, 'okta/throttled');

    // Assess
    await expect(result).rejects.toThrow(
      'could not read secret "okta/throttled" (OKTA_SECRET_ID): Secrets Manager answered ThrottlingException',
    );
    expect(aws.calls('GetSecretValue') - before).toBe(3);
  });

  it('succeeds when a 500 is followed by an answer (the SDK retries)', async () => {
    // Prepare
    aws.setSecret('okta/flaky', JSON.stringify({ apiToken: TOKEN }));
    aws.failNext(1, 'internal-error');
    const before = aws.calls('GetSecretValue');

    // Act
    const credential = await readOktaSecret(client, 'okta/flaky');

    // Assess
    expect(credential).toEqual({ kind: 'api-token', apiToken: TOKEN });
    expect(aws.calls('GetSecretValue') - before).toBe(2);
  });

  it('says when Secrets Manager cannot be reached', async () => {
    // Prepare: an endpoint nothing listens on.
    const down = await startLocalAwsEndpoints();
    await down.stop();
    const unreachable = new SecretsManagerClient({ endpoint: down.endpoint, maxAttempts: 1 });

    // Act
    const result = readOktaSecret(unreachable, 'okta/any');

    // Assess
    await expect(result).rejects.toThrow(
      /^could not reach Secrets Manager to read secret "okta\/any" \(OKTA_SECRET_ID\)/,
    );
    unreachable.destroy();
  });

  it('also reaches a stand-in given as an explicit client endpoint', async () => {
    // Prepare
    const other = await startLocalAwsEndpoints();
    other.setSecret('okta/explicit', JSON.stringify({ apiToken: TOKEN }));
    const explicit = new SecretsManagerClient({ endpoint: other.endpoint });

    // Act
    const credential = await readOktaSecret(explicit, 'okta/explicit');

    // Assess
    expect(credential).toEqual({ kind: 'api-token', apiToken: TOKEN });
    expect(other.calls('GetSecretValue')).toBe(1);
    explicit.destroy();
    await other.stop();
  });
});

describe('createOktaCredentialProvider', () => {
  it('reuses the credential for the TTL, reads it again after, and refresh() reads at once', async () => {
    // Prepare
    aws.setSecret('okta/cached', JSON.stringify({ apiToken: 'first' }));
    let now = 0;
    const provider = createOktaCredentialProvider({
      client,
      secretId: 'okta/cached',
      ttlMs: 300_000,
      clock: { now: () => now },
    });
    const before = aws.calls('GetSecretValue');
    const reads = () => aws.calls('GetSecretValue') - before;

    // Act + Assess: cached within the TTL, even across a rotation.
    expect(await provider.get()).toEqual({ kind: 'api-token', apiToken: 'first' });
    aws.setSecret('okta/cached', JSON.stringify({ apiToken: 'second' }));
    now = 299_999;
    expect(await provider.get()).toEqual({ kind: 'api-token', apiToken: 'first' });
    expect(reads()).toBe(1);

    // Act + Assess: the rotation shows after the TTL.
    now = 300_000;
    expect(await provider.get()).toEqual({ kind: 'api-token', apiToken: 'second' });
    expect(reads()).toBe(2);

    // Act + Assess: refresh() reads now (after a 401).
    aws.setSecret('okta/cached', JSON.stringify({ apiToken: 'third' }));
    expect(await provider.refresh()).toEqual({ kind: 'api-token', apiToken: 'third' });
    expect(await provider.get()).toEqual({ kind: 'api-token', apiToken: 'third' });
    expect(reads()).toBe(3);
  });

  it('reads once for concurrent callers on a cold start', async () => {
    // Prepare
    aws.setSecret('okta/concurrent', JSON.stringify({ apiToken: TOKEN }));
    const provider = createOktaCredentialProvider({ client, secretId: 'okta/concurrent', ttlMs: 0 });
    const before = aws.calls('GetSecretValue');

    // Act
    await Promise.all([provider.get(), provider.get(), provider.get()]);

    // Assess
    expect(aws.calls('GetSecretValue') - before).toBe(1);
  });

  it('does not cache a malformed secret: fixing it takes effect on the next read', async () => {
    // Prepare
    aws.setSecret('okta/fixed-later', 'REPLACE_ME');
    const provider = createOktaCredentialProvider({ client, secretId: 'okta/fixed-later', ttlMs: 300_000 });
    await expect(provider.get()).rejects.toThrow(/placeholder/);

    // Act
    aws.setSecret('okta/fixed-later', JSON.stringify({ apiToken: TOKEN }));
    const credential = await provider.get();

    // Assess
    expect(credential).toEqual({ kind: 'api-token', apiToken: TOKEN });
  });
});
