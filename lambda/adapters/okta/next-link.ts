/**
 * Which `next` links the collector follows. A `next` link carries our credential to wherever it points, and a
 * stored one may have been tampered with, so only the org's own System Log path is followed.
 */
import { CursorRejectedError, OktaApiError } from '../../core/errors.js';

/** The only path a `next` link may have: anything else could send our credential to another API. */
export const LOGS_PATH = '/api/v1/logs';

/**
 * `link` as a URL we may follow: absolute, the org's origin, `/api/v1/logs`, no user info.
 * @param answer the response whose `Link` header named it, or `'stored'` for a cursor's link (checked before
 * anything is sent).
 * @throws CursorRejectedError `FOREIGN_NEXT_LINK` (status 0) for a stored link: the core restarts further back.
 * @throws OktaApiError `FOREIGN_NEXT_LINK`, not retryable, for a link Okta's answer named. Neither quotes the link.
 */
export function checkedNextLink(
  link: string,
  origin: string,
  answer: { readonly status: number; readonly requestId: string | undefined } | 'stored',
): URL {
  let url: URL | undefined;
  try {
    url = new URL(link);
  } catch {
    url = undefined;
  }
  if (url?.origin !== origin || url.pathname !== LOGS_PATH || url.username !== '' || url.password !== '') {
    // The link is not quoted: it is not ours to log, and a stored one may have been tampered with.
    const message = `refusing a next link that does not point at ${origin}${LOGS_PATH}`;
    if (answer === 'stored')
      throw new CursorRejectedError(message, { status: 0, errorCode: 'FOREIGN_NEXT_LINK' });
    throw new OktaApiError(message, {
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
