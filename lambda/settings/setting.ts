/**
 * The shape of one runtime setting: everything about it written once, so the function's `loadConfig`, the
 * construct's props, the app's context reader and the README's reference cannot disagree.
 */

/** What a parser gets besides the raw text. */
export interface ParseContext {
  /** The name the operator used (environment variable, context key or prop), for error messages. */
  readonly label: string;
  /** Epoch ms of "now": run time for `loadConfig`, synth time for the CDK. */
  readonly now: number;
}

/** One runtime setting. */
export interface Setting<T> {
  /** The Lambda environment variable. */
  readonly env: string;
  /**
   * The CDK context key (`-c key=value`, cdk.json, an org of `orgsFile`).
   * Absent when the stack sets the variable itself (a table name, a bucket name).
   */
  readonly context?: string;
  /** The `OktaSumoCollector` prop; absent when the construct sets the variable itself. */
  readonly prop?: string;
  /** The value when the variable is unset or empty; `undefined` means "off" or "required". */
  readonly fallback: T;
  /** Whether the function refuses to start without it. */
  readonly required?: boolean;
  /** The default as the reference table shows it. */
  readonly defaultText: string;
  /** The allowed values as the reference table shows them. */
  readonly range: string;
  /** What it does, one line. */
  readonly description: string;
  /**
   * Parses the trimmed, non-empty raw text.
   * @throws ConfigError naming `ctx.label`.
   */
  readonly parse: (raw: string, ctx: ParseContext) => Exclude<T, undefined>;
  /**
   * Checks made only at synth time, against the deploy's clock (Okta's 180-day limit on a start time: at
   * run time the core checks it when a brand-new cursor starts, so an aging value does not fail every tick).
   */
  readonly atSynth?: (value: Exclude<T, undefined>, ctx: ParseContext) => void;
  /** The text the construct writes into the environment for a parsed value. @default String(value) */
  readonly format?: (value: Exclude<T, undefined>) => string;
}

/** Any setting, for lists. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a heterogeneous list of settings
export type AnySetting = Setting<any>;

/** Identity helper that keeps a setting's value type inferred from its parser. */
export function setting<T>(spec: Setting<T>): Setting<T> {
  return spec;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The trimmed value of a variable; empty means unset (as everywhere in this project). */
export function rawValue(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}
