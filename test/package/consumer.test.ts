/**
 * The package as a consumer meets it: `npm pack` of this repository (which runs `prepack`), the tarball
 * installed into a fresh CDK app outside the repository with only its peer dependencies beside it, and two
 * independently written apps, one ES module with two collectors in one stack and one CommonJS file,
 * synthesized by plain `node` with neither esbuild nor Docker within reach. Network-free: npm installs the
 * tarball offline, and the peers are linked from this repository's node_modules (npm would fetch them).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const ESM_APP = `import { App, Stack } from 'aws-cdk-lib';
import { OktaSumoCollector } from 'okta-sumo-collector';

const app = new App();
const stack = new Stack(app, 'Identity');
new OktaSumoCollector(stack, 'Acme', {
  oktaOrgUrl: 'https://acme.okta.com',
  sumoUrlParameterName: '/sumo/acme',
});
new OktaSumoCollector(stack, 'Globex', {
  oktaOrgUrl: 'https://globex.okta.com',
  sumoUrlParameterName: '/sumo/globex',
  pageLimit: 500,
});
app.synth();
`;

const CJS_APP = `const { App, Stack } = require('aws-cdk-lib');
const { OktaSumoCollector } = require('okta-sumo-collector');

const app = new App();
new OktaSumoCollector(new Stack(app, 'Okta'), 'Collector', {
  oktaOrgUrl: 'https://initech.okta.com',
  sumoUrlParameterName: '/sumo/initech',
});
app.synth();
`;

interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

let work: string;
let appDir: string;

/** `node <file>` as the CDK CLI would run it: only `node` on PATH (no esbuild, no docker), output to `outdir`. */
function synth(file: string, outdir: string): Record<string, Resource>[] {
  const bin = join(work, 'bin');
  const run = spawnSync(process.execPath, [file], {
    cwd: appDir,
    // The CLI asks for asset metadata (where each code asset is) the same way.
    env: {
      PATH: bin,
      HOME: work,
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:enable-asset-metadata': true }),
    },
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(run.status, run.stderr).toBe(0);
  return readdirSync(outdir)
    .filter((name) => name.endsWith('.template.json'))
    .map(
      (name) =>
        (JSON.parse(readFileSync(join(outdir, name), 'utf8')) as { Resources: Record<string, Resource> })
          .Resources,
    );
}

const ofType = (resources: Record<string, Resource>, type: string) =>
  Object.values(resources).filter((resource) => resource.Type === type);

/** Imports a code asset's bundle in a fresh `node` and returns `typeof handler`. */
function handlerType(outdir: string, fn: Resource): string {
  const dir = join(outdir, fn.Metadata!['aws:asset:path'] as string);
  const bundle = ['index.mjs', 'index.js'].map((name) => join(dir, name)).find((path) => existsSync(path));
  expect(bundle, `bundle in ${dir}`).toBeDefined();
  const probe = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(pathToFileURL(bundle!).href)}); console.log(typeof m.handler);`,
    ],
    { encoding: 'utf8', timeout: 30_000 },
  );
  expect(probe.status, probe.stderr).toBe(0);
  return probe.stdout.trim();
}

beforeAll(() => {
  // Prepare: pack (prepack builds dist/ and the bundle), install the tarball into a new app outside the repo
  work = mkdtempSync(join(tmpdir(), 'okta-sumo-consumer-'));
  const packed = execFileSync(NPM, ['pack', '--pack-destination', work, '--json'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tarball = join(work, (JSON.parse(packed) as { filename: string }[])[0]!.filename);
  appDir = join(work, 'app');
  mkdirSync(appDir);
  writeFileSync(
    join(appDir, 'package.json'),
    JSON.stringify({
      name: 'consumer',
      private: true,
      type: 'module',
      dependencies: { 'okta-sumo-collector': `file:${tarball}` },
    }),
  );
  execFileSync(
    NPM,
    [
      'install',
      '--offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--legacy-peer-deps',
      '--no-package-lock',
    ],
    { cwd: appDir, stdio: 'ignore' },
  );
  for (const peer of ['aws-cdk-lib', 'constructs']) {
    symlinkSync(join(REPO_ROOT, 'node_modules', peer), join(appDir, 'node_modules', peer), 'dir');
  }
  writeFileSync(join(appDir, 'app.mjs'), ESM_APP);
  writeFileSync(join(appDir, 'app.cjs'), CJS_APP);
  // A PATH with node alone.
  mkdirSync(join(work, 'bin'));
  symlinkSync(process.execPath, join(work, 'bin', 'node'));
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed okta-sumo-collector in a consumer CDK app', () => {
  it('installs only the built library, the bundle and the manifest: no sources, no tests, no dependencies', () => {
    // Act
    const installed = join(appDir, 'node_modules', 'okta-sumo-collector');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;

    // Assess
    expect(readdirSync(installed).sort()).toEqual(
      ['README.md', 'dist', 'package.json'].filter((name) => existsSync(join(installed, name))).sort(),
    );
    expect(readdirSync(join(installed, 'dist')).sort()).toEqual(['lambda', 'lambda-bundle', 'lib']);
    expect(existsSync(join(installed, 'dist', 'lib', 'index.d.ts'))).toBe(true);
    expect(manifest.private).toBeUndefined();
    expect(manifest.dependencies).toBeUndefined();
    expect(Object.keys(manifest.peerDependencies as object).sort()).toEqual(['aws-cdk-lib', 'constructs']);
    expect(existsSync(join(appDir, 'node_modules', 'esbuild'))).toBe(false);
    expect(existsSync(join(dirname(appDir), 'node_modules'))).toBe(false);
  });

  it('synthesizes two collectors in one stack from an ES module: two functions, tables and dashboards, each bundle exporting handler', () => {
    // Act
    const outdir = join(work, 'out-esm');
    const [resources, ...others] = synth('app.mjs', outdir);

    // Assess
    expect(others).toEqual([]);
    const functions = ofType(resources!, 'AWS::Lambda::Function').filter(
      (fn) =>
        (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.CURSOR_TABLE_NAME,
    );
    expect(functions).toHaveLength(2);
    expect(ofType(resources!, 'AWS::DynamoDB::Table')).toHaveLength(2);
    expect(ofType(resources!, 'AWS::CloudWatch::Dashboard')).toHaveLength(2);
    expect(
      functions.map(
        (fn) => (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.OKTA_ORG_URL,
      ),
    ).toEqual(['https://acme.okta.com', 'https://globex.okta.com']);
    for (const fn of functions) {
      expect(fn.Properties.Handler).toBe('index.handler');
      expect(handlerType(outdir, fn)).toBe('function');
    }
  });

  it('synthesizes from a CommonJS file through require()', () => {
    // Act
    const outdir = join(work, 'out-cjs');
    const [resources] = synth('app.cjs', outdir);

    // Assess
    const functions = ofType(resources!, 'AWS::Lambda::Function');
    expect(functions).toHaveLength(1);
    expect(ofType(resources!, 'AWS::DynamoDB::Table')).toHaveLength(1);
    expect(handlerType(outdir, functions[0]!)).toBe('function');
  });
});
