/**
 * The name of an error AWS answered with, for the Secrets Manager, SSM and DynamoDB adapters alike: they decide
 * by name (`ConditionalCheckFailedException`, `ResourceNotFoundException`, `AccessDeniedException`...).
 */

/**
 * The AWS error name when AWS answered with an error; `undefined` when no answer arrived (the SDK also puts
 * `$metadata` on network errors, but only an answer has an HTTP status).
 */
export function awsErrorName(error: unknown): string | undefined {
  if (!(error instanceof Error) || !('$metadata' in error)) return undefined;
  const metadata = error.$metadata as { httpStatusCode?: unknown } | undefined;
  return typeof metadata?.httpStatusCode === 'number' ? error.name : undefined;
}
