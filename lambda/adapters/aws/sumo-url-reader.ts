/**
 * Reads the Sumo Logic HTTP Logs Source URL from SSM Parameter Store (`SUMO_URL_PARAMETER`). The URL embeds the
 * source's token, so it is a credential: it is checked to point at a Sumo collection endpoint before anything is
 * posted to it (a wrong value must not send Okta's audit log elsewhere), and no message ever quotes it.
 */
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { CredentialError } from '../../core/errors.js';
import type { Clock, Logger } from '../../core/ports.js';
import { isLoopbackHost, schemeProblem, tryParseUrl } from '../../core/url-policy.js';
import { CachedValue } from '../cached-value.js';
import type { CredentialProvider } from '../credentials.js';
import { credentialReadError } from './credential-read-error.js';

export interface SumoUrlProviderOptions {
  /** Created once by the composition root. */
  readonly client: SSMClient;
  /** `SUMO_URL_PARAMETER`: the parameter's name (or ARN). */
  readonly parameterName: string;
  /** How long a read URL is reused (`Config.credentialsTtlMs`); 0 reads it every time. */
  readonly ttlMs: number;
  /** Warns once when the parameter is a plain String rather than a SecureString. */
  readonly logger: Logger;
  /**
   * Time source for the cache, for tests.
   * @default the system clock
   */
  readonly clock?: Pick<Clock, 'now'>;
}

const EXPECTED = 'expected https://<endpoint>.sumologic.com/receiver/v1/http/<token>';

/**
 * Sumo's collection hosts: `endpoint[N].collection[.<deployment>].sumologic.com`, `collectors[.<deployment>]
 * .sumologic.com` (including FedRAMP, `.fed.`), and the older `*.sumologic.net` hosts (e.g.
 * `events.sumologic.net`) that HTTP Sources created years ago still use.
 */
const SUMO_HOST_SUFFIXES = ['.sumologic.com', '.sumologic.net'];
/** The HTTP Logs and Metrics Source path. OTLP (`/receiver/v1/otlp/...`) and traces sources take other payloads. */
const HTTP_LOGS_PATH = /^\/receiver\/v1\/http\/[^/]+$/;

/**
 * The Sumo URL, read from SSM and reused for `ttlMs`; `refresh()` after Sumo answers 401 (the URL was
 * regenerated). Callers must not modify the returned `URL`: it is the cached instance.
 */
export function createSumoUrlProvider(options: SumoUrlProviderOptions): CredentialProvider<URL> {
  let warned = false;
  const warnOnce = () => {
    if (warned) return;
    warned = true;
    // Accepted rather than refused: the collector works, but anyone allowed to read the parameter (or view it in
    // the console) sees the token, and it is stored unencrypted. Refusing would stop a working pipeline over
    // hardening; saying so once per cold start lets the operator fix it.
    options.logger.warn('Sumo URL parameter is not a SecureString', { parameter: options.parameterName });
  };
  return new CachedValue({
    load: () => readSumoUrl(options.client, options.parameterName, warnOnce),
    ttlMs: options.ttlMs,
    ...(options.clock ? { clock: options.clock } : {}),
  });
}

/**
 * Reads and checks the parameter once.
 * @param onPlainString called when the parameter is a plain String (not encrypted at rest).
 * @throws CredentialError when it cannot be read or is not a Sumo HTTP Logs Source URL.
 */
export async function readSumoUrl(
  client: SSMClient,
  parameterName: string,
  onPlainString: () => void = () => {},
): Promise<URL> {
  const where = `parameter "${parameterName}" (SUMO_URL_PARAMETER)`;
  let output;
  try {
    output = await client.send(new GetParameterCommand({ Name: parameterName, WithDecryption: true }));
  } catch (error) {
    throw credentialReadError(error, {
      description: where,
      notFoundErrors: ['ParameterNotFound', 'ParameterVersionNotFound'],
      service: 'SSM',
    });
  }
  const parameter = output.Parameter;
  if (parameter?.Value === undefined) throw new CredentialError(`${where} has no value; ${EXPECTED}`);
  if (parameter.Type === 'StringList') {
    throw new CredentialError(`${where} is a StringList; store the URL alone in a SecureString; ${EXPECTED}`);
  }
  const url = parseSumoUrl(parameter.Value, where);
  if (parameter.Type === 'String') onPlainString();
  return url;
}

/**
 * Parses and checks a Sumo HTTP Logs Source URL: https to a Sumo collection host with the HTTP Logs path, or
 * http(s) to a loopback host with any path (local runs and tests; nothing on loopback crosses a network).
 * @param where how to name the value's origin in messages.
 * @throws CredentialError saying what is wrong, without quoting the value or any part of it.
 */
export function parseSumoUrl(value: string, where: string): URL {
  const url = tryParseUrl(value.trim());
  const problem = url === undefined ? 'it is not a URL' : sumoUrlProblem(url);
  if (url === undefined || problem !== undefined) {
    throw new CredentialError(`${where} does not hold a Sumo HTTP Logs Source URL (${EXPECTED}): ${problem}`);
  }
  return url;
}

/** Why `url` is not a usable Sumo HTTP Logs Source URL, or `undefined` when it is. Never quotes the URL. */
export function sumoUrlProblem(url: URL): string | undefined {
  if (url.username !== '' || url.password !== '') return 'it contains a user name or password';
  if (isLoopbackHost(url.hostname)) {
    return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : 'it must use https://';
  }
  const scheme = schemeProblem(url);
  if (scheme !== undefined) return `it ${scheme}`;
  if (!SUMO_HOST_SUFFIXES.some((suffix) => url.hostname.endsWith(suffix))) {
    return 'its host is not a Sumo Logic collection endpoint (*.sumologic.com)';
  }
  if (url.pathname.startsWith('/receiver/v1/otlp')) {
    return 'it is an OTLP source URL; create an HTTP Logs and Metrics Source and use its URL';
  }
  if (url.pathname.startsWith('/receiver/v1/trace')) {
    return 'it is a traces source URL; create an HTTP Logs and Metrics Source and use its URL';
  }
  if (!HTTP_LOGS_PATH.test(url.pathname)) return 'its path is not /receiver/v1/http/<token>';
  if (url.search !== '' || url.hash !== '')
    return 'it has a query or fragment, which Sumo source URLs never have';
  return undefined;
}
