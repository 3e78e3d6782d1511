/**
 * URL rules shared by configuration and the adapters: `https://` everywhere, except plain `http://` to a
 * loopback host, which local runs and tests use (nothing on loopback crosses a network).
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** Returns why the URL's scheme is not allowed, or `undefined` when it is. */
export function schemeProblem(url: URL): string | undefined {
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return undefined;
  return url.protocol === 'http:'
    ? 'must use https:// (plain http:// is only allowed to a loopback host)'
    : `must use https://, not ${url.protocol}//`;
}

/** Returns why the URL is not a bare origin (user info, a path, a query or a fragment), or `undefined`. */
export function originOnlyProblem(url: URL): string | undefined {
  if (url.username || url.password) return 'must not contain a user name or password';
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    return "must be the org's origin only, without a path, query or fragment (e.g. https://acme.okta.com)";
  }
  return undefined;
}

/** Parses a URL without throwing. */
export function tryParseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
