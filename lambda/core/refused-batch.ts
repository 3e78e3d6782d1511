/**
 * Delivers one batch when Sumo may refuse it (interface 9). Sumo answers 413 to a body it finds too large and
 * other non-retryable 4xx to content it will not take; re-sending the same body would fail forever and stall
 * the stream. So a refused batch is split in halves and the parts are sent again; an event Sumo still refuses
 * on its own is kept in the undeliverable store, and the page then counts as delivered.
 */
import { toBatches } from './batcher.js';
import { SumoDeliveryError } from './errors.js';
import { eventUuid } from './event-uuid.js';
import type { Batch, Logger, UndeliverableStore } from './ports.js';

/** What a refused-batch delivery needs from the stream run. */
export interface RefusedBatchDeps {
  /** The stream the batch belongs to (`main`, `replay#<id>`). */
  readonly stream: string;
  /** Posts a batch once (the sink). */
  readonly send: (batch: Batch) => Promise<void>;
  /** The run's retries (policy, deadline, abort signal) around one operation. */
  readonly retrying: <T>(operation: () => Promise<T>) => Promise<T>;
  /** Where refused events go; `undefined` (no bucket configured): a refused event is fatal. */
  readonly undeliverable: UndeliverableStore | undefined;
  readonly logger: Logger;
  readonly stats: {
    batchAccepted(batch: Batch): void;
    undeliverable: number;
  };
}

/** Sumo statuses that mean the URL is wrong, not the content: splitting would not help, so they stay fatal. */
const URL_REJECTIONS: ReadonlySet<number> = new Set([401, 403, 404]);

/**
 * A refusal of this body: a non-retryable 4xx other than 401/403/404. A 3xx (redirect) or status 0 (the URL
 * could not be read, the request could not be built) is a configuration problem, fatal as before.
 */
export function isContentRefusal(error: unknown): error is SumoDeliveryError {
  return (
    error instanceof SumoDeliveryError &&
    !error.retryable &&
    error.status >= 400 &&
    error.status < 500 &&
    !URL_REJECTIONS.has(error.status)
  );
}

/**
 * Sends `batch` with the run's retries. On a refusal, splits it in halves (packed again by the batcher) and
 * delivers each part the same way, one after the other; a single event still refused is put in the
 * undeliverable store (with retries). Resolves when every event is accepted by Sumo or stored.
 * @throws what the sink throws for anything but a refusal; a `SumoDeliveryError` naming
 * `UNDELIVERABLE_BUCKET_NAME` when an event is refused and no store is configured; the store's error when it
 * keeps failing (an event is never dropped silently).
 */
export async function deliverRefusable(deps: RefusedBatchDeps, batch: Batch): Promise<void> {
  try {
    await deps.retrying(() => deps.send(batch));
  } catch (error) {
    if (!isContentRefusal(error)) throw error;
    if (batch.items.length > 1) return split(deps, batch, error);
    return keepAside(deps, batch, error);
  }
  deps.stats.batchAccepted(batch);
}

async function split(deps: RefusedBatchDeps, batch: Batch, refusal: SumoDeliveryError): Promise<void> {
  const middle = Math.ceil(batch.items.length / 2);
  // Each half fits the batcher's limit whenever the whole did, so each normally packs into one body.
  const parts = [...toBatches(batch.items.slice(0, middle)), ...toBatches(batch.items.slice(middle))];
  deps.logger.info('batch refused by Sumo, sending it in parts', {
    stream: deps.stream,
    status: refusal.status,
    events: batch.events,
    bytes: batch.bytes,
    parts: parts.length,
  });
  // In order and one at a time: the page's other batches are already in flight beside this one.
  for (const part of parts) await deliverRefusable(deps, part);
}

async function keepAside(deps: RefusedBatchDeps, batch: Batch, refusal: SumoDeliveryError): Promise<void> {
  const event = batch.items[0];
  if (event === undefined) throw refusal;
  const uuid = eventUuid(event);
  const store = deps.undeliverable;
  if (store === undefined) {
    throw new SumoDeliveryError(
      `Sumo Logic refused an event on its own (${refusal.status}${uuid === undefined ? '' : `, uuid ${uuid}`}) and UNDELIVERABLE_BUCKET_NAME is not set, so there is no bucket to keep it in: set it (the stack does) or remove the cause`,
      { status: refusal.status, retryable: false, cause: refusal },
    );
  }
  await deps.retrying(() =>
    store.put(event, { stream: deps.stream, status: refusal.status, reason: refusal.message }),
  );
  deps.stats.undeliverable += 1;
  // The status and the uuid are enough to find the object; the event's content never goes to the log.
  deps.logger.warn('event refused by Sumo, kept in the undeliverable bucket', {
    stream: deps.stream,
    status: refusal.status,
    uuid,
  });
}
