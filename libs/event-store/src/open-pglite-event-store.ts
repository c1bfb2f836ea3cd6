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
 * PostgreSQL's shared buffer pool inside the embedded database. PGlite keeps PostgreSQL's 128 MB
 * default, and a WebAssembly memory that has grown never shrinks: a process that has read enough of
 * its store holds all 128 MB for good (issue 18: the embedded default should run on a council laptop
 * or a small container). The data files sit on the host's file system, whose page cache holds what
 * the pool lets go, so a smaller pool costs a copy, not a disk read.
 */
export const PGLITE_SHARED_BUFFERS = '32MB';

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
  const db = await PGlite.create({ ...(dataDir === undefined ? {} : { dataDir }), postgresqlconf: `shared_buffers = ${PGLITE_SHARED_BUFFERS}` });
  const client = new PgliteSqlClient(db);
  try {
    await migrate(client);
  } catch (error) {
    await client.close();
    throw error;
  }
  return new SqlEventStore(client);
}
