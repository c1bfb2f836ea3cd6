import { PGlite } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { migrate } from './migrations/migrate';
import { SqlEventStore } from './sql-event-store';
import { PgliteSqlClient } from './sql/pglite-sql-client';

export interface PgliteEventStoreOptions {
  /**
   * Where the database files live, e.g. ./data/pglite (its parent is created if missing). Undefined:
   * in memory, gone on close. One process at a time: PGlite is an embedded, single-connection
   * PostgreSQL, not a server.
   */
  dataDir?: string;
}

/**
 * postgresql.conf of the embedded database: what PostgreSQL may hold in PGlite's WebAssembly memory.
 * That memory never shrinks (a WebAssembly memory cannot hand pages back), so whatever a setting
 * lets PostgreSQL touch once stays in the process's RSS for good (issue 18: the embedded default
 * should run on a council laptop or a small container). Measured on the 100,000-child store of the
 * memory benchmark, December 2026 (bench/README.md section 6):
 *  - shared_buffers: PostgreSQL zeroes the whole pool when it starts, so each MB is a resident MB
 *    from the first query (WASM memory resident at open: 151 MB at PGlite's 128 MB default, 47 MB at
 *    32 MB, 29 MB at 16 MB). The data files sit on the host's file system, whose page cache keeps
 *    what the pool lets go, so a smaller pool costs a copy, not a disk read.
 *  - maintenance_work_mem (default 64 MB): what a migration's CREATE INDEX sorts in memory before it
 *    spills to disk; an index over the events table left 18 MB resident at 64 MB, 12 MB at 16 MB,
 *    and on a larger store the default would leave up to 64 MB for good after one migration.
 * Left at their defaults, as they bought nothing measurable: wal_buffers (1/32 of shared_buffers,
 * 512 kB), work_mem (4 MB; the services' queries walk indexes, and only a whole-table aggregation
 * reached it), temp_buffers (8 MB, touched only by the one migration with a temporary table).
 * PGlite writes this text as the data directory's postgresql.conf, replacing initdb's.
 */
export const PGLITE_CONF = ['shared_buffers = 16MB', 'maintenance_work_mem = 16MB'];

// PGlite's own URL-like prefixes (memory://, idb://, opfs-ahp://) name other file systems.
const PGLITE_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//;

/**
 * Starts an embedded PostgreSQL (PGlite), brings the schema up to date (migrate) and returns the store.
 * Under Jest, Node must run with --experimental-vm-modules: see `whyPgliteCannotStartUnderJest`.
 */
export async function openPgliteEventStore(options: PgliteEventStoreOptions = {}): Promise<SqlEventStore> {
  let dataDir = options.dataDir;
  if (dataDir !== undefined && !PGLITE_SCHEME.test(dataDir)) {
    dataDir = resolve(dataDir);
    mkdirSync(dirname(dataDir), { recursive: true });
  }
  const db = await PGlite.create({ ...(dataDir === undefined ? {} : { dataDir }), postgresqlconf: PGLITE_CONF });
  const client = new PgliteSqlClient(db);
  try {
    await migrate(client);
  } catch (error) {
    await client.close();
    throw error;
  }
  return new SqlEventStore(client);
}
