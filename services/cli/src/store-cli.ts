/**
 * `npm run store -- verify [--json]` (`--help` for usage): walk every stream's hash chain in the configured store
 * (DATABASE_URL [+ DATABASE_SCHEMA], else the embedded store in DATA_DIR) and say whether it is
 * intact (libs/event-store `verifyStore`; the chain itself is explained in its integrity.ts).
 *
 * Exit status: 0 intact, 1 a broken link (the first, in stream id then version order), 2 a usage or
 * configuration mistake, or no store where the configuration points.
 *
 * Read-only: it never creates or migrates a store. The embedded store is one process's at a time:
 * stop `npm start` before verifying its DATA_DIR.
 */
import { PGlite } from '@electric-sql/pglite';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { PgliteSqlClient, PgSqlClient, verifyStore, type SqlClient, type StoreVerification } from '@cto/event-store';
import { ConfigInvalid, loadConfig } from '@cto/runtime';
import { consoleOutput, EXIT_USAGE, mistake, parseCommandLine, type Output } from './command-line';

const USAGE = [
  'usage: npm run store -- verify [--json]',
  '       npm run store -- --help',
  '',
  '  verify   recompute every event\'s hash and check each stream\'s chain; exit 0 when intact,',
  '           1 at the first broken link, 2 on a usage or configuration error',
  '  --json   the result as one JSON object on stdout',
  '',
  'It reads the store the environment names: DATABASE_URL (and DATABASE_SCHEMA), else the',
  'embedded store in DATA_DIR (stop `npm start` first). It never creates or changes a store.',
];

const COMMAND_LINE = { usage: USAGE, options: { json: { type: 'boolean' } }, maxPositionals: 1 } as const;

const REASONS: Record<Exclude<StoreVerification, { ok: true }>['reason'], string> = {
  'hash-mismatch': "the event's content no longer matches its hash: it was changed after it was recorded",
  'previous-hash-mismatch': 'the event does not chain to the one before it: that one was removed, replaced or re-hashed',
  'version-gap': 'a stream version is missing or repeated: an event was removed',
  'missing-integrity': 'the event has no integrity hash: its metadata was changed, or it was recorded before hashing existed',
};

/** A usage or configuration problem: exit 2. */
class Unusable extends Error {}

export async function run(argv: string[], out: Output, env: Record<string, string | undefined> = process.env): Promise<number> {
  const parsed = parseCommandLine(argv, COMMAND_LINE, out);
  if (!parsed.run) return parsed.exitCode;
  const [command] = parsed.positionals;
  if (command === 'help') {
    USAGE.forEach((line) => out.log(line));
    return 0;
  }
  if (command !== 'verify') return mistake(command === undefined ? 'no command given' : `unknown command: ${command}`, COMMAND_LINE, out).exitCode;
  const json = parsed.values.json === true;

  let opened: { sql: SqlClient; where: string };
  try {
    opened = await openForReading(env);
  } catch (error) {
    out.error(`cannot verify: ${(error as Error).message}`);
    return error instanceof ConfigInvalid || error instanceof Unusable ? EXIT_USAGE : 1;
  }
  try {
    const result = await verifyStore(opened.sql).catch((error: unknown) => {
      // 42P01: undefined_table — DATABASE_URL (and schema) point at a database with no store in it.
      if ((error as { code?: string }).code === '42P01') throw new Unusable(`there is no events table in ${opened.where}`);
      throw error;
    });
    if (json) out.log(JSON.stringify(result));
    else report(result, opened.where, out);
    return result.ok ? 0 : 1;
  } catch (error) {
    out.error(`cannot verify: ${(error as Error).message}`);
    return error instanceof Unusable ? EXIT_USAGE : 1;
  } finally {
    await opened.sql.close();
  }
}

function report(result: StoreVerification, where: string, out: Output): void {
  if (result.ok) {
    out.log(`${where}: intact — ${result.events} event(s) in ${result.streams} stream(s), every hash recomputed and every link checked`);
    return;
  }
  // The stream id (child/<authority>/<childId>) is the one child identifier printed: the operator
  // needs it to find the damaged record. Nothing of the event's data or metadata is shown.
  out.error(`${where}: BROKEN at stream ${result.streamId}, version ${result.streamVersion} (global position ${result.globalPosition})`);
  out.error(`  ${result.reason}: ${REASONS[result.reason]}`);
  out.error(`  expected ${result.expected}`);
  out.error(`  found    ${result.found}`);
  out.error(`  (${result.events} event(s) in ${result.streams} stream(s) checked before it)`);
}

/** A client on the configured store, without creating or migrating anything. */
async function openForReading(env: Record<string, string | undefined>): Promise<{ sql: SqlClient; where: string }> {
  const config = loadConfig(env);
  if (config.databaseUrl) {
    const pool = new Pool({
      connectionString: config.databaseUrl,
      application_name: 'store-verify',
      ...(config.databaseSchema ? { options: `-c search_path=${config.databaseSchema}` } : {}),
    });
    // An idle connection dropped by the server must not end the process with an unhandled 'error'.
    pool.on('error', () => undefined);
    const sql = new PgSqlClient(pool);
    try {
      await sql.query('SELECT 1');
    } catch (error) {
      await sql.close();
      throw new Unusable(`cannot connect to DATABASE_URL: ${(error as Error).message}`);
    }
    return { sql, where: `PostgreSQL (DATABASE_URL${config.databaseSchema ? `, schema ${config.databaseSchema}` : ''})` };
  }
  const dataDir = join(config.dataDir, 'pglite');
  // Opening PGlite on an empty directory would create a new, empty store and call it intact.
  if (!existsSync(join(dataDir, 'PG_VERSION'))) throw new Unusable(`there is no embedded store in ${dataDir} (set DATA_DIR or DATABASE_URL)`);
  return { sql: new PgliteSqlClient(await PGlite.create({ dataDir })), where: `embedded store in ${dataDir}` };
}

if (require.main === module) {
  run(process.argv.slice(2), consoleOutput).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error((error as Error).message);
      process.exit(1);
    },
  );
}
