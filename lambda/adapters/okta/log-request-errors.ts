/**
 * What a failed System Log request means, as the errors the core's retry loop reads: `RateLimitedError` for
 * 429, `OktaApiError` with `retryable` true for 5xx, 408, timeouts and broken connections, false for the rest.
 * Messages are ours: Okta's `errorSummary` is quoted one line long, bounded, with our credentials redacted.
 */
import { OktaApiError, RateLimitedError } from '../../core/errors.js';
import { failureCode, isNetworkFailure, redactedCause } from '../http/network-failure.js';
import { redact } from '../http/redaction.js';
import type { RequestDeadline } from '../http/request-deadline.js';
import { errorCode, readErrorFields } from './error-body.js';
import { LOGS_PATH } from './next-link.js';
import { readRateLimit } from './rate-limit-headers.js';

/** Okta's rate-limit window is one minute; without a usable Reset header, assume a whole window. */
const RATE_LIMIT_WINDOW_MS = 60_000;
/** Okta's error summaries are short; a longer one is cut so an error stays readable. */
const MAX_SUMMARY_CHARS = 200;

/** What the request was sent with: to tell a caller's abort apart, and the credentials to keep out of messages. */
export interface SentRequest {
  readonly deadline: RequestDeadline;
  readonly secrets: readonly string[];
}

/** Okta's `X-Okta-Request-Id`, which Okta support asks for. */
export function requestIdOf(response: Response): string | undefined {
  return response.headers.get('x-okta-request-id') ?? undefined;
}

/**
 * The error for a non-2xx answer (consumes its body). A caller abort while the body is read rethrows the
 * caller's reason.
 */
export async function rejectionError(response: Response, sent: SentRequest, now: number): Promise<Error> {
  const status = response.status;
  const requestId = requestIdOf(response);
  const rateLimit = readRateLimit(response.headers, now);
  const fields = await readErrorFields(response);
  if (fields === undefined && sent.deadline.callerAborted) throw sent.deadline.callerReason;
  const code = errorCode(fields?.errorCode);
  const answer = code === undefined ? `${status}` : `${status} ${code}`;
  const summary =
    typeof fields?.errorSummary === 'string' ? `: ${redact(oneLine(fields.errorSummary), sent.secrets)}` : '';
  const details = { status, errorCode: code, requestId, retryable: false };

  if (status === 429) {
    const concurrent = rateLimit?.limit === 0 && rateLimit.remaining === 0;
    return new RateLimitedError(
      concurrent
        ? `Okta refused a concurrent request to the System Log (${answer})`
        : `Okta rate limit for the System Log reached (${answer})`,
      { errorCode: code, requestId, concurrent, retryAt: rateLimit?.resetAt ?? now + RATE_LIMIT_WINDOW_MS },
    );
  }
  if (status >= 500 || status === 408) {
    const hint = code === 'E0000009' ? ' (the query timed out inside Okta)' : '';
    return new OktaApiError(`Okta server error (${answer})${hint}${summary}`, {
      ...details,
      retryable: true,
    });
  }
  if (status === 401) {
    return new OktaApiError(
      `Okta rejected the credential (${answer})${summary}: check the API token or service app in the Okta secret (an API token expires after 30 days unused and dies with the admin who created it)`,
      details,
    );
  }
  if (status === 403) {
    return new OktaApiError(
      `Okta refused access to the System Log (${answer})${summary}: the token/app lacks okta.logs.read or the admin role`,
      details,
    );
  }
  if (status === 404) {
    return new OktaApiError(
      `Okta answered ${answer} for ${LOGS_PATH}: wrong org URL? (OKTA_ORG_URL must be the org's origin, e.g. https://acme.okta.com)`,
      details,
    );
  }
  if (status >= 300 && status < 400) {
    return new OktaApiError(
      `Okta answered with a redirect (${status}), which is not followed: set OKTA_ORG_URL to the org's own origin`,
      details,
    );
  }
  // 400 (Okta's code kept: the core recovers a stale `next` with it) and any other 4xx.
  return new OktaApiError(`Okta rejected the request (${answer})${summary}`, details);
}

/** The error for a request that got no (complete) answer; a caller abort gives the caller's own reason. */
export function transportError(error: unknown, sent: SentRequest, requestId: string | undefined): unknown {
  const { deadline } = sent;
  if (deadline.callerAborted) return deadline.callerReason;
  const cause = redactedCause(error, sent.secrets);
  if (deadline.timedOut) {
    return new OktaApiError(`Okta did not answer within ${deadline.timeoutMs} ms`, {
      status: 0,
      retryable: true,
      errorCode: 'TIMEOUT',
      requestId,
      cause,
    });
  }
  const networkFailure = isNetworkFailure(error);
  const code = failureCode(error);
  return new OktaApiError(
    networkFailure
      ? `could not reach Okta or the connection broke${code === undefined ? '' : ` (${code})`}`
      : 'could not send the request to Okta',
    { status: 0, retryable: networkFailure, errorCode: code ?? 'NETWORK_ERROR', requestId, cause },
  );
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_SUMMARY_CHARS ? `${flat.slice(0, MAX_SUMMARY_CHARS)}…` : flat;
}
