import type { PGlite } from '@electric-sql/pglite';
import { TransactionFinished, type NamedStatement, type SqlClient, type SqlExecutor, type SqlParameter } from './sql-client';

const textOf = (statement: string | NamedStatement): string => (typeof statement === 'string' ? statement : statement.text);

/**
 * SqlClient over PGlite. PGlite is a single connection: its own `transaction()` holds a mutex that
 * its `query()` also waits on, so transactions and plain queries from concurrent callers are
 * serialized rather than interleaved inside someone else's transaction.
 */
export class PgliteSqlClient implements SqlClient {
  constructor(private readonly db: PGlite) {}

  async query<Row = Record<string, unknown>>(statement: string | NamedStatement, params: readonly SqlParameter[] = []): Promise<Row[]> {
    const result = await this.db.query<Row>(textOf(statement), [...params]);
    return result.rows;
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(async (pgliteTx) => {
      const tx: SqlExecutor = {
        query: async <Row>(statement: string | NamedStatement, params: readonly SqlParameter[] = []): Promise<Row[]> => {
          if (pgliteTx.closed) throw new TransactionFinished();
          const result = await pgliteTx.query<Row>(textOf(statement), [...params]);
          return result.rows;
        },
      };
      return work(tx);
    });
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}
