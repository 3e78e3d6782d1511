/**
 * The EventBridge schedule, sped up: it invokes the handler with `{}` every few seconds instead of every
 * minute, and prints one line per tick. A tick that overruns its slot delays the next one (in AWS the next
 * tick would start anyway and find the lease held: one collector works at a time either way).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { TickSummary } from '../../lambda/core/collect.js';
import type { OktaSimulator } from '../../dev/okta-simulator.js';
import { count, lag, seconds } from './format.js';
import type { LambdaInvoker } from './lambda-invoker.js';

export class Schedule {
  /** Events the collector reported delivered, over every tick. */
  public delivered = 0;
  /** Messages of invocations that threw. */
  public readonly failures: string[] = [];
  private ticks = 0;

  public constructor(
    private readonly invoker: LambdaInvoker,
    private readonly okta: OktaSimulator,
    private readonly everyMs: number,
    private readonly print: (line: string) => void,
  ) {}

  /** Ticks on schedule while `keepGoing()` says so. */
  public async runWhile(keepGoing: () => boolean): Promise<void> {
    while (keepGoing()) await this.tickInSlot();
  }

  /** Ticks until a tick ends caught up and `complete()` holds; false if `maxTicks` were not enough. */
  public async runUntilCaughtUp(complete: () => boolean, maxTicks: number): Promise<boolean> {
    for (let i = 0; i < maxTicks; i += 1) {
      const summary = await this.tickInSlot();
      if (summary?.stopReason === 'caught-up' && complete()) return true;
    }
    return false;
  }

  private async tickInSlot(): Promise<TickSummary | undefined> {
    const slotEnds = Date.now() + this.everyMs;
    const summary = await this.tick();
    await sleep(Math.max(0, slotEnds - Date.now()));
    return summary;
  }

  private async tick(): Promise<TickSummary | undefined> {
    this.ticks += 1;
    const outcome = await this.invoker.invoke<TickSummary>({});
    const label = `  tick ${String(this.ticks).padStart(2)}`;
    if (!outcome.ok) {
      this.failures.push(outcome.error);
      this.print(`${label}  FAILED after ${seconds(outcome.ms)}: ${outcome.error}`);
      return undefined;
    }
    const summary = outcome.result;
    const events = summary.events + summary.replays.reduce((sum, r) => sum + r.events, 0);
    this.delivered += events;
    const budget = this.okta.rateLimitState();
    this.print(
      [
        label,
        `+${count(events)} events`.padStart(14),
        `(${count(this.delivered)} delivered)`.padEnd(18),
        `${summary.pages} page${summary.pages === 1 ? '' : 's'}`.padEnd(8),
        `lag ${lag(summary.lagSeconds)}`.padEnd(9),
        summary.stopReason.padEnd(11),
        seconds(outcome.ms).padStart(5),
        `Okta bucket ${budget.remaining}/${budget.limit} left`,
      ].join('  '),
    );
    return summary;
  }
}
