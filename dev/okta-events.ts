/**
 * A seeded generator of realistic Okta System Log events (LogEvent objects, as `GET /api/v1/logs` returns them).
 *
 * Shape and values follow Okta's LogEvent reference (developer.okta.com, "System Log API": actor, client with
 * userAgent/zone/device/id/ipAddress/geographicalContext, device, authenticationContext, displayMessage,
 * eventType, outcome, published, securityContext, severity, debugContext.debugData, legacyEventType,
 * transaction, uuid, version, request.ipChain, target[]) and the sample events Okta and SIEM integrations
 * publish. Fields Okta sends as `null` are kept as `null`: the collector must deliver every original field.
 * Event types cover what the Sumo Logic App for Okta dashboards read (sign-ins and their failure reasons,
 * MFA, SSO, lockouts, user lifecycle, group and app membership, policy evaluation, admin access, API tokens).
 *
 * Determinism: the same options (including `seed`) give the same events, byte for byte. Speed: events average
 * ~1.9 KB (real ones are 1–4 KB); 100k take about 1–1.5 s on one idle core, most of it allocating their text.
 */
import { seededRandom, type RandomSource } from './faults.js';

// ---------------------------------------------------------------------------------------------------------
// The LogEvent object
// ---------------------------------------------------------------------------------------------------------

export interface OktaGeolocation {
  lat: number;
  lon: number;
}

export interface OktaGeographicalContext {
  city: string | null;
  state: string | null;
  country: string | null;
  postalCode: string | null;
  geolocation: OktaGeolocation | null;
}

export interface OktaActor {
  id: string;
  type: string;
  alternateId: string | null;
  displayName: string | null;
  detailEntry: Record<string, unknown> | null;
}

export interface OktaTarget extends OktaActor {
  changeDetails?: { from: Record<string, unknown>; to: Record<string, unknown> } | null;
}

export interface OktaClient {
  userAgent: { rawUserAgent: string | null; os: string | null; browser: string | null } | null;
  zone: string | null;
  device: string | null;
  id: string | null;
  ipAddress: string | null;
  geographicalContext: OktaGeographicalContext | null;
}

export interface OktaIpChainEntry {
  ip: string;
  geographicalContext: OktaGeographicalContext | null;
  version: 'V4' | 'V6';
  source: string | null;
}

export type OktaSeverity = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
export type OktaOutcomeResult =
  'SUCCESS' | 'FAILURE' | 'SKIPPED' | 'ALLOW' | 'DENY' | 'CHALLENGE' | 'UNKNOWN';

/** One System Log event. Keys are in the order Okta's samples show them; JSON.stringify keeps that order. */
export interface OktaLogEvent {
  actor: OktaActor;
  client: OktaClient;
  device: Record<string, unknown> | null;
  authenticationContext: {
    authenticationProvider: string | null;
    credentialProvider: string | null;
    credentialType: string | null;
    issuer: { id: string | null; type: string | null } | null;
    interface: string | null;
    authenticationStep: number;
    externalSessionId: string | null;
  };
  displayMessage: string | null;
  eventType: string;
  outcome: { result: OktaOutcomeResult; reason: string | null };
  published: string;
  securityContext: {
    asNumber: number | null;
    asOrg: string | null;
    isp: string | null;
    domain: string | null;
    isProxy: boolean | null;
  };
  severity: OktaSeverity;
  debugContext: { debugData: Record<string, unknown> };
  legacyEventType: string | null;
  transaction: { type: 'WEB' | 'JOB'; id: string; detail: Record<string, unknown> };
  uuid: string;
  version: string;
  request: { ipChain: OktaIpChainEntry[] };
  target: OktaTarget[] | null;
}

// ---------------------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------------------

/** Automatic large events mixed into a stream. */
export interface LargeEventOptions {
  /** Fraction of events (0..1) made large. */
  readonly rate: number;
  /** Exact UTF-8 size of each large event's JSON (`JSON.stringify`), e.g. 100 * 1024 or 1_100_000. */
  readonly bytes: number;
  /** @default 'ascii' */
  readonly padding?: PaddingKind;
}

/**
 * What fills `debugContext.debugData.padding` in a large event. `multibyte` uses 3-byte UTF-8 characters, so
 * a string's `.length` is about a third of its byte size: it catches batchers that count characters, not bytes.
 */
export type PaddingKind = 'ascii' | 'multibyte';

export interface OktaEventGeneratorOptions {
  /** @default 1 */
  readonly seed?: number;
  /** `published` of the first event when the caller gives none (epoch ms). @default 2024-01-15T12:00:00.000Z */
  readonly startTime?: number;
  /** Mean gap between successive default `published` values, in ms (actual gaps are 0..2×mean). @default 250 */
  readonly meanGapMs?: number;
  /**
   * Fraction (0..1) of events carrying unusual but valid text (emoji, RTL, quotes, backslashes, real newlines,
   * `</script>`, U+2028, control characters...) in names, reasons, user agents and debug data. @default 0
   */
  readonly unusualRate?: number;
  /**
   * Also use strings with an unpaired UTF-16 surrogate. JSON.stringify writes it as a `\ud83d` escape (valid
   * JSON), but anything that turns the decoded string into UTF-8 replaces it with U+FFFD. @default false
   */
  readonly loneSurrogates?: boolean;
  /** Mix in large events. @default none */
  readonly large?: LargeEventOptions;
  /** Only these event types (must be in {@link OKTA_EVENT_TYPES}). @default all, weighted like a real org */
  readonly eventTypes?: readonly string[];
  /** Size of the simulated user population. @default 500 */
  readonly users?: number;
}

