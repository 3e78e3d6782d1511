/**
 * A cursor table request failed for a reason other than losing the lease (which is a `CursorConflictError`):
 * the table is missing, the role lacks a permission, DynamoDB throttled past the SDK's retries, no network.
 */

export class CursorStoreError extends Error {
  public override readonly name = 'CursorStoreError';
  /** The SDK has already retried throttling and 5xx answers; the run stops here and the next one resumes. */
  public readonly retryable = false;
}
