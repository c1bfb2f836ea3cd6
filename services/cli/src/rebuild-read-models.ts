/**
 * `npm run db:rebuild-read-models`: empty the reporting read models (rm_* tables) and forget their
 * projection checkpoint in one transaction, then replay the whole log from position 0 into them.
 * The events are the record; the read models are only an index of them, so this is always safe,
 * and it is how a change to the projection reaches rows already written.
 *
 * It reads the configured store (DATABASE_URL, else the embedded store in DATA_DIR). The embedded
 * store is one process's at a time: stop `npm start` first. On PostgreSQL the services may keep
 * running: a projection batch under way when the tables are emptied finds its checkpoint gone and
 * starts again from 0 on the empty tables, so nothing is counted twice. `--help` for usage.
 *
 * Exit status: 0 rebuilt, 1 the rebuild failed, 2 a usage or configuration mistake.
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { openPgliteEventStore, openPostgresEventStore, SqlReadModelStore, type SqlEventStore } from '@cto/event-store';
import { READ_MODEL_TABLES, ReadModelProjector } from '@cto/read-models';
import { ConfigInvalid, loadConfig, type RuntimeConfig } from '@cto/runtime';
import { consoleOutput, EXIT_USAGE, parseCommandLine, type Output } from './command-line';

const USAGE = [
  'usage: npm run db:rebuild-read-models',
  '       npm run db:rebuild-read-models -- --help',
  '',
  'Empties the reporting read models (rm_* tables) and replays the whole log into them, in the store',
  'the environment names: DATABASE_URL (and DATABASE_SCHEMA), else the embedded store in DATA_DIR',
  '(stop `npm start` first). Exit 0 when rebuilt, 1 when it failed, 2 on a usage or configuration error.',
];

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

/** The command: its arguments, then the configuration, then the rebuild; resolves to the exit status. */
export async function run(argv: string[], out: Output, env: Record<string, string | undefined> = process.env): Promise<number> {
  const parsed = parseCommandLine(argv, { usage: USAGE, options: {} }, out);
  if (!parsed.run) return parsed.exitCode;
  try {
    const { store, events, rows } = await rebuildReadModels(loadConfig(env));
    out.log(`${store}: read models rebuilt from position 0 (${events} events replayed)`);
    for (const [table, n] of Object.entries(rows)) out.log(`  ${table}: ${n} rows`);
    return 0;
  } catch (error) {
    out.error(`rebuild failed: ${(error as Error).message}`);
    return error instanceof ConfigInvalid ? EXIT_USAGE : 1;
  }
}

if (require.main === module) {
  // On success the process ends by itself once the store is closed; on failure at once, as before.
  void run(process.argv.slice(2), consoleOutput).then((code) => {
    if (code !== 0) process.exit(code);
  });
}
