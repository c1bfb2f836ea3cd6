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
    const connection = await this.lend(onConnectionError);
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

  /**
   * A pooled connection with `onError` already listening. It is attached inside pg-pool's callback,
   * not after an awaited promise: the pool lends a new connection from the parser's ReadyForQuery
   * handler, and a server shutting down sends its FATAL in the same read, which pg emits as
   * 'error' before any promise continuation runs. With no listener yet, that error was thrown out
   * of the socket handler (seen in CI: test/e2e/infrastructure-restart.int.spec.ts, 57P01).
   */
  private lend(onError: (error: Error) => void): Promise<PoolClient> {
    return new Promise((resolve, reject) => {
      this.pool.connect((error, connection) => {
        if (error || !connection) return reject(error ?? new Error('the pool lent no connection'));
        connection.on('error', onError);
        resolve(connection);
      });
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
