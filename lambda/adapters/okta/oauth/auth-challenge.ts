/**
 * Reading what a server said about authorization in a `WWW-Authenticate` challenge (RFC 6750 §3, RFC 9449
 * §7.1). Only the error *code* is kept: descriptions are prose we do not control, so they never reach a message.
 */
import { errorCode } from '../error-body.js';

/**
 * The `error` parameter of a `WWW-Authenticate` header, whichever scheme carries it (`DPoP` or `Bearer`).
 * `error_description` and other parameters are skipped.
 */
export function challengeError(header: string | null): string | undefined {
  if (header === null) return undefined;
  const match = /(?:^|[\s,])error\s*=\s*(?:"([^"]*)"|([^\s,]+))/i.exec(header);
  return errorCode(match?.[1] ?? match?.[2]);
}
