/**
 * A local stand-in for an Okta org's System Log API (`GET /api/v1/logs`), on a loopback node:http server.
 *
 * It behaves as Okta documents (developer.okta.com, "System Log API"; see /work/shared/FACTS.md):
 *
 * - Polling requests (no `until`, ascending) filter on Okta's internal *persistence* time, return events in
 *   persistence order (so a late-persisted event with an old `published` is still returned), and always carry
 *   a `next` link, even on an empty page. The position is opaque in `after=`.
 * - Bounded requests (`until` given) filter on `published` in [since, until), in `published` order; the last
 *   page has no `next` link. Events persisted after the query ran are missing, as in Okta.
 * - `limit` 0..1000 (default 100), `sortOrder`, `filter` (SCIM subset), `q` (keywords); 400s as Okta answers
 *   them (bad filter, `published` in a filter, `since` more than 180 days back, an unknown `after`).
 * - `Link` headers (`rel="self"`, `rel="next"`) as separate headers or one comma-joined header.
 * - `Date`, `X-Okta-Request-Id`, `X-Rate-Limit-Limit/Remaining/Reset` from a per-minute bucket that other
 *   integrations can drain too (the bucket is per org), 429 `E0000047` when empty; an optional clock skew so
 *   a client that compares `X-Rate-Limit-Reset` with its own clock instead of `Date` is caught.
 * - Auth: `Authorization: SSWS <token>` (rotatable, revocable → 401 `E0000011`), or an OAuth hook
 *   (`POST /oauth2/v1/token` and a check before each API call) supplied by the OAuth/DPoP authority stand-in.
 * - Programmable faults, consumed per request (see {@link OktaFault}).
 *
 * Each event is serialized once, when produced; a page is a join of those strings, so 1,000-event pages take
 * a few ms and benchmarks measure the collector, not the simulator.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import {
  FaultPlan,
  pause,
  seededRandom,
  type FaultSchedule,
  type FiredFault,
  type RandomSource,
} from './faults.js';
import {
  createOktaEventGenerator,
  type OktaEventGeneratorOptions,
  type OktaLogEvent,
} from './okta-events.js';

// ---------------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------------

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

/**
 * One programmed failure of a `/api/v1/logs` request. Faults fire after authentication and the rate-limit
 * bucket (so an injected fault still carries real `X-Rate-Limit-*` headers), one per request.
 */
export type OktaFault =
  /** No fault: a placeholder in a queue ("the third request fails"). */
  | { readonly kind: 'pass' }
  /** 429 `E0000047` with Limit n / Remaining 0 and `X-Rate-Limit-Reset` `resetInSeconds` from now (default: the window's reset). */
  | { readonly kind: 'rate-limit'; readonly resetInSeconds?: number }
  /** Okta's concurrent-request 429: `X-Rate-Limit-Limit: 0`, `X-Rate-Limit-Remaining: 0`. */
  | { readonly kind: 'concurrent-limit' }
  /** 500 `E0000009`: Okta's answer when a query exceeds its 30 s internal timeout. */
  | { readonly kind: 'server-error' }
  /** 503 with an HTML body, as a load balancer in front of Okta answers. */
  | { readonly kind: 'unavailable' }
  /** Headers (with a full `Content-Length` and the `next` link) and part of the body, then the socket is destroyed. */
  | {
      readonly kind: 'reset-mid-body';
      /** Fraction of the body sent first. @default 0.5 */ readonly fraction?: number;
    }
  /** 200 with the real `Link` headers and a truncated JSON body: a client must not advance past it. */
  | { readonly kind: 'malformed-json' }
  /** Waits, then serves normally (the page reflects events produced during the wait). */
  | { readonly kind: 'slow'; readonly delayMs: number }
  /** Never answers (until the client gives up or the simulator stops). */
  | { readonly kind: 'hang' }
  /** 200 `[]` with a `next` link to the same position, as Okta does when nothing new is visible yet. */
  | { readonly kind: 'empty-page' }
  /** Serves the real page but its `next` link points at another origin. @default origin 'https://attacker.example' */
  | { readonly kind: 'foreign-next'; readonly origin?: string }
  /** An Okta error answer: 401 `E0000011`, 403 `E0000006`, 404 `E0000007`. */
  | { readonly kind: 'status'; readonly status: 401 | 403 | 404 };

export type OktaFaultKind = OktaFault['kind'];

/** `Link` header layout: Okta has sent both. */
export type LinkStyle = 'separate' | 'joined';

/**
 * When a rate-limit window resets. `minute`: on each minute of the simulator's clock (Okta's per-minute
 * windows). `first-request`: 60 s after the first request of the window.
 */
export type RateLimitAlignment = 'minute' | 'first-request';

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

/** A stored event; the object form is parsed lazily, since only filters and tests need it. */
class StoredEvent implements StoredOktaEvent {
  private parsed: Readonly<Record<string, unknown>> | undefined;

  public constructor(
    public readonly seq: number,
    public readonly uuid: string,
    public readonly published: string,
    public readonly publishedMs: number,
    public readonly persistedAt: number,
    public readonly json: string,
    event?: Readonly<Record<string, unknown>>,
  ) {
    this.parsed = event;
  }

