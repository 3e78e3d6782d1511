import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readAppSettings } from './app-context.js';
import { OktaSumoCollectorStack } from './collector-stack.js';

/**
 * Builds the collector stack into `app` from its context and checks it against the cdk-nag AWS Solutions
 * rules: any unacknowledged finding stops `cdk synth` and `cdk deploy`.
 * @throws ContextError when a context value is missing or invalid.
 */
export function buildCollectorApp(app: App): OktaSumoCollectorStack {
  const settings = readAppSettings(app.node);
  const stack = new OktaSumoCollectorStack(app, settings.stackName, settings.stackProps);
  // Acknowledged findings are also written into the template's Metadata, so an auditor reading the
  // deployed template sees every exception and its reason.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
  return stack;
}
