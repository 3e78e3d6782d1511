/**
 * The README's reference tables, rendered from their sources so they cannot drift: the construct's props from
 * their TSDoc (`lib/collector-props.ts` and what it extends), the configuration reference from the settings
 * catalog (`lambda/settings`) and the app's own context keys (`lib/app-context-keys.ts`). A test checks the
 * README against them; `npx tsx scripts/reference-docs.ts --write` rewrites the tables after a change.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import ts from 'typescript';
import { ALL_SETTINGS } from '../lambda/settings/catalog.js';
import { APP_CONTEXT_KEYS } from '../lib/app-context-keys.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const README = `${ROOT}README.md`;
const PROPS_FILE = `${ROOT}lib/collector-props.ts`;
/** The files that declare the props; only these are read (no aws-cdk-lib types: the docs need none). */
const PROPS_FILES = [
  PROPS_FILE,
  `${ROOT}lib/collector-settings-props.ts`,
  `${ROOT}lib/collector-alarm-props.ts`,
];

/** One prop as its TSDoc describes it. */
export interface PropDoc {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  /** The `@default` tag's text; `undefined` for a required prop. */
  readonly defaultText: string | undefined;
  /** The first sentence of the summary. */
  readonly summary: string;
}

let cached: PropDoc[] | undefined;

/** Every prop of `OktaSumoCollectorProps` (own and inherited), read with the TypeScript compiler. */
export function collectorPropDocs(): PropDoc[] {
  cached ??= readPropDocs();
  return cached;
}

function readPropDocs(): PropDoc[] {
  const program = ts.createProgram(PROPS_FILES, {
    noResolve: true,
    noLib: true,
    types: [],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(PROPS_FILE)!;
  const declaration = source.statements.find(
    (node): node is ts.InterfaceDeclaration =>
      ts.isInterfaceDeclaration(node) && node.name.text === 'OktaSumoCollectorProps',
  )!;
  const type = checker.getTypeAtLocation(declaration);
  const props = checker.getPropertiesOfType(type).map((symbol) => {
    const member = symbol.declarations![0] as ts.PropertySignature;
    const defaultTag = symbol.getJsDocTags(checker).find((tag) => tag.name === 'default');
    const doc = ts.displayPartsToString(symbol.getDocumentationComment(checker)).replace(/\s+/g, ' ').trim();
    return {
      name: symbol.name,
      type: member.type!.getText().replace(/\s+/g, ' '),
      required: member.questionToken === undefined,
      defaultText: defaultTag
        ? ts.displayPartsToString(defaultTag.text).replace(/\s+/g, ' ').trim()
        : undefined,
      summary: firstSentence(doc),
    };
  });
  // Required props first, then in declaration order (own props, then the settings, then the alarms).
  return [...props.filter((prop) => prop.required), ...props.filter((prop) => !prop.required)];
}

/** Up to the first full stop that ends a sentence (not the one of "e.g."), `{@link X.y}` as `y`. */
function firstSentence(text: string): string {
  const plain = text.replace(/\{@link\s+(?:[\w.]+\.)?(\w+)\s*\}/g, '$1');
  const match = /^(.+?(?<!e\.g|i\.e))\.(\s+[A-Z`]|$)/.exec(plain);
  return match ? match[1]! : plain;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');
const code = (text: string | undefined) => (text ? `\`${cell(text)}\`` : '');

/** The props table of "Use it in your own CDK app". */
export function propsTable(): string {
  const rows = collectorPropDocs().map(
    (prop) =>
      `| ${code(prop.name)} | ${code(prop.type)} | ${prop.required ? '(required)' : cell(prop.defaultText ?? '')} | ${cell(prop.summary)} |`,
  );
  return ['| prop | type | default | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** Every runtime setting: context key, prop, variable, default, range. */
export function settingsTable(): string {
  const rows = ALL_SETTINGS.map(
    (spec) =>
      `| ${code(spec.context)} | ${code(spec.prop)} | ${code(spec.env)} | ${cell(spec.defaultText)} | ${cell(spec.range)} | ${cell(spec.description)} |`,
  );
  return [
    '| context key | construct prop | Lambda env | default | range | meaning |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** The app's own context keys. */
export function appKeysTable(): string {
  const rows = APP_CONTEXT_KEYS.map(
    (key) =>
      `| ${code(key.key)} | ${key.scope === 'org' ? 'per org' : 'app'} | ${cell(key.defaultText)} | ${cell(key.range)} | ${cell(key.description)} |`,
  );
  return [
    '| context key | scope | default | range | meaning |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

const TABLES: Record<string, () => string> = {
  'props-table': propsTable,
  'settings-table': settingsTable,
  'app-keys-table': appKeysTable,
};

/**
 * The README with each `<!-- name:start -->` … `<!-- name:end -->` block replaced by its rendered table, as
 * prettier formats it.
 * @throws Error when a marker is missing.
 */
export async function renderReadme(readme: string): Promise<string> {
  let text = readme;
  for (const [name, render] of Object.entries(TABLES)) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} block`);
    text = `${text.slice(0, from + start.length)}\n\n${render()}\n\n${text.slice(to)}`;
  }
  const config = (await prettier.resolveConfig(README)) ?? {};
  return prettier.format(text, { ...config, filepath: README });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const readme = readFileSync(README, 'utf8');
  const rendered = await renderReadme(readme);
  if (process.argv.includes('--write')) {
    writeFileSync(README, rendered);
    console.error(rendered === readme ? 'README.md tables are up to date' : 'README.md tables rewritten');
  } else if (rendered !== readme) {
    console.error('README.md tables are out of date: run npx tsx scripts/reference-docs.ts --write');
    process.exitCode = 1;
  }
}
