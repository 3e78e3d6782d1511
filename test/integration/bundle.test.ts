/**
 * The deployable artifact, as an independent harness would run it: `npx cdk synth` with no AWS credentials, the
 * collector function found in the template by its `CURSOR_TABLE_NAME` variable, its code asset's bundle run in a
 * separate Node process with the function's environment (pointed at the local stack), invoked like Lambda does.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplaySummary, TickSummary } from '../../lambda/core/collect.js';
import { startLocalStack, type LocalStack } from '../../dev/local-stack.js';
import { startBundleHost, type BundleHost } from './support/bundle-host.js';
import { leakedSecrets } from '../../dev/reliability/invariants.js';
import { compareLines, replayLines } from './support/sumo-views.js';
import { scheduledEvent } from './support/handler-under-test.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MINUTE_MS = 60_000;
const AMPLE_MS = 60_000;
/** Room for one page when every Okta answer takes {@link SLOW_OKTA_MS} (3 s page minimum + 1.5 s reserve). */
const ONE_PAGE_MS = 5000;
const SLOW_OKTA_MS = 700;

interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

interface CollectorFunction {
  readonly logicalId: string;
  /** `Handler`, e.g. `index.handler`. */
  readonly handler: string;
  readonly memorySize: number | undefined;
  /** Environment variables whose values are plain strings in the template (not references). */
  readonly literalEnvironment: Record<string, string>;
  /** The code asset's directory in the cloud assembly. */
  readonly assetDir: string;
}

/** `npx cdk synth -c oktaOrgUrl=https://example.okta.com -o <outdir>`, offline and without AWS credentials. */
function synth(outdir: string): Promise<void> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith('AWS_') && !name.startsWith('CDK_')) env[name] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(
      'npx',
      ['cdk', 'synth', '-c', 'oktaOrgUrl=https://example.okta.com', '-o', outdir, '-q'],
      {
        cwd: REPO_ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`cdk synth failed (${code}):\n${output}`)),
    );
  });
}

/** Finds the collector the way the stable interface describes it. */
function findCollector(outdir: string): {
  fn: CollectorFunction;
  resources: Record<string, TemplateResource>;
} {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string; properties?: { templateFile?: string } }>;
  };
  const stacks = Object.values(manifest.artifacts).filter(
    (artifact) => artifact.type === 'aws:cloudformation:stack',
  );
  const candidates: { fn: CollectorFunction; resources: Record<string, TemplateResource> }[] = [];
  for (const artifact of stacks) {
    const template = JSON.parse(readFileSync(join(outdir, artifact.properties!.templateFile!), 'utf8')) as {
      Resources: Record<string, TemplateResource>;
    };
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
      const variables = (
        resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined
      )?.Variables;
      if (resource.Type !== 'AWS::Lambda::Function' || variables?.CURSOR_TABLE_NAME === undefined) continue;
      const literalEnvironment = Object.fromEntries(
        Object.entries(variables).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      );
      candidates.push({
        fn: {
          logicalId,
          handler: resource.Properties!.Handler as string,
          memorySize: resource.Properties!.MemorySize as number | undefined,
          literalEnvironment,
          assetDir: join(outdir, resource.Metadata!['aws:asset:path'] as string),
        },
        resources: template.Resources,
      });
    }
  }
  expect(candidates).toHaveLength(1);
  return candidates[0]!;
}

