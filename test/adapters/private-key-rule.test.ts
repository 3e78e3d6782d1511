/**
 * One rule for a service app's private key: the secret reader (when the secret is read) and the signing key
 * import (when the first token is requested) accept the same keys and refuse the others with the same problem.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseOktaSecret } from '../../lambda/adapters/aws/okta-secret-reader.js';
import { importClientSigningKey } from '../../lambda/adapters/okta/oauth/client-signing-key.js';
import { CredentialError } from '../../lambda/core/errors.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsaPem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const rsaJwk = rsa.privateKey.export({ format: 'jwk' });
const ecJwk = ec.privateKey.export({ format: 'jwk' });
const { p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rsaJwkWithoutCrt } = rsaJwk;

const keys: [string, unknown][] = [
  ['an RSA PKCS#8 PEM', rsaPem],
  ['a PEM with \\n typed as two characters', rsaPem.replace(/\n/g, '\\n')],
  ['an EC JWK', ecJwk],
  ['a JWK as a JSON string', JSON.stringify(rsaJwk)],
  ['a JWK Set of one key', { keys: [rsaJwk] }],
  ['a JWK Set of two keys', { keys: [rsaJwk, ecJwk] }],
  ['an empty JWK Set', { keys: [] }],
  ['a public PEM', rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString()],
  ['a public JWK', rsa.publicKey.export({ format: 'jwk' })],
  ['an RSA JWK without its CRT members', rsaJwkWithoutCrt],
  [
    'a 1024-bit RSA key',
    generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'jwk' }),
  ],
  ['a PEM cut short', rsaPem.slice(0, 200)],
  ['an oct JWK', { kty: 'oct', k: 'abcd', d: 'abcd' }],
  ['a number', 7],
];

/** The problem with the key as a sentence after "privateKey", or "accepted". */
function verdictOfImport(privateKey: unknown): string {
  try {
    importClientSigningKey(privateKey as never);
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialError);
    return (error as Error).message;
  }
}

function verdictOfSecret(privateKey: unknown): string {
  try {
    parseOktaSecret(JSON.stringify({ clientId: '0oa1', privateKey }), 'the secret');
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialError);
    const message = (error as Error).message;
    // "the secret: privateKey <problem>; expected ..." → "privateKey <problem>"
    return message.slice('the secret: '.length, message.indexOf('; expected'));
  }
}

describe('the private key rule', () => {
  it.each(keys)(
    'gives the same verdict for %s when the secret is read and when the key is imported',
    (_name, key) => {
      // Act
      const atImport = verdictOfImport(key);
      const atRead = verdictOfSecret(key);

      // Assess
      expect(atRead).toBe(atImport);
    },
  );

  it('accepts a one-key JWK Set and refuses a set of two, on both paths', () => {
    // Act
    const verdicts = [{ keys: [rsaJwk] }, { keys: [rsaJwk, ecJwk] }].map((key) => [
      verdictOfImport(key),
      verdictOfSecret(key),
    ]);

    // Assess
    expect(verdicts[0]).toEqual(['accepted', 'accepted']);
    expect(verdicts[1]![0]).toMatch(/JWK Set: store exactly one private JWK/);
  });
});
