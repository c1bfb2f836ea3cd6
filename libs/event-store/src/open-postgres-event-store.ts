import { migrate } from './migrations/migrate';
import { SqlEventStore } from './sql-event-store';
import { MIGRATION_LOCK_CLASS } from './sql/advisory-locks';
import { PgSqlClient } from './sql/pg-sql-client';

export interface PostgresEventStoreOptions {
  connectionString: string;
  /**
   * Keep the tables in this schema (created if missing) by putting it first on every connection's
   * search_path; by default they go wherever the server's search_path puts them (usually public).
   * Lower-case letters, digits and underscores, so it never needs quoting.
   */
  schema?: string;
  /** Shown in pg_stat_activity, so an operator can tell which service holds a connection. */
  applicationName?: string;
  /** Pool size (pg's default is 10). */
  maxConnections?: number;
  /**
   * An idle pooled connection failed (server restart, network). The pool has already discarded it
   * and the next query opens a new one; without a listener, pg's 'error' event would end the process.
   * Defaults to a line on stderr.
   */
  onIdleConnectionError?: (error: Error) => void;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Opens a pool, brings the schema up to date (migrate) and returns the store; closing the store ends the pool. */
export async function openPostgresEventStore(options: PostgresEventStoreOptions): Promise<SqlEventStore> {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new RangeError(`schema must match ${SCHEMA_NAME.source}, got ${JSON.stringify(schema)}`);
  }
  // Two safety nets, so that a stuck unit of work fails loudly and is retried rather than holding
  // a consumer's partition in silence: a caller waits at most 30 s for a free connection (a pool
  // drained by transactions that never end), and the server ends a transaction whose client has
  // sent nothing for 60 s (every transaction here is a few statements in a row; none waits on
  // anything but the database).
  const serverOptions = [...(schema !== undefined ? [`-c search_path=${schema}`] : []), '-c idle_in_transaction_session_timeout=60000'];
  // pg is loaded here, when a PostgreSQL store is opened, not when @cto/event-store is imported: the
  // embedded process imports this library for PGlite and never opens a pg pool (issue 18 item 5;
  // what pg cost that process is in bench/README.md section 6).
  const { Pool } = await import('pg');
  const pool = new Pool({
    connectionString: options.connectionString,
    connectionTimeoutMillis: 30_000,
    options: serverOptions.join(' '),
    ...(options.applicationName !== undefined ? { application_name: options.applicationName } : {}),
    ...(options.maxConnections !== undefined ? { max: options.maxConnections } : {}),
  });
  pool.on(
    'error',
    options.onIdleConnectionError ?? ((error) => console.error(`event store: idle PostgreSQL connection failed and was discarded: ${error.message}`)),
  );
  const client = new PgSqlClient(pool);
  try {
    if (schema !== undefined) {
      // Under the migration lock: two processes running CREATE SCHEMA IF NOT EXISTS at once can
      // otherwise fail on the catalog's unique index.
      await client.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1, $2)', [MIGRATION_LOCK_CLASS, 0]);
        await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      });
    }
    await migrate(client);
  } catch (error) {
    await client.close();
    throw error;
  }
  return new SqlEventStore(client);
}
