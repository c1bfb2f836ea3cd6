/**
 * `npm run db:migrate`: bring the configured store's schema up to date (versioned SQL migrations,
 * recorded in schema_migrations; never "synchronize"). Services also run it when they open the
 * store, under a lock, so several starting at once is safe; this command lets a deployment
 * migrate first, on its own. `--help` for usage.
 *
 * Exit status: 0 migrated (or already current), 1 the migration failed, 2 a usage or
 * configuration mistake.
 */
import { Pool } from 'pg';
import { join } from 'node:path';
import { migrate, openPgliteEventStore, PgSqlClient, type MigrationReport } from '@cto/event-store';
import { ConfigInvalid, loadConfig, type RuntimeConfig } from '@cto/runtime';
import { consoleOutput, EXIT_USAGE, parseCommandLine, type Output } from './command-line';

const USAGE = [
  'usage: npm run db:migrate',
  '       npm run db:migrate -- --help',
  '',
  'Brings the schema of the store the environment names up to date: DATABASE_URL (and',
  'DATABASE_SCHEMA, created if missing), else the embedded store in DATA_DIR. Exit 0 when migrated',
  'or already current, 1 when a migration failed, 2 on a usage or configuration error.',
];

export async function migrateStore(config: RuntimeConfig): Promise<MigrationReport & { store: string }> {
  if (config.databaseUrl) {
    const pool = new Pool({
      connectionString: config.databaseUrl,
      ...(config.databaseSchema ? { options: `-c search_path=${config.databaseSchema}` } : {}),
    });
    try {
      if (config.databaseSchema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${config.databaseSchema}`);
      return { store: 'PostgreSQL (DATABASE_URL)', ...(await migrate(new PgSqlClient(pool))) };
    } finally {
      await pool.end();
    }
  }
  const dataDir = join(config.dataDir, 'pglite');
  const store = await openPgliteEventStore({ dataDir });
  try {
    return { store: `embedded store in ${dataDir}`, ...(await migrate(store.sql)) };
  } finally {
    await store.close();
  }
}

/** The command: its arguments, then the configuration, then the migration; resolves to the exit status. */
export async function run(argv: string[], out: Output, env: Record<string, string | undefined> = process.env): Promise<number> {
  const parsed = parseCommandLine(argv, { usage: USAGE, options: {} }, out);
  if (!parsed.run) return parsed.exitCode;
  try {
    const { store, applied, version } = await migrateStore(loadConfig(env));
    out.log(`${store}: schema at version ${version}${applied.length ? ` (applied ${applied.join(', ')})` : ' (current)'}`);
    return 0;
  } catch (error) {
    out.error(`migration failed: ${(error as Error).message}`);
    return error instanceof ConfigInvalid ? EXIT_USAGE : 1;
  }
}

if (require.main === module) {
  // On success the process ends by itself once the store is closed; on failure at once, as before.
  void run(process.argv.slice(2), consoleOutput).then((code) => {
    if (code !== 0) process.exit(code);
  });
}
