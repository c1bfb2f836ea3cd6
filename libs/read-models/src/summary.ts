/**
 * GET /v1/reports/summary, computed from read-model rows (pure: tested without a database).
 *
 * A route is a from→to pair under one rule, because the rule is what carries the procedure's
 * target. Time to complete is counted in WORKING days (England and Wales bank holidays and the
 * pack's own non-working days), proposal date to completion date, since most packs state their
 * timescales in working days; the target is the rule's handover `within` when it runs `after` the
 * trigger (a proposal is decided as its trigger arrives), in the target's own unit. A timescale
 * anchored elsewhere (a meeting, an age) or none at all gives `target: null`.
 */
import { formatDuration, OPEN_TRANSFER_STATUSES, parseDuration, WorkingCalendar, type LocalDate, type PolicyPack } from '@cto/domain';
import type { ChildRow, TransferRow } from './rows';

export interface RouteSummary {
  fromTeam: string;
  toTeam: string;
  ruleId: string;
  citation: string;
  open: number;
  /** Open and past `dueBy` on `asOf`. */
  overdue: number;
  completed: number;
  /** Working days from proposal to completion over the completed transfers; null when none completed. */
  workingDaysToComplete: { median: number | null; p90: number | null };
  target: { within: string; completedWithinTarget: number } | null;
}

export interface ReportSummary {
  authority: string;
  asOf: LocalDate;
  routes: RouteSummary[];
  /** Completed transfers per child, over the children with at least one transfer proposed. */
  transitionsPerChild: { children: number; mean: number | null; max: number | null };
}

/**
 * The p-th percentile (0–100) by linear interpolation between closest ranks, as PostgreSQL's
 * percentile_cont does, so a BI tool computing it from v_transfers gets the same figure.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return round2(sorted[low] + (sorted[high] - sorted[low]) * (rank - low));
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** The rule's proposal-to-completion target, when its handover has one (see the file comment). */
function targetOf(pack: PolicyPack | undefined, ruleId: string): { within: string; met: (proposedOn: LocalDate, completedOn: LocalDate) => boolean } | null {
  const handover = pack?.rules.find((r) => r.id === ruleId)?.handover;
  if (!handover?.within || handover.before !== undefined || (handover.after !== undefined && handover.after !== 'trigger')) return null;
  const duration = parseDuration(handover.within);
  const calendar = new WorkingCalendar({ extraNonWorkingDays: pack!.nonWorkingDays });
  return { within: formatDuration(duration), met: (proposedOn, completedOn) => completedOn <= calendar.add(proposedOn, duration, 'after') };
}

export function summarise(input: { authority: string; asOf: LocalDate; pack?: PolicyPack; transfers: readonly TransferRow[]; children: readonly ChildRow[] }): ReportSummary {
  const calendar = new WorkingCalendar({ extraNonWorkingDays: input.pack?.nonWorkingDays ?? [] });
  const routes = new Map<string, TransferRow[]>();
  for (const t of input.transfers) {
    if (t.authority !== input.authority) continue;
    const key = JSON.stringify([t.fromTeam, t.toTeam, t.ruleId]);
    routes.set(key, [...(routes.get(key) ?? []), t]);
  }
  const summaries = [...routes.values()].map((transfers): RouteSummary => {
    const [first] = transfers;
    const open = transfers.filter((t) => OPEN_TRANSFER_STATUSES.includes(t.status));
    const completed = transfers.filter((t) => t.status === 'completed' && t.completedOn !== null);
    const days = completed.map((t) => calendar.workingDaysBetween(t.proposedOn, t.completedOn!));
    const target = targetOf(input.pack, first.ruleId);
    return {
      fromTeam: first.fromTeam,
      toTeam: first.toTeam,
      ruleId: first.ruleId,
      citation: first.citation,
      open: open.length,
      overdue: open.filter((t) => t.dueBy !== null && t.dueBy < input.asOf).length,
      completed: completed.length,
      workingDaysToComplete: { median: percentile(days, 50), p90: percentile(days, 90) },
      target: target && { within: target.within, completedWithinTarget: completed.filter((t) => target.met(t.proposedOn, t.completedOn!)).length },
    };
  });
  summaries.sort((a, b) => a.fromTeam.localeCompare(b.fromTeam) || a.toTeam.localeCompare(b.toTeam) || a.ruleId.localeCompare(b.ruleId));

  const moved = input.children.filter((c) => c.authority === input.authority && c.transfers > 0).map((c) => c.completedTransfers);
  return {
    authority: input.authority,
    asOf: input.asOf,
    routes: summaries,
    transitionsPerChild: {
      children: moved.length,
      mean: moved.length ? round2(moved.reduce((a, b) => a + b, 0) / moved.length) : null,
      max: moved.length ? Math.max(...moved) : null,
    },
  };
}
