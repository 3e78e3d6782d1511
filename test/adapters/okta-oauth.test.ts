/**
 * The OAuth 2.0 service app authorizer against a local Okta authority (real node:http server on 127.0.0.1):
 * private_key_jwt (RFC 7523), DPoP (RFC 9449) with both nonce dances, Bearer apps, token caching and refresh,
 * and errors that name the problem without carrying a credential.
 */
import { inspect } from 'node:util';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialError, OktaApiError, RateLimitedError } from '../../lambda/core/errors.js';
import { accessTokenHash } from '../../lambda/adapters/okta/oauth/dpop-proof.js';
import {
  ServiceAppAuthorizer,
  type ServiceAppCredential,
} from '../../lambda/adapters/okta/oauth/service-app-authorizer.js';
import type { AuthVerdict, OktaAuthorizer } from '../../lambda/adapters/okta/okta-authorizer.js';
import {
  OktaOAuthAuthority,
  generateServiceAppKey,
  startAuthorityServer,
  type AuthorityServer,
  type OktaOAuthAuthorityOptions,
} from '../../dev/okta-oauth-authority.js';

const LOGS_QUERY = '/api/v1/logs?since=2024-01-01T00%3A00%3A00Z&limit=1000#frag';

/** A clock the test moves (whole seconds, like `Date` headers); authority and authorizer share it unless a test sets them apart. */
function testClock(start = Math.floor(Date.now() / 1000) * 1000): { t: number; now(): number } {
  return {
    t: start,
    now() {
      return this.t;
    },
  };
}

interface Exchange {
  readonly response: Response;
  readonly verdicts: AuthVerdict[];
}

/** What OktaLogSource does: headers, fetch, show the response to the authorizer, try again when told to. */
async function get(authorizer: OktaAuthorizer, url: string): Promise<Exchange> {
  const verdicts: AuthVerdict[] = [];
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    const headers = await authorizer.headersFor({
      method: 'GET',
      url: new URL(url),
      signal: AbortSignal.timeout(10_000),
    });
    const response = await fetch(url, { headers });
    const verdict = await authorizer.onResponse(response, attempt);
    verdicts.push(verdict);
    if (verdict === 'ok') return { response, verdicts };
    await response.body?.cancel();
  }
  throw new Error('the authorizer asked for more than 5 tries');
}

function formOf(body: string): URLSearchParams {
  return new URLSearchParams(body);
}

