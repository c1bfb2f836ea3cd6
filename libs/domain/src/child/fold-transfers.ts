/**
 * The fold, transfers: each transfer's lifecycle (proposed … completed), its checklist, and the
 * co-works and retentions the rules decide beside it.
 */
import { localDateOf } from '../calendar';
import type { Decision } from '../events/decision-events';
import { CLOSED_TRANSFER_STATUSES, type ChecklistState, type ChildState, type CoWorkState, type TransferState } from './child-state';
import { moveToTeam } from './fold-facts';

export type TransferDecisionType = 'TransferProposed' | 'TransferRescheduled' | 'TransferAccepted' | 'TransferRejected' | 'TransferDisputed' | 'TransferWithdrawn' | 'TransferCompleted' | 'ChecklistOpened' | 'ChecklistItemMet' | 'ChecklistCompleted' | 'CaseRetained' | 'CoWorkRequired' | 'CoWorkWithdrawn';

const updateChecklist = (state: ChildState, checklistId: string, change: (c: ChecklistState) => ChecklistState): ChildState => ({
  ...state,
  checklists: state.checklists.map((c) => (c.checklistId === checklistId ? change(c) : c)),
});

export function evolveTransfer(state: ChildState, decision: Decision<TransferDecisionType>, decidedAt: string): ChildState {
  const on = localDateOf(decidedAt);
  // A closed transfer stays closed: in causal order a late fact may have ended it (superseded, or
  // completed by a worker allocated) before an answer recorded earlier is reached.
  const update = (transferId: string, change: (t: TransferState) => TransferState): ChildState => ({
    ...state,
    transfers: state.transfers.map((t) => (t.transferId === transferId && !CLOSED_TRANSFER_STATUSES.includes(t.status) ? change(t) : t)),
  });
  switch (decision.type) {
    case 'TransferProposed': {
      const d = decision.data;
      return {
        ...state,
        transfers: [
          ...state.transfers,
          {
            transferId: d.transferId,
            fromTeam: d.fromTeam,
            toTeam: d.toTeam,
            ...(d.toArea !== undefined ? { toArea: d.toArea } : {}),
            status: 'proposed',
            ruleId: d.ruleId,
            ruleVersion: d.ruleVersion,
            packId: d.packId,
            packVersion: d.packVersion,
            citation: d.citation,
            trigger: d.trigger,
            handoverPoint: d.handoverPoint,
            dueBy: d.dueBy,
            proposedAt: decidedAt,
          },
        ],
      };
    }
    case 'TransferRescheduled': {
      const d = decision.data;
      const rescheduled = update(d.transferId, (t) => ({ ...t, dueBy: d.dueBy, handoverPoint: d.handoverPoint }));
      if (!d.checklist) return rescheduled;
      const redated = new Map(d.checklist.items.map((i) => [i.itemId, i.dueBy]));
      return updateChecklist(rescheduled, d.checklist.checklistId, (c) => ({ ...c, items: c.items.map((i) => (redated.has(i.itemId) ? { ...i, dueBy: redated.get(i.itemId)! } : i)) }));
    }
    case 'TransferAccepted':
      return update(decision.data.transferId, (t) => ({ ...t, status: 'accepted' }));
    case 'TransferRejected':
      return update(decision.data.transferId, (t) => ({ ...t, status: 'rejected', closedOn: on }));
    case 'TransferDisputed': {
      const d = decision.data;
      return update(d.transferId, (t) => ({ ...t, status: 'disputed', capacityDispute: d.capacity === true }));
    }
    case 'TransferWithdrawn':
      return update(decision.data.transferId, (t) => ({ ...t, status: 'withdrawn', closedOn: on }));
    case 'TransferCompleted': {
      const d = decision.data;
      const transfer = state.transfers.find((t) => t.transferId === d.transferId);
      const moved = moveToTeam(state, d.toTeam, d.completedOn, transfer?.toArea);
      // The receiving team's co-worker, if it had one, now holds the case (004 PTC 8: the personal
      // adviser's "increasing role"); the co-work ends with the move.
      const coWorker = state.coWorks.find((c) => c.team === d.toTeam)?.workerId;
      return {
        ...moved,
        // A worker the receiving team has already allocated stays; the sending team's worker does not.
        workerId: moved.team === state.team && moved.area === state.area ? state.workerId : coWorker,
        coWorks: state.coWorks.filter((c) => c.team !== d.toTeam),
        retained: undefined,
        // The move happened whatever became of the transfer's record; a closed record stays as it is.
        transfers: moved.transfers.map((t) =>
          t.transferId === d.transferId && !CLOSED_TRANSFER_STATUSES.includes(t.status) ? { ...t, status: 'completed', closedOn: d.completedOn } : t,
        ),
      };
    }
    case 'ChecklistOpened': {
      const d = decision.data;
      const items = d.items.map((i) => ({ itemId: i.itemId, description: i.description, dueBy: i.dueBy, met: false }));
      return {
        ...state,
        checklists: [...state.checklists, { checklistId: d.checklistId, transferId: d.transferId, gating: d.gating, items, completed: items.length === 0 }],
      };
    }
    case 'ChecklistItemMet': {
      const d = decision.data;
      return updateChecklist(state, d.checklistId, (c) => ({ ...c, items: c.items.map((i) => (i.itemId === d.itemId ? { ...i, met: true } : i)) }));
    }
    case 'ChecklistCompleted':
      return updateChecklist(state, decision.data.checklistId, (c) => ({ ...c, completed: true }));
    case 'CaseRetained': {
      const d = decision.data;
      if (!d.holdsWhile?.length) return state;
      return { ...state, retained: { ruleId: d.ruleId, citation: d.citation, team: d.team, since: d.trigger.occurredOn } };
    }
    case 'CoWorkRequired': {
      const d = decision.data;
      const coWork: CoWorkState = { coWorkId: d.coWorkId, team: d.coWorkingTeam, ruleId: d.ruleId, citation: d.citation, since: d.trigger.occurredOn, dueBy: d.dueBy };
      return { ...state, coWorks: [...state.coWorks.filter((c) => c.coWorkId !== d.coWorkId), coWork] };
    }
    case 'CoWorkWithdrawn': {
      const d = decision.data;
      return { ...state, coWorks: state.coWorks.filter((c) => c.coWorkId !== d.coWorkId) };
    }
  }
}