/** Per-event overrides for {@link OktaEventGenerator.next}. */
export interface NextEventOptions {
  /** `published` as epoch ms. */
  readonly published?: number;
  readonly eventType?: string;
  /** Force (or forbid) unusual text in this event. */
  readonly unusual?: boolean;
  /** Make this event exactly this many UTF-8 bytes when serialized. */
  readonly bytes?: number;
  readonly padding?: PaddingKind;
}

/** One generated event as JSON text, with the fields a simulator indexes. */
export interface GeneratedOktaEvent {
  /** The event, compact JSON on one line (what Okta serves). */
  readonly json: string;
  readonly uuid: string;
  readonly published: string;
  readonly publishedMs: number;
  readonly eventType: string;
}

export interface OktaEventGenerator {
  /** The next event of the stream, as JSON text (the fast path: no object is built). */
  nextJson(options?: NextEventOptions): GeneratedOktaEvent;
  /** The next event of the stream, as an object (parsed from its JSON). */
  next(options?: NextEventOptions): OktaLogEvent;
  /** `count` events as JSON; `published` for event `i` is `published(i)` when given. */
  batchJson(count: number, published?: (index: number) => number): GeneratedOktaEvent[];
  /** `count` events as objects. */
  batch(count: number, published?: (index: number) => number): OktaLogEvent[];
  /** How many events this generator has made. */
  readonly produced: number;
}

// ---------------------------------------------------------------------------------------------------------
// Text that trips naive pipelines. Every string is valid in JSON once JSON.stringify has escaped it.
// ---------------------------------------------------------------------------------------------------------

/** Unusual strings used when an event is chosen to be unusual. Exported so tests can assert on them. */
export const UNUSUAL_STRINGS: readonly string[] = [
  'Zoë Ångström-Łukasiewicz',
  'José 🙂 Müller 👩🏽‍💻',
  '李小龍 / مرحبا بالعالم / שלום',
  "O'Brien \"The Hammer\" 'quoted'",
  'C:\\Users\\okta\\new folder\\temp',
  'line one\nline two\r\nline three',
  '</script><script>alert("x")</script>',
  'sep\u2028line\u2029para',
  'tab\there nul\u0000 bell\u0007 esc\u001b[31mred',
  '{"json":"inside","a":["string"]}',
  'ＦＵＬＬＷＩＤＴＨ zero\u200bwidth e\u0301 combining',
  '𝕳𝖆𝖈𝖐𝖊𝖗 𝟘𝟙𝟚 astral',
  '\ufeffBOM-led and trailing space ',
  '%s %d ${var} {{mustache}} `backtick`',
  '\\u0041 is not A, \\n is not a newline',
];

const LONE_SURROGATE_STRINGS: readonly string[] = ['lone high \ud83d surrogate', 'lone low \udca9 surrogate'];

// ---------------------------------------------------------------------------------------------------------
// Event catalog
// ---------------------------------------------------------------------------------------------------------

/** A user of the org, with the JSON fragments every event about them repeats (serialized once). */
interface Person {
  readonly id: string;
  readonly login: string;
  readonly name: string;
  readonly admin: boolean;
  readonly actorJson: string;
}

/** Where a request came from, with its JSON fragments (client location, securityContext, ipChain). */
interface Place {
  readonly ip: string;
  /** `"ipAddress":…,"geographicalContext":{…}`: the tail of a client object. */
  readonly clientTail: string;
  readonly securityJson: string;
  readonly securityProxyJson: string;
  readonly ipChainJson: string;
}

interface UserAgent {
  readonly raw: string;
  readonly os: string;
  readonly browser: string;
  readonly device: string;
}

interface Context {
  readonly rng: RandomSource;
  readonly user: Person;
  readonly admin: Person;
  readonly pick: <T>(items: readonly T[]) => T;
  readonly id: (prefix: string) => string;
}

interface EventKind {
  readonly eventType: string;
  readonly weight: number;
  /** Who acts: a signed-in user, an admin, or Okta itself (JOB transactions without an HTTP client). */
  readonly actor: 'user' | 'admin' | 'system';
  readonly display: string;
  readonly legacy: (result: OktaOutcomeResult) => string | null;
  readonly outcome: (ctx: Context) => { result: OktaOutcomeResult; reason: string | null };
  readonly targets: (ctx: Context) => OktaTarget[] | null;
  readonly debug?: (ctx: Context) => Record<string, unknown>;
  readonly credentialType?: string | null;
}

