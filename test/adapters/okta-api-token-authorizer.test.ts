import { describe, expect, it } from 'vitest';
import { CredentialError } from '../../lambda/core/errors.js';
import type { CredentialProvider } from '../../lambda/adapters/credentials.js';
import { ApiTokenAuthorizer } from '../../lambda/adapters/okta/api-token-authorizer.js';

/** A token provider whose refresh hands out the next token of the list. */
function tokens(...values: string[]): CredentialProvider<string> & { refreshes: number } {
  let index = 0;
  return {
    refreshes: 0,
    get() {
      return Promise.resolve(values[index]!);
    },
    refresh() {
      this.refreshes++;
      index = Math.min(index + 1, values.length - 1);
      return Promise.resolve(values[index]!);
    },
  };
}

const request = {
  method: 'GET' as const,
  url: new URL('https://acme.okta.com/api/v1/logs'),
  signal: new AbortController().signal,
};

describe('ApiTokenAuthorizer', () => {
  it('authorizes with SSWS and the token, without a stray newline from the secret', async () => {
    // Prepare
    const authorizer = new ApiTokenAuthorizer(tokens('00abcDEF_ghi-123\n'));

    // Act
    const headers = await authorizer.headersFor(request);

    // Assess
    expect(headers).toEqual({ Authorization: 'SSWS 00abcDEF_ghi-123' });
  });

  it('re-reads the token after a first 401 and asks for one more try', async () => {
    // Prepare
    const provider = tokens('old-token', 'new-token');
    const authorizer = new ApiTokenAuthorizer(provider);

    // Act
    const verdict = await authorizer.onResponse(new Response(null, { status: 401 }), 1);
    const headers = await authorizer.headersFor(request);

    // Assess
    expect(verdict).toBe('retry');
    expect(provider.refreshes).toBe(1);
    expect(headers.Authorization).toBe('SSWS new-token');
  });

  it('gives up on a second 401 without re-reading again', async () => {
    // Prepare
    const provider = tokens('old-token', 'new-token');
    const authorizer = new ApiTokenAuthorizer(provider);

    // Act
    const verdict = await authorizer.onResponse(new Response(null, { status: 401 }), 2);

    // Assess
    expect(verdict).toBe('ok');
    expect(provider.refreshes).toBe(0);
  });

  it.each([200, 403, 429, 500])('leaves a %i answer alone', async (status) => {
    // Prepare
    const provider = tokens('token-value');
    const authorizer = new ApiTokenAuthorizer(provider);

    // Act
    const verdict = await authorizer.onResponse(new Response(null, { status }), 1);

    // Assess
    expect(verdict).toBe('ok');
    expect(provider.refreshes).toBe(0);
  });

  it('refuses a token that cannot travel in a header, without quoting it', async () => {
    // Prepare
    const authorizer = new ApiTokenAuthorizer(tokens('secret part\r\nX-Injected: 1'));

    // Act
    const error = await authorizer.headersFor(request).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(CredentialError);
    expect(String(error)).not.toContain('secret part');
  });
});
