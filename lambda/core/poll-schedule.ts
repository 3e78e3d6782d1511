/**
 * Opt-in low latency (`OKTA_POLL_INTERVAL_SECONDS`): EventBridge cannot tick more often than once a minute, so
 * a tick whose live stream is caught up keeps its lease and polls Okta again every interval, until shortly
 * before the next scheduled tick would start. The lease then goes back, and the next tick takes over.
 */
import type { Clock, LogPage, PageRequest } from './ports.js';
import type { Deadline } from './time-budget.js';

export interface PollSettings {
  /** `OKTA_POLL_INTERVAL_SECONDS` (5–55); `undefined`: a caught-up tick returns at once. */
  readonly intervalSeconds: number | undefined;
  /** `SCHEDULE_PERIOD_SECONDS`: when the next tick starts, counted from this one's start. */
  readonly periodSeconds: number;
}

/**
 * No poll starts later than this before the next tick: the poll (one Okta request, the posts, one cursor
 * write) and the lease release must be done when the next tick tries to take the lease, or that tick finds it
 * held and returns without collecting.
 */
export const POLL_STOP_MARGIN_MS = 5000;

/** What the stream runner asks when its live stream is caught up. */
export interface PollHook {
  /**
   * Waits until the next poll is due and resolves `true`, or resolves `false` at once when polling is over (off,
   * the next tick is near, or the time budget would not hold another page after the wait).
   * @param lastSentAt when the request of the page that was just caught up was sent.
   */
  waitForNextPoll(lastSentAt: number): Promise<boolean>;
}

/** The polling plan of one scheduled tick. */
export class PollSchedule implements PollHook {
  /** Polls made after the stream was first caught up. */
  public polls = 0;
  private readonly stopAt: number;

  public constructor(
    private readonly settings: PollSettings,
    private readonly clock: Clock,
    private readonly deadline: Deadline,
    /** When the tick started (epoch ms): the next tick starts one period later. */
    startedAt: number,
  ) {
    this.stopAt = startedAt + settings.periodSeconds * 1000 - POLL_STOP_MARGIN_MS;
  }

  /** Milliseconds to wait before the next poll, or `undefined` when there is none (see {@link waitForNextPoll}). */
  public delayBeforeNextPoll(lastSentAt: number): number | undefined {
    if (this.settings.intervalSeconds === undefined) return undefined;
    const now = this.clock.now();
    const at = Math.max(now, lastSentAt + this.settings.intervalSeconds * 1000);
    if (at > this.stopAt) return undefined;
    const delay = at - now;
    return this.deadline.allowsWait(delay) ? delay : undefined;
  }

  public async waitForNextPoll(lastSentAt: number): Promise<boolean> {
    const delay = this.delayBeforeNextPoll(lastSentAt);
    if (delay === undefined) return false;
    if (delay > 0) await this.clock.sleep(delay);
    this.polls += 1;
    return true;
  }
}

/**
 * A poll that found nothing: no events and Okta's `next` is the position asked for. Its checkpoint would write
 * the same cursor again, so it is skipped: an idle poll costs one Okta request and no DynamoDB write.
 */
export function isIdlePoll(request: PageRequest, page: LogPage): boolean {
  return page.events.length === 0 && 'next' in request && request.next === page.next;
}