const APPS = [
  { id: '0oa1salesforce0000x7', name: 'Salesforce.com', label: 'salesforce' },
  { id: '0oa1slack000000000x7', name: 'Slack', label: 'slack' },
  { id: '0oa1office36500000x7', name: 'Microsoft Office 365', label: 'office365' },
  { id: '0oa1github000000000x7', name: 'GitHub Enterprise Cloud', label: 'github' },
  { id: '0oa1aws0000000000x7', name: 'AWS IAM Identity Center', label: 'aws_sso' },
  { id: '0oa1sumologic0000x7', name: 'Sumo Logic', label: 'sumologic' },
] as const;
const GROUPS = [
  { id: '00g1engineering000x7', name: 'Engineering' },
  { id: '00g1finance0000000x7', name: 'Finance' },
  { id: '00g1everyone000000x7', name: 'Everyone' },
  { id: '00g1securityops000x7', name: 'Security Operations' },
] as const;
const FACTORS = [
  { type: 'token:software:totp', provider: 'OKTA', prefix: 'ost', name: 'Okta Verify' },
  { type: 'push', provider: 'OKTA', prefix: 'opf', name: 'Okta Verify Push' },
  { type: 'sms', provider: 'OKTA', prefix: 'sms', name: 'SMS Authentication' },
  { type: 'webauthn', provider: 'FIDO', prefix: 'fwf', name: 'Security Key or Biometric' },
  { type: 'token:software:totp', provider: 'GOOGLE', prefix: 'uft', name: 'Google Authenticator' },
] as const;
const SIGN_IN_FAILURES = [
  'INVALID_CREDENTIALS',
  'VERIFICATION_ERROR',
  'LOCKED_OUT',
  'UNKNOWN_USER',
  'INVALID_CREDENTIALS',
];

const success = (): { result: OktaOutcomeResult; reason: string | null } => ({
  result: 'SUCCESS',
  reason: null,
});
const userTarget = (p: Person): OktaTarget => ({
  id: p.id,
  type: 'User',
  alternateId: p.login,
  displayName: p.name,
  detailEntry: null,
});

