/**
 * Credentials read from AWS at run time (never from the environment), cached for a TTL so a rotation takes
 * effect without a redeploy.
 */
import type { JWK } from 'jose';

/** Something secret that can be read, and read again after the far end rejected it. */
export interface CredentialProvider<T> {
  /** The cached value while it is fresh; otherwise reads it. */
  get(): Promise<T>;
  /** Reads it again now, whatever the cache holds (after a 401). */
  refresh(): Promise<T>;
}

/** What the Okta secret holds; its shape decides how requests are authorized. */
export type OktaCredential =
  | { readonly kind: 'api-token'; readonly apiToken: string }
  | {
      readonly kind: 'service-app';
      readonly clientId: string;
      /** PKCS#8 PEM, or a private JWK (RSA or EC). */
      readonly privateKey: string | JWK;
      readonly keyId: string | undefined;
    };
