/**
 * A local stand-in for an Okta org's OAuth 2.0 authorization server, as a service app meets it: the client
 * credentials grant at `POST /oauth2/v1/token` with `private_key_jwt` client authentication (RFC 7523) and
 * DPoP (RFC 9449), and the check Okta makes before serving `/api/v1/logs` with the token it issued.
 *
 * It is as strict as Okta, so a client that passes here has the protocol right:
 * - client assertion: signature by the registered public key (and `kid` when both sides name one), `iss` = `sub`
 *   = client id, `aud` = exactly the token URL, `exp` present and at most an hour ahead, `jti` never reused;
 * - DPoP proof (when the app requires DPoP, the default for new API Services apps): `typ` `dpop+jwt`, an
 *   asymmetric `alg`, a public `jwk` header that verifies the signature, `htm`, `htu` (no query), fresh `iat`,
 *   unique `jti`; the first proof without the server's nonce gets 400 `use_dpop_nonce` and a `DPoP-Nonce`;
 * - scopes must all be granted to the app (400 `invalid_scope` otherwise);
 * - API calls: `Authorization: DPoP <token>` with a proof bound to the token (`ath`, key thumbprint = the key the
 *   token was issued to), or `Bearer` for apps without DPoP; a DPoP-bound token sent as Bearer is refused
 *   (RFC 9449 §7.2); expired or revoked tokens get 401 `WWW-Authenticate: DPoP error="invalid_token"`;
 *   optionally the API demands its own nonce and rotates it.
 *
 * Errors have Okta's shapes: `{"error","error_description"}` from the token endpoint, `WWW-Authenticate` plus
 * `{"errorCode","errorSummary",...}` from the API. Counters record what happened (SSWS headers should stay 0).
 *
 * Mount it in any node:http server: `handleTokenRequest(req, body)` for `POST /oauth2/v1/token`,
 * `checkApiRequest(req, url)` before serving `/api/v1/logs` (write the returned response instead of the page
 * when it is not `undefined`); optionally add `apiResponseHeaders()` to served pages.
 */
