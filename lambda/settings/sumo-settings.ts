/** Settings of the Sumo side: where to post, how messages are labelled, how hard to push. */
import { headerText, wholeNumber } from './parsers.js';
import { setting } from './setting.js';
import { formatSumoFields, parseSumoFields } from './sumo-fields.js';
import { parseParameterName } from './ssm-parameter-name.js';

export const SUMO_SETTINGS = {
  urlParameter: setting<string | undefined>({
    env: 'SUMO_URL_PARAMETER',
    context: 'sumoUrlParameterName',
    prop: 'sumoUrlParameterName',
    fallback: undefined,
    required: true,
    defaultText: '`/okta-sumo-collector/sumo-url` (app only)',
    range: 'SSM parameter name',
    description: 'SSM SecureString holding the Sumo HTTP Source URL',
    parse: parseParameterName,
  }),
  category: setting<string>({
    env: 'SUMO_SOURCE_CATEGORY',
    context: 'sourceCategory',
    prop: 'sourceCategory',
    // What the Sumo Logic App for Okta queries (`_sourceCategory=okta`).
    fallback: 'okta',
    defaultText: '`okta`',
    range: 'printable ASCII',
    description: '`X-Sumo-Category` of every message',
    parse: headerText(),
  }),
  name: setting<string | undefined>({
    env: 'SUMO_SOURCE_NAME',
    context: 'sourceName',
    prop: 'sourceName',
    fallback: undefined,
    defaultText: "the source's own",
    range: 'printable ASCII',
    description: '`X-Sumo-Name` of every message',
    parse: headerText(),
  }),
  host: setting<string | undefined>({
    env: 'SUMO_SOURCE_HOST',
    context: 'sourceHost',
    prop: 'sourceHost',
    fallback: undefined,
    defaultText: "the org's host (CDK); the source's own (runtime)",
    range: 'printable ASCII',
    description: '`X-Sumo-Host` of every message: tells orgs sharing a category apart',
    parse: headerText(),
  }),
  fields: setting<Readonly<Record<string, string>>>({
    env: 'SUMO_FIELDS',
    context: 'sumoFields',
    prop: 'sumoFields',
    fallback: {},
    defaultText: 'none',
    range: '`k=v,k=v`, printable ASCII, no `_` names',
    description: '`X-Sumo-Fields` (fields not in your Sumo schema are dropped by Sumo)',
    parse: parseSumoFields,
    format: formatSumoFields,
  }),
  requestTimeoutMs: setting<number>({
    env: 'SUMO_REQUEST_TIMEOUT_MS',
    context: 'sumoRequestTimeoutMs',
    prop: 'sumoRequestTimeoutMs',
    fallback: 30_000,
    defaultText: '30000',
    range: '1000–120000',
    description: 'timeout of one POST to Sumo, in ms',
    parse: wholeNumber(1000, 120_000),
  }),
  maxInFlight: setting<number>({
    env: 'SUMO_MAX_IN_FLIGHT',
    context: 'sumoMaxInFlight',
    prop: 'sumoMaxInFlight',
    // Sumo is not built for many parallel connections from one sender.
    fallback: 3,
    defaultText: '3',
    range: '1–4',
    description: 'concurrent POSTs to Sumo',
    parse: wholeNumber(1, 4),
  }),
  healthCategory: setting<string | undefined>({
    env: 'SUMO_HEALTH_CATEGORY',
    context: 'healthCategory',
    prop: 'healthCategory',
    fallback: undefined,
    defaultText: 'off',
    range: 'printable ASCII',
    description: "each invocation's summary is also sent to Sumo under this category",
    parse: headerText(),
  }),
};
