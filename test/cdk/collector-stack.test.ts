import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lambda/config.js';
import {
  actionsOf,
  collectorFunctionId,
  functionRoleStatements,
  synthesizeApp,
  type SynthesizedApp,
} from './synthesize-app.js';

const ADAPTERS_DIR = fileURLToPath(new URL('../../lambda/adapters', import.meta.url));

/** TypeScript files under `dir`, recursively. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(dir, name));
}

// One synthesis (with the real esbuild bundle) for the whole file: bundling takes seconds.
let synth: SynthesizedApp;
beforeAll(() => {
  synth = synthesizeApp({ oktaOrgUrl: 'https://example.okta.com' });
}, 180_000);
afterAll(() => synth?.dispose());

const resourceId = (type: string): string => {
  const ids = Object.keys(synth.template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0]!;
};

/** The bucket the function writes refused events to (the other bucket holds its access logs). */
const undeliverableBucketId = (): string => {
  const ids = Object.keys(
    synth.template.findResources('AWS::S3::Bucket', { Properties: { LoggingConfiguration: {} } }),
  );
  expect(ids).toHaveLength(1);
  return ids[0]!;
};

describe('OktaSumoCollectorStack, deployed with only oktaOrgUrl', () => {
  describe('the undeliverable bucket', () => {
    it('is encrypted, TLS only, private, expires events after 90 days and outlives the stack', () => {
      // Act & Assess
      synth.template.hasResource('AWS::S3::Bucket', {
        Properties: {
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
            ],
          },
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 90, Status: 'Enabled' })] },
          LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'undeliverable/' }),
        },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      synth.template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: undeliverableBucketId() },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it('is named to the function by UNDELIVERABLE_BUCKET_NAME', () => {
      // Act & Assess
      synth.template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({ UNDELIVERABLE_BUCKET_NAME: { Ref: undeliverableBucketId() } }),
        },
      });
    });
  });

  describe('the collector function', () => {
    it('runs on Node.js 24 on arm64 with 256 MB, a 15-minute timeout and 3 reserved executions', () => {
      // Prepare
      const { template } = synth;

      // Act
      const fn = template.toJSON().Resources[collectorFunctionId(template)];

      // Assess
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: 256,
        Timeout: 900,
        ReservedConcurrentExecutions: 3,
      });
    });

    it('gets exactly the environment variables the Lambda reads, pointing at this stack', () => {
      // Prepare
      const { template } = synth;

      // Act & Assess
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectEquals({
            OKTA_ORG_URL: 'https://example.okta.com',
            OKTA_SECRET_ID: { Ref: resourceId('AWS::SecretsManager::Secret') },
            SUMO_URL_PARAMETER: '/okta-sumo-collector/sumo-url',
            CURSOR_TABLE_NAME: { Ref: resourceId('AWS::DynamoDB::Table') },
            UNDELIVERABLE_BUCKET_NAME: { Ref: undeliverableBucketId() },
            SUMO_SOURCE_CATEGORY: 'okta',
            SUMO_SOURCE_HOST: 'example.okta.com',
            SCHEDULE_PERIOD_SECONDS: '60',
            OKTA_PAGE_LIMIT: '1000',
            OKTA_RATE_LIMIT_SHARE: '0.5',
            POWERTOOLS_SERVICE_NAME: 'okta-sumo-collector',
            POWERTOOLS_METRICS_NAMESPACE: 'OktaSumoCollector',
          }),
        },
      });
    });

    it('has an environment that the Lambda configuration loader accepts', () => {
      // Prepare: references become the names CloudFormation would give them
      const fn = synth.template.toJSON().Resources[collectorFunctionId(synth.template)];
      const variables = fn.Properties.Environment.Variables as Record<string, unknown>;
      const env = Object.fromEntries(
        Object.entries(variables).map(([name, value]) => [
          name,
          typeof value === 'string' ? value : `resolved-${name}`,
        ]),
      );

      // Act
      const config = loadConfig(env);

      // Assess
      expect(config.oktaOrgUrl).toBe('https://example.okta.com');
      expect(config.sumo.category).toBe('okta');
      expect(config.oktaPageLimit).toBe(1000);
      expect(config.oktaRateLimitShare).toBe(0.5);
    });

    it('logs JSON to its own log group, kept for a year and retained with the stack', () => {
      // Prepare
      const { template } = synth;
      const logGroup = resourceId('AWS::Logs::LogGroup');

      // Act & Assess
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: { RetentionInDays: 365 },
        DeletionPolicy: 'Retain',
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logGroup } },
      });
    });

    it('is bundled into index.mjs, an ES module that Node loads and that exports handler', () => {
      // Prepare
      const fn = synth.template.toJSON().Resources[collectorFunctionId(synth.template)];
      const assetHash = (fn.Properties.Code.S3Key as string).replace(/\.zip$/, '');
      const manifest = JSON.parse(
        readFileSync(join(synth.outdir, `${synth.stack.artifactId}.assets.json`), 'utf8'),
      ) as { files: Record<string, { source: { path: string } }> };
      const bundle = join(synth.outdir, manifest.files[assetHash]!.source.path, 'index.mjs');
      expect(existsSync(bundle)).toBe(true);

      // Act: load it in a fresh Node process, as the Lambda runtime does
      const probe = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(pathToFileURL(bundle).href)}); console.log(typeof m.handler);`,
        ],
        { encoding: 'utf8', timeout: 30_000 },
      );

      // Assess
      expect(probe.status, probe.stderr).toBe(0);
      expect(probe.stdout.trim()).toBe('function');
    });
  });

  describe('the cursor table', () => {
    it('is keyed by pk only, on demand, with point-in-time recovery and AWS managed encryption', () => {
      // Act & Assess
      synth.template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: Match.absent(), KMSMasterKeyId: Match.absent() },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      });
    });

    it('outlives the stack, so deleting the stack never loses the cursor', () => {
      // Act & Assess
      synth.template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });
  });

  describe('the Okta secret', () => {
    it('is created with the placeholder the Lambda recognises, to be filled in after deploy', () => {
      // Act & Assess
      synth.template.hasResourceProperties('AWS::SecretsManager::Secret', {
        SecretString: '{"apiToken":"REPLACE_ME"}',
      });
    });
  });

  describe('the schedule', () => {
    it('invokes the collector function every minute', () => {
      // Act & Assess
      synth.template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(1 minute)',
        State: 'ENABLED',
        Targets: [{ Arn: { 'Fn::GetAtt': [collectorFunctionId(synth.template), 'Arn'] } }],
      });
    });
  });

  describe('asynchronous invocations', () => {
    it('are dropped after one minute, never retried, and recorded in the failed-invocations queue', () => {
      // Prepare
      const queue = resourceId('AWS::SQS::Queue');

      // Act & Assess
      synth.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: collectorFunctionId(synth.template) },
        Qualifier: '$LATEST',
        MaximumEventAgeInSeconds: 60,
        MaximumRetryAttempts: 0,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
      });
    });

    it('land in a queue that is encrypted, TLS-only and keeps records 14 days', () => {
      // Act & Assess
      synth.template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 86_400,
      });
      synth.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });
  });

  describe('alarms', () => {
    const alarmOn = (metricName: string): Record<string, unknown> => {
      const alarms = Object.values(
        synth.template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: metricName } }),
      );
      expect(alarms).toHaveLength(1);
      return (alarms[0] as { Properties: Record<string, unknown> }).Properties;
    };

    it('has exactly five, without actions when no alarm topic is given', () => {
      // Act
      const alarms = Object.values(synth.template.findResources('AWS::CloudWatch::Alarm')) as {
        Properties: Record<string, unknown>;
      }[];

      // Assess
      expect(alarms.map((alarm) => alarm.Properties.MetricName).sort()).toEqual([
        'ApproximateNumberOfMessagesVisible',
        'Errors',
        'LagSeconds',
        'NoProgressStops',
        'UndeliverableEvents',
      ]);
      for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toBeUndefined();
    });

    it('fires on any error of the collector function within 5 minutes', () => {
      // Act
      const alarm = alarmOn('Errors');

      // Assess
      expect(alarm).toMatchObject({
        Namespace: 'AWS/Lambda',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: collectorFunctionId(synth.template) } }],
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    });

    it('fires when the handler reports lag above an hour, or reports nothing, for 30 minutes', () => {
      // Act
      const alarm = alarmOn('LagSeconds');

      // Assess: the namespace and dimensions the handler publishes with (Powertools EMF)
      expect(alarm).toMatchObject({
        Namespace: 'OktaSumoCollector',
        Statistic: 'Maximum',
        Period: 600,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        Threshold: 3600,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'breaching',
      });
      expect(alarm.Dimensions).toEqual(
        expect.arrayContaining([
          { Name: 'service', Value: 'okta-sumo-collector' },
          { Name: 'OktaOrg', Value: 'example.okta.com' },
        ]),
      );
      expect(alarm.Dimensions).toHaveLength(2);
    });

    it('fires when any event was written to the undeliverable bucket', () => {
      // Act
      const alarm = alarmOn('UndeliverableEvents');

      // Assess
      expect(alarm).toMatchObject({
        Namespace: 'OktaSumoCollector',
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
      expect(alarm.Dimensions).toEqual(
        expect.arrayContaining([
          { Name: 'service', Value: 'okta-sumo-collector' },
          { Name: 'OktaOrg', Value: 'example.okta.com' },
        ]),
      );
    });

    it('fires when streams stop for lack of progress in three 5-minute periods in a row', () => {
      // Act
      const alarm = alarmOn('NoProgressStops');

      // Assess
      expect(alarm).toMatchObject({
        Namespace: 'OktaSumoCollector',
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
      expect(alarm.Dimensions).toHaveLength(2);
    });

    it('fires when the failed-invocations queue holds a record', () => {
      // Act
      const alarm = alarmOn('ApproximateNumberOfMessagesVisible');

      // Assess
      expect(alarm).toMatchObject({
        Namespace: 'AWS/SQS',
        Dimensions: [
          { Name: 'QueueName', Value: { 'Fn::GetAtt': [resourceId('AWS::SQS::Queue'), 'QueueName'] } },
        ],
        Statistic: 'Maximum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    });
  });

  describe('permissions', () => {
    it('gives the function role no managed policy (no AWSLambdaBasicExecutionRole)', () => {
      // Act & Assess
      synth.template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
        },
        ManagedPolicyArns: Match.absent(),
      });
    });

    it('grants exactly the actions the collector uses, each on its one resource', () => {
      // Prepare
      const { template } = synth;
      const getAtt = (type: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [resourceId(type), attribute] });

      // Act
      const statements = functionRoleStatements(template).map((statement) => ({
        effect: statement.Effect,
        actions: actionsOf(statement),
        resource: statement.Resource,
        condition: statement.Condition,
      }));

      // Assess
      const parameterArn = {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':ssm:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':parameter/okta-sumo-collector/sumo-url',
          ],
        ],
      };
      expect(statements).toHaveLength(6);
      expect(statements).toEqual(
        expect.arrayContaining([
          {
            effect: 'Allow',
            actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            resource: getAtt('AWS::Logs::LogGroup'),
            condition: undefined,
          },
          {
            effect: 'Allow',
            actions: ['dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:UpdateItem'],
            resource: getAtt('AWS::DynamoDB::Table'),
            condition: undefined,
          },
          {
            effect: 'Allow',
            actions: ['secretsmanager:GetSecretValue'],
            resource: { Ref: resourceId('AWS::SecretsManager::Secret') },
            condition: undefined,
          },
          { effect: 'Allow', actions: ['ssm:GetParameter'], resource: parameterArn, condition: undefined },
          {
            effect: 'Allow',
            actions: ['s3:PutObject'],
            resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [undeliverableBucketId(), 'Arn'] }, '/*']] },
            condition: undefined,
          },
          {
            effect: 'Allow',
            actions: ['sqs:SendMessage'],
            resource: getAtt('AWS::SQS::Queue'),
            condition: undefined,
          },
        ]),
      );
    });

    it('grants exactly the DynamoDB, Secrets Manager, SSM and S3 calls the adapters make', () => {
      // Prepare: every `new XxxCommand(` in an adapter that imports the service's SDK client
      const prefixes: Record<string, string> = {
        '@aws-sdk/client-dynamodb': 'dynamodb',
        '@aws-sdk/client-secrets-manager': 'secretsmanager',
        '@aws-sdk/client-ssm': 'ssm',
        '@aws-sdk/client-s3': 's3',
      };
      const sent = new Set<string>();
      for (const file of sourceFiles(ADAPTERS_DIR)) {
        const source = readFileSync(file, 'utf8');
        for (const [client, prefix] of Object.entries(prefixes)) {
          if (!source.includes(`'${client}'`)) continue;
          for (const match of source.matchAll(/new (\w+)Command\(/g)) sent.add(`${prefix}:${match[1]}`);
        }
      }

      // Act
      const granted = functionRoleStatements(synth.template)
        .flatMap(actionsOf)
        .filter((action) => Object.values(prefixes).includes(action.split(':')[0]!));

      // Assess
      // The S3 grant exists for the undeliverable-events writer (interface 9): PutObject and nothing more, even
      // before (or without) an adapter that sends it.
      const s3Sent = [...sent].filter((action) => action.startsWith('s3:'));
      expect(s3Sent.every((action) => action === 's3:PutObject')).toBe(true);
      expect(sent.size).toBeGreaterThan(0);
      expect(granted.sort()).toEqual([...new Set([...sent, 's3:PutObject'])].sort());
    });

    it("grants nothing on a wildcard resource but the undeliverable bucket's objects (keyed by event uuid)", () => {
      // Act
      const resources = functionRoleStatements(synth.template).flatMap((statement): unknown[] =>
        Array.isArray(statement.Resource) ? (statement.Resource as unknown[]) : [statement.Resource],
      );
      const wildcards = resources.filter((resource) => JSON.stringify(resource).includes('*'));

      // Assess
      expect(resources.length).toBeGreaterThan(0);
      expect(wildcards).toEqual([
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [undeliverableBucketId(), 'Arn'] }, '/*']] },
      ]);
    });
  });

  describe('portability (commercial, China and GovCloud partitions)', () => {
    it('hard-codes no partition, region or account in the template', () => {
      // Act
      const text = JSON.stringify(synth.template.toJSON());

      // Assess
      expect(text).not.toMatch(/arn:aws(-[a-z-]+)?:/);
      expect(text).not.toMatch(/\b(us|eu|ap|sa|ca|me|af|il|mx|cn)-(gov-|iso[a-z]*-)?[a-z]+-\d\b/);
      expect(text).not.toMatch(/\b\d{12}\b/);
    });
  });

  describe('static checks', () => {
    it('has no unacknowledged cdk-nag AWS Solutions finding', () => {
      // Act
      const report = new AwsSolutionsChecks().validateScope(synth.stack);

      // Assess
      expect(report.violations).toEqual([]);
      expect(report.success).toBe(true);
    });

    it('acknowledges only the findings that do not apply, each with its reason in the template', () => {
      // Act
      const acknowledged = Object.values(
        synth.template.toJSON().Resources as Record<string, { Metadata?: Record<string, unknown> }>,
      ).flatMap(
        (resource) =>
          (resource.Metadata?.cdk_nag as { rules_to_suppress: { id: string; reason: string }[] } | undefined)
            ?.rules_to_suppress ?? [],
      );

      // Assess
      expect([...new Set(acknowledged.map((rule) => rule.id))].sort()).toEqual([
        `AwsSolutions-IAM5[Resource::<${undeliverableBucketId()}.Arn>/*]`,
        'AwsSolutions-S1',
        'AwsSolutions-SMG4',
        'AwsSolutions-SQS3',
      ]);
      for (const rule of acknowledged) expect(rule.reason.length).toBeGreaterThan(40);
    });

    it('raises no CDK warning or error', () => {
      // Prepare
      const annotations = Annotations.fromStack(synth.stack);

      // Act & Assess
      annotations.hasNoWarning('*', Match.anyValue());
      annotations.hasNoError('*', Match.anyValue());
    });
  });
});
