/**
 * A local stand-in for an Okta org's System Log API (`GET /api/v1/logs`), on a loopback node:http server.
 *
 * The parts: `event-log.ts` (the events and `produce`), `pagination.ts` (polling and bounded queries, `next`
 * links, the opaque `after`), `filter.ts` (the `filter` subset replays use), `rate-limit-bucket.ts` (the
 * org-wide per-minute bucket), `faults.ts` (programmed failures), `server.ts` (routing, auth, headers),
 * `request-log.ts` (what was seen and served). Auth is `SSWS <token>` (rotatable, revocable → 401
 * `E0000011`) or an OAuth hook supplied by the OAuth/DPoP authority stand-in (`../okta-oauth-authority.ts`).
 */
import { OktaOrg } from './server.js';
import type { OktaSimulator, OktaSimulatorOptions } from './types.js';
import { WINDOW_MS } from './rate-limit-bucket.js';

/** Starts the simulator on 127.0.0.1 with an ephemeral port. */
export async function startOktaSimulator(options: OktaSimulatorOptions = {}): Promise<OktaSimulator> {
  const org = new OktaOrg(options);
  const { orgUrl, stop } = await org.listen();
  const { settings, bucket, tokens, log, faults, requests } = org;
  return {
    orgUrl,
    produce: (input, produceOptions) => log.produce(input, produceOptions),
    produceLate: (count, publishedAgeMs) => log.produce(count, { ageMs: publishedAgeMs }),
    get events() {
      return log.events;
    },
    find: (uuid) => log.find(uuid),
    served: requests.servedCounts,
    requests: requests.records,
    counters: requests.counters,
    setFaults: (schedule) => faults.set(schedule),
    pushFaults: (...more) => faults.push(...more),
    firedFaults: faults.fired,
    configure(changes) {
      settings.linkStyle = changes.linkStyle ?? settings.linkStyle;
      settings.clockSkewMs = changes.clockSkewMs ?? settings.clockSkewMs;
      settings.maxConcurrentRequests = changes.maxConcurrentRequests ?? settings.maxConcurrentRequests;
      settings.visibilityDelayMs = changes.visibilityDelayMs ?? settings.visibilityDelayMs;
      settings.compress = changes.compress ?? settings.compress;
      bucket.limit = changes.rateLimitPerMinute ?? bucket.limit;
      bucket.alignment = changes.rateLimitAlignment ?? bucket.alignment;
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
      return bucket.take(org.now(), n).remaining;
    },
    rateLimitState() {
      const at = org.now();
      if (bucket.limit <= 0)
        return { limit: 0, remaining: Number.POSITIVE_INFINITY, resetAt: at + WINDOW_MS };
      return { limit: bucket.limit, ...bucket.peek(at) };
    },
    invalidateCursors: () => org.pagination.invalidate(),
    now: org.now,
    stop,
  };
}
