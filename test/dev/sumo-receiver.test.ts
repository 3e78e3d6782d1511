import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createOktaEventGenerator } from '../../dev/okta-events.js';
import { startOktaSimulator, type OktaSimulator } from '../../dev/okta-simulator.js';
import {
  SUMO_MAX_BATCH_BYTES,
  startSumoReceiver,
  type SumoReceiver,
  type SumoReceiverOptions,
} from '../../dev/sumo-receiver.js';

let receiver: SumoReceiver | undefined;
let simulator: OktaSimulator | undefined;
afterEach(async () => {
  await receiver?.stop();
  await simulator?.stop();
  receiver = undefined;
  simulator = undefined;
});

async function start(options: SumoReceiverOptions = {}): Promise<SumoReceiver> {
  receiver = await startSumoReceiver(options);
  return receiver;
}

function post(url: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', body, headers: { 'Content-Type': 'text/plain', ...headers } });
}

const line = (uuid: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ uuid, eventType: 'user.session.start', ...extra });

describe('sumo receiver: accepting batches', () => {
  it('decodes gzip, zlib and raw deflate, and plain bodies, one message per line', async () => {
    // Prepare
    const sumo = await start();
    const body = (prefix: string): string =>
      `${line(`${prefix}-1`)}\n${line(`${prefix}-2`)}\r\n${line(`${prefix}-3`)}\n`;

    // Act
    const answers = [
      await post(sumo.url, gzipSync(body('gz')), { 'Content-Encoding': 'gzip' }),
      await post(sumo.url, deflateSync(body('zlib')), { 'Content-Encoding': 'deflate' }),
      await post(sumo.url, deflateRawSync(body('raw')), { 'Content-Encoding': 'deflate' }),
      await post(sumo.url, body('plain')),
    ];

    // Assess
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(sumo.batches.map((b) => [b.encoding, b.lines])).toEqual([
      ['gzip', 3],
      ['deflate', 3],
      ['deflate', 3],
      ['identity', 3],
    ]);
    expect(sumo.batches[0]!.bytes).toBe(Buffer.byteLength(body('gz')));
    expect(sumo.batches[0]!.compressedBytes).toBeLessThan(sumo.batches[0]!.bytes);
    expect(sumo.uuidCounts.size).toBe(12);
    expect(sumo.counters).toMatchObject({ batches: 4, accepted: 4, lines: 12, emptyLines: 0 });
  });

  it('records the X-Sumo headers of each batch', async () => {
    // Prepare
    const sumo = await start();

    // Act
    await post(sumo.url, line('a'), {
      'X-Sumo-Category': 'okta',
      'X-Sumo-Name': 'acme',
      'X-Sumo-Fields': 'org=acme,replay=r1',
    });

    // Assess
    expect(sumo.batches[0]!.headers).toMatchObject({
      'x-sumo-category': 'okta',
      'x-sumo-name': 'acme',
      'x-sumo-fields': 'org=acme,replay=r1',
    });
  });

  it('answers 404 off the receiver path, 401 to a wrong token, 405 to GET, and 401 to the old URL after regeneration', async () => {
    // Prepare
    const sumo = await start({ token: 'secret-token' });
    const origin = new URL(sumo.url).origin;
    const oldUrl = sumo.url;

    // Act
    const elsewhere = await post(`${origin}/api/v1/collectors`, line('a'));
    const wrongToken = await post(`${origin}/receiver/v1/http/other-token`, line('a'));
    const get = await fetch(sumo.url);
    const newUrl = sumo.regenerateUrl();
    const old = await post(oldUrl, line('a'));
    const fresh = await post(newUrl, line('b'));

    // Assess
    expect(sumo.url).toBe(newUrl);
    expect([elsewhere.status, wrongToken.status, get.status, old.status, fresh.status]).toEqual([
      404, 401, 405, 401, 200,
    ]);
    expect([...sumo.uuidCounts.keys()]).toEqual(['b']);
    expect(sumo.counters).toMatchObject({ notFound: 1, unauthorized: 2 });
  });

  it('flags bodies over 1 MB uncompressed (and not one of exactly 1,048,576 bytes), still accepting them', async () => {
    // Prepare
    const sumo = await start();
    const small = line('small');
    const padTo = (target: number, uuid: string): string =>
      line(uuid, { pad: 'x'.repeat(target - Buffer.byteLength(line(uuid, { pad: '' }))) });

    // Act
    await post(sumo.url, gzipSync(padTo(SUMO_MAX_BATCH_BYTES, 'at-limit')), { 'Content-Encoding': 'gzip' });
    await post(sumo.url, gzipSync(padTo(SUMO_MAX_BATCH_BYTES + 1, 'over')), { 'Content-Encoding': 'gzip' });
    await post(sumo.url, small);

    // Assess
    expect(sumo.batches.map((b) => b.bytes)).toEqual([
      SUMO_MAX_BATCH_BYTES,
      SUMO_MAX_BATCH_BYTES + 1,
      Buffer.byteLength(small),
    ]);
    expect(sumo.oversized.map((b) => b.index)).toEqual([1]);
    expect(sumo.counters.oversized).toBe(1);
    expect(sumo.counters.linesOver64KB).toBe(2);
    expect(sumo.missing(['at-limit', 'over', 'small'])).toEqual([]);
  });

  it('counts lines that are not JSON, invalid UTF-8, and undecodable bodies', async () => {
    // Prepare
    const sumo = await start();

    // Act
    await post(sumo.url, `${line('ok')}\nnot json\n\n`);
    await post(sumo.url, Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]));
    const broken = await post(sumo.url, Buffer.from('definitely not gzip'), { 'Content-Encoding': 'gzip' });

    // Assess
    expect(broken.status).toBe(400);
    expect(sumo.counters).toMatchObject({ invalidLines: 2, emptyLines: 1, invalidUtf8: 1, decodeErrors: 1 });
  });
});

