/**
 * The client credentials grant at Okta's org authorization server (`POST <org>/oauth2/v1/token`), the only grant
 * an OAuth service app has. The app authenticates with a `private_key_jwt` assertion (RFC 7523) and proves a DPoP
 * key (RFC 9449). Okta answers the first proof without a nonce with 400 `use_dpop_nonce` and a `DPoP-Nonce`
 * header; the request is then sent once more with that nonce and a fresh assertion (Okta refuses a reused `jti`).
 */
import { CredentialError, OktaApiError } from '../../../core/errors.js';
import { redactedCause } from '../../http/network-failure.js';
import { signClientAssertion } from './client-assertion.js';
import type { ClientSigningKey } from './client-signing-key.js';
import { offeredNonce, type DpopProofSigner } from './dpop-proof.js';
import { TokenResponseError, readTokenFailure, tokenEndpointError } from './token-endpoint-errors.js';

/** RFC 7523 §2.2. */
const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Okta's documented lifetime of an org authorization server access token, for an answer without `expires_in`. */
const DEFAULT_LIFETIME_SECONDS = 3600;
/** A token goes into an HTTP header: printable ASCII only (RFC 6750 §2.1 b64token is narrower still). */
const TOKEN_SYNTAX = /^[\x21-\x7e]{1,8192}$/;

/** An access token as issued. `value` is a credential: never log it. */
export interface IssuedAccessToken {
  readonly value: string;
  /** `DPoP`: bound to our proof key, sent as `Authorization: DPoP`; `Bearer`: the app does not require DPoP. */
  readonly type: 'DPoP' | 'Bearer';
  /** Epoch ms on our clock when Okta stops accepting it. */
  readonly expiresAt: number;
  readonly lifetimeMs: number;
}

export interface OktaTokenClientOptions {
  /** `<org>/oauth2/v1/token`. */
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly signingKey: ClientSigningKey;
  readonly dpop: DpopProofSigner;
  /** Space-joined into `scope`. */
  readonly scopes: readonly string[];
  readonly fetch: typeof fetch;
  readonly clock: { now(): number };
  /** Each token request is abandoned after this long. */
  readonly timeoutMs: number;
}

/** Requests access tokens for one service app; remembers the token endpoint's DPoP nonce between requests. */
export class OktaTokenClient {
  private nonce: string | undefined;

  public constructor(private readonly options: OktaTokenClientOptions) {}

  /**
   * Gets a new access token: at most two POSTs (the second only for Okta's nonce challenge).
   * @throws CredentialError when Okta refuses the app (fatal); OktaApiError / RateLimitedError when retrying later may help.
   */
  public async requestToken(): Promise<IssuedAccessToken> {
    for (let attempt = 1; ; attempt += 1) {
      const sentNonce = this.nonce;
      // Okta counts the lifetime from its answer: counting from before the request errs on the early side.
      const sentAt = this.options.clock.now();
      const response = await this.post(sentNonce, sentAt);
      // Okta may hand out or rotate the nonce on any answer (RFC 9449 §8.2).
      this.nonce = offeredNonce(response) ?? this.nonce;
      if (response.ok) return this.readToken(response, sentAt);
      const failure = await readTokenFailure(response, this.options.clock.now());
      // RFC 9449 §8: answer a nonce challenge once, with the nonce just given. Twice means something else is wrong.
      if (failure.error === 'use_dpop_nonce' && attempt === 1 && this.nonce !== sentNonce) continue;
      throw tokenEndpointError(failure);
    }
  }

  private async post(nonce: string | undefined, now: number): Promise<Response> {
    const { tokenUrl, clientId, signingKey, dpop, scopes, timeoutMs } = this.options;
    const [assertion, proof] = await Promise.all([
      signClientAssertion(signingKey, { clientId, tokenUrl, now }),
      dpop.sign({ method: 'POST', url: tokenUrl, nonce, now }),
    ]);
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: scopes.join(' '),
      client_assertion_type: JWT_BEARER_ASSERTION,
      client_assertion: assertion,
    });
    try {
      return await this.options.fetch(tokenUrl, {
        method: 'POST',
        // RFC 9449 §5: a proof on the token request is harmless for an app that does not require DPoP; the
        // answer's token_type then says Bearer.
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/x-www-form-urlencoded',
          DPoP: proof,
        },
        body,
        // Never let a redirect carry the assertion elsewhere: Okta's token endpoint does not redirect.
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      // fetch's errors name the host and the network failure, never the request body.
      throw new OktaApiError(`Okta's token endpoint could not be reached`, {
        status: 0,
        retryable: true,
        cause: error,
      });
    }
  }

  private async readToken(response: Response, sentAt: number): Promise<IssuedAccessToken> {
    const { tokenUrl } = this.options;
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      // A broken connection: its cause names the network failure, never the body.
      throw new TokenResponseError('could not be read', response, tokenUrl, redactedCause(error, []));
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // No cause: JSON.parse's message quotes the text, which may hold the access token.
      throw new TokenResponseError('is not JSON', response, tokenUrl);
    }
    const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const value = fields.access_token;
    if (typeof value !== 'string' || !TOKEN_SYNTAX.test(value)) {
      throw new TokenResponseError('has no usable access_token', response, tokenUrl);
    }
    const tokenType = typeof fields.token_type === 'string' ? fields.token_type.toLowerCase() : '';
    if (tokenType !== 'dpop' && tokenType !== 'bearer') {
      throw new CredentialError(`Okta issued a token of an unsupported token_type (expected DPoP or Bearer)`);
    }
    const expiresIn =
      typeof fields.expires_in === 'number' && fields.expires_in > 0
        ? fields.expires_in
        : DEFAULT_LIFETIME_SECONDS;
    const lifetimeMs = expiresIn * 1000;
    return {
      value,
      type: tokenType === 'dpop' ? 'DPoP' : 'Bearer',
      expiresAt: sentAt + lifetimeMs,
      lifetimeMs,
    };
  }
}
