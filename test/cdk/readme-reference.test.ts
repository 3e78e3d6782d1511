import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_SETTINGS } from '../../lambda/settings/catalog.js';
import { APP_CONTEXT_KEYS, ORG_KEYS, STACK_KEYS } from '../../lib/app-context-keys.js';
import { collectorPropDocs, renderReadme } from '../../scripts/reference-docs.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The README's text between a table's markers. */
const block = (name: string): string =>
  README.slice(README.indexOf(`<!-- ${name}:start -->`), README.indexOf(`<!-- ${name}:end -->`));

describe('the README reference tables', () => {
  it('are what the TSDoc, the settings catalog and the app keys give (npx tsx scripts/reference-docs.ts --write)', async () => {
    // Act
    const rendered = await renderReadme(README);

    // Assess
    expect(rendered).toBe(README);
  });

  it('list every context key the app accepts, every variable and every prop', () => {
    // Prepare
    const reference = block('settings-table') + block('app-keys-table');
    const props = block('props-table');

    // Assess
    for (const key of [...ORG_KEYS, ...STACK_KEYS]) expect(reference, key).toContain(`| \`${key}\``);
    for (const spec of ALL_SETTINGS) expect(reference, spec.env).toContain(`\`${spec.env}\``);
    for (const key of APP_CONTEXT_KEYS) expect(reference).toContain(key.defaultText);
    for (const prop of collectorPropDocs()) expect(props, prop.name).toContain(`| \`${prop.name}\``);
  });

  it('document a default for every optional prop, and every settings prop is a prop of the construct', () => {
    // Act
    const docs = collectorPropDocs();

    // Assess
    expect(docs.filter((prop) => !prop.required && !prop.defaultText).map((prop) => prop.name)).toEqual([]);
    const names = new Set(docs.map((prop) => prop.name));
    for (const spec of ALL_SETTINGS) if (spec.prop) expect(names, spec.prop).toContain(spec.prop);
  });
});
