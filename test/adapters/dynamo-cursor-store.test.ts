import {
  BatchWriteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoCursorStore } from '../../lambda/adapters/aws/dynamo-cursor-store.js';
import { CursorStoreError } from '../../lambda/adapters/aws/cursor-store-error.js';
import { CursorConflictError } from '../../lambda/core/errors.js';
import type { Checkpoint, Lease, Logger } from '../../lambda/core/ports.js';
import { localAwsEnvironment } from '../../dev/local-aws-endpoints.js';
import { createCursorTable, startLocalDynamoDb, type LocalDynamoDb } from '../../dev/local-dynamodb.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const NEXT = 'https://acme.okta.com/api/v1/logs?after=1740830400000_1&limit=1000';
const NEXT_2 = 'https://acme.okta.com/api/v1/logs?after=1740830500000_2&limit=1000';

let dynamo: LocalDynamoDb;
let client: DynamoDBClient;
let tableName: string;
let tableCount = 0;

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    warnings,
    debug: () => {},
    info: () => {},
    error: () => {},
    warn: (message) => warnings.push(message),
  };
}

function store(logger?: Logger): DynamoCursorStore {
  return new DynamoCursorStore({ client, tableName, ...(logger ? { logger } : {}) });
}

function checkpoint(overrides: Partial<Checkpoint> = {}): Checkpoint {
  return {
    next: NEXT,
    lastPublished: '2026-03-01T11:59:00.000Z',
    savedAt: '2026-03-01T12:00:01.000Z',
    ...overrides,
  };
}

async function rawItem(pk: string): Promise<Record<string, AttributeValue> | undefined> {
  const output = await client.send(
    new GetItemCommand({ TableName: tableName, Key: { pk: { S: pk } }, ConsistentRead: true }),
  );
  return output.Item;
}

async function putRaw(item: Record<string, AttributeValue>): Promise<void> {
  await client.send(new PutItemCommand({ TableName: tableName, Item: item }));
}

async function acquired(cursors: DynamoCursorStore, streamId: string, owner: string, now = NOW) {
  const result = await cursors.acquire(streamId, { owner, now, expiresAt: now + 60_000 });
  if (!result) throw new Error(`expected ${owner} to get the lease on ${streamId}`);
  return result;
}

beforeAll(async () => {
  dynamo = await startLocalDynamoDb();
  // Reached through AWS_ENDPOINT_URL_DYNAMODB, the SDK's standard endpoint variable: the Lambda builds its
  // client with the default configuration, so a client built here with `{}` takes the same path.
  for (const [name, value] of Object.entries(localAwsEnvironment({ dynamodb: dynamo.endpoint })))
    vi.stubEnv(name, value);
  client = new DynamoDBClient({});
});

afterAll(async () => {
  client.destroy();
  await dynamo.stop();
  vi.unstubAllEnvs();
});

beforeEach(async () => {
  tableCount += 1;
  tableName = `cursors-${tableCount}`;
  await createCursorTable(client, tableName);
});

