/**
 * The Okta simulator's HTTP side: routes a request (`/api/v1/logs`, the OAuth token endpoint, anything else),
 * authenticates it, takes it from the org's rate-limit bucket, lets a programmed fault fire, and writes the
 * page with Okta's headers (`Date`, `X-Okta-Request-Id`, `X-Rate-Limit-*`, `Link` rel="self"/"next").
 * Authentication comes first: an unauthenticated request is not the org's and does not take from its bucket.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { FaultPlan, pause } from '../faults.js';
import { listenOnLoopback, type Listening } from '../loopback-server.js';
import { EventLog } from './event-log.js';
import {
  concurrentLimit,
  faultError,
  resetMidBody,
  truncatedBody,
  UNAVAILABLE_HTML,
  type OktaFault,
} from './faults.js';
import { errorBody, invalidToken, OktaHttpError, rateLimited } from './okta-error.js';
import { LOGS_PATH, Pagination } from './pagination.js';
import { RateLimitBucket, rateLimitHeaders } from './rate-limit-bucket.js';
import { RequestLog, type Reply } from './request-log.js';
import type { LinkStyle, OktaOAuthHook, OktaSimulatorOptions } from './types.js';

const TOKEN_PATH = '/oauth2/v1/token';
type Headers = Record<string, string | string[]>;

/** Settings a running simulator may change (see `OktaSimulator.configure`). */
export interface LiveSettings {
  linkStyle: LinkStyle;
  clockSkewMs: number;
  maxConcurrentRequests: number;
  visibilityDelayMs: number;
  compress: boolean;
}

/** Everything one simulated org holds; `startOktaSimulator` exposes it as the `OktaSimulator` handle. */
export class OktaOrg {
  public readonly settings: LiveSettings;
  public readonly bucket: RateLimitBucket;
  public readonly tokens = new Set<string>();
  public readonly log: EventLog;
  public readonly pagination: Pagination;
  public readonly faults: FaultPlan<OktaFault>;
  public readonly requests: RequestLog;
  private readonly oauth: OktaOAuthHook | undefined;
  private readonly stopping = new AbortController();
  private inFlight = 0;
  private orgUrl = '';

  public constructor(options: OktaSimulatorOptions) {
    const seed = options.seed ?? 1;
    const localNow = options.now ?? Date.now;
    this.settings = {
      linkStyle: options.linkStyle ?? 'separate',
      clockSkewMs: options.clockSkewMs ?? 0,
      maxConcurrentRequests: options.maxConcurrentRequests ?? 0,
      visibilityDelayMs: options.visibilityDelayMs ?? 0,
      compress: options.compress ?? false,
    };
    this.bucket = new RateLimitBucket(
      options.rateLimitPerMinute ?? 0,
      options.rateLimitAlignment ?? 'minute',
    );
    if (options.apiToken !== undefined) this.tokens.add(options.apiToken);
    else if (options.oauth === undefined) this.tokens.add('sim-okta-api-token');
    this.oauth = options.oauth;
    this.log = new EventLog({ seed, ...options.events }, this.now);
    this.pagination = new Pagination(
      this.log,
      `okta-simulator-cursor-${seed}`,
      (options.retentionDays ?? 90) * 86_400_000,
    );
    this.faults = new FaultPlan<OktaFault>(options.faults ?? {});
    this.requests = new RequestLog(seed, localNow);
  }

  /** The simulator's (Okta's) clock: local clock plus skew. */
  public readonly now = (): number => this.requests.localNow() + this.settings.clockSkewMs;

