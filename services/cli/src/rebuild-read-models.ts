/**
 * `npm run db:rebuild-read-models`: empty the reporting read models (rm_* tables) and forget their
 * projection checkpoint in one transaction, then replay the whole log from position 0 into them.
 * The events are the record; the read models are only an index of them, so this is always safe,
 * and it is how a change to the projection reaches rows already written.
 *
 * It reads the configured store (DATABASE_URL, else the embedded store in DATA_DIR). The embedded
 * store is one process's at a time: stop `npm start` first. On PostgreSQL the services may keep
 * running: a projection batch under way when the tables are emptied finds its checkpoint gone and
 * starts again from 0 on the empty tables, so nothing is counted twice.
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { openPgliteEventStore, openPostgresEventStore, SqlReadModelStore, type SqlEventStore } from '@cto/event-store';
import { READ_MODEL_TABLES, ReadModelProjector } from '@cto/read-models';
import { loadConfig, type RuntimeConfig } from '@cto/runtime';

export interface RebuildReport {
  store: string;
  /** Events replayed from position 0. */
  events: number;
  /** Rows in each rm_* table afterwards. */
  rows: Record<(typeof READ_MODEL_TABLES)[number], number>;
}

export async function rebuildReadModels(config: RuntimeConfig): Promise<RebuildReport> {
  const store: SqlEventStore = config.databaseUrl
    ? await openPostgresEventStore({
        connectionString: config.databaseUrl,
        applicationName: 'rebuild-read-models',
        ...(config.databaseSchema ? { schema: config.databaseSchema } : {}),
      })
    : await openPgliteEventStore({ dataDir: join(config.dataDir, 'pglite') });
  try {
    const events = await new ReadModelProjector({ store, readModels: new SqlReadModelStore(store.sql) }).rebuild();
    const rows = {} as RebuildReport['rows'];
    for (const table of READ_MODEL_TABLES) {
      const [row] = await store.sql.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${table}`);
      rows[table] = Number(row.n);
    }
    return { store: config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded store in ${join(config.dataDir, 'pglite')}`, events, rows };
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  rebuildReadModels(loadConfig()).then(
    ({ store, events, rows }) => {
      console.log(`${store}: read models rebuilt from position 0 (${events} events replayed)`);
      for (const [table, n] of Object.entries(rows)) console.log(`  ${table}: ${n} rows`);
    },
    (error: unknown) => {
      console.error(`rebuild failed: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
