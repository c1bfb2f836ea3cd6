/**
 * The fold of a child's stream, one evolve per concern as Emmett's samples keep one per stream
 * type: facts (./fold-facts), transfers with their checklists and co-works (./fold-transfers),
 * escalations (./fold-escalations), milestones (./fold-milestones). `evolve` is total and pure: an
 * event that changes nothing returns the state as it was, so replaying a stream always gives the
 * same state.
 */
import type { ChildState, ChildStreamEvent } from './child-state';
import { evolveEscalation } from './fold-escalations';
import { evolveFact } from './fold-facts';
import { evolveMilestone } from './fold-milestones';
import { evolveTransfer } from './fold-transfers';

export { evolveFact } from './fold-facts';

export const evolve = (state: ChildState, event: ChildStreamEvent): ChildState =>
  event.kind === 'fact' ? evolveFact(state, event.fact) : evolveDecision(state, event);

function evolveDecision(state: ChildState, { decision, decidedAt }: Extract<ChildStreamEvent, { kind: 'decision' }>): ChildState {
  switch (decision.type) {
    case 'TransferProposed':
    case 'TransferRescheduled':
    case 'TransferAccepted':
    case 'TransferRejected':
    case 'TransferDisputed':
    case 'TransferWithdrawn':
    case 'TransferCompleted':
    case 'ChecklistOpened':
    case 'ChecklistItemMet':
    case 'ChecklistCompleted':
    case 'CaseRetained':
    case 'CoWorkRequired':
    case 'CoWorkWithdrawn':
      return evolveTransfer(state, decision, decidedAt);
    case 'EscalationRaised':
    case 'EscalationResolved':
    case 'AllocationRequired':
      return evolveEscalation(state, decision, decidedAt);
    case 'BirthdayApproaching':
      return evolveMilestone(state, decision);
    default: {
      const unhandled: never = decision;
      return unhandled;
    }
  }
}
