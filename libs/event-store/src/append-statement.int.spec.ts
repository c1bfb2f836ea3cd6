/**
 * DESIGN.md "Storage": the append is one statement (lock, expected-version check and insert
 * together). Counted here on PGlite through a client that records what it is asked to run, because
 * the cost of an append on a real server is mostly its round trips (bench/README.md, "Event store
 * append"); how fast it is, is measured in bench/, not here.
 */
import { StreamVersionConflict, type NewEvent } from './event-store.port';
import { openPgliteEventStore } from './open-pglite-event-store';
import { SqlEventStore } from './sql-event-store';
import type { NamedStatement, SqlClient, SqlExecutor, SqlParameter } from './sql/sql-client';
import { whyPgliteCannotStartUnderJest } from './testing';

const pgliteProblem = whyPgliteCannotStartUnderJest();

/** Records each statement run, outside a transaction or inside one, and passes it on. */
function counting(client: SqlClient, statements: string[]): SqlClient {
  const record = (executor: SqlExecutor): SqlExecutor => ({
    query: <Row>(statement: string | NamedStatement, params?: readonly SqlParameter[]) => {
      statements.push(typeof statement === 'string' ? statement : statement.text);
      return executor.query<Row>(statement, params);
    },
  });
  return {
    ...record(client),
    transaction: (work) => client.transaction((tx) => work(record(tx))),
    close: () => client.close(),
  };
}

const event = (eventId: string): NewEvent => ({
  eventId,
  type: 'CaseNoteRecorded',
  data: { note: eventId },
  metadata: { kind: 'fact', authority: 'contract', childId: 'C-1', occurredAt: '2026-03-02T10:00:00.000Z' },
});

describe('the append is one statement', () => {
  let store: SqlEventStore;
  const statements: string[] = [];

  beforeAll(async () => {
    // Fails the suite with the reason rather than skip it (as the other PGlite specs do).
    if (pgliteProblem) throw new Error(pgliteProblem);
    const opened = await openPgliteEventStore();
    store = new SqlEventStore(counting(opened.sql, statements));
  });
  afterAll(async () => {
    await store?.close();
  });
  beforeEach(() => {
    statements.length = 0;
  });

  it('appends a batch, or refuses a stale version, in one statement of its own', async () => {
    await store.appendToStream('child/contract/one', [event('one-1'), event('one-2'), event('one-3')], { expectedVersion: 'no-stream' });
    expect(statements).toHaveLength(1);
    await expect(store.appendToStream('child/contract/one', [event('one-4')], { expectedVersion: 1 })).rejects.toBeInstanceOf(StreamVersionConflict);
    expect(statements).toHaveLength(2);
  });

  it('appends inside a transaction in one statement, with no savepoint around it', async () => {
    await store.transaction(async (tx) => {
      await tx.appendToStream('child/contract/two', [event('two-1')], { expectedVersion: 'no-stream' });
      await expect(tx.appendToStream('child/contract/two', [event('two-2')], { expectedVersion: 0 })).rejects.toBeInstanceOf(StreamVersionConflict);
      await tx.appendToStream('child/contract/two', [event('two-2')], { expectedVersion: 1 });
    });
    expect(statements).toHaveLength(3);
    expect(statements.join('\n')).not.toMatch(/SAVEPOINT/i);
  });

  it('makes several appends inside a transaction, some refused, in one statement', async () => {
    await store.transaction(async (tx) => {
      const outcomes = await tx.appendToStreams([
        { streamId: 'child/contract/three', events: [event('three-1')], expectedVersion: 'no-stream' },
        { streamId: 'child/contract/three', events: [event('three-2')], expectedVersion: 0 },
        { streamId: 'child/contract/four', events: [event('three-1')], expectedVersion: 'any' },
        { streamId: 'child/contract/three', events: [event('three-2'), event('three-3')], expectedVersion: 1 },
      ]);
      expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, false, false, true]);
    });
    expect(statements).toHaveLength(1);
    expect(statements.join('\n')).not.toMatch(/SAVEPOINT/i);
  });
});
