/**
 * The caseload report (issue 17, item 4): what a head of service asks first of a return — which
 * children the pack requires to move team, by when, under which paragraph, and who is late — with
 * what was refused and what was assumed, so the answer can be trusted or fixed.
 *
 * The dry run judges each child with `standingOf`, the deciders the services run; after a commit
 * the transfers come from the store instead (`withTransfersFromStore`), and the rest is the same.
 */
import {
  compareLocalDates,
  dateOfAge,
  historyOf,
  localDateOf,
  OPEN_TRANSFER_STATUSES,
  standingOf,
  type CaseEvent,
  type CompiledPack,
  type LocalDate,
  type TransferStatus,
} from '@cto/domain';
import type { Refusal } from './caseload';
import type { PreparedCaseload } from './prepare-caseload';

export interface ReportedTransfer {
  childId: string;
  transferId: string;
  fromTeam: string;
  toTeam: string;
  status: TransferStatus;
  ruleId: string;
  citation: string;
  dueBy: LocalDate | null;
  /** Due before today and still open. */
  overdue: boolean;
}

export interface UpcomingMilestone {
  childId: string;
  ageYears: number;
  on: LocalDate;
}

export interface CaseloadReport {
  source: PreparedCaseload['source'];
  authority: string;
  packId: string;
  packVersion: string;
  today: LocalDate;
  /** `dry-run`: judged here, nothing written; `store`: the transfers are the store's after a commit. */
  transfersFrom: 'dry-run' | 'store';
  childrenRead: number;
  childrenImported: number;
  eventsMapped: number;
  refusals: Refusal[];
  refusedChildren: string[];
  /** Open transfers, overdue first, then by due date. */
  transfers: ReportedTransfer[];
  upcomingMilestones: UpcomingMilestone[];
  assumptions: { childId: string; what: string }[];
}

/** The ages issue 17 asks the report to look ahead to. */
export const REPORTED_MILESTONES = [15.5, 16, 17.5, 18, 21, 25] as const;
/** How far ahead the report looks for milestones. */
export const MILESTONE_HORIZON_DAYS = 90;

/** `onProgress` is told after each child is judged, for a progress bar on a large caseload. */
export function dryRunReport(caseload: PreparedCaseload, compiled: CompiledPack, now: string, onProgress?: (judged: number, of: number) => void): CaseloadReport {
  const transfers = caseload.children.flatMap((child, i) => {
    onProgress?.(i, caseload.children.length);
    const history = historyOf(
      caseload.authority,
      child.childId,
      child.facts.map((fact) => ({ kind: 'fact' as const, fact })),
    );
    return standingOf(history, compiled, now)
      .state.transfers.filter((t) => OPEN_TRANSFER_STATUSES.includes(t.status))
      .map((t) => ({ childId: child.childId, transferId: t.transferId, fromTeam: t.fromTeam, toTeam: t.toTeam, status: t.status, ruleId: t.ruleId, citation: t.citation, dueBy: t.dueBy }));
  });
  return reportOf(caseload, compiled, localDateOf(now), transfers, 'dry-run');
}

/** The same report with the transfers the services recorded (read back from the store after a commit). */
export function withTransfersFromStore(caseload: PreparedCaseload, compiled: CompiledPack, today: LocalDate, stored: Omit<ReportedTransfer, 'overdue'>[]): CaseloadReport {
  const imported = new Set(caseload.children.map((c) => c.childId));
  const open = stored.filter((t) => imported.has(t.childId) && OPEN_TRANSFER_STATUSES.includes(t.status));
  return reportOf(caseload, compiled, today, open, 'store');
}

function reportOf(
  caseload: PreparedCaseload,
  compiled: CompiledPack,
  today: LocalDate,
  open: Omit<ReportedTransfer, 'overdue'>[],
  transfersFrom: CaseloadReport['transfersFrom'],
): CaseloadReport {
  const transfers = open
    .map((t) => ({ ...t, overdue: t.dueBy !== null && compareLocalDates(t.dueBy, today) < 0 }))
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || compareDue(a.dueBy, b.dueBy) || a.childId.localeCompare(b.childId) || a.transferId.localeCompare(b.transferId));
  return {
    source: caseload.source,
    authority: caseload.authority,
    packId: compiled.pack.id,
    packVersion: compiled.pack.version,
    today,
    transfersFrom,
    childrenRead: caseload.childrenRead,
    childrenImported: caseload.children.length,
    eventsMapped: caseload.children.reduce((n, c) => n + c.facts.length, 0),
    refusals: caseload.refusals,
    refusedChildren: caseload.refusedChildren,
    transfers,
    upcomingMilestones: caseload.children.flatMap((c) => (c.current?.kind === 'closed' ? [] : upcomingMilestones(c.childId, c.facts, today, compiled))),
    assumptions: caseload.children.flatMap((c) => c.assumptions.map((what) => ({ childId: c.childId, what }))),
  };
}

/** A date still to come sorts after every date. */
const compareDue = (a: LocalDate | null, b: LocalDate | null): number => (a === b ? 0 : a === null ? 1 : b === null ? -1 : compareLocalDates(a, b));

function upcomingMilestones(childId: string, facts: readonly CaseEvent[], today: LocalDate, compiled: CompiledPack): UpcomingMilestone[] {
  const details = facts.filter((f): f is CaseEvent<'ChildDetailsRecorded'> => f.type === 'ChildDetailsRecorded' && !!f.data.dateOfBirth);
  const dateOfBirth = details.at(-1)?.data.dateOfBirth;
  if (!dateOfBirth) return [];
  const horizon = compiled.calendar.add(today, { years: 0, months: 0, weeks: 0, days: MILESTONE_HORIZON_DAYS, workingDays: 0 }, 'after');
  return REPORTED_MILESTONES.flatMap((ageYears) => {
    const years = Math.floor(ageYears);
    const on = dateOfAge(dateOfBirth, { years, months: Math.round((ageYears - years) * 12), weeks: 0, days: 0, workingDays: 0 });
    return compareLocalDates(on, today) >= 0 && compareLocalDates(on, horizon) <= 0 ? [{ childId, ageYears, on }] : [];
  });
}
