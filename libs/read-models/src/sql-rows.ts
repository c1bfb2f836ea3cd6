/**
 * The rm_* tables read and written in SQL, once, for PostgreSQL and PGlite alike (scalar parameters
 * only; row sets travel as one JSON document, unpacked in SQL by jsonb_populate_recordset). Values
 * are cast to text on the way out so both drivers hand back the same strings.
 */
import type { SqlExecutor } from '@cto/event-store';
import type { TouchedKeys } from './fold';
import { childKey, type ChecklistRow, type ChildRow, type EscalationRow, type ReadModelRows, type TransferRow } from './rows';

export const READ_MODEL_TABLES = ['rm_transfers', 'rm_escalations', 'rm_checklists', 'rm_children'] as const;

/** An instant as Date.prototype.toISOString writes it (microseconds kept, so keyset cursors are exact). */
export const isoInstant = (column: string, as = column): string =>
  `CASE WHEN ${column} IS NULL THEN NULL ELSE to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') END AS ${as}`;

export const TRANSFER_COLUMNS = `transfer_id, authority, child_id, status, from_team, to_team, rule_id, citation, pack_id, pack_version,
  ${isoInstant('proposed_at')}, proposed_on::text AS proposed_on, due_by::text AS due_by, ${isoInstant('completed_at')},
  completed_on::text AS completed_on, closed_on::text AS closed_on, closed_reason, closed_citation, ${isoInstant('last_changed_at')}`;

export const ESCALATION_COLUMNS = `escalation_id, authority, child_id, transfer_id, reason, rung, role, due_by::text AS due_by, about, also_told::text AS also_told, rule_id, citation,
  ${isoInstant('raised_at')}, status, ${isoInstant('resolved_at')}, resolution, ${isoInstant('last_changed_at')}`;

const CHECKLIST_COLUMNS = `checklist_id, transfer_id, authority, child_id, gating, items::text AS items, completed,
  ${isoInstant('opened_at')}, ${isoInstant('last_changed_at')}`;

export const CHILD_COLUMNS = `authority, child_id, current_team, transfers, completed_transfers, open_transfers, closed_days_on_transfer,
  ${isoInstant('last_changed_at')}`;

export type TransferRecord = Record<
  | 'transfer_id'
  | 'authority'
  | 'child_id'
  | 'status'
  | 'from_team'
  | 'to_team'
  | 'rule_id'
  | 'citation'
  | 'pack_id'
  | 'pack_version'
  | 'proposed_at'
  | 'proposed_on'
  | 'last_changed_at',
  string
> &
  Record<'due_by' | 'completed_at' | 'completed_on' | 'closed_on' | 'closed_reason' | 'closed_citation', string | null>;

export const transferOf = (r: TransferRecord): TransferRow => ({
  transferId: r.transfer_id,
  authority: r.authority,
  childId: r.child_id,
  status: r.status as TransferRow['status'],
  fromTeam: r.from_team,
  toTeam: r.to_team,
  ruleId: r.rule_id,
  citation: r.citation,
  packId: r.pack_id,
  packVersion: r.pack_version,
  proposedAt: r.proposed_at,
  proposedOn: r.proposed_on,
  dueBy: r.due_by,
  completedAt: r.completed_at,
  completedOn: r.completed_on,
  closedOn: r.closed_on,
  closedReason: r.closed_reason,
  closedCitation: r.closed_citation,
  lastChangedAt: r.last_changed_at,
});

export type EscalationRecord = Record<'escalation_id' | 'authority' | 'child_id' | 'reason' | 'role' | 'also_told' | 'rule_id' | 'citation' | 'raised_at' | 'status' | 'last_changed_at', string> &
  Record<'transfer_id' | 'due_by' | 'about' | 'resolved_at' | 'resolution', string | null> & { rung: number };

export const escalationOf = (r: EscalationRecord): EscalationRow => ({
  escalationId: r.escalation_id,
  authority: r.authority,
  childId: r.child_id,
  transferId: r.transfer_id,
  reason: r.reason as EscalationRow['reason'],
  rung: Number(r.rung),
  role: r.role,
  dueBy: r.due_by,
  about: r.about,
  alsoTold: JSON.parse(r.also_told) as string[],
  ruleId: r.rule_id,
  citation: r.citation,
  raisedAt: r.raised_at,
  status: r.status as EscalationRow['status'],
  resolvedAt: r.resolved_at,
  resolution: r.resolution,
  lastChangedAt: r.last_changed_at,
});

type ChecklistRecord = Record<'checklist_id' | 'transfer_id' | 'authority' | 'child_id' | 'gating' | 'items' | 'opened_at' | 'last_changed_at', string> & { completed: boolean };

const checklistOf = (r: ChecklistRecord): ChecklistRow => ({
  checklistId: r.checklist_id,
  transferId: r.transfer_id,
  authority: r.authority,
  childId: r.child_id,
  gating: r.gating as ChecklistRow['gating'],
  items: JSON.parse(r.items) as ChecklistRow['items'],
  completed: r.completed,
  openedAt: r.opened_at,
  lastChangedAt: r.last_changed_at,
});

export type ChildRecord = Record<'authority' | 'child_id' | 'last_changed_at', string> & { current_team: string | null } & Record<
    'transfers' | 'completed_transfers' | 'open_transfers' | 'closed_days_on_transfer',
    number
  >;

