/**
 * The Okta System Log simulator: its parts live in `dev/okta/` (start with `dev/okta/simulator.ts`); this file
 * keeps the one import path that tests, scripts and benchmarks use.
 */
export { startOktaSimulator } from './okta/simulator.js';
export { compileOktaFilter, type EventPredicate } from './okta/filter.js';
export type { OktaFault, OktaFaultKind } from './okta/faults.js';
export type { RateLimitAlignment } from './okta/rate-limit-bucket.js';
export type {
  LinkStyle,
  OktaHookResponse,
  OktaOAuthHook,
  OktaRequestRecord,
  OktaSimulator,
  OktaSimulatorCounters,
  OktaSimulatorOptions,
  OktaSimulatorSettings,
  ProduceOptions,
  ProducibleEvent,
  StoredOktaEvent,
} from './okta/types.js';
