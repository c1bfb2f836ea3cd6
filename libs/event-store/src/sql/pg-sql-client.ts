import type { Pool, PoolClient } from 'pg';
import { TransactionFinished, type NamedStatement, type SqlClient, type SqlExecutor, type SqlParameter } from './sql-client';

/** pg's query config: a named statement is parsed once per connection and kept prepared there. */
function configOf(statement: string | NamedStatement, params: readonly SqlParameter[]): { name?: string; text: string; values: SqlParameter[] } {
  return typeof statement === 'string' ? { text: statement, values: [...params] } : { name: statement.name, text: statement.text, values: [...params] };
}

/** SqlClient over a `pg` Pool: plain queries take any free connection, a transaction pins one. */
export class PgSqlClient implements SqlClient {
  constructor(private readonly pool: Pool) {}

  async query<Row = Record<string, unknown>>(statement: string | NamedStatement, params: readonly SqlParameter[] = []): Promise<Row[]> {
    const result = await this.pool.query(configOf(statement, params));
    return result.rows as Row[];
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const connection: PoolClient = await this.pool.connect();
    let finished = false;
    // Set when ROLLBACK itself fails, or the server ends the connection mid-transaction: the
    // connection is in an unknown state and must not be reused.
    let broken: Error | undefined;
    // pg-pool takes its own error listener off a connection while it is lent out, so a server that
    // goes away between two statements (a restart, an administrator's terminate) would raise an
    // unhandled 'error' and bring the process down. The statement in flight, or the next one,
    // fails anyway; the transaction rolls back, and the connection is discarded.
    const onConnectionError = (error: Error) => {
      broken ??= error;
    };
    connection.on('error', onConnectionError);
    // A late query on a released connection would run inside whatever the pool lends it to next.
    const tx: SqlExecutor = {
      query: async <Row>(statement: string | NamedStatement, params: readonly SqlParameter[] = []): Promise<Row[]> => {
        if (finished) throw new TransactionFinished();
        const result = await connection.query(configOf(statement, params));
        return result.rows as Row[];
      },
    };
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
      connection.removeListener('error', onConnectionError);
      connection.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
