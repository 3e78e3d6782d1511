/**
 * The Sumo Logic HTTP Logs Source as a {@link LogSink}: one gzip-compressed POST per batch.
 *
 * The source URL embeds the source's token, so it is a credential: it is read from SSM through a
 * {@link CredentialProvider}, re-read once when Sumo says it is no longer valid (regenerated, source
 * deleted), and never appears in a message, a log or an error (not even its host and path; undici's own
 * errors can quote URLs, so their copies attached as `cause` are redacted).
 */
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { SumoOptions } from '../../config.js';
import { ConfigError, SumoDeliveryError } from '../../core/errors.js';
import type { Batch, LogSink, SendOptions } from '../../core/ports.js';
import { schemeProblem } from '../../core/url-policy.js';
import type { CredentialProvider } from '../credentials.js';
import { failureCode, isNetworkFailure, redactedCause } from '../http/network-failure.js';
import { RequestDeadline } from '../http/request-deadline.js';
import { USER_AGENT } from '../http/user-agent.js';

const gzip = promisify(gzipCallback);

/**
 * zlib level 1. Measured on ~1 MB of NDJSON Okta events (`npm run bench`, gzip rows): level 1 takes ~4 ms of
 * CPU for 11.2 % of the size, level 6 (zlib's default) ~8 ms for 9.7 %. A 1,000-event page is 2–3 batches
 * and the collector's whole per-page CPU target is 20 ms, so the 15 % larger upload is the better trade.
 */
export const DEFAULT_GZIP_LEVEL = 1;

/** Constructor options of {@link SumoHttpSink}. */
export interface SumoHttpSinkOptions {
  /** The HTTP Source URL (from the SSM SecureString named by `SUMO_URL_PARAMETER`). */
  readonly url: CredentialProvider<URL>;
  /** Category, name, host and fields sent as `X-Sumo-*` headers (`Config.sumo`). */
  readonly options: SumoOptions;
  /** Each POST is abandoned after this long, as a retryable failure. */
  readonly requestTimeoutMs: number;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /**
   * zlib compression level, 1 (fastest) to 9 (smallest).
   * @default DEFAULT_GZIP_LEVEL (1)
   */
  readonly gzipLevel?: number;
  /** @default `okta-sumo-collector/<version> node/<version>` */
  readonly userAgent?: string;
}

/**
 * Posts each batch once (twice when the URL had to be re-read). Resolves on 2xx. Errors: `SumoDeliveryError`,
 * `retryable` for 408, 429, 5xx, timeouts and broken connections; not retryable for 401/403/404 after a
 * re-read of the URL, other 4xx, redirects and a URL that is not https://. A caller abort rethrows its reason.
 */
export class SumoHttpSink implements LogSink {
  private readonly fetch: typeof fetch;
  private readonly level: number;
  private readonly baseHeaders: Readonly<Record<string, string>>;

  public constructor(private readonly options: SumoHttpSinkOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.level = options.gzipLevel ?? DEFAULT_GZIP_LEVEL;
    if (!Number.isInteger(this.level) || this.level < 1 || this.level > 9) {
      throw new RangeError('gzipLevel must be a whole number from 1 to 9');
    }
    const { category, name, host } = options.options;
    headerSafe('SUMO_SOURCE_CATEGORY', category);
    headerSafe('SUMO_SOURCE_NAME', name);
    headerSafe('SUMO_SOURCE_HOST', host);
    this.baseHeaders = {
      // Any Content-Type other than Sumo's metric types (application/vnd.sumologic.*) is ingested as logs.
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Encoding': 'gzip',
      'User-Agent': options.userAgent ?? USER_AGENT,
      'X-Sumo-Category': category,
      ...(name === undefined ? {} : { 'X-Sumo-Name': name }),
      ...(host === undefined ? {} : { 'X-Sumo-Host': host }),
    };
  }

  public async send(batch: Batch, options: SendOptions): Promise<void> {
    // Compressed once: a retry after a URL refresh sends the same bytes. Async zlib keeps the event loop free.
    const body = await gzip(batch.body, { level: this.level });
    const headers = {
      ...this.baseHeaders,
      ...fieldsHeader({ ...this.options.options.fields, ...options.fields }),
      ...(options.category === undefined ? {} : { 'X-Sumo-Category': options.category }),
    };
    let url = await this.options.url.get();
    for (let attempt = 1; ; attempt++) {
      const status = await this.post(url, body, headers, options.signal);
      if (status >= 200 && status < 300) return;
      if (isRejectedUrl(status) && attempt === 1) {
        // Sumo answers 401/404 for a regenerated URL or a deleted source: the SSM parameter may already hold
        // the new URL. Read it again and try once more; a second rejection is for an operator to fix.
        url = await this.options.url.refresh();
        continue;
      }
      throw rejection(status);
    }
  }

