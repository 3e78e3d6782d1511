/**
 * `X-Sumo-Fields`: `k=v,k=v`. Every value travels in an HTTP header and every name becomes a Sumo field, so
 * both are checked here, where the message can name the setting, rather than by a failing POST.
 */
import { settingError } from './errors.js';
import { HEADER_SAFE } from './parsers.js';
import { quote } from './quote.js';
import type { ParseContext } from './setting.js';

/** Sumo field names: letters, digits and `_`, at most 255. */
const FIELD_NAME = /^[A-Za-z0-9_]{1,255}$/;

/**
 * Sumo's own metadata (`_sourceCategory`, `_sourceHost`, `_collector`, …) all start with `_`; a field of that
 * name would be dropped or clash with what the headers already set.
 */
function isReserved(name: string): boolean {
  return name.startsWith('_');
}

/** Checks one field and returns its trimmed value. `where` names it, e.g. `SUMO_FIELDS` or `sumoFields.team`. */
export function checkSumoField(name: string, value: string, label: string): string {
  if (!FIELD_NAME.test(name)) {
    throw settingError(label, `has an invalid field name ${quote(name)} (letters, digits and _ only)`);
  }
  if (isReserved(name)) {
    throw settingError(
      label,
      `has the reserved field name ${quote(name)} (names starting with _ are Sumo's own)`,
    );
  }
  const trimmed = value.trim();
  if (trimmed === '' || /[,=]/.test(trimmed)) {
    throw settingError(label, `field ${name} must have a non-empty value without "," or "="`);
  }
  if (!HEADER_SAFE.test(trimmed)) {
    throw settingError(
      label,
      `field ${name} holds characters an HTTP header cannot carry (printable ASCII only), got ${quote(trimmed)}`,
    );
  }
  return trimmed;
}

/** Parses `k=v,k=v`. */
export function parseSumoFields(raw: string, { label }: ParseContext): Readonly<Record<string, string>> {
  const fields: Record<string, string> = {};
  for (const entry of raw.split(',')) {
    const [name, value, extra] = entry.split('=').map((part) => part.trim());
    if (!name || value === undefined || value === '' || extra !== undefined) {
      throw settingError(
        label,
        'must be a list of key=value pairs separated by commas (e.g. team=secops,env=prod)',
      );
    }
    fields[name] = checkSumoField(name, value, label);
  }
  return fields;
}

/** The `SUMO_FIELDS` text of parsed fields. */
export function formatSumoFields(fields: Readonly<Record<string, string>>): string {
  return Object.entries(fields)
    .map(([name, value]) => `${name}=${value}`)
    .join(',');
}
