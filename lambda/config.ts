/**
 * Configuration, read once from the environment and validated. The environment holds names and ARNs,
 * never secret values: the Okta credential lives in Secrets Manager and the Sumo URL in SSM.
 */
import { ConfigError } from './core/errors.js';
import { originOnlyProblem, schemeProblem, tryParseUrl } from './core/url-policy.js';
import type { TimeBudget } from './core/time-budget.js';
import { parseInstant, toIso } from './core/instant.js';

export interface SumoOptions {
  /** `X-Sumo-Category`; the Sumo App for Okta reads `_sourceCategory=okta`. */
  readonly category: string;
  readonly name: string | undefined;
  readonly host: string | undefined;
  /** `X-Sumo-Fields` entries. */
  readonly fields: Readonly<Record<string, string>>;
}

export interface Config {
  /** The org's origin, e.g. `https://acme.okta.com` (no trailing slash). */
  readonly oktaOrgUrl: string;
  readonly oktaSecretId: string;
  readonly sumoUrlParameter: string;
  readonly cursorTableName: string;
  readonly sumo: SumoOptions;
  /** Where a brand-new cursor starts (ISO); `undefined` means now − 7 days at the time of the first run. */
  readonly oktaStartTime: string | undefined;
  /** `limit` of each Okta request (1–1000). */
  readonly oktaPageLimit: number;
  /** Share of the org's `/api/v1/logs` rate limit this collector may use (0–1]. */
  readonly oktaRateLimitShare: number;
  readonly oktaRequestTimeoutMs: number;
  readonly sumoRequestTimeoutMs: number;
  /** Batches of one page posted to Sumo at once (`SUMO_MAX_IN_FLIGHT`, 1–4, default 3). */
  readonly sumoMaxInFlight: number;
  /** How long a credential read from Secrets Manager / SSM is reused, so a rotation takes effect without a redeploy. */
  readonly credentialsTtlMs: number;
  readonly budget: TimeBudget;
  /** `SUMO_HEALTH_CATEGORY`: when set, each invocation's health line goes to Sumo under this category. */
  readonly healthCategory: string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

const SUMO_FIELD_KEY = /^[A-Za-z0-9_]{1,255}$/;

/**
 * Validates the environment and returns the configuration.
 * @throws ConfigError naming the variable and what is wrong with it.
 */
export function loadConfig(env: Env, now: number = Date.now()): Config {
  return {
    oktaOrgUrl: orgUrl(env, 'OKTA_ORG_URL'),
    oktaSecretId: required(env, 'OKTA_SECRET_ID'),
    sumoUrlParameter: required(env, 'SUMO_URL_PARAMETER'),
    cursorTableName: required(env, 'CURSOR_TABLE_NAME'),
    sumo: {
      category: optional(env, 'SUMO_SOURCE_CATEGORY') ?? 'okta',
      name: optional(env, 'SUMO_SOURCE_NAME'),
      host: optional(env, 'SUMO_SOURCE_HOST'),
      fields: sumoFields(env, 'SUMO_FIELDS'),
    },
    oktaStartTime: startTime(env, 'OKTA_START_TIME', now),
    oktaPageLimit: integer(env, 'OKTA_PAGE_LIMIT', { min: 1, max: 1000, fallback: 1000 }),
    oktaRateLimitShare: share(env, 'OKTA_RATE_LIMIT_SHARE'),
    oktaRequestTimeoutMs: integer(env, 'OKTA_REQUEST_TIMEOUT_MS', {
      min: 1000,
      max: 120_000,
      fallback: 30_000,
    }),
    sumoRequestTimeoutMs: integer(env, 'SUMO_REQUEST_TIMEOUT_MS', {
      min: 1000,
      max: 120_000,
      fallback: 30_000,
    }),
    sumoMaxInFlight: integer(env, 'SUMO_MAX_IN_FLIGHT', { min: 1, max: 4, fallback: 3 }),
    credentialsTtlMs: 1000 * integer(env, 'CREDENTIALS_TTL_SECONDS', { min: 0, max: 86_400, fallback: 300 }),
    healthCategory: optional(env, 'SUMO_HEALTH_CATEGORY'),
    budget: {
      minPageMs: integer(env, 'MIN_PAGE_TIME_MS', { min: 100, max: 600_000, fallback: 3000 }),
      checkpointReserveMs: integer(env, 'CHECKPOINT_RESERVE_MS', { min: 100, max: 60_000, fallback: 1500 }),
      // The lease must lapse no later than 30 s after the invocation's deadline.
      leaseMarginMs: integer(env, 'LEASE_MARGIN_MS', { min: 0, max: 30_000, fallback: 10_000 }),
    },
  };
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function required(env: Env, name: string): string {
  const value = optional(env, name);
  if (value === undefined) throw new ConfigError(`${name} is required but is not set`);
  return value;
}

function orgUrl(env: Env, name: string): string {
  const value = required(env, name);
  const url = tryParseUrl(value);
  if (!url) throw new ConfigError(`${name} is not a URL (expected e.g. https://acme.okta.com)`);
  const problem = schemeProblem(url) ?? originOnlyProblem(url);
  if (problem) throw new ConfigError(`${name} ${problem}`);
  return url.origin;
}

function integer(env: Env, name: string, rule: { min: number; max: number; fallback: number }): number {
  const value = optional(env, name);
  if (value === undefined) return rule.fallback;
  if (!/^-?\d+$/.test(value))
    throw new ConfigError(`${name} must be a whole number from ${rule.min} to ${rule.max}`);
  const parsed = Number(value);
  if (parsed < rule.min || parsed > rule.max) {
    throw new ConfigError(`${name} must be a whole number from ${rule.min} to ${rule.max}, got ${parsed}`);
  }
  return parsed;
}

function share(env: Env, name: string): number {
  const value = optional(env, name);
  if (value === undefined) return 0.5; // Okta's default for new OAuth service apps
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0 || parsed > 1) {
    throw new ConfigError(
      `${name} must be a number greater than 0 and at most 1 (a share of Okta's rate limit)`,
    );
  }
  return parsed;
}

function startTime(env: Env, name: string, now: number): string | undefined {
  const value = optional(env, name);
  if (value === undefined) return undefined;
  const ms = parseInstant(value);
  if (ms === undefined)
    throw new ConfigError(`${name} must be an ISO-8601 instant such as 2026-01-31T00:00:00Z`);
  if (ms > now) throw new ConfigError(`${name} is in the future`);
  // Okta's 180-day limit matters only when a brand-new cursor starts there: the core checks it then, so a
  // start time that ages past the limit does not fail every later tick.
  return toIso(ms);
}

function sumoFields(env: Env, name: string): Record<string, string> {
  const value = optional(env, name);
  const fields: Record<string, string> = {};
  if (value === undefined) return fields;
  for (const entry of value.split(',')) {
    const [key, fieldValue, extra] = entry.split('=').map((part) => part.trim());
    if (!key || fieldValue === undefined || fieldValue === '' || extra !== undefined) {
      throw new ConfigError(
        `${name} must be a list of key=value pairs separated by commas (e.g. team=secops,env=prod)`,
      );
    }
    if (!SUMO_FIELD_KEY.test(key)) {
      throw new ConfigError(`${name} has an invalid field name "${key}" (letters, digits and _ only)`);
    }
    fields[key] = fieldValue;
  }
  return fields;
}
