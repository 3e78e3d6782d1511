/**
 * A 2xx token response the collector cannot use (a proxy's HTML page, a body cut short, JSON without a token):
 * a named, retryable error that names the operation and the host and quotes nothing of the body, which may
 * hold the access token.
 */
import { createServer } from 'node:http';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceAppAuthorizer } from '../../lambda/adapters/okta/oauth/service-app-authorizer.js';
import { TokenResponseError } from '../../lambda/adapters/okta/oauth/token-endpoint-errors.js';
import { listenOnLoopback, type Listening } from '../../dev/loopback-server.js';
import { generateServiceAppKey } from '../../dev/okta-oauth-authority.js';

/** Stands in for the access token a broken answer may still carry. */
const TOKEN_TEXT = 'eyJraWQiOiJzZWNyZXQtdG9rZW4tdmFsdWUifQ';

let org: Listening | undefined;

afterEach(async () => {
  await org?.close();
  org = undefined;
});

/** An org whose token endpoint answers 200 with this body, whatever is asked. */
async function orgAnswering(body: string, contentType: string): Promise<Listening> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': contentType, 'x-okta-request-id': 'req-token-1' });
      response.end(body);
    });
  });
  org = await listenOnLoopback(server);
  return org;
}

async function tokenFailure(listening: Listening): Promise<unknown> {
  const key = await generateServiceAppKey({ clientId: '0oa-app' });
  const authorizer = new ServiceAppAuthorizer(
    { ...key.secret, keyId: key.secret.keyId },
    { orgUrl: listening.url },
  );
  try {
    await authorizer.headersFor({
      method: 'GET',
      url: new URL(`${listening.url}/api/v1/logs`),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    return error;
  }
  throw new Error('expected the token request to fail');
}

describe('a token response that cannot be used', () => {
  it.each([
    ['an HTML page', `<html><body>token ${TOKEN_TEXT}</body></html>`, 'text/html', /is not JSON/],
    ['JSON cut short', `{"access_token":"${TOKEN_TEXT}","token_type":"DP`, 'application/json', /is not JSON/],
    [
      'JSON without an access_token',
      `{"token":"${TOKEN_TEXT}","token_type":"DPoP"}`,
      'application/json',
      /has no usable access_token/,
    ],
  ])(
    '%s gives a TokenResponseError naming the operation and quoting nothing of the body',
    async (_name, body, type, problem) => {
      // Prepare
      const listening = await orgAnswering(body, type);
      const host = new URL(listening.url).host;

      // Act
      const error = await tokenFailure(listening);

      // Assess
      expect(error).toBeInstanceOf(TokenResponseError);
      const failure = error as TokenResponseError;
      expect(failure.name).toBe('TokenResponseError');
      expect(failure.message.startsWith(`token response from ${host} `)).toBe(true);
      expect(failure.message).toMatch(problem);
      expect(failure).toMatchObject({ status: 200, retryable: true, requestId: 'req-token-1' });
      // The message, the cause chain and every property a logger could print.
      expect(inspect(failure, { depth: 10 })).not.toContain(TOKEN_TEXT.slice(0, 12));
    },
  );
});
