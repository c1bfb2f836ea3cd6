import type { Pool, PoolClient } from 'pg';
import { TransactionFinished, type SqlClient, type SqlExecutor, type SqlParameter } from './sql-client';

/** SqlClient over a `pg` Pool: plain queries take any free connection, a transaction pins one. */
export class PgSqlClient implements SqlClient {
  constructor(private readonly pool: Pool) {}

  async query<Row = Record<string, unknown>>(text: string, params: readonly SqlParameter[] = []): Promise<Row[]> {
    const result = await this.pool.query(text, [...params]);
    return result.rows as Row[];
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const connection: PoolClient = await this.pool.connect();
    let finished = false;
    // A late query on a released connection would run inside whatever the pool lends it to next.
    const tx: SqlExecutor = {
      query: async <Row>(text: string, params: readonly SqlParameter[] = []): Promise<Row[]> => {
        if (finished) throw new TransactionFinished();
        const result = await connection.query(text, [...params]);
        return result.rows as Row[];
      },
    };
    // Set when ROLLBACK itself fails: the connection is in an unknown state and must not be reused.
    let broken: Error | undefined;
    try {
      await connection.query('BEGIN');
      const result = await work(tx);
      await connection.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await connection.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      }
      throw error;
    } finally {
      finished = true;
      connection.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
