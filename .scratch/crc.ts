import { checksumOf } from '../dev/s3/checksums.js';
console.log(checksumOf('crc32', Buffer.from('{"uuid":"x"}')), 'kt7fRQ==');
console.log(checksumOf('crc32c', Buffer.from('abc')), 'Nks/tw==');
console.log(checksumOf('crc64nvme', Buffer.from('abc')), 'BeXKuz/B+us=');
console.log(checksumOf('crc32', Buffer.from('hello world')), 'DUoRhQ==');
console.log(Buffer.from(checksumOf('crc64nvme', Buffer.from('123456789')),'base64').toString('hex'), 'ae8b14860a799888');
