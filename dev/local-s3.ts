/**
 * A local S3 on 127.0.0.1 (node:http), speaking enough of the REST protocol for the undeliverable-events
 * bucket, its tests and the README's re-send recipe: PutObject, GetObject, HeadObject, DeleteObject,
 * ListObjectsV2 and CreateBucket, path-style (`/<bucket>/<key>`). Point SDK clients at it with
 * `AWS_ENDPOINT_URL_S3` (the adapter turns on path-style addressing for a loopback or IP endpoint).
 *
 * It checks uploads the way S3 does, so the adapter is tested against what the SDK really sends: a streamed
 * body in `aws-chunked` encoding is decoded (its `x-amz-decoded-content-length` checked), and every flexible
 * checksum (`x-amz-checksum-crc32`, `-crc32c`, `-crc64nvme`, `-sha1`, `-sha256`, in a header or an
 * `aws-chunked` trailer), `Content-MD5` and a hex `x-amz-content-sha256` are verified: a mismatch is
 * answered 400 BadDigest, as S3 does. Signatures are not checked; any credentials do.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { AwsChunkedError, decodeAwsChunked } from './s3/aws-chunked.js';
import { checksumAlgorithmOf, checksumOf, type ChecksumAlgorithm } from './s3/checksums.js';
import { listenOnLoopback } from './loopback-server.js';

/** One object as stored. */
export interface StoredObject {
  readonly key: string;
  readonly body: Buffer;
  readonly contentType: string | undefined;
  /** `x-amz-meta-*` headers, names without the prefix. */
  readonly metadata: Readonly<Record<string, string>>;
  /** The flexible checksums that came with the upload (verified), base64. */
  readonly checksums: Readonly<Partial<Record<ChecksumAlgorithm, string>>>;
  readonly etag: string;
  readonly lastModified: Date;
}

/** A request the stand-in received. */
export interface RecordedS3Request {
  readonly method: string;
  readonly bucket: string | undefined;
  readonly key: string | undefined;
  readonly status: number;
  /** `aws-chunked` when the body came in that encoding. */
  readonly encoding: 'aws-chunked' | 'identity';
  /** Checksums that were present and matched (PutObject). */
  readonly verified: readonly ChecksumAlgorithm[];
  readonly signed: boolean;
}

/** A failure served instead of the next answer: a server error or throttling (retried by the SDK) or a denial. */
export type S3Failure = 'internal-error' | 'slow-down' | 'access-denied';

export interface LocalS3 {
  /** e.g. `http://127.0.0.1:41234`. */
  readonly endpoint: string;
  createBucket(name: string): void;
  /** The bucket's objects, in key order. @throws when there is no such bucket */
  objects(bucket: string): StoredObject[];
  /** The next `count` requests fail this way. */
  failNext(count: number, failure: S3Failure): void;
  readonly requests: readonly RecordedS3Request[];
  stop(): Promise<void>;
}

class S3Error extends Error {
  public constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly resource?: string,
  ) {
    super(message);
  }
}

const FAILURES: Record<S3Failure, S3Error> = {
  'internal-error': new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.'),
  'slow-down': new S3Error(503, 'SlowDown', 'Please reduce your request rate.'),
  'access-denied': new S3Error(403, 'AccessDenied', 'Access Denied'),
};

const LIST_LIMIT = 1000;