describe('DynamoCursorStore.acquire', () => {
  it('takes the lease of a brand-new stream and reports no cursor', async () => {
    // Prepare
    const cursors = store();

    // Act
    const result = await cursors.acquire('main', { owner: 'req-1', now: NOW, expiresAt: NOW + 60_000 });

    // Assess
    expect(result?.cursor).toBeUndefined();
    expect(result?.corruption).toBeUndefined();
    expect(result?.lease).toMatchObject({ streamId: 'main', owner: 'req-1', expiresAt: NOW + 60_000 });
    const item = await rawItem('main');
    expect(item?.['leaseOwner']).toEqual({ S: 'req-1' });
    expect(item?.['leaseExpiresAt']).toEqual({ N: String(NOW + 60_000) });
    expect(item?.['leaseId']?.S).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a second owner while the lease is held', async () => {
    // Prepare
    const cursors = store();
    await acquired(cursors, 'main', 'req-1');

    // Act
    const second = await cursors.acquire('main', {
      owner: 'req-2',
      now: NOW + 59_999,
      expiresAt: NOW + 120_000,
    });

    // Assess
    expect(second).toBeUndefined();
    expect((await rawItem('main'))?.['leaseOwner']).toEqual({ S: 'req-1' });
  });

  it('lets another owner take over an expired lease', async () => {
    // Prepare
    const cursors = store();
    await acquired(cursors, 'main', 'req-1');

    // Act
    const second = await cursors.acquire('main', {
      owner: 'req-2',
      now: NOW + 60_001,
      expiresAt: NOW + 120_000,
    });

    // Assess
    expect(second?.lease.owner).toBe('req-2');
    expect((await rawItem('main'))?.['leaseOwner']).toEqual({ S: 'req-2' });
  });

  it('lets the same owner (an async retry of the invocation) acquire again, fencing its earlier lease', async () => {
    // Prepare
    const cursors = store();
    const first = await acquired(cursors, 'main', 'req-1');

    // Act
    const again = await cursors.acquire('main', { owner: 'req-1', now: NOW + 1000, expiresAt: NOW + 61_000 });

    // Assess
    expect(again?.lease.owner).toBe('req-1');
    await expect(cursors.commit(first.lease, checkpoint())).rejects.toBeInstanceOf(CursorConflictError);
    await expect(cursors.commit(again!.lease, checkpoint())).resolves.toBeUndefined();
  });

  it('treats a lease whose expiry is not a number as expired, so the stream cannot stay locked', async () => {
    // Prepare
    await putRaw({
      pk: { S: 'main' },
      leaseOwner: { S: 'ghost' },
      leaseId: { S: 'x' },
      leaseExpiresAt: { S: 'soon' },
    });

    // Act
    const result = await store().acquire('main', { owner: 'req-1', now: NOW, expiresAt: NOW + 60_000 });

    // Assess
    expect(result?.lease.owner).toBe('req-1');
  });

  it('returns the committed cursor to the next run', async () => {
    // Prepare
    const cursors = store();
    const first = await acquired(cursors, 'main', 'req-1');
    await cursors.commit(first.lease, checkpoint());
    await cursors.release(first.lease);

    // Act
    const next = await acquired(cursors, 'main', 'req-2', NOW + 1000);

    // Assess
    expect(next.cursor).toEqual({
      next: NEXT,
      lastPublished: '2026-03-01T11:59:00.000Z',
      savedAt: '2026-03-01T12:00:01.000Z',
    });
    expect(next.corruption).toBeUndefined();
  });
});

