/** The SSM parameter that holds the Sumo URL: a parameter name, or (at run time) its ARN. */
import { settingError } from './errors.js';
import { quote } from './quote.js';
import type { ParseContext } from './setting.js';

/** SSM's rule: letters, digits and `_.-`, in `/`-separated levels; a hierarchical name starts with `/`. */
const NAME = /^\/?[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
const ARN = /^arn:[a-z-]+:ssm:[a-z0-9-]+:\d{12}:parameter\/.+$/;

function isName(raw: string): boolean {
  return raw.length <= 2048 && NAME.test(raw) && (!raw.includes('/') || raw.startsWith('/'));
}

/** A parameter name or ARN, as `GetParameter` takes it. */
export function parseParameterName(raw: string, { label }: ParseContext): string {
  if (isName(raw) || ARN.test(raw)) return raw;
  throw settingError(
    label,
    `${quote(raw)} is not an SSM parameter name (e.g. /okta-sumo-collector/sumo-url)`,
  );
}

/** The construct builds the parameter's ARN itself, so it takes a name only. */
export function requireParameterName(raw: string, { label }: ParseContext): void {
  if (!isName(raw)) {
    throw settingError(
      label,
      `${quote(raw)} is not an SSM parameter name (e.g. /okta-sumo-collector/sumo-url)`,
    );
  }
}
