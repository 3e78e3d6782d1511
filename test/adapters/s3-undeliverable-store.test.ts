import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  S3UndeliverableStore,
  s3ClientConfig,
  undeliverableKey,
} from '../../lambda/adapters/aws/s3-undeliverable-store.js';
import { UndeliverableStoreError } from '../../lambda/core/errors.js';
import type { OktaEvent, UndeliverableContext } from '../../lambda/core/ports.js';
import { localAwsEnvironment } from '../../dev/local-aws-endpoints.js';
import { startLocalS3, type LocalS3 } from '../../dev/local-s3.js';

const BUCKET = 'collector-undeliverable';
const NOW = Date.parse('2026-11-26T12:34:56Z');
const CONTEXT: UndeliverableContext = {
  stream: 'main',
  status: 400,
  reason: 'Sumo Logic refused the batch (400)',
};

let s3: LocalS3;
let client: S3Client;

beforeAll(async () => {
  s3 = await startLocalS3();
  // The Lambda's client: default configuration, the endpoint from AWS_ENDPOINT_URL_S3.
  for (const [name, value] of Object.entries(localAwsEnvironment({ s3: s3.endpoint })))
    vi.stubEnv(name, value);
  client = new S3Client(s3ClientConfig(process.env));
});

afterAll(async () => {
  client.destroy();
  await s3.stop();
  vi.unstubAllEnvs();
});

let bucket = 0;
function freshBucket(): string {
  const name = `${BUCKET}-${++bucket}`;
  s3.createBucket(name);
  return name;
}

function event(json: string, bytes?: Uint8Array): OktaEvent {
  return { json, published: '2026-11-25T08:00:00.000Z', ...(bytes ? { bytes } : {}) };
}

