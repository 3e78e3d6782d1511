/**
 * Reads the Okta credential from Secrets Manager (`OKTA_SECRET_ID`) and tells the two accepted shapes apart:
 * `{"apiToken": "..."}` or `{"clientId": "...", "privateKey": <PEM or JWK>, "keyId": "..."}`. A secret that
 * is neither fails with a message saying what is wrong, in our own words: neither the secret text nor a parser
 * message quoting it (`JSON.parse` quotes its input) ever reaches an error, so nothing secret can be logged.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { JWK } from 'jose';
import { z } from 'zod';
import { CredentialError } from '../../core/errors.js';
import { checkedPrivateKey } from '../okta/oauth/client-signing-key.js';
import type { Clock } from '../../core/ports.js';
import { CachedValue } from '../cached-value.js';
import type { CredentialProvider, OktaCredential } from '../credentials.js';
import { credentialReadError } from './credential-read-error.js';
import { OKTA_SECRET_PLACEHOLDER } from './okta-secret-placeholder.js';

export interface OktaCredentialProviderOptions {
  /** Created once by the composition root. */
  readonly client: SecretsManagerClient;
  /** `OKTA_SECRET_ID`: the secret's name or ARN. */
  readonly secretId: string;
  /** How long a read credential is reused (`Config.credentialsTtlMs`); 0 reads it every time. */
  readonly ttlMs: number;
  /**
   * Time source for the cache, for tests.
   * @default the system clock
   */
  readonly clock?: Pick<Clock, 'now'>;
}

const EXPECTED =
  'expected {"apiToken": "..."} or {"clientId": "...", "privateKey": "<PEM>" or {<JWK>}, "keyId": "optional"}';

/** The Okta credential, read from Secrets Manager and reused for `ttlMs`; `refresh()` after Okta answers 401. */
export function createOktaCredentialProvider(
  options: OktaCredentialProviderOptions,
): CredentialProvider<OktaCredential> {
  return new CachedValue({
    load: () => readOktaSecret(options.client, options.secretId),
    ttlMs: options.ttlMs,
    ...(options.clock ? { clock: options.clock } : {}),
  });
}

/**
 * Reads and parses the secret once.
 * @throws CredentialError when the secret cannot be read or does not hold one of the two shapes.
 */
export async function readOktaSecret(
  client: SecretsManagerClient,
  secretId: string,
): Promise<OktaCredential> {
  const where = `secret "${secretId}" (OKTA_SECRET_ID)`;
  let output;
  try {
    output = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  } catch (error) {
    throw credentialReadError(error, {
      description: where,
      notFoundErrors: ['ResourceNotFoundException'],
      service: 'Secrets Manager',
    });
  }
  if (output.SecretString === undefined) {
    throw new CredentialError(
      output.SecretBinary === undefined
        ? `${where} has no value; ${EXPECTED}`
        : `${where} holds binary data (SecretBinary); store the JSON as the secret's text (SecretString); ${EXPECTED}`,
    );
  }
  return parseOktaSecret(output.SecretString, where);
}

/**
 * Parses the secret's text into an `OktaCredential`.
 * @param where how to name the secret in messages, e.g. `secret "okta/acme" (OKTA_SECRET_ID)`.
 * @throws CredentialError naming what is wrong, never quoting the secret.
 */
