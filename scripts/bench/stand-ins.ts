/**
 * The benchmark's stand-ins, each in a process of its own so that its CPU is not the collector's: the Okta
 * simulator in one, the Sumo receiver + local DynamoDB + Secrets Manager/SSM in another. Plus the environment a
 * collector process gets, as the stack and Lambda set it.
 */
import { join } from 'node:path';
import { spawnChild, type Child } from './ipc.js';
import type { ProduceArgs } from './okta-child.js';

export interface StandIns {
  readonly okta: Child;
  readonly sinks: Child;
  readonly orgUrl: string;
  readonly token: string;
  /** The Lambda environment for a function of `memoryMb`. */
  env(memoryMb: number): Record<string, string>;
  produce(args: ProduceArgs): Promise<{ events: number; bytes: number }>;
  /** Every Okta request and every Sumo POST waits this long before it is answered (0 = none). */
  setLatency(oktaMs: number, sumoMs: number): Promise<void>;
  /** A `GET /api/v1/logs` URL that reads everything produced after `since` (epoch ms on the simulator). */
  logsUrl(since: number, limit?: number): string;
  stop(): Promise<void>;
}

export async function startStandIns(benchDir: string): Promise<StandIns> {
  const quiet = { env: { NODE_NO_WARNINGS: '1' } };
  const okta = await spawnChild(join(benchDir, 'okta-child.ts'), quiet);
  const sinks = await spawnChild(join(benchDir, 'sinks-child.ts'), quiet);
  const { orgUrl, token } = await okta.call<{ orgUrl: string; token: string }>('info');
  const base: Record<string, string> = {
    ...(await sinks.call<Record<string, string>>('env')),
    OKTA_ORG_URL: orgUrl,
    OKTA_START_TIME: new Date((await okta.call<number>('now')) - 1000).toISOString(),
    // What the stack sets, and what Lambda adds for JSON logging at INFO.
    POWERTOOLS_SERVICE_NAME: 'okta-sumo-collector',
    POWERTOOLS_METRICS_NAMESPACE: 'OktaSumoCollector',
    AWS_LAMBDA_LOG_LEVEL: 'INFO',
    AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
    // The SDK's "node >= 22 soon" notice would land in the collector's stderr on every cold start.
    AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
    NODE_NO_WARNINGS: '1',
  };
  return {
    okta,
    sinks,
    orgUrl,
    token,
    env: (memoryMb) => ({ ...base, AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb) }),
    produce: (args) => okta.call('produce', args),
    setLatency: async (oktaMs, sumoMs) => {
      await okta.call('setLatency', oktaMs);
      await sinks.call('setLatency', sumoMs);
    },
    logsUrl: (since, limit = 1000) =>
      `${orgUrl}/api/v1/logs?since=${encodeURIComponent(new Date(since).toISOString())}&limit=${limit}&sortOrder=ASCENDING`,
    stop: async () => {
      await okta.stop();
      await sinks.stop();
    },
  };
}
