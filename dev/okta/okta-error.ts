/** Okta's error answers: a status, an `errorCode` and Okta's JSON error body. */

/** An answer in Okta's error shape, thrown by request parsing and turned into a response by the server. */
export class OktaHttpError extends Error {
  public constructor(
    public readonly status: number,
    public readonly errorCode: string,
    summary: string,
    public readonly causes: readonly string[] = [],
  ) {
    super(summary);
    this.name = 'OktaHttpError';
  }
}

/** Okta's error body: `{"errorCode", "errorSummary", "errorLink", "errorId", "errorCauses": []}`. */
export function errorBody(
  errorCode: string,
  summary: string,
  errorId: string,
  causes: readonly string[] = [],
): string {
  return JSON.stringify({
    errorCode,
    errorSummary: summary,
    errorLink: errorCode,
    errorId,
    errorCauses: causes.map((c) => ({ errorSummary: c })),
  });
}

/** Okta's 400 `E0000001` for a parameter it refuses. */
export const badRequest = (summary: string, causes: readonly string[] = []): OktaHttpError =>
  new OktaHttpError(400, 'E0000001', `Api validation failed: ${summary}`, causes);

/** The 429 both the bucket and the concurrency limit answer (`X-Rate-Limit-*` headers say which). */
export const rateLimited = (): OktaHttpError =>
  new OktaHttpError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.');

/** 401 `E0000011`: a missing, wrong or revoked API token. */
export const invalidToken = (): OktaHttpError => new OktaHttpError(401, 'E0000011', 'Invalid token provided');
