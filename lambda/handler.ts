// schedule → handler → collect → Okta → Sumo → cursor   (or: manual invoke → handler → replay → …)
import type { Context } from 'aws-lambda';
import { loadConfig } from './config.js';
import { composeCollector, type Collector } from './compose.js';
import { collect, replay } from './core/collect.js';
import { withHealthReport } from './core/health-report.js';
import { Deadline } from './core/time-budget.js';
import { createLogger } from './adapters/observability.js';
import { parseInvocation } from './invocation.js';

const logger = createLogger();
let collector: Collector | undefined; // once per cold start; config errors are thrown (and retried) per invocation

export const handler = async (event: unknown, context: Context) => {
  const invocation = parseInvocation(event);
  collector ??= composeCollector(loadConfig(process.env), logger);
  const { deps, settings, config } = collector;
  const deadline = new Deadline(
    deps.clock,
    deps.clock.now() + (context.getRemainingTimeInMillis?.() || 0),
    config.budget,
  );
  const options = {
    owner: context.awsRequestId,
    deadline,
    rateLimitShare: config.oktaRateLimitShare,
    poll: { intervalSeconds: config.pollIntervalSeconds, periodSeconds: config.schedulePeriodSeconds },
    catchUpSegments: config.catchUpSegments,
  };
  const summary = await withHealthReport(collector.health, async () =>
    invocation.kind === 'replay'
      ? replay(deps, settings, options, invocation.request)
      : collect(deps, settings, options),
  );
  logger.info('invocation summary', { ...summary });
  collector.publishMetrics('replays' in summary ? [summary, ...summary.replays] : [summary]);
  return summary;
};
