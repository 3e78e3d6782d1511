/**
 * The cursor table in DynamoDB: one item per stream holding its cursor and its run lease. Every write is a
 * conditional UpdateItem, so two invocations can never both move a cursor: the lease decides who runs, and
 * each commit is fenced by the lease id (unique per acquire) and the item version it last saw.
 *
 * IAM: dynamodb:UpdateItem (acquire, commit, release), dynamodb:Scan (listUnfinishedReplays) and
 * dynamodb:GetItem (to tell our own retried cursor write from a conflict; readCursor, for tools and tests).
 */
import { randomUUID } from 'node:crypto';
import {
  GetItemCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CursorConflictError } from '../../core/errors.js';
import type {
  AcquiredStream,
  Checkpoint,
  CursorStore,
  Lease,
  LeaseRequest,
  Logger,
  ReplayWindow,
} from '../../core/ports.js';
import { awsErrorName } from './aws-error-name.js';
import {
  CURSOR_ATTRIBUTES as A,
  checkpointAttributes,
  DEFAULT_FINISHED_REPLAY_RETENTION_DAYS,
  itemView,
  parseCursorItem,
  replayWindow,
  type CursorItem,
  type CursorItemView,
} from './cursor-item.js';
import { cursorStoreFailure, type CursorStoreError } from './cursor-store-error.js';
import { DynamoExpression } from './dynamo-expression.js';

export interface DynamoCursorStoreOptions {
  /** Created once by the composition root. */
  readonly client: DynamoDBClient;
  /** `CURSOR_TABLE_NAME`: partition key `pk` (S), no sort key. */
  readonly tableName: string;
  /**
   * Told about stored data the store repairs or skips (an invalid version, unknown attributes, an
   * unusable replay item).
   * @default no logging
   */
  readonly logger?: Logger;
  /**
   * Days a finished replay item is kept before the table's TTL (`expiresAt`) removes it; `REPLAY_RETENTION_DAYS`.
   * @default 30
   */
  readonly finishedReplayRetentionDays?: number;
}

export type { CursorItemView };

/** The fencing data a lease carries, out of the core's sight. */
interface Fence {
  readonly leaseId: string;
  /** The `version` attribute as last read or written: the next commit requires it unchanged. */
  version: AttributeValue | undefined;
  nextVersion: number;
}

/** Keyed by the lease objects this module hands out, so the core can keep treating a lease as opaque. */
const fences = new WeakMap<Lease, Fence>();

const CONDITIONAL_CHECK_FAILED = 'ConditionalCheckFailedException';

