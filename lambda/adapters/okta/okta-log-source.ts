/**
 * The Okta System Log (`GET /api/v1/logs`) as a {@link LogSource}: one request per page, pagination through
 * `Link: <...>; rel="next"`, failures classified for the core's retry loop (this adapter never retries a
 * transient failure itself; it only repeats a request when the authorizer asks, after a 401).
 */
import { OktaApiError } from '../../core/errors.js';
import type { FetchOptions, LogPage, LogSource, OktaEvent, PageRequest } from '../../core/ports.js';
import { ServedEvent } from '../../core/served-event.js';
import { discardBody } from '../http/discard-body.js';
import { readJsonObjectArray } from '../http/json-object-array.js';
import { credentialParts } from '../http/redaction.js';
import { RequestDeadline } from '../http/request-deadline.js';
import { USER_AGENT } from '../http/user-agent.js';
import { parseLinks } from './link-header.js';
import { rejectionError, requestIdOf, transportError, type SentRequest } from './log-request-errors.js';
import { LOGS_PATH, checkedNextLink, resolveLinkTarget } from './next-link.js';
import type { AuthVerdict, OktaAuthorizer } from './okta-authorizer.js';
import { readRateLimit } from './rate-limit-headers.js';

/** Constructor options of {@link OktaLogSource}. */
export interface OktaLogSourceOptions {
  /** The org's origin, e.g. `https://acme.okta.com` (as `Config.oktaOrgUrl`). */
  readonly orgUrl: string;
  /** `limit` of each start request (1–1000); `next` links carry Okta's own. */
  readonly pageLimit: number;
  readonly authorizer: OktaAuthorizer;
  /**
   * Each HTTP request (headers and body) is abandoned after this long, as a retryable failure. A request
   * repeated after a 401 gets its own timeout; the caller's signal bounds them all.
   */
  readonly requestTimeoutMs: number;
  /**
   * Our clock, to translate `X-Rate-Limit-Reset` into `resetAt` / `retryAt`.
   * @default Date
   */
  readonly clock?: { now(): number };
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default `okta-sumo-collector/<version> node/<version>` */
  readonly userAgent?: string;
}

/** Tries of one request, the first included, whatever the authorizer says (a guard against a loop). */
const MAX_AUTH_ATTEMPTS = 3;

/**
 * Reads one System Log page per call. Events are returned as Okta's own text for each array element (validated
 * as JSON, never re-serialised; see `readJsonObjectArray`), so Sumo receives exactly what Okta served.
 * Errors (see `log-request-errors.ts`): `RateLimitedError` (429), `OktaApiError` with `retryable` true for 5xx,
 * 408, timeouts, broken connections and malformed 200 bodies, false for 400 (Okta's code kept, the core
 * recovers a stale `next` with it), 401 after the authorizer gave up, 403, 404, other 4xx, redirects and
 * foreign `next` links (`FOREIGN_NEXT_LINK`, status 0 when refused before sending). A caller abort rethrows
 * its reason.
 */
export class OktaLogSource implements LogSource {
  private readonly origin: string;
  private readonly fetch: typeof fetch;
  private readonly clock: { now(): number };
  private readonly userAgent: string;

  public constructor(private readonly options: OktaLogSourceOptions) {
    this.origin = new URL(options.orgUrl).origin;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.clock = options.clock ?? Date;
    this.userAgent = options.userAgent ?? USER_AGENT;
  }

