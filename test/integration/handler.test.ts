/**
 * The real Lambda handler against every stand-in on loopback (local DynamoDB, Secrets Manager, SSM, the Okta
 * System Log simulator, the Sumo HTTP receiver), configured only through the Lambda environment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOktaEventGenerator } from '../../dev/okta-events.js';
import { startLocalStack, type LocalStack } from '../../dev/local-stack.js';
import type { StoredOktaEvent } from '../../dev/okta-simulator.js';
import { LEASE_ATTRIBUTES, readCursorItem } from './support/cursor-table.js';
import { loadHandler, scheduledEvent, type HandlerUnderTest } from './support/handler-under-test.js';
import { leakedSecrets } from '../../dev/reliability/invariants.js';
import { captureOutput, type OutputCapture } from '../../dev/reliability/output-capture.js';
import { batchesSince, countUuids, linesSince, markSumo } from './support/sumo-views.js';

/** The batcher's limit: under 1 MB whichever megabyte Sumo means. */
const ONE_MB = 1_000_000;
const HOUR_MS = 3_600_000;

const newestPublished = (events: readonly StoredOktaEvent[]): number =>
  Math.max(...events.map((event) => event.publishedMs));
const logsRequests = (stack: LocalStack) => stack.okta.requests.filter((request) => request.kind === 'logs');

