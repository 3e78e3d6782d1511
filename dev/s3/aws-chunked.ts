/**
 * Decodes an `aws-chunked` body (S3's `Content-Encoding: aws-chunked`): the SDK sends a streamed PutObject
 * body as chunks `<hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n`, a last chunk of size 0, then trailing
 * headers `<name>:<value>\r\n` (the flexible checksum, `x-amz-checksum-crc32:...`) and an empty line. This is
 * inside the HTTP body: node has already removed any HTTP `Transfer-Encoding: chunked` framing.
 */

export interface DecodedAwsChunked {
  /** The object's bytes. */
  readonly data: Buffer;
  /** Trailing headers, names lower-cased. */
  readonly trailers: Readonly<Record<string, string>>;
}

/** The body is not valid `aws-chunked`; S3 answers 400 IncompleteBody / InvalidRequest. */
export class AwsChunkedError extends Error {
  public override readonly name = 'AwsChunkedError';
}

const CRLF = Buffer.from('\r\n');

/** @throws AwsChunkedError when a size line, a chunk or the trailer section is malformed or cut short. */
export function decodeAwsChunked(body: Buffer): DecodedAwsChunked {
  const parts: Buffer[] = [];
  let at = 0;
  const line = (): string => {
    const end = body.indexOf(CRLF, at);
    if (end < 0) throw new AwsChunkedError(`aws-chunked body cut short at byte ${at}`);
    const text = body.subarray(at, end).toString('latin1');
    at = end + 2;
    return text;
  };
  for (;;) {
    const header = line();
    const sizeText = header.split(';', 1)[0]!.trim();
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText))
      throw new AwsChunkedError(
        `aws-chunked size line is not hexadecimal: ${JSON.stringify(header.slice(0, 40))}`,
      );
    const size = Number.parseInt(sizeText, 16);
    if (size === 0) break;
    if (at + size + 2 > body.length)
      throw new AwsChunkedError(`aws-chunked chunk of ${size} bytes cut short`);
    parts.push(body.subarray(at, at + size));
    at += size;
    if (!body.subarray(at, at + 2).equals(CRLF))
      throw new AwsChunkedError('aws-chunked chunk is not followed by CRLF');
    at += 2;
  }
  const trailers: Record<string, string> = {};
  // A body may end right after the last chunk (no trailer), or carry trailers ended by an empty line.
  while (at < body.length) {
    const text = line();
    if (text === '') break;
    const colon = text.indexOf(':');
    if (colon <= 0)
      throw new AwsChunkedError(
        `aws-chunked trailer is not name:value: ${JSON.stringify(text.slice(0, 40))}`,
      );
    trailers[text.slice(0, colon).trim().toLowerCase()] = text.slice(colon + 1).trim();
  }
  return { data: Buffer.concat(parts), trailers };
}
