/**
 * Programmable failures of `/api/v1/logs` requests, one per request (queued or by seeded chance, see
 * `../faults.ts`), and the answers Okta (or what stands in front of it) gives in each case.
 */
import type { ServerResponse } from 'node:http';
import { OktaHttpError, invalidToken, rateLimited } from './okta-error.js';
import { rateLimitHeaders, type RateLimitBucket } from './rate-limit-bucket.js';

/**
 * One programmed failure of a `/api/v1/logs` request. Faults fire after authentication and the rate-limit
 * bucket (so an injected fault still carries real `X-Rate-Limit-*` headers), one per request.
 */
export type OktaFault =
  /** No fault: a placeholder in a queue ("the third request fails"). */
  | { readonly kind: 'pass' }
  /** 429 `E0000047` with Limit n / Remaining 0 and `X-Rate-Limit-Reset` `resetInSeconds` from now (default: the window's reset). */
  | { readonly kind: 'rate-limit'; readonly resetInSeconds?: number }
  /** Okta's concurrent-request 429: `X-Rate-Limit-Limit: 0`, `X-Rate-Limit-Remaining: 0`. */
  | { readonly kind: 'concurrent-limit' }
  /** 500 `E0000009`: Okta's answer when a query exceeds its 30 s internal timeout. */
  | { readonly kind: 'server-error' }
  /** 503 with an HTML body, as a load balancer in front of Okta answers. */
  | { readonly kind: 'unavailable' }
  /** Headers (with a full `Content-Length` and the `next` link) and part of the body, then the socket is destroyed. */
  | {
      readonly kind: 'reset-mid-body';
      /** Fraction of the body sent first. @default 0.5 */ readonly fraction?: number;
    }
  /** 200 with the real `Link` headers and a truncated JSON body: a client must not advance past it. */
  | { readonly kind: 'malformed-json' }
  /** Waits, then serves normally (the page reflects events produced during the wait). */
  | { readonly kind: 'slow'; readonly delayMs: number }
  /** Never answers (until the client gives up or the simulator stops). */
  | { readonly kind: 'hang' }
  /** 200 `[]` with a `next` link to the same position, as Okta does when nothing new is visible yet. */
  | { readonly kind: 'empty-page' }
  /**
   * Serves the real page, but its `next` link is the request's own position (an Okta that makes no progress):
   * following it returns the same page again.
   */
  | { readonly kind: 'stuck-page' }
  /** Serves the real page but its `next` link points at another origin. @default origin 'https://attacker.example' */
  | { readonly kind: 'foreign-next'; readonly origin?: string }
  /** An Okta error answer: 401 `E0000011`, 403 `E0000006`, 404 `E0000007`. */
  | { readonly kind: 'status'; readonly status: 401 | 403 | 404 };

export type OktaFaultKind = OktaFault['kind'];

/** An error answer a fault gives instead of the page, with the `X-Rate-Limit-*` headers it carries. */
export interface FaultError {
  readonly error: OktaHttpError;
  /** Replaces the bucket's real headers (a 429's own Limit / Remaining / Reset). */
  readonly rateHeaders?: Record<string, string>;
}

const STATUS_ERRORS = {
  401: ['E0000011', 'Invalid token provided'],
  403: ['E0000006', 'You do not have permission to perform the requested action'],
  404: ['E0000007', 'Not found: Resource not found: logs (Resource)'],
} as const;

/** 503 from a load balancer in front of Okta: HTML, not Okta's JSON. */
export const UNAVAILABLE_HTML =
  '<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1><p>The server is temporarily unable to service your request. Please try again later.</p></body></html>';

/** Okta's concurrent-request 429 reports Limit 0 and Remaining 0 (FACTS.md). */
export function concurrentLimit(
  bucket: RateLimitBucket,
  at: number,
): FaultError & { rateHeaders: Record<string, string> } {
  return { error: rateLimited(), rateHeaders: rateLimitHeaders(0, 0, bucket.resetAfter(at)) };
}

/** The Okta error a fault answers with, or undefined for faults that serve (or withhold) a page. */
export function faultError(
  fault: OktaFault | undefined,
  bucket: RateLimitBucket,
  at: number,
): FaultError | undefined {
  switch (fault?.kind) {
    case 'rate-limit': {
      const resetAt =
        fault.resetInSeconds === undefined ? bucket.resetAfter(at) : at + fault.resetInSeconds * 1000;
      // An injected 429 on an unlimited bucket still needs a plausible limit: Enterprise's 50.
      const limit = bucket.limit > 0 ? bucket.limit : 50;
      return { error: rateLimited(), rateHeaders: rateLimitHeaders(limit, 0, resetAt) };
    }
    case 'concurrent-limit':
      return concurrentLimit(bucket, at);
    case 'server-error':
      return {
        error: new OktaHttpError(
          500,
          'E0000009',
          "Your last request took too long to complete. This is likely due to a load issue on our side. We've logged this and will work to address it. Please either simplify your query or wait a few minutes and try again.",
        ),
      };
    case 'status': {
      if (fault.status === 401) return { error: invalidToken() };
      const [code, summary] = STATUS_ERRORS[fault.status];
      return { error: new OktaHttpError(fault.status, code, summary) };
    }
    default:
      return undefined;
  }
}

/** `malformed-json`: half the page (or the start of an event when the page is empty), not valid JSON. */
export function truncatedBody(body: string): string {
  return body.length > 2 ? body.slice(0, Math.max(2, Math.floor(body.length / 2))) : '[{"uuid":';
}

/** `reset-mid-body`: the full `Content-Length` and part of the body, then the socket is destroyed. */
export function resetMidBody(
  res: ServerResponse,
  headers: Record<string, string | string[]>,
  body: string,
  fraction = 0.5,
): void {
  const buffer = Buffer.from(body, 'utf8');
  const part = buffer.subarray(0, Math.floor(buffer.length * Math.min(Math.max(fraction, 0), 1)));
  res.writeHead(200, { ...headers, 'Content-Length': String(buffer.length) });
  res.write(part, () => res.socket?.destroy());
}
