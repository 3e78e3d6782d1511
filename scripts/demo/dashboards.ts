/**
 * A taste of the Sumo Logic App for Okta, computed from what the Sumo receiver got: each line parsed as JSON,
 * as the App's queries do with `json field=_raw "eventType"` and friends. If these panels come out right, the
 * raw events reached Sumo whole, one per message.
 */
import type { SumoReceiver } from '../../dev/sumo-receiver.js';
import { count, tallyUp, top } from './format.js';

interface ParsedEvent {
  readonly eventType?: string;
  readonly outcome?: { readonly result?: string; readonly reason?: string | null } | null;
  readonly actor?: { readonly alternateId?: string | null; readonly displayName?: string | null } | null;
}

const PANEL_WIDTH = 20;
const panel = (title: string, text: string): string => `  ${title.padEnd(PANEL_WIDTH)}${text}`;

export function dashboardLines(sumo: SumoReceiver): string[] {
  const events = distinctEvents(sumo);
  const types = new Map<string, number>();
  const failedBy = new Map<string, number>();
  const failedReasons = new Map<string, number>();
  const mfa = new Map<string, number>();
  const adminConsole = new Map<string, number>();
  const system = new Map<string, number>();
  const policy = new Map<string, number>();
  const threats = new Map<string, number>();
  let failedSignIns = 0;

  for (const event of events) {
    const type = event.eventType ?? '(none)';
    const result = event.outcome?.result ?? 'UNKNOWN';
    const who = event.actor?.alternateId ?? '(unknown)';
    tallyUp(types, type);
    if (type === 'user.session.start' && result === 'FAILURE') {
      failedSignIns += 1;
      tallyUp(failedBy, who);
      tallyUp(failedReasons, event.outcome?.reason ?? '(none)');
    }
    if (type === 'user.authentication.auth_via_mfa')
      tallyUp(mfa, result === 'FAILURE' ? 'failed' : 'verified');
    if (type === 'user.mfa.factor.activate') tallyUp(mfa, 'enrolled');
    if (type === 'user.mfa.factor.deactivate') tallyUp(mfa, 'reset');
    if (type === 'user.session.access_admin_app') tallyUp(adminConsole, who);
    if (type.startsWith('system.')) tallyUp(system, type);
    if (type.startsWith('policy.')) tallyUp(policy, result);
    if (type.startsWith('security.')) tallyUp(threats, type);
  }

  const adminSignIns = [...adminConsole.values()].reduce((a, b) => a + b, 0);
  return [
    `What the Sumo App for Okta would chart (${count(events.length)} distinct events, parsed like json field=_raw)`,
    panel('top event types', top(types, 3)),
    panel('', top(types, 6, 3)),
    panel('failed sign-ins', `${count(failedSignIns)}; most by user: ${top(failedBy, 3)}`),
    panel('', `reasons: ${top(failedReasons, 4)}`),
    panel('MFA factors', top(mfa, 4)),
    panel(
      'admin console',
      `${count(adminSignIns)} sign-ins by ${count(adminConsole.size)} admins; top: ${top(adminConsole, 2)}`,
    ),
    panel('system changes', top(system, 3)),
    panel('sign-on policy', top(policy, 3)),
    panel('threats', top(threats, 2)),
  ];
}

/** One parsed object per uuid, so the duplicates at-least-once delivery allows do not inflate the panels. */
function distinctEvents(sumo: SumoReceiver): ParsedEvent[] {
  const seen = new Set<string>();
  const out: ParsedEvent[] = [];
  for (const { line, uuid } of sumo.lines) {
    if (uuid === undefined || seen.has(uuid)) continue;
    seen.add(uuid);
    out.push(JSON.parse(line) as ParsedEvent);
  }
  return out;
}
