/**
 * Opt-in health line (`SUMO_HEALTH_CATEGORY`): each invocation's summary also goes to Sumo, as one JSON line
 * under its own category, so a Sumo monitor can alert when collection stops even if nobody watches
 * CloudWatch. Counts, lag, stop reasons and error *names* only: never an error message, an event or a secret.
 * A health line that cannot be sent is logged and changes nothing else: the cursor is already written.
 */
import type { LogSink, Logger } from './ports.js';
import type { StreamSummary } from './summary.js';

/** A health POST gets at most this long: it must not hold the invocation open. */
export const HEALTH_SEND_TIMEOUT_MS = 5000;

export interface HealthReporterOptions {
  readonly sink: LogSink;
  readonly logger: Logger;
  /** `X-Sumo-Category` of the health lines; `undefined` turns reporting off. */
  readonly category: string | undefined;
  /** The Okta org's host, so one monitor can watch several collectors. */
  readonly org: string;
  readonly now: () => number;
}

type Summary = StreamSummary & { readonly replays?: readonly StreamSummary[] };

/** One invocation's health, as sent (one JSON object). */
export interface HealthRecord {
  readonly kind: 'okta-sumo-collector.health';
  readonly time: string;
  readonly org: string;
  readonly outcome: 'ok' | 'failed';
  readonly stream: string | undefined;
  readonly stopReason: string;
  readonly events: number;
  readonly pages: number;
  readonly retries: number;
  readonly rateLimited: number;
  readonly recoveries: number;
  readonly lagSeconds: number | undefined;
  readonly newestPublished: string | undefined;
  /** Error names (never messages) of the streams' last errors and of a thrown error, with counts. */
  readonly errors: Readonly<Record<string, number>>;
  readonly replays: number;
}

/** Runs the invocation and reports its health (success or failure); returns or rethrows what `run` did. */
export async function withHealthReport<T extends Summary>(
  options: HealthReporterOptions,
  run: () => Promise<T>,
): Promise<T> {
  let summary: T;
  try {
    summary = await run();
  } catch (error) {
    await send(options, healthRecord(options, undefined, error));
    throw error;
  }
  await send(options, healthRecord(options, summary, undefined));
  return summary;
}

export function healthRecord(
  options: Pick<HealthReporterOptions, 'org' | 'now'>,
  summary: Summary | undefined,
  thrown: unknown,
): HealthRecord {
  const streams = summary ? [summary, ...(summary.replays ?? [])] : [];
  const errors: Record<string, number> = {};
  const names = [
    ...streams.map((stream) => errorName(stream.lastError)),
    thrown === undefined ? undefined : thrown instanceof Error ? thrown.name : 'Error',
  ];
  for (const name of names) if (name !== undefined) errors[name] = (errors[name] ?? 0) + 1;
  const sum = (pick: (stream: StreamSummary) => number) => streams.reduce((n, s) => n + pick(s), 0);
  return {
    kind: 'okta-sumo-collector.health',
    time: new Date(options.now()).toISOString(),
    org: options.org,
    outcome: thrown === undefined ? 'ok' : 'failed',
    stream: summary?.stream,
    stopReason: summary?.stopReason ?? 'error',
    events: sum((s) => s.events),
    pages: sum((s) => s.pages),
    retries: sum((s) => s.retries),
    rateLimited: sum((s) => s.rateLimited),
    recoveries: sum((s) => s.recoveries),
    lagSeconds: summary?.lagSeconds,
    newestPublished: summary?.newestPublished,
    errors,
    replays: summary?.replays?.length ?? 0,
  };
}

async function send(options: HealthReporterOptions, record: HealthRecord): Promise<void> {
  if (options.category === undefined) return;
  const body = Buffer.from(JSON.stringify(record), 'utf8');
  try {
    await options.sink.send(
      { body, events: 1, bytes: body.length, items: [] },
      { signal: AbortSignal.timeout(HEALTH_SEND_TIMEOUT_MS), category: options.category },
    );
  } catch (error) {
    options.logger.warn('health report not sent', { error: error instanceof Error ? error.name : 'Error' });
  }
}

/** `SumoDeliveryError: Sumo Logic throttled …` → `SumoDeliveryError` (summaries hold `name: message`). */
function errorName(lastError: string | undefined): string | undefined {
  return lastError === undefined
    ? undefined
    : (/^([A-Za-z][A-Za-z0-9]*Error)\b/.exec(lastError)?.[1] ?? 'Error');
}
