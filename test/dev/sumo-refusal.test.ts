import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startSumoReceiver, type SumoReceiver } from '../../dev/sumo-receiver.js';
import { startRefusingSumo, type RefusingSumo } from '../../dev/sumo-refusal.js';

let receiver: SumoReceiver | undefined;
let refusing: RefusingSumo | undefined;
afterEach(async () => {
  await refusing?.stop();
  await receiver?.stop();
  refusing = undefined;
  receiver = undefined;
});

const post = (url: string, body: string, gzip = false): Promise<Response> =>
  fetch(url, {
    method: 'POST',
    body: gzip ? gzipSync(body) : body,
    headers: gzip ? { 'Content-Encoding': 'gzip' } : {},
  });

describe('a Sumo that refuses for good (in front of the receiver)', () => {
  it('answers 413 over the size, 400 to the marker, and forwards everything else unchanged', async () => {
    // Prepare
    receiver = await startSumoReceiver();
    refusing = await startRefusingSumo(receiver, { maxBytes: 100, poisonMarker: 'POISON' });
    const small = '{"uuid":"a"}\n{"uuid":"b"}';
    const big = `{"uuid":"c","pad":"${'x'.repeat(200)}"}`;
    const poison = '{"uuid":"d","note":"POISON"}';

    // Act
    const statuses = [
      (await post(refusing.url, big, true)).status,
      (await post(refusing.url, poison)).status,
      (await post(refusing.url, small, true)).status,
    ];

    // Assess
    expect(statuses).toEqual([413, 400, 200]);
    expect(refusing.refused).toEqual([
      { status: 413, bytes: Buffer.byteLength(big), uuids: ['c'] },
      { status: 400, bytes: Buffer.byteLength(poison), uuids: ['d'] },
    ]);
    expect(receiver.lines.map((line) => line.uuid)).toEqual(['a', 'b']);
    expect(receiver.batches[0]?.encoding).toBe('gzip');
  });

  it('leaves a wrong token to the receiver (401), and takes everything once the rules are cleared', async () => {
    // Prepare
    receiver = await startSumoReceiver();
    refusing = await startRefusingSumo(receiver, { poisonMarker: 'POISON' });
    const wrongToken = `${refusing.url.slice(0, refusing.url.lastIndexOf('/'))}/not-the-token`;

    // Act
    const unauthorized = (await post(wrongToken, '{"uuid":"e","note":"POISON"}')).status;
    refusing.setRules({});
    const accepted = (await post(refusing.url, '{"uuid":"f","note":"POISON"}')).status;

    // Assess
    expect([unauthorized, accepted]).toEqual([401, 200]);
    expect(refusing.refused).toEqual([]);
    expect(receiver.lines.map((line) => line.uuid)).toEqual(['f']);
  });
});
