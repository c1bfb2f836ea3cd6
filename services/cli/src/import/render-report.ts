/**
 * The caseload report as a person reads it on a terminal: what was judged and how, the transfers
 * the pack requires (overdue first), milestones ahead, then what was refused and what was assumed.
 * `--json` gives the whole report instead; long lists of assumptions are cut here, never there.
 */
import type { CaseloadReport } from '@cto/statutory-returns';

const ASSUMPTIONS_SHOWN = 40;

const SOURCE_NAMES: Record<CaseloadReport['source'], string> = { ssda903: 'SSDA903 return', 'csc-api': 'CSC API payload' };

export function renderCaseloadReport(r: CaseloadReport): string[] {
  const overdue = r.transfers.filter((t) => t.overdue).length;
  const lines = [
    `${SOURCE_NAMES[r.source]} for ${r.authority}, judged under ${r.packId} ${r.packVersion} as of ${r.today}` +
      (r.transfersFrom === 'dry-run' ? ' (dry run: nothing was written)' : ' (transfers as the system recorded them)'),
    `children read ${r.childrenRead}, imported ${r.childrenImported}, refused ${r.refusedChildren.length}; events ${r.eventsMapped}`,
    '',
    `Transfers the pack requires: ${r.transfers.length} (${overdue} overdue)`,
  ];
  lines.push(
    ...table(
      ['child', 'from', 'to', 'due by', 'status', 'rule', 'citation'],
      r.transfers.map((t) => [t.childId, t.fromTeam, t.toTeam, `${t.dueBy ?? 'when the meeting is dated'}${t.overdue ? ' OVERDUE' : ''}`, t.status, t.ruleId, t.citation]),
    ),
  );
  lines.push('', `Milestones in the next 90 days: ${r.upcomingMilestones.length}`);
  lines.push(...table(['child', 'age', 'on'], r.upcomingMilestones.map((m) => [m.childId, ageOf(m.ageYears), m.on])));
  lines.push('', `Refused: ${r.refusals.length} records, ${r.refusedChildren.length} children (nothing of a refused child is used)`);
  lines.push(
    ...table(
      ['where', 'field', 'child', 'reason'],
      r.refusals.map((x) => [`${x.file}${x.line !== undefined ? `:${x.line}` : ''}${x.path ? ` ${x.path}` : ''}`, x.field ?? '', x.childId ?? '', x.reason]),
    ),
  );
  // The same words for many children (the return never carries a care plan) are said once, with a count.
  const byWords = new Map<string, string[]>();
  for (const a of r.assumptions) byWords.set(a.what, [...(byWords.get(a.what) ?? []), a.childId]);
  const grouped = [...byWords].map(([what, children]) => [children.length === 1 ? children[0] : `${children.length} children`, what]);
  lines.push('', `Assumptions: ${r.assumptions.length}`);
  lines.push(...table(['child', 'assumed'], grouped.slice(0, ASSUMPTIONS_SHOWN)));
  if (grouped.length > ASSUMPTIONS_SHOWN) lines.push(`… and ${grouped.length - ASSUMPTIONS_SHOWN} more (--json lists them all, child by child)`);
  return lines;
}

const ageOf = (years: number) => (Number.isInteger(years) ? String(years) : `${Math.floor(years)}½`);

/** Columns padded to their widest cell; nothing at all for no rows. */
function table(header: string[], rows: string[][]): string[] {
  if (!rows.length) return [];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)];
}
