/**
 * Every runtime setting, in one list: `loadConfig` reads them, the construct writes them, the app reads their
 * context keys, and the README's configuration reference is checked against them.
 */
import { OKTA_SETTINGS } from './okta-settings.js';
import { RUN_SETTINGS } from './run-settings.js';
import type { AnySetting } from './setting.js';
import { SUMO_SETTINGS } from './sumo-settings.js';

export { OKTA_SETTINGS, RUN_SETTINGS, SUMO_SETTINGS };

/** All settings, in the order the reference lists them. */
export const ALL_SETTINGS: readonly AnySetting[] = [
  ...Object.values(OKTA_SETTINGS),
  ...Object.values(SUMO_SETTINGS),
  ...Object.values(RUN_SETTINGS),
];

/** The setting behind a context key, if any. */
export function settingForContextKey(key: string): AnySetting | undefined {
  return ALL_SETTINGS.find((spec) => spec.context === key);
}
