/** Properties of {@link OktaSumoCollector}: the runtime settings, the resources, the alarms. */
import type { Duration } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { CollectorAlarmProps } from './collector-alarm-props.js';
import type { CollectorSettingsProps } from './collector-settings-props.js';

/** Properties of {@link OktaSumoCollector}. */
export interface OktaSumoCollectorProps extends CollectorSettingsProps, CollectorAlarmProps {
  /**
   * The Secrets Manager secret holding the Okta credential: `{"apiToken": "..."}` or an OAuth 2.0 service app
   * `{"clientId": "...", "privateKey": <PEM or JWK>, "keyId": "..."}` (scope `okta.logs.read`). When it is
   * encrypted with a customer managed KMS key, import it with `Secret.fromSecretAttributes` and its
   * `encryptionKey` so the function may decrypt through Secrets Manager.
   * @default a new secret holding the placeholder `{"apiToken":"REPLACE_ME"}`, to be filled in after deploy;
   * until then every tick fails with an error saying so.
   */
  readonly oktaSecret?: secretsmanager.ISecret;

  /**
   * The customer managed KMS key the Sumo URL parameter is encrypted with.
   * @default the AWS managed key `alias/aws/ssm`, which needs no grant
   */
  readonly sumoUrlParameterKmsKey?: kms.IKey;

  /**
   * Memory of the function, in MB (128–10240; CPU is proportional to it).
   * @default 256
   */
  readonly memorySize?: number;

  /**
   * Reserved concurrency: caps cost and leaves room for a manual replay beside a running tick (the lease, not
   * this limit, keeps ticks from overlapping). `null` reserves nothing, which accounts whose Lambda
   * concurrency quota is still 10 need (Lambda keeps 10 unreserved).
   * @default 3
   */
  readonly reservedConcurrency?: number | null;

  /**
   * How long one tick may run (at most 15 minutes).
   * @default 15 minutes, Lambda's maximum
   */
  readonly timeout?: Duration;

  /**
   * How long an event Sumo refused on its own stays in the undeliverable bucket before S3 deletes it (whole
   * days).
   * @default 90 days, Okta's own retention of the System Log
   */
  readonly undeliverableRetention?: Duration;

  /**
   * Bucket for the server access logs of the undeliverable bucket.
   * @default a new bucket, encrypted, TLS only, kept with the stack
   */
  readonly undeliverableAccessLogsBucket?: s3.IBucket;

  /**
   * Whether to create the collector's CloudWatch dashboard.
   * @default true
   */
  readonly dashboard?: boolean;

  /**
   * Name of the dashboard (letters, digits, `-` and `_`; unique in the account and region).
   * @default `<stack name>-<org host>`, dots as dashes, e.g. `OktaSumoCollector-acme-okta-com`
   */
  readonly dashboardName?: string;

  /**
   * Retention of the function's log group.
   * @default one year
   */
  readonly logRetention?: logs.RetentionDays;
}