const EVENT_KINDS: readonly EventKind[] = [
  {
    eventType: 'user.session.start',
    weight: 30,
    actor: 'user',
    display: 'User login to Okta',
    legacy: (r) => (r === 'SUCCESS' ? 'core.user_auth.login_success' : 'core.user_auth.login_failed'),
    outcome: (c) =>
      c.rng() < 0.18
        ? { result: 'FAILURE', reason: c.pick(SIGN_IN_FAILURES) }
        : { result: 'SUCCESS', reason: null },
    targets: () => null,
    credentialType: 'PASSWORD',
  },
  {
    eventType: 'user.session.end',
    weight: 6,
    actor: 'user',
    display: 'User logout from Okta',
    legacy: () => 'core.user_auth.logout_success',
    outcome: success,
    targets: () => null,
  },
  {
    eventType: 'policy.evaluate_sign_on',
    weight: 20,
    actor: 'user',
    display: 'Evaluation of sign-on policy',
    legacy: () => null,
    outcome: (c) => {
      const result = c.pick<OktaOutcomeResult>(['ALLOW', 'ALLOW', 'ALLOW', 'CHALLENGE', 'DENY']);
      return { result, reason: `Sign-on policy evaluation resulted in ${result}` };
    },
    targets: (c) => [
      {
        id: c.id('00p'),
        type: 'PolicyEntity',
        alternateId: 'unknown',
        displayName: 'Default Policy',
        detailEntry: { policyType: 'OktaSignOn' },
      },
      {
        id: c.id('0pr'),
        type: 'PolicyRule',
        alternateId: 'unknown',
        displayName: 'Default Rule',
        detailEntry: null,
      },
    ],
    debug: (c) => ({
      behaviors: '{New Geo-Location=NEGATIVE, New Device=POSITIVE, New IP=NEGATIVE}',
      risk: c.pick(['{level=LOW}', '{level=MEDIUM}', '{level=HIGH, reasons=Anomalous Device}']),
    }),
  },
  {
    eventType: 'user.authentication.sso',
    weight: 18,
    actor: 'user',
    display: 'User single sign on to app',
    legacy: () => 'app.auth.sso',
    outcome: success,
    targets: (c) => {
      const app = c.pick(APPS);
      return [
        {
          id: app.id,
          type: 'AppInstance',
          alternateId: app.name,
          displayName: app.name,
          detailEntry: { signOnModeType: 'SAML_2_0' },
        },
        {
          id: c.id('0ua'),
          type: 'AppUser',
          alternateId: c.user.login,
          displayName: c.user.name,
          detailEntry: null,
        },
      ];
    },
    debug: () => ({ initiationType: 'IDP_INITIATED', signOnMode: 'SAML 2.0' }),
  },
  {
    eventType: 'user.authentication.auth_via_mfa',
    weight: 10,
    actor: 'user',
    display: 'Authentication of user via MFA',
    legacy: (r) => (r === 'SUCCESS' ? 'core.user.factor.attempt_success' : 'core.user.factor.attempt_fail'),
    outcome: (c) =>
      c.rng() < 0.1
        ? {
            result: 'FAILURE',
            reason: c.pick(['INVALID_CREDENTIALS', 'VERIFICATION_ERROR', 'FACTOR_TIMEOUT']),
          }
        : { result: 'SUCCESS', reason: null },
    targets: () => null,
    debug: (c) => ({ factor: c.pick(FACTORS).type, factorIntent: 'AUTHENTICATION' }),
    credentialType: 'OTP',
  },
  {
    eventType: 'user.authentication.verify',
    weight: 4,
    actor: 'user',
    display: 'Verify user identity',
    legacy: () => null,
    outcome: (c) =>
      c.rng() < 0.15
        ? { result: 'FAILURE', reason: 'INVALID_CREDENTIALS' }
        : { result: 'SUCCESS', reason: null },
    targets: () => null,
  },
  {
    eventType: 'user.mfa.factor.activate',
    weight: 2,
    actor: 'user',
    display: 'User set up MFA factor',
    legacy: () => 'core.user.factor.activate',
    outcome: success,
    targets: (c) => {
      const f = c.pick(FACTORS);
      return [
        userTarget(c.user),
        {
          id: c.id(f.prefix),
          type: 'AuthenticatorEnrollment',
          alternateId: 'unknown',
          displayName: f.name,
          detailEntry: { methodTypeUsed: f.type },
        },
      ];
    },
  },
  {
    eventType: 'user.mfa.factor.deactivate',
    weight: 1,
    actor: 'admin',
    display: 'Reset factor for user',
    legacy: () => 'core.user.factor.deactivate',
    outcome: success,
    targets: (c) => [userTarget(c.user)],
    debug: (c) => ({ factor: c.pick(FACTORS).type }),
  },
  {
    eventType: 'user.account.lock',
    weight: 1,
    actor: 'user',
    display: 'Max sign in attempts exceeded',
    legacy: () => 'core.user_auth.account_locked',
    outcome: () => ({ result: 'FAILURE', reason: 'LOCKED_OUT' }),
    targets: () => null,
  },
  {
    eventType: 'user.account.unlock',
    weight: 1,
    actor: 'admin',
    display: 'Unlock user account',
    legacy: () => 'core.user.config.user_unlocked',
    outcome: success,
    targets: (c) => [userTarget(c.user)],
  },
  {
    eventType: 'user.account.update_password',
    weight: 2,
    actor: 'user',
    display: 'User update password for Okta',
    legacy: (r) =>
      r === 'SUCCESS'
        ? 'core.user.config.password_update.success'
        : 'core.user.config.password_update.failure',
    outcome: (c) =>
      c.rng() < 0.1
        ? { result: 'FAILURE', reason: 'Password requirements were not met' }
        : { result: 'SUCCESS', reason: null },
    targets: (c) => [userTarget(c.user)],
  },
  {
    eventType: 'user.account.reset_password',
    weight: 1,
    actor: 'admin',
    display: "Fire event when a user's password is reset",
    legacy: () => 'core.user.config.password_reset',
    outcome: success,
    targets: (c) => [userTarget(c.user)],
  },
  {
    eventType: 'user.lifecycle.create',
    weight: 1,
    actor: 'admin',
    display: 'Create Okta user',
    legacy: () => 'core.user.config.user_creation.success',
    outcome: success,
    targets: (c) => [userTarget(c.user)],
  },
  {
    eventType: 'user.lifecycle.activate',
    weight: 1,
    actor: 'admin',
    display: 'Activate Okta user',
    legacy: () => 'core.user.config.user_activated',
    outcome: success,
    targets: (c) => [userTarget(c.user)],
  },
  {
    eventType: 'user.lifecycle.deactivate',
    weight: 1,
    actor: 'system',
    display: 'Deactivate Okta user',
    legacy: () => 'core.user.config.user_deactivated',
    outcome: success,
    targets: (c) => [userTarget(c.user)],
  },
  {
    eventType: 'user.lifecycle.suspend',
    weight: 1,
    actor: 'admin',
    display: 'Suspend Okta user',
    legacy: () => 'core.user.config.user_suspended',
    outcome: success,
    targets: (c) => [userTarget(c.user)],
  },
  {
    eventType: 'group.user_membership.add',
    weight: 3,
    actor: 'admin',
    display: 'Add user to group membership',
    legacy: () => 'core.user_group_member.user_add',
    outcome: success,
    targets: (c) => {
      const g = c.pick(GROUPS);
      return [
        userTarget(c.user),
        { id: g.id, type: 'UserGroup', alternateId: 'unknown', displayName: g.name, detailEntry: null },
      ];
    },
  },
  {
    eventType: 'group.user_membership.remove',
    weight: 1,
    actor: 'system',
    display: 'Remove user from group membership',
    legacy: () => 'core.user_group_member.user_remove',
    outcome: success,
    targets: (c) => {
      const g = c.pick(GROUPS);
      return [
        userTarget(c.user),
        { id: g.id, type: 'UserGroup', alternateId: 'unknown', displayName: g.name, detailEntry: null },
      ];
    },
  },
  {
    eventType: 'application.user_membership.add',
    weight: 2,
    actor: 'admin',
    display: 'Add user to application membership',
    legacy: () => 'app.generic.provision.assign_user_to_app',
    outcome: success,
    targets: (c) => {
      const app = c.pick(APPS);
      return [
        {
          id: c.id('0ua'),
          type: 'AppUser',
          alternateId: c.user.login,
          displayName: c.user.name,
          detailEntry: null,
        },
        { id: app.id, type: 'AppInstance', alternateId: app.name, displayName: app.name, detailEntry: null },
        userTarget(c.user),
      ];
    },
  },
  {
    eventType: 'application.user_membership.remove',
    weight: 1,
    actor: 'admin',
    display: 'Remove users application membership',
    legacy: () => 'app.generic.unprovision.user_unassigned',
    outcome: success,
    targets: (c) => {
      const app = c.pick(APPS);
      return [
        { id: app.id, type: 'AppInstance', alternateId: app.name, displayName: app.name, detailEntry: null },
        userTarget(c.user),
      ];
    },
  },
  {
    eventType: 'application.lifecycle.update',
    weight: 1,
    actor: 'admin',
    display: 'Update application',
    legacy: () => 'app.generic.config.app_updated',
    outcome: success,
    targets: (c) => {
      const app = c.pick(APPS);
      return [
        {
          id: app.id,
          type: 'AppInstance',
          alternateId: app.name,
          displayName: app.name,
          detailEntry: null,
          changeDetails: {
            from: { vpnLocationOptions: 'DISABLED' },
            to: { vpnLocationOptions: 'ZONE', vpnSettingsZones: { include: ['ALL_ZONES'], exclude: [] } },
          },
        },
      ];
    },
  },
  {
    eventType: 'user.session.access_admin_app',
    weight: 2,
    actor: 'admin',
    display: 'User accessing Okta administrator app',
    legacy: () => 'app.admin_app.access',
    outcome: success,
    targets: () => null,
  },
  {
    eventType: 'system.api_token.create',
    weight: 1,
    actor: 'admin',
    display: 'Create API token',
    legacy: () => 'api.token.create',
    outcome: success,
    targets: (c) => [
      {
        id: c.id('00T'),
        type: 'Token',
        alternateId: 'unknown',
        displayName: c.pick(['sumo-collector', 'okta-terraform', 'scim-bridge']),
        detailEntry: null,
      },
    ],
  },
  {
    eventType: 'system.api_token.revoke',
    weight: 1,
    actor: 'admin',
    display: 'Revoke API token',
    legacy: () => 'api.token.revoke',
    outcome: success,
    targets: (c) => [
      {
        id: c.id('00T'),
        type: 'Token',
        alternateId: 'unknown',
        displayName: 'old-integration',
        detailEntry: null,
      },
    ],
  },
  {
    eventType: 'security.threat.detected',
    weight: 1,
    actor: 'system',
    display: 'Request from suspicious actor',
    legacy: () => 'security.threat.detected',
    outcome: () => ({ result: 'DENY', reason: 'Password Spray' }),
    targets: () => null,
    debug: () => ({ threatDetections: '{"Password Spray":"HIGH"}', threatSuspected: 'true' }),
  },
  {
    eventType: 'security.request.blocked',
    weight: 1,
    actor: 'user',
    display: 'Request blocked by network zone',
    legacy: () => null,
    outcome: () => ({ result: 'DENY', reason: 'BLOCKED_BY_NETWORK_ZONE' }),
    targets: () => null,
  },
  {
    eventType: 'app.oauth2.as.token.grant.access_token',
    weight: 4,
    actor: 'user',
    display: 'OAuth2 access token is granted',
    legacy: () => 'app.oauth2.as.token.grant.access_token_success',
    outcome: success,
    targets: (c) => [
      {
        id: c.id('AT.'),
        type: 'access_token',
        alternateId: 'unknown',
        displayName: 'Access Token',
        detailEntry: { expires: '2024-01-15T13:00:00.000Z', subject: c.user.id, hash: c.id('') },
      },
    ],
    credentialType: 'OAUTH2',
  },
  {
    eventType: 'system.org.rate_limit.warning',
    weight: 1,
    actor: 'system',
    display: 'Rate limit warning',
    legacy: () => 'core.framework.ratelimit.warning',
    outcome: success,
    targets: () => null,
    debug: () => ({
      operationRateLimitScopeType: 'Org',
      operationRateLimitSubtype: 'Org-wide',
      operationRateLimitThreshold: '60',
      requestUri: '/api/v1/logs',
    }),
  },
];