  /** Listens on loopback; resolves with the org URL. */
  public async listen(): Promise<{ orgUrl: string; stop: () => Promise<void> }> {
    const server = createServer((req, res) => {
      this.inFlight += 1;
      res.on('close', () => (this.inFlight -= 1));
      this.handle(req, res).catch((error: unknown) => {
        console.error('okta simulator: request failed', error);
        if (res.headersSent) return res.destroy();
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(errorBody('E0000009', 'Internal error in the Okta simulator', 'oaesimulator'));
      });
    });
    server.keepAliveTimeout = 5_000;
    const listening: Listening = await listenOnLoopback(server);
    this.orgUrl = listening.url;
    return {
      orgUrl: listening.url,
      stop: () => {
        this.stopping.abort();
        return listening.close();
      },
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.orgUrl);
    const kind = url.pathname === LOGS_PATH ? 'logs' : url.pathname === TOKEN_PATH ? 'token' : 'other';
    const reply = this.requests.begin(req, res, kind, new Date(this.now()).toUTCString());
    if (kind === 'token') return this.token(req, reply);
    req.resume();
    if (kind === 'other')
      return reply.error(
        new OktaHttpError(404, 'E0000007', `Not found: Resource not found: ${url.pathname} (Resource)`),
      );
    this.requests.counters.logsRequests += 1;
    if (req.method !== 'GET')
      return reply.error(
        new OktaHttpError(405, 'E0000022', 'The endpoint does not support the provided HTTP method'),
      );
    if (!(await this.authorized(req, url, reply))) return;

    // The org-wide bucket, then the concurrent-request limit.
    const at = this.now();
    if (this.bucket.limit > 0) {
      const taken = this.bucket.take(at);
      reply.add(rateLimitHeaders(this.bucket.limit, taken.remaining, taken.resetAt));
      if (!taken.allowed) return reply.error(rateLimited());
    }
    if (this.settings.maxConcurrentRequests > 0 && this.inFlight > this.settings.maxConcurrentRequests) {
      const { error, rateHeaders } = concurrentLimit(this.bucket, at);
      return reply.add(rateHeaders).error(error);
    }

    const fault = this.faults.next();
    if (fault !== undefined && fault.kind !== 'pass') reply.fault(fault.kind);
    const failed = faultError(fault, this.bucket, at);
    if (failed !== undefined) return reply.add(failed.rateHeaders ?? {}).error(failed.error);
    if (fault?.kind === 'unavailable')
      return reply
        .withoutRateHeaders()
        .send(503, { 'Content-Type': 'text/html; charset=utf-8' }, UNAVAILABLE_HTML);
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'slow') {
      await pause(fault.delayMs, this.stopping.signal);
      if (this.stopping.signal.aborted) return;
    }
    return this.page(req, url, reply, fault);
  }

  private async token(req: IncomingMessage, reply: Reply): Promise<void> {
    this.requests.counters.tokenRequests += 1;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (this.oauth === undefined) {
      const body = JSON.stringify({
        error: 'invalid_client',
        error_description: 'Client authentication failed.',
      });
      return reply.send(401, { 'Content-Type': 'application/json' }, body);
    }
    const answer = await this.oauth.handleTokenRequest(req, Buffer.concat(chunks).toString('utf8'));
    reply.send(answer.status, answer.headers, answer.body);
  }

  /** SSWS against the configured tokens; anything else (or SSWS with no token configured) to the OAuth hook. */
  private async authorized(req: IncomingMessage, url: URL, reply: Reply): Promise<boolean> {
    const authorization = req.headers.authorization ?? '';
    if (authorization.startsWith('SSWS ') && (this.tokens.size > 0 || this.oauth === undefined)) {
      if (this.tokens.has(authorization.slice(5).trim())) return true;
    } else if (this.oauth !== undefined) {
      const denied = await this.oauth.checkApiRequest(req, url);
      if (denied === undefined) return true;
      if (denied.status === 401) this.requests.counters.unauthorized += 1;
      reply.send(denied.status, denied.headers, denied.body);
      return false;
    }
    reply.error(invalidToken());
    return false;
  }

  private page(req: IncomingMessage, url: URL, reply: Reply, fault: OktaFault | undefined): void {
    let query;
    let page;
    try {
      query = this.pagination.parse(url, this.now());
      page = this.pagination.read(query, this.now(), this.settings.visibilityDelayMs);
    } catch (error) {
      if (error instanceof OktaHttpError) return reply.error(error);
      throw error;
    }
    // An injected empty or stuck page keeps the client where it was: the next link repeats the request's position.
    const empty = fault?.kind === 'empty-page';
    const events = empty ? [] : page.events;
    const next = empty || fault?.kind === 'stuck-page' ? this.pagination.renew(query.cursor) : page.next;
    const origin =
      fault?.kind === 'foreign-next' ? (fault.origin ?? 'https://attacker.example') : this.orgUrl;
    const nextHref = next === undefined ? undefined : this.pagination.link(url, next, origin);
    reply.record.query = page.query;
    reply.record.next = nextHref;
    const links = [`<${new URL(reply.record.url, this.orgUrl).toString()}>; rel="self"`];
    if (nextHref !== undefined) links.push(`<${nextHref}>; rel="next"`);
    const headers: Headers = {
      ...this.oauth?.apiResponseHeaders?.(),
      'Content-Type': 'application/json',
      Link: this.settings.linkStyle === 'joined' ? links.join(', ') : links,
    };
    // One join: a flat string, encoded once (a `+=` loop would build a 2,000-node rope per page).
    const body = `[${events.map((e) => e.json).join(',')}]`;
    if (fault?.kind === 'malformed-json') return reply.send(200, headers, truncatedBody(body));
    if (fault?.kind === 'reset-mid-body') {
      reply.record.status = 200;
      return resetMidBody(reply.res, reply.with(headers), body, fault.fraction);
    }
    this.requests.served(reply.record, events);
    const gzip = this.settings.compress && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (gzip) reply.send(200, { ...headers, 'Content-Encoding': 'gzip' }, gzipSync(body, { level: 1 }));
    else reply.send(200, headers, body);
  }
}
