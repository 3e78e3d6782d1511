/**
 * createOktaAuthorizer: the secret's shape picks the strategy, and a rotated secret (another kind, client or key)
 * takes effect without a redeploy.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CredentialProvider, OktaCredential } from '../../lambda/adapters/credentials.js';
import { createOktaAuthorizer } from '../../lambda/adapters/okta/create-okta-authorizer.js';
import type { OktaAuthorizer } from '../../lambda/adapters/okta/okta-authorizer.js';
import { CredentialError } from '../../lambda/core/errors.js';
import {
  OktaOAuthAuthority,
  generateServiceAppKey,
  startAuthorityServer,
  type AuthorityServer,
  type GeneratedServiceAppKey,
} from '../../dev/okta-oauth-authority.js';

/** A secret whose cached copy can lag behind what Secrets Manager holds, as a TTL cache does. */
class FakeSecret implements CredentialProvider<OktaCredential> {
  public refreshes = 0;

  public constructor(
    public cached: OktaCredential,
    public stored: OktaCredential = cached,
  ) {}

  public get(): Promise<OktaCredential> {
    return Promise.resolve(this.cached);
  }

  public refresh(): Promise<OktaCredential> {
    this.refreshes += 1;
    this.cached = this.stored;
    return Promise.resolve(this.cached);
  }
}

function serviceApp(key: GeneratedServiceAppKey): OktaCredential {
  return {
    kind: 'service-app',
    clientId: key.secret.clientId,
    privateKey: key.secret.privateKey,
    keyId: key.secret.keyId,
  };
}

