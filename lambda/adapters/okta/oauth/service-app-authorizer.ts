/**
 * Authorizes System Log requests as an Okta OAuth 2.0 service app: client credentials grant with a
 * `private_key_jwt` assertion (RFC 7523), scope `okta.logs.read`, and DPoP-bound tokens (RFC 9449) when the app
 * requires DPoP, which is Okta's default for new API Services apps. Okta's recommendation over API tokens: the
 * app's rights are scoped, its tokens last an hour, and nothing dies with an admin's account.
 *
 * Per request: `Authorization: DPoP <token>` plus a fresh `DPoP` proof carrying `ath` (or `Authorization: Bearer
 * <token>` when Okta issued a Bearer token). The token is cached until shortly before it expires, shared by
 * concurrent callers, and replaced once when Okta rejects it.
 */
import type { JWK } from 'jose';
import { ConfigError, CredentialError, OktaApiError } from '../../../core/errors.js';
import { schemeProblem, tryParseUrl } from '../../../core/url-policy.js';
import type { AuthVerdict, AuthorizeRequest, OktaAuthorizer } from '../okta-authorizer.js';
import { challengeError } from './auth-challenge.js';
import { importClientSigningKey } from './client-signing-key.js';
import { DpopProofSigner, offeredNonce } from './dpop-proof.js';
import { OktaTokenClient, type IssuedAccessToken } from './token-endpoint-client.js';

/** The one scope the collector needs: read the System Log. */
export const OKTA_LOGS_SCOPE = 'okta.logs.read';
/** Refresh this long before expiry, so a token never expires between `headersFor` and Okta reading it. */
const EARLY_REFRESH_MS = 60_000;
/** Tries of one request: nonce challenge + token replacement + the final try. Nothing loops beyond it. */
const MAX_ATTEMPTS = 3;
const DEFAULT_TOKEN_TIMEOUT_MS = 10_000;

/** What the secret holds for a service app. */
export interface ServiceAppCredential {
  readonly clientId: string;
  /** PKCS#8 PEM or private JWK (RSA or EC). */
  readonly privateKey: string | JWK;
  readonly keyId: string | undefined;
}

export interface ServiceAppAuthorizerOptions {
  /** The org's origin, e.g. `https://acme.okta.com`; the token URL is `<orgUrl>/oauth2/v1/token`. */
  readonly orgUrl: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default Date */
  readonly clock?: { now(): number };
  /** Timeout of each token request, in ms. @default 10000 */
  readonly requestTimeoutMs?: number;
  /** @default ['okta.logs.read'] */
  readonly scopes?: readonly string[];
}

interface HeldToken extends IssuedAccessToken {
  /** On our clock: from here on a new token is fetched (the old one is still used if that fails). */
  readonly refreshAt: number;
  /** Fetched because Okta rejected the token before it. */
  readonly replacesRejected: boolean;
  /** Okta accepted it at least once. */
  proven: boolean;
}

interface Session {
  readonly tokens: OktaTokenClient;
  readonly dpop: DpopProofSigner;
}

/** One service app's authorizer; holds its DPoP key pair, token endpoint nonce, API nonce and access token. */
export class ServiceAppAuthorizer implements OktaAuthorizer {
  private readonly origin: string;
  private readonly tokenUrl: string;
  private readonly clock: { now(): number };
  private session: Promise<Session> | undefined;
  private token: HeldToken | undefined;
  private pending: Promise<HeldToken> | undefined;
  private nextReplacesRejected = false;
  /** The resource server's nonce: Okta's System Log API does not ask for one today, RFC 9449 §9 lets it. */
  private apiNonce: string | undefined;

  public constructor(
    private readonly credential: ServiceAppCredential,
    private readonly options: ServiceAppAuthorizerOptions,
  ) {
    const org = tryParseUrl(options.orgUrl);
    if (org === undefined) throw new ConfigError('orgUrl is not a URL (expected e.g. https://acme.okta.com)');
    const problem = schemeProblem(org);
    if (problem !== undefined) throw new ConfigError(`orgUrl ${problem}`);
    this.origin = org.origin;
    this.tokenUrl = `${org.origin}/oauth2/v1/token`;
    this.clock = options.clock ?? Date;
  }

