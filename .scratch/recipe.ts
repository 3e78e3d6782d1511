import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { S3UndeliverableStore } from '../lambda/adapters/aws/s3-undeliverable-store.js';
import { startLocalStack, UNDELIVERABLE_BUCKET_NAME, SUMO_URL_PARAMETER } from '../dev/local-stack.js';

const stack = await startLocalStack({ okta: { events: { unusualRate: 0.5 } } });
const events = stack.okta.produce(700);
const client = new S3Client({ endpoint: stack.s3.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const store = new S3UndeliverableStore({ client, bucketName: UNDELIVERABLE_BUCKET_NAME, now: () => Date.parse('2026-11-26T10:00:00Z') });
for (const e of events) await store.put({ json: e.json, published: e.published }, { stream: 'main', status: 400, reason: 'x' });
const dir = mkdtempSync(join(tmpdir(), 'recipe-'));
const recipe = `
set -euo pipefail
cd "${dir}"
BUCKET=${UNDELIVERABLE_BUCKET_NAME}
DAY=2026-11-26
mkdir -p refused && aws s3 cp "s3://$BUCKET/main/$DAY/" refused/ --recursive --quiet
for f in refused/*.ndjson; do cat "$f"; echo; done > refused.ndjson
split -C 900000 refused.ndjson refused-part-
SUMO_URL=$(aws ssm get-parameter --name ${SUMO_URL_PARAMETER} --with-decryption --query Parameter.Value --output text)
for part in refused-part-*; do
  gzip -c "$part" | curl --fail --silent --show-error -X POST \\
    -H 'Content-Encoding: gzip' -H 'X-Sumo-Category: okta' --data-binary @- "$SUMO_URL" || break
done
unset SUMO_URL
ls refused-part-* | wc -l
aws s3 rm "s3://$BUCKET/main/$DAY/" --recursive
`;
const env = { ...process.env, ...stack.env, AWS_ENDPOINT_URL_SSM: stack.aws.endpoint, AWS_DEFAULT_REGION: 'us-east-1' };
for (const [k, v] of Object.entries(env)) if (v === '') delete (env as Record<string, string | undefined>)[k];
try {
  console.log((await promisify(execFile)('bash', ['-c', recipe], { env, encoding: 'utf8' })).stdout);
} catch (e) { console.log('FAILED', (e as any).status, (e as any).message?.slice(0, 500), (e as any).stderr, (e as any).stdout); }
const cmp = stack.sumo.compareWith(events);
console.log(JSON.stringify({ ok: cmp.ok, checked: cmp.checked, missing: cmp.missing.length, mismatched: cmp.mismatched.length, dups: cmp.duplicates, batches: stack.sumo.batches.map(b => b.bytes), left: stack.s3.objects(UNDELIVERABLE_BUCKET_NAME).length }));
client.destroy();
await stack.stop();
