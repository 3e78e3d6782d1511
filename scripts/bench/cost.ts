/**
 * Monthly cost at the default schedule (a tick a minute, 256 MB arm64), from measured per-tick CPU, calls and
 * log bytes plus stated latencies of the real services (which a local run cannot measure). Free tiers are left
 * out: the figures are what the collector adds to a bill whose free tier is already used.
 *
 * us-east-1 prices, as found on 2026-11-26:
 * - Lambda arm64: $0.0000133334 per GB-s (first 7.5 billion GB-s), $0.20 per 1M requests.
 *   https://aws.amazon.com/lambda/pricing/ ; the arm64 tier table quoted at
 *   https://cloudchipr.com/blog/aws-lambda-pricing . The INIT phase is billed since 2025-08-01
 *   (https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase).
 *   Lambda gives a function CPU in proportion to memory: 1,769 MB = one vCPU.
 * - DynamoDB on-demand: $0.625 per million write request units, $0.125 per million read request units (after
 *   the November 2024 cut). https://airbyte.com/data-engineering-resources/dynamodb-pricing . One WRU per write of
 *   an item ≤ 1 KB; a strongly consistent read (our Scan uses ConsistentRead) of ≤ 4 KB is 1 RRU.
 * - Secrets Manager: $0.40 per secret per month, $0.05 per 10,000 API calls.
 *   https://aws.amazon.com/secrets-manager/pricing/ (as transcribed in
 *   https://raw.githubusercontent.com/api-evangelist/amazon-secrets-manager/refs/heads/main/plans/amazon-secrets-manager-plans-pricing.yml)
 * - SSM Parameter Store: standard parameters and standard throughput carry no additional charge.
 *   https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html
 *   The SecureString read decrypts with KMS (alias/aws/ssm): $0.03 per 10,000 requests after 20,000 free a month
 *   account-wide. https://aws.amazon.com/kms/pricing/
 * - CloudWatch Logs: $0.50 per GB ingested (standard class; Lambda logs are tiered from the same first-tier
 *   price since 2025-05-01), $0.03 per GB-month stored.
 *   https://www.duckbillgroup.com/?p=9080 , https://hykell.com/knowledge-base/aws-cloudwatch-logs-pricing
 * - CloudWatch custom metrics (the handler's EMF metrics): $0.30 per metric per month (first 10,000); alarms
 *   $0.10 per standard-resolution alarm metric. https://www.vantage.sh/blog/cloudwatch-metrics-pricing-explained-in-plain-english
 * - EventBridge scheduled rules on the default bus: no charge (AWS service events are free).
 *   https://www.wring.co/blog/aws-eventbridge-pricing-guide
 */

export const PRICES = {
  lambdaPerGbSecond: 0.0000133334,
  lambdaPerRequest: 0.2 / 1e6,
  dynamoPerWru: 0.625 / 1e6,
  dynamoPerRru: 0.125 / 1e6,
  secretPerMonth: 0.4,
  secretsPerCall: 0.05 / 10_000,
  kmsPerRequest: 0.03 / 10_000,
  logsPerGbIngested: 0.5,
  logsPerGbMonthStored: 0.03,
  customMetricPerMonth: 0.3,
  alarmPerMonth: 0.1,
} as const;

/** What the benchmark measured (local x86 core, loopback stand-ins). */
export interface MeasuredCosts {
  /** CPU of a warm tick that finds nothing new (acquire, empty page, commit, release, replay scan, metrics). */
  readonly idleTickCpuMs: number;
  /** Marginal CPU per 1,000 events (one full page). */
  readonly pageCpuMs: number;
  /** Log bytes the handler wrote: per idle tick, and per extra page. */
  readonly idleTickLogBytes: number;
  readonly pageLogBytes: number;
  /** Import of the bundle in a fresh process (the INIT phase's code part). */
  readonly coldImportMs: number;
}

/** What a local run cannot measure: latencies of the real services, how often Lambda recycles a container. */
export interface CostAssumptions {
  readonly memoryMb: number;
  readonly ticksPerMonth: number;
  /** Okta's answer time for a page: base + per event. */
  readonly oktaBaseMs: number;
  readonly oktaPerEventMs: number;
  readonly dynamoCallMs: number;
  readonly sumoPostMs: number;
  /** Lambda platform log lines per invocation (START/platform.report… in JSON format). */
  readonly platformLogBytesPerInvocation: number;
  /** A warm container reads the secret and the Sumo URL once per TTL (CREDENTIALS_TTL_SECONDS = 300). */
  readonly credentialsTtlSeconds: number;
  readonly coldStartsPerDay: number;
  /** Uncompressed bytes per event (generator average), to count Sumo POSTs. */
  readonly bytesPerEvent: number;
  /** EMF metrics the handler publishes (EventsDelivered, Pages, Batches, BytesDelivered, RateLimited, Retries, Recoveries, LagSeconds). */
  readonly customMetrics: number;
  readonly alarms: number;
  /** Speed of a Graviton core relative to the benchmark machine's core. */
  readonly armCoreSpeed: number;
}

