/** How the core writes an error into its logs and summaries: our own words and fields, never a credential. */
import { OktaApiError } from './errors.js';

/** An error's name and message: our own messages, which never hold a credential. */
export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Operator-facing details carried by our errors (status, Okta errorCode and request id). */
export function errorKeys(error: unknown): Record<string, unknown> {
  if (error instanceof OktaApiError)
    return { status: error.status, errorCode: error.errorCode, oktaRequestId: error.requestId };
  if (typeof error === 'object' && error !== null && 'status' in error) return { status: error.status };
  return {};
}
