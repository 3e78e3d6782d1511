/** The soak run's figures, added up scenario by scenario, and the final report. */
import type { ScenarioPlan, ScenarioResult } from '../../dev/reliability/handler-scenario.js';

export class SoakTotals {
  private scenarios = 0;
  private produced = 0;
  private delivered = 0;
  private lost = 0;
  private mismatched = 0;
  private duplicates = 0;
  private duplicateBound = 0;
  private worstDuplicateShare = 0;
  private crashes = 0;
  private invocations = 0;
  private tickErrors = 0;
  private oauthScenarios = 0;
  private cursorViolations = 0;
  private undeliverable = 0;
  private refusingScenarios = 0;
  private readonly faults = new Map<string, number>();
  private readonly errors = new Map<string, number>();
  private readonly broken: string[] = [];
  private readonly harnessFailures: string[] = [];

  public get ok(): boolean {
    return this.broken.length === 0 && this.harnessFailures.length === 0;
  }

  public add(index: number, plan: ScenarioPlan, result: ScenarioResult, broken: readonly string[]): void {
    this.scenarios += 1;
    this.produced += result.produced;
    this.delivered += result.delivered;
    this.lost += result.lost.length;
    this.mismatched += result.mismatched;
    this.duplicates += result.duplicates;
    this.duplicateBound += result.duplicateBound;
    if (result.duplicateBound > 0)
      this.worstDuplicateShare = Math.max(
        this.worstDuplicateShare,
        result.duplicates / result.duplicateBound,
      );
    this.crashes += result.crashes;
    this.invocations += result.invocations;
    this.tickErrors += result.tickErrors.length;
    for (const error of result.tickErrors) this.errors.set(error, (this.errors.get(error) ?? 0) + 1);
    this.cursorViolations += result.cursorViolations.length;
    this.undeliverable += result.undeliverable;
    if (plan.refusal) this.refusingScenarios += 1;
    if (plan.oauth) this.oauthScenarios += 1;
    for (const [kind, n] of Object.entries(result.faults))
      this.faults.set(kind, (this.faults.get(kind) ?? 0) + n);
    for (const problem of broken) this.broken.push(`scenario ${index}: ${problem}`);
  }

  public crashedHarness(index: number, error: unknown): void {
    this.harnessFailures.push(`scenario ${index}: ${error instanceof Error ? error.message : String(error)}`);
  }

  public report(seed: number, elapsedMs: number): string {
    const faultTotal = [...this.faults.values()].reduce((a, b) => a + b, 0);
    const byKind = [...this.faults.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([kind, n]) => `    ${kind.padEnd(28)} ${n}`);
    const lines = [
      `soak seed ${seed}: ${this.scenarios} scenarios in ${(elapsedMs / 60_000).toFixed(1)} min (${this.oauthScenarios} with an OAuth service app)`,
      `  events produced            ${this.produced}`,
      `  events delivered (distinct) ${this.delivered}`,
      `  events lost                ${this.lost}`,
      `  undeliverable (in bucket)  ${this.undeliverable} (${this.refusingScenarios} scenarios with a Sumo refusing 413/400)`,
      `  events changed on the way  ${this.mismatched}`,
      `  handler invocations        ${this.invocations} (${this.tickErrors} ended in an error after retries)`,
      ...[...this.errors.entries()].map(([error, n]) => `    ${n} x ${error}`),
      `  crashes (SIGKILL mid-run)  ${this.crashes}`,
      `  faults injected            ${faultTotal}`,
      ...byKind,
      `  duplicates observed        ${this.duplicates} (bound: ${this.duplicateBound} = page limit x failures; worst scenario at ${(this.worstDuplicateShare * 100).toFixed(0)} % of its bound)`,
      `  cursor ahead of Sumo       ${this.cursorViolations}`,
      `  broken promises            ${this.broken.length}`,
      ...this.broken.map((b) => `    ${b}`),
      ...this.harnessFailures.map((f) => `  harness failure: ${f}`),
      `  reproduce: npm run soak -- --seed ${seed} --count ${this.scenarios}`,
    ];
    return lines.join('\n');
  }
}
