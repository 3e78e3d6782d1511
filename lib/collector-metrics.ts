/** The metrics a collector function publishes (CloudWatch EMF through Powertools), for alarms and the dashboard. */
import type { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { METRICS_NAMESPACE, ORG_DIMENSION, SERVICE_NAME } from '../lambda/settings/telemetry-names.js';

/** The names the handler publishes (`lambda/adapters/observability.ts`) and the refused/no-progress paths add. */
export type CollectorMetricName =
  | 'EventsDelivered'
  | 'Pages'
  | 'BytesDelivered'
  | 'LagSeconds'
  | 'RateLimited'
  | 'Retries'
  | 'Recoveries'
  | 'UndeliverableEvents'
  | 'NoProgressStops';

/** One of the collector's own metrics for one org, in the namespace and dimensions the handler uses. */
export function collectorMetric(
  orgHost: string,
  metricName: CollectorMetricName,
  statistic: string,
  period: Duration,
  label?: string,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME, [ORG_DIMENSION]: orgHost },
    statistic,
    period,
    label,
  });
}