describe('the handler on a scheduled tick (API token, default settings)', () => {
  let stack: LocalStack;
  let lambda: HandlerUnderTest;
  let output: OutputCapture;

  beforeAll(async () => {
    stack = await startLocalStack({ okta: { events: { unusualRate: 0.2, loneSurrogates: true } } });
    output = captureOutput();
    lambda = await loadHandler(stack.env);
  });

  afterAll(async () => {
    output.stop();
    await stack.stop();
  });

  it('delivers 5,000 events over 1,000-event pages, every line exactly the event Okta served', async () => {
    // Prepare
    const produced = stack.okta.produce(5000);
    const mark = markSumo(stack.sumo);

    // Act
    const summary = await lambda.tick();

    // Assess
    const batches = batchesSince(stack.sumo, mark);
    expect(summary).toMatchObject({
      stream: 'main',
      stopReason: 'caught-up',
      events: 5000,
      // Five full pages, then the page that is not full (empty here) says caught up.
      pages: 6,
      batches: batches.length,
      bytes: batches.reduce((total, batch) => total + batch.bytes, 0),
      retries: 0,
      rateLimited: 0,
      recoveries: 0,
      lastError: undefined,
      replays: [],
    });
    expect(Date.parse(summary.newestPublished!)).toBe(newestPublished(produced));
    expect(summary.lagSeconds).toBeGreaterThanOrEqual(0);
    expect(summary.lagSeconds).toBeLessThanOrEqual(
      Math.ceil((Date.now() - newestPublished(produced)) / 1000),
    );
    const comparison = stack.sumo.compareWith(stack.okta.events);
    expect(comparison).toMatchObject({
      ok: true,
      checked: 5000,
      duplicates: 0,
      missing: [],
      mismatched: [],
      unexpected: [],
    });
    expect(stack.sumo.counters).toMatchObject({
      invalidLines: 0,
      invalidUtf8: 0,
      decodeErrors: 0,
      emptyLines: 0,
    });
  });

  it('keeps unusual text intact: emoji, RTL, U+2028, control characters, lone surrogates', async () => {
    // Prepare: the events of the previous run carry them (checked here, so this test cannot pass vacuously).
    const events = stack.okta.events;
    expect(events.some((event) => event.json.includes('\u2028'))).toBe(true);
    expect(events.some((event) => event.json.includes('👩🏽‍💻'))).toBe(true);
    expect(events.some((event) => event.json.includes('\\ud83d'))).toBe(true);
    expect(events.some((event) => event.json.includes('\\u0000'))).toBe(true);

    // Act
    const received = new Map(stack.sumo.lines.map((line) => [line.uuid, line.line]));

    // Assess
    for (const event of events.filter((e) => e.json.includes('\\ud83d') || e.json.includes('\u2028'))) {
      expect(JSON.parse(received.get(event.uuid)!)).toStrictEqual(JSON.parse(event.json));
    }
    expect(stack.sumo.compareWith(events).mismatched).toEqual([]);
  });

  it('sends each request gzip-compressed, at most 1 MB uncompressed, with X-Sumo-Category okta and no other X-Sumo header', () => {
    // Prepare
    const batches = stack.sumo.batches;
    expect(batches.length).toBeGreaterThan(5);

    // Act
    const categories = new Set(batches.map((batch) => batch.headers['x-sumo-category']));

    // Assess
    expect(categories).toEqual(new Set(['okta']));
    for (const batch of batches) {
      expect(batch.encoding).toBe('gzip');
      expect(batch.bytes).toBeLessThanOrEqual(ONE_MB);
      expect(batch.headers['x-sumo-name']).toBeUndefined();
      expect(batch.headers['x-sumo-host']).toBeUndefined();
      expect(batch.headers['x-sumo-fields']).toBeUndefined();
    }
  });

  it('delivers events produced between ticks and events Okta persisted late', async () => {
    // Prepare
    const mark = markSumo(stack.sumo);
    const expected: StoredOktaEvent[] = [];
    const summaries = [];

    // Act: live events, then late-persisted ones (published hours or days before Okta stored them)
    expected.push(...stack.okta.produce(300));
    summaries.push(await lambda.tick());
    expected.push(
      ...stack.okta.produce(120),
      ...stack.okta.produceLate(150, 3 * HOUR_MS),
      ...stack.okta.produce(30),
    );
    summaries.push(await lambda.tick());
    expected.push(...stack.okta.produceLate(40, 2 * 24 * HOUR_MS));
    summaries.push(await lambda.tick());
    summaries.push(await lambda.tick());

    // Assess
    expect(summaries.map((summary) => [summary.stopReason, summary.events])).toEqual([
      ['caught-up', 300],
      ['caught-up', 300],
      ['caught-up', 40],
      ['caught-up', 0],
    ]);
    const counts = countUuids(linesSince(stack.sumo, mark));
    expect(expected.filter((event) => counts.get(event.uuid) !== 1)).toEqual([]);
    expect(counts.size).toBe(expected.length);
    expect(stack.sumo.compareWith(stack.okta.events).ok).toBe(true);
  });

  it('sends an event over 64 KB whole, and an event over 1 MB alone in its own request', async () => {
    // Prepare: sizes that catch a batcher counting characters instead of UTF-8 bytes (3-byte padding).
    const generator = createOktaEventGenerator({ seed: 4242 });
    const sized = (bytes: number, padding: 'ascii' | 'multibyte' = 'ascii') =>
      generator.nextJson({ published: Date.now(), bytes, padding }).json;
    const normal = () => generator.nextJson({ published: Date.now() }).json;
    const texts = [
      normal(),
      sized(100 * 1024),
      normal(),
      sized(1_100_000),
      normal(),
      sized(400_000, 'multibyte'),
      sized(400_000, 'multibyte'),
      sized(400_000, 'multibyte'),
      sized(999_999, 'multibyte'),
      normal(),
    ];
    const produced = stack.okta.produce(texts);
    const mark = markSumo(stack.sumo);
    const over64KBBefore = stack.sumo.counters.linesOver64KB;

    // Act
    const summary = await lambda.tick();

    // Assess
    expect(summary).toMatchObject({ stopReason: 'caught-up', events: texts.length });
    const lines = linesSince(stack.sumo, mark);
    // A page's batches are posted concurrently (SUMO_MAX_IN_FLIGHT), so batches may arrive in any order.
    expect(lines).toHaveLength(produced.length);
    const byUuid = new Map(lines.map((line) => [line.uuid, line.line]));
    expect([...byUuid.keys()].sort()).toEqual(produced.map((event) => event.uuid).sort());
    for (const [index, event] of produced.entries()) expect(byUuid.get(event.uuid)).toBe(texts[index]);
    const batches = batchesSince(stack.sumo, mark);
    const huge = batches.filter((batch) => batch.bytes > ONE_MB);
    expect(huge.map((batch) => [batch.lines, batch.bytes])).toEqual([[1, 1_100_000]]);
    expect(stack.sumo.counters.linesOver64KB - over64KBBefore).toBe(6);
  });

  it('treats an EventBridge "Scheduled Event" as a tick', async () => {
    // Prepare
    const produced = stack.okta.produce(30);
    const mark = markSumo(stack.sumo);

    // Act
    const summary = await lambda.invoke(scheduledEvent());

    // Assess
    expect(summary).toMatchObject({ stream: 'main', stopReason: 'caught-up', events: 30, replays: [] });
    expect(linesSince(stack.sumo, mark).map((line) => line.uuid)).toEqual(
      produced.map((event) => event.uuid),
    );
  });

  it('returns normally with time-budget when the deadline is near, and the next tick resumes without loss', async () => {
    // Prepare
    const produced = stack.okta.produce(2500);
    const mark = markSumo(stack.sumo);
    const before = await readCursorItem(stack, 'main');

    // Act 1: 2 s left is less than a page needs (3 s) plus the checkpoint reserve (1.5 s).
    const hurried = await lambda.tick(2000);

    // Assess 1: nothing started, nothing sent, cursor as it was, lease given back.
    expect(hurried).toMatchObject({
      stopReason: 'time-budget',
      events: 0,
      pages: 0,
      batches: 0,
      replays: [],
    });
    expect(batchesSince(stack.sumo, mark)).toEqual([]);
    expect(await readCursorItem(stack, 'main')).toEqual(before);

    // Act 2: room for one page only, because Okta takes a second to answer it.
    stack.okta.pushFaults({ kind: 'slow', delayMs: 1000 });
    const cut = await lambda.tick(5000);

    // Assess 2
    expect(cut).toMatchObject({ stopReason: 'time-budget', events: 1000, pages: 1 });
    const afterCut = await readCursorItem(stack, 'main');
    expect(afterCut?.next?.S).toBe(logsRequests(stack).at(-1)?.next);
    for (const name of LEASE_ATTRIBUTES) expect(afterCut).not.toHaveProperty(name);

    // Act 3
    const resumed = await lambda.tick();

    // Assess 3: the rest, each event exactly once.
    expect(resumed).toMatchObject({ stopReason: 'caught-up', events: 1500 });
    const counts = countUuids(linesSince(stack.sumo, mark));
    expect(produced.filter((event) => counts.get(event.uuid) !== 1)).toEqual([]);
    expect(counts.size).toBe(produced.length);
  });

  it('leaves the cursor item holding the last next link and no lease after a normal exit', async () => {
    // Prepare
    stack.okta.produce(1200);

    // Act
    const summary = await lambda.tick();

    // Assess
    expect(summary.stopReason).toBe('caught-up');
    const item = await readCursorItem(stack, 'main');
    const lastRequest = logsRequests(stack).at(-1);
    expect(item?.pk).toEqual({ S: 'main' });
    expect(item?.next?.S).toBe(lastRequest?.next);
    expect(new URL(item!.next!.S!).origin).toBe(stack.okta.orgUrl);
    expect(Date.parse(item!.lastPublished!.S!)).toBe(newestPublished(stack.okta.events));
    for (const name of LEASE_ATTRIBUTES) expect(item).not.toHaveProperty(name);
  });

  it('logs one summary per invocation and no secret, and returns no secret', async () => {
    // Prepare
    stack.okta.produce(10);

    // Act
    await lambda.tick();

    // Assess
    const printed = output.text();
    expect(printed.match(/"message":"invocation summary"/g)?.length).toBe(lambda.results.length);
    expect(leakedSecrets(printed, stack.secrets)).toEqual([]);
    expect(leakedSecrets(JSON.stringify(lambda.results), stack.secrets)).toEqual([]);
  });
});

