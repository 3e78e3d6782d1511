/**
 * A cursor table request failed for a reason other than losing the lease (which is a `CursorConflictError`):
 * the table is missing, the role lacks a permission, DynamoDB throttled past the SDK's retries, no network.
 */
import { awsErrorName } from './aws-error-name.js';

export class CursorStoreError extends Error {
  public override readonly name = 'CursorStoreError';
  /** The SDK has already retried throttling and 5xx answers; the run stops here and the next one resumes. */
  public readonly retryable = false;
}

/**
 * The error for a failed table operation: names the operation, the stream and the table, and what DynamoDB
 * answered by error name only (an answer's message is DynamoDB's text, not ours to repeat).
 * @param action e.g. `write the cursor of`.
 */
export function cursorStoreFailure(
  error: unknown,
  action: string,
  streamId: string | undefined,
  tableName: string,
): CursorStoreError {
  const target = `${streamId === undefined ? '' : `stream "${streamId}" in `}table "${tableName}" (CURSOR_TABLE_NAME)`;
  const name = awsErrorName(error);
  const why =
    name === 'ResourceNotFoundException'
      ? 'the table was not found (check the name and the region)'
      : name === 'AccessDeniedException'
        ? "the function's role lacks a DynamoDB permission on the table"
        : name !== undefined
          ? `DynamoDB answered ${/^[A-Za-z][\w.]{0,63}$/.test(name) ? name : 'an error'}`
          : `DynamoDB could not be reached (${error instanceof Error ? error.name : typeof error})`;
  return new CursorStoreError(`could not ${action} ${target}: ${why}`, { cause: error });
}
