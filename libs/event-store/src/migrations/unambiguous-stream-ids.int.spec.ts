/**
 * Migration 5 on a store written by the code before it: a store at schema version 4 whose streams
 * have the old ids (`child-<authority>-<childId>`), hash-chained by the store itself, including one
 * stream that (kent, east-C1) and (kent-east, C1) shared. After the migration every chain verifies,
 * every event is on the stream `childStreamId` gives its metadata, the shared stream is two, and the
 * timers moved with their streams. A store whose chains do not verify is refused and left as it was.
 * Run on PGlite always and on PostgreSQL when DATABASE_URL is set.
 */
import { childStreamId } from '@cto/domain';
import { eventually } from '@cto/testing';
import { START_CHECKPOINT, type NewEvent } from '../event-store.port';
import { SqlEventStore } from '../sql-event-store';
import type { SqlClient } from '../sql/sql-client';
import { describeOnEmptyDatabases, type EmptyDatabase } from '../testing';
import { verifyStore } from '../verify-store';
import { appendFunction, appendRefusalFunction, guardedAppendFunction } from './append-function';
import { migrate } from './migrate';
import { MIGRATIONS } from './migrations';
import { MigrationRefused, UNAMBIGUOUS_STREAM_IDS_VERSION } from './unambiguous-stream-ids';

jest.setTimeout(60000);

const BEFORE = MIGRATIONS.filter((migration) => migration.version < UNAMBIGUOUS_STREAM_IDS_VERSION);

let n = 0;
const fact = (authority: string, childId: string): NewEvent => ({
  eventId: `move-${++n}`,
  type: 'CaseNoteRecorded',
  data: { n, nested: { b: [1, { d: 2, c: 3 }] } },
  metadata: { kind: 'fact', authority, childId, occurredAt: '2026-03-02T10:00:00.000Z', source: 'lcs' },
});

interface EventRowSnapshot {
  global_position: string;
  transaction_id: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  data: unknown;
  metadata: { authority: string; childId: string; integrity: unknown };
}
const rowsOf = (sql: SqlClient): Promise<EventRowSnapshot[]> =>
  sql.query<EventRowSnapshot>(
    `SELECT global_position::text AS global_position, transaction_id::text AS transaction_id, event_id, stream_id, stream_version, type, data, metadata
       FROM events ORDER BY global_position`,
  );
const schemaVersion = async (sql: SqlClient): Promise<number> =>
  Number((await sql.query<{ version: number }>('SELECT max(version) AS version FROM schema_migrations'))[0].version);