describe('the handler with a small OKTA_PAGE_LIMIT', () => {
  let stack: LocalStack;
  let lambda: HandlerUnderTest;

  beforeAll(async () => {
    stack = await startLocalStack({ env: { OKTA_PAGE_LIMIT: '25' } });
    lambda = await loadHandler(stack.env);
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('follows next links page after page and delivers everything, late events included', async () => {
    // Prepare
    stack.okta.produce(480);
    stack.okta.produceLate(20, 6 * HOUR_MS);

    // Act
    const first = await lambda.tick();
    stack.okta.produce(60);
    const second = await lambda.tick();

    // Assess
    expect(first).toMatchObject({ stopReason: 'caught-up', events: 500, pages: 21 });
    expect(second).toMatchObject({ stopReason: 'caught-up', events: 60, pages: 3 });
    const requests = logsRequests(stack);
    expect(requests.every((request) => request.status === 200)).toBe(true);
    expect(requests.filter((request) => request.url.includes('since='))).toHaveLength(1);
    expect(new URL(requests[0]!.url, stack.okta.orgUrl).searchParams.get('limit')).toBe('25');
    expect(stack.sumo.compareWith(stack.okta.events)).toMatchObject({
      ok: true,
      checked: 560,
      duplicates: 0,
    });
  });
});

describe('the handler with Sumo metadata configured', () => {
  let stack: LocalStack;
  let lambda: HandlerUnderTest;

  beforeAll(async () => {
    stack = await startLocalStack({
      env: {
        SUMO_SOURCE_CATEGORY: 'security/okta/prod',
        SUMO_SOURCE_NAME: 'okta-system-log',
        SUMO_SOURCE_HOST: 'acme.okta.com',
        SUMO_FIELDS: 'team=secops,env=prod',
      },
    });
    lambda = await loadHandler(stack.env);
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('sends X-Sumo-Category, X-Sumo-Name, X-Sumo-Host and X-Sumo-Fields from SUMO_SOURCE_* and SUMO_FIELDS', async () => {
    // Prepare
    stack.okta.produce(700);

    // Act
    const summary = await lambda.tick();

    // Assess
    expect(summary).toMatchObject({ stopReason: 'caught-up', events: 700 });
    expect(stack.sumo.batches.length).toBeGreaterThan(0);
    for (const batch of stack.sumo.batches) {
      expect(batch.headers).toMatchObject({
        'x-sumo-category': 'security/okta/prod',
        'x-sumo-name': 'okta-system-log',
        'x-sumo-host': 'acme.okta.com',
        'x-sumo-fields': 'team=secops,env=prod',
        'content-encoding': 'gzip',
      });
    }
    expect(stack.sumo.compareWith(stack.okta.events).ok).toBe(true);
  });
});

describe('the handler with an OAuth 2.0 service app (private_key_jwt + DPoP)', () => {
  let stack: LocalStack;
  let lambda: HandlerUnderTest;
  let output: OutputCapture;

  beforeAll(async () => {
    stack = await startLocalStack({ oauth: true });
    output = captureOutput();
    lambda = await loadHandler(stack.env);
  });

  afterAll(async () => {
    output.stop();
    await stack.stop();
  });

  it('delivers everything without ever sending an SSWS token, and leaks no key material', async () => {
    // Prepare
    stack.okta.produce(1500);

    // Act
    const first = await lambda.tick();
    stack.okta.produce(200);
    const second = await lambda.tick();

    // Assess
    expect(first).toMatchObject({ stopReason: 'caught-up', events: 1500 });
    expect(second).toMatchObject({ stopReason: 'caught-up', events: 200 });
    expect(stack.sumo.compareWith(stack.okta.events)).toMatchObject({
      ok: true,
      checked: 1700,
      duplicates: 0,
    });
    const authorization = (request: { headers: { authorization?: string } }) =>
      String(request.headers.authorization ?? '');
    expect(stack.okta.requests.map(authorization).filter((value) => /^SSWS\b/i.test(value))).toEqual([]);
    expect(logsRequests(stack).every((request) => authorization(request).startsWith('DPoP '))).toBe(true);
    expect(stack.okta.counters.tokenRequests).toBeGreaterThan(0);
    expect(leakedSecrets(output.text(), stack.secrets)).toEqual([]);
    expect(leakedSecrets(JSON.stringify(lambda.results), stack.secrets)).toEqual([]);
  });
});
