/**
 * `npm run db:migrate`: bring the configured store's schema up to date (versioned SQL migrations,
 * recorded in schema_migrations; never "synchronize"). Services also run it when they open the
 * store, under a lock, so several starting at once is safe; this command lets a deployment
 * migrate first, on its own.
 */
import { Pool } from 'pg';
import { join } from 'node:path';
import { migrate, openPgliteEventStore, PgSqlClient, type MigrationReport } from '@cto/event-store';
import { loadConfig, type RuntimeConfig } from '@cto/runtime';

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

if (require.main === module) {
  migrateStore(loadConfig()).then(
    ({ store, applied, version }) => {
      console.log(`${store}: schema at version ${version}${applied.length ? ` (applied ${applied.join(', ')})` : ' (current)'}`);
    },
    (error: unknown) => {
      console.error(`migration failed: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
