/**
 * The long randomized reliability run: many random scenarios through the real handler (child processes, killed
 * at random points) and the local stand-ins, with Okta and Sumo faults, crashes and overlapping ticks. Prints
 * each scenario and the totals: events produced, faults by kind, crashes, events lost (must be 0), duplicates
 * against their bound (one page per failure), broken promises, and the seed to reproduce the run.
 *
 *   npm run soak -- --seed 42 --count 200
 *   npm run soak -- --seed 42 --only 17        (re-run scenario 17 of that run, with its plan printed)
 *
 * Exits 1 when any scenario broke a promise.
 */
import { parseArgs } from 'node:util';
import { brokenPromises, runScenario, type ScenarioResult } from '../dev/reliability/handler-scenario.js';
import { randomPlan, scenarioSeed } from './soak/plan.js';
import { SoakTotals } from './soak/totals.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    count: { type: 'string', default: '50' },
    only: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});
const seed = Number(values.seed);
const count = Number(values.count);
if (!Number.isInteger(seed) || !Number.isInteger(count) || count < 1) {
  console.error(
    'usage: npm run soak -- [--seed <integer>] [--count <scenarios>] [--only <index>] [--verbose]',
  );
  process.exit(2);
}
const indexes =
  values.only === undefined ? Array.from({ length: count }, (_, i) => i) : [Number(values.only)];

const totals = new SoakTotals();
const startedAt = Date.now();
console.log(`soak: seed ${seed}, ${indexes.length} scenario(s)`);
for (const index of indexes) {
  const plan = randomPlan(scenarioSeed(seed, index));
  if (values.verbose || values.only !== undefined) console.log(JSON.stringify(plan, null, 2));
  const began = Date.now();
  let result: ScenarioResult;
  try {
    result = await runScenario(plan, { seed: scenarioSeed(seed, index) });
  } catch (error) {
    totals.crashedHarness(index, error);
    console.log(
      `#${String(index).padStart(4)}  the soak harness failed: ${error instanceof Error ? error.stack : String(error)}`,
    );
    continue;
  }
  const broken = brokenPromises(result);
  totals.add(index, plan, result, broken);
  console.log(
    `#${String(index).padStart(4)}  page ${String(plan.pageLimit).padStart(3)} ${plan.oauth ? 'oauth' : 'token'} ${plan.linkStyle.padEnd(8)} ` +
      `steps ${plan.steps.length}  events ${String(result.produced).padStart(4)}  faults ${String(Object.values(result.faults).reduce((a, b) => a + b, 0)).padStart(3)}  ` +
      `crashes ${result.crashes}  invocations ${String(result.invocations).padStart(2)}  lost ${result.lost.length}  ` +
      `dups ${result.duplicates}/${result.duplicateBound}  ${((Date.now() - began) / 1000).toFixed(1)} s  ${broken.length === 0 ? 'ok' : `BROKEN: ${broken.join('; ')}`}`,
  );
}
console.log('');
console.log(totals.report(seed, Date.now() - startedAt));
process.exit(totals.ok ? 0 : 1);