describe('ServiceAppAuthorizer', () => {
  let clock: ReturnType<typeof testClock>;
  let authority: OktaOAuthAuthority;
  let server: AuthorityServer;

  async function startOrg(
    options: Omit<OktaOAuthAuthorityOptions, 'clock'> = {},
    pagesCarryNonce = false,
  ): Promise<void> {
    authority = new OktaOAuthAuthority({ ...options, clock });
    server = await startAuthorityServer(authority, { apiNonceOnPages: pagesCarryNonce });
  }

  function authorizerFor(
    credential: ServiceAppCredential,
    own: { now(): number } = clock,
  ): ServiceAppAuthorizer {
    return new ServiceAppAuthorizer(credential, { orgUrl: server.url, clock: own });
  }

  function asCredential(secret: {
    clientId: string;
    privateKey: ServiceAppCredential['privateKey'];
    keyId?: string;
  }): ServiceAppCredential {
    return { clientId: secret.clientId, privateKey: secret.privateKey, keyId: secret.keyId };
  }

  const tokenPosts = () => server.requests.filter((request) => request.path === '/oauth2/v1/token');
  const apiCalls = () => server.requests.filter((request) => request.path === '/api/v1/logs');

  beforeEach(async () => {
    clock = testClock();
    await startOrg();
  });

  afterEach(async () => {
    // Whatever a test did, an OAuth client never sent an API token.
    expect(authority.counters.sswsHeadersSeen).toBe(0);
    expect(server.requests.some((request) => /^SSWS/i.test(request.headers.authorization ?? ''))).toBe(false);
    await server.close();
  });

  describe('client assertion and DPoP proof of the token request', () => {
    it.each([
      {
        name: 'RSA PKCS#8 PEM with keyId',
        keyType: 'RSA',
        format: 'pem',
        keyId: 'rsa-key-1',
        alg: 'RS256',
        kid: 'rsa-key-1',
      },
      {
        name: 'RSA private JWK without keyId',
        keyType: 'RSA',
        format: 'jwk',
        keyId: undefined,
        alg: 'RS256',
        kid: undefined,
      },
      {
        name: 'EC P-256 PEM without keyId',
        keyType: 'EC',
        curve: 'P-256',
        format: 'pem',
        keyId: undefined,
        alg: 'ES256',
        kid: undefined,
      },
      {
        name: 'EC P-384 private JWK with keyId',
        keyType: 'EC',
        curve: 'P-384',
        format: 'jwk',
        keyId: 'ec-384',
        alg: 'ES384',
        kid: 'ec-384',
      },
      {
        name: 'EC P-521 PEM with keyId',
        keyType: 'EC',
        curve: 'P-521',
        format: 'pem',
        keyId: 'ec-521',
        alg: 'ES512',
        kid: 'ec-521',
      },
    ] as const)('signs with a $name ($alg), after Okta’s use_dpop_nonce challenge', async (row) => {
      // Prepare
      const key = await generateServiceAppKey({
        clientId: '0oa-app',
        keyType: row.keyType,
        ...('curve' in row ? { curve: row.curve } : {}),
        format: row.format,
        ...(row.keyId === undefined ? {} : { keyId: row.keyId }),
      });
      authority.registerClient(key.registration);
      const authorizer = authorizerFor(asCredential(key.secret));

      // Act
      const { response, verdicts } = await get(authorizer, `${server.url}${LOGS_QUERY}`);

      // Assess: Okta challenged the first proof, the retry carried its nonce and a fresh assertion.
      expect(response.status).toBe(200);
      expect(verdicts).toEqual(['ok']);
      expect(authority.counters).toMatchObject({
        tokenRequests: 2,
        tokenNonceChallenges: 1,
        tokensIssued: 1,
      });
      const [first, second] = tokenPosts();
      const tokenUrl = `${server.url}/oauth2/v1/token`;
      const assertions = [first!, second!].map((post) => formOf(post.body).get('client_assertion')!);
      for (const assertion of assertions) {
        const header = decodeProtectedHeader(assertion);
        const claims = decodeJwt(assertion);
        expect(header.alg).toBe(row.alg);
        expect(header.kid).toBe(row.kid);
        expect(claims).toMatchObject({ iss: '0oa-app', sub: '0oa-app', aud: tokenUrl });
        expect(claims.exp! - claims.iat!).toBeGreaterThan(0);
        expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(300);
      }
      expect(decodeJwt(assertions[0]!).jti).not.toBe(decodeJwt(assertions[1]!).jti);
      const form = formOf(second!.body);
      expect(form.get('grant_type')).toBe('client_credentials');
      expect(form.get('scope')).toBe('okta.logs.read');
      expect(form.get('client_assertion_type')).toBe(
        'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      );
      const proofs = [first!, second!].map((post) => decodeJwt(post.headers.dpop as string));
      expect(proofs[0]).toMatchObject({ htm: 'POST', htu: tokenUrl });
      expect(proofs[0]!.nonce).toBeUndefined();
      expect(proofs[1]!.nonce).toEqual(expect.any(String));
    });
  });

  describe('API calls', () => {
    it('sends Authorization: DPoP and a proof bound to the token, whose htu has no query', async () => {
      // Prepare
      const key = await generateServiceAppKey({ clientId: '0oa-app', keyId: 'k1' });
      authority.registerClient(key.registration);
      const authorizer = authorizerFor(asCredential(key.secret));

      // Act
      const { response } = await get(authorizer, `${server.url}${LOGS_QUERY}`);

      // Assess
      expect(response.status).toBe(200);
      const call = apiCalls()[0]!;
      const [scheme, token] = (call.headers.authorization ?? '').split(' ');
      expect(scheme).toBe('DPoP');
      expect(authority.clientOf(token!)).toBe('0oa-app');
      const proof = call.headers.dpop as string;
      const header = decodeProtectedHeader(proof);
      expect(header).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256' });
      expect(header.jwk).toBeDefined();
      expect(header.jwk).not.toHaveProperty('d');
      expect(decodeJwt(proof)).toMatchObject({
        htm: 'GET',
        htu: `${server.url}/api/v1/logs`,
        ath: accessTokenHash(token!),
      });
    });

    it('answers the API’s use_dpop_nonce challenge with one retry, and again each time the nonce rotates', async () => {
      // Prepare: the API demands its own nonce and rotates it after every second authorized call.
      await server.close();
      await startOrg({ requireApiNonce: true, apiNonceRotateEvery: 2 });
      const key = await generateServiceAppKey({ clientId: '0oa-app', keyType: 'EC' });
      authority.registerClient(key.registration);
      const authorizer = authorizerFor(asCredential(key.secret));

      // Act
      const exchanges: Exchange[] = [];
      for (let i = 0; i < 5; i += 1) exchanges.push(await get(authorizer, `${server.url}${LOGS_QUERY}`));

      // Assess
      expect(exchanges.map((exchange) => exchange.response.status)).toEqual([200, 200, 200, 200, 200]);
      expect(exchanges.map((exchange) => exchange.verdicts)).toEqual([
        ['retry', 'ok'],
        ['ok'],
        ['retry', 'ok'],
        ['ok'],
        ['retry', 'ok'],
      ]);
      expect(authority.counters.apiNonceChallenges).toBe(3);
      expect(authority.counters.tokensIssued).toBe(1);
    });

    it('uses a nonce handed out on a served page, so a rotation costs no challenge', async () => {
      // Prepare: the nonce rotates after every call, and every page carries the next one.
      await server.close();
      await startOrg({ requireApiNonce: true, apiNonceRotateEvery: 1 }, true);
      const key = await generateServiceAppKey({ clientId: '0oa-app' });
      authority.registerClient(key.registration);
      const authorizer = authorizerFor(asCredential(key.secret));

      // Act
      const verdicts: AuthVerdict[][] = [];
      for (let i = 0; i < 4; i += 1)
        verdicts.push((await get(authorizer, `${server.url}${LOGS_QUERY}`)).verdicts);

      // Assess: only the very first call, made before any nonce was known, was challenged.
      expect(verdicts).toEqual([['retry', 'ok'], ['ok'], ['ok'], ['ok']]);
      expect(authority.counters.apiNonceChallenges).toBe(1);
    });

    it('sends Authorization: Bearer and no DPoP header for an app that does not require DPoP', async () => {
      // Prepare
      const key = await generateServiceAppKey({ clientId: '0oa-bearer', requireDpop: false });
      authority.registerClient(key.registration);
      const authorizer = authorizerFor(asCredential(key.secret));

      // Act
      const headers = await authorizer.headersFor({
        method: 'GET',
        url: new URL(`${server.url}${LOGS_QUERY}`),
        signal: AbortSignal.timeout(5000),
      });
      const { response } = await get(authorizer, `${server.url}${LOGS_QUERY}`);

      // Assess
      expect(Object.keys(headers)).toEqual(['Authorization']);
      expect(headers.Authorization).toMatch(/^Bearer \S+$/);
      expect(response.status).toBe(200);
      expect(apiCalls()[0]!.headers.dpop).toBeUndefined();
      expect(authority.counters).toMatchObject({
        tokenRequests: 1,
        tokenNonceChallenges: 0,
        tokensIssued: 1,
      });
    });

    it('answers ok to 403, 429 and 500 and keeps its token (the source handles those)', async () => {
      // Prepare
      const key = await generateServiceAppKey({ clientId: '0oa-app' });
      authority.registerClient(key.registration);
      const authorizer = authorizerFor(asCredential(key.secret));
      await get(authorizer, `${server.url}${LOGS_QUERY}`);
      for (const status of [403, 429, 500]) {
        server.apiOverrides.push({
          status,
          headers: { 'Content-Type': 'application/json' },
          body: '{"errorCode":"E0000006"}',
        });
      }

      // Act
      const exchanges = [];
      for (let i = 0; i < 3; i += 1) exchanges.push(await get(authorizer, `${server.url}${LOGS_QUERY}`));

      // Assess
      expect(exchanges.map((exchange) => [exchange.response.status, exchange.verdicts])).toEqual([
        [403, ['ok']],
        [429, ['ok']],
        [500, ['ok']],
      ]);
      expect(authority.counters.tokensIssued).toBe(1);
    });

    it('refuses to put the token on a request to another origin', async () => {
      // Prepare
      const key = await generateServiceAppKey({ clientId: '0oa-app' });
      authority.registerClient(key.registration);
      const authorizer = authorizerFor(asCredential(key.secret));

      // Act
      const attempt = authorizer.headersFor({
        method: 'GET',
        url: new URL('https://evil.example.com/api/v1/logs'),
        signal: AbortSignal.timeout(5000),
      });

      // Assess
      await expect(attempt).rejects.toBeInstanceOf(OktaApiError);
      expect(server.requests).toHaveLength(0);
    });
  });

  describe('the access token', () => {
    it('is reused across requests and replaced shortly before it expires', async () => {
      // Prepare
      const key = await generateServiceAppKey({ clientId: '0oa-app' });
      authority.registerClient(key.registration);
      const authorizer = authorizerFor(asCredential(key.secret));

      // Act
      for (let i = 0; i < 3; i += 1) await get(authorizer, `${server.url}${LOGS_QUERY}`);
      const afterThree = authority.counters.tokensIssued;
      clock.t += 3600_000 - 90_000;
      await get(authorizer, `${server.url}${LOGS_QUERY}`);
      const ninetySecondsBefore = authority.counters.tokensIssued;
      clock.t += 60_000;
      const { response } = await get(authorizer, `${server.url}${LOGS_QUERY}`);

      // Assess: one token for the first hour, a new one 30 s before expiry, and the token endpoint's nonce
      // was remembered (no second challenge).
      expect(afterThree).toBe(1);
      expect(ninetySecondsBefore).toBe(1);
      expect(authority.counters.tokensIssued).toBe(2);
      expect(authority.counters.tokenNonceChallenges).toBe(1);
      expect(response.status).toBe(200);
    });

    it('is replaced once after a 401 invalid_token, and the request goes through', async () => {
      // Prepare
      const key = await generateServiceAppKey({ clientId: '0oa-app' });
      authority.registerClient(key.registration);
      const authorizer = authorizerFor(asCredential(key.secret));
      await get(authorizer, `${server.url}${LOGS_QUERY}`);
      authority.revokeAllTokens();

      // Act
      const { response, verdicts } = await get(authorizer, `${server.url}${LOGS_QUERY}`);

      // Assess
      expect(response.status).toBe(200);
      expect(verdicts).toEqual(['retry', 'ok']);
      expect(authority.counters.tokensIssued).toBe(2);
      expect(authority.counters.rejections.invalid_token).toBe(1);
    });

    it('is replaced only once when Okta rejects the new token too', async () => {
      // Prepare: the API rejects every token from now on.
      const key = await generateServiceAppKey({ clientId: '0oa-app' });
      authority.registerClient(key.registration);
      const authorizer = authorizerFor(asCredential(key.secret));
      const invalidToken = {
        status: 401,
        headers: {
          'WWW-Authenticate': 'DPoP error="invalid_token", error_description="The access token is invalid."',
        },
        body: '{"errorCode":"E0000011"}',
      };
      server.apiOverrides.push(invalidToken, invalidToken, invalidToken, invalidToken);

      // Act
      const { response, verdicts } = await get(authorizer, `${server.url}${LOGS_QUERY}`);

      // Assess: one replacement, then the 401 is the source's to report.
      expect(response.status).toBe(401);
      expect(verdicts).toEqual(['retry', 'ok']);
      expect(authority.counters.tokensIssued).toBe(2);
    });

    it('may be replaced again later, once its replacement has worked', async () => {
      // Prepare
      const key = await generateServiceAppKey({ clientId: '0oa-app' });
      authority.registerClient(key.registration);
      const authorizer = authorizerFor(asCredential(key.secret));
      await get(authorizer, `${server.url}${LOGS_QUERY}`);
      authority.revokeAllTokens();
      await get(authorizer, `${server.url}${LOGS_QUERY}`);
      authority.revokeAllTokens();

      // Act
      const { response, verdicts } = await get(authorizer, `${server.url}${LOGS_QUERY}`);

      // Assess
      expect(response.status).toBe(200);
      expect(verdicts).toEqual(['retry', 'ok']);
      expect(authority.counters.tokensIssued).toBe(3);
    });

    it('is requested once for concurrent callers', async () => {
      // Prepare
      const key = await generateServiceAppKey({ clientId: '0oa-app' });
      authority.registerClient(key.registration);
      const authorizer = authorizerFor(asCredential(key.secret));
      const url = new URL(`${server.url}${LOGS_QUERY}`);

      // Act
      const all = await Promise.all(
        Array.from({ length: 5 }, () =>
          authorizer.headersFor({ method: 'GET', url, signal: AbortSignal.timeout(5000) }),
        ),
      );

      // Assess: one grant (two POSTs with the nonce dance), one token, five distinct proofs.
      expect(authority.counters).toMatchObject({ tokenRequests: 2, tokensIssued: 1 });
      expect(new Set(all.map((headers) => headers.Authorization)).size).toBe(1);
      expect(new Set(all.map((headers) => headers.DPoP)).size).toBe(5);
    });
  });

  it('lets an aborted caller leave while the token request goes on for the next one', async () => {
    // Prepare
    const key = await generateServiceAppKey({ clientId: '0oa-app' });
    authority.registerClient(key.registration);
    const authorizer = authorizerFor(asCredential(key.secret));
    const url = new URL(`${server.url}${LOGS_QUERY}`);
    const aborted = AbortSignal.abort(new Error('deadline'));

    // Act
    const leaving = authorizer.headersFor({ method: 'GET', url, signal: aborted });
    await expect(leaving).rejects.toThrow('deadline');
    const { response } = await get(authorizer, url.href);

    // Assess: the abandoned request's token served the next caller.
    expect(response.status).toBe(200);
    expect(authority.counters.tokensIssued).toBe(1);
  });

  describe('errors', () => {
    async function failure(authorizer: OktaAuthorizer): Promise<Error> {
      const error: unknown = await authorizer
        .headersFor({
          method: 'GET',
          url: new URL(`${server.url}${LOGS_QUERY}`),
          signal: AbortSignal.timeout(5000),
        })
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      if (!(error instanceof Error)) throw new Error('expected headersFor to fail');
      return error;
    }

    it('says the client assertion was rejected when Okta holds another public key', async () => {
      // Prepare: Okta has the public half of a different key pair.
      const key = await generateServiceAppKey({ clientId: '0oa-app', keyId: 'k1' });
      const other = await generateServiceAppKey({ clientId: '0oa-app', keyId: 'k1' });
      authority.registerClient(other.registration);

      // Act
      const error = await failure(authorizerFor(asCredential(key.secret)));

      // Assess
      expect(error).toBeInstanceOf(CredentialError);
      expect(error.message).toMatch(/rejected the service app's client assertion \(401 invalid_client\)/);
      expect(error.message).toMatch(/public key registered in Okta does not match the private key \/ kid/);
      expect(error.cause).toBeInstanceOf(OktaApiError);
      expect(error.cause).toMatchObject({ status: 401, errorCode: 'invalid_client', retryable: false });
    });

    it.each([
      ['an unknown client id', { clientId: '0oa-unknown' }],
      ['a kid that is not the registered one', { keyId: 'another-kid' }],
    ])('says the client assertion was rejected for %s', async (_name, change) => {
      // Prepare
      const key = await generateServiceAppKey({ clientId: '0oa-app', keyId: 'k1' });
      authority.registerClient(key.registration);

      // Act
      const error = await failure(authorizerFor({ ...asCredential(key.secret), ...change }));

      // Assess
      expect(error).toBeInstanceOf(CredentialError);
      expect(error.message).toMatch(/invalid_client/);
      expect(authority.counters.tokensIssued).toBe(0);
    });

    it('says to grant okta.logs.read when the app lacks the scope', async () => {
      // Prepare
      const key = await generateServiceAppKey({ clientId: '0oa-app', scopes: ['okta.users.read'] });
      authority.registerClient(key.registration);

      // Act
      const error = await failure(authorizerFor(asCredential(key.secret)));

      // Assess
      expect(error).toBeInstanceOf(CredentialError);
      expect(error.message).toMatch(/\(400 invalid_scope\): grant okta\.logs\.read to the app/);
    });

    it('says to check the clock when this host is ten minutes ahead of Okta', async () => {
      // Prepare
      const key = await generateServiceAppKey({ clientId: '0oa-app' });
      authority.registerClient(key.registration);
      const ahead = { now: () => clock.now() + 600_000 };

      // Act
      const error = await failure(authorizerFor(asCredential(key.secret), ahead));

      // Assess
      expect(error).toBeInstanceOf(CredentialError);
      expect(error.message).toMatch(/clock is 600 s ahead of Okta's: check the clock/);
    });

    it('says a DPoP proof was rejected, pointing at the clock when Okta names a time claim', async () => {
      // Prepare
      const key = await generateServiceAppKey({ clientId: '0oa-app' });
      authority.registerClient(key.registration);
      server.tokenOverrides.push({
        status: 400,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          error: 'invalid_dpop_proof',
          error_description: "The DPoP proof JWT 'iat' claim is in the future.",
        }),
      });

      // Act
      const error = await failure(authorizerFor(asCredential(key.secret)));

      // Assess
      expect(error).toBeInstanceOf(CredentialError);
      expect(error.message).toMatch(
        /DPoP proof of the token request \(400 invalid_dpop_proof\); Okta refused a time claim \(iat\/exp\): check the clock/,
      );
      expect(error.message).not.toMatch(/in the future/);
    });

    it('reports a 429 of the token endpoint as a rate limit, and a 503 as retryable', async () => {
      // Prepare
      const key = await generateServiceAppKey({ clientId: '0oa-app' });
      authority.registerClient(key.registration);
      const resetSeconds = Math.floor(clock.now() / 1000) + 30;
      server.tokenOverrides.push(
        {
          status: 429,
          headers: {
            'X-Rate-Limit-Limit': '600',
            'X-Rate-Limit-Remaining': '0',
            'X-Rate-Limit-Reset': String(resetSeconds),
          },
          body: '{}',
        },
        { status: 503, headers: {}, body: 'unavailable' },
      );
      const authorizer = authorizerFor(asCredential(key.secret));

      // Act
      const limited = await failure(authorizer);
      const unavailable = await failure(authorizer);

      // Assess
      expect(limited).toBeInstanceOf(RateLimitedError);
      expect((limited as RateLimitedError).retryAt).toBeGreaterThan(clock.now() + 25_000);
      expect(unavailable).toBeInstanceOf(OktaApiError);
      expect(unavailable).toMatchObject({ status: 503, retryable: true });
    });

    it('rejects a malformed key before sending anything', async () => {
      // Prepare
      const key = await generateServiceAppKey({ clientId: '0oa-app', format: 'jwk' });
      const { d: _d, ...publicOnly } = key.secret.privateKey as Record<string, unknown>;

      // Act
      const error = await failure(
        authorizerFor({ clientId: '0oa-app', privateKey: publicOnly, keyId: undefined }),
      );

      // Assess
      expect(error).toBeInstanceOf(CredentialError);
      expect(error.message).toMatch(/public JWK/);
      expect(server.requests).toHaveLength(0);
    });

    it('never carry the private key, an assertion, a proof or a token', async () => {
      // Prepare: one good exchange (so tokens and proofs exist), then every kind of refusal.
      const key = await generateServiceAppKey({ clientId: '0oa-app', keyId: 'k1' });
      const jwkKey = await generateServiceAppKey({ clientId: '0oa-jwk', format: 'jwk' });
      authority.registerClient(key.registration);
      await get(authorizerFor(asCredential(key.secret)), `${server.url}${LOGS_QUERY}`);
      const scopeless = await generateServiceAppKey({ clientId: '0oa-scopeless', scopes: [] });
      authority.registerClient(scopeless.registration);
      const errors = [
        await failure(authorizerFor(asCredential(jwkKey.secret))), // unknown client
        await failure(authorizerFor({ ...asCredential(key.secret), keyId: 'wrong' })),
        await failure(authorizerFor(asCredential(scopeless.secret))),
        await failure(authorizerFor(asCredential(key.secret), { now: () => clock.now() - 900_000 })),
        await failure(
          authorizerFor({
            clientId: '0oa-app',
            privateKey: (key.secret.privateKey as string).slice(0, 200),
            keyId: undefined,
          }),
        ),
      ];

      // Assess
      const secrets = [
        ...(key.secret.privateKey as string)
          .split('\n')
          .filter((line) => line.length > 20 && !line.startsWith('-----')),
        String((jwkKey.secret.privateKey as Record<string, unknown>).d),
        ...tokenPosts().map((post) => formOf(post.body).get('client_assertion')!),
        ...server.requests
          .map((request) => request.headers.dpop)
          .filter((proof): proof is string => typeof proof === 'string'),
        ...tokenPosts()
          .filter((post) => post.status === 200)
          .map((post) => (JSON.parse(post.responseBody) as { access_token: string }).access_token),
      ];
      expect(secrets.length).toBeGreaterThan(8);
      for (const error of errors) {
        const everything = [inspect(error, { depth: 10 }), JSON.stringify(error), String(error.stack)].join(
          '\n',
        );
        for (const secret of secrets) expect(everything).not.toContain(secret);
      }
    });
  });
});