import { createPublicKey, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import {
  EmbeddedJWK,
  calculateJwkThumbprint,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  jwtVerify,
  type JWK,
  type JWTPayload,
} from 'jose';
import { accessTokenHash } from '../lambda/adapters/okta/oauth/dpop-proof.js';
import { listenOnLoopback } from './loopback-server.js';

// ---------------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------------

/** A response for the hosting server to write as it is. */
export interface OktaAuthResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The hook an Okta simulator mounts (structurally the simulator's `OktaOAuthHook`). */
export interface OktaAuthHook {
  /** For `POST /oauth2/v1/token`; `body` is the raw form body. */
  handleTokenRequest(req: IncomingMessage, body: string): Promise<OktaAuthResponse>;
  /** Before serving `/api/v1/logs`: `undefined` when authorized, else the response to send instead. */
  checkApiRequest(req: IncomingMessage, fullUrl: URL): Promise<OktaAuthResponse | undefined>;
}

/** An OAuth service app as registered in Okta. */
export interface ServiceAppRegistration {
  readonly clientId: string;
  /** The public key registered on the app (a private JWK or key works too: its public half is used). */
  readonly publicKey: JWK | KeyObject;
  /** The registered key's `kid`; an assertion naming another `kid` is refused. */
  readonly keyId?: string;
  /** "Require Demonstrating Proof of Possession (DPoP) header in token requests". @default true (Okta's default) */
  readonly requireDpop?: boolean;
  /** Okta API scopes granted to the app. @default ['okta.logs.read'] */
  readonly scopes?: readonly string[];
}

export interface OktaOAuthAuthorityOptions {
  /** The org's origin. @default derived from each request's `Host` header (`http://<host>`) */
  readonly orgUrl?: string;
  /** Share it with the client under test to move time. @default Date */
  readonly clock?: { now(): number };
  /** `expires_in` of issued tokens. @default 3600 (Okta's) */
  readonly accessTokenTtlSeconds?: number;
  /** Make the API demand its own DPoP nonce (Okta's API does not today; RFC 9449 §9 allows it). @default false */
  readonly requireApiNonce?: boolean;
  /** Rotate the API nonce after this many authorized API calls; 0 never. @default 0 */
  readonly apiNonceRotateEvery?: number;
  /** Oldest acceptable proof `iat`, in seconds. @default 300 */
  readonly maxProofAgeSeconds?: number;
  /** Tolerance for an `iat` in the future (clock skew), in seconds. @default 60 */
  readonly maxFutureSkewSeconds?: number;
  /** Longest client assertion lifetime accepted (`exp` − now). @default 3600 (Okta's) */
  readonly maxAssertionLifetimeSeconds?: number;
}

/** What the authority saw. */
export interface OktaAuthorityCounters {
  tokenRequests: number;
  tokensIssued: number;
  /** 400 `use_dpop_nonce` answers of the token endpoint. */
  tokenNonceChallenges: number;
  apiRequests: number;
  apiAuthorized: number;
  /** 401 `use_dpop_nonce` answers of the API. */
  apiNonceChallenges: number;
  /** `Authorization: SSWS` seen by either endpoint: an OAuth client must never send one. */
  sswsHeadersSeen: number;
  /** Refusals by error code (`invalid_client`, `invalid_dpop_proof`, `invalid_token`...). */
  rejections: Record<string, number>;
}

/** The secret JSON the collector reads, and what to register in Okta. */
export interface GeneratedServiceAppKey {
  /** `{clientId, privateKey, keyId}` as stored in Secrets Manager (`keyId` absent when none was asked for). */
  readonly secret: { readonly clientId: string; readonly privateKey: string | JWK; readonly keyId?: string };
  /** The public JWK to register on the app (with `kid`, `use`, `alg`). */
  readonly publicJwk: JWK;
  /** The same key as a registration for {@link OktaOAuthAuthority.registerClient}. */
  readonly registration: ServiceAppRegistration;
}

// ---------------------------------------------------------------------------------------------------------
// The authority
// ---------------------------------------------------------------------------------------------------------

const TOKEN_PATH = '/oauth2/v1/token';
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Okta's `dpop_signing_alg_values_supported` and client assertion algorithms. */
const SUPPORTED_ALGS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'];
const LOGS_SCOPE = 'okta.logs.read';

interface Client {
  readonly clientId: string;
  readonly key: KeyObject;
  readonly keyId: string | undefined;
  readonly requireDpop: boolean;
  readonly scopes: readonly string[];
}

interface IssuedToken {
  readonly clientId: string;
  readonly type: 'DPoP' | 'Bearer';
  /** Thumbprint of the proof key the token is bound to (DPoP only). */
  readonly jkt: string | undefined;
  readonly scopes: readonly string[];
  readonly expiresAt: number;
}

type ProofCheck = { readonly jkt: string; readonly nonce: unknown } | { readonly problem: string };

/** The OAuth/DPoP side of a stand-in Okta org. */
export class OktaOAuthAuthority implements OktaAuthHook {
  public readonly counters: OktaAuthorityCounters = {
    tokenRequests: 0,
    tokensIssued: 0,
    tokenNonceChallenges: 0,
    apiRequests: 0,
    apiAuthorized: 0,
    apiNonceChallenges: 0,
    sswsHeadersSeen: 0,
    rejections: {},
  };
  private readonly clients = new Map<string, Client>();
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly assertionJtis = new Set<string>();
  private readonly proofJtis = new Set<string>();
  private readonly clock: { now(): number };
  private tokenNonce = newNonce();
  private currentApiNonce = newNonce();

  public constructor(private readonly options: OktaOAuthAuthorityOptions = {}) {
    this.clock = options.clock ?? Date;
  }

  /** Registers (or replaces) a service app. */
  public registerClient(registration: ServiceAppRegistration): void {
    const key = isKeyObject(registration.publicKey)
      ? registration.publicKey.type === 'private'
        ? createPublicKey(registration.publicKey)
        : registration.publicKey
      : createPublicKey({ key: publicMembers(registration.publicKey) as never, format: 'jwk' });
    this.clients.set(registration.clientId, {
      clientId: registration.clientId,
      key,
      keyId:
        registration.keyId ?? (isKeyObject(registration.publicKey) ? undefined : registration.publicKey.kid),
      requireDpop: registration.requireDpop ?? true,
      scopes: registration.scopes ?? [LOGS_SCOPE],
    });
  }

  /** The authority's time (Okta's clock, for a `Date` header). */
  public now(): number {
    return this.clock.now();
  }

  /** The client a token was issued to, or `undefined` for an unknown token. */
  public clientOf(accessToken: string): string | undefined {
    return this.tokens.get(accessToken)?.clientId;
  }

  /** Makes every issued token expired, as an hour passing would. */
  public expireAllTokens(): void {
    for (const [value, token] of this.tokens)
      this.tokens.set(value, { ...token, expiresAt: this.clock.now() - 1 });
  }

  /** Forgets every issued token, as a revocation or a deactivated app would. */
  public revokeAllTokens(): void {
    this.tokens.clear();
  }

  /** A new token endpoint nonce: the next token request is challenged once. */
  public rotateTokenNonce(): void {
    this.tokenNonce = newNonce();
  }

  /** A new API nonce (only matters with `requireApiNonce`). */
  public rotateApiNonce(): void {
    this.currentApiNonce = newNonce();
  }

  /**
   * Headers a server may add to a served page: the current API nonce, handed out ahead of need as RFC 9449 §8.2
   * allows. Empty when the API does not use nonces.
   */
  public apiResponseHeaders(): Record<string, string> {
    return this.options.requireApiNonce === true ? { 'DPoP-Nonce': this.currentApiNonce } : {};
  }

  public async handleTokenRequest(req: IncomingMessage, body: string): Promise<OktaAuthResponse> {
    this.counters.tokenRequests += 1;
    this.noteSsws(req);
    try {
      return await this.token(req, body);
    } catch {
      return this.tokenError(400, 'invalid_request', 'The request could not be processed.');
    }
  }

  public async checkApiRequest(req: IncomingMessage, fullUrl: URL): Promise<OktaAuthResponse | undefined> {
    this.counters.apiRequests += 1;
    this.noteSsws(req);
    try {
      return await this.api(req, fullUrl);
    } catch {
      return this.apiChallenge(req, 401, 'invalid_token', 'The access token is invalid.');
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Token endpoint
  // -------------------------------------------------------------------------------------------------------

  private async token(req: IncomingMessage, body: string): Promise<OktaAuthResponse> {
    const tokenUrl = `${this.orgOf(req)}${TOKEN_PATH}`;
    if (req.method !== 'POST')
      return this.tokenError(405, 'invalid_request', 'The token endpoint requires POST.');
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'client_credentials') {
      return this.tokenError(400, 'unsupported_grant_type', 'The grant type is not supported.');
    }
    // Client authentication first, as Okta does: its verdict wins over everything else.
    const assertion = form.get('client_assertion');
    if (form.get('client_assertion_type') !== JWT_BEARER || assertion === null) {
      return this.tokenError(401, 'invalid_client', 'Client authentication failed.');
    }
    const client = await this.authenticate(assertion, tokenUrl);
    if ('problem' in client) return this.tokenError(401, 'invalid_client', client.problem);

    let jkt: string | undefined;
    if (client.requireDpop) {
      const proof = req.headers.dpop;
      if (typeof proof !== 'string' || proof === '') {
        return this.tokenError(400, 'invalid_dpop_proof', 'The DPoP proof JWT header is missing.');
      }
      const checked = await this.checkProof(proof, { method: 'POST', htu: tokenUrl });
      if ('problem' in checked) return this.tokenError(400, 'invalid_dpop_proof', checked.problem);
      if (checked.nonce !== this.tokenNonce) {
        this.counters.tokenNonceChallenges += 1;
        return this.tokenError(400, 'use_dpop_nonce', 'Authorization server requires nonce in DPoP proof.', {
          'DPoP-Nonce': this.tokenNonce,
        });
      }
      jkt = checked.jkt;
    }
    // RFC 9449 §5: a proof sent for an app that does not use DPoP is ignored; the token is a Bearer token.

    const requested = (form.get('scope') ?? '').split(' ').filter((scope) => scope !== '');
    if (requested.length === 0) return this.tokenError(400, 'invalid_scope', 'The scope must be specified.');
    const missing = requested.filter((scope) => !client.scopes.includes(scope));
    if (missing.length > 0) {
      return this.tokenError(
        400,
        'invalid_scope',
        'One or more scopes are not configured for the authorization server resource.',
      );
    }

    const value = randomBytes(32).toString('base64url');
    const ttl = this.options.accessTokenTtlSeconds ?? 3600;
    const type = jkt === undefined ? 'Bearer' : 'DPoP';
    this.tokens.set(value, {
      clientId: client.clientId,
      type,
      jkt,
      scopes: requested,
      expiresAt: this.clock.now() + ttl * 1000,
    });
    this.counters.tokensIssued += 1;
    return {
      status: 200,
      headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', Pragma: 'no-cache' },
      body: JSON.stringify({
        token_type: type,
        expires_in: ttl,
        access_token: value,
        scope: requested.join(' '),
      }),
    };
  }

  /** Verifies the client assertion; returns the client, or why it was refused. */
  private async authenticate(assertion: string, tokenUrl: string): Promise<Client | { problem: string }> {
    let issuer: unknown;
    let kid: unknown;
    try {
      issuer = decodeJwt(assertion).iss;
      kid = decodeProtectedHeader(assertion).kid;
    } catch {
      return { problem: 'The client_assertion is not a valid JWT.' };
    }
    const client = typeof issuer === 'string' ? this.clients.get(issuer) : undefined;
    if (client === undefined) return { problem: "Invalid value for 'client_id' parameter." };
    if (kid !== undefined && client.keyId !== undefined && kid !== client.keyId) {
      return { problem: 'The client_assertion kid does not match a key registered for the client.' };
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(assertion, client.key, {
        issuer: client.clientId,
        subject: client.clientId,
        audience: tokenUrl,
        algorithms: SUPPORTED_ALGS,
        requiredClaims: ['exp', 'jti'],
        currentDate: new Date(this.clock.now()),
      }));
    } catch (error) {
      return { problem: assertionProblem(error) };
    }
    const nowSeconds = Math.floor(this.clock.now() / 1000);
    if ((payload.exp ?? 0) - nowSeconds > (this.options.maxAssertionLifetimeSeconds ?? 3600)) {
      return { problem: 'The client_assertion token has an expiration too far into the future.' };
    }
    if (
      typeof payload.iat === 'number' &&
      payload.iat > nowSeconds + (this.options.maxFutureSkewSeconds ?? 60)
    ) {
      return { problem: "The client_assertion 'iat' claim is in the future." };
    }
    const jti = String(payload.jti);
    if (this.assertionJtis.has(jti))
      return { problem: 'The client_assertion token has already been used (jti reused).' };
    this.assertionJtis.add(jti);
    return client;
  }

  // -------------------------------------------------------------------------------------------------------
  // API
  // -------------------------------------------------------------------------------------------------------

  private async api(req: IncomingMessage, fullUrl: URL): Promise<OktaAuthResponse | undefined> {
    const authorization = req.headers.authorization ?? '';
    const [scheme = '', value = ''] = authorization.split(/\s+/, 2);
    const token = this.tokens.get(value);
    if (scheme === 'DPoP') {
      if (token === undefined || token.type !== 'DPoP')
        return this.apiChallenge(req, 401, 'invalid_token', 'The access token is invalid.');
      if (token.expiresAt <= this.clock.now())
        return this.apiChallenge(req, 401, 'invalid_token', 'The access token has expired.');
      const proof = req.headers.dpop;
      if (typeof proof !== 'string' || proof === '') {
        return this.apiChallenge(req, 400, 'invalid_dpop_proof', 'The DPoP proof JWT header is missing.');
      }
      // Okta compares htu with the URL it was asked, without the query (RFC 9449 §4.3).
      const htu = `${this.orgOf(req)}${fullUrl.pathname}`;
      const checked = await this.checkProof(proof, { method: req.method ?? 'GET', htu, accessToken: value });
      if ('problem' in checked) return this.apiChallenge(req, 400, 'invalid_dpop_proof', checked.problem);
      if (checked.jkt !== token.jkt) {
        return this.apiChallenge(
          req,
          400,
          'invalid_dpop_proof',
          'The DPoP proof key is not the key the token is bound to.',
        );
      }
      if (this.options.requireApiNonce === true && checked.nonce !== this.currentApiNonce) {
        this.counters.apiNonceChallenges += 1;
        return this.apiChallenge(
          req,
          401,
          'use_dpop_nonce',
          'Resource server requires nonce in DPoP proof.',
          {
            'DPoP-Nonce': this.currentApiNonce,
          },
        );
      }
    } else if (scheme === 'Bearer') {
      // RFC 9449 §7.2: a DPoP-bound token must not be accepted as a Bearer token.
      if (token === undefined || token.type !== 'Bearer')
        return this.apiChallenge(req, 401, 'invalid_token', 'The access token is invalid.');
      if (token.expiresAt <= this.clock.now())
        return this.apiChallenge(req, 401, 'invalid_token', 'The access token has expired.');
    } else {
      return this.apiChallenge(
        req,
        401,
        'invalid_token',
        'The access token is missing or of an unknown type.',
      );
    }
    if (!token.scopes.includes(LOGS_SCOPE)) {
      this.reject('insufficient_scope');
      return {
        status: 403,
        headers: {
          'Content-Type': 'application/json',
          'WWW-Authenticate': this.challenge(
            req,
            token.type,
            'insufficient_scope',
            'The access token provided does not contain the required scopes.',
          ),
        },
        body: oktaError('E0000006', 'You do not have permission to perform the requested action'),
      };
    }
    this.counters.apiAuthorized += 1;
    const every = this.options.apiNonceRotateEvery ?? 0;
    if (every > 0 && this.counters.apiAuthorized % every === 0) this.rotateApiNonce();
    return undefined;
  }

  // -------------------------------------------------------------------------------------------------------
  // DPoP proofs
  // -------------------------------------------------------------------------------------------------------

  private async checkProof(
    proof: string,
    expected: { method: string; htu: string; accessToken?: string },
  ): Promise<ProofCheck> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(proof);
    } catch {
      return { problem: 'The DPoP proof is not a valid JWT.' };
    }
    if (header.typ !== 'dpop+jwt') return { problem: "The DPoP proof 'typ' header is not dpop+jwt." };
    if (typeof header.alg !== 'string' || !SUPPORTED_ALGS.includes(header.alg))
      return { problem: "The DPoP proof 'alg' is not supported." };
    if (header.jwk === undefined || 'd' in header.jwk)
      return { problem: "The DPoP proof 'jwk' header is missing or not a public key." };
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(proof, EmbeddedJWK, {
        typ: 'dpop+jwt',
        algorithms: SUPPORTED_ALGS,
        requiredClaims: ['iat', 'jti', 'htm', 'htu'],
        currentDate: new Date(this.clock.now()),
      }));
    } catch {
      return { problem: 'The DPoP proof signature or claims are invalid.' };
    }
    if (payload.htm !== expected.method) return { problem: "'htm' claim in the DPoP proof JWT is invalid." };
    if (payload.htu !== expected.htu) return { problem: "'htu' claim in the DPoP proof JWT is invalid." };
    const nowSeconds = Math.floor(this.clock.now() / 1000);
    const iat = payload.iat ?? 0;
    if (iat > nowSeconds + (this.options.maxFutureSkewSeconds ?? 60))
      return { problem: 'The DPoP proof JWT was issued in the future (iat).' };
    if (iat < nowSeconds - (this.options.maxProofAgeSeconds ?? 300))
      return { problem: 'The DPoP proof JWT is too old (iat).' };
    if (expected.accessToken !== undefined && payload.ath !== accessTokenHash(expected.accessToken)) {
      return { problem: "'ath' claim in the DPoP proof JWT is invalid." };
    }
    const jti = String(payload.jti);
    if (this.proofJtis.has(jti)) return { problem: "The DPoP proof 'jti' has already been used." };
    this.proofJtis.add(jti);
    return { jkt: await calculateJwkThumbprint(header.jwk, 'sha256'), nonce: payload.nonce };
  }

  // -------------------------------------------------------------------------------------------------------
  // Answers
  // -------------------------------------------------------------------------------------------------------

  private tokenError(
    status: number,
    error: string,
    description: string,
    headers: Record<string, string> = {},
  ): OktaAuthResponse {
    this.reject(error);
    return {
      status,
      headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
      body: JSON.stringify({ error, error_description: description }),
    };
  }

  /** Okta's API refusals: a `WWW-Authenticate` challenge and its usual error body. */
  private apiChallenge(
    req: IncomingMessage,
    status: number,
    error: string,
    description: string,
    headers: Record<string, string> = {},
  ): OktaAuthResponse {
    this.reject(error);
    const scheme = (req.headers.authorization ?? '').startsWith('Bearer ') ? 'Bearer' : 'DPoP';
    return {
      status,
      headers: {
        'Content-Type': 'application/json',
        'WWW-Authenticate': this.challenge(req, scheme, error, description),
        ...headers,
      },
      body: oktaError('E0000011', 'Invalid token provided'),
    };
  }

  private challenge(req: IncomingMessage, scheme: string, error: string, description: string): string {
    const org = this.orgOf(req);
    const algs = scheme === 'DPoP' ? `algs="${SUPPORTED_ALGS.join(' ')}", ` : '';
    return `${scheme} ${algs}authorization_uri="${org}/oauth2/v1/authorize", realm="${org}", scope="${LOGS_SCOPE}", error="${error}", error_description="${description}", resource="/api/v1/logs"`;
  }

  private reject(error: string): void {
    this.counters.rejections[error] = (this.counters.rejections[error] ?? 0) + 1;
  }

  private noteSsws(req: IncomingMessage): void {
    if (/^SSWS\s/i.test(req.headers.authorization ?? '')) this.counters.sswsHeadersSeen += 1;
  }

  private orgOf(req: IncomingMessage): string {
    return this.options.orgUrl?.replace(/\/+$/, '') ?? `http://${req.headers.host ?? '127.0.0.1'}`;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Keys and a minimal server
// ---------------------------------------------------------------------------------------------------------

/**
 * Makes a service app key pair and the secret the collector reads: RSA 2048 (RS256) or EC (ES256/384/512 by
 * curve), the private key as a PKCS#8 PEM or a private JWK.
 */
export async function generateServiceAppKey(options: {
  readonly clientId: string;
  readonly keyType?: 'RSA' | 'EC';
  readonly curve?: 'P-256' | 'P-384' | 'P-521';
  /** The key's `kid`: on the registered public JWK, the private JWK and (unless omitted) the secret's `keyId`. */
  readonly keyId?: string;
  /** Leave `keyId` out of the secret (the private JWK still names its `kid`). @default false */
  readonly omitKeyIdFromSecret?: boolean;
  readonly format?: 'pem' | 'jwk';
  readonly requireDpop?: boolean;
  readonly scopes?: readonly string[];
}): Promise<GeneratedServiceAppKey> {
  const alg =
    options.keyType === 'EC'
      ? { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' }[options.curve ?? 'P-256']
      : 'RS256';
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = options.keyId;
  const secretKeyId = options.omitKeyIdFromSecret === true ? undefined : kid;
  const publicJwk: JWK = {
    ...(await exportJWK(publicKey)),
    use: 'sig',
    alg,
    ...(kid === undefined ? {} : { kid }),
  };
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), ...(kid === undefined ? {} : { kid }) };
  const secretKey = options.format === 'jwk' ? privateJwk : await exportPKCS8(privateKey);
  return {
    secret: {
      clientId: options.clientId,
      privateKey: secretKey,
      ...(secretKeyId === undefined ? {} : { keyId: secretKeyId }),
    },
    publicJwk,
    registration: {
      clientId: options.clientId,
      publicKey: publicJwk,
      ...(kid === undefined ? {} : { keyId: kid }),
      ...(options.requireDpop === undefined ? {} : { requireDpop: options.requireDpop }),
      ...(options.scopes === undefined ? {} : { scopes: options.scopes }),
    },
  };
}

