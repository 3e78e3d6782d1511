/**
 * The invocation's time budget. Every HTTP call gets a timeout clipped to the deadline minus the checkpoint
 * reserve, so a page can never eat the time the cursor write needs; the budget only decides whether a page is
 * worth starting.
 */
import type { Clock } from './ports.js';

export interface TimeBudget {
  /** A page (fetch + posts) is started only with at least this much time left before the reserve. */
  readonly minPageMs: number;
  /** Kept back at the end for the cursor write and the lease release. */
  readonly checkpointReserveMs: number;
  /** The lease lapses this long after the deadline if the invocation dies (at most 30 s). */
  readonly leaseMarginMs: number;
}

export const DEFAULT_TIME_BUDGET: TimeBudget = {
  minPageMs: 3000,
  checkpointReserveMs: 1500,
  leaseMarginMs: 10_000,
};

export class Deadline {
  /** Longest page seen in this run: a page is only started when as much time is left again. */
  private slowestPageMs = 0;
  /** Set on a view made by {@link until}. */
  private stopWhen: (() => boolean) | undefined;

  public constructor(
    private readonly clock: Clock,
    /** Epoch ms when the invocation is killed. */
    public readonly at: number,
    private readonly budget: TimeBudget,
  ) {}

  /** Milliseconds left before the deadline (never negative). */
  public remaining(): number {
    return Math.max(0, this.at - this.clock.now());
  }

  /** Milliseconds left for work, keeping the checkpoint reserve. */
  public workRemaining(): number {
    return Math.max(0, this.remaining() - this.budget.checkpointReserveMs);
  }

  /** Whether a new page fits: the longer of the configured minimum and the slowest page so far. */
  public allowsPage(): boolean {
    if (this.stopWhen?.() === true) return false;
    return this.workRemaining() >= Math.max(this.budget.minPageMs, this.slowestPageMs);
  }

  /** Whether a wait of `ms` still leaves room for a page afterwards. */
  public allowsWait(ms: number): boolean {
    return this.workRemaining() - ms >= this.budget.minPageMs;
  }

  public recordPage(durationMs: number): void {
    this.slowestPageMs = Math.max(this.slowestPageMs, durationMs);
  }

  /**
   * The same deadline, except that it refuses new pages once `stop()` says so: the run then checkpoints and ends
   * as it does when time runs out (the catch-up trigger ends the serial read this way).
   */
  public until(stop: () => boolean): Deadline {
    const view = new Deadline(this.clock, this.at, this.budget);
    view.slowestPageMs = this.slowestPageMs;
    view.stopWhen = stop;
    return view;
  }

  /** When the run lease lapses by itself: the deadline plus the margin, never "now" even if no time is left. */
  public leaseExpiry(): number {
    return Math.max(this.at, this.clock.now()) + this.budget.leaseMarginMs;
  }
}
