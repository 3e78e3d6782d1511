/**
 * Catch-up under Okta's rate limit, on a simulated clock.
 *
 * The real collector core (`collect()` from lambda/core/collect.ts, wired by `composeCollector` with its real
 * config defaults) and the real `OktaLogSource` adapter (rate-limit headers, 429 handling, `Link` parsing, JSON
 * reading) run against a simulated Okta reached through an injected `fetch`. Okta's `/api/v1/logs` bucket is
 * per minute (windows aligned on the minute, as the simulator stand-in does), answers `X-Rate-Limit-Limit /
 * Remaining / Reset` and `Date` in simulated time and 429 `E0000047` when empty. Each request takes a random
 * 300–1500 ms. Sumo and DynamoDB answer with latency too, and the collector's own per-page CPU (measured,
 * scaled to a 256 MB Lambda's share of a vCPU) is spent in simulated time. The EventBridge schedule fires a
 * tick every simulated minute; every tick is an invocation with deadline = start + 900 s, as the handler
 * computes it; a tick that finds the lease held returns at once. Nothing sleeps for real: the scheduler jumps
 * to the next timer once every promise has settled.
 */
import { composeCollector } from '../../lambda/compose.js';
import { loadConfig } from '../../lambda/config.js';
import { runInvocation } from '../../lambda/invocation.js';
import { OktaLogSource } from '../../lambda/adapters/okta/okta-log-source.js';
import { readRateLimit } from '../../lambda/adapters/okta/rate-limit-headers.js';
import type {
  AcquiredStream,
  Batch,
  Checkpoint,
  Clock,
  CursorStore,
  Lease,
  LeaseRequest,
  Logger,
  LogSink,
  ReplayWindow,
  SendOptions,
} from '../../lambda/core/ports.js';
import { InMemoryCursorStore } from '../../dev/core-fakes.js';
import { seededRandom, type RandomSource } from '../../dev/faults.js';

const MINUTE = 60_000;
const ORG = 'https://sim-org.okta.example';

export interface SimScenario {
  readonly name: string;
  /** Okta's `/api/v1/logs` limit per minute (120: Workforce Identity). */
  readonly limit: number;
  /** OKTA_RATE_LIMIT_SHARE. */
  readonly share: number;
  readonly pageLimit: number;
  /** Events waiting when the first tick fires. */
  readonly backlogEvents: number;
  /** New events per second while it runs (1M/day ≈ 11.6/s). */
  readonly liveEventsPerSecond: number;
  /** Okta answer time per request, uniform in [min, max]. */
  readonly oktaLatencyMs: readonly [number, number];
  /** Sumo answer time per POST; a real 1,000-event page is ~2 MB = 2–3 POSTs, here one batch stands for them. */
  readonly sumoLatencyMs: readonly [number, number];
  readonly postsPerPage: number;
  readonly dynamoLatencyMs: readonly [number, number];
  /** Collector CPU per page on a 256 MB Lambda: parsing (on the fetch path) and the rest (on the delivery path). */
  readonly cpuParseMs: number;
  readonly cpuDeliverMs: number;
  /** When in the minute the schedule fires (EventBridge picks a second; Okta windows reset on the minute). */
  readonly tickOffsetMs: number;
  /** From the schedule firing to the handler running. */
  readonly invokeDelayMs: readonly [number, number];
  /** Another integration of the org draining the same bucket: this share of the limit per window, at random moments. */
  readonly otherConsumerShare: number;
  /** Simulated time after which the run stops even if not caught up. */
  readonly maxMinutes: number;
  readonly seed: number;
  /** Backlog events are published this far apart (ms), ending at the start. @default 5 */
  readonly backlogSpacingMs?: number;
  /** OKTA_CATCHUP_SEGMENTS (1 = serial only). @default the setting's default */
  readonly catchUpSegments?: number;
}

export interface InvocationRecord {
  readonly tick: number;
  readonly start: number;
  readonly end: number;
  readonly stopReason: string;
  readonly events: number;
  readonly pages: number;
  readonly rateLimited: number;
  /** When its last page was accepted by Sumo. */
  readonly lastDelivery: number | undefined;
}