export const DEFAULT_ASSUMPTIONS: CostAssumptions = {
  memoryMb: 256,
  ticksPerMonth: 30 * 24 * 60,
  oktaBaseMs: 300,
  oktaPerEventMs: 0.4,
  dynamoCallMs: 8,
  sumoPostMs: 150,
  platformLogBytesPerInvocation: 700,
  credentialsTtlSeconds: 300,
  coldStartsPerDay: 12,
  bytesPerEvent: 1900,
  customMetrics: 7, // EventsDelivered, Pages, BytesDelivered, LagSeconds, RateLimited, Retries, Recoveries
  alarms: 3,
  armCoreSpeed: 1,
};

export interface TickModel {
  readonly eventsPerTick: number;
  readonly pagesPerTick: number;
  readonly cpuMs: number;
  readonly billedMs: number;
  readonly dynamoWrites: number;
  readonly dynamoReads: number;
  readonly logBytes: number;
}

export interface MonthlyCost {
  readonly eventsPerDay: number;
  readonly tick: TickModel;
  readonly lambdaRequests: number;
  readonly lambdaCompute: number;
  readonly dynamo: number;
  readonly secretsManager: number;
  readonly kms: number;
  readonly logsIngestion: number;
  readonly metricsAndAlarms: number;
  /** Lambda + DynamoDB: the goal is under $1/month at 1M events/day. */
  readonly lambdaPlusDynamo: number;
  readonly total: number;
}

/** One tick in steady state: it reads what arrived in the last minute, in full pages plus a short last page. */
export function tickModel(measured: MeasuredCosts, a: CostAssumptions, eventsPerDay: number): TickModel {
  const eventsPerTick = eventsPerDay / (24 * 60);
  const fullPages = Math.floor(eventsPerTick / 1000);
  const pagesPerTick = fullPages + 1; // the short (or empty) page that says "caught up"
  const cpuMs = measured.idleTickCpuMs + (eventsPerTick / 1000) * measured.pageCpuMs;
  const cpuShare = (a.memoryMb / 1769) * a.armCoreSpeed;
  const lastPageEvents = eventsPerTick - fullPages * 1000;
  const lastPagePosts = lastPageEvents > 0 ? Math.ceil((lastPageEvents * a.bytesPerEvent) / 1e6) : 0;
  // Okta pages one after another; a page's Sumo posts and commit overlap the next fetch, except the last page's.
  const networkMs =
    4 * a.dynamoCallMs + // acquire, last commit, release, replay scan
    pagesPerTick * a.oktaBaseMs +
    eventsPerTick * a.oktaPerEventMs +
    lastPagePosts * a.sumoPostMs;
  return {
    eventsPerTick,
    pagesPerTick,
    cpuMs,
    billedMs: Math.ceil(networkMs + cpuMs / cpuShare),
    // acquire + release + one fenced commit per page (empty pages included); one consistent Scan when caught up.
    dynamoWrites: 2 + pagesPerTick,
    dynamoReads: 1,
    logBytes: measured.idleTickLogBytes + fullPages * measured.pageLogBytes + a.platformLogBytesPerInvocation,
  };
}

export function monthlyCost(measured: MeasuredCosts, a: CostAssumptions, eventsPerDay: number): MonthlyCost {
  const tick = tickModel(measured, a, eventsPerDay);
  const gb = a.memoryMb / 1024;
  const coldStarts = a.coldStartsPerDay * 30;
  const initMs = measured.coldImportMs / ((a.memoryMb / 1769) * a.armCoreSpeed);
  const lambdaRequests = a.ticksPerMonth * PRICES.lambdaPerRequest;
  const lambdaCompute =
    ((a.ticksPerMonth * tick.billedMs + coldStarts * initMs) / 1000) * gb * PRICES.lambdaPerGbSecond;
  const dynamo =
    a.ticksPerMonth * (tick.dynamoWrites * PRICES.dynamoPerWru + tick.dynamoReads * PRICES.dynamoPerRru);
  const readsPerMonth = 30 * 24 * (3600 / a.credentialsTtlSeconds) + coldStarts;
  const secretsManager = PRICES.secretPerMonth + readsPerMonth * PRICES.secretsPerCall;
  // The SSM SecureString read: one KMS Decrypt each (inside KMS's 20,000 free requests unless the account uses them).
  const kms = readsPerMonth * PRICES.kmsPerRequest;
  const logsIngestion = ((a.ticksPerMonth * tick.logBytes) / 1e9) * PRICES.logsPerGbIngested;
  const metricsAndAlarms = a.customMetrics * PRICES.customMetricPerMonth + a.alarms * PRICES.alarmPerMonth;
  const lambdaPlusDynamo = lambdaRequests + lambdaCompute + dynamo;
  return {
    eventsPerDay,
    tick,
    lambdaRequests,
    lambdaCompute,
    dynamo,
    secretsManager,
    kms,
    logsIngestion,
    metricsAndAlarms,
    lambdaPlusDynamo,
    total: lambdaPlusDynamo + secretsManager + kms + logsIngestion + metricsAndAlarms,
  };
}
