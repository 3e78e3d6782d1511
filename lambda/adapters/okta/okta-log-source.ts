/**
 * The Okta System Log (`GET /api/v1/logs`) as a {@link LogSource}: one request per page, pagination through
 * `Link: <...>; rel="next"`, failures classified for the core's retry loop (this adapter never retries a
 * transient failure itself; it only repeats a request when the authorizer asks, after a 401).
 */
import { OktaApiError, RateLimitedError } from '../../core/errors.js';
import type { FetchOptions, LogPage, LogSource, OktaEvent, PageRequest } from '../../core/ports.js';
import { ServedEvent } from '../../core/served-event.js';
import { readJsonObjectArray } from '../http/json-object-array.js';
import { failureCode, isNetworkFailure, redactedCause } from '../http/network-failure.js';
import { RequestDeadline } from '../http/request-deadline.js';
import { USER_AGENT } from '../http/user-agent.js';
import { parseLinks } from './link-header.js';
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

/** The only path a `next` link may have: anything else could send our credential to another API. */
const LOGS_PATH = '/api/v1/logs';
/** Okta's rate-limit window is one minute; without a usable Reset header, assume a whole window. */
const RATE_LIMIT_WINDOW_MS = 60_000;
/** Tries of one request, the first included, whatever the authorizer says (a guard against a loop). */
const MAX_AUTH_ATTEMPTS = 3;
/** Okta's error summaries are short; a longer one is cut so an error stays readable. */
const MAX_SUMMARY_CHARS = 200;

/** Okta's error body: `{"errorCode", "errorSummary", "errorLink", "errorId", "errorCauses"}`. */
interface OktaErrorBody {
  readonly errorCode: string | undefined;
  readonly errorSummary: string | undefined;
}

