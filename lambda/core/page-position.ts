/**
 * Whether a page's `next` link points back at the position of the request that produced it: Okta then makes no
 * progress, and following the link would fetch (and deliver) the same page again and again.
 */
import { parseInstant } from './instant.js';
import type { PageRequest } from './ports.js';

/**
 * True when `next` names the same position as `request`: for a `next` request, the same URL once its query
 * parameters are put in order; for a query (`since`), a link without `after` whose `since`, `until` and `filter`
 * are the request's own (instants compared as instants, so `…00Z` and `…00.000Z` are the same).
 */
export function samePosition(request: PageRequest, next: string | undefined): boolean {
  if (next === undefined) return false;
  if ('next' in request) return normalised(request.next) === normalised(next);
  const url = tryUrl(next);
  if (url === undefined || url.searchParams.has('after')) return false;
  const params = url.searchParams;
  return (
    sameInstant(params.get('since'), request.since) &&
    sameInstant(params.get('until'), request.until) &&
    (params.get('filter') ?? undefined) === request.filter
  );
}

function normalised(link: string): string {
  const url = tryUrl(link);
  if (url === undefined) return link;
  const params = [...url.searchParams].sort(([a, x], [b, y]) => (a === b ? compare(x, y) : compare(a, b)));
  // protocol + host rather than origin: a non-special scheme's origin is "null".
  return `${url.protocol}//${url.host}${url.pathname}?${new URLSearchParams(params).toString()}`;
}

function sameInstant(linked: string | null, requested: string | undefined): boolean {
  if (linked === null || requested === undefined) return linked === null && requested === undefined;
  const a = parseInstant(linked);
  return a !== undefined && a === parseInstant(requested);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function tryUrl(link: string): URL | undefined {
  try {
    return new URL(link);
  } catch {
    return undefined;
  }
}
