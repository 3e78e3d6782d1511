/**
 * The CDK app's settings, read from context (`cdk deploy -c key=value` or `cdk.json`) and validated before
 * anything is built, so a mistake is reported as one sentence instead of a stack trace from deep inside a
 * construct. Keys: see `app-context-keys.ts` and the README's configuration reference.
 */
import type { Node } from 'constructs';
import { isCdkKey, ORG_KEYS, STACK_KEYS } from './app-context-keys.js';
import type { CollectorDeployment, OktaSumoCollectorStackProps } from './collector-stack.js';
import { nearestKey } from './nearest-key.js';
import { ContextError, DEFAULT_SUMO_URL_PARAMETER, readOrg } from './org-context.js';
import { readOrgsFile } from './orgs-file.js';

export { ContextError, DEFAULT_SUMO_URL_PARAMETER };

/** What the app builds, from context. */
export interface AppSettings {
  readonly stackName: string;
  readonly stackProps: OktaSumoCollectorStackProps;
}

/** The stack name when the `stackName` context is not set. */
export const DEFAULT_STACK_NAME = 'OktaSumoCollector';

/**
 * Reads and validates the context.
 * @param now epoch ms against which start times are checked (the synth's clock).
 * @throws ContextError naming the context key, what is wrong and, for an unknown key, the nearest valid one.
 */
export function readAppSettings(node: Node, now: number = Date.now()): AppSettings {
  const context = node.getAllContext() as Record<string, unknown>;
  refuseUnknownKeys(Object.keys(context));
  const get = (key: string): unknown => context[key];

  const stackName = stackText(get, 'stackName') ?? DEFAULT_STACK_NAME;
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(stackName)) {
    throw new ContextError(
      `Invalid context stackName "${stackName.slice(0, 40)}": letters, digits and hyphens, starting with a letter`,
    );
  }
  const alarmEmail = stackText(get, 'alarmEmail');
  if (alarmEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(alarmEmail)) {
    throw new ContextError(
      `Invalid context alarmEmail "${alarmEmail.slice(0, 40)}": expected an e-mail address`,
    );
  }

  const orgsFile = stackText(get, 'orgsFile');
  if (orgsFile === undefined) {
    const deployment = readOrg(get, '', now);
    return {
      stackName,
      stackProps: {
        stackName,
        description: `Ships the Okta System Log of ${hostOf(deployment)} to a Sumo Logic HTTP Source`,
        ...deployment,
        alarmEmail,
      },
    };
  }

  for (const key of ['oktaOrgUrl', 'oktaSecretArn', 'oktaSecretKmsKeyArn']) {
    if (get(key) !== undefined) {
      throw new ContextError(
        `Context ${key} cannot be combined with orgsFile: give each org its own in ${orgsFile}`,
      );
    }
  }
  // Command-line values of the other org keys are every org's defaults.
  const orgs = readOrgsFile(orgsFile).map(({ entry, where }) =>
    readOrg((key) => (Object.hasOwn(entry, key) ? entry[key] : get(key)), where, now),
  );
  const hosts = orgs.map(hostOf);
  const repeated = hosts.find((host, i) => hosts.indexOf(host) !== i);
  if (repeated) throw new ContextError(`${orgsFile} lists the org ${repeated} more than once`);
  return {
    stackName,
    stackProps: {
      stackName,
      description: `Ships the Okta System Log of ${hosts.join(', ')} to Sumo Logic HTTP Sources`.slice(
        0,
        1024,
      ),
      orgs,
      alarmEmail,
    },
  };
}

/** Fails on the first key that neither the app nor the CDK knows, naming the nearest valid one. */
function refuseUnknownKeys(keys: readonly string[]): void {
  const valid = [...STACK_KEYS, ...ORG_KEYS];
  for (const key of keys) {
    if (isCdkKey(key) || valid.includes(key)) continue;
    throw new ContextError(
      `Unknown context key ${key.slice(0, 40)}: did you mean ${nearestKey(key, valid) ?? 'oktaOrgUrl'}? ` +
        '(the README lists every key)',
    );
  }
}

function hostOf(deployment: CollectorDeployment): string {
  return new URL(deployment.collector.oktaOrgUrl).host;
}

/** A stack-level text value; empty means unset (as for environment variables in `loadConfig`). */
function stackText(get: (key: string) => unknown, key: string): string | undefined {
  const value = get(key);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ContextError(`Invalid context ${key}: expected a string`);
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