/** Every event type the generator can make. */
export const OKTA_EVENT_TYPES: readonly string[] = EVENT_KINDS.map((k) => k.eventType);

// ---------------------------------------------------------------------------------------------------------
// Populations (built once per generator from its seed)
// ---------------------------------------------------------------------------------------------------------

const FIRST = [
  'Ava',
  'Ben',
  'Chloé',
  'Dmitri',
  'Emma',
  'Farah',
  'Goran',
  'Hana',
  'Ivan',
  'Jia',
  'Kofi',
  'Lena',
  'Mateo',
  'Noor',
  'Olu',
  'Priya',
  'Quinn',
  'Raj',
  'Sofia',
  'Tomás',
];
const LAST = [
  'Anderson',
  'Brown',
  'Chen',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Haddad',
  'Ito',
  'Johnson',
  'Kowalski',
  'Lopez',
  'Müller',
  'Nguyen',
  'Okafor',
  'Patel',
  'Rossi',
  'Smith',
  'Tanaka',
  'Vogel',
];
const CITIES: readonly [string, string, string, string, number, number][] = [
  ['San Francisco', 'California', 'United States', '94105', 37.7897, -122.3972],
  ['Dublin', 'California', 'United States', '94568', 37.7201, -121.919],
  ['New York', 'New York', 'United States', '10001', 40.7506, -73.9971],
  ['London', 'England', 'United Kingdom', 'EC2V', 51.5164, -0.093],
  ['Warsaw', 'Mazovia', 'Poland', '00-001', 52.2298, 21.0118],
  ['São Paulo', 'Sao Paulo', 'Brazil', '01310', -23.5475, -46.6361],
  ['Bengaluru', 'Karnataka', 'India', '560001', 12.9719, 77.5937],
  ['Tokyo', 'Tokyo', 'Japan', '100-0001', 35.6895, 139.6917],
];
const ISPS: readonly [string, number, string][] = [
  ['comcast cable communications llc', 7922, 'comcast.net'],
  ['amazon.com inc.', 16509, 'amazonaws.com'],
  ['verizon business', 701, 'verizon.com'],
  ['deutsche telekom ag', 3320, 't-ipconnect.de'],
  ['ntt communications corporation', 2914, 'ocn.ne.jp'],
];
const USER_AGENTS: readonly UserAgent[] = [
  {
    raw: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    os: 'Mac OS X',
    browser: 'CHROME',
    device: 'Computer',
  },
  {
    raw: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0',
    os: 'Windows 10',
    browser: 'FIREFOX',
    device: 'Computer',
  },
  {
    raw: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91',
    os: 'Windows 10',
    browser: 'EDGE_CHROMIUM',
    device: 'Computer',
  },
  {
    raw: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1',
    os: 'iOS',
    browser: 'SAFARI',
    device: 'Mobile',
  },
  { raw: 'OktaVerify/9.3.0 (Android 14; Pixel 8)', os: 'Android', browser: 'UNKNOWN', device: 'Mobile' },
  { raw: 'okta-sdk-java/8.2.2 java/17.0.9 Linux/5.15.0', os: 'Linux', browser: 'UNKNOWN', device: 'Unknown' },
];

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const TXN_CHARS = `${BASE62}-_@`;
const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function randomChars(rng: RandomSource, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[Math.floor(rng() * alphabet.length)];
  return out;
}

