/**
 * `npm run db:rebuild-read-models` on the embedded store: rows someone damaged are put right, and
 * a rebuild from position 0 gives exactly the rows the projection had kept incrementally.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childStreamId } from '@cto/domain';
import { openPgliteEventStore, SqlReadModelStore, type NewEvent } from '@cto/event-store';
import { whyPgliteCannotStartUnderJest } from '@cto/event-store/testing';
import { dumpRows, ReadModelProjector } from '@cto/read-models';
import { loadConfig } from '@cto/runtime';
import { rebuildReadModels } from './rebuild-read-models';

// Three PGlite starts (seconds of CPU each): on a loaded 2-core machine the default 30 s is not enough.
jest.setTimeout(90000);

const child = { authority: 'demo', childId: 'RB-1' };
const ref = { ruleId: 'child-protection-plan-to-fsp', ruleVersion: 1, packId: 'internal-transfer-v11', packVersion: '1', citation: '000 ¶12' };
const decision = (eventId: string, type: string, at: string, data: object): NewEvent => ({
  eventId,
  type,
  data: { ...ref, ...data },
  metadata: { kind: 'decision', ...child, occurredAt: at, causationId: 'cause' },
});

describe('npm run db:rebuild-read-models', () => {
  let dataDir: string;
  beforeAll(() => {
    const why = whyPgliteCannotStartUnderJest();
    if (why) throw new Error(why);
    dataDir = mkdtempSync(join(tmpdir(), 'cto-rebuild-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('replays from position 0 to the same rows the projection kept, repairing damaged ones', async () => {
    const store = await openPgliteEventStore({ dataDir: join(dataDir, 'pglite') });
    let kept;
    try {
      await store.appendToStream(
        childStreamId(child.authority, child.childId),
        [
          { eventId: 'f-1', type: 'WorkerAllocated', data: { team: 'A&I', workerId: 'W-1' }, metadata: { kind: 'fact', ...child, occurredAt: '2026-05-01T09:00:00Z' } },
          decision('d-1', 'TransferProposed', '2026-05-01T10:00:00Z', { transferId: 'RB-T1', fromTeam: 'A&I', toTeam: 'FSP', dueBy: '2026-05-18', trigger: {}, handoverPoint: {}, explanation: [] }),
          decision('d-2', 'TransferCompleted', '2026-05-11T10:00:00Z', { transferId: 'RB-T1', toTeam: 'FSP', completedOn: '2026-05-11' }),
          decision('d-3', 'EscalationRaised', '2026-05-04T10:00:00Z', { escalationId: 'RB-E1', rung: 1, role: 'team manager', reason: 'overdue', dueBy: '2026-05-05' }),
        ],
        { expectedVersion: 'no-stream' },
      );
      await new ReadModelProjector({ store, readModels: new SqlReadModelStore(store.sql) }).catchUp();
      kept = await dumpRows(store.sql);
      // Damage the read models as a bad deployment of the projection might have.
      await store.sql.query(`UPDATE rm_children SET closed_days_on_transfer = 999, current_team = 'nobody'`);
      await store.sql.query(`DELETE FROM rm_escalations`);
    } finally {
      await store.close();
    }

    const report = await rebuildReadModels(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
    expect(report).toMatchObject({ events: 4, rows: { rm_transfers: 1, rm_escalations: 1, rm_checklists: 0, rm_children: 1 } });

    const reopened = await openPgliteEventStore({ dataDir: join(dataDir, 'pglite') });
    try {
      const rebuilt = await dumpRows(reopened.sql);
      expect(rebuilt).toEqual(kept);
      expect([...rebuilt.children.values()][0]).toMatchObject({ currentTeam: 'FSP', closedDaysOnTransfer: 10, completedTransfers: 1 });
    } finally {
      await reopened.close();
    }
  });
});
