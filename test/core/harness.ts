/** Wires the core to its fakes for one test. */
import { collect, replay, type TickSummary } from '../../lambda/core/collect.js';
import { DEFAULT_RETRY_POLICY } from '../../lambda/core/retry.js';
import type { CollectorDeps, CollectorSettings } from '../../lambda/core/stream-runner.js';
import { Deadline, DEFAULT_TIME_BUDGET } from '../../lambda/core/time-budget.js';
import {
  CapturingLogger,
  FakeClock,
  FakeOktaSource,
  FakeSink,
  InMemoryCursorStore,
  makeEvent,
} from '../../dev/core-fakes.js';

export const PAGE_LIMIT = 10;

export function makeHarness(options: { pageLimit?: number; startTime?: string; sourceLimit?: number } = {}) {
  const clock = new FakeClock();
  const source = new FakeOktaSource(options.sourceLimit ?? options.pageLimit ?? PAGE_LIMIT);
  const sink = new FakeSink();
  const cursors = new InMemoryCursorStore();
  const logger = new CapturingLogger();
  const deps: CollectorDeps = { source, sink, cursors, clock, logger, random: () => 0.5 };
  const settings: CollectorSettings = {
    pageLimit: options.pageLimit ?? PAGE_LIMIT,
    startTime: options.startTime,
    retry: DEFAULT_RETRY_POLICY,
  };
  let invocation = 0;
  const deadlineIn = (ms: number) => new Deadline(clock, clock.now() + ms, DEFAULT_TIME_BUDGET);
  return {
    clock,
    source,
    sink,
    cursors,
    logger,
    deps,
    settings,
    /** Adds `count` events published one second apart, ending a minute ago. */
    produce(count: number): void {
      const first = source.events.length;
      for (let i = 0; i < count; i++)
        source.events.push(makeEvent(first + i, clock.now() - 60_000 - (count - i) * 1000));
    },
    tick(timeMs = 300_000, owner = `req-${++invocation}`): Promise<TickSummary> {
      return collect(deps, settings, { owner, deadline: deadlineIn(timeMs), rateLimitShare: 0.5 });
    },
    replay(request: unknown, timeMs = 300_000, owner = `req-${++invocation}`) {
      return replay(deps, settings, { owner, deadline: deadlineIn(timeMs), rateLimitShare: 0.5 }, request);
    },
  };
}
