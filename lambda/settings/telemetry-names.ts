/**
 * Names the function's logs and metrics carry and the stack's alarms and dashboard select: set by the
 * construct (`POWERTOOLS_*`), read by Powertools, so they live with the settings.
 */

/** Namespace of the metrics the handler publishes as CloudWatch EMF (`POWERTOOLS_METRICS_NAMESPACE`). */
export const METRICS_NAMESPACE = 'OktaSumoCollector';
/** `POWERTOOLS_SERVICE_NAME`: the `service` dimension of every metric and the `service` key of every log line. */
export const SERVICE_NAME = 'okta-sumo-collector';
/** The metric dimension naming the org (its host). */
export const ORG_DIMENSION = 'OktaOrg';
