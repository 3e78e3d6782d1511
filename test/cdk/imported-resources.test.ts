import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionsOf, functionRoleStatements, synthesizeApp, type SynthesizedApp } from './synthesize-app.js';

const SECRET_ARN = 'arn:aws-us-gov:secretsmanager:us-gov-west-1:111122223333:secret:okta/collector-AbC123';
const SECRET_KEY_ARN =
  'arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/11111111-2222-3333-4444-555555555555';
const PARAMETER_KEY_ARN =
  'arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/66666666-7777-8888-9999-000000000000';

// Everything optional given at once, as `cdk deploy -c key=value` passes it (strings); no bundling needed here.
let synth: SynthesizedApp;
beforeAll(() => {
  synth = synthesizeApp(
    {
      oktaOrgUrl: 'https://acme.okta.com',
      oktaSecretArn: SECRET_ARN,
      oktaSecretKmsKeyArn: SECRET_KEY_ARN,
      sumoUrlParameterName: 'sumo-url',
      sumoUrlParameterKmsKeyArn: PARAMETER_KEY_ARN,
      alarmEmail: 'secops@example.com',
      scheduleMinutes: '5',
      sourceCategory: 'security/okta',
      rateLimitShare: '0.25',
      sumoFields: 'team=secops, env=prod',
      stackName: 'OktaSumoCollector-acme',
    },
    { bundle: false },
  );
});
afterAll(() => synth?.dispose());

const statementFor = (action: string) => {
  const statements = functionRoleStatements(synth.template).filter((statement) =>
    actionsOf(statement).includes(action),
  );
  expect(statements).toHaveLength(1);
  return statements[0]!;
};

describe('OktaSumoCollectorStack, with an existing secret, customer managed keys and an alarm e-mail', () => {
  it('uses the imported Okta secret instead of creating one', () => {
    // Act & Assess
    synth.template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    synth.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ OKTA_SECRET_ID: SECRET_ARN }) },
    });
    expect(statementFor('secretsmanager:GetSecretValue').Resource).toBe(SECRET_ARN);
  });

  it('may decrypt with each customer managed key only through its service, in this region', () => {
    // Prepare
    const decrypts = functionRoleStatements(synth.template).filter((statement) =>
      actionsOf(statement).includes('kms:Decrypt'),
    );

    // Act
    const byKey = Object.fromEntries(decrypts.map((statement) => [statement.Resource as string, statement]));

    // Assess
    expect(decrypts).toHaveLength(2);
    const via = (service: string) => ({
      StringEquals: {
        'kms:ViaService': {
          'Fn::Join': ['', [`${service}.`, { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]],
        },
      },
    });
    expect(actionsOf(byKey[SECRET_KEY_ARN]!)).toEqual(['kms:Decrypt']);
    expect(byKey[SECRET_KEY_ARN]!.Condition).toEqual(via('secretsmanager'));
    expect(actionsOf(byKey[PARAMETER_KEY_ARN]!)).toEqual(['kms:Decrypt']);
    expect(byKey[PARAMETER_KEY_ARN]!.Condition).toEqual(via('ssm'));
  });

  it('reads a parameter whose name has no leading slash through a well-formed ARN', () => {
    // Act
    const resource = JSON.stringify(statementFor('ssm:GetParameter').Resource);

    // Assess
    expect(resource).toContain('":parameter/sumo-url"');
    expect(resource).not.toContain('parameter//');
  });

  it('passes the category, share, fields and schedule to the function and the rule', () => {
    // Act & Assess
    synth.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          SUMO_SOURCE_CATEGORY: 'security/okta',
          OKTA_RATE_LIMIT_SHARE: '0.25',
          SUMO_FIELDS: 'team=secops,env=prod',
          SUMO_URL_PARAMETER: 'sumo-url',
        }),
      },
    });
    synth.template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
    expect(synth.stack.stackName).toBe('OktaSumoCollector-acme');
  });

  it('sends alarms and their recovery to a topic encrypted with a rotated key CloudWatch may use', () => {
    // Prepare
    const topics = Object.keys(synth.template.findResources('AWS::SNS::Topic'));
    const keys = Object.keys(synth.template.findResources('AWS::KMS::Key'));
    expect(topics).toHaveLength(1);
    expect(keys).toHaveLength(1);
    const topic = { Ref: topics[0] };

    // Act
    const alarms = Object.values(synth.template.findResources('AWS::CloudWatch::Alarm')) as {
      Properties: { AlarmActions?: unknown[]; OKActions?: unknown[] };
    }[];

    // Assess
    expect(alarms).toHaveLength(5);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([topic]);
      expect(alarm.Properties.OKActions).toEqual([topic]);
    }
    synth.template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [keys[0], 'Arn'] },
    });
    synth.template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
  });

  it('lets only CloudWatch alarms of this account publish to the topic, and only over TLS', () => {
    // Act & Assess
    synth.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
          }),
        ]),
      },
    });
    synth.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'secops@example.com',
    });
  });

  it('outputs what an operator needs after deploy', () => {
    // Act
    const outputs = synth.template.toJSON().Outputs as Record<string, { Value: unknown }>;

    // Assess
    expect(Object.keys(outputs).sort()).toEqual([
      'CursorTableName',
      'FailedInvocationsQueueUrl',
      'FunctionName',
      'OktaSecretArn',
      'UndeliverableBucketName',
    ]);
    expect(outputs.OktaSecretArn!.Value).toBe(SECRET_ARN);
  });

  it('has no unacknowledged cdk-nag AWS Solutions finding', () => {
    // Act
    const report = new AwsSolutionsChecks().validateScope(synth.stack);

    // Assess
    expect(report.violations).toEqual([]);
  });
});
