/**
 * Picks how requests to Okta are authorized from what the secret holds, and follows the secret when it changes:
 * `{"apiToken"}` → `Authorization: SSWS` (ApiTokenAuthorizer); `{"clientId","privateKey","keyId"}` → OAuth 2.0
 * service app (ServiceAppAuthorizer). A rotation to another kind, client or key takes effect on the next request
 * without a redeploy.
 */
import { createHash } from 'node:crypto';
import type { CredentialProvider, OktaCredential } from '../credentials.js';
import { ApiTokenAuthorizer } from './api-token-authorizer.js';
import type { AuthVerdict, AuthorizeRequest, OktaAuthorizer } from './okta-authorizer.js';
import { ServiceAppAuthorizer } from './oauth/service-app-authorizer.js';
import { isClientRejection } from './oauth/token-endpoint-errors.js';

export interface OktaAuthorizerOptions {
  /** The org's origin, e.g. `https://acme.okta.com`. */
  readonly orgUrl: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default Date */
  readonly clock?: { now(): number };
  /** Timeout of each OAuth token request, in ms. @default 10000 */
  readonly requestTimeoutMs?: number;
}

/**
 * The authorizer for an org. It reads the credential on every `headersFor` (cheap: the provider caches it) and
 * delegates to the strategy for its kind, rebuilding the strategy when the kind or the service app's identity
 * (client id, key, key id) changed.
 */
export function createOktaAuthorizer(
  credentials: CredentialProvider<OktaCredential>,
  options: OktaAuthorizerOptions,
): OktaAuthorizer {
  return new CredentialRoutedAuthorizer(credentials, options);
}

interface Strategy {
  readonly identity: string;
  readonly authorizer: OktaAuthorizer;
}

class CredentialRoutedAuthorizer implements OktaAuthorizer {
  private strategy: Strategy | undefined;

  public constructor(
    private readonly credentials: CredentialProvider<OktaCredential>,
    private readonly options: OktaAuthorizerOptions,
  ) {}

  public async headersFor(request: AuthorizeRequest): Promise<Record<string, string>> {
    const credential = await this.credentials.get();
    try {
      return await this.strategyFor(credential).headersFor(request);
    } catch (error) {
      if (!isClientRejection(error)) throw error;
      // Okta refused the client assertion. If the secret was rotated (new key registered in Okta, old one
      // deleted) while the provider still caches the old one, reading it again fixes it; once, never in a loop.
      const fresh = await this.credentials.refresh();
      if (identityOf(fresh) === identityOf(credential)) throw error;
      return this.strategyFor(fresh).headersFor(request);
    }
  }

  public onResponse(response: Response, attempt: number): Promise<AuthVerdict> {
    // The response answers headers from the current strategy: it holds the token and nonces to update.
    return this.strategy === undefined
      ? Promise.resolve('ok')
      : this.strategy.authorizer.onResponse(response, attempt);
  }

  private strategyFor(credential: OktaCredential): OktaAuthorizer {
    const identity = identityOf(credential);
    if (this.strategy?.identity !== identity)
      this.strategy = { identity, authorizer: this.build(credential) };
    return this.strategy.authorizer;
  }

  private build(credential: OktaCredential): OktaAuthorizer {
    if (credential.kind === 'api-token')
      return new ApiTokenAuthorizer(apiTokens(this.credentials, credential.apiToken));
    return new ServiceAppAuthorizer(credential, this.options);
  }
}

/**
 * What makes a strategy reusable. An API token strategy reads the provider itself (and refreshes it after a 401),
 * so only the kind matters; a service app's token, DPoP binding and nonces belong to one client and key.
 */
function identityOf(credential: OktaCredential): string {
  if (credential.kind === 'api-token') return 'api-token';
  const { clientId, keyId, privateKey } = credential;
  // A digest, so the strategy table never holds a second copy of the key in a readable form.
  return `service-app:${createHash('sha256')
    .update(JSON.stringify([clientId, keyId ?? null, privateKey]))
    .digest('base64url')}`;
}

/**
 * The API token view of the Okta credential. If the secret turns into a service app meanwhile, it keeps answering
 * the last token it saw; the next `headersFor` switches strategy anyway.
 */
function apiTokens(
  credentials: CredentialProvider<OktaCredential>,
  initial: string,
): CredentialProvider<string> {
  let last = initial;
  const pick = (credential: OktaCredential): string => {
    if (credential.kind === 'api-token') last = credential.apiToken;
    return last;
  };
  return {
    get: async () => pick(await credentials.get()),
    refresh: async () => pick(await credentials.refresh()),
  };
}
