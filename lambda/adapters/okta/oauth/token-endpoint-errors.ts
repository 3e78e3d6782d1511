/**
 * What a refused token request means for an operator. Okta's org authorization server answers with an OAuth
 * error body (`{"error","error_description"}`, RFC 6749 §5.2); the code decides the message, written by us.
 * Okta's description is only inspected for a hint that a time claim was refused (then the clock is to blame),
 * never quoted. Errors carry the status and the error code; nothing from the request.
 */
import { boundedQuote } from '../../../core/bounded-quote.js';
import { CredentialError, OktaApiError, RateLimitedError } from '../../../core/errors.js';
import { readRateLimit } from '../rate-limit-headers.js';
import { errorCode, readErrorFields } from '../error-body.js';

/**
 * A 2xx token response we cannot use: not JSON, unreadable, or without a usable `access_token`. Retryable (a
 * proxy's page or a cut connection usually passes). The message names the operation and the host and quotes
 * nothing of the body: a token response holds the access token, and a parser's message quotes what it read.
 */
export class TokenResponseError extends OktaApiError {
  public override readonly name: string = 'TokenResponseError';

  public constructor(problem: string, response: Response, tokenUrl: string, cause?: unknown) {
    const type = response.headers.get('content-type');
    super(
      `token response from ${new URL(tokenUrl).host} ${problem} (HTTP ${response.status}${type === null ? '' : `, content-type ${boundedQuote(type)}`}); the body is not quoted`,
      {
        status: response.status,
        retryable: true,
        errorCode: 'MALFORMED_TOKEN_RESPONSE',
        ...(cause === undefined ? {} : { cause }),
        ...requestIdOf(response),
      },
    );
  }
}

function requestIdOf(response: Response): { requestId?: string } {
  const requestId = response.headers.get('x-okta-request-id');
  return requestId === null ? {} : { requestId };
}

/** What we keep from a token endpoint's error answer. */
export interface TokenEndpointFailure {
  readonly status: number;
  readonly error: string | undefined;
  /** Okta's description mentions `iat`, `exp`, expiry or the future: a clock problem, not a key problem. */
  readonly mentionsTime: boolean;
  /** Our clock minus Okta's `Date` header, in seconds; `undefined` without a `Date` header. */
  readonly skewSeconds: number | undefined;
  readonly requestId: string | undefined;
  /** On our clock: when a 429's window resets. */
  readonly retryAt: number;
  readonly concurrent: boolean;
}

const TIME_WORDS = /\b(iat|exp|nbf|expired|expiration|future|clock|skew|too old|stale)\b/i;
/** A skew this large is worth naming: Okta allows only a little for `iat` in the future. */
const NOTABLE_SKEW_SECONDS = 30;
/** Without rate-limit headers, wait a minute: Okta's windows are one minute long. */
const DEFAULT_RETRY_MS = 60_000;

/** Reads a refused token response (consumes its body). */
export async function readTokenFailure(response: Response, now: number): Promise<TokenEndpointFailure> {
  const fields = (await readErrorFields(response)) ?? {};
  const description = typeof fields.error_description === 'string' ? fields.error_description : '';
  const date = Date.parse(response.headers.get('date') ?? '');
  // The token endpoint has its own Okta rate limit, reported with the same headers as the System Log's.
  const rateLimit = readRateLimit(response.headers, now);
  return {
    status: response.status,
    error: errorCode(fields.error),
    mentionsTime: TIME_WORDS.test(description),
    skewSeconds: Number.isNaN(date) ? undefined : Math.round((now - date) / 1000),
    requestId: response.headers.get('x-okta-request-id') ?? undefined,
    retryAt: rateLimit === undefined ? now + DEFAULT_RETRY_MS : Math.max(now, rateLimit.resetAt),
    concurrent: rateLimit !== undefined && rateLimit.limit === 0 && rateLimit.remaining === 0,
  };
}

/** The error to throw for a refused token request. */
export function tokenEndpointError(failure: TokenEndpointFailure): Error {
  const { status, error, requestId } = failure;
  const answer = `${status}${error === undefined ? '' : ` ${error}`}`;
  if (status === 429) {
    return new RateLimitedError(`Okta's token endpoint is rate limiting the service app (429)`, {
      retryAt: failure.retryAt,
      concurrent: failure.concurrent,
      ...(requestId === undefined ? {} : { requestId }),
    });
  }
  if (status >= 500) {
    return new OktaApiError(`Okta's token endpoint failed (${answer})`, {
      status,
      retryable: true,
      ...(error === undefined ? {} : { errorCode: error }),
      ...(requestId === undefined ? {} : { requestId }),
    });
  }
  if (error === 'use_dpop_nonce') {
    // Asked again after we sent the nonce it gave (it rotated in between), or asked without giving one: the
    // next attempt starts from whatever nonce Okta handed out last.
    return new OktaApiError(`Okta's token endpoint kept asking for a DPoP nonce (${answer})`, {
      status,
      retryable: true,
      errorCode: error,
      ...(requestId === undefined ? {} : { requestId }),
    });
  }
  const cause = new OktaApiError(`Okta's token endpoint answered ${answer}`, {
    status,
    retryable: false,
    ...(error === undefined ? {} : { errorCode: error }),
    ...(requestId === undefined ? {} : { requestId }),
  });
  return new CredentialError(`${explain(error, answer)}${clockHint(failure)}`, { cause });
}

/** True when Okta refused the client assertion itself: a rotated key may fix it, so the secret is worth re-reading. */
export function isClientRejection(error: unknown): boolean {
  return (
    error instanceof CredentialError &&
    error.cause instanceof OktaApiError &&
    error.cause.errorCode === 'invalid_client'
  );
}

function explain(error: string | undefined, answer: string): string {
  switch (error) {
    case 'invalid_client':
      return `Okta rejected the service app's client assertion (${answer}): unknown client id, or the public key registered in Okta does not match the private key / kid`;
    case 'invalid_scope':
      return `Okta refused the scope okta.logs.read (${answer}): grant okta.logs.read to the app (Okta API Scopes tab)`;
    case 'unauthorized_client':
      return `Okta does not allow this app the client credentials grant (${answer}): use an API Services app with public key / private key client authentication`;
    case 'invalid_dpop_proof':
      return `Okta rejected the DPoP proof of the token request (${answer})`;
    default:
      return `Okta's token endpoint refused the service app (${answer})`;
  }
}

function clockHint(failure: TokenEndpointFailure): string {
  const skew = failure.skewSeconds;
  if (skew !== undefined && Math.abs(skew) >= NOTABLE_SKEW_SECONDS) {
    return `; this host's clock is ${Math.abs(skew)} s ${skew > 0 ? 'ahead of' : 'behind'} Okta's: check the clock`;
  }
  return failure.mentionsTime ? `; Okta refused a time claim (iat/exp): check the clock` : '';
}