  public get event(): Readonly<Record<string, unknown>> {
    this.parsed ??= JSON.parse(this.json) as Record<string, unknown>;
    return this.parsed;
  }
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

// ---------------------------------------------------------------------------------------------------------
// Constants from Okta's documentation
// ---------------------------------------------------------------------------------------------------------

const LOGS_PATH = '/api/v1/logs';
const TOKEN_PATH = '/oauth2/v1/token';
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const DAY_MS = 86_400_000;
const DEFAULT_LOOKBACK_MS = 7 * DAY_MS;
const MAX_SINCE_AGE_MS = 180 * DAY_MS;
const MAX_KEYWORD_LENGTH = 40;
const MAX_KEYWORDS = 10;
const WINDOW_MS = 60_000;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const TOP_LEVEL_FIELDS = new Set(
  [
    'uuid',
    'published',
    'eventType',
    'version',
    'severity',
    'legacyEventType',
    'displayMessage',
    'actor',
    'client',
    'device',
    'request',
    'outcome',
    'target',
    'transaction',
    'debugContext',
    'authenticationContext',
    'securityContext',
  ].map((f) => f.toLowerCase()),
);

// ---------------------------------------------------------------------------------------------------------
// Errors in Okta's shape
// ---------------------------------------------------------------------------------------------------------

class OktaHttpError extends Error {
  public constructor(
    public readonly status: number,
    public readonly errorCode: string,
    summary: string,
    public readonly causes: readonly string[] = [],
  ) {
    super(summary);
  }
}

function errorBody(
  errorCode: string,
  summary: string,
  errorId: string,
  causes: readonly string[] = [],
): string {
  return JSON.stringify({
    errorCode,
    errorSummary: summary,
    errorLink: errorCode,
    errorId,
    errorCauses: causes.map((c) => ({ errorSummary: c })),
  });
}

const badRequest = (summary: string, causes: readonly string[] = []): OktaHttpError =>
  new OktaHttpError(400, 'E0000001', `Api validation failed: ${summary}`, causes);

// ---------------------------------------------------------------------------------------------------------
// SCIM filter (the subset Okta documents for /api/v1/logs)
// ---------------------------------------------------------------------------------------------------------

type Predicate = (event: Readonly<Record<string, unknown>>) => boolean;
type Literal = string | number | boolean | null;
type Token =
  { type: 'word'; text: string } | { type: 'string'; text: string } | { type: 'punct'; text: '(' | ')' };

const OPERATORS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr']);

function invalidFilter(filter: string, why: string): OktaHttpError {
  return new OktaHttpError(400, 'E0000053', `Invalid filter '${filter}': ${why}`);
}

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const c = filter[i]!;
    if (c === ' ' || c === '\t') {
      i += 1;
    } else if (c === '(' || c === ')') {
      tokens.push({ type: 'punct', text: c });
      i += 1;
    } else if (c === '"') {
      let text = '';
      i += 1;
      for (;;) {
        if (i >= filter.length) throw invalidFilter(filter, 'unterminated string');
        const d = filter[i]!;
        if (d === '\\') {
          const e = filter[i + 1];
          if (e === undefined) throw invalidFilter(filter, 'unterminated string');
          text += e;
          i += 2;
        } else if (d === '"') {
          i += 1;
          break;
        } else {
          text += d;
          i += 1;
        }
      }
      tokens.push({ type: 'string', text });
    } else {
      const start = i;
      while (i < filter.length && !' \t()"'.includes(filter[i]!)) i += 1;
      tokens.push({ type: 'word', text: filter.slice(start, i) });
    }
  }
  return tokens;
}

/** Reads the values at a dotted path; arrays on the way are flattened (`target.id` is any target's id). */
function valuesAt(root: unknown, path: readonly string[]): unknown[] {
  let current: unknown[] = [root];
  for (const segment of path) {
    const next: unknown[] = [];
    for (const value of current) {
      const items = Array.isArray(value) ? (value as unknown[]) : [value];
      for (const item of items) {
        if (item === null || typeof item !== 'object') continue;
        const record = item as Record<string, unknown>;
        if (segment in record) {
          next.push(record[segment]);
          continue;
        }
        // SCIM attribute names are case-insensitive (RFC 7644 §3.4.2.2).
        const lower = segment.toLowerCase();
        for (const key of Object.keys(record)) if (key.toLowerCase() === lower) next.push(record[key]);
      }
    }
    current = next;
  }
  return current.flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : [v]));
}

function compare(op: string, actual: unknown, expected: Literal): boolean {
  if (typeof actual === 'string' && typeof expected === 'string') {
    // SCIM string comparison is case-insensitive unless an attribute is caseExact.
    const a = actual.toLowerCase();
    const e = expected.toLowerCase();
    switch (op) {
      case 'eq':
        return a === e;
      case 'ne':
        return a !== e;
      case 'co':
        return a.includes(e);
      case 'sw':
        return a.startsWith(e);
      case 'ew':
        return a.endsWith(e);
      case 'gt':
        return a > e;
      case 'ge':
        return a >= e;
      case 'lt':
        return a < e;
      case 'le':
        return a <= e;
    }
    return false;
  }
  if (typeof actual === 'number' && typeof expected === 'number') {
    switch (op) {
      case 'eq':
        return actual === expected;
      case 'ne':
        return actual !== expected;
      case 'gt':
        return actual > expected;
      case 'ge':
        return actual >= expected;
      case 'lt':
        return actual < expected;
      case 'le':
        return actual <= expected;
    }
    return false;
  }
  if (op === 'eq') return actual === expected;
  if (op === 'ne') return actual !== expected;
  return false;
}

