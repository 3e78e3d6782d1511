/**
 * Builds the CDK app the way `cdk synth` does (same entry function, same cdk.json context and feature flags) into
 * a temporary cloud assembly, for the CDK tests.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildCollectorApp } from '../../lib/collector-app.js';
import type { OktaSumoCollectorStack } from '../../lib/collector-stack.js';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  readonly context: Record<string, unknown>;
};

export interface SynthesizedApp {
  readonly app: App;
  readonly stack: OktaSumoCollectorStack;
  readonly template: Template;
  /** The cloud assembly directory (holds the bundled Lambda asset). */
  readonly outdir: string;
  /** Deletes the cloud assembly. */
  dispose(): void;
}

export interface SynthesizeOptions {
  /**
   * Bundle the Lambda code with esbuild. Slow (seconds): only the tests about the bundle and the full
   * template need it.
   * @default true
   */
  readonly bundle?: boolean;
}

/** Builds the app from `context` (on top of cdk.json's) and synthesizes its stack once. */
export function synthesizeApp(
  context: Record<string, unknown>,
  options: SynthesizeOptions = {},
): SynthesizedApp {
  const outdir = mkdtempSync(join(tmpdir(), 'okta-sumo-cdk-'));
  const app = new App({
    outdir,
    context: {
      ...cdkJson.context,
      // The CLI's way of skipping asset bundling (`cdk synth --exclusively` on other stacks).
      ...(options.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {}),
      ...context,
    },
  });
  const stack = buildCollectorApp(app);
  const template = Template.fromStack(stack);
  return { app, stack, template, outdir, dispose: () => rmSync(outdir, { recursive: true, force: true }) };
}

/** One statement of an IAM policy document, as synthesized. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, unknown>;
}

/** Every statement of every identity policy attached to the collector function's role. */
export function functionRoleStatements(template: Template): PolicyStatement[] {
  const policies = template.findResources('AWS::IAM::Policy') as Record<
    string,
    { Properties: { PolicyDocument: { Statement: PolicyStatement[] }; Roles: unknown[] } }
  >;
  const role = collectorRoleId(template);
  return Object.values(policies)
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${role}"`))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

/** Logical id of the collector function (the one whose environment has `CURSOR_TABLE_NAME`). */
export function collectorFunctionId(template: Template): string {
  const functions = template.findResources('AWS::Lambda::Function', {
    Properties: { Environment: { Variables: { CURSOR_TABLE_NAME: {} } } },
  });
  const ids = Object.keys(functions);
  if (ids.length !== 1) throw new Error(`expected one collector function, found ${ids.length}`);
  return ids[0]!;
}

function collectorRoleId(template: Template): string {
  const fn = template.toJSON().Resources[collectorFunctionId(template)] as {
    Properties: { Role: { 'Fn::GetAtt': [string, string] } };
  };
  return fn.Properties.Role['Fn::GetAtt'][0];
}

/** Actions of a statement as a sorted list. */
export function actionsOf(statement: PolicyStatement): string[] {
  return (Array.isArray(statement.Action) ? statement.Action : [statement.Action]).slice().sort();
}
