/**
 * Turns a failed Secrets Manager / SSM read into a `CredentialError` an operator can act on. Messages are our
 * own words plus the AWS error name; AWS's message stays in `cause` (it names ARNs, never a secret value).
 */
import { CredentialError } from '../../core/errors.js';
import { awsErrorName } from './aws-error-name.js';

/** Where a credential lives, as the operator configured it. */
export interface CredentialLocation {
  /** e.g. `secret "okta/acme" (OKTA_SECRET_ID)`. */
  readonly description: string;
  /** AWS error names that mean "there is no such secret / parameter". */
  readonly notFoundErrors: readonly string[];
  /** The service, for failures that are not about this resource (network, throttling). */
  readonly service: string;
}

/** AWS error names meaning the role lacks a permission (on the resource itself or on its KMS key). */
const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnrecognizedClientException']);
/** Secrets Manager could not use the secret's KMS key: almost always a missing `kms:Decrypt` grant. */
const KMS_FAILURES = new Set([
  'DecryptionFailure',
  'KMSAccessDeniedException',
  'InvalidKeyId',
  'KMSDisabledException',
]);

/** Wraps `error` (kept as `cause`) in a `CredentialError` that says what to fix. */
export function credentialReadError(error: unknown, location: CredentialLocation): CredentialError {
  const name = awsErrorName(error);
  if (name !== undefined && location.notFoundErrors.includes(name)) {
    return new CredentialError(`${location.description} was not found (check the name and the region)`, {
      cause: error,
    });
  }
  if (name !== undefined && ACCESS_DENIED.has(name)) {
    return new CredentialError(`the function's role may not read ${location.description} (${name})`, {
      cause: error,
    });
  }
  if (name !== undefined && KMS_FAILURES.has(name)) {
    return new CredentialError(
      `the function's role may not decrypt ${location.description} with its KMS key (${name})`,
      { cause: error },
    );
  }
  if (name !== undefined) {
    return new CredentialError(
      `could not read ${location.description}: ${location.service} answered ${name}`,
      {
        cause: error,
      },
    );
  }
  const what = error instanceof Error ? error.name : typeof error;
  return new CredentialError(
    `could not reach ${location.service} to read ${location.description} (${what})`,
    {
      cause: error,
    },
  );
}
