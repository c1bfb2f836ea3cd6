import { MIGRATION_LOCK_CLASS } from '../sql/advisory-locks';
import type { SqlClient } from '../sql/sql-client';
import { MIGRATIONS, type Migration } from './migrations';

export interface MigrationReport {
  /** Versions applied by this call, in order; empty when the schema was already current. */
  applied: number[];
  /** The schema's version after this call. */
  version: number;
}

/** Thrown when the database records a version under another name than this code's list has. */
export class MigrationMismatch extends Error {
  readonly code = 'MIGRATION_MISMATCH';
  constructor(
    readonly version: number,
    readonly recordedName: string,
    readonly expectedName: string,
  ) {
    super(`schema_migrations has version ${version} as "${recordedName}", this code expects "${expectedName}"`);
  }
}

/**
 * Brings the schema (in the connection's search_path) up to the newest version: creates
 * `schema_migrations` if needed, applies the missing versions in order and records them, all in one
 * transaction under an advisory lock, so running it twice, or from two processes at once, is harmless,
 * and a version that fails (a statement, or its `run`) leaves the schema as it was.
 */
export async function migrate(client: SqlClient, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationReport> {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  return client.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1, $2)', [MIGRATION_LOCK_CLASS, 0]);
    await tx.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version    integer     PRIMARY KEY,
        name       text        NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const recorded = await tx.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations');
    const recordedNames = new Map(recorded.map((row) => [Number(row.version), row.name]));

    const applied: number[] = [];
    for (const migration of ordered) {
      const recordedName = recordedNames.get(migration.version);
      if (recordedName !== undefined) {
        if (recordedName !== migration.name) throw new MigrationMismatch(migration.version, recordedName, migration.name);
        continue;
      }
      for (const statement of migration.statements) await tx.query(statement);
      await migration.run?.(tx);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      applied.push(migration.version);
    }
    // A newer deployment may already have moved the schema on; report what the database has.
    const version = Math.max(0, ...recordedNames.keys(), ...applied);
    return { applied, version };
  });
}
