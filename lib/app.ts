/**
 * The CDK app: `cdk synth -c oktaOrgUrl=https://acme.okta.com` (context keys: see `app-context.ts`).
 */
import { App } from 'aws-cdk-lib';
import { ContextError } from './app-context.js';
import { buildCollectorApp } from './collector-app.js';
import { InvalidPropsError } from './invalid-props-error.js';

try {
  buildCollectorApp(new App());
} catch (error) {
  // A settings mistake is the operator's to fix: one line, no stack trace.
  if (!(error instanceof ContextError || error instanceof InvalidPropsError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