  public async fetchPage(request: PageRequest, options: FetchOptions): Promise<LogPage> {
    // Checked before anything is sent, so no credential ever goes to a foreign origin.
    const url =
      'next' in request
        ? checkedNextLink(request.next, this.origin, { status: 0, requestId: undefined })
        : this.startUrl(request);
    for (let attempt = 1; ; attempt++) {
      const deadline = new RequestDeadline(options.signal, this.options.requestTimeoutMs);
      const authHeaders = await this.options.authorizer.headersFor({
        method: 'GET',
        url,
        signal: deadline.signal,
      });
      const headers: Record<string, string> = {
        Accept: 'application/json',
        'User-Agent': this.userAgent,
        ...authHeaders,
      };
      if (options.retry) {
        // As Okta's SDKs do after a 429, so Okta can tie the retry to the request it throttled.
        headers['X-Okta-Retry-For'] = options.retry.retryFor;
        headers['X-Okta-Retry-Count'] = String(options.retry.retryCount);
      }
      const sent: SentRequest = { deadline, secrets: Object.values(authHeaders).flatMap(credentialParts) };
      let response: Response;
      try {
        // `redirect: 'manual'`: a redirect would carry the DPoP proof (bound to this URL) or the token elsewhere.
        response = await this.fetch(url, {
          method: 'GET',
          headers,
          signal: deadline.signal,
          redirect: 'manual',
        });
      } catch (error) {
        throw transportError(error, sent, undefined);
      }
      let verdict: AuthVerdict;
      try {
        // Every response, not only 401s: DPoP servers hand out a new nonce on any of them.
        verdict = await this.options.authorizer.onResponse(response, attempt);
      } catch (error) {
        await discardBody(response);
        throw error;
      }
      if (!response.ok && verdict === 'retry' && attempt < MAX_AUTH_ATTEMPTS) {
        await discardBody(response);
        continue;
      }
      if (response.ok) return this.page(response, url, sent, options.onNext);
      throw await rejectionError(response, sent, this.clock.now());
    }
  }

  private startUrl(request: {
    readonly since: string;
    readonly until?: string;
    readonly filter?: string;
  }): URL {
    // encodeURIComponent rather than URLSearchParams: a filter's spaces go as %20, not '+', which some
    // servers (and proxies) do not read as a space in a query.
    const query = [`since=${encodeURIComponent(request.since)}`];
    if (request.until !== undefined) query.push(`until=${encodeURIComponent(request.until)}`);
    if (request.filter !== undefined) query.push(`filter=${encodeURIComponent(request.filter)}`);
    query.push(`limit=${this.options.pageLimit}`, 'sortOrder=ASCENDING');
    return new URL(`${this.origin}${LOGS_PATH}?${query.join('&')}`);
  }

  private async page(
    response: Response,
    url: URL,
    sent: SentRequest,
    onNext: FetchOptions['onNext'],
  ): Promise<LogPage> {
    const requestId = requestIdOf(response);
    // Read on arrival of the headers: a slow body must not make the window look later than Okta meant.
    const rateLimit = readRateLimit(response.headers, this.clock.now());
    // Relative targets are resolved against the request, as RFC 8288 says; then checked like a stored link.
    const nextTarget = parseLinks(response.headers.get('link')).get('next');
    let next: string | undefined;
    try {
      next =
        nextTarget === undefined
          ? undefined
          : checkedNextLink(resolveLinkTarget(nextTarget, response.url || url.href), this.origin, {
              status: response.status,
              requestId,
            }).href;
    } catch (error) {
      await discardBody(response);
      throw error;
    }
    // The link is known before the body: the caller may send the next request while this page is parsed.
    if (next !== undefined) onNext?.(next, rateLimit);
    let body: Buffer;
    try {
      // Bytes, never a string: events go to Sumo as the bytes Okta served (see readJsonObjectArray).
      body = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      throw transportError(error, sent, requestId);
    }
    const read = readJsonObjectArray(body, 'published');
    if (read === undefined) {
      // A truncated or malformed body, or a proxy's HTML page: asking again usually gets the real page.
      throw new OktaApiError(
        `Okta answered ${response.status} but the response was not a JSON array of events`,
        {
          status: response.status,
          retryable: true,
          errorCode: 'MALFORMED_RESPONSE',
          requestId,
        },
      );
    }
    const events: OktaEvent[] = new Array<OktaEvent>(read.elements.length);
    for (let k = 0; k < events.length; k++) events[k] = new ServedEvent(read.elements[k]!, read.fields[k]);
    // The limit this request asked for: a followed `next` link keeps the one of the query it continues.
    const limit = Number(url.searchParams.get('limit'));
    return { events, next, rateLimit, ...(Number.isInteger(limit) && limit > 0 ? { limit } : {}) };
  }
}
