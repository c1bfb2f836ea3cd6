/**
 * Migration 11 on a store whose reporting tables the code before it filled: every escalation row
 * gains whom its current rung told beside its role, taken from its latest EscalationRaised as the
 * projection's fold takes it, and the BI view gains the column. Run on PGlite always and on
 * PostgreSQL when DATABASE_URL is set.
 */
import { childStreamId } from '@cto/domain';
import type { NewEvent } from '../event-store.port';
import { SqlEventStore } from '../sql-event-store';
import { describeOnEmptyDatabases, type EmptyDatabase } from '../testing';
import { migrate } from './migrate';
import { MIGRATIONS } from './migrations';

jest.setTimeout(60000);

const ALSO_TOLD_VERSION = 11;
const BEFORE = MIGRATIONS.filter((migration) => migration.version < ALSO_TOLD_VERSION);

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

describeOnEmptyDatabases('escalations’ alsoTold migration', (driver, open) => {
  describe(`escalations’ alsoTold migration on ${driver}`, () => {
    let database: EmptyDatabase;
    afterEach(async () => database?.dispose());

    it('fills each row from its latest EscalationRaised, nobody where none says, and adds the column to v_escalations', async () => {
      database = await open();
      const { sql } = database;
      await migrate(sql, BEFORE);
      const store = new SqlEventStore(sql);
      // E-1 climbed from a rung that told nobody else to one that told the IRO; E-2 told the CP
      // Chair at its first rung and then climbed to a rung that told nobody; E-3's events are not
      // in this store (a row the fill cannot match keeps nobody).
      await store.appendToStream(childStreamId('kent', 'K-1'), [raised('E-1', 1), raised('E-2', 1, ['Child Protection Chair'])], { expectedVersion: 'no-stream' });
      await store.appendToStream(childStreamId('kent', 'K-1'), [raised('E-1', 2, ['Independent Reviewing Officer']), raised('E-2', 2)], { expectedVersion: 2 });
      for (const statement of [rowBefore('E-1', 2), rowBefore('E-2', 2), rowBefore('E-3', 1)]) await sql.query(statement);

      await expect(migrate(sql)).resolves.toEqual({ applied: MIGRATIONS.filter((m) => m.version >= ALSO_TOLD_VERSION).map((m) => m.version), version: MIGRATIONS.at(-1)!.version });

      const rows = await sql.query<{ escalation_id: string; also_told: string }>('SELECT escalation_id, also_told::text AS also_told FROM v_escalations ORDER BY escalation_id');
      expect(rows.map((r) => [r.escalation_id, JSON.parse(r.also_told) as unknown])).toEqual([
        ['E-1', ['Independent Reviewing Officer']],
        ['E-2', []],
        ['E-3', []],
      ]);
    });
  });
});
