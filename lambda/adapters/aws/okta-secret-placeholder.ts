/**
 * The marker a freshly deployed Okta secret holds until an operator puts the real credential in. Kept in its
 * own file, free of SDK imports, so the CDK stack can write it and the reader can recognise it.
 */

/** Any secret string containing this is treated as "not filled in yet". */
export const OKTA_SECRET_PLACEHOLDER = 'REPLACE_ME';
