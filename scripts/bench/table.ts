/** The report table: sections of rows (metric, value, target, verdict, note), columns padded to fit. */

type Row = readonly [metric: string, value: string, target: string, verdict: string, note: string];

export class Table {
  private readonly rows: (Row | string)[] = [];

  public section(title: string): void {
    this.rows.push(title);
  }

  public row(metric: string, value: string, target = '', verdict = '', note = ''): void {
    this.rows.push([metric, value, target, verdict, note]);
  }

  /** A row with a goal: the verdict column says `ok` or `MISSED`. */
  public goal(metric: string, value: string, target: string, met: boolean, note = ''): void {
    this.row(metric, value, target, met ? 'ok' : 'MISSED', note);
  }

  public render(): string {
    const rows = this.rows.filter((r): r is Row => typeof r !== 'string');
    const widths = [0, 1, 2, 3].map((c) => Math.max(c === 3 ? 3 : 6, ...rows.map((r) => r[c]!.length)));
    const line = (r: readonly string[]): string =>
      r
        .map((cell, c) => (c < 4 ? cell.padEnd(widths[c]!) : cell))
        .join('  ')
        .trimEnd();
    return [
      line(['metric', 'value', 'target', 'ok?', 'note']),
      ...this.rows.map((r) => (typeof r === 'string' ? `\n${r}` : line(r))),
    ].join('\n');
  }
}

/** A plain grid (e.g. sizes × latencies), first column left-aligned, the others right-aligned. */
export function grid(header: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(header), ...body.map(line)].join('\n');
}
