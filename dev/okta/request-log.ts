/**
 * What the simulator saw and served: one record per request, the counters, how often each event was served,
 * and Okta-looking request ids. A {@link Reply} writes one answer and keeps the record and counters true.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { seededRandom, type RandomSource } from '../faults.js';
import { errorBody, type OktaHttpError } from './okta-error.js';
import type { OktaFaultKind } from './faults.js';
import type { OktaRequestRecord, OktaSimulatorCounters, StoredOktaEvent } from './types.js';

type Headers = Record<string, string | string[]>;
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export class RequestLog {
  public readonly records: OktaRequestRecord[] = [];
  /** How many times each uuid was sent in a well-formed page. */
  public readonly servedCounts = new Map<string, number>();
  public readonly counters: OktaSimulatorCounters = {
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
  private readonly ids: RandomSource;
  private requestCounter = 0;

  public constructor(
    seed: number,
    /** The local clock (epoch ms), for the records. */
    public readonly localNow: () => number,
  ) {
    this.ids = seededRandom(seed ^ 0x5eed);
  }

  public randomId(length: number): string {
    let out = '';
    for (let i = 0; i < length; i += 1) out += ID_CHARS[Math.floor(this.ids() * ID_CHARS.length)];
    return out;
  }

  /** Records a request and returns the reply that answers it, with `Date` (Okta's clock) and a request id. */
  public begin(
    req: IncomingMessage,
    res: ServerResponse,
    kind: OktaRequestRecord['kind'],
    date: string,
  ): Reply {
    this.counters.requests += 1;
    this.requestCounter += 1;
    const requestId = `${this.randomId(19)}AAA${this.requestCounter.toString(36).padStart(5, 'A')}`;
    const record: OktaRequestRecord = {
      requestId,
      time: this.localNow(),
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      kind,
      status: 0,
      events: 0,
    };
    this.records.push(record);
    return new Reply(this, res, record, { Date: date, 'X-Okta-Request-Id': requestId });
  }

  /** A well-formed page went out with these events. */
  public served(record: OktaRequestRecord, events: readonly StoredOktaEvent[]): void {
    record.events = events.length;
    this.counters.pages += 1;
    if (events.length === 0) this.counters.emptyPages += 1;
    this.counters.eventsServed += events.length;
    for (const e of events) this.servedCounts.set(e.uuid, (this.servedCounts.get(e.uuid) ?? 0) + 1);
  }
}

/** One answer: base headers (`Date`, `X-Okta-Request-Id`) plus whatever the steps before added. */
export class Reply {
  public constructor(
    private readonly log: RequestLog,
    public readonly res: ServerResponse,
    public readonly record: OktaRequestRecord,
    private readonly headers: Headers,
  ) {}

  /** Adds headers to every answer this reply may give (e.g. `X-Rate-Limit-*`). */
  public add(headers: Headers): this {
    Object.assign(this.headers, headers);
    return this;
  }

  /** A load balancer's answer carries none of Okta's `X-Rate-Limit-*` headers. */
  public withoutRateHeaders(): this {
    for (const name of Object.keys(this.headers))
      if (name.startsWith('X-Rate-Limit-')) delete this.headers[name];
    return this;
  }

  /** The headers so far with `extra` on top. */
  public with(extra: Headers): Headers {
    return { ...this.headers, ...extra };
  }

  public fault(kind: OktaFaultKind): void {
    this.log.counters.faults += 1;
    this.record.fault = kind;
  }

  public send(status: number, headers: Headers, body: string | Buffer): void {
    this.record.status = status;
    const buffer = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    this.res.writeHead(status, { ...this.with(headers), 'Content-Length': String(buffer.length) });
    this.res.end(buffer);
    this.log.counters.bytesServed += buffer.length;
  }

  /** Okta's JSON error answer. */
  public error(error: OktaHttpError): void {
    const { counters } = this.log;
    if (error.status === 400) counters.badRequests += 1;
    if (error.status === 401) counters.unauthorized += 1;
    if (error.status === 429) counters.rateLimited += 1;
    const body = errorBody(error.errorCode, error.message, `oae${this.log.randomId(22)}`, error.causes);
    this.send(error.status, { 'Content-Type': 'application/json' }, body);
  }
}
