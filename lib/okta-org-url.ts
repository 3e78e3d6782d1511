import { originOnlyProblem } from '../lambda/core/url-policy.js';
import { InvalidPropsError } from './invalid-props-error.js';

/** An Okta org's address, checked once at synth time so a typo fails `cdk synth` instead of every tick. */
export interface OktaOrgUrl {
  /** `https://acme.okta.com`, without a trailing slash: what `OKTA_ORG_URL` holds. */
  readonly origin: string;
  /** `acme.okta.com` (with `:port` if not 443): the `OktaOrg` dimension the handler gives its metrics. */
  readonly host: string;
}

/**
 * Parses the org URL the way the Lambda's `loadConfig` does, but stricter: a deployed collector talks to
 * Okta over the internet, so only `https://` is accepted (the runtime also allows `http://` to loopback,
 * for local runs).
 * @throws InvalidPropsError naming what is wrong, with an example of a valid value.
 */
export function parseOktaOrgUrl(value: string): OktaOrgUrl {
  const example = 'e.g. https://acme.okta.com';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidPropsError(`oktaOrgUrl "${value}" is not a URL (${example})`);
  }
  if (url.protocol !== 'https:') throw new InvalidPropsError(`oktaOrgUrl must use https:// (${example})`);
  const problem = originOnlyProblem(url);
  if (problem) throw new InvalidPropsError(`oktaOrgUrl ${problem}`);
  return { origin: url.origin, host: url.host };
}
