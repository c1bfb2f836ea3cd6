import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { START_CHECKPOINT, DuplicateEventId, StreamVersionConflict, type NewEvent } from './event-store.port';
import { openPostgresEventStore } from './open-postgres-event-store';
import type { SqlEventStore } from './sql-event-store';
import { describeEventStoreContract, type EventStoreContractTarget } from './testing';
import { readEverythingCommitted, waitUntilVisible } from './testing/visibility';

const databaseUrl = process.env.DATABASE_URL;

if (!databaseUrl) {
  // DESIGN.md "Testing": CI always sets DATABASE_URL, so there its absence is a broken pipeline.
  if (process.env.CI) throw new Error('DATABASE_URL is required in CI: the PostgreSQL event store contract suite cannot run without it');
  console.warn(
    'PostgreSQL event store suite NOT RUN: DATABASE_URL is not set (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test)',
  );
  describe('PostgreSQL event store', () => {
    it('needs DATABASE_URL (set it to run the PostgreSQL contract suite)', () => {
      throw new Error('DATABASE_URL is not set, so the PostgreSQL event store suite did not run; set it and run again');
    });
  });
} else {
  describeEventStoreContract('PostgreSQL', () => openTarget(databaseUrl, testSchemaName()));
  describePostgresOnly(databaseUrl);
}

