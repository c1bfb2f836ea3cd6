/**
 * The transfer lifecycle: what managers (over the API) and the case-management system (as case
 * events) may do with a proposed transfer, as an explicit table of allowed transitions. An action
 * the table does not allow is refused with the current status and what is allowed, and records
 * nothing (DESIGN.md "HTTP API"; issue: "an illegal one gets 409").
 */
import { localDateOf } from '../calendar';
import type { LocalDate } from '../calendar/local-date';
import type { ChildState, TransferState } from '../child/child-state';
import type { CaseEvent } from '../events/case-events';
import type { Decision, RuleReference, TransferStatus } from '../events/decision-events';

export const TRANSFER_ACTIONS = ['accept', 'reject', 'dispute', 'complete', 'withdraw'] as const;
export type TransferAction = (typeof TRANSFER_ACTIONS)[number];

/**
 * Completing needs an acceptance first: the receiving team takes the child on before the child
 * moves. A dispute can be raised until the move is made; a disputed transfer is settled by
 * accepting, rejecting or withdrawing it.
 */
export const ALLOWED_ACTIONS: Readonly<Record<TransferStatus, readonly TransferAction[]>> = {
  proposed: ['accept', 'reject', 'dispute', 'withdraw'],
  accepted: ['complete', 'dispute', 'withdraw'],
  disputed: ['accept', 'reject', 'withdraw'],
  completed: [],
  rejected: [],
  withdrawn: [],
};

/** Actions that must say why: a manager refusing, contesting or withdrawing a transfer is accountable for it. */
export const ACTIONS_NEEDING_A_REASON: readonly TransferAction[] = ['reject', 'dispute', 'withdraw'];

export interface TransferCommand {
  action: TransferAction;
  transferId: string;
  /** Why (required for reject, dispute and withdraw). */
  reason?: string;
  /** Who acted: a pseudonymous id or role. */
  by?: string;
  /** A dispute about the receiving team's capacity (002 Key Principles: such issues go to the Senior Leadership team). */
  capacity?: boolean;
  /** The business date of the action. */
  on: LocalDate;
}

export type CommandRefusal =
  | { problem: 'transfer-not-found'; message: string }
  | { problem: 'reason-required'; message: string }
  | { problem: 'illegal-transition'; message: string; status: TransferStatus; allowed: TransferAction[] }
  | { problem: 'checklist-not-signed-off'; message: string; status: TransferStatus; allowed: TransferAction[]; checklistId: string; unmetItems: string[] };

export type CommandOutcome = { ok: true; transfer: TransferState; decisions: Decision[] } | ({ ok: false } & CommandRefusal);

const referenceOf = (t: TransferState): RuleReference => ({
  ruleId: t.ruleId,
  ruleVersion: t.ruleVersion,
  packId: t.packId,
  packVersion: t.packVersion,
  citation: t.citation,
});

/** Under a blocking pack, the unmet items that stop a transfer going on (002 Key Principles). */
export function blockingChecklist(state: ChildState, transferId: string): { checklistId: string; unmetItems: string[] } | undefined {
  const checklist = state.checklists.find((c) => c.transferId === transferId);
  if (!checklist || checklist.gating !== 'blocking' || checklist.completed) return undefined;
  const unmetItems = checklist.items.filter((i) => !i.met).map((i) => i.itemId);
  return unmetItems.length ? { checklistId: checklist.checklistId, unmetItems } : undefined;
}

/** The actions allowed now, the checklist's gate included. */
export function allowedActions(state: ChildState, transfer: TransferState): TransferAction[] {
  const blocked = blockingChecklist(state, transfer.transferId);
  return ALLOWED_ACTIONS[transfer.status].filter((a) => !(blocked && (a === 'accept' || a === 'complete')));
}

