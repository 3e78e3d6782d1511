/**
 * Reading what Okta put in an error answer, for both of its shapes: the API error body of `/api/v1/logs`
 * (`{"errorCode", "errorSummary", ...}`) and the OAuth error body of the token endpoint (`{"error",
 * "error_description"}`, RFC 6749 §5.2). Codes are kept only when they look like codes; prose is the caller's
 * to quote (bounded, redacted) or not.
 */

/** An error code (Okta's `E0000047`, OAuth's `invalid_client`), or `undefined` when the value is not one. */
export function errorCode(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(value) ? value : undefined;
}

/**
 * The members of an error body that is a JSON object; `{}` for anything else (an HTML page from a proxy, a
 * truncated body); `undefined` when the body could not be read at all (the connection broke or was aborted).
 * Consumes the body. The parser's message is never kept: it may quote the body.
 */
export async function readErrorFields(
  response: Response,
): Promise<Readonly<Record<string, unknown>> | undefined> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
