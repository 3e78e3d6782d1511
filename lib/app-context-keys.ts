/**
 * Every context key the app reads: the runtime settings' keys (from the settings catalog) and the keys of the
 * app itself, each with its default and range for the README's reference, which a test checks against this
 * list. Any other key fails synth, except those that the CDK and its CLI set.
 */
import { ALL_SETTINGS } from '../lambda/settings/catalog.js';

/** A context key of the app that is not a runtime setting. */
export interface AppContextKey {
  readonly key: string;
  /** `stack`: once per app; `org`: per collector (on the command line, or in each org of `orgsFile`). */
  readonly scope: 'stack' | 'org';
  readonly defaultText: string;
  readonly range: string;
  readonly description: string;
}

/** The keys of the app itself. */
export const APP_CONTEXT_KEYS: readonly AppContextKey[] = [
  {
    key: 'stackName',
    scope: 'stack',
    defaultText: '`OktaSumoCollector`',
    range: 'letters, digits, `-`; starts with a letter',
    description: 'name of the stack',
  },
  {
    key: 'alarmEmail',
    scope: 'stack',
    defaultText: 'none',
    range: 'e-mail address',
    description: 'subscribed to a new encrypted SNS topic that every alarm notifies',
  },
  {
    key: 'orgsFile',
    scope: 'stack',
    defaultText: 'none (one org from `oktaOrgUrl`)',
    range: 'path of a JSON array of orgs',
    description:
      'one collector per org in one stack; each org has `oktaOrgUrl` and any org key below (the command line values are defaults)',
  },
  {
    key: 'oktaSecretKmsKeyArn',
    scope: 'org',
    defaultText: 'AWS managed key',
    range: 'KMS key ARN',
    description:
      'customer managed key of the existing Okta secret (decrypt granted only through Secrets Manager)',
  },
  {
    key: 'sumoUrlParameterKmsKeyArn',
    scope: 'org',
    defaultText: 'AWS managed key',
    range: 'KMS key ARN',
    description: 'customer managed key of the Sumo URL parameter (decrypt granted only through SSM)',
  },
  {
    key: 'reservedConcurrency',
    scope: 'org',
    defaultText: '3',
    range: 'whole number ≥ 1, or `none`',
    description: 'reserved concurrency of the function (`none` for accounts whose quota is still 10)',
  },
  {
    key: 'undeliverableRetentionDays',
    scope: 'org',
    defaultText: '90',
    range: '1–3650',
    description: 'days an event Sumo refused stays in the undeliverable bucket',
  },
  {
    key: 'dashboard',
    scope: 'org',
    defaultText: '`true`',
    range: '`true` or `false`',
    description: 'whether to create the CloudWatch dashboard',
  },
];

/** Keys of the runtime settings (`oktaOrgUrl`, `pageLimit`, …), in the catalog's order. */
export const SETTING_CONTEXT_KEYS: readonly string[] = ALL_SETTINGS.flatMap((spec) =>
  spec.context ? [spec.context] : [],
);

/** Keys that may appear once per org. */
export const ORG_KEYS: readonly string[] = [
  ...SETTING_CONTEXT_KEYS,
  ...APP_CONTEXT_KEYS.filter((key) => key.scope === 'org').map((key) => key.key),
];

/** Keys that only make sense once per app. */
export const STACK_KEYS: readonly string[] = APP_CONTEXT_KEYS.filter((key) => key.scope === 'stack').map(
  (key) => key.key,
);

/** Keys the CDK CLI writes into cdk.json or passes itself. */
const CLI_KEYS = new Set(['cli-telemetry', 'acknowledged-issue-numbers']);

/**
 * Whether a key belongs to the CDK rather than to this app: feature flags (`@aws-cdk/…`), the keys the
 * toolkit injects (`aws:cdk:…`, `aws-cdk:…`), the CLI's own, and cached lookups (`availability-zones:account=…`).
 */
export function isCdkKey(key: string): boolean {
  return key.startsWith('@') || /^aws(-cdk)?:/.test(key) || CLI_KEYS.has(key) || /^[a-z-]+:.*=/.test(key);
}
