/**
 * The service app's private key, as the secret holds it, turned into a key that signs the `private_key_jwt`
 * client assertion (RFC 7523 §2.2, Okta "Implement OAuth for Okta with a service app").
 *
 * Okta verifies client assertions signed with RS256/384/512 or ES256/384/512 against the public key registered
 * on the app. Every problem is reported as a `CredentialError` that names the problem and never echoes the key.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import { CredentialError } from '../../../core/errors.js';

/** The JWS algorithms Okta accepts for a service app's client assertion. */
export type ClientAssertionAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384' | 'ES512';

/** A private key ready to sign client assertions. Never logged, never serialized. */
export interface ClientSigningKey {
  readonly key: KeyObject;
  readonly algorithm: ClientAssertionAlgorithm;
  /** The `kid` header: the secret's `keyId`, else the JWK's own `kid`; Okta uses it to pick the registered key. */
  readonly keyId: string | undefined;
}

const RSA_ALGORITHMS: readonly ClientAssertionAlgorithm[] = ['RS256', 'RS384', 'RS512'];
/** Okta's name for each curve → the one algorithm that curve signs with (RFC 7518 §3.4). */
const EC_ALGORITHMS: Readonly<Record<string, ClientAssertionAlgorithm>> = {
  'P-256': 'ES256',
  'P-384': 'ES384',
  'P-521': 'ES512',
};
/** Node's curve names for the same curves. */
const NODE_CURVES: Readonly<Record<string, string>> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};
/** Okta rejects RSA keys shorter than 2048 bits, and so does jose for RS256. */
const MIN_RSA_BITS = 2048;
/** The JWK members that carry key material; others (`use`, `key_ops`, `ext`...) only get in the way of an import. */
const JWK_MATERIAL = ['kty', 'crv', 'x', 'y', 'd', 'n', 'e', 'p', 'q', 'dp', 'dq', 'qi'] as const;
/** Per key type, the public members a private JWK needs besides `d` (node:crypto refuses an RSA one without its CRT members). */
const REQUIRED_MEMBERS: Readonly<Record<string, readonly (typeof JWK_MATERIAL)[number][]>> = {
  RSA: ['n', 'e', 'p', 'q', 'dp', 'dq', 'qi'],
  EC: ['crv', 'x', 'y'],
};

const NOT_A_KEY = 'privateKey is neither a PEM private key (PKCS#8 "BEGIN PRIVATE KEY") nor a private JWK';
const SUPPORTED = 'Okta service apps sign with RSA (2048 bits or more) or EC P-256/P-384/P-521 keys';

/**
 * Reads the secret's `privateKey`: a PKCS#8 PEM string (PKCS#1 and SEC1 PEMs are read too), a private JWK object,
 * a JWK Set holding exactly one key, or any of these as a JSON string. RSA signs with RS256 (or the JWK's own RS*
 * `alg`), EC with the algorithm of its curve.
 * @throws CredentialError naming what is wrong with the key, never quoting it.
 */
export function importClientSigningKey(privateKey: string | JWK, keyId?: string): ClientSigningKey {
  const normal = normalizePrivateKey(privateKey);
  return typeof normal === 'string' ? fromPem(normal, keyId) : fromJwk(normal, keyId);
}

/**
 * The one rule for what a service app's `privateKey` may be, shared by the secret reader (which refuses a bad
 * secret when it is read) and {@link importClientSigningKey}: checks that the key signs what Okta accepts and
 * returns it normalised: PEM text with its line breaks restored, or the single private JWK (a JSON string parsed,
 * a one-key JWK Set unwrapped, as Okta's key generator guide produces it). Okta verifies the assertion against
 * one registered key, so a set of several keys is refused: which one signs would be a guess.
 * @throws CredentialError naming what is wrong with the key, never quoting it.
 */
export function checkedPrivateKey(privateKey: unknown): string | JWK {
  const normal = normalizePrivateKey(privateKey);
  if (typeof normal === 'string') fromPem(normal, undefined);
  else fromJwk(normal, undefined);
  return normal;
}

/** Structural checks and normalisation only; the key material is read by `fromPem` / `fromJwk`. */
function normalizePrivateKey(privateKey: unknown): string | JWK {
  if (typeof privateKey === 'object' && privateKey !== null && !Array.isArray(privateKey))
    return privateJwk(singleKey(privateKey));
  if (typeof privateKey !== 'string') throw new CredentialError(NOT_A_KEY);
  // A PEM pasted into a JSON secret by hand often keeps its line breaks as the two characters "\n".
  const pem = privateKey.trim().replace(/\\n/g, '\n');
  if (pem === '') throw new CredentialError('privateKey is empty');
  if (pem.startsWith('{')) return privateJwk(singleKey(parseJson(pem)));
  if (pem.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----')) {
    throw new CredentialError(
      'privateKey is an encrypted PKCS#8 PEM: store it unencrypted (openssl pkcs8 -topk8 -nocrypt); Secrets Manager encrypts it at rest',
    );
  }
  if (/-----BEGIN (RSA |EC )?PUBLIC KEY-----|-----BEGIN CERTIFICATE-----/.test(pem)) {
    throw new CredentialError(
      'privateKey holds a public key or a certificate (a public key was given?): store the private key and register the public key in Okta',
    );
  }
  const label = /-----BEGIN ((?:RSA |EC )?PRIVATE KEY)-----/.exec(pem)?.[1];
  if (label === undefined) throw new CredentialError(NOT_A_KEY);
  if (!pem.includes(`-----END ${label}-----`))
    throw new CredentialError('privateKey is a PEM key without its END line (cut short?)');
  return pem;
}

