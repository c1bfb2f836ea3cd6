/**
 * The query side of the reporting read models: what the HTTP API asks of rm_* tables. Every query
 * takes one authority, so a caller scoped to some authorities can never read another's rows.
 */
import type { LocalDate, TransferStatus } from '@cto/domain';
import type { ReadModelStore, SqlParameter } from '@cto/event-store';
import type { ChildRow, EscalationRow, TransferRow } from './rows';
import { CHILD_COLUMNS, childOf, ESCALATION_COLUMNS, escalationOf, TRANSFER_COLUMNS, transferOf, type ChildRecord, type EscalationRecord, type TransferRecord } from './sql-rows';

export interface TransferFilter {
  authority: string;
  status?: TransferStatus;
  /** Matches the sending or the receiving team. */
  team?: string;
  /** Open and past its due date on `today`. */
  overdue?: boolean;
  /** Proposed on or after / on or before (business dates, inclusive). */
  proposedFrom?: LocalDate;
  proposedTo?: LocalDate;
  /** The business date "overdue" is judged on (the system's clock, which tests and demos may set). */
  today: LocalDate;
}

/** Where a page ends: the last row's sort key. Newest first, ties broken by transfer id. */
export interface TransferPageKey {
  proposedAt: string;
  transferId: string;
}

export type TransferListRow = TransferRow & { overdue: boolean };

export class InvalidCursor extends Error {
  readonly code = 'INVALID_CURSOR';
  constructor() {
    super('not a cursor this API returned');
  }
}

/** Opaque to clients (base64url JSON), so the sort key can change without breaking their code. */
export function encodeCursor(key: TransferPageKey): string {
  return Buffer.from(JSON.stringify([key.proposedAt, key.transferId]), 'utf8').toString('base64url');
}

/**
 * A cursor is client input like any other (issue 15: one carrying 2026-13-45T25:61:61 reached the
 * query and answered 500): refused unless it holds a key a page could end on — a real instant
 * and a transfer id's characters.
 */
export function decodeCursor(cursor: string): TransferPageKey {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && isRealInstant(value[0]) && typeof value[1] === 'string' && TRANSFER_ID.test(value[1])) {
      return { proposedAt: value[0], transferId: value[1] };
    }
  } catch {
    // Not base64url JSON: refused below like any other malformed cursor.
  }
  throw new InvalidCursor();
}

const TRANSFER_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;

/**
 * The tables' spelling (microseconds, UTC) of an instant that exists. Date.parse rolls 30 February
 * over into March and takes year 0, neither of which PostgreSQL does: only an instant that prints
 * back as written, from 1970 on, is real.
 */
function isRealInstant(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(value)) return false;
  const milliseconds = `${value.slice(0, 23)}Z`;
  const parsed = Date.parse(milliseconds);
  return parsed >= 0 && new Date(parsed).toISOString() === milliseconds;
}

const OPEN = `status IN ('proposed', 'accepted', 'disputed')`;

export class ReportingQueries {
  constructor(private readonly readModels: ReadModelStore) {}

  /** One page of transfers, newest proposal first, and the key to pass for the next page (undefined on the last). */
  async transfers(filter: TransferFilter, page: { limit: number; after?: TransferPageKey }): Promise<{ rows: TransferListRow[]; next?: TransferPageKey }> {
    const params: SqlParameter[] = [filter.authority, filter.today];
    const where = ['authority = $1'];
    const param = (value: SqlParameter): string => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.status) where.push(`status = ${param(filter.status)}`);
    if (filter.team) {
      const team = param(filter.team);
      where.push(`(from_team = ${team} OR to_team = ${team})`);
    }
    if (filter.overdue !== undefined) where.push(`${filter.overdue ? '' : 'NOT '}(${OPEN} AND coalesce(due_by < $2::date, false))`);
    if (filter.proposedFrom) where.push(`proposed_on >= ${param(filter.proposedFrom)}::date`);
    if (filter.proposedTo) where.push(`proposed_on <= ${param(filter.proposedTo)}::date`);
    if (page.after) where.push(`(proposed_at, transfer_id) < (${param(page.after.proposedAt)}::timestamptz, ${param(page.after.transferId)})`);
    // One row more than the page: whether there is a next page, without a count.
    const rows = await this.readModels.query<TransferRecord & { overdue: boolean }>(
      `SELECT ${TRANSFER_COLUMNS},
              (${OPEN} AND coalesce(due_by < $2::date, false)) AS overdue
         FROM rm_transfers
        WHERE ${where.join(' AND ')}
        ORDER BY proposed_at DESC, transfer_id DESC
        LIMIT ${param(page.limit + 1)}`,
      params,
    );
    const shown = rows.slice(0, page.limit);
    const last = shown.at(-1);
    return {
      rows: shown.map((r) => ({ ...transferOf(r), overdue: r.overdue })),
      ...(rows.length > page.limit && last ? { next: { proposedAt: last.proposed_at, transferId: last.transfer_id } } : {}),
    };
  }

  /** The authority's escalations, oldest raised first. */
  async escalations(filter: { authority: string; status?: 'open' | 'resolved' }): Promise<EscalationRow[]> {
    const rows = await this.readModels.query<EscalationRecord>(
      `SELECT ${ESCALATION_COLUMNS} FROM rm_escalations
        WHERE authority = $1 AND ($2::text IS NULL OR status = $2)
        ORDER BY raised_at, escalation_id`,
      [filter.authority, filter.status ?? null],
    );
    return rows.map(escalationOf);
  }

  /** Everything the summary is computed from, for one authority. */
  async summaryInput(authority: string): Promise<{ transfers: TransferRow[]; children: ChildRow[] }> {
    const transfers = await this.readModels.query<TransferRecord>(`SELECT ${TRANSFER_COLUMNS} FROM rm_transfers WHERE authority = $1`, [authority]);
    const children = await this.readModels.query<ChildRecord>(`SELECT ${CHILD_COLUMNS} FROM rm_children WHERE authority = $1 AND transfers > 0`, [authority]);
    return { transfers: transfers.map(transferOf), children: children.map(childOf) };
  }
}
