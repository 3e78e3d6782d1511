/**
 * Turns the construct's props into the function's environment through the settings contract
 * (`lambda/settings`): the same parsers as the function's `loadConfig`, plus the synth-only checks, with
 * every message naming the prop.
 */
import { Duration, Token } from 'aws-cdk-lib';
import { ConfigError } from '../lambda/core/errors.js';
import { ALL_SETTINGS, OKTA_SETTINGS, RUN_SETTINGS, SUMO_SETTINGS } from '../lambda/settings/catalog.js';
import { parseOrgUrl, requireHttps } from '../lambda/settings/org-url.js';
import { rawOf, resolveAtSynth } from '../lambda/settings/read.js';
import type { AnySetting } from '../lambda/settings/setting.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../lambda/settings/telemetry-names.js';
import { requireParameterName } from '../lambda/settings/ssm-parameter-name.js';
import { checkSumoField, formatSumoFields } from '../lambda/settings/sumo-fields.js';
import type { CollectorSettingsProps } from './collector-settings-props.js';
import { InvalidPropsError } from './invalid-props-error.js';

/** What the construct needs from its settings. */
export interface ResolvedSettings {
  /** `https://acme.okta.com` */
  readonly origin: string;
  /** `acme.okta.com` (with `:port` if not 443): the `OktaOrg` metric dimension. */
  readonly host: string;
  readonly scheduleInterval: Duration;
  /** Seconds, when polling is on. */
  readonly pollIntervalSeconds: number | undefined;
  /** Every settings variable the function gets (the resource variables are added beside their grants). */
  readonly environment: Readonly<Record<string, string>>;
}

/** Settings whose variable the construct writes itself, or that are resources rather than values. */
const SPECIAL: ReadonlySet<AnySetting> = new Set<AnySetting>([
  OKTA_SETTINGS.orgUrl,
  OKTA_SETTINGS.secretId,
  SUMO_SETTINGS.urlParameter,
  RUN_SETTINGS.schedulePeriodSeconds,
]);

/** Written even when left at their default, so the function's console shows what it runs with. */
const ALWAYS_WRITTEN: ReadonlySet<AnySetting> = new Set<AnySetting>([
  SUMO_SETTINGS.category,
  OKTA_SETTINGS.pageLimit,
  OKTA_SETTINGS.rateLimitShare,
]);

/**
 * Checks every setting prop and returns the function's environment.
 * @throws InvalidPropsError naming the prop, with the parser's message.
 */
export function resolveSettings(props: CollectorSettingsProps, now: number = Date.now()): ResolvedSettings {
  try {
    return resolve(props, now);
  } catch (error) {
    if (error instanceof ConfigError) throw new InvalidPropsError(error.message, { cause: error });
    throw error;
  }
}

function resolve(props: CollectorSettingsProps, now: number): ResolvedSettings {
  const values = props as unknown as Readonly<Record<string, unknown>>;
  const origin = parseOrgUrl(literal(props.oktaOrgUrl, 'oktaOrgUrl'), { label: 'oktaOrgUrl', now });
  requireHttps(origin, { label: 'oktaOrgUrl', now });
  const parameter = literal(props.sumoUrlParameterName, 'sumoUrlParameterName');
  requireParameterName(parameter, { label: 'sumoUrlParameterName', now });
  const scheduleInterval = props.scheduleInterval ?? Duration.minutes(1);
  const scheduleMinutes = scheduleInterval.toSeconds() / 60;
  if (!Number.isInteger(scheduleMinutes) || scheduleMinutes < 1 || scheduleMinutes > 60) {
    throw new InvalidPropsError(
      `scheduleInterval must be whole minutes from 1 to 60, got ${scheduleInterval.toHumanString()}`,
    );
  }

  const host = new URL(origin).host;
  const environment: Record<string, string> = {
    OKTA_ORG_URL: origin,
    SCHEDULE_PERIOD_SECONDS: String(scheduleInterval.toSeconds()),
    // Read by Powertools: the metrics' namespace and `service` dimension, which the alarms select.
    POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
  };
  let pollIntervalSeconds: number | undefined;
  for (const spec of ALL_SETTINGS) {
    if (spec.prop === undefined || SPECIAL.has(spec)) continue;
    const raw =
      rawProp(spec, values[spec.prop]) ?? (ALWAYS_WRITTEN.has(spec) ? String(spec.fallback) : undefined);
    if (raw === undefined) continue;
    const resolved: { readonly value: unknown; readonly envText: string } = resolveAtSynth(
      spec,
      raw,
      spec.prop,
      now,
    );
    environment[spec.env] = resolved.envText;
    if (spec === OKTA_SETTINGS.pollIntervalSeconds) pollIntervalSeconds = resolved.value as number;
  }
  // Orgs that share a category are told apart by host: the org's own unless set.
  environment[SUMO_SETTINGS.host.env] ??= host;
  return { origin, host, scheduleInterval, pollIntervalSeconds, environment };
}

/** The raw text of a prop: durations in whole seconds, field maps checked field by field and joined. */
function rawProp(spec: AnySetting, value: unknown): string | undefined {
  const label = spec.prop!;
  if (value instanceof Duration) {
    const seconds = value.toSeconds({ integral: false });
    if (!Number.isInteger(seconds))
      throw new InvalidPropsError(`${label} must be whole seconds, got ${value.toHumanString()}`);
    return String(seconds);
  }
  if (spec === SUMO_SETTINGS.fields && typeof value === 'object' && value !== null) {
    const fields: Record<string, string> = {};
    for (const [name, fieldValue] of Object.entries(value as Record<string, unknown>)) {
      if (typeof fieldValue !== 'string') throw new InvalidPropsError(`${label}.${name} must be a string`);
      fields[name] = checkSumoField(name, fieldValue, label);
    }
    return Object.keys(fields).length === 0 ? undefined : formatSumoFields(fields);
  }
  return rawOf(value, label);
}

/** Names that the template must hold literally: the ARN built from the parameter name, the URL's host. */
function literal(value: string, label: string): string {
  if (Token.isUnresolved(value)) {
    throw new InvalidPropsError(`${label} must be a literal value: the construct reads it at synth time`);
  }
  return value;
}

/**
 * Time a polling tick needs after its polling window: the runtime stops polling shortly before the next tick
 * (`SCHEDULE_PERIOD_SECONDS`), then finishes the page in flight and checkpoints. 30 s covers a page at the
 * default timeouts' pace plus the checkpoint reserve; the function must not be killed before, or the next tick
 * finds the lease still held and skips its turn.
 */
export const POLLING_TIMEOUT_MARGIN = Duration.seconds(30);

/**
 * With polling on, a tick runs for about one schedule period: the timeout must cover it plus
 * {@link POLLING_TIMEOUT_MARGIN}.
 * @throws InvalidPropsError naming `timeout` and what it must be at least.
 */
export function checkPollingTimeout(timeout: Duration, settings: ResolvedSettings): void {
  if (settings.pollIntervalSeconds === undefined) return;
  const needed = settings.scheduleInterval.toSeconds() + POLLING_TIMEOUT_MARGIN.toSeconds();
  if (timeout.toSeconds() < needed) {
    throw new InvalidPropsError(
      `timeout must be at least ${needed} seconds with pollInterval set (the schedule interval, ` +
        `${settings.scheduleInterval.toHumanString()}, plus ${POLLING_TIMEOUT_MARGIN.toHumanString()}), ` +
        `got ${timeout.toHumanString()}`,
    );
  }
}
