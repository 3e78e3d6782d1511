/**
 * The checksums S3 verifies on upload, computed here so the local S3 stand-in checks what the SDK sends:
 * `@aws-sdk/client-s3` adds a flexible checksum to every PutObject (CRC32 unless told otherwise), in a header
 * or, for a streamed body, in an `aws-chunked` trailer. Table-driven reflected CRCs (as S3 defines them:
 * initial value all ones, final XOR all ones) and node:crypto for the SHA family.
 */
import { createHash } from 'node:crypto';

/** The `x-amz-checksum-<name>` algorithms S3 accepts. */
export type ChecksumAlgorithm = 'crc32' | 'crc32c' | 'crc64nvme' | 'sha1' | 'sha256';

export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = [
  'crc32',
  'crc32c',
  'crc64nvme',
  'sha1',
  'sha256',
];

function crc32Table(polynomial: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ polynomial : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

const CRC32 = crc32Table(0xedb88320);
const CRC32C = crc32Table(0x82f63b78);

function crc32With(table: Uint32Array, data: Uint8Array): Buffer {
  let crc = 0xffffffff;
  for (const byte of data) crc = table[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  const out = Buffer.alloc(4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return out;
}

const CRC64_NVME_POLYNOMIAL = 0x9a6c9329ac4bc9b5n;
const MASK64 = 0xffffffffffffffffn;
const CRC64_NVME = ((): BigUint64Array => {
  const table = new BigUint64Array(256);
  for (let n = 0; n < 256; n++) {
    let c = BigInt(n);
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ CRC64_NVME_POLYNOMIAL : c >> 1n;
    table[n] = c;
  }
  return table;
})();

function crc64nvme(data: Uint8Array): Buffer {
  let crc = MASK64;
  for (const byte of data) crc = CRC64_NVME[Number((crc ^ BigInt(byte)) & 0xffn)]! ^ (crc >> 8n);
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE((crc ^ MASK64) & MASK64);
  return out;
}

/** The checksum of `data` as S3 writes it in `x-amz-checksum-<algorithm>`: base64 of the big-endian digest. */
export function checksumOf(algorithm: ChecksumAlgorithm, data: Uint8Array): string {
  switch (algorithm) {
    case 'crc32':
      return crc32With(CRC32, data).toString('base64');
    case 'crc32c':
      return crc32With(CRC32C, data).toString('base64');
    case 'crc64nvme':
      return crc64nvme(data).toString('base64');
    case 'sha1':
    case 'sha256':
      return createHash(algorithm).update(data).digest('base64');
  }
}

/** The algorithm named by an `x-amz-checksum-<name>` header or trailer, if S3 knows it. */
export function checksumAlgorithmOf(headerName: string): ChecksumAlgorithm | undefined {
  const name = headerName.toLowerCase().replace(/^x-amz-checksum-/, '');
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(name) ? (name as ChecksumAlgorithm) : undefined;
}