export function parseOktaSecret(secretString: string, where: string): OktaCredential {
  const text = secretString.trim();
  if (text.includes(OKTA_SECRET_PLACEHOLDER)) {
    throw new CredentialError(
      `put your Okta API token or service app key in ${where}: it still holds the placeholder ${OKTA_SECRET_PLACEHOLDER}; ${EXPECTED}`,
    );
  }
  if (text === '') throw new CredentialError(`${where} is empty; ${EXPECTED}`);

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // No `cause`: JSON.parse's message quotes the text it could not parse.
    const bareToken = !/[\s{}[\]"]/.test(text);
    throw new CredentialError(
      `${where} is not JSON${bareToken ? ' (it looks like a bare token: wrap it as {"apiToken": "..."})' : ''}; ${EXPECTED}`,
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new CredentialError(`${where} is JSON but not an object; ${EXPECTED}`);
  }

  const keys = Object.keys(json);
  const hasToken = keys.includes('apiToken');
  const serviceAppKeys = keys.filter((key) => SERVICE_APP_KEYS.has(key));
  if (hasToken && serviceAppKeys.length > 0) {
    throw new CredentialError(
      `${where} mixes both shapes (apiToken together with ${serviceAppKeys.join(', ')}): keep one; ${EXPECTED}`,
    );
  }
  if (!hasToken && serviceAppKeys.length === 0) {
    // Key names usually reveal the typo (e.g. "apitoken"); only name-like ones are shown, in case a token was
    // pasted where a key belongs (Okta tokens start with digits).
    const shown = keys.filter((key) => /^[A-Za-z_][A-Za-z0-9_-]{0,31}$/.test(key));
    const others = keys.length - shown.length;
    const found =
      keys.length === 0
        ? 'it is an empty object'
        : `its keys are ${[...shown, ...(others > 0 ? [`${others} other key${others > 1 ? 's' : ''}`] : [])].join(', ')}`;
    throw new CredentialError(
      `${where} has neither apiToken nor clientId and privateKey (${found}); ${EXPECTED}`,
    );
  }

  const parsed = hasToken ? apiTokenSecret.safeParse(json) : serviceAppSecret.safeParse(json);
  if (!parsed.success) {
    // Issues carry our messages and the key path only: zod does not copy input values into them by default.
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')} ${issue.message}`)
      .join('; ');
    throw new CredentialError(`${where}: ${problems}; ${EXPECTED}`);
  }
  return parsed.data;
}

const SERVICE_APP_KEYS = new Set(['clientId', 'privateKey', 'keyId']);

function text(what: 'a string' | 'a string when present') {
  return z
    .string({ error: (issue) => (issue.input === undefined ? 'is missing' : `must be ${what}`) })
    .trim()
    .min(1, { error: 'is empty' });
}

const apiTokenSecret = z
  .looseObject({
    apiToken: text('a string')
      .refine((token) => !/^SSWS\s/i.test(token), { error: 'must be the token alone, without "SSWS "' })
      .refine((token) => !/\s/.test(token), { error: 'contains whitespace' }),
  })
  .transform((secret): OktaCredential => ({ kind: 'api-token', apiToken: secret.apiToken }));

/**
 * The private key, by the same rule the signing key is imported with (`checkedPrivateKey`), so a key that could
 * not sign is refused when the secret is read, naming the secret; stored normalised (PEM text or one JWK object).
 */
const privateKey = z.unknown().transform((value, context): string | JWK => {
  if (value === undefined) {
    context.addIssue({ code: 'custom', message: 'is missing' });
    return z.NEVER;
  }
  try {
    return checkedPrivateKey(value);
  } catch (error) {
    if (!(error instanceof CredentialError)) throw error;
    // The path already names `privateKey`; the cause (node:crypto's reason) is left behind with the key.
    context.addIssue({ code: 'custom', message: error.message.replace(/^privateKey /, '') });
    return z.NEVER;
  }
});

const serviceAppSecret = z
  .looseObject({
    clientId: text('a string'),
    privateKey,
    keyId: text('a string when present').optional(),
  })
  .transform((secret): OktaCredential => {
    // Okta matches the JWT's `kid` to one of the app's keys; a JWK usually names itself.
    const kid =
      typeof secret.privateKey === 'string' ? undefined : secret.privateKey.kid?.trim() || undefined;
    return {
      kind: 'service-app',
      clientId: secret.clientId,
      privateKey: secret.privateKey,
      keyId: secret.keyId ?? kid,
    };
  });
