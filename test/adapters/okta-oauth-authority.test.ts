/**
 * The Okta OAuth authority stand-in is as strict as Okta: scenarios and the demo rely on it to catch a client
 * that gets private_key_jwt or DPoP wrong. Requests here are built by hand, one mistake at a time.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signClientAssertion } from '../../lambda/adapters/okta/oauth/client-assertion.js';
import {
  importClientSigningKey,
  type ClientSigningKey,
} from '../../lambda/adapters/okta/oauth/client-signing-key.js';
import { DpopProofSigner } from '../../lambda/adapters/okta/oauth/dpop-proof.js';
import {
  OktaOAuthAuthority,
  generateServiceAppKey,
  startAuthorityServer,
  type AuthorityServer,
} from '../../dev/okta-oauth-authority.js';

const CLIENT_ID = '0oa-app';

describe('OktaOAuthAuthority', () => {
  let authority: OktaOAuthAuthority;
  let server: AuthorityServer;
  let signingKey: ClientSigningKey;
  let dpop: DpopProofSigner;

  const tokenUrl = () => `${server.url}/oauth2/v1/token`;
  const logsUrl = () => `${server.url}/api/v1/logs`;

  /** A token request; each part can be spoiled by the test. */
  async function postToken(
    parts: {
      assertion?: string;
      proof?: string | null;
      nonce?: string;
      audience?: string;
      scope?: string;
    } = {},
  ): Promise<Response> {
    const now = Date.now();
    const assertion =
      parts.assertion ??
      (await signClientAssertion(signingKey, {
        clientId: CLIENT_ID,
        tokenUrl: parts.audience ?? tokenUrl(),
        now,
      }));
    const proof =
      parts.proof === undefined
        ? await dpop.sign({ method: 'POST', url: tokenUrl(), nonce: parts.nonce, now })
        : parts.proof;
    return fetch(tokenUrl(), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        ...(proof === null ? {} : { DPoP: proof }),
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: parts.scope ?? 'okta.logs.read',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      }),
    });
  }

  /** The nonce dance done right; returns the DPoP-bound token. */
  async function dpopToken(): Promise<string> {
    const challenge = await postToken();
    const nonce = challenge.headers.get('dpop-nonce') ?? '';
    const issued = (await (await postToken({ nonce })).json()) as { access_token: string };
    return issued.access_token;
  }

  async function errorOf(response: Response): Promise<string> {
    return ((await response.json()) as { error: string }).error;
  }

  beforeEach(async () => {
    authority = new OktaOAuthAuthority();
    server = await startAuthorityServer(authority);
    const key = await generateServiceAppKey({ clientId: CLIENT_ID, keyId: 'k1' });
    authority.registerClient(key.registration);
    signingKey = importClientSigningKey(key.secret.privateKey, key.secret.keyId);
    dpop = await DpopProofSigner.generate();
  });

  afterEach(async () => {
    await server.close();
  });

  describe('token endpoint', () => {
    it('challenges a proof without its nonce (400 use_dpop_nonce + DPoP-Nonce), then issues a DPoP token', async () => {
      // Act
      const challenge = await postToken();
      const nonce = challenge.headers.get('dpop-nonce');
      const issued = await postToken({ nonce: nonce ?? '' });

      // Assess
      expect(challenge.status).toBe(400);
      expect(await errorOf(challenge)).toBe('use_dpop_nonce');
      expect(nonce).toEqual(expect.any(String));
      expect(issued.status).toBe(200);
      expect(await issued.json()).toMatchObject({
        token_type: 'DPoP',
        expires_in: 3600,
        scope: 'okta.logs.read',
      });
    });

    it('refuses a client assertion used twice (jti replay)', async () => {
      // Prepare
      const assertion = await signClientAssertion(signingKey, {
        clientId: CLIENT_ID,
        tokenUrl: tokenUrl(),
        now: Date.now(),
      });
      await postToken({ assertion });

      // Act
      const replay = await postToken({ assertion });

      // Assess
      expect(replay.status).toBe(401);
      expect(await errorOf(replay)).toBe('invalid_client');
    });

    it('refuses a client assertion whose aud is not exactly the token URL', async () => {
      // Act
      const response = await postToken({ audience: `${server.url}/oauth2/default/v1/token` });

      // Assess
      expect(response.status).toBe(401);
      expect(await errorOf(response)).toBe('invalid_client');
    });

    it('refuses a request without a DPoP proof when the app requires DPoP', async () => {
      // Act
      const response = await postToken({ proof: null });

      // Assess
      expect(response.status).toBe(400);
      expect(await errorOf(response)).toBe('invalid_dpop_proof');
    });

    it('refuses a proof for another URL (htu)', async () => {
      // Act
      const proof = await dpop.sign({
        method: 'POST',
        url: `${server.url}/oauth2/v1/other`,
        now: Date.now(),
      });
      const response = await postToken({ proof });

      // Assess
      expect(await errorOf(response)).toBe('invalid_dpop_proof');
    });

    it('refuses a scope the app was not granted', async () => {
      // Act
      const challenge = await postToken();
      const response = await postToken({
        nonce: challenge.headers.get('dpop-nonce') ?? '',
        scope: 'okta.users.manage',
      });

      // Assess
      expect(response.status).toBe(400);
      expect(await errorOf(response)).toBe('invalid_scope');
    });
  });

  describe('API check', () => {
    it('accepts a DPoP token with a proof bound to it', async () => {
      // Prepare
      const token = await dpopToken();
      const proof = await dpop.sign({ method: 'GET', url: logsUrl(), accessToken: token, now: Date.now() });

      // Act
      const response = await fetch(`${logsUrl()}?limit=5`, {
        headers: { Authorization: `DPoP ${token}`, DPoP: proof },
      });

      // Assess
      expect(response.status).toBe(200);
      expect(authority.counters.apiAuthorized).toBe(1);
    });

    it.each<[string, { ath?: false; otherKey?: true; bearer?: true; expire?: true }, number, string]>([
      ['a proof without ath', { ath: false }, 400, 'invalid_dpop_proof'],
      ['a proof by another key', { otherKey: true }, 400, 'invalid_dpop_proof'],
      ['the DPoP token sent as Bearer', { bearer: true }, 401, 'invalid_token'],
      ['an expired token', { expire: true }, 401, 'invalid_token'],
    ])('refuses %s', async (_name, spoil, status, error) => {
      // Prepare
      const token = await dpopToken();
      const signer = spoil.otherKey === true ? await DpopProofSigner.generate() : dpop;
      const proof = await signer.sign({
        method: 'GET',
        url: logsUrl(),
        accessToken: spoil.ath === false ? undefined : token,
        now: Date.now(),
      });
      if (spoil.expire === true) authority.expireAllTokens();
      const headers: Record<string, string> =
        spoil.bearer === true
          ? { Authorization: `Bearer ${token}` }
          : { Authorization: `DPoP ${token}`, DPoP: proof };

      // Act
      const response = await fetch(logsUrl(), { headers });

      // Assess
      expect(response.status).toBe(status);
      expect(response.headers.get('www-authenticate')).toContain(`error="${error}"`);
      expect(authority.counters.apiAuthorized).toBe(0);
    });

    it('counts SSWS headers, which an OAuth client must never send', async () => {
      // Act
      const response = await fetch(logsUrl(), { headers: { Authorization: 'SSWS 00abc' } });

      // Assess
      expect(response.status).toBe(401);
      expect(authority.counters.sswsHeadersSeen).toBe(1);
    });
  });
});
