/**
 * The reporting projection as a pure fold: stored events in, rows out. No IO here, so the rules
 * of the read models are tested without a database (fold.unit.spec.ts); the SQL side only loads
 * the rows a batch touches (`keysTouchedBy`), folds, and writes back the rows that changed.
 *
 * The fold follows the same decisions as the child's own state (`evolve` in @cto/domain) but
 * across every child: one row per transfer, escalation, checklist and child. A decision about
 * something the rows do not know (its proposal was never recorded) changes nothing, and a
 * transition out of a closed transfer is ignored, so a replay always gives the same rows.
 */
import { localDateOf, OPEN_TRANSFER_STATUSES, transferIdOf, type LocalDate, type TransferStatus } from '@cto/domain';
import { decisionOf, toChildStreamEvent, type StoredEvent } from '@cto/event-store';
import { childKey, type ChildRow, type ReadModelRows, type TransferRow } from './rows';

/** What the fold needs of a stored event: the store's envelope, nothing else. */
export type ProjectedEvent = Pick<StoredEvent, 'eventId' | 'type' | 'data' | 'metadata'>;

export interface TouchedKeys {
  transferIds: Set<string>;
  escalationIds: Set<string>;
  checklistIds: Set<string>;
  children: Map<string, { authority: string; childId: string }>;
}

const TRANSFER_DECISIONS = new Set([
  'TransferProposed',
  'TransferRescheduled',
  'TransferAccepted',
  'TransferRejected',
  'TransferDisputed',
  'TransferCompleted',
  'TransferWithdrawn',
]);
const CHECKLIST_DECISIONS = new Set(['ChecklistOpened', 'ChecklistItemMet', 'ChecklistCompleted']);
const ESCALATION_DECISIONS = new Set(['EscalationRaised', 'EscalationResolved']);
// Facts that move a child between teams outside a transfer (a worker in a team, the case closed).
const TEAM_FACTS = new Set(['WorkerAllocated', 'CaseClosed']);

/** The primary keys of every row `foldReadModels` may read or write for these events. */
export function keysTouchedBy(events: readonly ProjectedEvent[]): TouchedKeys {
  const keys: TouchedKeys = { transferIds: new Set(), escalationIds: new Set(), checklistIds: new Set(), children: new Map() };
  for (const event of events) {
    const { authority, childId, kind } = event.metadata;
    if (kind === 'fact') {
      if (TEAM_FACTS.has(event.type)) keys.children.set(childKey(authority, childId), { authority, childId });
      continue;
    }
    const decision = decisionOf(event);
    const transferId = transferIdOf(decision);
    if (TRANSFER_DECISIONS.has(decision.type) && transferId) {
      keys.transferIds.add(transferId);
      keys.children.set(childKey(authority, childId), { authority, childId });
      // A rescheduled handover point re-dates the checklist items that follow it.
      if (decision.type === 'TransferRescheduled' && decision.data.checklist) keys.checklistIds.add(decision.data.checklist.checklistId);
    } else if (CHECKLIST_DECISIONS.has(decision.type) && 'checklistId' in decision.data) {
      keys.checklistIds.add(decision.data.checklistId);
    } else if (ESCALATION_DECISIONS.has(decision.type) && 'escalationId' in decision.data) {
      keys.escalationIds.add(decision.data.escalationId);
    }
  }
  return keys;
}

/**
 * The rows after these events. `rows` must hold every row `keysTouchedBy(events)` names that
 * exists; it is not modified: the result has new maps, and a row that changed is a new object, so
 * `changedRows` can tell what to write back.
 */
export function foldReadModels(rows: ReadModelRows, events: readonly ProjectedEvent[]): ReadModelRows {
  const next: ReadModelRows = {
    transfers: new Map(rows.transfers),
    escalations: new Map(rows.escalations),
    checklists: new Map(rows.checklists),
    children: new Map(rows.children),
  };
  for (const event of events) applyEvent(next, event);
  return next;
}

