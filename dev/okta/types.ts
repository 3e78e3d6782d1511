/**
 * The Okta simulator's public types: its options, what it records, and the handle a test or script holds.
 * (The fault kinds are in `faults.ts`, next to the answers they produce.)
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { FaultSchedule, FiredFault } from '../faults.js';
import type { OktaEventGeneratorOptions, OktaLogEvent } from '../okta-events.js';
import type { OktaFault, OktaFaultKind } from './faults.js';
import type { RateLimitAlignment } from './rate-limit-bucket.js';

/** A response the OAuth hook wants written as it is. */
export interface OktaHookResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The OAuth 2.0 / DPoP authority, plugged in by `okta-oauth-authority.ts`. The simulator routes
 * `POST /oauth2/v1/token` to `handleTokenRequest`, and asks `checkApiRequest` before serving any
 * `/api/v1/logs` request not authorized by a configured SSWS token; a returned response (401 with a
 * `DPoP-Nonce`, 400 `use_dpop_nonce`...) is written instead of the page. With a hook and no `apiToken`, SSWS
 * requests go to the hook too, so the authority can count (and refuse) a collector that sends one.
 */
export interface OktaOAuthHook {
  handleTokenRequest(req: IncomingMessage, body: string): Promise<OktaHookResponse>;
  checkApiRequest(req: IncomingMessage, url: URL): Promise<OktaHookResponse | undefined>;
  /** Extra headers for every served page (a rotating API `DPoP-Nonce`), when the authority has any. */
  apiResponseHeaders?(): Record<string, string>;
}

/** `Link` header layout: Okta has sent both. */
export type LinkStyle = 'separate' | 'joined';

/** Settings that can also be changed while running, with {@link OktaSimulator.configure}. */
export interface OktaSimulatorSettings {
  /** @default 'separate' */
  readonly linkStyle?: LinkStyle;
  /**
   * Requests per minute of the org's `/api/v1/logs` bucket (Okta: 20 free developer, 50 Enterprise, 120
   * Workforce Identity). 0 means unlimited, and then no `X-Rate-Limit-*` headers are sent. @default 0
   */
  readonly rateLimitPerMinute?: number;
  /** @default 'minute' */
  readonly rateLimitAlignment?: RateLimitAlignment;
  /** Okta's clock minus the local clock, in ms; drives `Date`, `X-Rate-Limit-Reset`, `published`. @default 0 */
  readonly clockSkewMs?: number;
  /** Requests in flight beyond this get the concurrent-request 429. 0 means no limit. @default 0 */
  readonly maxConcurrentRequests?: number;
  /** An event becomes visible to queries this long after it was persisted (Okta's internal delay). @default 0 */
  readonly visibilityDelayMs?: number;
  /** Gzip responses when the client accepts it (costs CPU; off keeps benchmarks about the collector). @default false */
  readonly compress?: boolean;
}

export interface OktaSimulatorOptions extends OktaSimulatorSettings {
  /**
   * Accepted `SSWS` API token. @default 'sim-okta-api-token' when no `oauth` hook is given; with a hook,
   * SSWS is refused unless a token is given here.
   */
  readonly apiToken?: string;
  /** The OAuth/DPoP authority; enables `POST /oauth2/v1/token` and OAuth-authorized API calls. */
  readonly oauth?: OktaOAuthHook;
  /** Seed of the event generator, request ids and cursor signing. @default 1 */
  readonly seed?: number;
  /** How generated events look (unusual text, large events...); its `seed` defaults to `seed`. */
  readonly events?: OktaEventGeneratorOptions;
  /** Initial fault schedule. */
  readonly faults?: FaultSchedule<OktaFault>;
  /** The local clock (epoch ms); tests may drive it. @default Date.now */
  readonly now?: () => number;
  /** Okta keeps 90 days: older `published` are not returned. @default 90 */
  readonly retentionDays?: number;
}

