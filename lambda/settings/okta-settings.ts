/** Settings of the Okta side: which org, where to start, how hard to pull. */
import { parseOrgUrl } from './org-url.js';
import { decimal, text, wholeNumber } from './parsers.js';
import { setting } from './setting.js';
import { checkStartTimeLookback, parseStartTime } from './start-time.js';

export const OKTA_SETTINGS = {
  orgUrl: setting<string | undefined>({
    env: 'OKTA_ORG_URL',
    context: 'oktaOrgUrl',
    prop: 'oktaOrgUrl',
    fallback: undefined,
    required: true,
    defaultText: '(required)',
    range: '`https://` origin',
    description: "the org's origin, e.g. `https://acme.okta.com` (no path; not the `-admin` domain)",
    parse: parseOrgUrl,
  }),
  secretId: setting<string | undefined>({
    env: 'OKTA_SECRET_ID',
    context: 'oktaSecretArn',
    prop: 'oktaSecret',
    fallback: undefined,
    required: true,
    defaultText: 'a new secret',
    range: 'secret ARN',
    description: 'the Secrets Manager secret holding the Okta credential',
    parse: text(),
  }),
  startTime: setting<string | undefined>({
    env: 'OKTA_START_TIME',
    context: 'startTime',
    prop: 'startTime',
    fallback: undefined,
    defaultText: 'now − 7 days',
    range: 'ISO-8601 instant or epoch ms, past, ≤ 180 days back',
    description: 'where a brand-new cursor starts (ignored once a cursor exists)',
    parse: parseStartTime,
    atSynth: checkStartTimeLookback,
  }),
  pageLimit: setting<number>({
    env: 'OKTA_PAGE_LIMIT',
    context: 'pageLimit',
    prop: 'pageLimit',
    fallback: 1000,
    defaultText: '1000',
    range: '1–1000',
    description: "events per Okta request (`limit`); 1000, Okta's maximum, spends the fewest requests",
    parse: wholeNumber(1, 1000),
  }),
  rateLimitShare: setting<number>({
    env: 'OKTA_RATE_LIMIT_SHARE',
    context: 'rateLimitShare',
    prop: 'rateLimitShare',
    // Okta's default for new OAuth service apps, and below the 60 % at which Okta warns admins.
    fallback: 0.5,
    defaultText: '0.5',
    range: '0.01–1 (decimal)',
    description: "share of the org's `/api/v1/logs` rate limit this collector may use",
    parse: decimal(0.01, 1),
  }),
  requestTimeoutMs: setting<number>({
    env: 'OKTA_REQUEST_TIMEOUT_MS',
    context: 'oktaRequestTimeoutMs',
    prop: 'oktaRequestTimeoutMs',
    // Above Okta's own 30 s query limit, so Okta's E0000009 answer arrives instead of an abort that leaves
    // the query running there.
    fallback: 40_000,
    defaultText: '40000',
    range: '1000–120000',
    description: 'timeout of one Okta request, in ms (clipped to the time left)',
    parse: wholeNumber(1000, 120_000),
  }),
  pollIntervalSeconds: setting<number | undefined>({
    env: 'OKTA_POLL_INTERVAL_SECONDS',
    context: 'pollInterval',
    prop: 'pollInterval',
    fallback: undefined,
    defaultText: 'off',
    range: '5–55 seconds',
    description: 'a caught-up tick keeps polling at this interval until shortly before the next tick',
    parse: wholeNumber(5, 55),
  }),
  catchUpSegments: setting<number>({
    env: 'OKTA_CATCHUP_SEGMENTS',
    context: 'catchUpSegments',
    prop: 'catchUpSegments',
    fallback: 4,
    defaultText: '4',
    range: '1–8 (1 = off)',
    description: 'time segments a large backlog is collected in, in parallel',
    parse: wholeNumber(1, 8),
  }),
};