/** A schema of this run's own, so runs (and other engineers' runs) on one server never meet. */
function testSchemaName(): string {
  return `cto_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
}

async function openTarget(connectionString: string, schema: string): Promise<EventStoreContractTarget> {
  const store = await openPostgresEventStore({ connectionString, schema, applicationName: schema });
  return {
    store,
    sql: store.sql,
    reopen: async () => {
      await store.close();
      return openTarget(connectionString, schema);
    },
    dispose: async () => {
      await store.close();
      await dropSchema(connectionString, schema);
    },
  };
}

async function dropSchema(connectionString: string, schema: string): Promise<void> {
  const admin = new Client({ connectionString });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await admin.end();
  }
}

/**
 * Cases that need two real connections at once, which PGlite (one connection, transactions
 * serialized) cannot show: a transaction held open while another commits.
 *
 * `withCheckpoint` is the tool for holding a writer open: its `work` appends, then waits for a gate
 * the test opens later, so that transaction keeps its rows uncommitted for as long as the test needs.
 */
function describePostgresOnly(connectionString: string): void {
  describe('PostgreSQL only — writers on separate connections', () => {
    const schema = testSchemaName();
    let store: SqlEventStore;
    let observer: Client;

    beforeAll(async () => {
      store = await openPostgresEventStore({ connectionString, schema, applicationName: schema });
      observer = new Client({ connectionString, options: `-c search_path=${schema}`, application_name: `${schema}_observer` });
      await observer.connect();
    });
    afterAll(async () => {
      await observer?.end();
      await store?.close();
      await dropSchema(connectionString, schema);
    });

    it('survives the server ending a connection in the middle of a transaction: the transaction fails, the process does not, the pool goes on', async () => {
      const unhandled: Error[] = [];
      const onUncaught = (error: Error) => unhandled.push(error);
      process.on('uncaughtException', onUncaught);
      try {
        const attempt = store.sql.transaction(async (tx) => {
          const [{ pid }] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          await observer.query('SELECT pg_terminate_backend($1)', [pid]);
          // Idle inside the transaction while the server drops the connection (a restart, an
          // administrator): pg-pool has no listener on a lent connection, so ours must catch it.
          await new Promise((resolve) => setTimeout(resolve, 300));
          await tx.query('SELECT 1');
        });
        await expect(attempt).rejects.toThrow();
        expect(unhandled).toEqual([]);
        await expect(store.sql.query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
        await expect(store.sql.transaction((tx) => tx.query('SELECT 2 AS two'))).resolves.toEqual([{ two: 2 }]);
      } finally {
        process.off('uncaughtException', onUncaught);
      }
    });

    /** Starts a withCheckpoint whose work appends `events` to `streamId` and then waits until released. */
    async function holdOpen(streamId: string, events: NewEvent[]): Promise<{ position: string; release: () => Promise<void> }> {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      let appended!: (position: string) => void;
      const appendedSignal = new Promise<string>((resolve) => (appended = resolve));
      const transaction = store.withCheckpoint(ids.subscription(), { from: START_CHECKPOINT, to: 'held' }, async (tx) => {
        const result = await tx.appendToStream(streamId, events, { expectedVersion: 'any' });
        appended(result.globalPositions[0]);
        await gate;
      });
      const position = await Promise.race([appendedSignal, transaction.then(() => Promise.reject(new Error('held transaction ended early')))]);
      return {
        position,
        release: async () => {
          open();
          await transaction;
        },
      };
    }

    /** Waits until one of the store's connections is queued behind a lock (bounded: fails if never). */
    async function untilStoreWaitsOnALock(): Promise<void> {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const { rows } = await observer.query<{ waiting: number }>(
          "SELECT count(*)::integer AS waiting FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'",
          [schema],
        );
        if (rows[0].waiting > 0) return;
        if (Date.now() > deadline) throw new Error('the store never waited on the held transaction');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }

    it('never returns an event committed behind one whose transaction is still open, and returns both once it commits', async () => {
      const head = await readEverythingCommitted({ store, sql: store.sql });
      const slow = newEvent();
      const fast = newEvent();

      // The slow writer inserts first, so it holds the lower position, and stays open...
      const held = await holdOpen(ids.stream(), [slow]);
      // ...while the fast writer inserts after it and commits at once.
      const committed = await store.appendToStream(ids.stream(), [fast], { expectedVersion: 'no-stream' });
      expect(BigInt(committed.globalPositions[0])).toBeGreaterThan(BigInt(held.position));

      // A reader following "position > last seen" would now take the fast event and move past the slow one for good.
      const byPosition = await observer.query<{ event_id: string }>('SELECT event_id FROM events WHERE global_position >= $1 ORDER BY global_position', [
        held.position,
      ]);
      expect(byPosition.rows.map((row) => row.event_id)).toEqual([fast.eventId]);

      // readAll returns neither while the slow transaction is open.
      await expect(store.readAll({ after: head.checkpoint, limit: 10 })).resolves.toEqual({ events: [], checkpoint: head.checkpoint });

      await held.release();

      const read = await waitUntilVisible(store, head.checkpoint, 2);
      expect(read.map((event) => event.eventId)).toEqual([slow.eventId, fast.eventId]);
    });

    it('makes a writer to the same stream wait for an open one, then refuses it with the version that committed', async () => {
      const streamId = ids.stream();
      const held = await holdOpen(streamId, [newEvent()]);
      const late = newEvent();

      const racing = store.appendToStream(streamId, [late], { expectedVersion: 'no-stream' });
      racing.catch(() => undefined); // observed below, after the held writer commits
      await untilStoreWaitsOnALock();
      await held.release();

      const error = await racing.then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(StreamVersionConflict);
      expect(error).toMatchObject({ expectedVersion: 'no-stream', actualVersion: 1 });
      expect(await store.findRecordedEventIds('contract', [late.eventId])).toEqual(new Set());
    });

    it('refuses an event id that another open transaction is writing to another stream, once that one commits', async () => {
      const shared = newEvent();
      const held = await holdOpen(ids.stream(), [shared]);
      const otherStream = ids.stream();
      const fresh = newEvent();

      const racing = store.appendToStream(otherStream, [fresh, { ...shared }], { expectedVersion: 'no-stream' });
      racing.catch(() => undefined);
      await untilStoreWaitsOnALock(); // on the unique index of event_id, behind the held insert
      await held.release();

      const error = await racing.then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(DuplicateEventId);
      expect(error).toMatchObject({ eventIds: [shared.eventId] });
      expect(await store.readStream(otherStream)).toEqual({ events: [], currentVersion: 0 });
      expect(await store.findRecordedEventIds('contract', [fresh.eventId])).toEqual(new Set());
    });

    it('refuses, inside a transaction that then carries on, an event id another open transaction is writing, once that one commits', async () => {
      const shared = newEvent();
      const held = await holdOpen(ids.stream(), [shared]);
      const otherStream = ids.stream();
      const [fresh, after] = [newEvent(), newEvent()];

      const transaction = store.transaction(async (tx) => {
        const refused = await tx.appendToStream(otherStream, [fresh, { ...shared }], { expectedVersion: 'no-stream' }).then(
          () => undefined,
          (reason: unknown) => reason,
        );
        // The refused append left nothing, and the transaction goes on.
        await tx.appendToStream(otherStream, [after], { expectedVersion: 'no-stream' });
        return refused;
      });
      await untilStoreWaitsOnALock(); // on the unique index of (authority, event_id), behind the held insert
      await held.release();

      const refused = await transaction;
      expect(refused).toBeInstanceOf(DuplicateEventId);
      expect(refused).toMatchObject({ eventIds: [shared.eventId] });
      expect((await store.readStream(otherStream)).events.map((event) => [event.eventId, event.streamVersion])).toEqual([[after.eventId, 1]]);
      expect(await store.findRecordedEventIds('contract', [fresh.eventId])).toEqual(new Set());
    });

    it('reports a version taken by a writer that bypassed the store as StreamVersionConflict, not a raw database error', async () => {
      const streamId = ids.stream();
      const intruder = new Client({ connectionString, options: `-c search_path=${schema}`, application_name: `${schema}_intruder` });
      await intruder.connect();
      try {
        // Writes version 1 without the store's per-stream lock, and stays open.
        await intruder.query('BEGIN');
        await intruder.query(
          `INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata) VALUES ($1, $2, 1, 'Intruded', '{}', '{}')`,
          [ids.event(), streamId],
        );
        const mine = [newEvent(), newEvent()];
        const racing = store.appendToStream(streamId, mine, { expectedVersion: 'no-stream' });
        racing.catch(() => undefined);
        await untilStoreWaitsOnALock(); // on the (stream_id, stream_version) unique index
        await intruder.query('COMMIT');

        const error = await racing.then(
          () => undefined,
          (reason: unknown) => reason,
        );
        expect(error).toBeInstanceOf(StreamVersionConflict);
        expect(error).toMatchObject({ expectedVersion: 'no-stream', actualVersion: 1 });
        expect(await store.findRecordedEventIds('contract', mine.map((event) => event.eventId))).toEqual(new Set());
      } finally {
        await intruder.end();
      }
    });

    it('holds a second claimer of a stream on its row until the first commits, then gives it what the first marked', async () => {
      const [consumer, shared, other] = ['allocation', ids.stream(), ids.stream()];
      // The row exists already, so it is the claim's lock, not a clash of inserts, that holds the second.
      await store.transaction((tx) => tx.markHandled(consumer, new Map([[shared, 1]])));
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      let marked!: () => void;
      const markedSignal = new Promise<void>((resolve) => (marked = resolve));
      const first = store.transaction(async (tx) => {
        await tx.claimStreams(consumer, [shared]);
        await tx.markHandled(consumer, new Map([[shared, 3]]));
        marked();
        await gate;
      });
      await markedSignal;

      let secondDone = false;
      const second = store.transaction((tx) => tx.claimStreams(consumer, [other, shared])).finally(() => (secondDone = true));
      await untilStoreWaitsOnALock();
      expect(secondDone).toBe(false);
      open();
      await first;

      await expect(second).resolves.toEqual(new Map([[other, 0], [shared, 3]]));
    });

    it('never reads a few streams with a parallel scan, whatever the statistics: launching workers cost ~300 ms a read under load (migration 10)', async () => {
      const streams = Array.from({ length: 300 }, () => ids.stream());
      await store.transaction((tx) => tx.appendToStreams(streams.map((streamId) => ({ streamId, events: [newEvent(), newEvent()], expectedVersion: 'no-stream' }))));
      // The probe: the same rows in a table without the option, which the planner does scan in parallel.
      await observer.query('CREATE TABLE events_without_option (LIKE events INCLUDING INDEXES); INSERT INTO events_without_option SELECT * FROM events');
      // Workers made free, as a large never-analysed table makes them look (it guesses a twentieth of
      // the table matches a batch's ids).
      await observer.query('SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; SET min_parallel_index_scan_size = 0');
      const plan = async (table: string) =>
        JSON.stringify(
          (
            await observer.query(`EXPLAIN (FORMAT JSON) SELECT * FROM ${table} WHERE stream_id = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb))) ORDER BY stream_id, stream_version`, [
              JSON.stringify(streams.slice(0, 20)),
            ])
          ).rows,
        );
      try {
        expect(await plan('events_without_option')).toMatch(/Gather/);
        expect(await plan('events')).not.toMatch(/Gather|"Parallel Aware":true/);
      } finally {
        await observer.query('RESET ALL; DROP TABLE events_without_option');
      }
    });

    it('keeps its tables in the run’s own schema', async () => {
      const { rows } = await observer.query<{ schema: string }>("SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'events' AND table_schema = $1", [
        schema,
      ]);
      expect(rows).toEqual([{ schema }]);
    });
  });
}

const run = randomUUID().slice(0, 8);
let sequence = 0;
const ids = {
  stream: (): string => `child-pg-${run}-${++sequence}`,
  event: (): string => `event-pg-${run}-${++sequence}`,
  subscription: (): string => `subscription-pg-${run}-${++sequence}`,
};

function newEvent(): NewEvent {
  return {
    eventId: ids.event(),
    type: 'CaseNoteRecorded',
    data: { note: 'pg' },
    metadata: { kind: 'fact', authority: 'contract', childId: 'C-1', occurredAt: '2026-03-02T10:00:00.000Z' },
  };
}