describe('DynamoCursorStore.commit', () => {
  it('writes successive checkpoints under one lease, incrementing the version', async () => {
    // Prepare
    const cursors = store();
    const { lease } = await acquired(cursors, 'main', 'req-1');

    // Act
    await cursors.commit(lease, checkpoint());
    await cursors.commit(lease, checkpoint({ next: NEXT_2, savedAt: '2026-03-01T12:00:02.000Z' }));

    // Assess
    const view = await cursors.readCursor('main');
    expect(view?.version).toBe(2);
    expect(view?.cursor?.next).toBe(NEXT_2);
    expect(view?.leaseOwner).toBe('req-1');
  });

  it('refuses the old holder after a takeover and leaves the item as the new holder wrote it', async () => {
    // Prepare
    const cursors = store();
    const old = await acquired(cursors, 'main', 'req-1');
    await cursors.commit(old.lease, checkpoint());
    const taker = await acquired(cursors, 'main', 'req-2', NOW + 60_001);
    await cursors.commit(taker.lease, checkpoint({ next: NEXT_2 }));
    const before = await rawItem('main');

    // Act
    const late = cursors.commit(
      old.lease,
      checkpoint({ next: 'https://acme.okta.com/api/v1/logs?after=stale' }),
    );

    // Assess
    await expect(late).rejects.toBeInstanceOf(CursorConflictError);
    await expect(late).rejects.toThrow(/stream "main"/);
    expect(await rawItem('main')).toEqual(before);
  });

  it('refuses a commit when the item changed under the same lease (version moved)', async () => {
    // Prepare
    const cursors = store();
    const { lease } = await acquired(cursors, 'main', 'req-1');
    await cursors.commit(lease, checkpoint());
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { pk: { S: 'main' } },
        UpdateExpression: 'SET #v = :v',
        ExpressionAttributeNames: { '#v': 'version' },
        ExpressionAttributeValues: { ':v': { N: '7' } },
      }),
    );

    // Act
    const result = cursors.commit(lease, checkpoint({ next: NEXT_2 }));

    // Assess
    await expect(result).rejects.toBeInstanceOf(CursorConflictError);
    expect((await cursors.readCursor('main'))?.cursor?.next).toBe(NEXT);
  });

  it('refuses a commit after the item was deleted', async () => {
    // Prepare
    const cursors = store();
    const { lease } = await acquired(cursors, 'main', 'req-1');
    await putRaw({ pk: { S: 'other' } });
    await client.send(
      new BatchWriteItemCommand({
        RequestItems: { [tableName]: [{ DeleteRequest: { Key: { pk: { S: 'main' } } } }] },
      }),
    );

    // Act
    const result = cursors.commit(lease, checkpoint());

    // Assess
    await expect(result).rejects.toBeInstanceOf(CursorConflictError);
    expect(await rawItem('main')).toBeUndefined();
  });

  it('removes next and lastPublished when the checkpoint has none', async () => {
    // Prepare
    const cursors = store();
    const { lease } = await acquired(cursors, 'main', 'req-1');
    await cursors.commit(lease, checkpoint());

    // Act
    await cursors.commit(lease, checkpoint({ next: undefined, lastPublished: undefined }));

    // Assess
    const item = await rawItem('main');
    expect(item?.['next']).toBeUndefined();
    expect(item?.['lastPublished']).toBeUndefined();
    expect(item?.['savedAt']).toEqual({ S: '2026-03-01T12:00:01.000Z' });
  });

  it('replaces a stored version that is not a number, warning once', async () => {
    // Prepare
    await putRaw({ pk: { S: 'main' }, next: { S: NEXT }, version: { S: 'seven' } });
    const logger = recordingLogger();
    const cursors = store(logger);

    // Act
    const result = await acquired(cursors, 'main', 'req-1');
    await cursors.commit(result.lease, checkpoint({ next: NEXT_2 }));

    // Assess
    expect(result.corruption).toBeUndefined();
    expect(result.cursor?.next).toBe(NEXT);
    expect(logger.warnings).toEqual(['cursor item version is invalid, the next commit replaces it']);
    expect((await rawItem('main'))?.['version']).toEqual({ N: '1' });
  });

  it('rejects a lease object it did not issue', async () => {
    // Prepare
    const forged: Lease = { streamId: 'main', owner: 'req-1', expiresAt: NOW + 60_000 };

    // Act
    const result = store().commit(forged, checkpoint());

    // Assess
    await expect(result).rejects.toThrow(TypeError);
  });
});

describe('DynamoCursorStore.release', () => {
  it('gives up its own lease and keeps the cursor', async () => {
    // Prepare
    const cursors = store();
    const { lease } = await acquired(cursors, 'main', 'req-1');
    await cursors.commit(lease, checkpoint());

    // Act
    await cursors.release(lease);

    // Assess
    const item = await rawItem('main');
    expect(item?.['leaseOwner']).toBeUndefined();
    expect(item?.['leaseId']).toBeUndefined();
    expect(item?.['leaseExpiresAt']).toBeUndefined();
    expect(item?.['next']).toEqual({ S: NEXT });
    expect(await cursors.acquire('main', { owner: 'req-2', now: NOW, expiresAt: NOW + 1 })).toBeDefined();
  });

  it('leaves a lease taken over by someone else in place, without throwing', async () => {
    // Prepare
    const cursors = store();
    const old = await acquired(cursors, 'main', 'req-1');
    await acquired(cursors, 'main', 'req-2', NOW + 60_001);

    // Act
    await cursors.release(old.lease);

    // Assess
    expect((await rawItem('main'))?.['leaseOwner']).toEqual({ S: 'req-2' });
  });

  it('fences commits after the release', async () => {
    // Prepare
    const cursors = store();
    const { lease } = await acquired(cursors, 'main', 'req-1');
    await cursors.release(lease);

    // Act
    const result = cursors.commit(lease, checkpoint());

    // Assess
    await expect(result).rejects.toBeInstanceOf(CursorConflictError);
  });
});

