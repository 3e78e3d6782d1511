import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from '../../dev/local-s3.js';
import { decodeAwsChunked } from '../../dev/s3/aws-chunked.js';
import { checksumOf } from '../../dev/s3/checksums.js';

const BUCKET = 'undeliverable-test';
let s3: LocalS3 | undefined;
let client: S3Client | undefined;
afterEach(async () => {
  client?.destroy();
  await s3?.stop();
  s3 = undefined;
  client = undefined;
});

/** The stand-in with one bucket, and a real SDK client pointed at it (path style, made-up credentials). */
async function start(): Promise<{ s3: LocalS3; client: S3Client }> {
  s3 = await startLocalS3();
  s3.createBucket(BUCKET);
  client = new S3Client({
    region: 'us-east-1',
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'not-a-secret' },
    maxAttempts: 1,
  });
  return { s3, client };
}

async function putRaw(endpoint: string, key: string, body: string | Buffer, headers: Record<string, string>) {
  return fetch(`${endpoint}/${BUCKET}/${key}`, { method: 'PUT', body, headers });
}

describe('checksums (as S3 computes them)', () => {
  it('match the published check values for "123456789"', () => {
    // Prepare
    const data = Buffer.from('123456789');
    const hex = (algorithm: Parameters<typeof checksumOf>[0]) =>
      Buffer.from(checksumOf(algorithm, data), 'base64').toString('hex');

    // Act
    const values = { crc32: hex('crc32'), crc32c: hex('crc32c'), crc64nvme: hex('crc64nvme') };

    // Assess: the CRC catalogue's check values (CRC-32/ISO-HDLC, CRC-32/ISCSI, CRC-64/NVME)
    expect(values).toEqual({ crc32: 'cbf43926', crc32c: 'e3069283', crc64nvme: 'ae8b14860a799888' });
  });
});

describe('aws-chunked decoding', () => {
  it('joins the chunks and reads the trailers, signed chunk headers included', () => {
    // Prepare
    const body = Buffer.from(
      '6;chunk-signature=ab\r\nhello \r\n5\r\nworld\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n',
    );

    // Act
    const decoded = decodeAwsChunked(body);

    // Assess
    expect(decoded.data.toString()).toBe('hello world');
    expect(decoded.trailers).toEqual({ 'x-amz-checksum-crc32': 'DUoRhQ==' });
  });

  it.each([
    ['a size line that is not hex', 'zz\r\nhello\r\n0\r\n\r\n'],
    ['a chunk cut short', '6\r\nhel'],
    ['a trailer without a colon', '0\r\nx-amz-checksum-crc32\r\n\r\n'],
  ])('refuses %s', (_case, text) => {
    // Prepare
    const body = Buffer.from(text);

    // Act
    const decode = () => decodeAwsChunked(body);

    // Assess
    expect(decode).toThrow(/aws-chunked/);
  });
});

