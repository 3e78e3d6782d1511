/**
 * Refused batches in reliability scenarios (interface 9): poison events a refusing Sumo answers 400 to, and
 * what the undeliverable bucket holds, so "nothing lost" reads "every event in Sumo or in the bucket".
 */
import { UNDELIVERABLE_BUCKET_NAME, type LocalStack } from '../local-stack.js';
import { createOktaEventGenerator } from '../okta-events.js';
import type { SumoRefusalRules } from '../sumo-refusal.js';

/** The marker a refusing Sumo answers 400 to, in a poison event's `displayMessage`. */
export const POISON_MARKER = 'reliability-poison-event';

/** A Sumo that refuses: bodies over `maxBytes` get 413, and each step adds `poisonPerStep` poison events. */
export interface RefusalPlan {
  readonly maxBytes: number;
  readonly poisonPerStep: number;
}

export function refusalRules(plan: RefusalPlan): SumoRefusalRules {
  return { maxBytes: plan.maxBytes, poisonMarker: POISON_MARKER };
}

/** Produces `count` poison events (unique uuids `poison-<seed>-<n>`); returns their uuids. */
export function producePoison(stack: LocalStack, count: number, seed: number): string[] {
  const generator = createOktaEventGenerator({ seed, startTime: Date.now() - 60_000 });
  const first = stack.okta.events.length;
  const events = Array.from({ length: count }, (_, i) => ({
    ...generator.next(),
    uuid: `poison-${seed}-${first + i}`,
    displayMessage: `User login ${POISON_MARKER}`,
  }));
  if (events.length > 0) stack.okta.produce(events);
  return events.map((event) => event.uuid);
}

/** uuids of the events in the stack's undeliverable bucket (keys `<stream>/<day>/<uuid>.ndjson`). */
export function bucketUuids(stack: LocalStack): Set<string> {
  return new Set(
    stack.s3
      .objects(UNDELIVERABLE_BUCKET_NAME)
      .map((object) => /\/([^/]+)\.ndjson$/.exec(object.key)?.[1])
      .filter((uuid): uuid is string => uuid !== undefined),
  );
}
