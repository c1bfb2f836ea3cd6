/**
 * Checklists as a reconciliation: every transfer going ahead has its pack's checklist, and every
 * item the case-management system reported done (ChecklistItemCompleted) is met — whichever was
 * recorded first. An item reported before its transfer was proposed (the conference recorded late)
 * is met as soon as the checklist opens, instead of being lost as "no such checklist".
 */
import { initialChildState, type ChildState, type ChildStreamEvent } from '../child/child-state';
import { evolve } from '../child/evolve';
import { inCausalOrder } from '../child/causal-order';
import type { Decision } from '../events/decision-events';
import type { CompiledPack } from '../policy/engine';
import { meetChecklistItem, openChecklist, type ProposalContext } from '../transfer/checklists';
import {
  appendToHistory,
  emptyHistory,
  identityOf,
  recordedIdentities,
  type ChildHistory,
  type Decider,
  type PendingDecision,
  type Reconcile,
} from './decider';

export function reconcileChecklists(history: ChildHistory, compiled: CompiledPack, now: string): PendingDecision[] {
  const causal = inCausalOrder(history.entries);
  const recorded = recordedIdentities(history.entries);
  const proposals = causal.flatMap((e) => (e.kind === 'decision' && e.decision.type === 'TransferProposed' ? [{ eventId: e.eventId, data: e.decision.data }] : []));
  // The child as each proposal's rule saw it: what a conditional item's `when` is judged against.
  const triggers = new Set(proposals.map((p) => p.data.trigger.eventId));
  const contexts = new Map<string, ProposalContext>();
  let state: ChildState = initialChildState(history.authority, history.childId);
  for (const entry of causal) {
    if (entry.kind === 'fact' && triggers.has(entry.fact.eventId)) contexts.set(entry.fact.eventId, { before: state, fact: entry.fact });
    state = evolve(state, entry);
  }

  const pending: PendingDecision[] = [];
  const make = (decisions: Decision[], causationId: string) => {
    for (const decision of decisions) {
      const identity = identityOf(decision, causationId);
      if (recorded.has(identity)) continue;
      recorded.add(identity);
      pending.push({ decision, causationId, identity });
      state = evolve(state, { kind: 'decision', eventId: `pending:${identity}`, decidedAt: now, causationId, decision });
    }
  };
  for (const proposal of proposals) {
    const { transferId, trigger } = proposal.data;
    const transfer = state.transfers.find((t) => t.transferId === transferId);
    // A transfer called off before its checklist opened needs none.
    if (!transfer || transfer.status === 'rejected' || transfer.status === 'withdrawn') continue;
    make(openChecklist(state, transferId, compiled, contexts.get(trigger.eventId)), proposal.eventId);
  }
  for (const entry of causal) {
    if (entry.kind !== 'fact' || entry.fact.type !== 'ChecklistItemCompleted') continue;
    const { transferId, itemId } = entry.fact.data;
    const outcome = meetChecklistItem(state, transferId, itemId, compiled);
    // An item no checklist of this child has (yet) stays recorded as a fact; it is met once one does.
    if (outcome.ok) make(outcome.decisions, entry.fact.eventId);
  }
  return pending;
}

/** What sets the checklist service reconciling a child: a proposal made, or an item reported done. */
export const reconcilesChecklists = (event: { kind: 'fact' | 'decision'; type: string }): boolean =>
  (event.kind === 'decision' && event.type === 'TransferProposed') || (event.kind === 'fact' && event.type === 'ChecklistItemCompleted');

export const checklistDecider = (compiled: CompiledPack, identity: { authority: string; childId: string }): Decider<ChildHistory, Reconcile, ChildStreamEvent, PendingDecision> => ({
  initialState: () => emptyHistory(identity.authority, identity.childId),
  evolve: appendToHistory,
  decide: (command, history) => reconcileChecklists(history, compiled, command.now),
});
