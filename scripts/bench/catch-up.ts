/**
 * Catch-up under Okta's rate limit on a simulated clock (./rate-limit-sim.ts: the real core and Okta adapter,
 * wired by the composition root), with the collector's CPU per page measured on this machine scaled to 256 MB.
 */
import { MB_PER_VCPU } from './cgroup.js';
import {
  defaultScenario,
  simulateCatchUp,
  type SimScenario as Scenario,
  type SimResult,
} from './rate-limit-sim.js';

/** The collector's CPU in simulated time: on the fetch path (parse) and on the delivery path, at 256 MB. */
export interface SimulatedCpu {
  readonly cpuParseMs: number;
  readonly cpuDeliverMs: number;
}

export function simulatedCpu(parseMs: number, pageMs: number): SimulatedCpu {
  const share = 256 / MB_PER_VCPU;
  return { cpuParseMs: parseMs / share, cpuDeliverMs: Math.max(0, pageMs - parseMs) / share };
}

/** The scenarios: the first two carry the goal (≥ 95 % of the share bound, no 429 of ours). */
export function catchUpScenarios(cpu: SimulatedCpu, backlog: number, all: boolean): Scenario[] {
  const goals = [
    defaultScenario({
      name: 'default: limit 120, share 0.5, Okta 300–1500 ms',
      backlogEvents: 3e6 * backlog,
      ...cpu,
    }),
    defaultScenario({
      name: '+ another integration using 40 % of the bucket',
      backlogEvents: 3e6 * backlog,
      otherConsumerShare: 0.4,
      ...cpu,
    }),
  ];
  if (!all) return goals;
  return [
    ...goals,
    defaultScenario({
      name: 'fast Okta (100–400 ms): pacing-bound',
      backlogEvents: 2e6 * backlog,
      oktaLatencyMs: [100, 400],
      ...cpu,
    }),
    defaultScenario({
      name: 'slow Okta (1–3 s): latency-bound',
      backlogEvents: 1e6 * backlog,
      oktaLatencyMs: [1000, 3000],
      ...cpu,
    }),
    defaultScenario({
      name: 'what if: 512 MB (CPU time halved)',
      backlogEvents: 1.5e6 * backlog,
      cpuParseMs: cpu.cpuParseMs / 2,
      cpuDeliverMs: cpu.cpuDeliverMs / 2,
    }),
  ];
}

export async function runCatchUp(
  scenarios: readonly Scenario[],
  log: (line: string) => void,
): Promise<SimResult[]> {
  const results: SimResult[] = [];
  for (const scenario of scenarios) {
    log(`rate-limit simulation: ${scenario.name}, backlog ${Math.round(scenario.backlogEvents)} events`);
    results.push(await simulateCatchUp(scenario));
  }
  return results;
}