describe('createOktaAuthorizer', () => {
  let authority: OktaOAuthAuthority;
  let server: AuthorityServer;

  beforeEach(async () => {
    authority = new OktaOAuthAuthority();
    server = await startAuthorityServer(authority);
  });

  afterEach(async () => {
    await server.close();
  });

  const logsUrl = () => new URL(`${server.url}/api/v1/logs?limit=10`);
  const headersOf = (authorizer: OktaAuthorizer) =>
    authorizer.headersFor({ method: 'GET', url: logsUrl(), signal: AbortSignal.timeout(10_000) });
  const tokenIn = (headers: Record<string, string>) => headers.Authorization?.split(' ')[1] ?? '';

  it('authorizes with SSWS for an API token secret', async () => {
    // Prepare
    const secret = new FakeSecret({ kind: 'api-token', apiToken: '00abc-token' });
    const authorizer = createOktaAuthorizer(secret, { orgUrl: server.url });

    // Act
    const headers = await headersOf(authorizer);

    // Assess
    expect(headers).toEqual({ Authorization: 'SSWS 00abc-token' });
    expect(authority.counters.tokenRequests).toBe(0);
  });

  it('authorizes with a DPoP-bound token for a service app secret, and never with SSWS', async () => {
    // Prepare
    const key = await generateServiceAppKey({ clientId: '0oa-app', keyId: 'k1' });
    authority.registerClient(key.registration);
    const authorizer = createOktaAuthorizer(new FakeSecret(serviceApp(key)), { orgUrl: server.url });

    // Act
    const headers = await headersOf(authorizer);
    const response = await fetch(logsUrl(), { headers });

    // Assess
    expect(headers.Authorization).toMatch(/^DPoP /);
    expect(headers.DPoP).toEqual(expect.any(String));
    expect(await authorizer.onResponse(response, 1)).toBe('ok');
    expect(response.status).toBe(200);
    expect(authority.counters.sswsHeadersSeen).toBe(0);
  });

  it('reads the credential on every request and follows a switch from API token to service app', async () => {
    // Prepare
    const key = await generateServiceAppKey({ clientId: '0oa-app' });
    authority.registerClient(key.registration);
    const secret = new FakeSecret({ kind: 'api-token', apiToken: '00abc-token' });
    const authorizer = createOktaAuthorizer(secret, { orgUrl: server.url });
    const before = await headersOf(authorizer);

    // Act
    secret.cached = serviceApp(key);
    const after = await headersOf(authorizer);

    // Assess
    expect(before.Authorization).toBe('SSWS 00abc-token');
    expect(after.Authorization).toMatch(/^DPoP /);
    expect(after.DPoP).toEqual(expect.any(String));
  });

  it('rebuilds the service app strategy when the secret is rotated to another client', async () => {
    // Prepare
    const first = await generateServiceAppKey({ clientId: '0oa-first' });
    const second = await generateServiceAppKey({ clientId: '0oa-second' });
    authority.registerClient(first.registration);
    authority.registerClient(second.registration);
    const secret = new FakeSecret(serviceApp(first));
    const authorizer = createOktaAuthorizer(secret, { orgUrl: server.url });
    const before = await headersOf(authorizer);
    const reused = await headersOf(authorizer);

    // Act
    secret.cached = serviceApp(second);
    const after = await headersOf(authorizer);

    // Assess
    expect(authority.clientOf(tokenIn(before))).toBe('0oa-first');
    expect(tokenIn(reused)).toBe(tokenIn(before));
    expect(authority.clientOf(tokenIn(after))).toBe('0oa-second');
    expect(authority.counters.tokensIssued).toBe(2);
  });

  it('re-reads the secret once when Okta rejects the cached key, and uses the rotated one', async () => {
    // Prepare: Okta now only knows the new key; the cache still holds the old one.
    const oldKey = await generateServiceAppKey({ clientId: '0oa-app', keyId: 'old' });
    const newKey = await generateServiceAppKey({ clientId: '0oa-app', keyId: 'new' });
    authority.registerClient(newKey.registration);
    const secret = new FakeSecret(serviceApp(oldKey), serviceApp(newKey));
    const authorizer = createOktaAuthorizer(secret, { orgUrl: server.url });

    // Act
    const headers = await headersOf(authorizer);

    // Assess
    expect(secret.refreshes).toBe(1);
    expect(authority.clientOf(tokenIn(headers))).toBe('0oa-app');
    expect(authority.counters.rejections.invalid_client).toBe(1);
  });

  it('throws the rejection when re-reading the secret gives the same key', async () => {
    // Prepare: Okta knows another key than the one in the secret.
    const stored = await generateServiceAppKey({ clientId: '0oa-app', keyId: 'k1' });
    const registered = await generateServiceAppKey({ clientId: '0oa-app', keyId: 'k1' });
    authority.registerClient(registered.registration);
    const secret = new FakeSecret(serviceApp(stored));
    const authorizer = createOktaAuthorizer(secret, { orgUrl: server.url });

    // Act
    const attempt = headersOf(authorizer);

    // Assess
    await expect(attempt).rejects.toThrow(CredentialError);
    await expect(attempt).rejects.toThrow(/client assertion/);
    expect(secret.refreshes).toBe(1);
  });

  it('lets the API token strategy see responses: a 401 re-reads the secret and asks for one more try', async () => {
    // Prepare
    const secret = new FakeSecret(
      { kind: 'api-token', apiToken: 'old' },
      { kind: 'api-token', apiToken: 'new' },
    );
    const authorizer = createOktaAuthorizer(secret, { orgUrl: server.url });
    await headersOf(authorizer);

    // Act
    const verdict = await authorizer.onResponse(new Response(null, { status: 401 }), 1);
    const headers = await headersOf(authorizer);

    // Assess
    expect(verdict).toBe('retry');
    expect(secret.refreshes).toBe(1);
    expect(headers).toEqual({ Authorization: 'SSWS new' });
  });

  it('answers ok to a response when it never authorized a request', async () => {
    // Prepare
    const authorizer = createOktaAuthorizer(new FakeSecret({ kind: 'api-token', apiToken: 't' }), {
      orgUrl: server.url,
    });

    // Act
    const verdict = await authorizer.onResponse(new Response(null, { status: 401 }), 1);

    // Assess
    expect(verdict).toBe('ok');
  });
});