/** Starts an empty S3 on a free loopback port. */
export async function startLocalS3(): Promise<LocalS3> {
  const buckets = new Map<string, Map<string, StoredObject>>();
  const failures: S3Failure[] = [];
  const requests: RecordedS3Request[] = [];

  const bucketOf = (name: string): Map<string, StoredObject> => {
    const bucket = buckets.get(name);
    if (bucket === undefined)
      throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', name);
    return bucket;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(request.url ?? '/', 'http://s3.local');
    const [bucketName, ...keyParts] = url.pathname.slice(1).split('/');
    const bucket = bucketName === undefined || bucketName === '' ? undefined : decodeURIComponent(bucketName);
    const key =
      keyParts.length === 0 || keyParts.join('/') === ''
        ? undefined
        : keyParts.map(decodeURIComponent).join('/');
    const method = request.method ?? 'GET';
    const chunked = String(request.headers['content-encoding'] ?? '')
      .split(',')
      .some((coding) => coding.trim() === 'aws-chunked');
    const record = (status: number, verified: readonly ChecksumAlgorithm[] = []): void => {
      requests.push({
        method,
        bucket,
        key,
        status,
        encoding: chunked ? 'aws-chunked' : 'identity',
        verified,
        signed: String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 '),
      });
    };
    try {
      const failure = failures.shift();
      if (failure !== undefined) throw FAILURES[failure];
      if (bucket === undefined)
        throw new S3Error(400, 'InvalidRequest', 'only path-style requests to a bucket are served');
      if (method === 'PUT' && key === undefined) {
        if (!buckets.has(bucket)) buckets.set(bucket, new Map());
        record(200);
        return send(response, 200, '', { location: `/${bucket}` });
      }
      if (method === 'GET' && key === undefined) {
        record(200);
        return send(response, 200, listObjects(bucket, bucketOf(bucket), url.searchParams), {
          'content-type': 'application/xml',
        });
      }
      if (key === undefined)
        throw new S3Error(405, 'MethodNotAllowed', `${method} on a bucket is not served`);
      const objects = bucketOf(bucket);
      switch (method) {
        case 'PUT': {
          const stored = putObject(key, raw, request, chunked);
          objects.set(key, stored.object);
          record(200, stored.verified);
          return send(response, 200, '', {
            etag: stored.object.etag,
            ...checksumHeaders(stored.object),
          });
        }
        case 'GET':
        case 'HEAD': {
          const object = objects.get(key);
          if (object === undefined)
            throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', key);
          record(200);
          const withChecksums =
            String(request.headers['x-amz-checksum-mode'] ?? '').toUpperCase() === 'ENABLED';
          return send(response, 200, method === 'GET' ? object.body : '', {
            etag: object.etag,
            'last-modified': object.lastModified.toUTCString(),
            'content-type': object.contentType ?? 'binary/octet-stream',
            'content-length': String(object.body.length),
            ...Object.fromEntries(
              Object.entries(object.metadata).map(([name, value]) => [`x-amz-meta-${name}`, value]),
            ),
            ...(withChecksums ? checksumHeaders(object) : {}),
          });
        }
        case 'DELETE':
          objects.delete(key);
          record(204);
          return send(response, 204, '');
        default:
          throw new S3Error(405, 'MethodNotAllowed', `${method} on an object is not served`);
      }
    } catch (error) {
      if (!(error instanceof S3Error)) throw error;
      record(error.status);
      return send(response, error.status, errorXml(error), { 'content-type': 'application/xml' });
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('local-s3 failed', error);
      if (!response.headersSent) send(response, 500, errorXml(FAILURES['internal-error']));
      else response.destroy();
    });
  });
  const listening = await listenOnLoopback(server);

  return {
    endpoint: listening.url,
    createBucket: (name) => {
      if (!buckets.has(name)) buckets.set(name, new Map());
    },
    objects: (name) =>
      [...bucketOf(name).values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    failNext: (count, failure) => {
      for (let index = 0; index < count; index += 1) failures.push(failure);
    },
    requests,
    stop: listening.close,
  };
}

