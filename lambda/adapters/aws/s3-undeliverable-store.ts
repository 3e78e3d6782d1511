/**
 * The undeliverable-events bucket (`UNDELIVERABLE_BUCKET_NAME`, interface 9): one S3 object per event Sumo
 * refused on its own, body = the event's exact NDJSON line (as Okta served it, no newline added), key
 * `<stream>/<YYYY-MM-DD>/<uuid>.ndjson` (the UTC day it was refused; `main/...`, `replay/<id>/...`), so an
 * operator can list a day's refusals and re-send them once the cause is fixed. The same event refused again the
 * same day overwrites its own object instead of adding one.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { PutObjectCommand, type S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { boundedQuote } from '../../core/bounded-quote.js';
import { UndeliverableStoreError } from '../../core/errors.js';
import { eventUuid } from '../../core/event-uuid.js';
import type { OktaEvent, UndeliverableContext, UndeliverableStore } from '../../core/ports.js';
import { isLoopbackHost } from '../../core/url-policy.js';
import { awsErrorName } from './aws-error-name.js';

export interface S3UndeliverableStoreOptions {
  /** Created once by the composition root (see {@link s3ClientConfig}). */
  readonly client: S3Client;
  /** `UNDELIVERABLE_BUCKET_NAME`. */
  readonly bucketName: string;
  /** Epoch ms now, for the key's date. @default Date.now */
  readonly now?: () => number;
}

/** The NDJSON media type: the object is one line of it. */
export const UNDELIVERABLE_CONTENT_TYPE = 'application/x-ndjson';

/** S3 answers that a later try may not get (the SDK has already retried them itself). */
const TRANSIENT = new Set([
  'SlowDown',
  'InternalError',
  'ServiceUnavailable',
  'RequestTimeout',
  'RequestTimeTooSkewed',
]);

/** Metadata values are HTTP header values: printable ASCII only, kept short (S3 allows 2 KB in all). */
function metadataValue(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
}

/** `main` → `main`; `replay#r-0123` → `replay/r-0123`; anything unexpected made key-safe. */
function streamPrefix(stream: string): string {
  return stream
    .split('#')
    .map((part) => part.replace(/[^A-Za-z0-9._-]/g, '_') || '_')
    .join('/');
}

/**
 * The object key of a refused event: `<stream>/<YYYY-MM-DD>/<uuid>.ndjson`, or `sha256-<hex>` instead of the
 * uuid when the event has none usable (the line's digest still names it uniquely).
 */
export function undeliverableKey(event: OktaEvent, stream: string, atMs: number): string {
  const name =
    eventUuid(event) ??
    `sha256-${createHash('sha256')
      .update(event.bytes ?? event.json)
      .digest('hex')
      .slice(0, 32)}`;
  return `${streamPrefix(stream)}/${new Date(atMs).toISOString().slice(0, 10)}/${name}.ndjson`;
}

/**
 * The S3 client's configuration beside the defaults (region, credentials and `AWS_ENDPOINT_URL_S3` come from
 * the standard environment): path-style addressing when the endpoint is a loopback name or an IP address,
 * where `<bucket>.<host>` cannot resolve (a local S3, a VPC endpoint by IP).
 */
export function s3ClientConfig(env: Readonly<Record<string, string | undefined>>): S3ClientConfig {
  const endpoint = env['AWS_ENDPOINT_URL_S3'] || env['AWS_ENDPOINT_URL'];
  let host: string | undefined;
  try {
    host = endpoint === undefined ? undefined : new URL(endpoint).hostname.replace(/^\[|\]$/g, '');
  } catch {
    host = undefined; // the SDK itself reports a malformed endpoint on the first request
  }
  return host !== undefined && (isLoopbackHost(host) || isIP(host) !== 0) ? { forcePathStyle: true } : {};
}

/** Keeps refused events in S3. */
export class S3UndeliverableStore implements UndeliverableStore {
  private readonly now: () => number;

  public constructor(private readonly options: S3UndeliverableStoreOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Resolves once S3 stored the object (PutObject answered 200; the SDK adds a CRC32 that S3 verifies).
   * @throws UndeliverableStoreError, retryable for throttling, server errors and lost connections.
   */
  public async put(event: OktaEvent, context: UndeliverableContext): Promise<void> {
    const key = undeliverableKey(event, context.stream, this.now());
    const body = event.bytes === undefined ? Buffer.from(event.json, 'utf8') : Buffer.from(event.bytes);
    try {
      await this.options.client.send(
        new PutObjectCommand({
          Bucket: this.options.bucketName,
          Key: key,
          Body: body,
          ContentType: UNDELIVERABLE_CONTENT_TYPE,
          Metadata: {
            stream: metadataValue(context.stream),
            status: String(context.status),
            reason: metadataValue(context.reason),
            ...(event.published === undefined ? {} : { published: metadataValue(event.published) }),
          },
        }),
      );
    } catch (error) {
      throw this.storeError(error, key);
    }
  }

  private storeError(error: unknown, key: string): UndeliverableStoreError {
    const name = awsErrorName(error);
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const bucket = `the S3 bucket ${boundedQuote(this.options.bucketName, 63)} (UNDELIVERABLE_BUCKET_NAME)`;
    const object = `the refused event ${boundedQuote(key, 120)}`;
    if (name === undefined || status === undefined) {
      return new UndeliverableStoreError(`could not reach ${bucket} to keep ${object}`, {
        retryable: true,
        cause: error,
      });
    }
    if (name === 'NoSuchBucket') {
      return new UndeliverableStoreError(`${bucket} does not exist: ${object} cannot be kept`, {
        retryable: false,
        cause: error,
      });
    }
    if (status === 403) {
      return new UndeliverableStoreError(
        `the function's role may not write to ${bucket} (s3:PutObject, ${name}): ${object} cannot be kept`,
        { retryable: false, cause: error },
      );
    }
    return new UndeliverableStoreError(`S3 refused to store ${object} in ${bucket} (${status} ${name})`, {
      retryable: status >= 500 || status === 429 || TRANSIENT.has(name),
      cause: error,
    });
  }
}
