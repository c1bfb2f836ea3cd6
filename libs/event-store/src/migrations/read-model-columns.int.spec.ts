/**
 * Migrations that add a column to a reporting table, on a store whose tables the code before them
 * filled: the rows already there are filled from the events as the projection's fold would have
 * filled them, and the BI view gains the column. 11: whom an escalation's current rung told beside
 * its role (its latest EscalationRaised). 12: why a transfer closed without completing (the
 * decision that closed it). Run on PGlite always and on PostgreSQL when DATABASE_URL is set.
 */
import { childStreamId } from '@cto/domain';
import type { NewEvent } from '../event-store.port';
import { SqlEventStore } from '../sql-event-store';
import { describeOnEmptyDatabases, type EmptyDatabase } from '../testing';
import { migrate } from './migrate';
import { MIGRATIONS } from './migrations';

jest.setTimeout(60000);

const ALSO_TOLD_VERSION = 11;
const CLOSED_REASON_VERSION = 12;
const before = (version: number) => MIGRATIONS.filter((migration) => migration.version < version);
const fromVersion = (version: number) => ({ applied: MIGRATIONS.filter((m) => m.version >= version).map((m) => m.version), version: MIGRATIONS.at(-1)!.version });

let n = 0;
const raised = (escalationId: string, rung: number, alsoTold?: string[]): NewEvent => ({
  eventId: `raised-${++n}`,
  type: 'EscalationRaised',
  data: { escalationId, rung, role: `rung ${rung}`, reason: 'disputed', dueBy: null, ruleId: 'escalation-disputed', citation: '003 §4', ...(alsoTold ? { alsoTold } : {}) },
  metadata: { kind: 'decision', authority: 'kent', childId: 'K-1', occurredAt: '2026-05-07T09:00:00.000Z', causationId: `cause-${n}` },
});

/** A row as the projection before migration 11 wrote it (no also_told). */
const rowBefore = (escalationId: string, rung: number) =>
  `INSERT INTO rm_escalations (escalation_id, authority, child_id, reason, rung, role, rule_id, citation, raised_at, status, last_changed_at)
   VALUES ('${escalationId}', 'kent', 'K-1', 'disputed', ${rung}, 'rung ${rung}', 'escalation-disputed', '003 §4', now(), 'open', now())`;

describeOnEmptyDatabases('reporting columns migrations', (driver, open) => {
  describe(`reporting columns migrations on ${driver}`, () => {
    let database: EmptyDatabase;
    afterEach(async () => database?.dispose());

    it('11 fills each escalation from its latest EscalationRaised, nobody where none says, and adds the column to v_escalations', async () => {
      database = await open();
      const { sql } = database;
      await migrate(sql, before(ALSO_TOLD_VERSION));
      const store = new SqlEventStore(sql);
      // E-1 climbed from a rung that told nobody else to one that told the IRO; E-2 told the CP
      // Chair at its first rung and then climbed to a rung that told nobody; E-3's events are not
      // in this store (a row the fill cannot match keeps nobody).
      await store.appendToStream(childStreamId('kent', 'K-1'), [raised('E-1', 1), raised('E-2', 1, ['Child Protection Chair'])], { expectedVersion: 'no-stream' });
      await store.appendToStream(childStreamId('kent', 'K-1'), [raised('E-1', 2, ['Independent Reviewing Officer']), raised('E-2', 2)], { expectedVersion: 2 });
      for (const statement of [rowBefore('E-1', 2), rowBefore('E-2', 2), rowBefore('E-3', 1)]) await sql.query(statement);

      await expect(migrate(sql)).resolves.toEqual(fromVersion(ALSO_TOLD_VERSION));

      const rows = await sql.query<{ escalation_id: string; also_told: string }>('SELECT escalation_id, also_told::text AS also_told FROM v_escalations ORDER BY escalation_id');
      expect(rows.map((r) => [r.escalation_id, JSON.parse(r.also_told) as unknown])).toEqual([
        ['E-1', ['Independent Reviewing Officer']],
        ['E-2', []],
        ['E-3', []],
      ]);
    });

    it('12 fills each closed transfer from the decision that closed it, the first of its kind, and adds the columns to v_transfers', async () => {
      database = await open();
      const { sql } = database;
      await migrate(sql, before(CLOSED_REASON_VERSION));
      const store = new SqlEventStore(sql);
      // T-R rejected (a withdrawal after it found it closed, changing nothing); T-W withdrawn as a
      // lapsed referral, then withdrawn again (found closed); T-O still open.
      await store.appendToStream(
        childStreamId('kent', 'K-1'),
        [
          closing('TransferRejected', 'T-R', 'not a transfer the team can take', '002 ¶5'),
          closing('TransferWithdrawn', 'T-R', 'superseded-by-late-fact', '000 ¶12'),
          closing('TransferWithdrawn', 'T-W', 'lapsed: referral not actioned (not actioned by 2026-05-20)', '004 CFF 14'),
          closing('TransferWithdrawn', 'T-W', 'superseded-by-late-fact', '000 ¶12'),
        ],
        { expectedVersion: 'no-stream' },
      );
      for (const [transferId, status] of [['T-R', 'rejected'], ['T-W', 'withdrawn'], ['T-O', 'proposed']]) await sql.query(transferBefore(transferId, status));

      await expect(migrate(sql)).resolves.toEqual(fromVersion(CLOSED_REASON_VERSION));

      const rows = await sql.query<{ transfer_id: string; closed_reason: string | null; closed_citation: string | null }>(
        'SELECT transfer_id, closed_reason, closed_citation FROM v_transfers ORDER BY transfer_id',
      );
      expect(rows).toEqual([
        { transfer_id: 'T-O', closed_reason: null, closed_citation: null },
        { transfer_id: 'T-R', closed_reason: 'not a transfer the team can take', closed_citation: '002 ¶5' },
        { transfer_id: 'T-W', closed_reason: 'lapsed: referral not actioned (not actioned by 2026-05-20)', closed_citation: '004 CFF 14' },
      ]);
    });
  });
});

/** A decision that closes a transfer (TransferRejected, TransferWithdrawn). */
function closing(type: 'TransferRejected' | 'TransferWithdrawn', transferId: string, reason: string, citation: string): NewEvent {
  return {
    eventId: `closing-${++n}`,
    type,
    data: { transferId, reason, ruleId: 'r', ruleVersion: 1, packId: 'kent', packVersion: '1', citation },
    metadata: { kind: 'decision', authority: 'kent', childId: 'K-1', occurredAt: '2026-05-21T09:00:00.000Z', causationId: `cause-${n}` },
  };
}

/** A transfer row as the projection before migration 12 wrote it. */
const transferBefore = (transferId: string, status: string) =>
  `INSERT INTO rm_transfers (transfer_id, authority, child_id, status, from_team, to_team, rule_id, citation, pack_id, pack_version, proposed_at, proposed_on, last_changed_at)
   VALUES ('${transferId}', 'kent', 'K-1', '${status}', 'A', 'B', 'r', '000 ¶12', 'kent', '1', now(), '2026-05-01', now())`;
