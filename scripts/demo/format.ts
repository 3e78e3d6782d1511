/** Numbers for a person at a terminal. */

export const count = (n: number): string => n.toLocaleString('en-US');

export function bytes(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(2)} MB`;
  if (n >= 1_000) return `${Math.round(n / 1_000)} KB`;
  return `${n} B`;
}

/** A lag in seconds, in the unit a person would use. */
export function lag(secondsBehind: number | undefined): string {
  if (secondsBehind === undefined) return '?';
  if (secondsBehind < 120) return `${secondsBehind} s`;
  if (secondsBehind < 7200) return `${Math.round(secondsBehind / 60)} min`;
  return `${Math.round(secondsBehind / 3600)} h`;
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** `a 3 · b 2 · c 1`: entries `from` to `to` of a tally, largest first. */
export function top(tally: ReadonlyMap<string, number>, to: number, from = 0): string {
  return [...tally]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(from, to)
    .map(([key, value]) => `${key} ${count(value)}`)
    .join(' · ');
}

/** Adds one to `key` in a tally. */
export function tallyUp(tally: Map<string, number>, key: string): void {
  tally.set(key, (tally.get(key) ?? 0) + 1);
}

/** `label ....... value`, aligned in a report. */
export const row = (label: string, value: string): string => `  ${`${label} `.padEnd(40, '.')} ${value}`;
