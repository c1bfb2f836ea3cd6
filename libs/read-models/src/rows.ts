/**
 * The reporting rows as the projection folds them (one type per rm_* table; see
 * libs/event-store/src/migrations/read-model-tables.ts for the columns). Business dates are
 * `LocalDate` strings, instants ISO strings.
 */
import type { DecisionDataByType, LocalDate, TransferStatus } from '@cto/domain';

export interface TransferRow {
  transferId: string;
  authority: string;
  childId: string;
  status: TransferStatus;
  fromTeam: string;
  toTeam: string;
  ruleId: string;
  citation: string;
  packId: string;
  packVersion: string;
  proposedAt: string;
  proposedOn: LocalDate;
  dueBy: LocalDate | null;
  completedAt: string | null;
  completedOn: LocalDate | null;
  closedOn: LocalDate | null;
  /**
   * Why it closed without completing, and the paragraph that says so: a rejection's reason, or a
   * withdrawal's (a manager's; a late fact superseding it; a handover point that will not come; a
   * pack deadline missed, e.g. 004 CFF 14's referral that "will lapse and need to be represented",
   * cited to the deadline). Null while open and once completed.
   */
  closedReason: string | null;
  closedCitation: string | null;
  lastChangedAt: string;
}

export interface EscalationRow {
  escalationId: string;
  authority: string;
  childId: string;
  transferId: string | null;
  reason: DecisionDataByType['EscalationRaised']['reason'];
  rung: number;
  role: string;
  dueBy: LocalDate | null;
  about: string | null;
  /** Roles the current rung told beside `role` (EscalationRaised.alsoTold); empty: nobody. */
  alsoTold: string[];
  ruleId: string;
  citation: string;
  raisedAt: string;
  status: 'open' | 'resolved';
  resolvedAt: string | null;
  resolution: string | null;
  lastChangedAt: string;
}

export interface ChecklistItemRow {
  itemId: string;
  description: string;
  dueBy: LocalDate | null;
  met: boolean;
  citation?: string;
}

export interface ChecklistRow {
  checklistId: string;
  transferId: string;
  authority: string;
  childId: string;
  gating: DecisionDataByType['ChecklistOpened']['gating'];
  items: ChecklistItemRow[];
  completed: boolean;
  openedAt: string;
  lastChangedAt: string;
}

export interface ChildRow {
  authority: string;
  childId: string;
  currentTeam: string | null;
  transfers: number;
  completedTransfers: number;
  openTransfers: number;
  /** Calendar days, proposal to completion or closure, summed over closed transfers. */
  closedDaysOnTransfer: number;
  lastChangedAt: string;
}

/** The rows a batch of events may read or change, by primary key. */
export interface ReadModelRows {
  transfers: Map<string, TransferRow>;
  escalations: Map<string, EscalationRow>;
  checklists: Map<string, ChecklistRow>;
  /** Keyed by `childKey(authority, childId)`. */
  children: Map<string, ChildRow>;
}

/** rm_children's key as one map key; JSON so no authority or child id can make two keys collide. */
export const childKey = (authority: string, childId: string): string => JSON.stringify([authority, childId]);

export const emptyRows = (): ReadModelRows => ({ transfers: new Map(), escalations: new Map(), checklists: new Map(), children: new Map() });
