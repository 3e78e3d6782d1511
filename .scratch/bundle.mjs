import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
const r = await build({ entryPoints: ['lambda/handler.ts'], write: false, bundle: true, platform: 'node', target: 'node24', format: 'esm', mainFields: ['module','main'], minify: true, logLevel: 'error', metafile: true });
const code = r.outputFiles[0].contents;
const inputs = Object.entries(r.metafile.outputs)[0][1].inputs;
const s3 = Object.entries(inputs).filter(([k]) => /client-s3|middleware-(sdk-s3|flexible|bucket|expect|location|ssec)|signature-v4-multi|crc64|crc32|xml-builder|chunked|util-stream|eventstream/.test(k)).reduce((n,[,v])=>n+v.bytesInOutput,0);
console.log(JSON.stringify({ raw: code.length, gzip: gzipSync(code).length, s3ish: s3 }));
