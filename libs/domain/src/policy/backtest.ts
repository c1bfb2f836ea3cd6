/**
 * `policy backtest`: what a different version of a pack would have proposed for the same history.
 * A child's stream is replayed twice, once under each pack: the facts are decided afresh, and what
 * people and the other services recorded (managers' actions, checklists, escalations, siblings'
 * proposals) is folded in as it happened. Nothing is written; the caller reads the streams.
 */
import type { LocalDate } from '../calendar/local-date';
import { initialChildState, type ChildState, type ChildStreamEvent } from '../child/child-state';
import { evolve, evolveFact } from '../child/evolve';
import { inCausalOrder } from '../child/causal-order';
import type { CaseEvent } from '../events/case-events';
import type { Decision, DecisionDataByType } from '../events/decision-events';
import { decideLifecycleFact } from '../transfer/lifecycle';
import { decide, type CompiledPack } from './engine';

export interface ProposalSummary {
  triggerEventId: string;
  triggerType: string;
  occurredOn: LocalDate;
  ruleId: string;
  fromTeam: string;
  toTeam: string;
  dueBy: LocalDate | null;
}

export interface ChildDifference {
  childId: string;
  added: ProposalSummary[];
  removed: ProposalSummary[];
  changed: { from: ProposalSummary; to: ProposalSummary; what: ('team' | 'due date' | 'rule')[] }[];
}

/** Decisions allocation derives from a fact of the same stream: a replay derives them again. */
const DERIVED_FROM_FACTS = new Set<Decision['type']>(['TransferProposed', 'TransferRescheduled', 'TransferAccepted', 'TransferCompleted', 'TransferDisputed']);

export function replayProposals(stream: readonly ChildStreamEvent[], compiled: CompiledPack, identity: { authority: string; childId: string }): ProposalSummary[] {
  const causal = inCausalOrder(stream);
  const facts = new Set(causal.flatMap((e) => (e.kind === 'fact' ? [e.fact.eventId] : [])));
  const proposals: ProposalSummary[] = [];
  let state: ChildState = initialChildState(identity.authority, identity.childId);
  const judge = (trigger: CaseEvent) => {
    const after = evolveFact(state, trigger);
    const decisions = [...decideLifecycleFact(after, trigger), ...decide(state, trigger, compiled)];
    state = after;
    for (const decision of decisions) {
      state = evolve(state, { kind: 'decision', eventId: `replay-${trigger.eventId}`, decidedAt: trigger.occurredAt, causationId: trigger.eventId, decision });
      if (decision.type === 'TransferProposed') proposals.push(summary(decision.data));
    }
  };
  for (const entry of causal) {
    if (entry.kind === 'fact') {
      judge(entry.fact);
    } else if (entry.decision.type === 'BirthdayApproaching') {
      // Computed from the date of birth: to the rules, the same as the case-management system's.
      const { ageYears, on, warnAhead } = entry.decision.data;
      if (warnAhead || state.milestonesAnnounced.includes(ageYears)) continue;
      judge({ eventId: entry.eventId, type: 'BirthdayApproaching', authority: identity.authority, childId: identity.childId, occurredAt: entry.decidedAt, source: 'case-transfer-orchestration', data: { ageYears, on } });
    } else if (!(facts.has(entry.causationId) && DERIVED_FROM_FACTS.has(entry.decision.type))) {
      state = evolve(state, entry);
    }
  }
  return proposals;
}

const summary = (p: DecisionDataByType['TransferProposed']): ProposalSummary => ({
  triggerEventId: p.trigger.eventId,
  triggerType: p.trigger.type,
  occurredOn: p.trigger.occurredOn,
  ruleId: p.ruleId,
  fromTeam: p.fromTeam,
  toTeam: p.toTeam,
  dueBy: p.dueBy,
});

/** The proposals that differ between two packs for one child, matched by the fact that triggered them. */
export function backtestChild(
  stream: readonly ChildStreamEvent[],
  from: CompiledPack,
  to: CompiledPack,
  identity: { authority: string; childId: string },
): ChildDifference {
  const before = replayProposals(stream, from, identity);
  const after = replayProposals(stream, to, identity);
  const key = (p: ProposalSummary) => `${p.triggerEventId}|${p.fromTeam}`;
  const afterByKey = new Map(after.map((p) => [key(p), p]));
  const beforeKeys = new Set(before.map(key));
  const changed: ChildDifference['changed'] = [];
  const removed: ProposalSummary[] = [];
  for (const p of before) {
    const q = afterByKey.get(key(p));
    if (!q) {
      removed.push(p);
      continue;
    }
    const what = [
      ...(p.toTeam !== q.toTeam ? (['team'] as const) : []),
      ...(p.dueBy !== q.dueBy ? (['due date'] as const) : []),
      ...(p.ruleId !== q.ruleId ? (['rule'] as const) : []),
    ];
    if (what.length) changed.push({ from: p, to: q, what });
  }
  return { childId: identity.childId, added: after.filter((q) => !beforeKeys.has(key(q))), removed, changed };
}
