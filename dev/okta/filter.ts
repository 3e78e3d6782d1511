/**
 * The part of Okta's SCIM `filter` the collector's replays use: `<attribute> eq "<value>"`, optionally several
 * joined with `and` (`eventType eq "user.session.start" and outcome.result eq "FAILURE"`). Anything else is
 * answered 400, naming what the simulator does not support, so a test never passes against a filter that the
 * simulator silently ignored. Okta's own rules that a client can trip are kept: no `published` (E0000031), and
 * only LogEvent's attributes (E0000053).
 */
import { OktaHttpError } from './okta-error.js';

/** Whether an event (as an object) matches. */
export type EventPredicate = (event: Readonly<Record<string, unknown>>) => boolean;

/** LogEvent's top-level attributes: Okta answers 400 to a filter on any other (a typo in a replay's filter). */
const TOP_LEVEL_FIELDS = new Set(
  'uuid published eventType version severity legacyEventType displayMessage actor client device request outcome target transaction debugContext authenticationContext securityContext'
    .toLowerCase()
    .split(' '),
);

const COMPARISON = /^([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s+eq\s+"((?:[^"\\]|\\.)*)"$/i;

/** Compiles a filter, throwing Okta's 400 for anything it cannot or will not run. */
export function compileOktaFilter(filter: string): EventPredicate {
  const comparisons = filter
    .trim()
    .split(/\s+and\s+/i)
    .map((part) => comparison(filter, part));
  return (event) => comparisons.every((matches) => matches(event));
}

function comparison(filter: string, part: string): EventPredicate {
  const attribute = /^[^\s.]*/.exec(part.trim())![0].toLowerCase();
  // Okta: "SCIM filter expressions can't use the published attribute" (it conflicts with since/until/after).
  if (attribute === 'published') {
    throw new OktaHttpError(
      400,
      'E0000031',
      'The supplied combination of operator and field is not currently supported. Field: published',
    );
  }
  const match = COMPARISON.exec(part.trim());
  if (match === null) {
    throw new OktaHttpError(
      400,
      'E0000053',
      `Invalid filter '${filter.slice(0, 200)}': the simulator supports only 'attribute eq "value"' joined with 'and'`,
    );
  }
  if (!TOP_LEVEL_FIELDS.has(attribute))
    throw new OktaHttpError(400, 'E0000053', `field is not valid: ${match[1]!.slice(0, 100)}`);
  const path = match[1]!.split('.');
  // SCIM string comparison is case-insensitive unless an attribute is caseExact.
  const expected = match[2]!.replace(/\\(.)/g, '$1').toLowerCase();
  return (event) => {
    let value: unknown = event;
    for (const segment of path) value = (value as Record<string, unknown> | null | undefined)?.[segment];
    return typeof value === 'string' && value.toLowerCase() === expected;
  };
}