export function decideTransferCommand(state: ChildState, command: TransferCommand): CommandOutcome {
  const transfer = state.transfers.find((t) => t.transferId === command.transferId);
  if (!transfer) return { ok: false, problem: 'transfer-not-found', message: `no transfer ${command.transferId} for this child` };
  const reason = command.reason?.trim();
  if (ACTIONS_NEEDING_A_REASON.includes(command.action) && !reason) {
    return { ok: false, problem: 'reason-required', message: `${command.action} needs a reason` };
  }
  if (!ALLOWED_ACTIONS[transfer.status].includes(command.action)) {
    return {
      ok: false,
      problem: 'illegal-transition',
      message: `a ${transfer.status} transfer cannot be ${PAST[command.action]}`,
      status: transfer.status,
      allowed: allowedActions(state, transfer),
    };
  }
  const blocked = blockingChecklist(state, transfer.transferId);
  if (blocked && (command.action === 'accept' || command.action === 'complete')) {
    return {
      ok: false,
      problem: 'checklist-not-signed-off',
      message: `the transfer checklist is not signed off: ${blocked.unmetItems.join(', ')} not yet met`,
      status: transfer.status,
      allowed: allowedActions(state, transfer),
      ...blocked,
    };
  }
  return { ok: true, transfer, decisions: [decisionFor(transfer, command, reason)] };
}

const PAST: Record<TransferAction, string> = {
  accept: 'accepted',
  reject: 'rejected',
  dispute: 'disputed',
  complete: 'completed',
  withdraw: 'withdrawn',
};

function decisionFor(transfer: TransferState, command: TransferCommand, reason: string | undefined): Decision {
  const ref = referenceOf(transfer);
  const by = command.by ? { by: command.by } : {};
  const { transferId } = transfer;
  switch (command.action) {
    case 'accept':
      return { type: 'TransferAccepted', data: { ...ref, transferId, ...by } };
    case 'reject':
      return { type: 'TransferRejected', data: { ...ref, transferId, reason: reason!, ...by } };
    case 'dispute':
      return { type: 'TransferDisputed', data: { ...ref, transferId, reason: reason!, ...by, ...(command.capacity ? { capacity: true } : {}) } };
    case 'complete':
      return { type: 'TransferCompleted', data: { ...ref, transferId, toTeam: transfer.toTeam, completedOn: command.on } };
    case 'withdraw':
      return { type: 'TransferWithdrawn', data: { ...ref, transferId, reason: reason! } };
  }
}

/**
 * Lifecycle facts from the case-management system. A TransferDisputed is the dispute action; a
 * WorkerAllocated in the receiving team of an open transfer is the move itself, so the transfer is
 * accepted (if it was not) and completed — the record must follow what happened, so a blocking
 * checklist does not stop it (its unmet items are escalated instead). A fact the lifecycle does not
 * allow (a dispute of a completed transfer) leads to nothing.
 */
export function decideLifecycleFact(state: ChildState, fact: CaseEvent): Decision[] {
  const on = localDateOf(fact.occurredAt);
  if (fact.type === 'TransferDisputed') {
    const data = fact.data;
    const outcome = decideTransferCommand(state, { action: 'dispute', transferId: data.transferId, reason: data.reason, capacity: data.capacity, on });
    return outcome.ok ? outcome.decisions : [];
  }
  if (fact.type === 'WorkerAllocated') {
    const data = fact.data;
    // A co-worker allocated beside the holding team (CoWorkRequired) is not the move itself.
    if (state.team !== data.team && state.coWorks.some((c) => c.team === data.team && c.workerId === data.workerId)) return [];
    // A move to another area of the same team (003 §8) is made only by a worker of that area: a
    // re-allocation in the old area (or one naming no area) leaves the transfer open.
    const transfer = state.transfers.find(
      (t) => t.toTeam === data.team && (t.toArea === undefined || t.toArea === data.area) && (t.status === 'proposed' || t.status === 'accepted' || t.status === 'disputed'),
    );
    if (!transfer) return [];
    const ref = referenceOf(transfer);
    const accepted: Decision[] = transfer.status === 'accepted' ? [] : [{ type: 'TransferAccepted', data: { ...ref, transferId: transfer.transferId, by: 'case-management system' } }];
    return [...accepted, { type: 'TransferCompleted', data: { ...ref, transferId: transfer.transferId, toTeam: transfer.toTeam, completedOn: on } }];
  }
  return [];
}
