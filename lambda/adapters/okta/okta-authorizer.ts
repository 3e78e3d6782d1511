/**
 * How a request to Okta is authorized. Two strategies share this interface: an API token (`SSWS`) and an
 * OAuth 2.0 service app (private_key_jwt, with DPoP when the app requires it). The secret's shape decides which.
 */

export interface AuthorizeRequest {
  readonly method: 'GET';
  /** The full request URL; DPoP proofs use it without query and fragment. */
  readonly url: URL;
  readonly signal: AbortSignal;
}

/** What to do after a response was seen. */
export type AuthVerdict =
  /** Use the response as it is. */
  | 'ok'
  /** A 401 that may succeed if sent once more (fresh credential, new DPoP nonce, new access token). */
  | 'retry';

export interface OktaAuthorizer {
  /** Headers that authorize this request: `Authorization`, plus `DPoP` in DPoP mode. Never logged. */
  headersFor(request: AuthorizeRequest): Promise<Record<string, string>>;
  /**
   * Sees every response to an authorized request (DPoP servers rotate nonces on any response). For a 401 it
   * decides whether one more try is worthwhile; `attempt` counts tries of this request from 1, so the strategy
   * can refuse to loop.
   */
  onResponse(response: Response, attempt: number): Promise<AuthVerdict>;
}