/** One request the minimal server received (headers and body, to look for leaked or wrong credentials). */
export interface AuthorityRequestRecord {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  status: number;
  responseBody: string;
}

export interface AuthorityServer {
  /** The org URL to give the client, e.g. `http://127.0.0.1:53211`. */
  readonly url: string;
  readonly requests: AuthorityRequestRecord[];
  /** Replace the answer to the next `/api/v1/logs` calls (after authorization): one entry per call. */
  readonly apiOverrides: OktaAuthResponse[];
  /** Replace the answer to the next token requests (before the authority sees them): one entry per call. */
  readonly tokenOverrides: OktaAuthResponse[];
  close(): Promise<void>;
}

/**
 * A minimal org on 127.0.0.1: the authority at `/oauth2/v1/token` and a trivial `/api/v1/logs` that answers `[]`
 * with a `next` link once authorized. For tests and scenarios that need OAuth without the full simulator.
 */
export async function startAuthorityServer(
  authority: OktaOAuthAuthority,
  options: { readonly apiNonceOnPages?: boolean } = {},
): Promise<AuthorityServer> {
  const requests: AuthorityRequestRecord[] = [];
  const apiOverrides: OktaAuthResponse[] = [];
  const tokenOverrides: OktaAuthResponse[] = [];
  let url = '';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const full = new URL(req.url ?? '/', url);
        const record: AuthorityRequestRecord = {
          method: req.method ?? 'GET',
          path: full.pathname,
          headers: req.headers,
          body,
          status: 0,
          responseBody: '',
        };
        requests.push(record);
        let answer: OktaAuthResponse;
        if (full.pathname === TOKEN_PATH) {
          answer = tokenOverrides.shift() ?? (await authority.handleTokenRequest(req, body));
        } else if (full.pathname === '/api/v1/logs') {
          answer = (await authority.checkApiRequest(req, full)) ??
            apiOverrides.shift() ?? {
              status: 200,
              headers: {
                'Content-Type': 'application/json',
                Link: `<${url}/api/v1/logs?after=1>; rel="next"`,
                ...(options.apiNonceOnPages === true ? authority.apiResponseHeaders() : {}),
              },
              body: '[]',
            };
        } else {
          answer = {
            status: 404,
            headers: { 'Content-Type': 'application/json' },
            body: oktaError('E0000007', 'Not found'),
          };
        }
        record.status = answer.status;
        record.responseBody = answer.body;
        // Okta's `Date` is Okta's clock: the authority's, which a test may set apart from ours.
        res
          .writeHead(answer.status, { Date: new Date(authority.now()).toUTCString(), ...answer.headers })
          .end(answer.body);
      })();
    });
  });
  const listening = await listenOnLoopback(server);
  url = listening.url;
  return {
    url,
    requests,
    apiOverrides,
    tokenOverrides,
    close: listening.close,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------

function newNonce(): string {
  return randomUUID().replace(/-/g, '');
}

function isKeyObject(value: JWK | KeyObject): value is KeyObject {
  return typeof (value as KeyObject).export === 'function';
}

/** Only the public members: registering a private JWK must not make the authority hold the private key. */
function publicMembers(jwk: JWK): JWK {
  const { kty, crv, x, y, n, e } = jwk;
  return Object.fromEntries(
    Object.entries({ kty, crv, x, y, n, e }).filter(([, value]) => value !== undefined),
  );
}

function assertionProblem(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The client_assertion token is expired.';
  if (error instanceof errors.JWTClaimValidationFailed) {
    return error.claim === 'aud'
      ? 'The audience claim for client_assertion must be the endpoint invoked for the request.'
      : `The client_assertion '${error.claim}' claim is invalid.`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return 'The client_assertion signature is invalid.';
  return 'The client_assertion is invalid.';
}

function oktaError(errorCode: string, errorSummary: string): string {
  return JSON.stringify({
    errorCode,
    errorSummary,
    errorLink: errorCode,
    errorId: `oae${randomUUID().replace(/-/g, '').slice(0, 22)}`,
    errorCauses: [],
  });
}