function uuidV4(rng: RandomSource): string {
  const b: number[] = [];
  for (let i = 0; i < 4; i += 1) {
    const x = Math.floor(rng() * 4_294_967_296);
    b.push(x >>> 24, (x >>> 16) & 255, (x >>> 8) & 255, x & 255);
  }
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.map((x) => HEX[x]!);
  return `${h.slice(0, 4).join('')}-${h.slice(4, 6).join('')}-${h.slice(6, 8).join('')}-${h.slice(8, 10).join('')}-${h.slice(10).join('')}`;
}

function actorJson(id: string, type: string, alternateId: string, displayName: string): string {
  return `{"id":${JSON.stringify(id)},"type":${JSON.stringify(type)},"alternateId":${JSON.stringify(alternateId)},"displayName":${JSON.stringify(displayName)},"detailEntry":null}`;
}

function buildPlaces(rng: RandomSource, count: number): Place[] {
  const places: Place[] = [];
  for (let i = 0; i < count; i += 1) {
    const [city, state, country, postalCode, lat, lon] = CITIES[i % CITIES.length]!;
    const [isp, asNumber, domain] = ISPS[Math.floor(rng() * ISPS.length)]!;
    const ip = [
      Math.floor(rng() * 200) + 11,
      Math.floor(rng() * 256),
      Math.floor(rng() * 256),
      Math.floor(rng() * 254) + 1,
    ].join('.');
    const geo: OktaGeographicalContext = { city, state, country, postalCode, geolocation: { lat, lon } };
    const security = (isProxy: boolean): string =>
      JSON.stringify({ asNumber, asOrg: isp, isp, domain, isProxy });
    const chain: OktaIpChainEntry[] = [{ ip, geographicalContext: geo, version: 'V4', source: null }];
    places.push({
      ip,
      clientTail: `"ipAddress":${JSON.stringify(ip)},"geographicalContext":${JSON.stringify(geo)}`,
      securityJson: security(false),
      securityProxyJson: security(true),
      ipChainJson: JSON.stringify(chain),
    });
  }
  return places;
}

function buildPeople(rng: RandomSource, count: number): Person[] {
  const people: Person[] = [];
  for (let i = 0; i < count; i += 1) {
    const first = FIRST[Math.floor(rng() * FIRST.length)]!;
    const last = LAST[Math.floor(rng() * LAST.length)]!;
    const login =
      `${first}.${last}${i}`
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase() + '@example.com';
    const id = `00u${randomChars(rng, BASE62, 17)}`;
    const name = `${first} ${last}`;
    people.push({ id, login, name, admin: i % 25 === 0, actorJson: actorJson(id, 'User', login, name) });
  }
  return people;
}

// ---------------------------------------------------------------------------------------------------------
// Large events
// ---------------------------------------------------------------------------------------------------------

const MULTIBYTE_UNIT = '€'; // 3 bytes in UTF-8, 1 UTF-16 unit
const ASCII_UNIT = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit 0123456789. ';

