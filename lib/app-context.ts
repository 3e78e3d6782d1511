/**
 * The CDK app's settings, read from context (`cdk deploy -c key=value` or `cdk.json`) and validated before
 * anything is built, so a mistake is reported as one sentence instead of a stack trace from deep inside a
 * construct.
 */
import { Duration } from 'aws-cdk-lib';
import type { Node } from 'constructs';
import type { OktaSumoCollectorStackProps } from './collector-stack.js';
import { parseOktaOrgUrl } from './okta-org-url.js';

/** A missing or invalid context value; the message says which and how to set it. */
export class ContextError extends Error {
  public override readonly name = 'ContextError';
}

/** What the app builds, from context. */
export interface AppSettings {
  readonly stackName: string;
  readonly stackProps: OktaSumoCollectorStackProps;
}

/** The stack name when the `stackName` context is not set. */
export const DEFAULT_STACK_NAME = 'OktaSumoCollector';
/** Where the Sumo HTTP Source URL is read from when `sumoUrlParameterName` is not set. */
export const DEFAULT_SUMO_URL_PARAMETER = '/okta-sumo-collector/sumo-url';

/**
 * Reads and validates the context.
 * @throws ContextError naming the context key, what is wrong and an example.
 */
export function readAppSettings(node: Node): AppSettings {
  const get = (key: string): unknown => node.tryGetContext(key);

  const oktaOrgUrl = text(get, 'oktaOrgUrl');
  if (oktaOrgUrl === undefined) {
    throw new ContextError('Missing context oktaOrgUrl: run cdk deploy -c oktaOrgUrl=https://acme.okta.com');
  }
  try {
    parseOktaOrgUrl(oktaOrgUrl);
  } catch (error) {
    throw new ContextError(`Invalid context ${(error as Error).message}`);
  }

  const stackName = text(get, 'stackName') ?? DEFAULT_STACK_NAME;
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(stackName)) {
    throw new ContextError(
      `Invalid context stackName "${stackName}": letters, digits and hyphens, starting with a letter`,
    );
  }

  const scheduleMinutes = number(get, 'scheduleMinutes');
  if (
    scheduleMinutes !== undefined &&
    (!Number.isInteger(scheduleMinutes) || scheduleMinutes < 1 || scheduleMinutes > 60)
  ) {
    throw new ContextError('Invalid context scheduleMinutes: a whole number of minutes from 1 to 60');
  }

  const alarmEmail = text(get, 'alarmEmail');
  if (alarmEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(alarmEmail)) {
    throw new ContextError(`Invalid context alarmEmail "${alarmEmail}": expected an e-mail address`);
  }

  return {
    stackName,
    stackProps: {
      stackName,
      description: `Ships the Okta System Log of ${new URL(oktaOrgUrl).hostname} to a Sumo Logic HTTP Source`,
      collector: {
        oktaOrgUrl,
        sumoUrlParameterName: text(get, 'sumoUrlParameterName') ?? DEFAULT_SUMO_URL_PARAMETER,
        sourceCategory: text(get, 'sourceCategory'),
        sourceName: text(get, 'sourceName'),
        sourceHost: text(get, 'sourceHost'),
        sumoFields: fields(get, 'sumoFields'),
        startTime: text(get, 'startTime'),
        rateLimitShare: number(get, 'rateLimitShare'),
        reservedConcurrency: reservedConcurrency(get),
        scheduleInterval: scheduleMinutes === undefined ? undefined : Duration.minutes(scheduleMinutes),
      },
      oktaSecretArn: arn(get, 'oktaSecretArn', 'secretsmanager'),
      oktaSecretKmsKeyArn: arn(get, 'oktaSecretKmsKeyArn', 'kms'),
      sumoUrlParameterKmsKeyArn: arn(get, 'sumoUrlParameterKmsKeyArn', 'kms'),
      alarmEmail,
    },
  };
}

type Get = (key: string) => unknown;

/** `-c reservedConcurrency=none` reserves nothing (accounts whose concurrency quota is still 10). */
function reservedConcurrency(get: Get): number | null | undefined {
  if (text(get, 'reservedConcurrency') === 'none') return null;
  const value = number(get, 'reservedConcurrency');
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
    throw new ContextError('Invalid context reservedConcurrency: a whole number of at least 1, or "none"');
  }
  return value;
}

/** A string context value; empty means unset (as for environment variables in `loadConfig`). */
function text(get: Get, key: string): string | undefined {
  const value = get(key);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new ContextError(`Invalid context ${key}: expected a string`);
  }
  const trimmed = String(value).trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A number, given as a number in cdk.json or as a string with `-c key=value`. */
function number(get: Get, key: string): number | undefined {
  const value = text(get, key);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed))
    throw new ContextError(`Invalid context ${key} "${value}": expected a number`);
  return parsed;
}

function arn(get: Get, key: string, service: string): string | undefined {
  const value = text(get, key);
  if (value !== undefined && !new RegExp(`^arn:[a-z-]+:${service}:[a-z0-9-]+:\\d{12}:.+`).test(value)) {
    throw new ContextError(
      `Invalid context ${key}: expected an ARN like arn:<partition>:${service}:<region>:<account>:...`,
    );
  }
  return value;
}

/** `k=v,k=v`, the format of `SUMO_FIELDS`. */
function fields(get: Get, key: string): Record<string, string> | undefined {
  const value = text(get, key);
  if (value === undefined) return undefined;
  const result: Record<string, string> = {};
  for (const entry of value.split(',')) {
    const [name, fieldValue, extra] = entry.split('=').map((part) => part.trim());
    if (!name || !fieldValue || extra !== undefined) {
      throw new ContextError(
        `Invalid context ${key}: expected key=value pairs separated by commas (e.g. team=secops,env=prod)`,
      );
    }
    result[name] = fieldValue;
  }
  return result;
}