describe('local S3 with the real SDK', () => {
  it('stores a PutObject with the CRC32 the SDK sends by default, and GetObject returns it (checksum validated)', async () => {
    // Prepare
    const { s3, client } = await start();
    const line = '{"uuid":"a1","published":"2026-11-26T00:00:00.000Z"}';

    // Act
    await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'main/2026-11-26/a1.ndjson',
        Body: Buffer.from(line),
        ContentType: 'application/x-ndjson',
        Metadata: { status: '400' },
      }),
    );
    const got = await client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'main/2026-11-26/a1.ndjson', ChecksumMode: 'ENABLED' }),
    );

    // Assess
    expect(await got.Body?.transformToString()).toBe(line);
    expect(got.ContentType).toBe('application/x-ndjson');
    expect(got.Metadata).toEqual({ status: '400' });
    expect(got.ChecksumCRC32).toBe(checksumOf('crc32', Buffer.from(line)));
    expect(s3.requests[0]).toMatchObject({
      method: 'PUT',
      encoding: 'identity',
      verified: ['crc32'],
      signed: true,
    });
  });

  it('decodes a streamed body sent aws-chunked with its checksum in a trailer', async () => {
    // Prepare
    const { s3, client } = await start();

    // Act
    await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'streamed',
        Body: Readable.from([Buffer.from('hello '), Buffer.from('world')]),
        ContentLength: 11,
      }),
    );

    // Assess
    expect(s3.objects(BUCKET).map((object) => object.body.toString())).toEqual(['hello world']);
    expect(s3.requests[0]).toMatchObject({ encoding: 'aws-chunked', verified: ['crc32'] });
  });

  it.each(['CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const)(
    'verifies %s when the SDK is asked for it',
    async (algorithm) => {
      // Prepare
      const { s3, client } = await start();

      // Act
      await client.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'abc', ChecksumAlgorithm: algorithm }),
      );

      // Assess
      expect(s3.requests[0]?.verified).toEqual([algorithm.toLowerCase()]);
    },
  );

  it('answers 400 BadDigest to a checksum that does not match, in a header or a trailer, and stores nothing', async () => {
    // Prepare
    const { s3 } = await start();
    const wrong = checksumOf('crc32', Buffer.from('other'));

    // Act
    const inHeader = await putRaw(s3.endpoint, 'h', 'abc', { 'x-amz-checksum-crc32': wrong });
    const inTrailer = await putRaw(
      s3.endpoint,
      't',
      `3\r\nabc\r\n0\r\nx-amz-checksum-crc32:${wrong}\r\n\r\n`,
      {
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': '3',
        'x-amz-trailer': 'x-amz-checksum-crc32',
      },
    );

    // Assess
    expect([inHeader.status, inTrailer.status]).toEqual([400, 400]);
    expect(await inHeader.text()).toContain('<Code>BadDigest</Code>');
    expect(s3.objects(BUCKET)).toEqual([]);
  });

  it('answers 400 to an aws-chunked body whose decoded length or announced trailer is wrong', async () => {
    // Prepare
    const { s3 } = await start();
    const chunked = { 'content-encoding': 'aws-chunked' };

    // Act
    const badLength = await putRaw(s3.endpoint, 'a', '3\r\nabc\r\n0\r\n\r\n', {
      ...chunked,
      'x-amz-decoded-content-length': '4',
    });
    const missingTrailer = await putRaw(s3.endpoint, 'b', '3\r\nabc\r\n0\r\n\r\n', {
      ...chunked,
      'x-amz-decoded-content-length': '3',
      'x-amz-trailer': 'x-amz-checksum-crc32',
    });

    // Assess
    expect([badLength.status, missingTrailer.status]).toEqual([400, 400]);
    expect(s3.objects(BUCKET)).toEqual([]);
  });

  it('lists with a prefix and pages with a continuation token; deletes', async () => {
    // Prepare
    const { client } = await start();
    for (const key of ['main/d1/a', 'main/d1/b', 'main/d2/c', 'replay/r-1/d1/d'])
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: key }));

    // Act
    const first = await client.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'main/', MaxKeys: 2 }),
    );
    const second = await client.send(
      new ListObjectsV2Command({
        Bucket: BUCKET,
        Prefix: 'main/',
        ContinuationToken: first.NextContinuationToken,
      }),
    );
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'main/d1/a' }));
    const after = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }));

    // Assess
    expect(first.Contents?.map((object) => object.Key)).toEqual(['main/d1/a', 'main/d1/b']);
    expect(first.IsTruncated).toBe(true);
    expect(second.Contents?.map((object) => [object.Key, object.Size])).toEqual([['main/d2/c', 9]]);
    expect(second.IsTruncated).toBe(false);
    expect(after.Contents?.map((object) => object.Key)).toEqual([
      'main/d1/b',
      'main/d2/c',
      'replay/r-1/d1/d',
    ]);
  });

  it('answers NoSuchBucket, NoSuchKey and injected failures as S3 does', async () => {
    // Prepare
    const { s3, client } = await start();
    s3.failNext(1, 'access-denied');
    const failure = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: unknown) =>
          error instanceof S3ServiceException ? [error.name, error.$metadata.httpStatusCode] : error,
      );

    // Act
    const denied = await failure(client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'x' })));
    const noBucket = await failure(
      client.send(new PutObjectCommand({ Bucket: 'missing', Key: 'k', Body: 'x' })),
    );
    const noKey = await failure(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'absent' })));

    // Assess
    expect([denied, noBucket, noKey]).toEqual([
      ['AccessDenied', 403],
      ['NoSuchBucket', 404],
      ['NoSuchKey', 404],
    ]);
  });
});