function padding(kind: PaddingKind, bytes: number): string {
  if (kind === 'multibyte') {
    const units = Math.floor(bytes / 3);
    return MULTIBYTE_UNIT.repeat(units) + 'x'.repeat(bytes - units * 3);
  }
  const whole = ASCII_UNIT.repeat(Math.ceil(bytes / ASCII_UNIT.length));
  return whole.slice(0, bytes);
}

/**
 * Grows `event` in place so that `JSON.stringify(event)` is exactly `bytes` UTF-8 bytes, by setting
 * `debugContext.debugData.padding` (Okta's debugData is a free-form map, and real ones do carry long values).
 * @throws RangeError when the event is already larger than `bytes`.
 */
export function padEventTo(event: OktaLogEvent, bytes: number, kind: PaddingKind = 'ascii'): OktaLogEvent {
  event.debugContext.debugData.padding = '';
  const base = Buffer.byteLength(JSON.stringify(event), 'utf8');
  if (base > bytes) throw new RangeError(`event is already ${base} bytes, more than the ${bytes} asked for`);
  event.debugContext.debugData.padding = padding(kind, bytes - base);
  return event;
}

// ---------------------------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------------------------

const SYSTEM_ACTOR = actorJson('0oa1oktasystem00000x7', 'PublicClientApp', 'system@okta.com', 'Okta System');
const NO_CLIENT =
  '{"userAgent":null,"zone":null,"device":null,"id":null,"ipAddress":null,"geographicalContext":null}';
const NO_SECURITY = '{"asNumber":null,"asOrg":null,"isp":null,"domain":null,"isProxy":null}';
const q = (value: string | null): string => (value === null ? 'null' : JSON.stringify(value));
const userAgentJson = (agent: UserAgent, raw: string = agent.raw): string =>
  `{"rawUserAgent":${q(raw)},"os":${q(agent.os)},"browser":${q(agent.browser)}}`;
const USER_AGENT_JSON = new Map(USER_AGENTS.map((a) => [a, userAgentJson(a)]));

/**
 * Creates a deterministic event stream.
 *
 * Each event's JSON is assembled from fragments serialized once (people, places, user agents): about 3×
 * faster than building objects and calling JSON.stringify, which matters for 100k-event benchmarks. The
 * object form is parsed from that JSON, so the two cannot disagree.
 */
