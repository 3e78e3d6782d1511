/**
 * How the collector proved itself to Okta. With an OAuth 2.0 service app, no API token may ever be sent:
 * every System Log request must carry a DPoP-bound access token and a fresh proof.
 */
import type { OktaOAuthAuthority } from '../../dev/okta-oauth-authority.js';
import type { OktaSimulator } from '../../dev/okta-simulator.js';
import { count, row } from './format.js';

export interface AuthReport {
  readonly lines: readonly string[];
  readonly problems: readonly string[];
}

export function reportAuth(okta: OktaSimulator, authority: OktaOAuthAuthority | undefined): AuthReport {
  const logs = okta.requests.filter((r) => r.kind === 'logs');
  const scheme = (prefix: string): number =>
    logs.filter((r) => String(r.headers.authorization ?? '').startsWith(prefix)).length;
  if (authority === undefined) {
    return {
      lines: [
        row('System Log requests with SSWS token', `${count(scheme('SSWS '))} of ${count(logs.length)}`),
      ],
      problems: [],
    };
  }
  const ssws = okta.requests.filter((r) => String(r.headers.authorization ?? '').startsWith('SSWS')).length;
  const withProof = logs.filter(
    (r) => String(r.headers.authorization ?? '').startsWith('DPoP ') && r.headers.dpop !== undefined,
  );
  const { counters } = authority;
  return {
    lines: [
      row('SSWS headers sent to Okta', `${count(ssws)} (authority saw ${count(counters.sswsHeadersSeen)})`),
      row('System Log requests with DPoP', `${count(withProof.length)} of ${count(logs.length)}`),
      row(
        'token requests',
        `${count(counters.tokenRequests)}, ${count(counters.tokensIssued)} token(s) issued`,
      ),
      row(
        'DPoP nonce challenges',
        `${count(counters.tokenNonceChallenges)} at the token endpoint, ${count(counters.apiNonceChallenges)} from the API`,
      ),
    ],
    problems: [
      ...(ssws + counters.sswsHeadersSeen > 0 ? ['an SSWS API token was sent in OAuth mode'] : []),
      ...(withProof.length < logs.length
        ? [`${logs.length - withProof.length} System Log requests lacked DPoP`]
        : []),
    ],
  };
}