describe('sumo receiver: faults', () => {
  it('answers 429, 503 and 408 without keeping the data, then accepts the re-sent batch', async () => {
    // Prepare
    const sumo = await start({
      faults: {
        queue: [
          { kind: 'status', status: 429 },
          { kind: 'status', status: 503 },
          { kind: 'status', status: 408 },
        ],
      },
    });

    // Act
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await post(sumo.url, line('a'))).status);

    // Assess
    expect(statuses).toEqual([429, 503, 408, 200]);
    expect(sumo.uuidCounts.get('a')).toBe(1);
    expect(sumo.batches.map((b) => b.ingested)).toEqual([false, false, false, true]);
    expect(sumo.counters).toMatchObject({ batches: 4, rejected: 3, accepted: 1 });
  });

  it('can ingest a batch it answers 408 to, as Sumo may, so a re-send duplicates it', async () => {
    // Prepare
    const sumo = await start({ faults: { queue: [{ kind: 'status', status: 408, ingest: true }] } });

    // Act
    await post(sumo.url, line('a'));
    await post(sumo.url, line('a'));

    // Assess
    expect(sumo.duplicates()).toEqual(new Map([['a', 2]]));
  });

  it('answers 401 as a fault (a revoked source)', async () => {
    // Prepare
    const sumo = await start();
    sumo.pushFaults({ kind: 'status', status: 401 });

    // Act
    const answer = await post(sumo.url, line('a'));

    // Assess
    expect(answer.status).toBe(401);
    expect(sumo.missing(['a'])).toEqual(['a']);
  });

  it('resets the connection, with or without having kept the data', async () => {
    // Prepare
    const sumo = await start({ faults: { queue: [{ kind: 'reset' }, { kind: 'reset', ingest: true }] } });

    // Act
    const lost = post(sumo.url, line('lost'));
    await expect(lost).rejects.toThrow();
    const kept = post(sumo.url, line('kept'));
    await expect(kept).rejects.toThrow();

    // Assess
    expect(sumo.missing(['lost', 'kept'])).toEqual(['lost']);
    expect(sumo.batches.map((b) => b.status)).toEqual([0, 0]);
  });

  it('accepts slowly', async () => {
    // Prepare
    const sumo = await start({ faults: { queue: [{ kind: 'slow', delayMs: 200 }] } });

    // Act
    const started = performance.now();
    const answer = await post(sumo.url, line('a'));

    // Assess
    expect(answer.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(sumo.missing(['a'])).toEqual([]);
  });

  it('answers 200 but drops the data, like an ingest budget', async () => {
    // Prepare
    const sumo = await start({ faults: { queue: [{ kind: 'drop' }] } });

    // Act
    const answer = await post(sumo.url, `${line('a')}\n${line('b')}`);

    // Assess
    expect(answer.status).toBe(200);
    expect(sumo.missing(['a', 'b'])).toEqual(['a', 'b']);
    expect(sumo.counters.droppedLines).toBe(2);
  });

  it('never answers a hang fault, so the sender must time out', async () => {
    // Prepare
    const sumo = await start({ faults: { queue: [{ kind: 'hang' }] } });

    // Act
    const outcome = fetch(sumo.url, { method: 'POST', body: line('a'), signal: AbortSignal.timeout(200) });

    // Assess
    await expect(outcome).rejects.toThrow(/abort|timeout/i);
  });
});