describe('S3UndeliverableStore against a local S3 and the real SDK', () => {
  let name: string;
  beforeEach(() => {
    name = freshBucket();
  });

  it('writes one object per event: the exact line, keyed by stream, day and uuid, as NDJSON', async () => {
    // Prepare
    const store = new S3UndeliverableStore({ client, bucketName: name, now: () => NOW });
    const line =
      '{"uuid":"4e0b9b7c-1d2e-11f0-9f1a-0b5d3c2a1e00","published":"2026-11-25T08:00:00.000Z","n":1.50}';

    // Act
    await store.put(event(line), CONTEXT);

    // Assess
    const [object, ...others] = s3.objects(name);
    expect(others).toEqual([]);
    expect(object?.key).toBe('main/2026-11-26/4e0b9b7c-1d2e-11f0-9f1a-0b5d3c2a1e00.ndjson');
    expect(object?.body.toString('utf8')).toBe(line);
    expect(object?.contentType).toBe('application/x-ndjson');
    expect(object?.metadata).toEqual({
      stream: 'main',
      status: '400',
      reason: 'Sumo Logic refused the batch (400)',
      published: '2026-11-25T08:00:00.000Z',
    });
    expect(s3.requests.at(-1)).toMatchObject({ method: 'PUT', status: 200, verified: ['crc32'] });
  });

  it('stores the bytes Okta served as they are (non-ASCII text and escapes untouched)', async () => {
    // Prepare
    const store = new S3UndeliverableStore({ client, bucketName: name, now: () => NOW });
    const line = '{"uuid":"u-1","displayMessage":"Zugriff verweigert – 🔒","raw":"a\\u00e9b"}';
    const bytes = Buffer.from(line, 'utf8');

    // Act
    await store.put(event(line, bytes), CONTEXT);

    // Assess
    expect(s3.objects(name)[0]?.body.equals(bytes)).toBe(true);
  });

  it('puts a replay under replay/<id>/ and overwrites the same event refused again the same day', async () => {
    // Prepare
    const store = new S3UndeliverableStore({ client, bucketName: name, now: () => NOW });
    const replay = { ...CONTEXT, stream: 'replay#r-0123456789abcdef' };

    // Act
    await store.put(event('{"uuid":"u-2"}'), replay);
    await store.put(event('{"uuid":"u-2"}'), replay);

    // Assess
    expect(s3.objects(name).map((object) => object.key)).toEqual([
      'replay/r-0123456789abcdef/2026-11-26/u-2.ndjson',
    ]);
  });

  it('names an event without a usable uuid by the digest of its line', () => {
    // Prepare
    const noUuid = event('{"eventType":"x"}');
    const unsafe = event('{"uuid":"../../etc/passwd"}');

    // Act
    const keys = [undeliverableKey(noUuid, 'main', NOW), undeliverableKey(unsafe, 'main', NOW)];

    // Assess
    for (const key of keys) expect(key).toMatch(/^main\/2026-11-26\/sha256-[0-9a-f]{32}\.ndjson$/);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('a missing bucket is not retryable, and the message names UNDELIVERABLE_BUCKET_NAME', async () => {
    // Prepare
    const store = new S3UndeliverableStore({ client, bucketName: 'no-such-bucket', now: () => NOW });

    // Act
    const put = store.put(event('{"uuid":"u-3"}'), CONTEXT);

    // Assess
    await expect(put).rejects.toBeInstanceOf(UndeliverableStoreError);
    await expect(put).rejects.toMatchObject({ retryable: false });
    await expect(put).rejects.toThrow(/"no-such-bucket" \(UNDELIVERABLE_BUCKET_NAME\) does not exist/);
  });

  it('a denied write is not retryable and names s3:PutObject', async () => {
    // Prepare
    const store = new S3UndeliverableStore({ client, bucketName: name, now: () => NOW });
    s3.failNext(1, 'access-denied');

    // Act
    const put = store.put(event('{"uuid":"u-4"}'), CONTEXT);

    // Assess
    await expect(put).rejects.toMatchObject({ name: 'UndeliverableStoreError', retryable: false });
    await expect(put).rejects.toThrow(/may not write to .*s3:PutObject, AccessDenied/);
    expect(s3.objects(name)).toEqual([]);
  });

  it('throttling that outlasts the SDK retries is retryable; a blip within them is absorbed', async () => {
    // Prepare
    const quick = new S3Client({ ...s3ClientConfig(process.env), maxAttempts: 2 });
    const store = new S3UndeliverableStore({ client: quick, bucketName: name, now: () => NOW });

    // Act
    s3.failNext(2, 'slow-down');
    const throttled = await store.put(event('{"uuid":"u-5"}'), CONTEXT).catch((error: unknown) => error);
    s3.failNext(1, 'internal-error');
    await store.put(event('{"uuid":"u-6"}'), CONTEXT);
    quick.destroy();

    // Assess
    expect(throttled).toMatchObject({ name: 'UndeliverableStoreError', retryable: true });
    expect((throttled as Error).message).toContain('503 SlowDown');
    expect(s3.objects(name).map((object) => object.key)).toEqual(['main/2026-11-26/u-6.ndjson']);
  });

  it('no answer at all (nothing listening) is retryable', async () => {
    // Prepare
    const gone = await startLocalS3();
    await gone.stop();
    const lost = new S3Client({ endpoint: gone.endpoint, forcePathStyle: true, maxAttempts: 1 });
    const store = new S3UndeliverableStore({ client: lost, bucketName: name, now: () => NOW });

    // Act
    const put = store.put(event('{"uuid":"u-7"}'), CONTEXT);

    // Assess
    await expect(put).rejects.toMatchObject({ name: 'UndeliverableStoreError', retryable: true });
    await expect(put).rejects.toThrow(/could not reach the S3 bucket/);
    lost.destroy();
  });
});

describe('s3ClientConfig', () => {
  it.each([
    ['http://127.0.0.1:4566', true],
    ['http://localhost:9000', true],
    ['http://[::1]:9000', true],
    ['https://10.0.0.12', true],
    ['https://s3.us-gov-west-1.amazonaws.com', false],
    [undefined, false],
    ['not a url', false],
  ])('endpoint %s → path style %s', (endpoint, pathStyle) => {
    // Prepare
    const env = endpoint === undefined ? {} : { AWS_ENDPOINT_URL_S3: endpoint };

    // Act
    const config = s3ClientConfig(env);

    // Assess
    expect(config.forcePathStyle === true).toBe(pathStyle);
  });
});