describe('DynamoCursorStore with corrupt items', () => {
  it('reports invalid fields and salvages the valid ones', async () => {
    // Prepare
    await putRaw({
      pk: { S: 'main' },
      next: { N: '5' },
      lastPublished: { S: '2026-02-28T10:00:00.000Z' },
      savedAt: { S: 'yesterday' },
      events: { S: 'many' },
    });

    // Act
    const result = await acquired(store(), 'main', 'req-1');

    // Assess
    expect(result.cursor).toEqual({ lastPublished: '2026-02-28T10:00:00.000Z' });
    expect(result.corruption).toContain('next');
    expect(result.corruption).toContain('savedAt');
    expect(result.corruption).toContain('events');
    expect(result.corruption).not.toContain('lastPublished');
  });

  it('reports a next link that is not an Okta logs URL without quoting it', async () => {
    // Prepare
    const bad = 'https://acme.okta.com/api/v1/users?after=secretish';
    await putRaw({ pk: { S: 'main' }, next: { S: bad }, lastPublished: { S: '2026-02-28T10:00:00Z' } });

    // Act
    const result = await acquired(store(), 'main', 'req-1');

    // Assess
    expect(result.corruption).toMatch(/^next /);
    expect(result.corruption).not.toContain('secretish');
    expect(result.cursor).toEqual({ lastPublished: '2026-02-28T10:00:00Z' });
  });

  it('drops a replay window with a bad date and says so', async () => {
    // Prepare
    await putRaw({
      pk: { S: 'replay#abc' },
      replayId: { S: 'abc' },
      replaySince: { S: 'last tuesday' },
      replayUntil: { S: '2026-02-02T00:00:00Z' },
      done: { BOOL: false },
      events: { N: '10' },
    });

    // Act
    const result = await acquired(store(), 'replay#abc', 'req-1');

    // Assess
    expect(result.cursor).toEqual({ done: false, events: 10 });
    expect(result.corruption).toContain('replaySince');
  });
});

describe('DynamoCursorStore replays', () => {
  const window = { id: 'w1', since: '2026-02-01T00:00:00.000Z', until: '2026-02-02T00:00:00.000Z' };

  it('round-trips the replay window, done, events and pages', async () => {
    // Prepare
    const cursors = store();
    const first = await acquired(cursors, 'replay#w1', 'req-1');
    await cursors.commit(
      first.lease,
      checkpoint({
        replay: { ...window, filter: 'eventType eq "user.session.start"' },
        done: false,
        events: 1000,
        pages: 1,
      }),
    );
    await cursors.release(first.lease);

    // Act
    const second = await acquired(cursors, 'replay#w1', 'req-2');

    // Assess
    expect(second.cursor).toEqual({
      next: NEXT,
      lastPublished: '2026-03-01T11:59:00.000Z',
      savedAt: '2026-03-01T12:00:01.000Z',
      replay: { ...window, filter: 'eventType eq "user.session.start"' },
      done: false,
      events: 1000,
      pages: 1,
    });
  });

  it('lists the replays that are not done, and only those', async () => {
    // Prepare
    const cursors = store();
    const commitReplay = async (id: string, done: boolean, filter?: string) => {
      const { lease } = await acquired(cursors, `replay#${id}`, 'req-1');
      await cursors.commit(
        lease,
        checkpoint({ replay: { ...window, id, ...(filter ? { filter } : {}) }, done }),
      );
    };
    await commitReplay('open', false);
    await commitReplay('filtered', false, 'severity eq "WARN"');
    await commitReplay('finished', true);
    await acquired(cursors, 'replay#never-committed', 'req-1');
    const { lease } = await acquired(cursors, 'main', 'req-1');
    await cursors.commit(lease, checkpoint());
    await putRaw({ pk: { S: 'replay#broken' }, replayId: { S: 'broken' }, done: { BOOL: false } });
    const logger = recordingLogger();

    // Act
    const replays = await store(logger).listUnfinishedReplays();

    // Assess
    expect([...replays].sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { ...window, id: 'filtered', filter: 'severity eq "WARN"' },
      { ...window, id: 'open' },
    ]);
    expect(logger.warnings).toEqual(['unusable replay item skipped']);
  });

  it('follows Scan pagination past 1 MB', async () => {
    // Prepare: 300 unfinished replays of ~4 KB each (~1.2 MB), so DynamoDB answers in more than one page.
    const padding = 'x'.repeat(4000);
    for (let batch = 0; batch < 12; batch += 1) {
      const requests = Array.from({ length: 25 }, (_, index) => ({
        PutRequest: {
          Item: {
            pk: { S: `replay#r${batch}-${index}` },
            replayId: { S: `r${batch}-${index}` },
            replaySince: { S: window.since },
            replayUntil: { S: window.until },
            done: { BOOL: false },
            padding: { S: padding },
          },
        },
      }));
      await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
    }

    // Act
    const replays = await store().listUnfinishedReplays();

    // Assess
    expect(new Set(replays.map((replay) => replay.id)).size).toBe(300);
  });
});

