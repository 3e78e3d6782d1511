/**
 * The `private_key_jwt` client assertion (RFC 7523 §2.2, OIDC Core §9) that authenticates the service app at
 * Okta's org authorization server. Okta's rules: `iss` = `sub` = the client id, `aud` = exactly the token URL,
 * `exp` at most one hour ahead, and a `jti` it has not seen before (it refuses replays).
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { ClientSigningKey } from './client-signing-key.js';

/**
 * How long an assertion stays valid. It is used within seconds; five minutes leaves room for a slow network
 * without handing a stolen assertion a long life (Okta allows up to one hour).
 */
export const CLIENT_ASSERTION_LIFETIME_SECONDS = 300;

export interface ClientAssertionRequest {
  readonly clientId: string;
  /** `<org>/oauth2/v1/token`: Okta compares `aud` with it exactly. */
  readonly tokenUrl: string;
  /** Epoch ms, from the injectable clock. */
  readonly now: number;
}

/** Signs a fresh, single-use client assertion. The result is a credential: never log it. */
export async function signClientAssertion(
  key: ClientSigningKey,
  request: ClientAssertionRequest,
): Promise<string> {
  const issuedAt = Math.floor(request.now / 1000);
  return new SignJWT({})
    .setProtectedHeader(
      key.keyId === undefined ? { alg: key.algorithm } : { alg: key.algorithm, kid: key.keyId },
    )
    .setIssuer(request.clientId)
    .setSubject(request.clientId)
    .setAudience(request.tokenUrl)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + CLIENT_ASSERTION_LIFETIME_SECONDS)
    .setJti(randomUUID())
    .sign(key.key);
}
