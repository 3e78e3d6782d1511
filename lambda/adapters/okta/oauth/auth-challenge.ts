/**
 * Reading what a server said about authorization: the `error` of a `WWW-Authenticate` challenge (RFC 6750 §3,
 * RFC 9449 §7.1) and the `error` of an OAuth error body (RFC 6749 §5.2). Only the error *code* is kept: Okta's
 * descriptions are prose we do not control, so they never reach a message.
 */

/** An OAuth error code, or `undefined` when the value is not one (codes are short ASCII words). */
export function oauthErrorCode(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(value) ? value : undefined;
}

/**
 * The `error` parameter of a `WWW-Authenticate` header, whichever scheme carries it (`DPoP` or `Bearer`).
 * `error_description` and other parameters are skipped.
 */
export function challengeError(header: string | null): string | undefined {
  if (header === null) return undefined;
  const match = /(?:^|[\s,])error\s*=\s*(?:"([^"]*)"|([^\s,]+))/i.exec(header);
  return oauthErrorCode(match?.[1] ?? match?.[2]);
}