export const childOf = (r: ChildRecord): ChildRow => ({
  authority: r.authority,
  childId: r.child_id,
  currentTeam: r.current_team,
  transfers: Number(r.transfers),
  completedTransfers: Number(r.completed_transfers),
  openTransfers: Number(r.open_transfers),
  closedDaysOnTransfer: Number(r.closed_days_on_transfer),
  lastChangedAt: r.last_changed_at,
});

const ids = (keys: Iterable<string>) => JSON.stringify([...keys]);

/** The existing rows with these keys (absent keys are simply not in the maps). */
export async function loadRows(sql: SqlExecutor, keys: TouchedKeys): Promise<ReadModelRows> {
  const inList = 'IN (SELECT jsonb_array_elements_text($1::jsonb))';
  const [transfers, escalations, checklists, children] = [
    keys.transferIds.size ? await sql.query<TransferRecord>(`SELECT ${TRANSFER_COLUMNS} FROM rm_transfers WHERE transfer_id ${inList}`, [ids(keys.transferIds)]) : [],
    keys.escalationIds.size
      ? await sql.query<EscalationRecord>(`SELECT ${ESCALATION_COLUMNS} FROM rm_escalations WHERE escalation_id ${inList}`, [ids(keys.escalationIds)])
      : [],
    keys.checklistIds.size
      ? await sql.query<ChecklistRecord>(`SELECT ${CHECKLIST_COLUMNS} FROM rm_checklists WHERE checklist_id ${inList}`, [ids(keys.checklistIds)])
      : [],
    keys.children.size
      ? await sql.query<ChildRecord>(
          `SELECT ${CHILD_COLUMNS} FROM rm_children c
            WHERE EXISTS (SELECT 1 FROM jsonb_to_recordset($1::jsonb) AS k(authority text, "childId" text)
                           WHERE k.authority = c.authority AND k."childId" = c.child_id)`,
          [JSON.stringify([...keys.children.values()])],
        )
      : [],
  ];
  return {
    transfers: new Map(transfers.map((r) => [r.transfer_id, transferOf(r)])),
    escalations: new Map(escalations.map((r) => [r.escalation_id, escalationOf(r)])),
    checklists: new Map(checklists.map((r) => [r.checklist_id, checklistOf(r)])),
    children: new Map(children.map((r) => [childKey(r.authority, r.child_id), childOf(r)])),
  };
}

/** Inserts or replaces every row given, one statement per table. */
export async function saveRows(sql: SqlExecutor, rows: ReadModelRows): Promise<void> {
  await upsert(sql, 'rm_transfers', ['transfer_id'], [...rows.transfers.values()].map(snakeCase));
  await upsert(sql, 'rm_escalations', ['escalation_id'], [...rows.escalations.values()].map(snakeCase));
  await upsert(sql, 'rm_checklists', ['checklist_id'], [...rows.checklists.values()].map(snakeCase));
  await upsert(sql, 'rm_children', ['authority', 'child_id'], [...rows.children.values()].map(snakeCase));
}

/** Every read-model row, in key order: what a rebuild must reproduce exactly. */
export async function dumpRows(sql: SqlExecutor): Promise<ReadModelRows> {
  const transfers = await sql.query<TransferRecord>(`SELECT ${TRANSFER_COLUMNS} FROM rm_transfers ORDER BY transfer_id`);
  const escalations = await sql.query<EscalationRecord>(`SELECT ${ESCALATION_COLUMNS} FROM rm_escalations ORDER BY escalation_id`);
  const checklists = await sql.query<ChecklistRecord>(`SELECT ${CHECKLIST_COLUMNS} FROM rm_checklists ORDER BY checklist_id`);
  const children = await sql.query<ChildRecord>(`SELECT ${CHILD_COLUMNS} FROM rm_children ORDER BY authority, child_id`);
  return {
    transfers: new Map(transfers.map((r) => [r.transfer_id, transferOf(r)])),
    escalations: new Map(escalations.map((r) => [r.escalation_id, escalationOf(r)])),
    checklists: new Map(checklists.map((r) => [r.checklist_id, checklistOf(r)])),
    children: new Map(children.map((r) => [childKey(r.authority, r.child_id), childOf(r)])),
  };
}

/** Empties every read-model table (rebuild). TRUNCATE, so the emptying is one statement and immediate. */
export async function truncateReadModels(sql: SqlExecutor): Promise<void> {
  await sql.query(`TRUNCATE ${READ_MODEL_TABLES.join(', ')}`);
}

const snakeCase = (row: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(row).map(([key, value]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value]));

async function upsert(sql: SqlExecutor, table: (typeof READ_MODEL_TABLES)[number], key: string[], rows: Record<string, unknown>[]): Promise<void> {
  if (!rows.length) return;
  const columns = Object.keys(rows[0]);
  const updates = columns.filter((c) => !key.includes(c)).map((c) => `${c} = EXCLUDED.${c}`);
  // jsonb_populate_recordset converts each JSON field to its column's type (text → date, timestamptz, jsonb …).
  await sql.query(
    `INSERT INTO ${table} (${columns.join(', ')})
     SELECT ${columns.join(', ')} FROM jsonb_populate_recordset(null::${table}, $1::jsonb)
     ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${updates.join(', ')}`,
    [JSON.stringify(rows)],
  );
}
