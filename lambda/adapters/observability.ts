/**
 * Logs and metrics through Powertools for AWS Lambda: structured JSON logs (fixed messages, data in keys) and
 * CloudWatch embedded-metric-format lines, which CloudWatch turns into metrics without any API call.
 */
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Logger } from '../core/ports.js';
import { MAIN_STREAM_ID } from '../core/stream-spec.js';
import type { StreamSummary } from '../core/summary.js';

import { METRICS_NAMESPACE, SERVICE_NAME } from '../settings/telemetry-names.js';

export { METRICS_NAMESPACE, SERVICE_NAME };

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

type MetricUnitValue = (typeof MetricUnit)[keyof typeof MetricUnit];

/** Summed over the streams an invocation ran. */
const COUNTERS: readonly [name: string, unit: MetricUnitValue, pick: (summary: StreamSummary) => number][] = [
  ['EventsDelivered', MetricUnit.Count, (s) => s.events],
  ['UndeliverableEvents', MetricUnit.Count, (s) => s.undeliverable],
  ['Pages', MetricUnit.Count, (s) => s.pages],
  ['BytesDelivered', MetricUnit.Bytes, (s) => s.bytes],
  ['RateLimited', MetricUnit.Count, (s) => s.rateLimited],
  ['Retries', MetricUnit.Count, (s) => s.retries],
  ['Recoveries', MetricUnit.Count, (s) => s.recoveries],
  ['NoProgressStops', MetricUnit.Count, (s) => s.noProgressStops],
];

/**
 * Returns the function that publishes one invocation's figures, built once per cold start. Dimensions:
 * `service` and `OktaOrg` (the org's host), which the stack's alarms select. Each custom metric costs $0.30 a
 * month, so batches are left to the summary log line.
 */
export function createMetricsPublisher(orgHost: string): (summaries: readonly StreamSummary[]) => void {
  const metrics = new Metrics({
    namespace: METRICS_NAMESPACE,
    serviceName: SERVICE_NAME,
    defaultDimensions: { OktaOrg: orgHost },
  });
  return (summaries) => {
    for (const [name, unit, pick] of COUNTERS) {
      metrics.addMetric(
        name,
        unit,
        summaries.reduce((total, summary) => total + pick(summary), 0),
      );
    }
    const lag = summaries[0]?.stream === MAIN_STREAM_ID ? summaries[0].lagSeconds : undefined;
    if (lag !== undefined) metrics.addMetric('LagSeconds', MetricUnit.Seconds, lag);
    metrics.publishStoredMetrics();
  };
}
