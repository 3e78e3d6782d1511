/**
 * The composition root: the one place that builds adapters from a `Config` and hands them to the core.
 * The Lambda handler, the local demo and the benchmarks all come through here. SDK clients are created once
 * per cold start and use the default configuration, so `AWS_REGION`, credentials and the
 * `AWS_ENDPOINT_URL_*` variables work as everywhere else.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { createOktaCredentialProvider } from './adapters/aws/okta-secret-reader.js';
import { createSumoUrlProvider } from './adapters/aws/sumo-url-reader.js';
import { DynamoCursorStore } from './adapters/aws/dynamo-cursor-store.js';
import { S3UndeliverableStore, s3ClientConfig } from './adapters/aws/s3-undeliverable-store.js';
import { createNodeHttpFetch } from './adapters/http/node-http-fetch.js';
import { createOktaAuthorizer } from './adapters/okta/create-okta-authorizer.js';
import { OktaLogSource } from './adapters/okta/okta-log-source.js';
import { SumoHttpSink } from './adapters/sumo/sumo-http-sink.js';
import { createMetricsPublisher } from './adapters/observability.js';
import { systemClock } from './adapters/system-clock.js';
import type { Config } from './config.js';
import type { Clock, CursorStore, Logger, LogSink, LogSource, UndeliverableStore } from './core/ports.js';
import type { HealthReporterOptions } from './core/health-report.js';
import { DEFAULT_RETRY_POLICY } from './core/retry.js';
import type { CollectorDeps, CollectorSettings } from './core/stream-runner.js';
import type { StreamSummary } from './core/summary.js';

export interface Collector {
  readonly config: Config;
  readonly deps: CollectorDeps;
  readonly settings: CollectorSettings;
  /** Publishes an invocation's figures as CloudWatch metrics. */
  readonly publishMetrics: (summaries: readonly StreamSummary[]) => void;
  /** What `withHealthReport` needs: sends the opt-in health line (`SUMO_HEALTH_CATEGORY`) through the sink. */
  readonly health: HealthReporterOptions;
}

/** Optional replacements, for benchmarks and tests that run the real wiring on a simulated clock. */
export interface ComposeOverrides {
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly source?: LogSource;
  readonly sink?: LogSink;
  readonly cursors?: CursorStore;
  readonly undeliverable?: UndeliverableStore;
}

export function composeCollector(
  config: Config,
  logger: Logger,
  overrides: ComposeOverrides = {},
): Collector {
  const clock = overrides.clock ?? systemClock;
  // One keep-alive client for Okta pages and Sumo POSTs: cheaper per request than the global fetch (see its file).
  const http = createNodeHttpFetch();
  const credentials = createOktaCredentialProvider({
    client: new SecretsManagerClient({}),
    secretId: config.oktaSecretId,
    ttlMs: config.credentialsTtlMs,
  });
  const source =
    overrides.source ??
    new OktaLogSource({
      orgUrl: config.oktaOrgUrl,
      pageLimit: config.oktaPageLimit,
      requestTimeoutMs: config.oktaRequestTimeoutMs,
      fetch: http,
      authorizer: createOktaAuthorizer(credentials, {
        orgUrl: config.oktaOrgUrl,
        requestTimeoutMs: config.oktaRequestTimeoutMs,
      }),
    });
  const sink =
    overrides.sink ??
    new SumoHttpSink({
      url: createSumoUrlProvider({
        client: new SSMClient({}),
        parameterName: config.sumoUrlParameter,
        ttlMs: config.credentialsTtlMs,
        logger,
      }),
      options: config.sumo,
      requestTimeoutMs: config.sumoRequestTimeoutMs,
      fetch: http,
    });
  const cursors =
    overrides.cursors ??
    new DynamoCursorStore({
      client: new DynamoDBClient({}),
      tableName: config.cursorTableName,
      logger,
      finishedReplayRetentionDays: config.replayRetentionDays,
    });
  // No bucket configured (a local run without one): an event Sumo refuses alone stays fatal, as the core says.
  const undeliverable =
    overrides.undeliverable ??
    (config.undeliverableBucketName === undefined
      ? undefined
      : new S3UndeliverableStore({
          client: new S3Client(s3ClientConfig(process.env)),
          bucketName: config.undeliverableBucketName,
          now: () => clock.now(),
        }));
  return {
    config,
    deps: {
      source,
      sink,
      cursors,
      clock,
      logger,
      random: overrides.random ?? Math.random,
      ...(undeliverable === undefined ? {} : { undeliverable }),
    },
    settings: {
      pageLimit: config.oktaPageLimit,
      startTime: config.oktaStartTime,
      retry: DEFAULT_RETRY_POLICY,
      sumoMaxInFlight: config.sumoMaxInFlight,
    },
    publishMetrics: createMetricsPublisher(new URL(config.oktaOrgUrl).host),
    health: {
      sink,
      logger,
      category: config.healthCategory,
      org: new URL(config.oktaOrgUrl).host,
      now: () => clock.now(),
    },
  };
}
