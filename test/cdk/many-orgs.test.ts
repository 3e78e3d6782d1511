import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizeApp, type SynthesizedApp } from './synthesize-app.js';

// Two orgs from one file, the second with its own secret and host; no bundling needed here.
const dir = mkdtempSync(join(tmpdir(), 'okta-sumo-orgs-'));
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:okta/globex-AbC123';
let synth: SynthesizedApp;
beforeAll(() => {
  const path = join(dir, 'orgs.json');
  writeFileSync(
    path,
    JSON.stringify([
      { oktaOrgUrl: 'https://acme.okta.com', sumoUrlParameterName: '/sumo/acme' },
      {
        oktaOrgUrl: 'https://globex-admin.okta.com',
        sumoUrlParameterName: '/sumo/globex',
        oktaSecretArn: SECRET_ARN,
        sourceHost: 'globex-prod',
        pageLimit: 500,
      },
    ]),
  );
  synth = synthesizeApp({ orgsFile: path, alarmEmail: 'secops@example.com' }, { bundle: false });
});
afterAll(() => {
  synth?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;
const resources = (): Resources => synth.template.toJSON().Resources as Resources;
const ofType = (type: string) => Object.entries(resources()).filter(([, resource]) => resource.Type === type);

describe('OktaSumoCollectorStack with orgsFile', () => {
  it('has one collector per org, each with its own function, table, bucket, schedule, alarms and dashboard', () => {
    // Assess
    expect(synth.stack.collectors.map((collector) => collector.node.id)).toEqual([
      'AcmeOktaCom',
      'GlobexAdminOktaCom',
    ]);
    expect(ofType('AWS::Lambda::Function')).toHaveLength(2);
    expect(ofType('AWS::DynamoDB::Table')).toHaveLength(2);
    expect(ofType('AWS::CloudWatch::Dashboard')).toHaveLength(2);
    expect(ofType('AWS::Events::Rule')).toHaveLength(2);
    expect(ofType('AWS::CloudWatch::Alarm')).toHaveLength(10);
    expect(ofType('AWS::SNS::Topic')).toHaveLength(1);
    for (const [id] of ofType('AWS::DynamoDB::Table'))
      expect(id).toMatch(/^(AcmeOktaCom|GlobexAdminOktaCom)/);
  });

  it("tells the orgs apart: each function's org, Sumo host, parameter and metrics dimension", () => {
    // Act
    const variables = ofType('AWS::Lambda::Function').map(
      ([, fn]) => (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables,
    );

    // Assess
    expect(
      variables.map((v) => [v.OKTA_ORG_URL, v.SUMO_SOURCE_HOST, v.SUMO_URL_PARAMETER, v.OKTA_PAGE_LIMIT]),
    ).toEqual([
      ['https://acme.okta.com', 'acme.okta.com', '/sumo/acme', '1000'],
      ['https://globex-admin.okta.com', 'globex-prod', '/sumo/globex', '500'],
    ]);
    expect(variables[1]!.OKTA_SECRET_ID).toBe(SECRET_ARN);
    synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'LagSeconds',
      Dimensions: Match.arrayWith([{ Name: 'OktaOrg', Value: 'globex-admin.okta.com' }]),
    });
    const names = ofType('AWS::CloudWatch::Dashboard').map(
      ([, dashboard]) => dashboard.Properties.DashboardName,
    );
    expect(names).toEqual(['OktaSumoCollector-acme-okta-com', 'OktaSumoCollector-globex-admin-okta-com']);
  });

  it("names each org's outputs after its collector", () => {
    // Act
    const outputs = Object.keys(synth.template.toJSON().Outputs as Record<string, unknown>);

    // Assess
    expect(outputs).toEqual(
      expect.arrayContaining([
        'AcmeOktaComFunctionName',
        'GlobexAdminOktaComFunctionName',
        'AcmeOktaComOktaSecretArn',
      ]),
    );
  });

  it('warns that an -admin domain is the Admin Console, naming the org domain to use', () => {
    // Act
    const annotations = Annotations.fromStack(synth.stack);

    // Assess
    annotations.hasWarning(
      '/OktaSumoCollector/GlobexAdminOktaCom',
      Match.stringLikeRegexp('globex-admin.okta.com is the Okta Admin Console.*use https://globex.okta.com'),
    );
    expect(annotations.findWarning('/OktaSumoCollector/AcmeOktaCom', Match.anyValue())).toEqual([]);
  });

  it('has no unacknowledged cdk-nag AWS Solutions finding', () => {
    // Act
    const report = new AwsSolutionsChecks().validateScope(synth.stack);

    // Assess
    expect(report.violations).toEqual([]);
  });
});