describe('sumo receiver: verification', () => {
  it('compares every line with the served events: equal objects pass, any changed value is reported', async () => {
    // Prepare
    const sumo = await start();
    const served = createOktaEventGenerator({ seed: 8, unusualRate: 1, loneSurrogates: true }).batchJson(50);
    const reserialized = served.map((e) => JSON.stringify(JSON.parse(e.json)));
    const tampered = JSON.parse(served[3]!.json) as { displayMessage: string };
    tampered.displayMessage += ' ';

    // Act
    await post(sumo.url, gzipSync(reserialized.slice(0, 25).join('\n')), { 'Content-Encoding': 'gzip' });
    const before = sumo.compareWith(served);
    await post(
      sumo.url,
      gzipSync(`${reserialized.slice(25).join('\n')}\n${JSON.stringify(tampered)}\n{"uuid":"stranger"}`),
      { 'Content-Encoding': 'gzip' },
    );
    const after = sumo.compareWith(served);

    // Assess
    expect(before.ok).toBe(false);
    expect(before.missing).toHaveLength(25);
    expect(before.mismatched).toEqual([]);
    expect(after.missing).toEqual([]);
    expect(after.mismatched.map((m) => m.uuid)).toEqual([served[3]!.uuid]);
    expect(after.unexpected).toEqual(['{"uuid":"stranger"}']);
    expect(after.duplicates).toBe(1);
    expect(after.checked).toBe(52);
  });

  it('detects a lone surrogate that a sender turned into U+FFFD', async () => {
    // Prepare
    const sumo = await start();
    const served = [{ uuid: 'u1', json: '{"uuid":"u1","note":"lone \\ud83d here"}' }];
    const decoded = (JSON.parse(served[0]!.json) as { note: string }).note;

    // Act: a sender that writes the decoded string as raw UTF-8 instead of escaping it.
    await post(sumo.url, Buffer.from(`{"uuid":"u1","note":"${decoded}"}`, 'utf8'));

    // Assess
    expect(sumo.compareWith(served).mismatched).toHaveLength(1);
  });

  it('finds missing uuids and duplicates; waitForEvents resolves when enough arrived and rejects on timeout', async () => {
    // Prepare
    const sumo = await start({ parse: 'scan' });
    const waiting = sumo.waitForEvents(3, 5_000);

    // Act
    await post(sumo.url, `${line('a')}\n${line('b')}\n${line('a')}`);
    const tooMany = sumo.waitForEvents(10, 100);
    await post(sumo.url, line('c'));

    // Assess
    await expect(waiting).resolves.toBeUndefined();
    await expect(tooMany).rejects.toThrow(/3 of 10 events/);
    expect(sumo.missing(['a', 'b', 'c', 'd'])).toEqual(['d']);
    expect(sumo.duplicates()).toEqual(new Map([['a', 2]]));
  });

  it('checks a whole Okta-to-Sumo hand-off, unusual and large events included', async () => {
    // Prepare
    simulator = await startOktaSimulator({
      seed: 12,
      events: { unusualRate: 0.3, large: { rate: 0.02, bytes: 120_000 } },
    });
    simulator.produce(400);
    const sumo = await start();

    // Act: a minimal forwarder, one event per line.
    const response = await fetch(
      `${simulator.orgUrl}/api/v1/logs?limit=1000&since=${new Date(simulator.now() - 60_000).toISOString()}`,
      {
        headers: { Authorization: 'SSWS sim-okta-api-token' },
      },
    );
    const events = (await response.json()) as unknown[];
    await post(sumo.url, gzipSync(events.map((e) => JSON.stringify(e)).join('\n')), {
      'Content-Encoding': 'gzip',
      'X-Sumo-Category': 'okta',
    });

    // Assess
    const comparison = sumo.compareWith(simulator.events);
    expect(comparison).toMatchObject({ ok: true, checked: 400, duplicates: 0 });
    expect(sumo.counters.linesOver64KB).toBeGreaterThan(0);
  });
});