/** Compiles a filter expression, throwing Okta's 400 for anything it cannot or will not run. */
export function compileOktaFilter(filter: string): Predicate {
  const tokens = tokenize(filter);
  let pos = 0;
  const peekWord = (): string | undefined => {
    const t = tokens[pos];
    return t?.type === 'word' ? t.text.toLowerCase() : undefined;
  };

  function orExpr(): Predicate {
    let left = andExpr();
    while (peekWord() === 'or') {
      pos += 1;
      const l = left;
      const r = andExpr();
      left = (e) => l(e) || r(e);
    }
    return left;
  }
  function andExpr(): Predicate {
    let left = unary();
    while (peekWord() === 'and') {
      pos += 1;
      const l = left;
      const r = unary();
      left = (e) => l(e) && r(e);
    }
    return left;
  }
  function unary(): Predicate {
    const t = tokens[pos];
    if (t === undefined) throw invalidFilter(filter, 'unexpected end of expression');
    if (t.type === 'word' && t.text.toLowerCase() === 'not') {
      pos += 1;
      const inner = group();
      return (e) => !inner(e);
    }
    if (t.type === 'punct' && t.text === '(') return group();
    return comparison();
  }
  function group(): Predicate {
    const open = tokens[pos];
    if (open?.type !== 'punct' || open.text !== '(')
      throw invalidFilter(filter, `expected '(' at token ${pos}`);
    pos += 1;
    const inner = orExpr();
    const close = tokens[pos];
    if (close?.type !== 'punct' || close.text !== ')')
      throw invalidFilter(filter, `expected ')' at token ${pos}`);
    pos += 1;
    return inner;
  }
  function comparison(): Predicate {
    const attr = tokens[pos];
    if (attr?.type !== 'word' || !/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(attr.text)) {
      throw invalidFilter(filter, `expected an attribute at token ${pos}`);
    }
    const path = attr.text.split('.');
    const field = path[0]!.toLowerCase();
    // Okta: "SCIM filter expressions can't use the published attribute" (it conflicts with since/until/after).
    if (field === 'published') {
      throw new OktaHttpError(
        400,
        'E0000031',
        'The supplied combination of operator and field is not currently supported. Field: published',
      );
    }
    if (!TOP_LEVEL_FIELDS.has(field))
      throw new OktaHttpError(400, 'E0000053', `field is not valid: ${attr.text}`);
    pos += 1;
    const opToken = tokens[pos];
    const op = opToken?.type === 'word' ? opToken.text.toLowerCase() : '';
    if (!OPERATORS.has(op)) {
      throw invalidFilter(
        filter,
        `Unrecognized attribute operator '${opToken?.text ?? ''}'. Expected: eq,co,sw,pr,gt,ge,lt,le`,
      );
    }
    pos += 1;
    const dotted = path.join('.').toLowerCase();
    if (
      op === 'co' &&
      (dotted === 'debugcontext.debugdata.url' || dotted === 'debugcontext.debugdata.requesturi')
    ) {
      throw new OktaHttpError(
        400,
        'E0000031',
        `The supplied combination of operator and field is not currently supported. Operator: co, Field: ${attr.text}`,
      );
    }
    if (op === 'pr') return (e) => valuesAt(e, path).some((v) => v !== null && v !== undefined);
    const valueToken = tokens[pos];
    if (valueToken === undefined || valueToken.type === 'punct')
      throw invalidFilter(filter, `expected a value after '${op}'`);
    pos += 1;
    let value: Literal;
    if (valueToken.type === 'string') value = valueToken.text;
    else if (valueToken.text === 'true' || valueToken.text === 'false') value = valueToken.text === 'true';
    else if (valueToken.text === 'null') value = null;
    else if (/^-?\d+(\.\d+)?$/.test(valueToken.text)) value = Number(valueToken.text);
    else throw invalidFilter(filter, `invalid value '${valueToken.text}'`);
    return (e) => valuesAt(e, path).some((v) => compare(op, v, value));
  }

  if (tokens.length === 0) throw invalidFilter(filter, 'empty expression');
  const predicate = orExpr();
  if (pos !== tokens.length) throw invalidFilter(filter, `unexpected token at position ${pos}`);
  return predicate;
}

// ---------------------------------------------------------------------------------------------------------
// Rate-limit bucket (one per org and endpoint: every integration of the org takes from it)
// ---------------------------------------------------------------------------------------------------------

class RateLimitBucket {
  private used = 0;
  private resetAt = 0;

  public constructor(
    public limit: number,
    public alignment: RateLimitAlignment,
  ) {}

  private roll(now: number): void {
    if (now < this.resetAt) return;
    this.used = 0;
    this.resetAt =
      this.alignment === 'minute' ? Math.floor(now / WINDOW_MS) * WINDOW_MS + WINDOW_MS : now + WINDOW_MS;
  }

  /** Takes `n` requests if they fit; reports the state after the take. */
  public take(now: number, n = 1): { allowed: boolean; remaining: number; resetAt: number } {
    this.roll(now);
    const allowed = this.used + n <= this.limit;
    this.used = Math.min(this.limit, this.used + n);
    return { allowed, remaining: this.limit - this.used, resetAt: this.resetAt };
  }