  /** POSTs once; resolves with the HTTP status, throws when no answer arrived. */
  private async post(
    url: URL,
    body: Buffer,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<number> {
    const problem = schemeProblem(url);
    if (problem) {
      throw new SumoDeliveryError(`the Sumo Logic HTTP Source URL in SSM ${problem}`, {
        status: 0,
        retryable: false,
      });
    }
    const deadline = new RequestDeadline(signal, this.options.requestTimeoutMs);
    try {
      // `redirect: 'manual'`: the body and the URL's token go only where SSM says.
      const response = await this.fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: deadline.signal,
        redirect: 'manual',
      });
      // Read the (small) answer to the end so the connection can be reused for the next batch.
      await response.arrayBuffer().catch(() => undefined);
      return response.status;
    } catch (error) {
      if (deadline.callerAborted) throw deadline.callerReason;
      const cause = redactedCause(error, urlSecrets(url));
      if (deadline.timedOut) {
        throw new SumoDeliveryError(`Sumo Logic did not answer within ${deadline.timeoutMs} ms`, {
          status: 0,
          retryable: true,
          cause,
        });
      }
      const networkFailure = isNetworkFailure(error);
      const code = failureCode(error);
      throw new SumoDeliveryError(
        networkFailure
          ? `could not reach Sumo Logic or the connection broke${code === undefined ? '' : ` (${code})`}`
          : 'could not send the batch to Sumo Logic',
        { status: 0, retryable: networkFailure, cause },
      );
    }
  }
}

/**
 * fetch refuses header values with line breaks or characters beyond Latin-1, with an error that would only say
 * "could not send": say which setting is wrong instead, before the first batch.
 */
function headerSafe(variable: string, value: string | undefined): void {
  if (value !== undefined && !/^[\x20-\x7e\xa0-\xff]*$/.test(value)) {
    throw new ConfigError(`${variable} holds characters an HTTP header cannot carry (use printable ASCII)`);
  }
}

/** `X-Sumo-Fields: k=v,k=v` (Sumo drops fields not in the account's schema), or nothing when there are none. */
function fieldsHeader(fields: Readonly<Record<string, string>>): Record<string, string> {
  const entries = Object.entries(fields);
  return entries.length === 0
    ? {}
    : { 'X-Sumo-Fields': entries.map(([key, value]) => `${key}=${value}`).join(',') };
}

/** Statuses by which Sumo says the URL itself is not (or no longer) valid. */
function isRejectedUrl(status: number): boolean {
  return status === 401 || status === 403 || status === 404;
}

function rejection(status: number): SumoDeliveryError {
  if (isRejectedUrl(status)) {
    return new SumoDeliveryError(
      `Sumo Logic rejected the HTTP Source URL (${status}), also after reading it again: the source may have been deleted or its URL regenerated; put the current URL in the SSM parameter named by SUMO_URL_PARAMETER`,
      { status, retryable: false },
    );
  }
  if (status === 429) {
    // Sumo: throttled data "will be dropped, the client must re-send".
    return new SumoDeliveryError('Sumo Logic throttled the upload (429)', { status, retryable: true });
  }
  if (status === 408) {
    // Sumo: the request took over 30 s and may be partly ingested; re-sending risks duplicates, never loss.
    return new SumoDeliveryError('Sumo Logic timed out receiving the batch (408)', {
      status,
      retryable: true,
    });
  }
  if (status >= 500) {
    return new SumoDeliveryError(`Sumo Logic server error (${status})`, { status, retryable: true });
  }
  if (status >= 300 && status < 400) {
    return new SumoDeliveryError(
      `Sumo Logic answered with a redirect (${status}), which is not followed: check the URL in the SSM parameter named by SUMO_URL_PARAMETER`,
      { status, retryable: false },
    );
  }
  return new SumoDeliveryError(`Sumo Logic refused the batch (${status})`, { status, retryable: false });
}

/** Everything of the URL that an error message must not show: the whole, its host and path, its token. */
function urlSecrets(url: URL): string[] {
  const segments = url.pathname.split('/').filter((segment) => segment.length >= 8);
  return [
    url.href,
    `${url.host}${url.pathname}`,
    url.pathname,
    url.host,
    url.search,
    ...segments,
    ...segments.map(safeDecode),
  ];
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
