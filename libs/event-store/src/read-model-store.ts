/**
 * Read models kept in the same database as the events (reporting tables, SQL views). A projection
 * writes its rows and moves its checkpoint in ONE transaction, so a crash between the two can
 * neither lose an event's effect nor count it twice: after a restart the projection starts again
 * from the checkpoint that committed with the rows.
 *
 * This is deliberately a separate port from EventStore: `withCheckpoint` hands its work an
 * EventStoreTransaction (append, read a stream) because deciders write events; a projection writes
 * rows of its own tables, so it is given the transaction's SQL executor instead. Both share the
 * subscription_checkpoints table and the same SqlClient, so a read model works on PostgreSQL and
 * on PGlite with one SQL implementation, and on PGlite through its one connection.
 */
import { CheckpointConflict, START_CHECKPOINT, type GlobalCheckpoint } from './event-store.port';
import type { SqlClient, SqlExecutor, SqlParameter } from './sql/sql-client';

export interface ReadModelStore {
  /**
   * Runs `work` on the projection's transaction and stores `move.to` as its checkpoint in the same
   * transaction. The stored checkpoint must still be `move.from`; otherwise another runner (or a
   * rebuild) moved it: CheckpointConflict, and nothing of `work` is kept.
   */
  project<T>(projection: string, move: { from: GlobalCheckpoint; to: GlobalCheckpoint }, work: (sql: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * Forgets the projections' checkpoints and runs `reset` (e.g. TRUNCATE of their tables) in one
   * transaction, so the next `project` starts from the beginning of the log with empty tables.
   */
  reset(projections: readonly string[], reset: (sql: SqlExecutor) => Promise<void>): Promise<void>;
  /** One read statement outside any projection transaction (the query side). */
  query<Row = Record<string, unknown>>(text: string, params?: readonly SqlParameter[]): Promise<Row[]>;
}

/** The ReadModelStore over the event store's own SqlClient. It does not own the client: closing the event store closes it. */
export class SqlReadModelStore implements ReadModelStore {
  constructor(private readonly sql: SqlClient) {}

  async project<T>(projection: string, move: { from: GlobalCheckpoint; to: GlobalCheckpoint }, work: (sql: SqlExecutor) => Promise<T>): Promise<T> {
    if (!projection) throw new RangeError('project needs a projection name');
    return this.sql.transaction(async (tx) => {
      // As in SqlEventStore.withCheckpoint: the row lock makes a second runner wait here, then see
      // what the first stored, so two runners never apply one batch twice.
      const actual = await lockProjectionCheckpoint(tx, projection);
      if (actual !== move.from) throw new CheckpointConflict(projection, move.from, actual);
      const result = await work(tx);
      await tx.query('UPDATE subscription_checkpoints SET checkpoint = $2, updated_at = now() WHERE subscription = $1', [projection, move.to]);
      return result;
    });
  }

  async reset(projections: readonly string[], reset: (sql: SqlExecutor) => Promise<void>): Promise<void> {
    await this.sql.transaction(async (tx) => {
      // Deleting the rows waits for a running batch's row lock; that batch then finds its checkpoint
      // gone (CheckpointConflict) and starts again from the beginning, on the emptied tables.
      await tx.query('DELETE FROM subscription_checkpoints WHERE subscription IN (SELECT jsonb_array_elements_text($1::jsonb))', [
        JSON.stringify(projections),
      ]);
      await reset(tx);
    });
  }

  query<Row = Record<string, unknown>>(text: string, params: readonly SqlParameter[] = []): Promise<Row[]> {
    return this.sql.query<Row>(text, params);
  }
}

/** Locks the projection's checkpoint row (creating it at START_CHECKPOINT if absent) and returns its checkpoint. */
async function lockProjectionCheckpoint(tx: SqlExecutor, projection: string): Promise<GlobalCheckpoint> {
  const select = 'SELECT checkpoint FROM subscription_checkpoints WHERE subscription = $1 FOR UPDATE';
  const [existing] = await tx.query<{ checkpoint: string }>(select, [projection]);
  if (existing) return existing.checkpoint;
  await tx.query('INSERT INTO subscription_checkpoints (subscription, checkpoint) VALUES ($1, $2) ON CONFLICT (subscription) DO NOTHING', [
    projection,
    START_CHECKPOINT,
  ]);
  const [created] = await tx.query<{ checkpoint: string }>(select, [projection]);
  return created.checkpoint;
}