  public async headersFor(request: AuthorizeRequest): Promise<Record<string, string>> {
    if (request.url.origin !== this.origin) {
      // The token is for the org's APIs only; a link elsewhere must never carry it.
      throw new OktaApiError(`refusing to send the service app's access token outside the Okta org`, {
        status: 0,
        retryable: false,
      });
    }
    const { dpop } = await this.ready();
    const token = await untilAborted(this.currentToken(), request.signal);
    if (token.type === 'Bearer') return { Authorization: `Bearer ${token.value}` };
    const proof = await dpop.sign({
      method: request.method,
      url: request.url,
      nonce: this.apiNonce,
      accessToken: token.value,
      now: this.clock.now(),
    });
    return { Authorization: `DPoP ${token.value}`, DPoP: proof };
  }

  public onResponse(response: Response, attempt: number): Promise<AuthVerdict> {
    return Promise.resolve(this.verdict(response, attempt));
  }

  private verdict(response: Response, attempt: number): AuthVerdict {
    // RFC 9449 §8.2: a server may hand out its next nonce on any answer.
    const nonce = offeredNonce(response);
    if (nonce !== undefined) this.apiNonce = nonce;
    const token = this.token;
    if (response.ok) {
      if (token !== undefined) token.proven = true;
      return 'ok';
    }
    // 403 (missing scope or admin role), 429, 5xx...: the caller's to handle; a new token would not help.
    if ((response.status !== 401 && response.status !== 400) || attempt >= MAX_ATTEMPTS) return 'ok';
    const error = challengeError(response.headers.get('www-authenticate'));
    // RFC 9449 §9: `401, WWW-Authenticate: DPoP error="use_dpop_nonce"` plus the nonce to use.
    if (error === 'use_dpop_nonce') return nonce === undefined ? 'ok' : 'retry';
    if (response.status === 401 && (error === undefined || error === 'invalid_token')) {
      // Expired early, revoked, or the app's key was rotated: one new token. A new token rejected before Okta
      // ever accepted it means the app itself is refused: say so instead of looping.
      if (token?.replacesRejected === true && !token.proven) return 'ok';
      this.token = undefined;
      this.nextReplacesRejected = true;
      return 'retry';
    }
    // invalid_dpop_proof and the like: the same proof logic would fail again.
    return 'ok';
  }

  /** Imports the key and makes the DPoP key pair once; a malformed key fails every call the same way. */
  private ready(): Promise<Session> {
    this.session ??= (async () => {
      const { clientId, privateKey, keyId } = this.credential;
      if (typeof clientId !== 'string' || clientId.trim() === '')
        throw new CredentialError('clientId is empty');
      const signingKey = importClientSigningKey(privateKey, keyId);
      const dpop = await DpopProofSigner.generate();
      const tokens = new OktaTokenClient({
        tokenUrl: this.tokenUrl,
        clientId: clientId.trim(),
        signingKey,
        dpop,
        scopes: this.options.scopes ?? [OKTA_LOGS_SCOPE],
        fetch: this.options.fetch ?? globalThis.fetch,
        clock: this.clock,
        timeoutMs: this.options.requestTimeoutMs ?? DEFAULT_TOKEN_TIMEOUT_MS,
      });
      return { tokens, dpop };
    })();
    return this.session;
  }

  /** The cached token while fresh; otherwise one shared token request for every concurrent caller. */
  private currentToken(): Promise<HeldToken> {
    const held = this.token;
    const now = this.clock.now();
    if (held !== undefined && now < held.refreshAt) return Promise.resolve(held);
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = undefined;
    });
    // Refreshing early must not turn a passing token endpoint outage into a failed page.
    return held !== undefined && now < held.expiresAt ? this.pending.catch(() => held) : this.pending;
  }

  private async fetchToken(): Promise<HeldToken> {
    const { tokens } = await this.ready();
    const issued = await tokens.requestToken();
    const held: HeldToken = {
      ...issued,
      refreshAt: issued.expiresAt - Math.min(EARLY_REFRESH_MS, issued.lifetimeMs / 2),
      replacesRejected: this.nextReplacesRejected,
      proven: false,
    };
    this.nextReplacesRejected = false;
    this.token = held;
    return held;
  }
}

/** Waits for a shared promise, but lets this caller leave when its own signal aborts (the others keep waiting). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    // Subscribed even when already aborted, so a failing shared request is never an unhandled rejection.
    void promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