export interface SimResult {
  readonly scenario: SimScenario;
  readonly caughtUp: boolean;
  /** From the first tick to the last backlog event accepted by Sumo. */
  readonly catchUpMinutes: number;
  readonly eventsDuringCatchUp: number;
  /** Over that whole span (the first, partial rate-limit window flatters it a little on short runs). */
  readonly overallEventsPerMinute: number;
  /** Events accepted in whole rate-limit windows only, per window: the figure compared with the bound. */
  readonly eventsPerMinute: number;
  readonly wholeWindows: number;
  readonly boundPerMinute: number;
  readonly efficiency: number;
  readonly our429s: number;
  readonly other429s: number;
  readonly otherRequests: number;
  readonly ticks: number;
  readonly leaseHeldTicks: number;
  readonly invocations: readonly InvocationRecord[];
  /** Between one collecting invocation's end and the next one's start (ms). */
  readonly gapsMs: readonly number[];
  /** Between a collecting invocation's last delivered page and its end (ms): pacing waits that did not fit, reserves. */
  readonly tailsMs: readonly number[];
  /** Our requests per full rate-limit window during catch-up. */
  readonly requestsPerWindow: {
    readonly min: number;
    readonly median: number;
    readonly max: number;
    readonly allowance: number;
    /** Windows where we sent more than our allowance, and how many of those saw an invocation change. */
    readonly overShare: number;
    readonly overShareAtHandover: number;
  };
  /** Our allowed requests in whole windows ÷ (windows × allowance): the share actually used. */
  readonly windowEfficiency: number;
  /** Page slots (allowance − our requests) left unused in windows that straddle an invocation change vs inside one. */
  readonly unusedSlots: { readonly atHandover: number; readonly insideInvocation: number };
  /**
   * Successive answers from the same Okta window whose `resetAt` (as the adapter derives it from Reset and the
   * second-truncated Date) differ by ≥ 1 s: RateGovernor.observe takes each for a new window and restarts its count.
   */
  readonly sameWindowResetJumps: number;
  readonly pacingWaits: number;
  readonly pacingWaitMs: number;
  readonly retries: number;
  /** Events Sumo accepted more than once (parallel catch-up's segment overlaps). */
  readonly duplicates: number;
  /** Backlog events never accepted (0 unless something was lost, or the run stopped before catching up). */
  readonly missingBacklog: number;
  readonly realMs: number;
}

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => void;
}

/** A discrete-event clock: `sleep` registers a timer; `run` jumps to the next timer once everything settled. */
class SimClock implements Clock {
  private readonly timers: Timer[] = [];
  private seq = 0;

  public constructor(public time: number) {}

  public now(): number {
    return this.time;
  }

