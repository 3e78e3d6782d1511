/**
 * The Okta org's last seven days, as a brand-new deployment finds them: the collector starts 7 days back by
 * default, so its first ticks must drain this backlog without tripping Okta's rate limit.
 *
 * Traffic follows office hours (busier 13:00–23:00 UTC, quieter at weekends), a few events carry unusual text
 * (emoji, RTL, control characters, lone UTF-16 surrogates), three are large (Sumo splits messages over 64 KB;
 * one is over Sumo's 1 MB request limit on its own), and one hour holds a brute-force attack on two accounts,
 * which the demo later replays.
 */
import { seededRandom, type RandomSource } from '../../dev/faults.js';
import { createOktaEventGenerator, type OktaLogEvent } from '../../dev/okta-events.js';
import type { OktaSimulator } from '../../dev/okta-simulator.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface BacklogPlan {
  /** Ordinary events spread over the last 7 days. */
  readonly events: number;
  /** Failed sign-ins of the brute-force attack. */
  readonly attackAttempts: number;
  readonly seed: number;
}

export interface Backlog {
  readonly events: number;
  /** The hour that holds the attack: [start, start + 1 h). */
  readonly attackHour: { readonly since: string; readonly until: string };
  readonly attackedAccounts: readonly string[];
  readonly largeEventBytes: readonly number[];
}

/** Large events: Sumo splits messages over 64 KB; the last one is over 1 MB and must travel alone. */
const LARGE_EVENTS = [
  { bytes: 90_000, padding: 'ascii' },
  { bytes: 300_000, padding: 'multibyte' },
  { bytes: 1_100_000, padding: 'ascii' },
] as const;

/** An attacker's address (documentation range, RFC 5737). */
const ATTACKER_IP = '203.0.113.66';

/** Fills the simulated org with the backlog, persisted now, in `published` order. */
export function produceBacklog(okta: OktaSimulator, plan: BacklogPlan): Backlog {
  const rng = seededRandom(plan.seed);
  const generator = createOktaEventGenerator({ seed: plan.seed, unusualRate: 0.02, loneSurrogates: true });
  const now = okta.now();
  const oldest = now - 7 * DAY_MS + HOUR_MS; // inside the collector's default 7-day start

  const events: { publishedMs: number; json: string }[] = [];
  for (const publishedMs of officeHoursTimes(rng, plan.events, oldest, now - 5 * 60_000)) {
    events.push({ publishedMs, json: generator.nextJson({ published: publishedMs }).json });
  }
  LARGE_EVENTS.forEach(({ bytes, padding }, i) => {
    const publishedMs = oldest + (i + 1) * DAY_MS + Math.floor(rng() * HOUR_MS);
    events.push({ publishedMs, json: generator.nextJson({ published: publishedMs, bytes, padding }).json });
  });

  const attackStart = Math.floor((now - 2 * DAY_MS) / HOUR_MS) * HOUR_MS;
  const victims = [generator.next(), generator.next()].map((e) => e.actor);
  for (let i = 0; i < plan.attackAttempts; i += 1) {
    // Ten to forty-five minutes into the hour, so the replayed hour holds the whole attack.
    const publishedMs = attackStart + 10 * 60_000 + Math.floor((i / plan.attackAttempts) * 35 * 60_000);
    const event = generator.next({ published: publishedMs, eventType: 'user.session.start' });
    events.push({ publishedMs, json: JSON.stringify(failedSignIn(event, victims[i % 2]!)) });
  }

  events.sort((a, b) => a.publishedMs - b.publishedMs);
  okta.produce(events.map((e) => e.json));
  return {
    events: events.length,
    attackHour: {
      since: new Date(attackStart).toISOString(),
      until: new Date(attackStart + HOUR_MS).toISOString(),
    },
    attackedAccounts: victims.map((v) => v.alternateId ?? v.id),
    largeEventBytes: LARGE_EVENTS.map((e) => e.bytes),
  };
}

/** `count` sorted instants in [from, to), denser in office hours and on weekdays. */
function officeHoursTimes(rng: RandomSource, count: number, from: number, to: number): number[] {
  const times: number[] = [];
  while (times.length < count) {
    const at = from + Math.floor(rng() * (to - from));
    const date = new Date(at);
    const office = date.getUTCHours() >= 13 && date.getUTCHours() < 23 ? 1 : 0.2;
    const weekday = date.getUTCDay() === 0 || date.getUTCDay() === 6 ? 0.4 : 1;
    if (rng() < office * weekday) times.push(at); // rejection sampling: keep in proportion to the weight
  }
  return times.sort((a, b) => a - b);
}

/** A sign-in that failed: the same account, from the attacker's address, with a wrong password. */
function failedSignIn(event: OktaLogEvent, victim: OktaLogEvent['actor']): OktaLogEvent {
  return {
    ...event,
    actor: victim,
    client: { ...event.client, ipAddress: ATTACKER_IP },
    authenticationContext: { ...event.authenticationContext, externalSessionId: null },
    outcome: { result: 'FAILURE', reason: 'INVALID_CREDENTIALS' },
    severity: 'WARN',
    legacyEventType: 'core.user_auth.login_failed',
  };
}
