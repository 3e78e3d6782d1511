/**
 * One org's settings from context: the command line (`-c key=value`, cdk.json) or an entry of `orgsFile`,
 * each value through the parser the function uses, so that synth refuses what the function would refuse.
 */
import { Duration } from 'aws-cdk-lib';
import { ConfigError } from '../lambda/core/errors.js';
import { ALL_SETTINGS, OKTA_SETTINGS, RUN_SETTINGS, SUMO_SETTINGS } from '../lambda/settings/catalog.js';
import { parseOrgUrl, requireHttps } from '../lambda/settings/org-url.js';
import { wholeNumber } from '../lambda/settings/parsers.js';
import { rawOf, resolveAtSynth } from '../lambda/settings/read.js';
import { requireParameterName } from '../lambda/settings/ssm-parameter-name.js';
import { checkSumoField, formatSumoFields } from '../lambda/settings/sumo-fields.js';
import type { CollectorDeployment, CollectorStackSettings } from './collector-stack.js';

/** A missing or invalid context value; the message says which and how to set it. */
export class ContextError extends Error {
  public override readonly name = 'ContextError';
}

/** Where the Sumo HTTP Source URL is read from when `sumoUrlParameterName` is not set. */
export const DEFAULT_SUMO_URL_PARAMETER = '/okta-sumo-collector/sumo-url';

/** An org's value of a key (falling back to the command line's, for orgs of `orgsFile`). */
export type Lookup = (key: string) => unknown;

/**
 * Reads one org. `where` is appended to every key an error names (` (orgs.json, org 2)`).
 * @throws ContextError naming the key.
 */
export function readOrg(lookup: Lookup, where: string, now: number): CollectorDeployment {
  try {
    return read(lookup, where, now);
  } catch (error) {
    if (error instanceof ConfigError) throw new ContextError(error.message, { cause: error });
    throw error;
  }
}

function read(lookup: Lookup, where: string, now: number): CollectorDeployment {
  const label = (key: string) => `${key}${where}`;
  const text = (key: string) => {
    const value = lookup(key);
    return typeof value === 'boolean' ? String(value) : rawOf(value, label(key));
  };
  const ctx = (key: string) => ({ label: label(key), now });

  const orgUrl = text('oktaOrgUrl');
  if (orgUrl === undefined) {
    throw new ContextError(
      where
        ? `Missing oktaOrgUrl${where}: each org needs one, e.g. "oktaOrgUrl": "https://acme.okta.com"`
        : 'Missing context oktaOrgUrl: run cdk deploy -c oktaOrgUrl=https://acme.okta.com',
    );
  }
  const origin = parseOrgUrl(orgUrl, ctx('oktaOrgUrl'));
  requireHttps(origin, ctx('oktaOrgUrl'));
  const parameter = text('sumoUrlParameterName') ?? DEFAULT_SUMO_URL_PARAMETER;
  requireParameterName(parameter, ctx('sumoUrlParameterName'));

  const collector: Record<string, unknown> = { oktaOrgUrl: origin, sumoUrlParameterName: parameter };
  for (const spec of ALL_SETTINGS) {
    const key = spec.context;
    if (key === undefined || spec.prop === undefined || SPECIAL_KEYS.has(key)) continue;
    const raw = spec === SUMO_SETTINGS.fields ? fieldsText(lookup(key), label(key)) : text(key);
    if (raw === undefined) continue;
    const resolved: { readonly value: unknown } = resolveAtSynth(spec, raw, label(key), now);
    collector[spec.prop] =
      spec === OKTA_SETTINGS.pollIntervalSeconds
        ? Duration.seconds(resolved.value as number)
        : resolved.value;
  }
  const scheduleMinutes = text('scheduleMinutes');
  if (scheduleMinutes !== undefined) {
    collector.scheduleInterval = Duration.minutes(
      wholeNumber(1, 60)(scheduleMinutes, ctx('scheduleMinutes')),
    );
  }
  collector.reservedConcurrency = reservedConcurrency(
    text('reservedConcurrency'),
    label('reservedConcurrency'),
  );
  const retention = text('undeliverableRetentionDays');
  if (retention !== undefined) {
    collector.undeliverableRetention = Duration.days(
      wholeNumber(1, 3650)(retention, ctx('undeliverableRetentionDays')),
    );
  }
  collector.dashboard = flag(text('dashboard'), label('dashboard'));

  return {
    collector: collector as unknown as CollectorStackSettings,
    oktaSecretArn: arn(text('oktaSecretArn'), label('oktaSecretArn'), 'secretsmanager'),
    oktaSecretKmsKeyArn: arn(text('oktaSecretKmsKeyArn'), label('oktaSecretKmsKeyArn'), 'kms'),
    sumoUrlParameterKmsKeyArn: arn(
      text('sumoUrlParameterKmsKeyArn'),
      label('sumoUrlParameterKmsKeyArn'),
      'kms',
    ),
  };
}

/** Keys read above with their own rules (the catalog's parser is the function's, in other units). */
const SPECIAL_KEYS = new Set<string>([
  OKTA_SETTINGS.orgUrl.context!,
  OKTA_SETTINGS.secretId.context!,
  SUMO_SETTINGS.urlParameter.context!,
  RUN_SETTINGS.schedulePeriodSeconds.context!,
]);

/** `k=v,k=v` as on the command line, or, in a JSON file, an object of fields. */
function fieldsText(value: unknown, label: string): string | undefined {
  if (typeof value !== 'object' || value === null) return rawOf(value, label);
  const fields: Record<string, string> = {};
  for (const [name, fieldValue] of Object.entries(value as Record<string, unknown>)) {
    if (typeof fieldValue !== 'string') throw new ContextError(`${label} field ${name} must be a string`);
    fields[name] = checkSumoField(name, fieldValue, label);
  }
  return Object.keys(fields).length === 0 ? undefined : formatSumoFields(fields);
}

/** `none` reserves nothing (accounts whose concurrency quota is still 10). */
function reservedConcurrency(raw: string | undefined, label: string): number | null | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'none') return null;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) < 1) {
    throw new ContextError(`${label} must be a whole number of at least 1, or "none"`);
  }
  return Number(raw);
}

function flag(raw: string | undefined, label: string): boolean | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new ContextError(`${label} must be true or false`);
}

function arn(raw: string | undefined, label: string, service: string): string | undefined {
  if (raw !== undefined && !new RegExp(`^arn:[a-z-]+:${service}:[a-z0-9-]+:\\d{12}:.+`).test(raw)) {
    throw new ContextError(`${label} must be an ARN like arn:<partition>:${service}:<region>:<account>:...`);
  }
  return raw;
}
