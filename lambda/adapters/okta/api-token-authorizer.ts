/**
 * Authorizes Okta requests with an API token: `Authorization: SSWS <token>`.
 *
 * A 401 can mean the token in Secrets Manager was rotated since we cached it, so the first 401 re-reads the
 * secret and asks for one more try; a second 401 is final (the token expired after 30 days unused, was
 * revoked, or died with the admin who created it) and the source raises a fatal error.
 */
import { CredentialError } from '../../core/errors.js';
import type { CredentialProvider } from '../credentials.js';
import type { AuthVerdict, AuthorizeRequest, OktaAuthorizer } from './okta-authorizer.js';

/** Printable ASCII without spaces: anything else cannot travel in a header (and would make fetch quote it). */
const HEADER_SAFE_TOKEN = /^[\x21-\x7e]+$/;

/** `SSWS` authorization; re-reads the token once after a first 401. Throws `CredentialError` for an unusable token. */
export class ApiTokenAuthorizer implements OktaAuthorizer {
  /** @param token the API token, e.g. `apiToken` of the Okta secret. */
  public constructor(private readonly token: CredentialProvider<string>) {}

  public async headersFor(_request: AuthorizeRequest): Promise<Record<string, string>> {
    return { Authorization: `SSWS ${checked(await this.token.get())}` };
  }

  public async onResponse(response: Response, attempt: number): Promise<AuthVerdict> {
    if (response.status !== 401 || attempt > 1) return 'ok';
    await this.token.refresh();
    return 'retry';
  }
}

function checked(token: string): string {
  // A trailing newline is the usual copy-paste slip when the secret is created by hand.
  const trimmed = token.trim();
  if (!HEADER_SAFE_TOKEN.test(trimmed)) {
    throw new CredentialError(
      'the Okta API token in the Okta secret is empty or contains characters a token cannot have',
    );
  }
  return trimmed;
}