/**
 * Reads one System Log page per call. Events are returned as Okta's own text for each array element (validated
 * as JSON, never re-serialised; see `readJsonObjectArray`), so Sumo receives exactly what Okta served.
 * Errors: `RateLimitedError` (429), `OktaApiError` with `retryable` true for 5xx, 408, timeouts, broken
 * connections and malformed 200 bodies, false for 400 (Okta's code kept, the core recovers a stale `next`
 * with it), 401 after the authorizer gave up, 403, 404, other 4xx, redirects and foreign `next` links
 * (`errorCode` `FOREIGN_NEXT_LINK`, status 0 when refused before sending). A caller abort rethrows its reason.
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
    const url = 'next' in request ? this.checkedNextLink(request.next, 0, undefined) : this.startUrl(request);
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
      const secrets = Object.values(authHeaders).flatMap(credentialParts);
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
        throw this.failure(error, deadline, undefined, secrets);
      }
      let verdict: AuthVerdict;
      try {
        // Every response, not only 401s: DPoP servers hand out a new nonce on any of them.
        verdict = await this.options.authorizer.onResponse(response, attempt);
      } catch (error) {
        await discard(response);
        throw error;
      }
      if (!response.ok && verdict === 'retry' && attempt < MAX_AUTH_ATTEMPTS) {
        await discard(response);
        continue;
      }
      return response.ok
        ? this.page(response, url, deadline, secrets, options.onNext)
        : this.rejection(response, deadline, secrets);
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

  /** A `next` link we may follow: absolute, the org's origin, `/api/v1/logs`, no user info. */
  private checkedNextLink(link: string, status: number, requestId: string | undefined): URL {
    let url: URL | undefined;
    try {
      url = new URL(link);
    } catch {
      url = undefined;
    }
    if (
      url?.origin !== this.origin ||
      url.pathname !== LOGS_PATH ||
      url.username !== '' ||
      url.password !== ''
    ) {
      // The link is not quoted: it is not ours to log, and a stored one may have been tampered with.
      throw new OktaApiError(`refusing a next link that does not point at ${this.origin}${LOGS_PATH}`, {
        status,
        retryable: false,
        errorCode: 'FOREIGN_NEXT_LINK',
        requestId,
      });
    }
    return url;
  }

  private async page(
    response: Response,
    url: URL,
    deadline: RequestDeadline,
    secrets: string[],
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
          : this.checkedNextLink(resolve(nextTarget, response.url || url.href), response.status, requestId)
              .href;
    } catch (error) {
      await discard(response);
      throw error;
    }
    // The link is known before the body: the caller may send the next request while this page is parsed.
    if (next !== undefined) onNext?.(next, rateLimit);
    let body: Buffer;
    try {
      // Bytes, never a string: events go to Sumo as the bytes Okta served (see readJsonObjectArray).
      body = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      throw this.failure(error, deadline, requestId, secrets);
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

  private async rejection(response: Response, deadline: RequestDeadline, secrets: string[]): Promise<never> {
    const status = response.status;
    const requestId = requestIdOf(response);
    const rateLimit = readRateLimit(response.headers, this.clock.now());
    const body = await errorBody(response, deadline);
    const errorCode = body.errorCode;
    const code = errorCode === undefined ? `${status}` : `${status} ${errorCode}`;
    const summary = body.errorSummary === undefined ? '' : `: ${redact(body.errorSummary, secrets)}`;
    const details = { status, errorCode, requestId };

    if (status === 429) {
      const concurrent = rateLimit?.limit === 0 && rateLimit.remaining === 0;
      throw new RateLimitedError(
        concurrent
          ? `Okta refused a concurrent request to the System Log (${code})`
          : `Okta rate limit for the System Log reached (${code})`,
        {
          errorCode,
          requestId,
          concurrent,
          retryAt: rateLimit?.resetAt ?? this.clock.now() + RATE_LIMIT_WINDOW_MS,
        },
      );
    }
    if (status >= 500 || status === 408) {
      const hint = errorCode === 'E0000009' ? ' (the query timed out inside Okta)' : '';
      throw new OktaApiError(`Okta server error (${code})${hint}${summary}`, { ...details, retryable: true });
    }
    if (status === 400) {
      throw new OktaApiError(`Okta rejected the request (${code})${summary}`, {
        ...details,
        retryable: false,
      });
    }
    if (status === 401) {
      throw new OktaApiError(
        `Okta rejected the credential (${code})${summary}: check the API token or service app in the Okta secret (an API token expires after 30 days unused and dies with the admin who created it)`,
        { ...details, retryable: false },
      );
    }
    if (status === 403) {
      throw new OktaApiError(
        `Okta refused access to the System Log (${code})${summary}: the token/app lacks okta.logs.read or the admin role`,
        { ...details, retryable: false },
      );
    }
    if (status === 404) {
      throw new OktaApiError(
        `Okta answered ${code} for ${LOGS_PATH}: wrong org URL? (OKTA_ORG_URL must be the org's origin, e.g. https://acme.okta.com)`,
        { ...details, retryable: false },
      );
    }
    if (status >= 300 && status < 400) {
      throw new OktaApiError(
        `Okta answered with a redirect (${status}), which is not followed: set OKTA_ORG_URL to the org's own origin`,
        { ...details, retryable: false },
      );
    }
    throw new OktaApiError(`Okta rejected the request (${code})${summary}`, { ...details, retryable: false });
  }

  /** A request that got no (complete) answer. */
  private failure(
    error: unknown,
    deadline: RequestDeadline,
    requestId: string | undefined,
    secrets: string[],
  ): unknown {
    if (deadline.callerAborted) return deadline.callerReason;
    const cause = redactedCause(error, secrets);
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
}

function requestIdOf(response: Response): string | undefined {
  return response.headers.get('x-okta-request-id') ?? undefined;
}

/** The error body's code and summary, when it is Okta's JSON; an HTML page or a broken body gives neither. */
async function errorBody(response: Response, deadline: RequestDeadline): Promise<OktaErrorBody> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    if (deadline.callerAborted) throw deadline.callerReason;
    return { errorCode: undefined, errorSummary: undefined };
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null)
      return { errorCode: undefined, errorSummary: undefined };
    const { errorCode, errorSummary } = parsed as Record<string, unknown>;
    return {
      errorCode:
        typeof errorCode === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(errorCode) ? errorCode : undefined,
      errorSummary: typeof errorSummary === 'string' ? oneLine(errorSummary) : undefined,
    };
  } catch {
    return { errorCode: undefined, errorSummary: undefined };
  }
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_SUMMARY_CHARS ? `${flat.slice(0, MAX_SUMMARY_CHARS)}…` : flat;
}

/** Each credential-bearing header value and its token part (`SSWS abc` → `SSWS abc`, `abc`). */
function credentialParts(value: string): string[] {
  const space = value.indexOf(' ');
  return space < 0 ? [value] : [value, value.slice(space + 1)];
}

/** Okta never echoes a credential in an error summary; this makes sure of it before we quote one. */
function redact(text: string, secrets: readonly string[]): string {
  return secrets
    .filter((s) => s.length >= 4)
    .reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}

function resolve(target: string, base: string): string {
  try {
    return new URL(target, base).href;
  } catch {
    return target; // not a URL: checkedNextLink refuses it
  }
}

/** Lets go of a response body we will not read, so its connection is freed. */
async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Nothing to free.
  }
}