  public peek(now: number): { remaining: number; resetAt: number } {
    if (now >= this.resetAt) {
      const resetAt =
        this.alignment === 'minute' ? Math.floor(now / WINDOW_MS) * WINDOW_MS + WINDOW_MS : now + WINDOW_MS;
      return { remaining: this.limit, resetAt };
    }
    return { remaining: this.limit - this.used, resetAt: this.resetAt };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Cursors: `after` is opaque to clients and signed, so a forged or stale one is rejected like Okta does.
// ---------------------------------------------------------------------------------------------------------

type Cursor =
  /** Polling: next position in persistence order; `f` = the original `since` (persistence floor). */
  | { m: 'p'; s: number; f: number; e: number }
  /** Bounded: after the event (t = publishedMs, s = seq), within [since, until), `d` for descending. */
  | { m: 'b'; t: number; s: number; a: number; u: number; d: boolean; e: number };

function encodeCursor(cursor: Cursor, secret: string): string {
  const payload = Buffer.from(JSON.stringify(cursor)).toString('base64url');
  const mac = createHmac('sha256', secret).update(payload).digest('base64url').slice(0, 16);
  return `${payload}.${mac}`;
}

function decodeCursor(after: string, secret: string, epoch: number): Cursor {
  const [payload, mac] = after.split('.');
  const unknown = badRequest(`'after': The cursor is invalid or unknown.`);
  if (payload === undefined || mac === undefined) throw unknown;
  if (createHmac('sha256', secret).update(payload).digest('base64url').slice(0, 16) !== mac) throw unknown;
  let cursor: Cursor;
  try {
    cursor = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Cursor;
  } catch {
    throw unknown;
  }
  if (cursor.e !== epoch) throw unknown;
  return cursor;
}

// ---------------------------------------------------------------------------------------------------------
// The simulator
// ---------------------------------------------------------------------------------------------------------

interface Page {
  readonly events: readonly StoredOktaEvent[];
  readonly next: Cursor | undefined;
  readonly query: 'polling' | 'bounded';
}

interface ParsedQuery {
  readonly limit: number;
  readonly matches: (event: StoredOktaEvent) => boolean;
  /** Where the request starts. */
  readonly cursor: Cursor;
}

function parseInstant(name: string, value: string): number {
  const ms = ISO_INSTANT.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw badRequest(
      `'${name}': The date format in your query is not recognized. Please enter dates using ISO8601 string format.`,
      [
        `${name}: The date format in your query is not recognized. Please enter dates using ISO8601 string format.`,
      ],
    );
  }
  return ms;
}

/** Index of the first element for which `before` is false (elements must be partitioned: trues then falses). */
function partition<T>(items: readonly T[], before: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(items[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const byPublishedThenSeq = (a: StoredOktaEvent, b: StoredOktaEvent): number =>
  a.publishedMs - b.publishedMs || a.seq - b.seq;

/** Starts the simulator on 127.0.0.1 with an ephemeral port. */
export async function startOktaSimulator(options: OktaSimulatorOptions = {}): Promise<OktaSimulator> {
  const seed = options.seed ?? 1;
  const localNow = options.now ?? Date.now;
  const settings = {
    linkStyle: options.linkStyle ?? 'separate',
    clockSkewMs: options.clockSkewMs ?? 0,
    maxConcurrentRequests: options.maxConcurrentRequests ?? 0,
    visibilityDelayMs: options.visibilityDelayMs ?? 0,
    compress: options.compress ?? false,
  };
  const bucket = new RateLimitBucket(options.rateLimitPerMinute ?? 0, options.rateLimitAlignment ?? 'minute');
  const retentionMs = (options.retentionDays ?? 90) * DAY_MS;
  const tokens = new Set<string>();
  if (options.apiToken !== undefined) tokens.add(options.apiToken);
  else if (options.oauth === undefined) tokens.add('sim-okta-api-token');
  const oauth = options.oauth;
  const generator = createOktaEventGenerator({ seed, ...options.events });
  const ids: RandomSource = seededRandom(seed ^ 0x5eed);
  const secret = `okta-simulator-cursor-${seed}`;
  let cursorEpoch = 0;

  const events: StoredOktaEvent[] = [];
  const byUuid = new Map<string, StoredOktaEvent>();
  let byPublished: StoredOktaEvent[] = [];
  let byPublishedSorted = true;
  let lastPersisted = 0;
  const served = new Map<string, number>();
  const requests: OktaRequestRecord[] = [];
  const faults = new FaultPlan<OktaFault>(options.faults ?? {});
  const counters: OktaSimulatorCounters = {
    requests: 0,
    logsRequests: 0,
    tokenRequests: 0,
    pages: 0,
    emptyPages: 0,
    eventsServed: 0,
    bytesServed: 0,
    rateLimited: 0,
    unauthorized: 0,
    badRequests: 0,
    faults: 0,
  };
  const stopping = new AbortController();
  let inFlight = 0;

  const now = (): number => localNow() + settings.clockSkewMs;
  const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const randomId = (length: number): string => {
    let out = '';
    for (let i = 0; i < length; i += 1) out += ID_CHARS[Math.floor(ids() * ID_CHARS.length)];
    return out;
  };
  let requestCounter = 0;
  const nextRequestId = (): string => {
    requestCounter += 1;
    return `${randomId(19)}AAA${requestCounter.toString(36).padStart(5, 'A')}`;
  };

  // ----- the log -----

  function store(
    uuid: unknown,
    published: unknown,
    json: string,
    persistedAt: number,
    event?: Readonly<Record<string, unknown>>,
  ): StoredOktaEvent {
    if (typeof uuid !== 'string' || uuid === '') throw new TypeError('an Okta event needs a string uuid');
    const publishedMs = typeof published === 'string' ? Date.parse(published) : Number.NaN;
    if (typeof published !== 'string' || Number.isNaN(publishedMs))
      throw new TypeError(`event ${uuid} needs an ISO-8601 published`);
    if (byUuid.has(uuid)) throw new RangeError(`duplicate uuid ${uuid}: Okta never persists an event twice`);
    const stored = new StoredEvent(events.length, uuid, published, publishedMs, persistedAt, json, event);
    events.push(stored);
    byUuid.set(uuid, stored);
    const last = byPublished[byPublished.length - 1];
    if (last !== undefined && byPublishedThenSeq(last, stored) > 0) byPublishedSorted = false;
    byPublished.push(stored);
    return stored;
  }

  function produce(
    input: number | readonly ProducibleEvent[],
    produceOptions: ProduceOptions = {},
  ): StoredOktaEvent[] {
    const persistedAt = Math.max(lastPersisted, now());
    lastPersisted = persistedAt;
    const count = typeof input === 'number' ? input : input.length;
    const age = produceOptions.ageMs ?? 0;
    const at = produceOptions.publishedAt;
    // Generated events are published just before they are persisted, 1 ms apart, in order.
    const publishedFor = (i: number): number | undefined =>
      typeof at === 'function'
        ? at(i)
        : typeof at === 'number'
          ? at
          : typeof input === 'number' || age > 0
            ? persistedAt - age - (count - 1 - i)
            : undefined;
    const out: StoredOktaEvent[] = new Array<StoredOktaEvent>(count);
    for (let i = 0; i < count; i += 1) {
      const publishedMs = publishedFor(i);
      if (typeof input === 'number') {
        const generated = generator.nextJson({ published: publishedMs });
        out[i] = store(generated.uuid, generated.published, generated.json, persistedAt);
        continue;
      }
      const item = input[i]!;
      if (typeof item === 'string') {
        if (publishedMs !== undefined)
          throw new TypeError('cannot override published of an event given as JSON text');
        const parsed = JSON.parse(item) as Record<string, unknown>;
        out[i] = store(parsed.uuid, parsed.published, item, persistedAt, parsed);
      } else {
        const object = item as Readonly<Record<string, unknown>>;
        const event =
          publishedMs === undefined ? object : { ...object, published: new Date(publishedMs).toISOString() };
        out[i] = store(event.uuid, event.published, JSON.stringify(event), persistedAt, event);
      }
    }
    return out;
  }

  // ----- queries -----

  function visibleEnd(at: number): number {
    if (settings.visibilityDelayMs <= 0) return events.length;
    const horizon = at - settings.visibilityDelayMs;
    return partition(events, (e) => e.persistedAt <= horizon);
  }

  /** Validates the request's parameters and finds where it starts: a fresh query, or the `after` cursor. */
  function parseQuery(url: URL, at: number): ParsedQuery {
    const params = url.searchParams;
    const limitText = params.get('limit');
    const limit = limitText === null ? DEFAULT_LIMIT : Number(limitText);
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT || limitText?.trim() === '') {
      throw badRequest(`'limit': must be an integer between 0 and ${MAX_LIMIT}.`);
    }
    const sortOrder = (params.get('sortOrder') ?? 'ASCENDING').toUpperCase();
    if (sortOrder !== 'ASCENDING' && sortOrder !== 'DESCENDING')
      throw badRequest(`'sortOrder': must be ASCENDING or DESCENDING.`);
    const filterText = params.get('filter');
    const predicate =
      filterText === null || filterText.trim() === '' ? undefined : compileOktaFilter(filterText);
    const q = (params.get('q') ?? '').trim();
    const keywords = q === '' ? [] : q.split(/\s+/).map((k) => k.toLowerCase());
    if (keywords.length > MAX_KEYWORDS || keywords.some((k) => k.length > MAX_KEYWORD_LENGTH)) {
      throw badRequest(
        `'q': Freeform search cannot contain items longer than ${MAX_KEYWORD_LENGTH} characters. Please shorten the items in your search or use an advanced filter to query by specific fields.`,
      );
    }
    const oldest = at - retentionMs;
    const matches = (e: StoredOktaEvent): boolean =>
      e.publishedMs >= oldest &&
      (predicate === undefined || predicate(e.event)) &&
      (keywords.length === 0 || keywords.every((k) => e.json.toLowerCase().includes(k)));

    const after = params.get('after');
    if (after !== null) return { limit, matches, cursor: decodeCursor(after, secret, cursorEpoch) };
    const untilText = params.get('until');
    const sinceText = params.get('since');
    const until = untilText === null ? undefined : parseInstant('until', untilText);
    const since = sinceText === null ? (until ?? at) - DEFAULT_LOOKBACK_MS : parseInstant('since', sinceText);
    if (since < at - MAX_SINCE_AGE_MS) {
      throw new OktaHttpError(
        400,
        'E0000053',
        'Invalid parameter: The since parameter is over 180 days prior to the current day.',
      );
    }
    if (until !== undefined && since > until) throw badRequest(`'since': must be before 'until'.`);
    if (until === undefined && sortOrder === 'ASCENDING') {
      // Polling: `since` bounds Okta's persistence time, not `published`.
      return {
        limit,
        matches,
        cursor: { m: 'p', s: partition(events, (e) => e.persistedAt < since), f: since, e: cursorEpoch },
      };
    }
    // Bounded (a descending request without `until` is bounded by now: polling requires ASCENDING).
    const d = sortOrder === 'DESCENDING';
    const start: Cursor = {
      m: 'b',
      t: d ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER,
      s: -1,
      a: since,
      u: until ?? at,
      d,
      e: cursorEpoch,
    };
    return { limit, matches, cursor: start };
  }

  /** Reads one page from the query's cursor. */
  function readPage({ limit, matches, cursor }: ParsedQuery, at: number): Page {
    const end = visibleEnd(at);
    if (cursor.m === 'p') {
      const page: StoredOktaEvent[] = [];
      let i = cursor.s;
      while (i < end && page.length < limit) {
        const e = events[i]!;
        i += 1;
        if (e.persistedAt >= cursor.f && matches(e)) page.push(e);
      }
      // Polling always has a next page: the position after what was scanned (the same one when nothing was).
      return {
        events: page,
        next: { ...cursor, s: Math.max(i, cursor.s), e: cursorEpoch },
        query: 'polling',
      };
    }

    if (!byPublishedSorted) {
      byPublished = [...byPublished].sort(byPublishedThenSeq);
      byPublishedSorted = true;
    }
    const { t, s, a, u, d } = cursor;
    const accept = (e: StoredOktaEvent): boolean =>
      e.seq < end && e.publishedMs >= a && e.publishedMs < u && matches(e);
    const page: StoredOktaEvent[] = [];
    let more = false;
    if (!d) {
      // byPublished is sorted by (published, seq): skip what is before `since` or at/before the cursor.
      const start = partition(
        byPublished,
        (e) => e.publishedMs < a || e.publishedMs < t || (e.publishedMs === t && e.seq <= s),
      );
      for (let i = start; i < byPublished.length; i += 1) {
        const e = byPublished[i]!;
        if (e.publishedMs >= u) break;
        if (!accept(e)) continue;
        if (page.length === limit) {
          more = true;
          break;
        }
        page.push(e);
      }
    } else {
      const stop = partition(
        byPublished,
        (e) => e.publishedMs < u && (e.publishedMs < t || (e.publishedMs === t && e.seq < s)),
      );
      for (let i = stop - 1; i >= 0; i -= 1) {
        const e = byPublished[i]!;
        if (e.publishedMs < a) break;
        if (!accept(e)) continue;
        if (page.length === limit) {
          more = true;
          break;
        }
        page.push(e);
      }
    }
    const last = page[page.length - 1];
    // Bounded queries end: the last page has no next link.
    const next: Cursor | undefined = more
      ? { m: 'b', t: last?.publishedMs ?? t, s: last?.seq ?? s, a, u, d, e: cursorEpoch }
      : undefined;
    return { events: page, next, query: 'bounded' };
  }

  function nextLink(url: URL, cursor: Cursor, origin: string): string {
    const link = new URL(LOGS_PATH, origin);
    for (const name of ['limit', 'sortOrder', 'filter', 'q']) {
      const value = url.searchParams.get(name);
      if (value !== null) link.searchParams.set(name, value);
    }
    if (cursor.m === 'b') {
      link.searchParams.set('since', new Date(cursor.a).toISOString());
      link.searchParams.set('until', new Date(cursor.u).toISOString());
    }
    link.searchParams.set('after', encodeCursor(cursor, secret));
    return link.toString();
  }

  // ----- HTTP -----

  let orgUrl = '';

  function baseHeaders(requestId: string): Record<string, string | string[]> {
    return { Date: new Date(now()).toUTCString(), 'X-Okta-Request-Id': requestId };
  }

  function rateHeaders(limit: number, remaining: number, resetAt: number): Record<string, string> {
    return {
      'X-Rate-Limit-Limit': String(limit),
      'X-Rate-Limit-Remaining': String(remaining),
      'X-Rate-Limit-Reset': String(Math.ceil(resetAt / 1000)),
    };
  }

  function send(
    res: ServerResponse,
    record: OktaRequestRecord,
    status: number,
    headers: Record<string, string | string[]>,
    body: string,
  ): void {
    record.status = status;
    const buffer = Buffer.from(body, 'utf8');
    res.writeHead(status, { ...headers, 'Content-Length': String(buffer.length) });
    res.end(buffer);
    counters.bytesServed += buffer.length;
  }

  function sendError(
    res: ServerResponse,
    record: OktaRequestRecord,
    headers: Record<string, string | string[]>,
    error: OktaHttpError,
  ): void {
    if (error.status === 400) counters.badRequests += 1;
    if (error.status === 401) counters.unauthorized += 1;
    if (error.status === 429) counters.rateLimited += 1;
    send(
      res,
      record,
      error.status,
      { ...headers, 'Content-Type': 'application/json' },
      errorBody(error.errorCode, error.message, `oae${randomId(22)}`, error.causes),
    );
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    counters.requests += 1;
    const requestId = nextRequestId();
    const url = new URL(req.url ?? '/', orgUrl);
    const kind = url.pathname === LOGS_PATH ? 'logs' : url.pathname === TOKEN_PATH ? 'token' : 'other';
    const record: OktaRequestRecord = {
      requestId,
      time: localNow(),
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      kind,
      status: 0,
      events: 0,
    };
    requests.push(record);
    const headers = baseHeaders(requestId);

    if (kind === 'token') {
      counters.tokenRequests += 1;
      const body = await readBody(req);
      if (oauth === undefined) {
        return send(
          res,
          record,
          401,
          { ...headers, 'Content-Type': 'application/json' },
          JSON.stringify({ error: 'invalid_client', error_description: 'Client authentication failed.' }),
        );
      }
      const answer = await oauth.handleTokenRequest(req, body);
      return send(res, record, answer.status, { ...headers, ...answer.headers }, answer.body);
    }
    if (kind === 'other') {
      req.resume();
      return sendError(
        res,
        record,
        headers,
        new OktaHttpError(404, 'E0000007', `Not found: Resource not found: ${url.pathname} (Resource)`),
      );
    }
    counters.logsRequests += 1;
    req.resume();
    if (req.method !== 'GET')
      return sendError(
        res,
        record,
        headers,
        new OktaHttpError(405, 'E0000022', 'The endpoint does not support the provided HTTP method'),
      );

    // Authentication first: an unauthenticated request is not the org's and does not take from its bucket.
    const authorization = req.headers.authorization ?? '';
    if (authorization.startsWith('SSWS ') && (tokens.size > 0 || oauth === undefined)) {
      if (!tokens.has(authorization.slice(5).trim())) {
        return sendError(res, record, headers, new OktaHttpError(401, 'E0000011', 'Invalid token provided'));
      }
    } else if (oauth !== undefined) {
      const denied = await oauth.checkApiRequest(req, url);
      if (denied !== undefined) {
        if (denied.status === 401) counters.unauthorized += 1;
        return send(res, record, denied.status, { ...headers, ...denied.headers }, denied.body);
      }
    } else {
      return sendError(res, record, headers, new OktaHttpError(401, 'E0000011', 'Invalid token provided'));
    }

    // The org-wide bucket, then the concurrent-request limit.
    const at = now();
    let rate: Record<string, string> = {};
    if (bucket.limit > 0) {
      const taken = bucket.take(at);
      rate = rateHeaders(bucket.limit, taken.remaining, taken.resetAt);
      if (!taken.allowed) {
        return sendError(
          res,
          record,
          { ...headers, ...rate },
          new OktaHttpError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.'),
        );
      }
    }
    if (settings.maxConcurrentRequests > 0 && inFlight > settings.maxConcurrentRequests) {
      const resetAt = bucket.limit > 0 ? bucket.peek(at).resetAt : at + WINDOW_MS;
      return sendError(
        res,
        record,
        { ...headers, ...rateHeaders(0, 0, resetAt) },
        new OktaHttpError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.'),
      );
    }

    const fault = faults.next();
    if (fault !== undefined && fault.kind !== 'pass') {
      counters.faults += 1;
      record.fault = fault.kind;
    }
    const withRate = { ...headers, ...rate };
    switch (fault?.kind) {
      case 'rate-limit': {
        const resetAt =
          fault.resetInSeconds === undefined
            ? bucket.limit > 0
              ? bucket.peek(at).resetAt
              : at + WINDOW_MS
            : at + fault.resetInSeconds * 1000;
        const limit = bucket.limit > 0 ? bucket.limit : 50;
        return sendError(
          res,
          record,
          { ...headers, ...rateHeaders(limit, 0, resetAt) },
          new OktaHttpError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.'),
        );
      }
      case 'concurrent-limit': {
        const resetAt = bucket.limit > 0 ? bucket.peek(at).resetAt : at + WINDOW_MS;
        return sendError(
          res,
          record,
          { ...headers, ...rateHeaders(0, 0, resetAt) },
          new OktaHttpError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.'),
        );
      }
      case 'server-error':
        return sendError(
          res,
          record,
          withRate,
          new OktaHttpError(
            500,
            'E0000009',
            "Your last request took too long to complete. This is likely due to a load issue on our side. We've logged this and will work to address it. Please either simplify your query or wait a few minutes and try again.",
          ),
        );
      case 'unavailable':
        return send(
          res,
          record,
          503,
          { ...headers, 'Content-Type': 'text/html; charset=utf-8' },
          '<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1><p>The server is temporarily unable to service your request. Please try again later.</p></body></html>',
        );
      case 'status': {
        const known = {
          401: ['E0000011', 'Invalid token provided'],
          403: ['E0000006', 'You do not have permission to perform the requested action'],
          404: ['E0000007', 'Not found: Resource not found: logs (Resource)'],
        } as const;
        const [code, summary] = known[fault.status];
        return sendError(res, record, withRate, new OktaHttpError(fault.status, code, summary));
      }
      case 'hang':
        return;
      case 'slow':
        await pause(fault.delayMs, stopping.signal);
        if (stopping.signal.aborted) return;
        break;
      default:
        break;
    }

    let page: Page;
    let start: Cursor;
    try {
      const query = parseQuery(url, now());
      start = query.cursor;
      page = readPage(query, now());
    } catch (error) {
      if (error instanceof OktaHttpError) return sendError(res, record, withRate, error);
      throw error;
    }
    // An injected empty page keeps the client where it was: the next link repeats the request's position.
    const pageEvents = fault?.kind === 'empty-page' ? [] : page.events;
    const next = fault?.kind === 'empty-page' ? { ...start, e: cursorEpoch } : page.next;
    record.query = page.query;
    const self = new URL(record.url, orgUrl).toString();
    const nextHref =
      next === undefined
        ? undefined
        : nextLink(
            url,
            next,
            fault?.kind === 'foreign-next' ? (fault.origin ?? 'https://attacker.example') : orgUrl,
          );
    record.next = nextHref;
    const links = [`<${self}>; rel="self"`, ...(nextHref === undefined ? [] : [`<${nextHref}>; rel="next"`])];
    const responseHeaders: Record<string, string | string[]> = {
      ...withRate,
      ...oauth?.apiResponseHeaders?.(),
      'Content-Type': 'application/json',
      Link: settings.linkStyle === 'joined' ? links.join(', ') : links,
    };
    // One join: a flat string, encoded once (a `+=` loop would build a 2,000-node rope per page).
    const body = `[${pageEvents.map((e) => e.json).join(',')}]`;

    if (fault?.kind === 'malformed-json') {
      record.events = 0;
      return send(
        res,
        record,
        200,
        responseHeaders,
        body.length > 2 ? body.slice(0, Math.max(2, Math.floor(body.length / 2))) : '[{"uuid":',
      );
    }
    if (fault?.kind === 'reset-mid-body') {
      const buffer = Buffer.from(body, 'utf8');
      const part = buffer.subarray(
        0,
        Math.floor(buffer.length * Math.min(Math.max(fault.fraction ?? 0.5, 0), 1)),
      );
      record.status = 200;
      res.writeHead(200, { ...responseHeaders, 'Content-Length': String(buffer.length) });
      res.write(part, () => res.socket?.destroy());
      return;
    }

    record.events = pageEvents.length;
    counters.pages += 1;
    if (pageEvents.length === 0) counters.emptyPages += 1;
    counters.eventsServed += pageEvents.length;
    for (const e of pageEvents) served.set(e.uuid, (served.get(e.uuid) ?? 0) + 1);
    const acceptsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (settings.compress && acceptsGzip) {
      const zipped = gzipSync(body, { level: 1 });
      record.status = 200;
      res.writeHead(200, {
        ...responseHeaders,
        'Content-Encoding': 'gzip',
        'Content-Length': String(zipped.length),
      });
      res.end(zipped);
      counters.bytesServed += zipped.length;
      return;
    }
    send(res, record, 200, responseHeaders, body);
  }

  const server = createServer((req, res) => {
    inFlight += 1;
    res.on('close', () => {
      inFlight -= 1;
    });
    handle(req, res).catch((error: unknown) => {
      console.error('okta simulator: request failed', error);
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(errorBody('E0000009', 'Internal error in the Okta simulator', 'oaesimulator'));
      } else {
        res.destroy();
      }
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  orgUrl = `http://127.0.0.1:${port}`;

  return {
    orgUrl,
    produce,
    produceLate: (count, publishedAgeMs) => produce(count, { ageMs: publishedAgeMs }),
    get events() {
      return events;
    },
    find: (uuid) => byUuid.get(uuid),
    served,
    requests,
    counters,
    setFaults: (schedule) => faults.set(schedule),
    pushFaults: (...more) => faults.push(...more),
    firedFaults: faults.fired,
    configure(changes) {
      if (changes.linkStyle !== undefined) settings.linkStyle = changes.linkStyle;
      if (changes.clockSkewMs !== undefined) settings.clockSkewMs = changes.clockSkewMs;
      if (changes.maxConcurrentRequests !== undefined)
        settings.maxConcurrentRequests = changes.maxConcurrentRequests;
      if (changes.visibilityDelayMs !== undefined) settings.visibilityDelayMs = changes.visibilityDelayMs;
      if (changes.compress !== undefined) settings.compress = changes.compress;
      if (changes.rateLimitPerMinute !== undefined) bucket.limit = changes.rateLimitPerMinute;
      if (changes.rateLimitAlignment !== undefined) bucket.alignment = changes.rateLimitAlignment;
    },
    addApiToken(token, tokenOptions) {
      if (tokenOptions?.revokeOthers === true) tokens.clear();
      tokens.add(token);
    },
    revokeApiToken(token) {
      if (token === undefined) tokens.clear();
      else tokens.delete(token);
    },
    consumeRateLimit(n = 1) {
      if (bucket.limit <= 0) return Number.POSITIVE_INFINITY;
      return bucket.take(now(), n).remaining;
    },
    rateLimitState() {
      const at = now();
      if (bucket.limit <= 0)
        return { limit: 0, remaining: Number.POSITIVE_INFINITY, resetAt: at + WINDOW_MS };
      return { limit: bucket.limit, ...bucket.peek(at) };
    },
    invalidateCursors() {
      cursorEpoch += 1;
    },
    now,
    async stop() {
      stopping.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
