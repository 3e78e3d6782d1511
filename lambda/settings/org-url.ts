/** The Okta org's address: an origin, `https://` (plain `http://` only to loopback, for local runs). */
import { originOnlyProblem, schemeProblem, tryParseUrl } from '../core/url-policy.js';
import { settingError } from './errors.js';
import { quote } from './quote.js';
import type { ParseContext } from './setting.js';

const EXAMPLE = 'e.g. https://acme.okta.com';

/** Parses the org URL to its origin (no trailing slash). */
export function parseOrgUrl(raw: string, { label }: ParseContext): string {
  const url = tryParseUrl(raw);
  if (!url) throw settingError(label, `is not a URL (${EXAMPLE}), got ${quote(raw)}`);
  const problem = schemeProblem(url) ?? originOnlyProblem(url);
  if (problem) throw settingError(label, problem);
  return url.origin;
}

/** A deployed collector talks to Okta over the internet: only `https://` at synth time. */
export function requireHttps(origin: string, { label }: ParseContext): void {
  if (!origin.startsWith('https://')) throw settingError(label, `must use https:// (${EXAMPLE})`);
}

/**
 * `acme-admin.okta.com` is the Admin Console's address; the API (and the System Log) answers on the org's own
 * domain. Returns the domain to use instead, or `undefined` when the URL is not an admin domain.
 */
export function adminDomainFix(origin: string): string | undefined {
  const url = new URL(origin);
  const match = /^([^.]+)-admin\.(.+)$/.exec(url.hostname);
  return match ? `${url.protocol}//${match[1]}.${match[2]}${url.port ? `:${url.port}` : ''}` : undefined;
}