function fromPem(pem: string, keyId: string | undefined): ClientSigningKey {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new CredentialError(
      'privateKey looks like a PEM private key but cannot be read (truncated or damaged?)',
      {
        cause: error,
      },
    );
  }
  return signingKeyOf(key, keyId, undefined);
}

function parseJson(text: string): JWK {
  try {
    return JSON.parse(text) as JWK;
  } catch {
    // The parser's message may quote the text: no cause.
    throw new CredentialError('privateKey starts like a JSON JWK but is not valid JSON');
  }
}

/** A JWK that can sign: RSA or EC, private, with every member node:crypto needs to read it. */
function privateJwk(jwk: JWK): JWK {
  if (typeof jwk.kty !== 'string') throw new CredentialError(NOT_A_KEY);
  const required = REQUIRED_MEMBERS[jwk.kty];
  if (required === undefined) {
    throw new CredentialError(`privateKey is a JWK of type ${safeName(jwk.kty)}: ${SUPPORTED}`);
  }
  if (typeof jwk.d !== 'string') {
    throw new CredentialError(
      'privateKey is a public JWK (no "d" member; a public key was given?): store the private JWK and register its public half in Okta',
    );
  }
  const missing = required.filter((member) => typeof jwk[member] !== 'string');
  if (missing.length > 0)
    throw new CredentialError(`privateKey is an ${jwk.kty} JWK without ${missing.join(', ')}`);
  return jwk;
}

function fromJwk(jwk: JWK, keyId: string | undefined): ClientSigningKey {
  const material: Record<string, unknown> = {};
  for (const name of JWK_MATERIAL) if (jwk[name] !== undefined) material[name] = jwk[name];
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: material as never, format: 'jwk' });
  } catch (error) {
    throw new CredentialError('privateKey is a JWK that cannot be read (missing or damaged members?)', {
      cause: error,
    });
  }
  return signingKeyOf(
    key,
    keyId ?? (typeof jwk.kid === 'string' && jwk.kid !== '' ? jwk.kid : undefined),
    jwk.alg,
  );
}

/** Okta's key generator guide produces a JWK Set; one key in it is unambiguous. */
function singleKey(value: JWK): JWK {
  const keys = (value as { keys?: unknown }).keys;
  if (keys === undefined) return value;
  if (Array.isArray(keys) && keys.length === 1 && typeof keys[0] === 'object' && keys[0] !== null)
    return keys[0] as JWK;
  throw new CredentialError('privateKey is a JWK Set: store exactly one private JWK');
}

function signingKeyOf(
  key: KeyObject,
  keyId: string | undefined,
  declaredAlg: string | undefined,
): ClientSigningKey {
  if (key.asymmetricKeyType === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) {
      throw new CredentialError(
        `privateKey is a ${bits}-bit RSA key: Okta requires at least ${MIN_RSA_BITS} bits`,
      );
    }
    return { key, algorithm: algorithmFor(RSA_ALGORITHMS, declaredAlg, 'RS256'), keyId };
  }
  if (key.asymmetricKeyType === 'ec') {
    const curve = NODE_CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
    const algorithm = curve === undefined ? undefined : EC_ALGORITHMS[curve];
    if (algorithm === undefined)
      throw new CredentialError(`privateKey is an EC key on an unsupported curve: ${SUPPORTED}`);
    return { key, algorithm: algorithmFor([algorithm], declaredAlg, algorithm), keyId };
  }
  throw new CredentialError(
    `privateKey is a ${safeName(key.asymmetricKeyType ?? 'unknown')} key: ${SUPPORTED}`,
  );
}

/** Honours a JWK's `alg` when it fits the key; an `alg` that does not fit is a mistake worth naming. */
function algorithmFor(
  allowed: readonly ClientAssertionAlgorithm[],
  declared: string | undefined,
  fallback: ClientAssertionAlgorithm,
): ClientAssertionAlgorithm {
  if (declared === undefined) return fallback;
  const match = allowed.find((candidate) => candidate === declared);
  if (match === undefined) {
    throw new CredentialError(
      `privateKey's "alg" ${safeName(declared)} does not fit the key or is not one Okta accepts (${allowed.join(', ')})`,
    );
  }
  return match;
}

/** Key types and algorithm names are public, but only ever quote something that looks like one. */
function safeName(value: string): string {
  return /^[A-Za-z0-9+-]{1,20}$/.test(value) ? value : '(unrecognised)';
}