  public sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.cancel(timer);
        reject(signal!.reason as Error);
      };
      // Whole milliseconds, as Date.now() gives: the core hands `workRemaining()` to AbortSignal.timeout, which
      // throws a RangeError for a fraction.
      const timer = this.at(this.time + Math.max(0, Math.round(ms)), () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  public at(when: number, fire: () => void): Timer {
    const at = Math.round(when);
    const timer = { at, seq: this.seq++, fire };
    let lo = 0;
    let hi = this.timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const other = this.timers[mid]!;
      if (other.at < at || (other.at === at && other.seq < timer.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.timers.splice(lo, 0, timer);
    return timer;
  }

  private cancel(timer: Timer): void {
    const index = this.timers.indexOf(timer);
    if (index >= 0) this.timers.splice(index, 1);
  }

  /** Advances until `done()` or no timer is left before `until`. */
  public async run(done: () => boolean, until: number): Promise<void> {
    for (;;) {
      // Let every promise chain (and undici's in-memory Response bodies) settle before time moves.
      for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
      if (done()) return;
      const next = this.timers.shift();
      if (!next || next.at > until) return;
      this.time = Math.max(this.time, next.at);
      next.fire();
    }
  }
}

const uniform = (random: RandomSource, [min, max]: readonly [number, number]): number =>
  min + random() * (max - min);

/** Okta's per-org, per-minute bucket for `/api/v1/logs`. */
class Bucket {
  private window = -1;
  private used = 0;
  public readonly ours = new Map<number, number>();

  public constructor(public readonly limit: number) {}

  public take(now: number, who: 'us' | 'other'): { allowed: boolean; remaining: number; resetAt: number } {
    const window = Math.floor(now / MINUTE);
    if (window !== this.window) {
      this.window = window;
      this.used = 0;
    }
    const allowed = this.used < this.limit;
    if (allowed) this.used += 1;
    if (allowed && who === 'us') this.ours.set(window, (this.ours.get(window) ?? 0) + 1);
    return { allowed, remaining: this.limit - this.used, resetAt: (window + 1) * MINUTE };
  }
}

/** The org's System Log: a backlog plus live arrivals, served in persistence order through `after=<position>`. */
class SimOkta {
  public our429s = 0;
  private requestId = 0;

  public constructor(
    private readonly clock: SimClock,
    private readonly bucket: Bucket,
    private readonly scenario: SimScenario,
    private readonly startedAt: number,
  ) {}

  public produced(now: number): number {
    return (
      this.scenario.backlogEvents +
      Math.floor((Math.max(0, now - this.startedAt) * this.scenario.liveEventsPerSecond) / 1000)
    );
  }

  private publishedOf(index: number): number {
    const backlog = this.scenario.backlogEvents;
    // Backlog events are spread over the hours before the start, live ones arrive as they are published.
    return index < backlog
      ? this.startedAt - (backlog - index) * (this.scenario.backlogSpacingMs ?? 5)
      : this.startedAt + ((index - backlog) * 1000) / this.scenario.liveEventsPerSecond;
  }

  /** Index of the first event published at or after `ms` (backlog 5 ms apart, then the live rate). */
  private firstAt(ms: number): number {
    const backlog = this.scenario.backlogEvents;
    if (ms <= this.startedAt)
      return Math.max(0, backlog - Math.floor((this.startedAt - ms) / (this.scenario.backlogSpacingMs ?? 5)));
    return backlog + Math.ceil(((ms - this.startedAt) * this.scenario.liveEventsPerSecond) / 1000);
  }

  /** One request, handled when it reaches Okta; Date is when the answer leaves. */
  public serve(url: URL, arrival: number): { status: number; headers: Record<string, string>; body: string } {
    const id = `sim${(this.requestId++).toString(36).padStart(8, '0')}`;
    const take = this.bucket.take(arrival, 'us');
    const rate = {
      'X-Rate-Limit-Limit': String(this.bucket.limit),
      'X-Rate-Limit-Remaining': String(take.remaining),
      'X-Rate-Limit-Reset': String(Math.ceil(take.resetAt / 1000)),
      'X-Okta-Request-Id': id,
      'Content-Type': 'application/json',
    };
    if (!take.allowed) {
      this.our429s += 1;
      return {
        status: 429,
        headers: { ...rate, 'X-Rate-Limit-Remaining': '0' },
        body: JSON.stringify({
          errorCode: 'E0000047',
          errorSummary: 'API call exceeded rate limit due to too many requests.',
          errorLink: 'E0000047',
          errorId: id,
          errorCauses: [],
        }),
      };
    }
    const after = url.searchParams.get('after');
    const since = url.searchParams.get('since');
    // A polling query starts at the first event persisted at or after `since` (here persisted = published).
    const position = after !== null ? Number(after) : since === null ? 0 : this.firstAt(Date.parse(since));
    const count = Math.max(0, Math.min(this.scenario.pageLimit, this.produced(arrival) - position));
    const parts = new Array<string>(count);
    for (let k = 0; k < count; k++) {
      const index = position + k;
      parts[k] =
        `{"uuid":"e${index}","published":"${new Date(this.publishedOf(index)).toISOString()}","eventType":"user.session.start","outcome":{"result":"SUCCESS"}}`;
    }
    const next = `${ORG}/api/v1/logs?limit=${this.scenario.pageLimit}&after=${position + count}`;
    return {
      status: 200,
      headers: { ...rate, Link: `<${url.href}>; rel="self", <${next}>; rel="next"` },
      body: `[${parts.join(',')}]`,
    };
  }
}

/** Sumo: accepts each batch after a while; remembers when the last event was accepted. */
class SimSink implements LogSink {
  /** Distinct events accepted. */
  public events = 0;
  public duplicates = 0;
  /** One byte per event index (a Set of millions of numbers would weigh on the benchmark's own memory). */
  private seen = new Uint8Array(1 << 20);
  public lastAcceptedAt: number | undefined;
  public readonly acceptedAt: { at: number; events: number }[] = [];

  public constructor(
    private readonly clock: SimClock,
    private readonly random: RandomSource,
    private readonly scenario: SimScenario,
  ) {}

  /** Events with an index below `count` never accepted. */
  public missingBelow(count: number): number {
    let missing = 0;
    for (let i = 0; i < count; i++) if (this.seen[i] !== 1) missing += 1;
    return missing;
  }

  public async send(batch: Batch, options: SendOptions): Promise<void> {
    let wait = this.scenario.cpuDeliverMs;
    for (let i = 0; i < this.scenario.postsPerPage; i++)
      wait += uniform(this.random, this.scenario.sumoLatencyMs);
    await this.clock.sleep(wait, options.signal);
    // Distinct events only: parallel catch-up segments overlap a little, and a repeat is not progress.
    let fresh = 0;
    for (const item of batch.items) {
      const index = Number(/"uuid":"e(\d+)"/.exec(item.json)?.[1] ?? Number.NaN);
      if (Number.isNaN(index)) continue;
      if (index >= this.seen.length) {
        const grown = new Uint8Array(Math.max(this.seen.length * 2, index + 1));
        grown.set(this.seen);
        this.seen = grown;
      }
      if (this.seen[index] === 1) continue;
      this.seen[index] = 1;
      fresh += 1;
    }
    this.duplicates += batch.events - fresh;
    this.events += fresh;
    this.lastAcceptedAt = this.clock.now();
    this.acceptedAt.push({ at: this.clock.now(), events: fresh });
  }
}

/** The in-memory cursor table of the unit tests, behind DynamoDB's round trip. */
class SlowCursorStore implements CursorStore {
  private readonly inner = new InMemoryCursorStore();

  public constructor(
    private readonly clock: SimClock,
    private readonly random: RandomSource,
    private readonly latency: readonly [number, number],
  ) {}

  private pause(): Promise<void> {
    return this.clock.sleep(uniform(this.random, this.latency));
  }

  public async acquire(streamId: string, request: LeaseRequest): Promise<AcquiredStream | undefined> {
    await this.pause();
    return this.inner.acquire(streamId, request);
  }

  public async commit(lease: Lease, checkpoint: Checkpoint): Promise<void> {
    await this.pause();
    return this.inner.commit(lease, checkpoint);
  }

  public async release(lease: Lease): Promise<void> {
    await this.pause();
    return this.inner.release(lease);
  }

  public async listUnfinishedReplays(): Promise<readonly ReplayWindow[]> {
    await this.pause();
    return this.inner.listUnfinishedReplays();
  }
}

class CountingLogger implements Logger {
  public pacingWaits = 0;
  public pacingWaitMs = 0;
  public retries = 0;
  public debug(message: string, data?: Record<string, unknown>): void {
    if (message.startsWith('pacing')) {
      this.pacingWaits += 1;
      this.pacingWaitMs += Number(data?.['waitMs'] ?? 0);
    }
  }
  public info(): void {}
  public warn(message: string): void {
    if (message === 'retrying') this.retries += 1;
  }
  public error(): void {}
}

function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function simulateCatchUp(scenario: SimScenario): Promise<SimResult> {
  const realStart = performance.now();
  // Minute-aligned, in the recent past: loadConfig checks OKTA_START_TIME against the real clock.
  const t0 = Math.floor(Date.now() / MINUTE) * MINUTE - 7 * 86_400_000;
  const clock = new SimClock(t0);
  const random = seededRandom(scenario.seed);
  const bucket = new Bucket(scenario.limit);
  const okta = new SimOkta(clock, bucket, scenario, t0);
  const sink = new SimSink(clock, random, scenario);
  const logger = new CountingLogger();

  let sameWindowResetJumps = 0;
  let lastSeen: { window: number; resetAt: number } | undefined;
  const simFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const signal = init?.signal ?? undefined;
    const total = uniform(random, scenario.oktaLatencyMs);
    // 5 % to reach Okta (the bucket counts the request then), 85 % for the query, 10 % for the download.
    await clock.sleep(total * 0.05, signal);
    const answer = okta.serve(url, clock.now());
    await clock.sleep(total * 0.85, signal);
    const date = new Date(clock.now()).toUTCString();
    // The download and the collector's parsing come after the headers, as with a real response: a collector
    // that sends its next request on the headers' `next` link overlaps them with that request.
    const afterHeadersMs = total * 0.1 + (answer.status === 200 ? scenario.cpuParseMs : 0);
    const bytes = new TextEncoder().encode(answer.body);
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        await clock.sleep(afterHeadersMs, signal);
        controller.enqueue(bytes);
        controller.close();
      },
    });
    const response = new Response(body, {
      status: answer.status,
      headers: { ...answer.headers, Date: date },
    });
    const seen = readRateLimit(response.headers, clock.now());
    const window = Number(answer.headers['X-Rate-Limit-Reset']);
    if (seen && lastSeen && lastSeen.window === window && Math.abs(seen.resetAt - lastSeen.resetAt) >= 1000)
      sameWindowResetJumps += 1;
    if (seen) lastSeen = { window, resetAt: seen.resetAt };
    return response;
  };
  const source = new OktaLogSource({
    orgUrl: ORG,
    pageLimit: scenario.pageLimit,
    requestTimeoutMs: 30_000,
    clock,
    fetch: simFetch,
    authorizer: {
      headersFor: () => Promise.resolve({ Authorization: 'SSWS sim' }),
      onResponse: () => Promise.resolve('ok'),
    },
  });
  const config = loadConfig({
    OKTA_ORG_URL: ORG,
    OKTA_SECRET_ID: 'sim',
    SUMO_URL_PARAMETER: '/sim',
    CURSOR_TABLE_NAME: 'sim',
    OKTA_PAGE_LIMIT: String(scenario.pageLimit),
    OKTA_RATE_LIMIT_SHARE: String(scenario.share),
    OKTA_START_TIME: new Date(t0 - 86_400_000).toISOString(),
    ...(scenario.catchUpSegments === undefined
      ? {}
      : { OKTA_CATCHUP_SEGMENTS: String(scenario.catchUpSegments) }),
  });
  const collector = composeCollector(config, logger, {
    clock,
    random: seededRandom(scenario.seed + 1),
    source,
    sink,
    cursors: new SlowCursorStore(clock, random, scenario.dynamoLatencyMs),
  });

  // The other integration: at each window start, pick its moments in that window.
  let otherRequests = 0;
  let other429s = 0;
  const otherPerWindow = Math.round(scenario.limit * scenario.otherConsumerShare);
  const planOther = (windowStart: number): void => {
    for (let i = 0; i < otherPerWindow; i++) {
      clock.at(windowStart + random() * MINUTE, () => {
        otherRequests += 1;
        if (!bucket.take(clock.now(), 'other').allowed) other429s += 1;
      });
    }
    clock.at(windowStart + MINUTE, () => planOther(windowStart + MINUTE));
  };
  if (otherPerWindow > 0) planOther(t0);

  const invocations: InvocationRecord[] = [];
  let ticks = 0;
  let failure: unknown;
  let caughtUpAt: number | undefined;
  const tick = (index: number, firedAt: number): void => {
    ticks += 1;
    clock.at(firedAt + MINUTE, () => tick(index + 1, firedAt + MINUTE));
    const delay = uniform(random, scenario.invokeDelayMs);
    clock.at(firedAt + delay, () => {
      const start = clock.now();
      const deliveredBefore = sink.lastAcceptedAt;
      // Through the handler's own steps, with the 900 s timeout's remaining time.
      runInvocation(
        collector,
        { kind: 'tick' },
        { awsRequestId: `tick-${index}`, getRemainingTimeInMillis: () => 900_000 },
      ).then(
        (summary) => {
          const end = clock.now();
          const last = sink.lastAcceptedAt !== deliveredBefore ? sink.lastAcceptedAt : undefined;
          invocations.push({
            tick: index,
            start,
            end,
            stopReason: summary.stopReason,
            events: summary.events,
            pages: summary.pages,
            rateLimited: summary.rateLimited,
            lastDelivery: last,
          });
          if (
            summary.stopReason === 'caught-up' &&
            caughtUpAt === undefined &&
            sink.events >= scenario.backlogEvents
          )
            caughtUpAt = end;
        },
        (error: unknown) => {
          failure = error;
        },
      );
    });
  };
  clock.at(t0 + scenario.tickOffsetMs, () => tick(0, t0 + scenario.tickOffsetMs));

  await clock.run(() => failure !== undefined || caughtUpAt !== undefined, t0 + scenario.maxMinutes * MINUTE);
  if (failure !== undefined)
    throw failure instanceof Error ? failure : new Error('a simulated tick failed', { cause: failure });

  // Catch-up rate: events accepted from the first tick until the backlog (plus what arrived meanwhile) was in.
  const firstStart = t0 + scenario.tickOffsetMs;
  const end = caughtUpAt ?? clock.now();
  let delivered = 0;
  let lastAt = firstStart;
  for (const entry of sink.acceptedAt) {
    if (entry.at > end) break;
    delivered += entry.events;
    lastAt = entry.at;
  }
  const minutes = (lastAt - firstStart) / MINUTE;
  const boundPerMinute = scenario.limit * scenario.share * scenario.pageLimit;
  const firstWindow = Math.ceil(firstStart / MINUTE);
  const lastWindow = Math.floor(lastAt / MINUTE) - 1;
  const wholeWindows = Math.max(1, lastWindow - firstWindow + 1);
  let inWholeWindows = 0;
  for (const entry of sink.acceptedAt) {
    if (entry.at >= firstWindow * MINUTE && entry.at < (lastWindow + 1) * MINUTE)
      inWholeWindows += entry.events;
  }
  const eventsPerMinute = inWholeWindows / wholeWindows;

  const collecting = invocations
    .filter((inv) => inv.stopReason !== 'lease-held')
    .sort((a, b) => a.start - b.start);
  const gapsMs: number[] = [];
  const tailsMs: number[] = [];
  for (let i = 0; i < collecting.length; i++) {
    const inv = collecting[i]!;
    const next = collecting[i + 1];
    if (next && inv.end <= end) gapsMs.push(next.start - inv.end);
    if (inv.lastDelivery !== undefined && inv.stopReason === 'time-budget')
      tailsMs.push(inv.end - inv.lastDelivery);
  }
  // Our requests in every whole window of the catch-up, and where the unused slots were.
  const allowance = Math.max(1, Math.floor(scenario.limit * scenario.share));
  const perWindow: number[] = [];
  let atHandover = 0;
  let insideInvocation = 0;
  let overShare = 0;
  let overShareAtHandover = 0;
  for (let w = firstWindow; w <= lastWindow; w++) {
    const ours = bucket.ours.get(w) ?? 0;
    perWindow.push(ours);
    const unused = Math.max(0, allowance - ours);
    const windowStart = w * MINUTE;
    const straddles = collecting.some((inv) => inv.end > windowStart && inv.end < windowStart + MINUTE);
    if (straddles) atHandover += unused;
    else insideInvocation += unused;
    if (ours > allowance) {
      overShare += 1;
      if (straddles) overShareAtHandover += 1;
    }
  }
  return {
    scenario,
    caughtUp: caughtUpAt !== undefined,
    catchUpMinutes: minutes,
    eventsDuringCatchUp: delivered,
    overallEventsPerMinute: delivered / minutes,
    eventsPerMinute,
    wholeWindows,
    boundPerMinute,
    efficiency: eventsPerMinute / boundPerMinute,
    our429s: okta.our429s,
    other429s,
    otherRequests,
    ticks,
    leaseHeldTicks: invocations.filter((inv) => inv.stopReason === 'lease-held').length,
    invocations,
    gapsMs,
    tailsMs,
    requestsPerWindow: {
      min: Math.min(...perWindow),
      median: median(perWindow),
      max: Math.max(...perWindow),
      allowance,
      overShare,
      overShareAtHandover,
    },
    windowEfficiency: perWindow.reduce((sum, n) => sum + n, 0) / (perWindow.length * allowance),
    unusedSlots: { atHandover, insideInvocation },
    sameWindowResetJumps,
    pacingWaits: logger.pacingWaits,
    pacingWaitMs: logger.pacingWaitMs,
    retries: logger.retries,
    duplicates: sink.duplicates,
    missingBacklog: sink.missingBelow(scenario.backlogEvents),
    realMs: performance.now() - realStart,
  };
}

/** The default scenario: Workforce Identity limit, default share, ~3.5 backlog invocations, live 1M events/day. */
export function defaultScenario(overrides: Partial<SimScenario> = {}): SimScenario {
  return {
    name: 'catch-up',
    limit: 120,
    share: 0.5,
    pageLimit: 1000,
    backlogEvents: 3_000_000,
    liveEventsPerSecond: 1_000_000 / 86_400,
    oktaLatencyMs: [300, 1500],
    sumoLatencyMs: [80, 300],
    postsPerPage: 2,
    dynamoLatencyMs: [5, 15],
    cpuParseMs: 40,
    cpuDeliverMs: 100,
    tickOffsetMs: 23_000,
    invokeDelayMs: [20, 250],
    otherConsumerShare: 0,
    maxMinutes: 180,
    seed: 42,
    ...overrides,
  };
}
