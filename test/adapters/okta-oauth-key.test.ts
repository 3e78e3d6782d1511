/**
 * Reading the service app's private key from the secret: the formats operators store, and a specific
 * CredentialError (never quoting the key) for everything else.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CredentialError } from '../../lambda/core/errors.js';
import { importClientSigningKey } from '../../lambda/adapters/okta/oauth/client-signing-key.js';

/** A key as PEM text, the way an operator pastes it into the secret. */
function pem(key: KeyObject, type: 'pkcs8' | 'pkcs1' | 'sec1' | 'spki', cipher?: string): string {
  return key
    .export({
      type,
      format: 'pem',
      ...(cipher === undefined ? {} : { cipher, passphrase: 'secret' }),
    } as never)
    .toString();
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ec521 = generateKeyPairSync('ec', { namedCurve: 'P-521' });

const rsaPkcs8 = pem(rsa.privateKey, 'pkcs8');
const rsaJwk = rsa.privateKey.export({ format: 'jwk' });

/** Fails when `run` does not throw a CredentialError; returns its message. */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialError);
    return (error as Error).message;
  }
  throw new Error('expected a CredentialError');
}

describe('importClientSigningKey', () => {
  it.each([
    ['an RSA PKCS#8 PEM', rsaPkcs8, 'RS256'],
    ['an RSA PKCS#1 PEM', pem(rsa.privateKey, 'pkcs1'), 'RS256'],
    ['a PEM whose line breaks were pasted as \\n', rsaPkcs8.replace(/\n/g, '\\n'), 'RS256'],
    ['an EC P-256 SEC1 PEM', pem(ec256.privateKey, 'sec1'), 'ES256'],
    ['an EC P-521 PKCS#8 PEM', pem(ec521.privateKey, 'pkcs8'), 'ES512'],
    ['an RSA private JWK', rsaJwk, 'RS256'],
    ['an RSA private JWK declaring RS384', { ...rsaJwk, alg: 'RS384' }, 'RS384'],
    [
      'an EC private JWK as a JSON string',
      JSON.stringify(ec256.privateKey.export({ format: 'jwk' })),
      'ES256',
    ],
    ['a JWK Set holding one key', { keys: [rsaJwk] }, 'RS256'],
  ])('reads %s', (_name, privateKey, algorithm) => {
    // Act
    const key = importClientSigningKey(privateKey);

    // Assess
    expect(key.algorithm).toBe(algorithm);
    expect(key.key.type).toBe('private');
  });

  it('names the kid from the secret first, then from the JWK', () => {
    // Prepare
    const jwk = { ...rsaJwk, kid: 'from-jwk' };

    // Act
    const fromSecret = importClientSigningKey(jwk, 'from-secret');
    const fromJwk = importClientSigningKey(jwk);
    const none = importClientSigningKey(rsaPkcs8);

    // Assess
    expect([fromSecret.keyId, fromJwk.keyId, none.keyId]).toEqual(['from-secret', 'from-jwk', undefined]);
  });

  it.each([
    ['a public PEM', pem(rsa.publicKey, 'spki'), /a public key was given\?/],
    [
      'a public JWK',
      rsa.publicKey.export({ format: 'jwk' }),
      /public JWK \(no "d" member; a public key was given\?\)/,
    ],
    ['an empty string', '  ', /privateKey is empty/],
    ['random text', 'not a key at all', /neither a PEM private key .* nor a private JWK/],
    ['broken JSON', '{"kty":"RSA",', /not valid JSON/],
    [
      'a truncated PEM',
      rsaPkcs8.slice(0, 300) + '\n-----END PRIVATE KEY-----',
      /cannot be read \(truncated or damaged\?\)/,
    ],
    ['an encrypted PEM', pem(rsa.privateKey, 'pkcs8', 'aes-256-cbc'), /encrypted PKCS#8 PEM/],
    [
      'a 1024-bit RSA key',
      pem(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey, 'pkcs8'),
      /1024-bit RSA key: Okta requires at least 2048 bits/,
    ],
    [
      'an Ed25519 key',
      pem(generateKeyPairSync('ed25519').privateKey, 'pkcs8'),
      /ed25519 key: Okta service apps sign with RSA/,
    ],
    [
      'a secp256k1 key',
      pem(generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey, 'pkcs8'),
      /unsupported curve/,
    ],
    ['an OKP JWK', generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }), /JWK of type OKP/],
    ['an RSA JWK declaring ES256', { ...rsaJwk, alg: 'ES256' }, /"alg" ES256 does not fit the key/],
    ['a JWK Set of two keys', { keys: [rsaJwk, rsaJwk] }, /store exactly one private JWK/],
    ['a number', 42, /neither a PEM private key/],
  ])('refuses %s with a message naming the problem', (_name, privateKey, message) => {
    // Act
    const text = refusal(() => importClientSigningKey(privateKey as never));

    // Assess
    expect(text).toMatch(message);
  });

  it('never quotes the key it refuses', () => {
    // Prepare: near misses of real keys, each carrying real key material.
    const material = rsaPkcs8.split('\n')[5]!;
    const attempts: unknown[] = [
      rsaPkcs8.replace('BEGIN PRIVATE KEY', 'BEGIN SOMETHING'),
      rsaPkcs8.slice(0, 400) + '\n-----END PRIVATE KEY-----',
      `{"kty":"RSA","d":"${String(rsaJwk.d)}",`,
      { ...rsaJwk, kty: 'oct' },
      { ...rsaJwk, alg: 'PS256' },
    ];

    // Act
    const messages = attempts.map((privateKey) => refusal(() => importClientSigningKey(privateKey as never)));

    // Assess
    for (const text of messages) {
      expect(text).not.toContain(material);
      expect(text).not.toContain(String(rsaJwk.d).slice(0, 16));
    }
  });
});