function describeMigration(name: string, open: () => Promise<EmptyDatabase>): void {
  describe(`stream ids migration on ${name}`, () => {
    const opened: EmptyDatabase[] = [];
    afterAll(async () => {
      for (const database of opened) await database.dispose();
    });

    /** A store at schema version 4, as the code before the migration left it. */
    async function storeBeforeTheMigration(): Promise<{ sql: SqlClient; store: SqlEventStore }> {
      const database = await open();
      opened.push(database);
      await migrate(database.sql, BEFORE);
      // This code appends through the database function of migration 8, which needs only the events
      // table: made here ahead of its version, so today's store can write yesterday's schema (the
      // hash chain is the same); migration 8 replaces it when the store is brought up to date.
      for (const statement of [appendFunction, appendRefusalFunction, guardedAppendFunction]) await database.sql.query(statement);
      return { sql: database.sql, store: new SqlEventStore(database.sql) };
    }

    it('moves every event to the stream its metadata names, re-hashed, splitting a shared stream, with its timer', async () => {
      const { sql, store } = await storeBeforeTheMigration();
      const k1 = [fact('kent', 'K-1'), fact('kent', 'K-1'), fact('kent', 'K-1')];
      await store.appendToStream('child-kent-K-1', k1.slice(0, 2), { expectedVersion: 'no-stream' });
      // The shared stream: kent-east's C1 and kent's east-C1, interleaved.
      const shared = [fact('kent-east', 'C1'), fact('kent', 'east-C1'), fact('kent-east', 'C1')];
      for (const event of shared) await store.appendToStream('child-kent-east-C1', [event], { expectedVersion: 'any' });
      await store.appendToStream('child-kent-K-1', k1.slice(2), { expectedVersion: 2 });
      await store.appendToStream('child-southampton-S-1', [fact('southampton', 'S-1')], { expectedVersion: 'no-stream' });
      // The follower has read all seven: readAll holds back while any transaction in the cluster is
      // open (delay, never loss), and other tests share the cluster.
      const { checkpoint } = await eventually(() => store.readAll({ after: START_CHECKPOINT, limit: 100 }), (r) => r.events.length === 7, 'the follower to read all seven events');
      await store.withCheckpoint('follower', { from: START_CHECKPOINT, to: checkpoint }, async (tx) => {
        await tx.scheduleWake('child-kent-K-1', '2031-01-01');
        await tx.scheduleWake('child-kent-east-C1', '2031-02-02');
      });
      const before = await rowsOf(sql);

      const latest = MIGRATIONS.at(-1)!.version;
      const later = MIGRATIONS.filter((m) => m.version > UNAMBIGUOUS_STREAM_IDS_VERSION).map((m) => m.version);
      await expect(migrate(sql)).resolves.toEqual({ applied: [UNAMBIGUOUS_STREAM_IDS_VERSION, ...later], version: latest });

      await expect(verifyStore(sql, { pageSize: 2 })).resolves.toEqual({ ok: true, streams: 4, events: 7 });
      const after = await rowsOf(sql);
      // Only the stream id, version and integrity change: position, transaction, id, type and data stay.
      const kept = ({ global_position, transaction_id, event_id, type, data }: EventRowSnapshot) => ({ global_position, transaction_id, event_id, type, data });
      expect(after.map(kept)).toEqual(before.map(kept));
      for (const row of after) expect(row.stream_id).toBe(childStreamId(row.metadata.authority, row.metadata.childId));
      expect(after.map((row) => row.metadata.integrity)).not.toEqual(before.map((row) => row.metadata.integrity));

      const read = async (authority: string, childId: string) =>
        (await store.readStream(childStreamId(authority, childId))).events.map((e) => [e.eventId, e.streamVersion]);
      expect(await read('kent', 'K-1')).toEqual(k1.map((e, i) => [e.eventId, i + 1]));
      expect(await read('kent-east', 'C1')).toEqual([[shared[0].eventId, 1], [shared[2].eventId, 2]]);
      expect(await read('kent', 'east-C1')).toEqual([[shared[1].eventId, 1]]);

      // Each part of the shared stream keeps its timer; no timer is left on an old id.
      const wakes = await store.dueWakes('2031-12-31', 100);
      expect(wakes).toHaveLength(3);
      expect(wakes).toEqual(
        expect.arrayContaining([
          { streamId: childStreamId('kent', 'K-1'), wakeOn: '2031-01-01' },
          { streamId: childStreamId('kent', 'east-C1'), wakeOn: '2031-02-02' },
          { streamId: childStreamId('kent-east', 'C1'), wakeOn: '2031-02-02' },
        ]),
      );

      // A follower's checkpoint still stands: nothing moved is delivered again.
      expect(await store.loadCheckpoint('follower')).toBe(checkpoint);
      expect((await store.readAll({ after: checkpoint, limit: 100 })).events).toEqual([]);

      // The events are append-only again, and a moved stream goes on from its new head.
      await expect(sql.query('UPDATE events SET type = type WHERE false')).rejects.toThrow('append-only');
      await store.appendToStream(childStreamId('kent-east', 'C1'), [fact('kent-east', 'C1')], { expectedVersion: 2 });
      await expect(verifyStore(sql)).resolves.toEqual({ ok: true, streams: 4, events: 8 });
    });

    it('refuses a store whose chains do not verify, and leaves it as it was', async () => {
      const { sql, store } = await storeBeforeTheMigration();
      await store.appendToStream('child-kent-K-2', [fact('kent', 'K-2'), fact('kent', 'K-2')], { expectedVersion: 'no-stream' });
      await store.appendToStream('child-kent-K-3', [fact('kent', 'K-3')], { expectedVersion: 'no-stream' });
      // Changed behind the store's back, as someone with database access could.
      await sql.transaction(async (tx) => {
        await tx.query('ALTER TABLE events DISABLE TRIGGER events_append_only');
        await tx.query(`UPDATE events SET data = jsonb_set(data, '{n}', '0') WHERE stream_id = 'child-kent-K-2' AND stream_version = 2`);
        await tx.query('ALTER TABLE events ENABLE TRIGGER events_append_only');
      });
      const broken = await verifyStore(sql);
      expect(broken).toMatchObject({ ok: false, reason: 'hash-mismatch' });
      const before = await rowsOf(sql);

      const refusal = migrate(sql);
      await expect(refusal).rejects.toThrow(MigrationRefused);
      await expect(refusal).rejects.toThrow(
        `migration 5 refused, nothing was changed: the event at global position ${(broken as { globalPosition: string }).globalPosition} is on a hash chain that does not verify`,
      );

      expect(await schemaVersion(sql)).toBe(UNAMBIGUOUS_STREAM_IDS_VERSION - 1);
      expect(await rowsOf(sql)).toEqual(before);
      await expect(sql.query('UPDATE events SET type = type WHERE false')).rejects.toThrow('append-only');
    });

    it('refuses an event that is not on the stream its authority and child id name', async () => {
      const { sql, store } = await storeBeforeTheMigration();
      await store.appendToStream('child-kent-K-4', [fact('kent', 'K-4')], { expectedVersion: 'no-stream' });
      const [stray] = (await store.appendToStream('child-kent-K-4', [fact('kent', 'K-5')], { expectedVersion: 1 })).globalPositions;

      await expect(migrate(sql)).rejects.toThrow(`the event at global position ${stray} is not on the stream its authority and child id name`);
      expect(await schemaVersion(sql)).toBe(UNAMBIGUOUS_STREAM_IDS_VERSION - 1);
    });
  });
}

describeOnEmptyDatabases('stream ids migration', describeMigration);
