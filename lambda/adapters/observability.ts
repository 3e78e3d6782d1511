/**
 * Logs and metrics through Powertools for AWS Lambda: structured JSON logs (fixed messages, data in keys) and
 * CloudWatch embedded-metric-format lines, which CloudWatch turns into metrics without any API call.
 */
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Logger } from '../core/ports.js';
import type { StreamSummary } from '../core/summary.js';

export const SERVICE_NAME = 'okta-sumo-collector';
export const METRICS_NAMESPACE = 'OktaSumoCollector';

/** Our `Logger` port over Powertools' logger. */
export function createLogger(): Logger {
  const logger = new PowertoolsLogger({ serviceName: SERVICE_NAME });
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, data?: Record<string, unknown>): void => {
      if (data) logger[level](message, data);
      else logger[level](message);
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/**
 * Publishes one invocation's figures. Dimensions: `service` and `OktaOrg` (the org's host), which the stack's
 * alarms select.
 */
export function publishMetrics(orgHost: string, summaries: readonly StreamSummary[]): void {
  const metrics = new Metrics({
    namespace: METRICS_NAMESPACE,
    serviceName: SERVICE_NAME,
    defaultDimensions: { OktaOrg: orgHost },
  });
  const sum = (pick: (summary: StreamSummary) => number): number =>
    summaries.reduce((total, summary) => total + pick(summary), 0);
  metrics.addMetric(
    'EventsDelivered',
    MetricUnit.Count,
    sum((s) => s.events),
  );
  metrics.addMetric(
    'Pages',
    MetricUnit.Count,
    sum((s) => s.pages),
  );
  metrics.addMetric(
    'Batches',
    MetricUnit.Count,
    sum((s) => s.batches),
  );
  metrics.addMetric(
    'BytesDelivered',
    MetricUnit.Bytes,
    sum((s) => s.bytes),
  );
  metrics.addMetric(
    'RateLimited',
    MetricUnit.Count,
    sum((s) => s.rateLimited),
  );
  metrics.addMetric(
    'Retries',
    MetricUnit.Count,
    sum((s) => s.retries),
  );
  metrics.addMetric(
    'Recoveries',
    MetricUnit.Count,
    sum((s) => s.recoveries),
  );
  const lag = summaries[0]?.stream === 'main' ? summaries[0].lagSeconds : undefined;
  if (lag !== undefined) metrics.addMetric('LagSeconds', MetricUnit.Seconds, lag);
  metrics.publishStoredMetrics();
}