describe('the synthesized Lambda bundle', () => {
  let outdir: string;
  let collector: CollectorFunction;
  let resources: Record<string, TemplateResource>;
  let bundlePath: string;
  let stack: LocalStack;
  let lambda: BundleHost;
  const t0 = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - 10 * MINUTE_MS;
  const window = { since: new Date(t0 - 60 * MINUTE_MS).toISOString(), until: new Date(t0).toISOString() };

  // The timeout is a limit against a hang, not a speed check: synth bundles the function, minutes on a loaded machine.
  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), 'okta-sumo-bundle-'));
    await synth(outdir);
    ({ fn: collector, resources } = findCollector(outdir));
    // `Handler` is `<file>.<export>`; the runtime looks for <file>.mjs, then <file>.js.
    const [file, exportName] = [
      collector.handler.slice(0, collector.handler.lastIndexOf('.')),
      collector.handler.split('.').at(-1)!,
    ];
    bundlePath =
      [`${file}.mjs`, `${file}.js`]
        .map((name) => join(collector.assetDir, name))
        .find((path) => existsSync(path)) ?? '';
    stack = await startLocalStack({ okta: { events: { unusualRate: 0.1, loneSurrogates: true } } });
    lambda = await startBundleHost(bundlePath, exportName, {
      PATH: process.env.PATH ?? '',
      // What Lambda sets for this function (from the template), then the local stack in place of AWS.
      AWS_LAMBDA_FUNCTION_NAME: 'OktaSumoCollector-CollectorFunction',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(collector.memorySize ?? 128),
      AWS_LAMBDA_LOG_FORMAT: 'JSON',
      AWS_LAMBDA_LOG_LEVEL: 'INFO',
      TZ: ':UTC',
      ...collector.literalEnvironment,
      ...stack.env,
    });
  }, 600_000);

  afterAll(async () => {
    await lambda?.stop();
    await stack?.stop();
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  it('is the code asset of the one function whose environment has CURSOR_TABLE_NAME, and exports its handler', () => {
    // Assess
    expect(collector.handler).toBe('index.handler');
    expect(bundlePath).toMatch(/index\.m?js$/);
    const tables = Object.values(resources).filter((resource) => resource.Type === 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(1);
    expect(tables[0]!.Properties!.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
  });

  it('delivers everything on a scheduled tick', async () => {
    // Prepare
    stack.okta.produce(2500);
    stack.okta.produceLate(100, 2 * 60 * MINUTE_MS);

    // Act
    const first = (await lambda.invoke(scheduledEvent(), AMPLE_MS)) as TickSummary;
    stack.okta.produce(50);
    const second = (await lambda.invoke({}, AMPLE_MS)) as TickSummary;

    // Assess
    expect(first).toMatchObject({ stream: 'main', stopReason: 'caught-up', events: 2600, replays: [] });
    expect(second).toMatchObject({ stream: 'main', stopReason: 'caught-up', events: 50, replays: [] });
    expect(stack.sumo.compareWith(stack.okta.events)).toMatchObject({
      ok: true,
      checked: 2650,
      duplicates: 0,
    });
    expect(new Set(stack.sumo.batches.map((batch) => batch.headers['x-sumo-category']))).toEqual(
      new Set(['okta']),
    );
    expect(stack.sumo.batches.every((batch) => batch.encoding === 'gzip' && batch.bytes <= 1_000_000)).toBe(
      true,
    );
  });

  it('runs a replay over several invocations until done', async () => {
    // Prepare: more than one 1,000-event page in the window; Okta slow enough that each invocation does one.
    const since = Date.parse(window.since);
    const expected = stack.okta.produce(2100, { publishedAt: (i) => since + i * 1000 });
    stack.okta.setFaults({ probability: 1, pool: [{ kind: 'slow', delayMs: SLOW_OKTA_MS }] });
    const results: ReplaySummary[] = [];

    // Act
    try {
      for (let i = 0; i < 15 && !results.at(-1)?.done; i++) {
        results.push((await lambda.invoke({ replay: window }, ONE_PAGE_MS)) as ReplaySummary);
      }
    } finally {
      stack.okta.setFaults({});
    }

    // Assess
    const last = results.at(-1)!;
    expect(last).toMatchObject({
      done: true,
      stopReason: 'done',
      totalEvents: expected.length,
      totalPages: 3,
      window,
    });
    expect(results.length).toBeGreaterThan(2);
    expect(compareLines(replayLines(stack.sumo, last.replayId), expected)).toEqual({
      missing: [],
      unexpected: [],
      mismatched: [],
      duplicates: 0,
    });
  });

  it('throws named errors: an invalid replay is reported as ReplayRequestError', async () => {
    // Act
    const act = lambda.invoke({ replay: { since: window.until, until: window.since } }, AMPLE_MS);

    // Assess
    await expect(act).rejects.toMatchObject({
      errorType: 'ReplayRequestError',
      errorMessage: 'replay.since must be before replay.until',
    });
  });

  it('prints structured logs with no secret in them', () => {
    // Assess
    const output = lambda.output();
    expect(output).toContain('"message":"invocation summary"');
    expect(leakedSecrets(output, stack.secrets)).toEqual([]);
  });
});
