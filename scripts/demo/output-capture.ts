/**
 * Everything written to stdout and stderr while the demo runs, kept so it can be searched for secrets.
 *
 * The handler logs as it would in Lambda: Powertools JSON lines and CloudWatch embedded-metric lines. They are
 * all recorded (so the secret check covers what production would log), but at a terminal only warnings and
 * errors are worth a person's attention: those are shown as one short line, the rest stays in the record.
 * Anything that is not one of the collector's own log lines passes through untouched.
 */
import { SERVICE_NAME } from '../../lambda/adapters/observability.js';

interface CollectorLogLine {
  readonly level?: unknown;
  readonly message?: unknown;
  readonly service?: unknown;
  readonly _aws?: unknown;
  readonly [key: string]: unknown;
}

/** Powertools keys that say nothing to a person reading the demo. */
const BOOKKEEPING_KEYS = new Set([
  'level',
  'message',
  'service',
  'timestamp',
  'sampling_rate',
  'xray_trace_id',
]);

export class OutputCapture {
  private readonly chunks: string[] = [];
  private readonly restorers: (() => void)[] = [];
  /** Collector warnings and errors seen (shown condensed). */
  public warnings = 0;

  public install(): void {
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write.bind(stream);
      const write = (...args: unknown[]): boolean => Reflect.apply(original, stream, args) as boolean;
      stream.write = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
        const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
        this.chunks.push(text);
        const shown = this.forTerminal(text);
        const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
        if (shown === undefined) {
          callback?.();
          return true;
        }
        return shown === text ? write(chunk, ...rest) : write(shown, callback);
      };
      this.restorers.push(() => {
        stream.write = original;
      });
    }
  }

  public restore(): void {
    for (const restore of this.restorers.splice(0)) restore();
  }

  /** Everything written so far. */
  public get text(): string {
    return this.chunks.join('');
  }

  /** The text to show for one write, or undefined to keep it in the record only. */
  private forTerminal(text: string): string | undefined {
    const line = parseCollectorLine(text);
    if (line === undefined) return text;
    if (line._aws !== undefined) return undefined; // a metrics line: CloudWatch's business, not the reader's
    if (line.level !== 'WARN' && line.level !== 'ERROR' && line.level !== 'CRITICAL') return undefined;
    this.warnings += 1;
    const details = Object.entries(line)
      .filter(([key]) => !BOOKKEEPING_KEYS.has(key))
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(', ');
    return `    ! collector ${String(line.level).toLowerCase()}: ${String(line.message)}${details ? ` (${details})` : ''}\n`;
  }
}

/** One JSON log or metrics line written by the collector, or undefined for anything else. */
function parseCollectorLine(text: string): CollectorLogLine | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') || trimmed.includes('\n')) return undefined;
  try {
    const value = JSON.parse(trimmed) as CollectorLogLine;
    return value.service === SERVICE_NAME || value._aws !== undefined ? value : undefined;
  } catch {
    return undefined;
  }
}