/** Decodes and verifies one upload, as S3 does before it stores anything. */
function putObject(
  key: string,
  raw: Buffer,
  request: IncomingMessage,
  chunked: boolean,
): { object: StoredObject; verified: ChecksumAlgorithm[] } {
  const headers = request.headers;
  let body = raw;
  let trailers: Readonly<Record<string, string>> = {};
  if (chunked) {
    try {
      ({ data: body, trailers } = decodeAwsChunked(raw));
    } catch (error) {
      if (error instanceof AwsChunkedError) throw new S3Error(400, 'IncompleteBody', error.message);
      throw error;
    }
    const declared = Number(headers['x-amz-decoded-content-length']);
    if (!Number.isInteger(declared) || declared !== body.length) {
      throw new S3Error(
        400,
        'IncompleteBody',
        `x-amz-decoded-content-length says ${String(headers['x-amz-decoded-content-length'])}, the chunks hold ${body.length} bytes`,
      );
    }
    for (const name of String(headers['x-amz-trailer'] ?? '')
      .split(',')
      .map((n) => n.trim().toLowerCase())) {
      if (name !== '' && trailers[name] === undefined)
        throw new S3Error(
          400,
          'MalformedTrailerError',
          `the trailer ${name} announced in x-amz-trailer is missing`,
        );
    }
  }
  const offered: [ChecksumAlgorithm, string][] = [];
  for (const [name, value] of [...Object.entries(headers), ...Object.entries(trailers)]) {
    if (
      !name.startsWith('x-amz-checksum-') ||
      name === 'x-amz-checksum-mode' ||
      name === 'x-amz-checksum-type'
    )
      continue;
    const algorithm = checksumAlgorithmOf(name);
    if (algorithm === undefined) throw new S3Error(400, 'InvalidRequest', `unknown checksum header ${name}`);
    offered.push([algorithm, String(value)]);
  }
  for (const [algorithm, value] of offered) {
    if (checksumOf(algorithm, body) !== value) {
      throw new S3Error(
        400,
        'BadDigest',
        `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`,
      );
    }
  }
  const md5 = createHash('md5').update(body).digest();
  const contentMd5 = headers['content-md5'];
  if (contentMd5 !== undefined && contentMd5 !== md5.toString('base64'))
    throw new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
  const payloadHash = String(headers['x-amz-content-sha256'] ?? '');
  if (/^[0-9a-f]{64}$/.test(payloadHash) && payloadHash !== createHash('sha256').update(raw).digest('hex'))
    throw new S3Error(
      400,
      'XAmzContentSHA256Mismatch',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (name.startsWith('x-amz-meta-')) metadata[name.slice('x-amz-meta-'.length)] = String(value);
  const contentType = headers['content-type'];
  return {
    object: {
      key,
      body,
      contentType,
      metadata,
      checksums: Object.fromEntries(offered),
      etag: `"${md5.toString('hex')}"`,
      lastModified: new Date(Math.floor(Date.now() / 1000) * 1000),
    },
    verified: offered.map(([algorithm]) => algorithm),
  };
}

function checksumHeaders(object: StoredObject): Record<string, string> {
  return Object.fromEntries(
    Object.entries(object.checksums).map(([algorithm, value]) => [`x-amz-checksum-${algorithm}`, value]),
  );
}

/** ListObjectsV2: keys in UTF-8 order after `start-after` / the continuation token, under `prefix`. */
function listObjects(name: string, objects: Map<string, StoredObject>, query: URLSearchParams): string {
  if (query.get('list-type') !== '2')
    throw new S3Error(400, 'InvalidArgument', 'only ListObjectsV2 (list-type=2) is served');
  const prefix = query.get('prefix') ?? '';
  const maxKeys = Math.min(LIST_LIMIT, Math.max(0, Number(query.get('max-keys') ?? LIST_LIMIT) || 0));
  const token = query.get('continuation-token');
  const after =
    token !== null ? Buffer.from(token, 'base64url').toString('utf8') : (query.get('start-after') ?? '');
  const keys = [...objects.keys()]
    .filter((key) => key.startsWith(prefix) && key > after)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const page = keys.slice(0, maxKeys);
  const truncated = keys.length > page.length;
  const contents = page
    .map((key) => {
      const object = objects.get(key)!;
      return `<Contents><Key>${xml(key)}</Key><LastModified>${object.lastModified.toISOString()}</LastModified><ETag>${xml(object.etag)}</ETag><Size>${object.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
    })
    .join('');
  const next = truncated
    ? `<NextContinuationToken>${Buffer.from(page.at(-1)!).toString('base64url')}</NextContinuationToken>`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xml(name)}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`;
}

function errorXml(error: S3Error): string {
  const resource = error.resource === undefined ? '' : `<Resource>${xml(error.resource)}</Resource>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code><Message>${xml(error.message)}</Message>${resource}<RequestId>${randomUUID()}</RequestId></Error>`;
}

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function send(
  response: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'x-amz-request-id': randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase(),
    ...headers,
  });
  response.end(body);
}