describe('DynamoCursorStore failures', () => {
  it('names the table when it does not exist', async () => {
    // Prepare
    const cursors = new DynamoCursorStore({ client, tableName: 'no-such-table' });

    // Act
    const result = cursors.acquire('main', { owner: 'req-1', now: NOW, expiresAt: NOW + 60_000 });

    // Assess
    await expect(result).rejects.toBeInstanceOf(CursorStoreError);
    await expect(result).rejects.toThrow(
      /table "no-such-table" \(CURSOR_TABLE_NAME\): the table was not found/,
    );
  });
});

function dataLogger(): Logger & { lines: { level: string; message: string; data: unknown }[] } {
  const lines: { level: string; message: string; data: unknown }[] = [];
  const at =
    (level: string) =>
    (message: string, data?: Record<string, unknown>): void => {
      lines.push({ level, message, data });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('DynamoCursorStore with partly unreadable items (interface 10)', () => {
  it('keeps a readable next link when lastPublished is stored as a Number', async () => {
    // Prepare
    await putRaw({
      pk: { S: 'main' },
      next: { S: NEXT },
      lastPublished: { N: '1740830400000' },
      savedAt: { S: '2026-03-01T11:00:00.000Z' },
      version: { N: '3' },
    });

    // Act
    const result = await acquired(store(), 'main', 'req-1');

    // Assess
    expect(result.cursor).toEqual({ next: NEXT, savedAt: '2026-03-01T11:00:00.000Z' });
    expect(result.corruption).toBe('lastPublished is not an ISO-8601 instant');
  });

  it('ignores unknown attributes and names them in a warning, each name cut short', async () => {
    // Prepare
    const longName = `x${'y'.repeat(499)}`;
    await putRaw({
      pk: { S: 'main' },
      next: { S: NEXT },
      legacyCursor: { S: 'whatever an older version kept' },
      [longName]: { N: '1' },
    });
    const logger = dataLogger();

    // Act
    const result = await acquired(store(logger), 'main', 'req-1');

    // Assess
    expect(result.cursor).toEqual({ next: NEXT });
    expect(result.corruption).toBeUndefined();
    const warning = logger.lines.find(
      (line) => line.message === 'cursor item has unknown attributes, ignored',
    );
    expect(warning?.level).toBe('warn');
    const shown = (warning?.data as { attributes: string[] }).attributes;
    expect(shown).toContain('legacyCursor');
    expect(shown.every((name) => name.length <= 41)).toBe(true);
    expect(JSON.stringify(warning?.data)).not.toContain('whatever an older version kept');
  });

  it('rewrites an item with unreadable attributes cleanly on the next commit, fenced by what it read', async () => {
    // Prepare
    await putRaw({
      pk: { S: 'main' },
      next: { S: NEXT },
      lastPublished: { N: '1740830400000' },
      events: { S: 'many' },
      version: { S: 'seven' },
    });
    const cursors = store();
    const { lease } = await acquired(cursors, 'main', 'req-1');

    // Act
    await cursors.commit(lease, checkpoint({ next: NEXT_2, startedAt: '2026-02-22T00:00:00.000Z' }));

    // Assess
    const item = await rawItem('main');
    expect(item?.lastPublished).toEqual({ S: '2026-03-01T11:59:00.000Z' });
    expect(item?.events).toBeUndefined();
    expect(item?.version).toEqual({ N: '1' });
    expect(item?.startedAt).toEqual({ S: '2026-02-22T00:00:00.000Z' });
    const again = await acquired(cursors, 'main', 'req-2', NOW + 120_000);
    expect(again.corruption).toBeUndefined();
    expect(again.cursor?.startedAt).toBe('2026-02-22T00:00:00.000Z');
  });

  it('reports an unreadable startedAt like any other field', async () => {
    // Prepare
    await putRaw({ pk: { S: 'main' }, next: { S: NEXT }, startedAt: { S: 'the beginning' } });

    // Act
    const result = await acquired(store(), 'main', 'req-1');

    // Assess
    expect(result.cursor).toEqual({ next: NEXT });
    expect(result.corruption).toBe('startedAt is not an ISO-8601 instant');
  });
});

describe('DynamoCursorStore TTL of finished replays (expiresAt, epoch seconds)', () => {
  const window = { id: 'w1', since: '2026-02-01T00:00:00.000Z', until: '2026-02-02T00:00:00.000Z' };
  const savedAt = '2026-03-01T12:00:01.000Z';
  const savedSeconds = Math.floor(Date.parse(savedAt) / 1000);

  it('writes expiresAt on a finished replay item, the retention after its last write', async () => {
    // Prepare
    const cursors = new DynamoCursorStore({ client, tableName, finishedReplayRetentionDays: 7 });
    const { lease } = await acquired(cursors, 'replay#w1', 'req-1');
    await cursors.commit(lease, checkpoint({ replay: window, done: false, savedAt }));
    const unfinished = await rawItem('replay#w1');

    // Act
    await cursors.commit(lease, checkpoint({ next: undefined, replay: window, done: true, savedAt }));

    // Assess
    expect(unfinished?.expiresAt).toBeUndefined();
    expect((await rawItem('replay#w1'))?.expiresAt).toEqual({ N: String(savedSeconds + 7 * 86_400) });
  });

  it('keeps finished replays 30 days unless told otherwise', async () => {
    // Prepare
    const cursors = store();
    const { lease } = await acquired(cursors, 'replay#w1', 'req-1');

    // Act
    await cursors.commit(lease, checkpoint({ next: undefined, replay: window, done: true, savedAt }));

    // Assess
    expect((await rawItem('replay#w1'))?.expiresAt).toEqual({ N: String(savedSeconds + 30 * 86_400) });
  });

  it('never leaves expiresAt on the main cursor (DynamoDB would delete it)', async () => {
    // Prepare: a stray expiresAt put there by hand
    await putRaw({ pk: { S: 'main' }, next: { S: NEXT }, expiresAt: { N: '1' } });
    const cursors = store();
    const { lease } = await acquired(cursors, 'main', 'req-1');

    // Act
    await cursors.commit(lease, checkpoint());

    // Assess
    expect((await rawItem('main'))?.expiresAt).toBeUndefined();
  });
});

describe('DynamoCursorStore reading back its own write', () => {
  it('names the operation when the read-back fails, and quotes nothing from the answer', async () => {
    // Prepare: the item moves on under us (the commit's condition fails), then the read-back fails too
    const answer = Object.assign(new Error('Internal failure: body says token=abc123 and more'), {
      name: 'InternalServerError',
      $metadata: { httpStatusCode: 500 },
    });
    const send = client.send.bind(client);
    const failing = Object.create(client) as DynamoDBClient;
    failing.send = ((command: unknown) =>
      command instanceof GetItemCommand ? Promise.reject(answer) : send(command as never)) as never;
    const reading = new DynamoCursorStore({ client: failing, tableName });
    const readingLease = (await acquired(reading, 'main', 'req-1')).lease;
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { pk: { S: 'main' } },
        UpdateExpression: 'SET version = :v',
        ExpressionAttributeValues: { ':v': { N: '42' } },
      }),
    );

    // Act
    const result = reading.commit(readingLease, checkpoint());

    // Assess
    await expect(result).rejects.toBeInstanceOf(CursorStoreError);
    await expect(result).rejects.toThrow(
      /^could not read back the cursor write of stream "main" in table "[^"]+" \(CURSOR_TABLE_NAME\): DynamoDB answered InternalServerError$/,
    );
    await expect(result).rejects.not.toThrow(/abc123/);
  });
});
