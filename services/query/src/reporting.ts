/**
 * Reads of the reporting read models for the HTTP API: transfers across children, escalations,
 * and the summary report. Each read first brings the tables up to the log, so a client reads what
 * it has just caused (the projection also runs in the background for BI readers of the views).
 */
import { Inject, Injectable } from '@nestjs/common';
import { localDateOf, type LocalDate, type TransferStatus } from '@cto/domain';
import type { PackRegistry } from '@cto/policy-packs';
import { decodeCursor, encodeCursor, InvalidCursor, ReportingQueries, summarise, type EscalationRow, type ReportSummary, type TransferRow } from '@cto/read-models';
import { CLOCK, InputRejected, PACK_REGISTRY, type Clock } from '@cto/runtime';
import { ReportingProjection } from './reporting-projection';

/** A transfer as the list shows it: the read-model row, with whether it is overdue today. */
export type TransferListView = Omit<TransferRow, 'proposedOn' | 'lastChangedAt'> & { overdue: boolean };

export interface EscalationView {
  escalationId: string;
  authority: string;
  childId: string;
  transferId?: string;
  reason: EscalationRow['reason'];
  rung: number;
  role: string;
  dueBy: LocalDate | null;
  about?: string;
  /** Roles the current rung told beside `role` (the rung's `alsoTell`); left out: nobody. */
  alsoTold?: string[];
  ruleId: string;
  citation: string;
  raisedAt: string;
  status: 'open' | 'resolved';
  resolvedAt?: string;
  resolution?: string;
}

export interface TransferListRequest {
  authority: string;
  status?: TransferStatus;
  team?: string;
  overdue?: boolean;
  from?: LocalDate;
  to?: LocalDate;
  limit: number;
  cursor?: string;
}

/** Instants as the rest of the API writes them (milliseconds); the tables keep microseconds. */
const instant = (value: string): string => new Date(value).toISOString();

@Injectable()
export class Reporting {
  constructor(
    private readonly queries: ReportingQueries,
    private readonly projection: ReportingProjection,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PACK_REGISTRY) private readonly packs: PackRegistry,
  ) {}

  async transfers(request: TransferListRequest): Promise<{ transfers: TransferListView[]; nextCursor: string | null }> {
    let after;
    try {
      after = request.cursor === undefined ? undefined : decodeCursor(request.cursor);
    } catch (error) {
      if (error instanceof InvalidCursor) throw new InputRejected('invalid-cursor', 'the cursor is not one this API returned', [{ path: '/cursor', reason: error.message }]);
      throw error;
    }
    await this.projection.catchUp();
    const { rows, next } = await this.queries.transfers(
      {
        authority: request.authority,
        ...(request.status ? { status: request.status } : {}),
        ...(request.team ? { team: request.team } : {}),
        ...(request.overdue !== undefined ? { overdue: request.overdue } : {}),
        ...(request.from ? { proposedFrom: request.from } : {}),
        ...(request.to ? { proposedTo: request.to } : {}),
        today: this.today(),
      },
      { limit: request.limit, ...(after ? { after } : {}) },
    );
    return { transfers: rows.map(transferView), nextCursor: next ? encodeCursor(next) : null };
  }

  async escalations(authority: string, status?: 'open' | 'resolved'): Promise<EscalationView[]> {
    await this.projection.catchUp();
    return (await this.queries.escalations({ authority, ...(status ? { status } : {}) })).map(escalationView);
  }

  async summary(authority: string): Promise<ReportSummary> {
    await this.projection.catchUp();
    const { transfers, children } = await this.queries.summaryInput(authority);
    return summarise({ authority, asOf: this.today(), pack: this.packs.forAuthority(authority)?.pack, transfers, children });
  }

  /** Overdue is judged on the system's clock (which POST /v1/admin/clock may set), like every timer. */
  private today(): LocalDate {
    return localDateOf(this.clock.now());
  }
}

const transferView = (t: TransferRow & { overdue: boolean }): TransferListView => ({
  transferId: t.transferId,
  authority: t.authority,
  childId: t.childId,
  status: t.status,
  fromTeam: t.fromTeam,
  toTeam: t.toTeam,
  ruleId: t.ruleId,
  citation: t.citation,
  packId: t.packId,
  packVersion: t.packVersion,
  proposedAt: instant(t.proposedAt),
  dueBy: t.dueBy,
  completedAt: t.completedAt && instant(t.completedAt),
  completedOn: t.completedOn,
  closedOn: t.closedOn,
  closedReason: t.closedReason,
  closedCitation: t.closedCitation,
  overdue: t.overdue,
});

const escalationView = (e: EscalationRow): EscalationView => ({
  escalationId: e.escalationId,
  authority: e.authority,
  childId: e.childId,
  ...(e.transferId ? { transferId: e.transferId } : {}),
  reason: e.reason,
  rung: e.rung,
  role: e.role,
  dueBy: e.dueBy,
  ...(e.about ? { about: e.about } : {}),
  ...(e.alsoTold.length ? { alsoTold: e.alsoTold } : {}),
  ruleId: e.ruleId,
  citation: e.citation,
  raisedAt: instant(e.raisedAt),
  status: e.status,
  ...(e.resolvedAt ? { resolvedAt: instant(e.resolvedAt) } : {}),
  ...(e.resolution ? { resolution: e.resolution } : {}),
});
