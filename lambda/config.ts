/**
 * Configuration, read once from the environment and validated. The environment holds names and ARNs,
 * never secret values: the Okta credential lives in Secrets Manager and the Sumo URL in SSM. Every variable's
 * name, default, range and parser is in `settings/`, which the CDK construct uses too.
 */
import type { TimeBudget } from './core/time-budget.js';
import { OKTA_SETTINGS as OKTA, RUN_SETTINGS as RUN, SUMO_SETTINGS as SUMO } from './settings/catalog.js';
import type { Setting } from './settings/setting.js';
import { readEnv, readRequiredEnv } from './settings/read.js';

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
  /** Share of the org's `/api/v1/logs` rate limit this collector may use (0.01–1). */
  readonly oktaRateLimitShare: number;
  readonly oktaRequestTimeoutMs: number;
  readonly sumoRequestTimeoutMs: number;
  /** How long a credential read from Secrets Manager / SSM is reused, so a rotation takes effect without a redeploy. */
  readonly credentialsTtlMs: number;
  readonly budget: TimeBudget;
  /** The S3 bucket for events Sumo refuses on their own; `undefined` when the stack has none (local runs). */
  readonly undeliverableBucketName: string | undefined;
  /** Days a finished replay item is kept (DynamoDB TTL). */
  readonly replayRetentionDays: number;
  /** Concurrent POSTs to Sumo. */
  readonly sumoMaxInFlight: number;
  /** A caught-up tick keeps polling at this interval; `undefined`: it returns at once. */
  readonly pollIntervalSeconds: number | undefined;
  /** The schedule's period, set by the stack: polling stops shortly before the next tick. */
  readonly schedulePeriodSeconds: number;
  /** Segments a backlog is collected in, in parallel (1 = off). */
  readonly catchUpSegments: number;
  /** Sumo category of the per-invocation health summary; `undefined`: not sent. */
  readonly healthCategory: string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Validates the environment and returns the configuration.
 * @throws ConfigError naming the variable and what is wrong with it.
 */
export function loadConfig(env: Env, now: number = Date.now()): Config {
  const read = <T>(spec: Setting<T>): T => readEnv(env, spec, now);
  const required = <T>(spec: Setting<T | undefined>): T => readRequiredEnv(env, spec, now);
  return {
    oktaOrgUrl: required(OKTA.orgUrl),
    oktaSecretId: required(OKTA.secretId),
    sumoUrlParameter: required(SUMO.urlParameter),
    cursorTableName: required(RUN.cursorTableName),
    sumo: {
      category: read(SUMO.category),
      name: read(SUMO.name),
      host: read(SUMO.host),
      fields: read(SUMO.fields),
    },
    oktaStartTime: read(OKTA.startTime),
    oktaPageLimit: read(OKTA.pageLimit),
    oktaRateLimitShare: read(OKTA.rateLimitShare),
    oktaRequestTimeoutMs: read(OKTA.requestTimeoutMs),
    sumoRequestTimeoutMs: read(SUMO.requestTimeoutMs),
    credentialsTtlMs: 1000 * read(RUN.credentialsTtlSeconds),
    budget: {
      minPageMs: read(RUN.minPageTimeMs),
      checkpointReserveMs: read(RUN.checkpointReserveMs),
      leaseMarginMs: read(RUN.leaseMarginMs),
    },
    undeliverableBucketName: read(RUN.undeliverableBucketName),
    replayRetentionDays: read(RUN.replayRetentionDays),
    sumoMaxInFlight: read(SUMO.maxInFlight),
    pollIntervalSeconds: read(OKTA.pollIntervalSeconds),
    schedulePeriodSeconds: read(RUN.schedulePeriodSeconds),
    catchUpSegments: read(OKTA.catchUpSegments),
    healthCategory: read(SUMO.healthCategory),
  };
}
