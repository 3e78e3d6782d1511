/**
 * Which `next` links the collector follows. A `next` link carries our credential to wherever it points, and a
 * stored one may have been tampered with, so only the org's own System Log path is followed.
 */
import { OktaApiError } from '../../core/errors.js';

/** The only path a `next` link may have: anything else could send our credential to another API. */
export const LOGS_PATH = '/api/v1/logs';

/**
 * `link` as a URL we may follow: absolute, the org's origin, `/api/v1/logs`, no user info.
 * @throws OktaApiError `FOREIGN_NEXT_LINK`, not retryable, not quoting the link.
 */
export function checkedNextLink(
  link: string,
  origin: string,
  answer: { readonly status: number; readonly requestId: string | undefined },
): URL {
  let url: URL | undefined;
  try {
    url = new URL(link);
  } catch {
    url = undefined;
  }
  if (url?.origin !== origin || url.pathname !== LOGS_PATH || url.username !== '' || url.password !== '') {
    // The link is not quoted: it is not ours to log, and a stored one may have been tampered with.
    throw new OktaApiError(`refusing a next link that does not point at ${origin}${LOGS_PATH}`, {
      status: answer.status,
      retryable: false,
      errorCode: 'FOREIGN_NEXT_LINK',
      requestId: answer.requestId,
    });
  }
  return url;
}

/** A `Link` target resolved against the request, as RFC 8288 says; a target that is no URL is left for the check. */
export function resolveLinkTarget(target: string, base: string): string {
  try {
    return new URL(target, base).href;
  } catch {
    return target; // not a URL: checkedNextLink refuses it
  }
}
