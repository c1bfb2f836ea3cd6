/**
 * The fold, escalations: what is on the ladder (raised, climbed, resolved), and a named worker
 * required (AllocationRequired) — what supervision raises because time passed or nobody acted.
 */
import { localDateOf } from '../calendar';
import type { Decision } from '../events/decision-events';
import type { ChildState, EscalationState } from './child-state';

export type EscalationDecisionType = 'EscalationRaised' | 'EscalationResolved' | 'AllocationRequired';

export function evolveEscalation(state: ChildState, decision: Decision<EscalationDecisionType>, decidedAt: string): ChildState {
  const on = localDateOf(decidedAt);
  switch (decision.type) {
    case 'EscalationRaised': {
      const d = decision.data;
      const raised: EscalationState = {
        escalationId: d.escalationId,
        reason: d.reason,
        ...(d.transferId ? { transferId: d.transferId } : {}),
        ...(d.itemId ? { itemId: d.itemId } : {}),
        ...(d.itemIds ? { itemIds: d.itemIds } : {}),
        ...(d.deadlineId ? { deadlineId: d.deadlineId } : {}),
        ...(d.coWorkId ? { coWorkId: d.coWorkId } : {}),
        rung: d.rung,
        role: d.role,
        dueBy: d.dueBy,
        ...(d.about ? { about: d.about } : {}),
        resolved: false,
      };
      const before = state.escalations.find((e) => e.escalationId === d.escalationId);
      const honoured = [...(before?.requestsHonoured ?? []), ...(d.requestEventId ? [d.requestEventId] : [])];
      if (honoured.length) raised.requestsHonoured = honoured;
      // The same escalation climbing the ladder (or raised again with its items updated) replaces what it was.
      return { ...state, escalations: [...state.escalations.filter((e) => e.escalationId !== d.escalationId), raised] };
    }
    case 'EscalationResolved': {
      const d = decision.data;
      return { ...state, escalations: state.escalations.map((e) => (e.escalationId === d.escalationId ? { ...e, resolved: true } : e)) };
    }
    case 'AllocationRequired': {
      const d = decision.data;
      return { ...state, allocationRequired: { since: on, dueBy: d.dueBy } };
    }
  }
}
