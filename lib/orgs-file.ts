/**
 * `-c orgsFile=orgs.json`: a JSON array of orgs, each an object of org keys (`oktaOrgUrl`,
 * `sumoUrlParameterName` and any optional setting, named like the command line's context keys).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ORG_KEYS, STACK_KEYS } from './app-context-keys.js';
import { nearestKey } from './nearest-key.js';
import { ContextError } from './org-context.js';

/** One org of the file, with the words that locate it in error messages. */
export interface OrgsFileEntry {
  readonly entry: Readonly<Record<string, unknown>>;
  /** ` (orgs.json, org 2)` */
  readonly where: string;
}

/**
 * Reads the file (relative to the working directory, where `cdk` runs the app) and checks its shape and keys.
 * @throws ContextError naming the file, the org and the key.
 */
export function readOrgsFile(path: string): OrgsFileEntry[] {
  let text: string;
  try {
    text = readFileSync(resolve(path), 'utf8');
  } catch (error) {
    throw new ContextError(
      `orgsFile ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      {
        cause: error,
      },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ContextError(`orgsFile ${path} is not JSON: ${(error as Error).message.slice(0, 80)}`, {
      cause: error,
    });
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw new ContextError(
      `orgsFile ${path} must hold a non-empty JSON array of orgs, e.g. [{"oktaOrgUrl": "https://acme.okta.com"}]`,
    );
  }
  return parsed.map((entry: unknown, index) => {
    const where = ` (${path}, org ${index + 1})`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new ContextError(`org ${index + 1} of ${path} must be an object with oktaOrgUrl`);
    }
    for (const key of Object.keys(entry)) {
      if (ORG_KEYS.includes(key)) continue;
      if (STACK_KEYS.includes(key)) {
        throw new ContextError(
          `${key}${where} is a key of the whole app: set it with -c ${key}=…, not per org`,
        );
      }
      throw new ContextError(
        `Unknown key ${key.slice(0, 40)}${where}: did you mean ${nearestKey(key, ORG_KEYS) ?? 'oktaOrgUrl'}?`,
      );
    }
    return { entry: entry as Record<string, unknown>, where };
  });
}
