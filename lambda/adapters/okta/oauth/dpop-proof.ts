/**
 * DPoP proofs (RFC 9449 §4): a JWT signed with a key pair the client made for itself, proving at each request
 * that the sender holds the key an access token is bound to. Okta requires them for new API Services apps.
 *
 * The key pair is ephemeral: made once per authorizer (so once per Lambda container), never stored, and its
 * private half is not extractable. A token bound to it dies with the container, which is what we want.
 */
import { createHash, randomUUID } from 'node:crypto';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

/** ES256: small, fast, and in Okta's `dpop_signing_alg_values_supported`. */
const DPOP_ALGORITHM = 'ES256';
/** A nonce goes into our proofs; Okta's are short. A huge one is not a nonce. */
const MAX_NONCE_LENGTH = 1024;

export interface DpopProofRequest {
  /** `htm`: the request's method. */
  readonly method: string;
  /** The request URL; `htu` is it without query and fragment (RFC 9449 §4.2). */
  readonly url: URL | string;
  /** The server's latest `DPoP-Nonce`, when it gave one (RFC 9449 §8, §9). */
  readonly nonce?: string | undefined;
  /** Set on calls to a resource server: the proof then carries `ath`, binding it to this token (RFC 9449 §4.2). */
  readonly accessToken?: string | undefined;
  /** Epoch ms, from the injectable clock. */
  readonly now: number;
}

/** Signs DPoP proofs with one ephemeral key pair. */
export class DpopProofSigner {
  private constructor(
    private readonly privateKey: CryptoKey,
    /** The public key, as it goes in each proof's `jwk` header. */
    public readonly publicJwk: JWK,
  ) {}

  /** Makes a new key pair. The private key cannot be exported. */
  public static async generate(): Promise<DpopProofSigner> {
    const { privateKey, publicKey } = await generateKeyPair(DPOP_ALGORITHM);
    const { kty, crv, x, y } = await exportJWK(publicKey);
    return new DpopProofSigner(privateKey, { kty, crv, x, y });
  }

  /** The key's JWK SHA-256 thumbprint (RFC 7638): what a DPoP-bound token's `cnf.jkt` holds. */
  public thumbprint(): Promise<string> {
    return calculateJwkThumbprint(this.publicJwk, 'sha256');
  }

  /** A fresh proof for one request (new `jti`, `iat` now). The result is a credential: never log it. */
  public async sign(request: DpopProofRequest): Promise<string> {
    const claims: Record<string, string> = { htm: request.method, htu: htuOf(request.url) };
    if (request.nonce !== undefined) claims.nonce = request.nonce;
    if (request.accessToken !== undefined) claims.ath = accessTokenHash(request.accessToken);
    return new SignJWT(claims)
      .setProtectedHeader({ typ: 'dpop+jwt', alg: DPOP_ALGORITHM, jwk: this.publicJwk })
      .setIssuedAt(Math.floor(request.now / 1000))
      .setJti(randomUUID())
      .sign(this.privateKey);
  }
}

/** `htu`: the URL without query and fragment (RFC 9449 §4.2). */
export function htuOf(url: URL | string): string {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  return `${parsed.origin}${parsed.pathname}`;
}

/** `ath`: base64url of the SHA-256 of the access token's ASCII bytes (RFC 9449 §4.2). */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}

/**
 * The nonce a server hands out in a response's `DPoP-Nonce` header (RFC 9449 §8, §9), when it is usable: a
 * server may send one, or rotate it, on any answer, so every response is worth reading.
 */
export function offeredNonce(response: Response): string | undefined {
  const nonce = response.headers.get('dpop-nonce');
  return nonce !== null && nonce !== '' && nonce.length <= MAX_NONCE_LENGTH ? nonce : undefined;
}