/** The rows of `after` that are not the same objects as in `before`: what a batch must write. */
export function changedRows(before: ReadModelRows, after: ReadModelRows): ReadModelRows {
  const changed = <V>(b: Map<string, V>, a: Map<string, V>) => new Map([...a].filter(([key, row]) => b.get(key) !== row));
  return {
    transfers: changed(before.transfers, after.transfers),
    escalations: changed(before.escalations, after.escalations),
    checklists: changed(before.checklists, after.checklists),
    children: changed(before.children, after.children),
  };
}

/** Calendar days from a to b (business dates, so no time zone can shift them). */
export const calendarDaysBetween = (a: LocalDate, b: LocalDate): number => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

const isOpen = (status: TransferStatus): boolean => OPEN_TRANSFER_STATUSES.includes(status);

function applyEvent(rows: ReadModelRows, event: ProjectedEvent): void {
  const { authority, childId, occurredAt } = event.metadata;
  const at = occurredAt;
  const on = localDateOf(occurredAt);

  const child = (): ChildRow =>
    rows.children.get(childKey(authority, childId)) ?? {
      authority,
      childId,
      currentTeam: null,
      transfers: 0,
      completedTransfers: 0,
      openTransfers: 0,
      closedDaysOnTransfer: 0,
      lastChangedAt: at,
    };
  const setChild = (change: Partial<ChildRow>) => rows.children.set(childKey(authority, childId), { ...child(), ...change, lastChangedAt: at });

  /** An open transfer moves to `status`; closing it (`closedOn`) adds its days to the child's. */
  const moveTransfer = (transferId: string, change: Partial<TransferRow> & { status?: TransferStatus }, closedOn?: LocalDate) => {
    const transfer = rows.transfers.get(transferId);
    if (!transfer || !isOpen(transfer.status)) return;
    rows.transfers.set(transferId, { ...transfer, ...change, ...(closedOn ? { closedOn } : {}), lastChangedAt: at });
    if (!closedOn) return;
    const c = child();
    setChild({
      openTransfers: Math.max(0, c.openTransfers - 1),
      closedDaysOnTransfer: c.closedDaysOnTransfer + Math.max(0, calendarDaysBetween(transfer.proposedOn, closedOn)),
      ...(change.status === 'completed' ? { completedTransfers: c.completedTransfers + 1, currentTeam: transfer.toTeam } : {}),
    });
  };

  const entry = toChildStreamEvent(event);
  if (entry.kind === 'fact') {
    if (entry.fact.type === 'WorkerAllocated') setChild({ currentTeam: entry.fact.data.team });
    else if (entry.fact.type === 'CaseClosed') setChild({ currentTeam: null });
    return;
  }

  const { decision } = entry;
  switch (decision.type) {
    case 'TransferProposed': {
      const d = decision.data;
      if (rows.transfers.has(d.transferId)) return;
      rows.transfers.set(d.transferId, {
        transferId: d.transferId,
        authority,
        childId,
        status: 'proposed',
        fromTeam: d.fromTeam,
        toTeam: d.toTeam,
        ruleId: d.ruleId,
        citation: d.citation,
        packId: d.packId,
        packVersion: d.packVersion,
        proposedAt: at,
        proposedOn: on,
        dueBy: d.dueBy,
        completedAt: null,
        completedOn: null,
        closedOn: null,
        closedReason: null,
        closedCitation: null,
        lastChangedAt: at,
      });
      const c = child();
      setChild({ transfers: c.transfers + 1, openTransfers: c.openTransfers + 1 });
      return;
    }
    case 'TransferRescheduled': {
      const d = decision.data;
      const checklist = d.checklist && rows.checklists.get(d.checklist.checklistId);
      if (d.checklist && checklist) {
        const redated = new Map(d.checklist.items.map((i) => [i.itemId, i.dueBy]));
        rows.checklists.set(checklist.checklistId, { ...checklist, items: checklist.items.map((i) => (redated.has(i.itemId) ? { ...i, dueBy: redated.get(i.itemId)! } : i)), lastChangedAt: at });
      }
      return moveTransfer(d.transferId, { dueBy: d.dueBy });
    }
    case 'TransferAccepted':
      return moveTransfer(decision.data.transferId, { status: 'accepted' });
    case 'TransferDisputed':
      return moveTransfer(decision.data.transferId, { status: 'disputed' });
    case 'TransferRejected':
      return moveTransfer(decision.data.transferId, { status: 'rejected', closedReason: decision.data.reason, closedCitation: decision.data.citation }, on);
    case 'TransferWithdrawn': {
      const d = decision.data;
      const transfer = rows.transfers.get(d.transferId);
      const closed = { closedReason: d.reason, closedCitation: d.citation };
      // Superseded by a late fact after it was completed (README "Deciding"): the move stands (the
      // child's current team is the facts'), its record as a transfer is withdrawn.
      if (d.supersededBy && transfer?.status === 'completed') {
        rows.transfers.set(d.transferId, { ...transfer, status: 'withdrawn', ...closed, lastChangedAt: at });
        setChild({ completedTransfers: Math.max(0, child().completedTransfers - 1) });
        return;
      }
      return moveTransfer(d.transferId, { status: 'withdrawn', ...closed }, on);
    }
    case 'TransferCompleted': {
      const d = decision.data;
      return moveTransfer(d.transferId, { status: 'completed', completedAt: at, completedOn: d.completedOn }, d.completedOn);
    }
    case 'ChecklistOpened': {
      const d = decision.data;
      if (rows.checklists.has(d.checklistId)) return;
      const items = d.items.map((i) => ({ itemId: i.itemId, description: i.description, dueBy: i.dueBy, met: false, ...(i.citation ? { citation: i.citation } : {}) }));
      // As in the child's state: a checklist with nothing on it is complete from the start.
      rows.checklists.set(d.checklistId, {
        checklistId: d.checklistId,
        transferId: d.transferId,
        authority,
        childId,
        gating: d.gating,
        items,
        completed: items.length === 0,
        openedAt: at,
        lastChangedAt: at,
      });
      return;
    }
    case 'ChecklistItemMet': {
      const d = decision.data;
      const checklist = rows.checklists.get(d.checklistId);
      if (!checklist || !checklist.items.some((i) => i.itemId === d.itemId && !i.met)) return;
      rows.checklists.set(d.checklistId, { ...checklist, items: checklist.items.map((i) => (i.itemId === d.itemId ? { ...i, met: true } : i)), lastChangedAt: at });
      return;
    }
    case 'ChecklistCompleted': {
      const checklist = rows.checklists.get(decision.data.checklistId);
      if (!checklist || checklist.completed) return;
      rows.checklists.set(checklist.checklistId, { ...checklist, completed: true, lastChangedAt: at });
      return;
    }
    case 'EscalationRaised': {
      const d = decision.data;
      const earlier = rows.escalations.get(d.escalationId);
      // Climbing the ladder raises the same escalation again at the next rung: one row, first raised when it was first raised.
      rows.escalations.set(d.escalationId, {
        escalationId: d.escalationId,
        authority,
        childId,
        transferId: d.transferId ?? null,
        reason: d.reason,
        rung: d.rung,
        role: d.role,
        dueBy: d.dueBy,
        about: d.about ?? null,
        alsoTold: d.alsoTold ?? [],
        ruleId: d.ruleId,
        citation: d.citation,
        raisedAt: earlier?.raisedAt ?? at,
        status: 'open',
        resolvedAt: null,
        resolution: null,
        lastChangedAt: at,
      });
      return;
    }
    case 'EscalationResolved': {
      const d = decision.data;
      const open = rows.escalations.get(d.escalationId);
      if (!open || open.status === 'resolved') return;
      rows.escalations.set(d.escalationId, { ...open, status: 'resolved', resolvedAt: at, resolution: d.resolution, lastChangedAt: at });
      return;
    }
    default:
      // Other decisions (AllocationRequired, BirthdayApproaching, CaseRetained, CoWorkRequired) have
      // no reporting row yet: GET /v1/children/{childId}/events shows them.
      return;
  }
}
