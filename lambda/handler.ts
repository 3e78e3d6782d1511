// schedule → handler → collect → Okta → Sumo → cursor   (or: manual invoke → handler → replay → …)
import type { Context } from 'aws-lambda';
import { loadConfig } from './config.js';
import { composeCollector, type Collector } from './compose.js';
import { createLogger } from './adapters/observability.js';
import { parseInvocation, runInvocation } from './invocation.js';

const logger = createLogger();
let collector: Collector | undefined; // once per cold start; config errors are thrown (and retried) per invocation

export const handler = async (event: unknown, context: Context) => {
  const invocation = parseInvocation(event);
  collector ??= composeCollector(loadConfig(process.env), logger);
  const summary = await runInvocation(collector, invocation, context);
  logger.info('invocation summary', { ...summary });
  collector.publishMetrics('replays' in summary ? [summary, ...summary.replays] : [summary]);
  return summary;
};