export function createOktaEventGenerator(options: OktaEventGeneratorOptions = {}): OktaEventGenerator {
  const rng = seededRandom(options.seed ?? 1);
  const people = buildPeople(rng, Math.max(2, options.users ?? 500));
  const admins = people.filter((p) => p.admin);
  const places = buildPlaces(rng, 64);
  const unusualRate = options.unusualRate ?? 0;
  const unusualPool =
    options.loneSurrogates === true ? [...UNUSUAL_STRINGS, ...LONE_SURROGATE_STRINGS] : UNUSUAL_STRINGS;
  const meanGap = options.meanGapMs ?? 250;
  let clock = options.startTime ?? Date.UTC(2024, 0, 15, 12, 0, 0, 0);
  let produced = 0;

  const allowed = options.eventTypes;
  const kinds =
    allowed === undefined ? EVENT_KINDS : EVENT_KINDS.filter((k) => allowed.includes(k.eventType));
  if (allowed !== undefined && kinds.length !== new Set(allowed).size) {
    const unknown = allowed.filter((t) => !OKTA_EVENT_TYPES.includes(t));
    throw new RangeError(`unknown event types: ${unknown.join(', ')}`);
  }
  const totalWeight = kinds.reduce((sum, k) => sum + k.weight, 0);
  const byType = new Map(EVENT_KINDS.map((k) => [k.eventType, k]));

  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
  const id = (prefix: string): string => prefix + randomChars(rng, BASE62, 20 - prefix.length);
  const oddText = (): string => pick(unusualPool);

  function chooseKind(): EventKind {
    let roll = rng() * totalWeight;
    for (const kind of kinds) {
      roll -= kind.weight;
      if (roll < 0) return kind;
    }
    return kinds[kinds.length - 1]!;
  }

  function nextJson(opts: NextEventOptions = {}): GeneratedOktaEvent {
    produced += 1;
    const kind = opts.eventType === undefined ? chooseKind() : byType.get(opts.eventType);
    if (kind === undefined) throw new RangeError(`unknown event type: ${String(opts.eventType)}`);
    const unusual = opts.unusual ?? (unusualRate > 0 && rng() < unusualRate);
    const user = pick(people);
    const admin = pick(admins.length > 0 ? admins : people);
    const ctx: Context = { rng, user, admin, pick, id };
    const place = pick(places);
    const agent = pick(USER_AGENTS);
    if (opts.published === undefined) clock += Math.floor(rng() * 2 * meanGap);
    const publishedMs = opts.published ?? clock;
    const published = new Date(publishedMs).toISOString();

    const outcome = kind.outcome(ctx);
    const failed = outcome.result === 'FAILURE' || outcome.result === 'DENY';
    const system = kind.actor === 'system';
    const who = kind.actor === 'admin' ? admin : user;
    const actor = system
      ? SYSTEM_ACTOR
      : unusual
        ? actorJson(who.id, 'User', who.login, oddText())
        : who.actorJson;
    const transactionId = randomChars(rng, TXN_CHARS, 27);
    const mobile = !system && agent.device === 'Mobile';
    const client = system
      ? NO_CLIENT
      : `{"userAgent":${unusual ? userAgentJson(agent, `Mozilla/5.0 (${oddText()})`) : USER_AGENT_JSON.get(agent)!},` +
        `"zone":${rng() < 0.3 ? '"Corporate Network"' : '"null"'},"device":${q(agent.device)},` +
        `"id":${kind.credentialType === 'OAUTH2' ? q(pick(APPS).id) : 'null'},${place.clientTail}}`;
    const device = mobile
      ? `{"id":"${id('guo')}","name":"iPhone15,2","os_platform":"IOS","os_version":"17.2.1","managed":false,"registered":true,` +
        '"device_integrator":null,"disk_encryption_type":"FULL","screen_lock_type":"BIOMETRIC","jailbreak":false,"secure_hardware_present":true}'
      : 'null';
    const credentialType = kind.credentialType ?? null;
    const sessionId = failed || system ? 'null' : `"102${randomChars(rng, `${BASE62}-`, 22)}"`;
    const authenticationContext =
      `{"authenticationProvider":${credentialType === null ? 'null' : '"OKTA_AUTHENTICATION_PROVIDER"'},` +
      `"credentialProvider":${credentialType === 'OTP' ? '"OKTA_CREDENTIAL_PROVIDER"' : 'null'},"credentialType":${q(credentialType)},` +
      `"issuer":null,"interface":null,"authenticationStep":0,"externalSessionId":${sessionId}}`;
    const reason = unusual && outcome.result !== 'SUCCESS' ? oddText() : outcome.reason;
    const security = system ? NO_SECURITY : rng() < 0.03 ? place.securityProxyJson : place.securityJson;

    // A map, so an event type's own debug keys replace the common ones instead of repeating them.
    const debug: Record<string, unknown> = {
      requestId: transactionId,
      requestUri: system ? null : '/api/v1/authn',
      threatSuspected: 'false',
      url: system ? null : '/api/v1/authn?',
      ...kind.debug?.(ctx),
    };
    if (!system && rng() < 0.5)
      debug.deviceFingerprint = HEX.slice(0, 16)
        .map(() => pick(HEX))
        .join('');
    if (unusual) {
      debug.note = oddText();
      debug[oddText()] = oddText();
    }
    const debugData = JSON.stringify(debug).slice(0, -1); // closed after the optional padding

    const targets = kind.targets(ctx);
    const firstTarget = targets?.[0];
    if (unusual && firstTarget !== undefined) firstTarget.displayName = oddText();
    const uuid = uuidV4(rng);

    // Parts joined once: a flat string. Concatenating with `+` would retain a ~100-node rope per event, and
    // 100k retained ropes cost seconds of garbage collection.
    const parts = [
      `{"actor":${actor},"client":${client},"device":${device},"authenticationContext":${authenticationContext},`,
      `"displayMessage":${q(kind.display)},"eventType":${q(kind.eventType)},`,
      `"outcome":{"result":"${outcome.result}","reason":${q(reason)}},"published":"${published}",`,
      `"securityContext":${security},"severity":"${failed ? 'WARN' : 'INFO'}","debugContext":{"debugData":`,
      debugData,
      '', // padding goes here
      `}},"legacyEventType":${q(kind.legacy(outcome.result))},`,
      `"transaction":{"type":"${system ? 'JOB' : 'WEB'}","id":"${transactionId}","detail":{}},`,
      `"uuid":"${uuid}","version":"0","request":{"ipChain":${system ? '[]' : place.ipChainJson}},`,
      `"target":${targets === null ? 'null' : JSON.stringify(targets)}}`,
    ];
    const large = options.large;
    const bytes = opts.bytes ?? (large !== undefined && rng() < large.rate ? large.bytes : undefined);
    if (bytes !== undefined) {
      // Padding characters need no JSON escaping, so the byte count is exact.
      const base = Buffer.byteLength(parts.join(''), 'utf8') + ',"padding":""'.length;
      if (base > bytes)
        throw new RangeError(`event is already ${base} bytes, more than the ${bytes} asked for`);
      parts[5] = `,"padding":"${padding(opts.padding ?? large?.padding ?? 'ascii', bytes - base)}"`;
    }
    const json = parts.join('');
    return { json, uuid, published, publishedMs, eventType: kind.eventType };
  }

  return {
    nextJson,
    next: (opts) => JSON.parse(nextJson(opts).json) as OktaLogEvent,
    batchJson(count, published) {
      const out = new Array<GeneratedOktaEvent>(count);
      for (let i = 0; i < count; i += 1)
        out[i] = nextJson(published === undefined ? {} : { published: published(i) });
      return out;
    },
    batch(count, published) {
      const out = new Array<OktaLogEvent>(count);
      for (let i = 0; i < count; i += 1)
        out[i] = JSON.parse(
          nextJson(published === undefined ? {} : { published: published(i) }).json,
        ) as OktaLogEvent;
      return out;
    },
    get produced() {
      return produced;
    },
  };
}

/** Shorthand: `count` events (objects) from a fresh generator with these options. */
export function generateOktaEvents(count: number, options: OktaEventGeneratorOptions = {}): OktaLogEvent[] {
  return createOktaEventGenerator(options).batch(count);
}
