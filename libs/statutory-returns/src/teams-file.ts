/**
 * `--teams <csv>`: the team (and, optionally, the worker) holding each child, from the
 * case-management system, since the returns name neither. Columns `child,team[,worker]` with a
 * header row; a team must be one of the pack's. A bad row refuses its child, located by line.
 */
import type { PolicyPack } from '@cto/domain';
import { parse } from 'csv-parse/sync';
import type { Refusal } from './caseload';

export interface TeamsFile {
  byChild: Map<string, { team: string; workerId?: string; line: number }>;
  refusals: Refusal[];
}

const WORKER_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

export function readTeamsFile(input: { file: string; text: string }, pack: PolicyPack): TeamsFile {
  const { file } = input;
  const byChild: TeamsFile['byChild'] = new Map();
  const refusals: Refusal[] = [];
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    rows = parse(input.text, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, info: true, bom: true, relax_column_count: true });
  } catch (error) {
    return { byChild, refusals: [{ file, reason: `not a CSV file: ${(error as Error).message}` }] };
  }
  const header = rows.length ? Object.keys(rows[0].record) : [];
  for (const column of ['child', 'team']) {
    if (rows.length && !header.includes(column)) return { byChild, refusals: [{ file, line: 1, field: column, reason: `missing column ${column} (expected child,team[,worker])` }] };
  }
  const teams = new Set(pack.teams.map((t) => t.code));
  for (const { record, info } of rows) {
    const line = info.lines;
    const childId = record.child;
    const refuse = (field: string, reason: string) => refusals.push({ file, line, field, ...(childId ? { childId } : {}), reason });
    if (!childId) {
      refuse('child', 'no child id');
      continue;
    }
    if (!teams.has(record.team)) {
      refuse('team', `team ${JSON.stringify(record.team)} is not one of pack ${pack.id}'s (${[...teams].join(', ')})`);
      continue;
    }
    const workerId = record.worker || undefined;
    if (workerId !== undefined && !WORKER_ID.test(workerId)) {
      refuse('worker', `worker id ${JSON.stringify(workerId)} must match ${WORKER_ID.source}`);
      continue;
    }
    const earlier = byChild.get(childId);
    if (earlier) {
      refuse('child', `child ${childId} is named twice (also on line ${earlier.line})`);
      continue;
    }
    byChild.set(childId, { team: record.team, ...(workerId ? { workerId } : {}), line });
  }
  return { byChild, refusals };
}
