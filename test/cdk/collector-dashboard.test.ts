import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { OktaSumoCollector, type OktaSumoCollectorProps } from '../../lib/okta-sumo-collector.js';

const REQUIRED: OktaSumoCollectorProps = {
  oktaOrgUrl: 'https://acme.okta.com',
  sumoUrlParameterName: '/okta-sumo-collector/sumo-url',
};

interface Widget {
  readonly type: string;
  readonly properties: {
    readonly title?: string;
    readonly metrics?: unknown[][];
    readonly annotations?: { horizontal?: { value: number; label?: string }[] };
  };
}

/** Synthesizes one collector and returns its dashboards, each with its widgets (references as placeholders). */
function dashboardsOf(props: Partial<OktaSumoCollectorProps> = {}): { name: unknown; widgets: Widget[] }[] {
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Okta');
  new OktaSumoCollector(stack, 'Collector', { ...REQUIRED, ...props });
  const dashboards = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard')) as {
    Properties: { DashboardName: unknown; DashboardBody: { 'Fn::Join': [string, unknown[]] } };
  }[];
  return dashboards.map((dashboard) => {
    const body = dashboard.Properties.DashboardBody['Fn::Join'][1]
      .map((part) => (typeof part === 'string' ? part : 'ref'))
      .join('');
    return {
      name: dashboard.Properties.DashboardName,
      widgets: (JSON.parse(body) as { widgets: Widget[] }).widgets,
    };
  });
}

const metricNames = (widget: Widget): string[] =>
  (widget.properties.metrics ?? []).map(
    (row) => row.find((cell, i) => i > 0 && typeof cell === 'string' && /^[A-Z]/.test(cell)) as string,
  );
const annotationValues = (widget: Widget): number[] =>
  (widget.properties.annotations?.horizontal ?? []).map((annotation) => annotation.value);

describe('the collector dashboard', () => {
  it('graphs every figure of the summary and the function, named after the stack and the org', () => {
    // Act
    const dashboards = dashboardsOf();

    // Assess
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0]!.name).toBe('Okta-acme-okta-com');
    const graphed = dashboards[0]!.widgets.flatMap(metricNames).sort();
    expect(graphed).toEqual(
      [
        'ApproximateNumberOfMessagesVisible',
        'Duration',
        'Duration',
        'Errors',
        'EventsDelivered',
        'Invocations',
        'LagSeconds',
        'NoProgressStops',
        'Pages',
        'RateLimited',
        'Recoveries',
        'Retries',
        'Throttles',
        'UndeliverableEvents',
      ].sort(),
    );
  });

  it("draws each alarm's threshold on its metric's graph, and the timeout on the duration graph", () => {
    // Act
    const widgets = dashboardsOf({ errorsAlarmThreshold: 2, undeliverableAlarmThreshold: 7 })[0]!.widgets;
    const graphOf = (metricName: string) =>
      widgets.find((widget) => metricNames(widget).includes(metricName))!;

    // Assess
    expect(annotationValues(graphOf('LagSeconds'))).toEqual([3600]);
    expect(annotationValues(graphOf('Errors')).sort()).toEqual([1, 2]);
    expect(annotationValues(graphOf('UndeliverableEvents')).sort()).toEqual([1, 7]);
    expect(annotationValues(graphOf('Duration'))).toEqual([900_000]);
    expect(annotationValues(graphOf('Pages'))).toEqual([]);
  });

  it('draws no threshold for a disabled alarm, and is left out when switched off', () => {
    // Act
    const withoutLag = dashboardsOf({ disabledAlarms: ['lag'] })[0]!.widgets;
    const none = dashboardsOf({ dashboard: false });

    // Assess
    const lag = withoutLag.find((widget) => metricNames(widget).includes('LagSeconds'))!;
    expect(annotationValues(lag)).toEqual([]);
    expect(none).toEqual([]);
  });
});
