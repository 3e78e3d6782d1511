/**
 * The Okta System Log simulator in its own process: its CPU (serving 2 MB pages) is then not counted as the
 * collector's, and on a 2-core machine it gets a core of its own while the collector works.
 */
import { serve } from './ipc.js';
import { startOktaSimulator } from '../../dev/okta-simulator.js';
import {
  createOktaEventGenerator,
  padEventTo,
  type LargeEventOptions,
  type OktaEventGenerator,
  type OktaLogEvent,
} from '../../dev/okta-events.js';
import { API_TOKEN } from '../../dev/local-stack.js';

export interface ProduceArgs {
  readonly count: number;
  /** Mix large events in (e.g. 100 KB+), as Okta serves now and then. */
  readonly large?: LargeEventOptions;
  /** Also one event of exactly this many bytes, in the middle (e.g. > 1 MB). */
  readonly hugeBytes?: number;
  /** Every event exactly this many bytes (e.g. 2,990 so that a 1,000-event page makes 3 Sumo batches). */
  readonly eventBytes?: number;
}

/** What a realistic event can lose, in this order, when it must fit a small size. */
const SHEDDABLE: ((event: OktaLogEvent) => void)[] = [
  (e) => void (e.target = null),
  (e) => void (e.debugContext.debugData = {}),
  (e) => void (e.request.ipChain = []),
  (e) => void (e.client.userAgent = null),
  (e) => void (e.client.geographicalContext = null),
  (e) => void (e.transaction.detail = {}),
  (e) => void (e.device = null),
  (e) => void (e.actor.detailEntry = null),
  (e) => void (e.displayMessage = null),
  (e) => void (e.client = { ...e.client, zone: null, device: null, id: null }),
  (e) => void (e.securityContext = { asNumber: null, asOrg: null, isp: null, domain: null, isProxy: null }),
];

/** A generated event, shedding optional parts until it fits (or the next one), padded to exactly `bytes`. */
function sizedEvent(generator: OktaEventGenerator, published: number, bytes: number): string {
  for (let tries = 0; tries < 100; tries++) {
    const event = generator.next({ published });
    // The padding field itself (`"padding":""` and a comma) must fit too.
    const fits = (): boolean => Buffer.byteLength(JSON.stringify(event)) + 16 <= bytes;
    for (const shed of SHEDDABLE) {
      if (fits()) break;
      shed(event);
    }
    if (fits()) return JSON.stringify(padEventTo(event, bytes));
  }
  throw new RangeError(`no generated event fits in ${bytes} bytes`);
}

const okta = await startOktaSimulator({ apiToken: API_TOKEN, seed: 7 });
let largeSeed = 1000;

serve({
  info: () => ({ orgUrl: okta.orgUrl, token: API_TOKEN }),
  now: () => okta.now(),
  produce: (args: ProduceArgs) => {
    if (args.eventBytes !== undefined) {
      const generator = createOktaEventGenerator({ seed: largeSeed++ });
      const now = okta.now();
      const texts = Array.from({ length: args.count }, (_, i) =>
        sizedEvent(generator, now - (args.count - i), args.eventBytes!),
      );
      okta.produce(texts);
      return { events: texts.length, bytes: args.count * args.eventBytes };
    }
    if (args.large === undefined && args.hugeBytes === undefined) {
      const events = okta.produce(args.count);
      return { events: events.length, bytes: events.reduce((sum, e) => sum + e.json.length, 0) };
    }
    // Large events come from a second generator (the simulator's own has fixed options); their `published`
    // must be recent, or the simulator's 90-day retention would hide them.
    const generator = createOktaEventGenerator({
      seed: largeSeed++,
      ...(args.large ? { large: args.large } : {}),
    });
    const now = okta.now();
    const texts: string[] = [];
    for (let i = 0; i < args.count; i++) {
      const published = now - (args.count - i);
      const huge = args.hugeBytes !== undefined && i === Math.floor(args.count / 2);
      texts.push(generator.nextJson({ published, ...(huge ? { bytes: args.hugeBytes } : {}) }).json);
    }
    okta.produce(texts);
    return { events: texts.length, bytes: texts.reduce((sum, t) => sum + Buffer.byteLength(t), 0) };
  },
  /** Every request waits this long before its page is read (0 = none): Okta's own answer time. */
  setLatency: (ms: number) => {
    okta.setFaults(ms > 0 ? { probability: 1, pool: [{ kind: 'slow', delayMs: ms }] } : {});
    return true;
  },
  counters: () => ({ ...okta.counters }),
});
