/**
 * The collector's runtime settings as construct props: one prop per setting of `lambda/settings/catalog.ts`,
 * each checked at synth time by the parser the function uses, so a value the function would refuse fails
 * `cdk synth` instead of every tick.
 */
import type { Duration } from 'aws-cdk-lib';

/** Runtime settings of {@link OktaSumoCollectorProps}; the function reads each from its environment. */
export interface CollectorSettingsProps {
  /** The Okta org's origin, e.g. `https://acme.okta.com` (`https://`, no path, not the `-admin` domain). */
  readonly oktaOrgUrl: string;

  /**
   * Name of an existing SSM SecureString parameter whose value is the Sumo Logic HTTP Source URL. It must be
   * created outside this stack: CloudFormation cannot create SecureString parameters.
   */
  readonly sumoUrlParameterName: string;

  /**
   * `X-Sumo-Category` of every message (printable ASCII).
   * @default 'okta', what the Sumo Logic App for Okta queries
   */
  readonly sourceCategory?: string;

  /**
   * `X-Sumo-Name` of every message (printable ASCII).
   * @default the HTTP Source's own name
   */
  readonly sourceName?: string;

  /**
   * `X-Sumo-Host` of every message (printable ASCII): tells orgs that share a category apart.
   * @default the org's host, e.g. `acme.okta.com`
   */
  readonly sourceHost?: string;

  /**
   * `X-Sumo-Fields` of every message: names of letters, digits and `_` (not starting with `_`), values of
   * printable ASCII without `,` or `=`. Fields not in the Sumo account's field schema are dropped by Sumo.
   * @default no fields
   */
  readonly sumoFields?: Readonly<Record<string, string>>;

  /**
   * Where collection starts the very first time: an ISO-8601 instant or epoch milliseconds, in the past and at
   * most 180 days back (checked against the synth clock). Ignored once a cursor exists.
   * @default 7 days before the first run
   */
  readonly startTime?: string;

  /**
   * Events per Okta request (`limit`, 1–1000).
   * @default 1000, Okta's maximum: the fewest requests against a shared rate limit
   */
  readonly pageLimit?: number;

  /**
   * Share (0.01–1) of the org's `/api/v1/logs` rate limit this collector may use. The bucket is shared with
   * everything else in the org that reads the System Log.
   * @default 0.5, what Okta gives new OAuth service apps, and below the 60 % at which Okta warns admins
   */
  readonly rateLimitShare?: number;

  /**
   * Timeout of one Okta request, in ms (1000–120000; clipped to the time left).
   * @default 40000, above Okta's own 30 s query limit so that Okta's answer arrives instead of an abort
   */
  readonly oktaRequestTimeoutMs?: number;

  /**
   * Freshness: a caught-up tick keeps polling Okta at this interval (whole seconds, 5–55) until shortly before
   * the next tick. The function's timeout must then cover the schedule interval plus a margin.
   * @default off: a caught-up tick returns at once
   */
  readonly pollInterval?: Duration;

  /**
   * Time segments a large backlog is collected in, in parallel (1–8; 1 turns it off).
   * @default 4
   */
  readonly catchUpSegments?: number;

  /**
   * Timeout of one POST to Sumo, in ms (1000–120000).
   * @default 30000
   */
  readonly sumoRequestTimeoutMs?: number;

  /**
   * Concurrent POSTs to Sumo (1–4): Sumo is not built for many parallel connections from one sender.
   * @default 3
   */
  readonly sumoMaxInFlight?: number;

  /**
   * Sumo category under which each invocation's summary is also sent (printable ASCII).
   * @default off: no health line is sent
   */
  readonly healthCategory?: string;

  /**
   * How often the collector ticks (whole minutes, 1 to 60). A duration rather than any schedule expression
   * because the lag alarm's window and the polling deadline are derived from it.
   * @default 1 minute: new events reach Sumo within about a minute
   */
  readonly scheduleInterval?: Duration;

  /**
   * Days a finished replay item is kept before DynamoDB TTL removes it (1–3650).
   * @default 30
   */
  readonly replayRetentionDays?: number;

  /**
   * Seconds the Okta secret and the Sumo URL are reused before being read again (0–86400): a rotation takes
   * effect after this.
   * @default 300
   */
  readonly credentialsTtlSeconds?: number;

  /**
   * A page is started only with this much time left, in ms (100–600000), or as long as the slowest page of the
   * run took, if longer.
   * @default 3000
   */
  readonly minPageTimeMs?: number;

  /**
   * Time kept back at the end of a run for the cursor write and the lease release, in ms (100–60000).
   * @default 1500
   */
  readonly checkpointReserveMs?: number;

  /**
   * How long after a killed invocation's deadline its lease lapses, in ms (0–30000).
   * @default 10000
   */
  readonly leaseMarginMs?: number;
}