/** An event as the simulated org holds it. */
export interface StoredOktaEvent {
  /** Position in persistence order (0-based). */
  readonly seq: number;
  readonly uuid: string;
  readonly published: string;
  readonly publishedMs: number;
  /** Okta's internal persistence time (simulator clock, epoch ms): what polling queries filter on. */
  readonly persistedAt: number;
  /** The exact JSON served for this event (serialized once). */
  readonly json: string;
  /** The event as an object (parsed from `json` on first use, then cached). */
  readonly event: Readonly<Record<string, unknown>>;
}

/** One request the simulator saw. */
export interface OktaRequestRecord {
  readonly requestId: string;
  /** Local clock, epoch ms. */
  readonly time: number;
  readonly method: string;
  /** Path and query as sent. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly kind: 'logs' | 'token' | 'other';
  status: number;
  /** The fault that fired, if any. */
  fault?: OktaFaultKind;
  query?: 'polling' | 'bounded';
  /** Events in the body (0 for errors). */
  events: number;
  next?: string;
}

export interface OktaSimulatorCounters {
  requests: number;
  logsRequests: number;
  tokenRequests: number;
  /** 200 pages served with a well-formed body. */
  pages: number;
  emptyPages: number;
  /** Events sent in well-formed pages (duplicates counted). */
  eventsServed: number;
  bytesServed: number;
  /** 429 answers (bucket, concurrency and injected). */
  rateLimited: number;
  unauthorized: number;
  badRequests: number;
  faults: number;
}

/** For events given as objects, `publishedAt` and `ageMs` replace their `published`. */
export interface ProduceOptions {
  /** `published` of event `i` (epoch ms, simulator clock). @default now − (count − 1 − i) ms, minus `ageMs` */
  readonly publishedAt?: number | ((index: number) => number);
  /** Make the events late: `published` this long before their persistence time. @default 0 */
  readonly ageMs?: number;
}

/** Something `produce` accepts: a LogEvent object, any JSON object with `uuid`, or a JSON string of one. */
export type ProducibleEvent = OktaLogEvent | Readonly<Record<string, unknown>> | string;

export interface OktaSimulator {
  /** `http://127.0.0.1:<port>`: the org URL to configure the collector with. */
  readonly orgUrl: string;
  /** Appends events to the log, persisted now; generates `n` events when given a number. */
  produce(input: number | readonly ProducibleEvent[], options?: ProduceOptions): StoredOktaEvent[];
  /** `n` events persisted now whose `published` is `publishedAgeMs` in the past (Okta's delayed records). */
  produceLate(count: number, publishedAgeMs: number): StoredOktaEvent[];
  /** Every event, in persistence order. */
  readonly events: readonly StoredOktaEvent[];
  /** Looks an event up by uuid. */
  find(uuid: string): StoredOktaEvent | undefined;
  /** How many times each uuid was sent in a well-formed page. */
  readonly served: ReadonlyMap<string, number>;
  /** Every request, in arrival order. */
  readonly requests: readonly OktaRequestRecord[];
  readonly counters: Readonly<OktaSimulatorCounters>;
  /** Replaces the fault schedule (`{}` clears it). */
  setFaults(schedule: FaultSchedule<OktaFault>): void;
  /** Appends faults to the queue. */
  pushFaults(...faults: OktaFault[]): void;
  /** Faults taken from the schedule, in order (queued `pass` placeholders included). */
  readonly firedFaults: readonly FiredFault<OktaFault>[];
  /** Changes settings while running. */
  configure(settings: OktaSimulatorSettings): void;
  /** Makes `token` valid; with `revokeOthers`, every other SSWS token stops working (rotation). */
  addApiToken(token: string, options?: { revokeOthers?: boolean }): void;
  /** Revokes one SSWS token, or all when none is given (a deleted admin takes their tokens along). */
  revokeApiToken(token?: string): void;
  /** Another integration of the same org takes `n` requests from the shared bucket; returns what remains. */
  consumeRateLimit(n?: number): number;
  /** The bucket as the next request would see it before taking from it. */
  rateLimitState(): { limit: number; remaining: number; resetAt: number };
  /** Every `after` issued so far becomes unknown (400), as when Okta no longer accepts an old cursor. */
  invalidateCursors(): void;
  /** The simulator's (Okta's) clock: local clock plus skew. */
  now(): number;
  stop(): Promise<void>;
}