export class DynamoCursorStore implements CursorStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly logger: Logger | undefined;
  private readonly retentionDays: number;

  public constructor(options: DynamoCursorStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.logger = options.logger;
    this.retentionDays = options.finishedReplayRetentionDays ?? DEFAULT_FINISHED_REPLAY_RETENTION_DAYS;
  }

  public async acquire(streamId: string, request: LeaseRequest): Promise<AcquiredStream | undefined> {
    const leaseId = randomUUID();
    const x = new DynamoExpression();
    const [owner, id, expires] = [x.name(A.leaseOwner), x.name(A.leaseId), x.name(A.leaseExpiresAt)];
    const ownerValue = x.value('owner', { S: request.owner });
    let item: CursorItem | undefined;
    try {
      const output = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { [A.pk]: { S: streamId } },
          UpdateExpression: `SET ${owner} = ${ownerValue}, ${id} = ${x.value('leaseId', { S: leaseId })}, ${expires} = ${x.value('expiresAt', { N: String(request.expiresAt) })}`,
          // Free, expired, or already ours: a Lambda async retry of the same invocation keeps its request id.
          // A lease whose expiry is missing or not a number counts as expired, or the stream would stay locked.
          ConditionExpression: [
            `attribute_not_exists(${owner})`,
            `attribute_not_exists(${expires})`,
            `NOT attribute_type(${expires}, ${x.value('number', { S: 'N' })})`,
            `${expires} < ${x.value('now', { N: String(request.now) })}`,
            `${owner} = ${ownerValue}`,
          ].join(' OR '),
          ReturnValues: 'ALL_NEW',
          ...x.attributes(),
        }),
      );
      item = output.Attributes;
    } catch (error) {
      if (awsErrorName(error) === CONDITIONAL_CHECK_FAILED) return undefined;
      throw this.failure(error, 'take the lease on', streamId);
    }

    const parsed = parseCursorItem(item ?? {});
    if (parsed.versionProblem !== undefined) {
      this.logger?.warn('cursor item version is invalid, the next commit replaces it', { stream: streamId });
    }
    if (parsed.unknownAttributes.length > 0) {
      // Left in place (a newer version may own them); names only, never values.
      this.logger?.warn('cursor item has unknown attributes, ignored', {
        stream: streamId,
        attributes: parsed.unknownAttributes,
      });
    }
    const lease: Lease = Object.freeze({ streamId, owner: request.owner, expiresAt: request.expiresAt });
    fences.set(lease, { leaseId, version: parsed.version, nextVersion: parsed.nextVersion });
    return {
      lease,
      cursor: parsed.cursor,
      ...(parsed.corruption !== undefined && { corruption: parsed.corruption }),
    };
  }

  /**
   * Writes the checkpoint as the stream's whole cursor: a field the checkpoint leaves out is removed, so the
   * item never mixes two checkpoints.
   */
  public async commit(lease: Lease, checkpoint: Checkpoint): Promise<void> {
    const fence = fenceOf(lease);
    const x = new DynamoExpression();
    const set: string[] = [];
    const remove: string[] = [];
    const newVersion: AttributeValue = { N: String(fence.nextVersion) };
    const attributes = { ...checkpointAttributes(checkpoint, this.retentionDays), [A.version]: newVersion };
    for (const [attribute, value] of Object.entries(attributes)) {
      if (value === undefined) remove.push(x.name(attribute));
      else set.push(`${x.name(attribute)} = ${x.value(attribute, value)}`);
    }

    const version = x.name(A.version);
    // The stored version compared as it was read, even when it is not a number: equality works for any type,
    // and the commit then replaces it with a valid one.
    const unchanged =
      fence.version === undefined
        ? `attribute_not_exists(${version})`
        : `${version} = ${x.value('seenVersion', fence.version)}`;
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { [A.pk]: { S: lease.streamId } },
          UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ConditionExpression: `${x.name(A.leaseId)} = ${x.value('leaseId', { S: fence.leaseId })} AND ${unchanged}`,
          ...x.attributes(),
        }),
      );
    } catch (error) {
      if (awsErrorName(error) !== CONDITIONAL_CHECK_FAILED)
        throw this.failure(error, 'write the cursor of', lease.streamId);
      if (!(await this.landed(lease.streamId, fence.leaseId, newVersion, checkpoint))) {
        throw new CursorConflictError(
          `the cursor of stream "${lease.streamId}" was not written: its lease was taken over or the item changed since this run read it`,
          { cause: error },
        );
      }
    }
    fence.version = newVersion;
    fence.nextVersion += 1;
  }

  /**
   * Whether a write that "failed its condition" is in fact ours: when the answer to an applied write is lost,
   * the SDK sends the same conditional write again, and it then fails against our own new version.
   */
  private async landed(
    streamId: string,
    leaseId: string,
    version: AttributeValue,
    checkpoint: Checkpoint,
  ): Promise<boolean> {
    const item = await this.getItem(streamId, 'read back the cursor write of');
    return (
      item?.[A.leaseId]?.S === leaseId &&
      item[A.version]?.N === version.N &&
      item[A.savedAt]?.S === checkpoint.savedAt &&
      item[A.next]?.S === checkpoint.next
    );
  }

  public async release(lease: Lease): Promise<void> {
    const fence = fenceOf(lease);
    const x = new DynamoExpression();
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { [A.pk]: { S: lease.streamId } },
          UpdateExpression: `REMOVE ${x.name(A.leaseOwner)}, ${x.name(A.leaseId)}, ${x.name(A.leaseExpiresAt)}`,
          ConditionExpression: `${x.name(A.leaseId)} = ${x.value('leaseId', { S: fence.leaseId })}`,
          ...x.attributes(),
        }),
      );
    } catch (error) {
      // Someone else holds it now (or the item is gone): nothing of ours to give up.
      if (awsErrorName(error) === CONDITIONAL_CHECK_FAILED) return;
      throw this.failure(error, 'release the lease on', lease.streamId);
    }
  }

  /** Replays with a stored window and `done` not true. A replay that never committed has no window to resume. */
  public async listUnfinishedReplays(): Promise<readonly ReplayWindow[]> {
    const x = new DynamoExpression();
    const done = x.name(A.done);
    const projection = [A.pk, A.replayId, A.replaySince, A.replayUntil, A.replayFilter].map((name) =>
      x.name(name),
    );
    const request = {
      TableName: this.tableName,
      FilterExpression: `attribute_exists(${x.name(A.replayId)}) AND (attribute_not_exists(${done}) OR ${done} = ${x.value('false', { BOOL: false })})`,
      ProjectionExpression: projection.join(', '),
      // The table holds a handful of small items; a consistent read sees a replay committed a moment ago.
      ConsistentRead: true,
      ...x.attributes(),
    };
    const windows: ReplayWindow[] = [];
    let startKey: CursorItem | undefined;
    do {
      let output;
      try {
        output = await this.client.send(new ScanCommand({ ...request, ExclusiveStartKey: startKey }));
      } catch (error) {
        throw this.failure(error, 'list the replays in', undefined);
      }
      for (const item of output.Items ?? []) {
        const problems: string[] = [];
        const window = replayWindow(item, problems);
        if (window !== undefined) windows.push(window);
        else
          this.logger?.warn('unusable replay item skipped', {
            stream: item[A.pk]?.S,
            problem: problems.join('; '),
          });
      }
      startKey = output.LastEvaluatedKey;
    } while (startKey !== undefined);
    return windows;
  }

  /** Reads a stream's item without taking its lease (tools and tests); `undefined` when there is none. */
  public async readCursor(streamId: string): Promise<CursorItemView | undefined> {
    const item = await this.getItem(streamId, 'read the cursor of');
    return item === undefined ? undefined : itemView(parseCursorItem(item));
  }

  /** A consistent read of a stream's item. */
  private async getItem(streamId: string, action: string): Promise<CursorItem | undefined> {
    try {
      const output = await this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { [A.pk]: { S: streamId } },
          ConsistentRead: true,
        }),
      );
      return output.Item;
    } catch (error) {
      throw this.failure(error, action, streamId);
    }
  }

  private failure(error: unknown, action: string, streamId: string | undefined): CursorStoreError {
    return cursorStoreFailure(error, action, streamId, this.tableName);
  }
}

function fenceOf(lease: Lease): Fence {
  const fence = fences.get(lease);
  // A programming error, not a conflict: the core must pass back the very object acquire returned.
  if (fence === undefined) throw new TypeError('this lease was not issued by a DynamoCursorStore');
  return fence;
}
