/**
 * okta-sumo-collector as a construct library: `new OktaSumoCollector(this, 'Okta', { oktaOrgUrl,
 * sumoUrlParameterName })` in your own CDK app. The Lambda bundle ships prebuilt in the package.
 */
export { OktaSumoCollector, METRICS_NAMESPACE, SERVICE_NAME } from './okta-sumo-collector.js';
export type { OktaSumoCollectorProps } from './collector-props.js';
export type { CollectorSettingsProps } from './collector-settings-props.js';
export {
  COLLECTOR_ALARM_NAMES,
  type CollectorAlarmName,
  type CollectorAlarmProps,
} from './collector-alarm-props.js';
export { CollectorFunction, type CollectorFunctionProps } from './collector-function.js';
export { CollectorMonitoring, type CollectorMonitoringProps } from './collector-monitoring.js';
export { CursorTable } from './cursor-table.js';
export { UndeliverableBucket, type UndeliverableBucketProps } from './undeliverable-bucket.js';
export { AlarmTopic, type AlarmTopicProps } from './alarm-topic.js';
export {
  OktaSumoCollectorStack,
  collectorIdForHost,
  type CollectorDeployment,
  type CollectorStackSettings,
  type OktaSumoCollectorStackProps,
} from './collector-stack.js';
export { readAppSettings, ContextError, DEFAULT_STACK_NAME, type AppSettings } from './app-context.js';
export { InvalidPropsError } from './invalid-props-error.js';
export { HandlerCodeMissingError } from './handler-code.js';
