/**
 * Named errors. Each carries what an operator needs (status, Okta request id, errorCode) and never a
 * credential: messages are written by us, never copied from a URL or a header that may hold a secret.
 */

/** Invalid configuration or input: fatal, names the variable or field and what is wrong with it. */
export class ConfigError extends Error {
  public override readonly name = 'ConfigError';
  public readonly retryable = false;
}

/** A replay request that cannot be run (bad window, unknown key...). */
export class ReplayRequestError extends Error {
  public override readonly name = 'ReplayRequestError';
  public readonly retryable = false;
}

/** A credential that cannot be read or used (missing secret, malformed secret, rejected key). */
export class CredentialError extends Error {
  public override readonly name = 'CredentialError';
  public readonly retryable = false;
}

export interface OktaApiErrorDetails {
  /** HTTP status; 0 when no response arrived (network error, timeout). */
  readonly status: number;
  readonly retryable: boolean;
  readonly errorCode?: string;
  /** `X-Okta-Request-Id`, to quote to Okta support. */
  readonly requestId?: string;
  readonly cause?: unknown;
}

/** Okta answered with an error, or not at all. */
export class OktaApiError extends Error {
  public override readonly name: string = 'OktaApiError';
  public readonly status: number;
  public readonly retryable: boolean;
  public readonly errorCode: string | undefined;
  public readonly requestId: string | undefined;

  public constructor(message: string, details: OktaApiErrorDetails) {
    super(message, { cause: details.cause });
    this.status = details.status;
    this.retryable = details.retryable;
    this.errorCode = details.errorCode;
    this.requestId = details.requestId;
  }
}

/** Okta answered 429: wait until `retryAt` (our clock) before asking again. */
export class RateLimitedError extends OktaApiError {
  public override readonly name = 'RateLimitedError';
  /** Epoch ms on our clock when the window resets (from `X-Rate-Limit-Reset` and `Date`). */
  public readonly retryAt: number;
  /** True for Okta's concurrent-request limit (Limit 0, Remaining 0): back off briefly, do not wait for the window. */
  public readonly concurrent: boolean;

  public constructor(
    message: string,
    details: Omit<OktaApiErrorDetails, 'status' | 'retryable'> & { retryAt: number; concurrent: boolean },
  ) {
    super(message, { ...details, status: 429, retryable: true });
    this.retryAt = details.retryAt;
    this.concurrent = details.concurrent;
  }
}

export interface SumoDeliveryErrorDetails {
  /** HTTP status; 0 when no response arrived. */
  readonly status: number;
  readonly retryable: boolean;
  readonly cause?: unknown;
}

/** Sumo did not accept a batch. The cursor does not move past it. */
export class SumoDeliveryError extends Error {
  public override readonly name = 'SumoDeliveryError';
  public readonly status: number;
  public readonly retryable: boolean;

  public constructor(message: string, details: SumoDeliveryErrorDetails) {
    super(message, { cause: details.cause });
    this.status = details.status;
    this.retryable = details.retryable;
  }
}

/** Another invocation took the lease or changed the cursor: this run stops without writing. */
export class CursorConflictError extends Error {
  public override readonly name = 'CursorConflictError';
  public readonly retryable = false;
}

/** True when the error says trying again may succeed. Unknown errors are not retried. */
export function isRetryable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === true;
}

/** An event Sumo refused could not be written to the undeliverable-events bucket: fatal after retries. */
export class UndeliverableStoreError extends Error {
  public override readonly name = 'UndeliverableStoreError';
  public readonly retryable: boolean;

  public constructor(message: string, details: { readonly retryable: boolean; readonly cause?: unknown }) {
    super(message, { cause: details.cause });
    this.retryable = details.retryable;
  }
}
