/**
 * Empty databases for a migration's specs, on both drivers a store runs on: PGlite always, and
 * PostgreSQL (a schema of the test's own, dropped after) when DATABASE_URL is set. Uses Jest
 * globals: specs only.
 */
import { PGlite } from '@electric-sql/pglite';
import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { PgliteSqlClient } from '../sql/pglite-sql-client';
import { PgSqlClient } from '../sql/pg-sql-client';
import type { SqlClient } from '../sql/sql-client';
import { whyPgliteCannotStartUnderJest } from './pglite-under-jest';

export interface EmptyDatabase {
  sql: SqlClient;
  dispose: () => Promise<void>;
}

/**
 * Calls `describeOn(driver, open)` for PGlite and, when DATABASE_URL is set, PostgreSQL; each `open`
 * gives a new empty database that the caller disposes of. PGlite that cannot start under Jest fails
 * with the reason; PostgreSQL without DATABASE_URL is said not run.
 */
export function describeOnEmptyDatabases(what: string, describeOn: (driver: 'PGlite' | 'PostgreSQL', open: () => Promise<EmptyDatabase>) => void): void {
  const pgliteProblem = whyPgliteCannotStartUnderJest();
  if (pgliteProblem) {
    describe(`${what} on PGlite`, () => {
      it('needs --experimental-vm-modules', () => {
        throw new Error(pgliteProblem);
      });
    });
  } else {
    describeOn('PGlite', async () => {
      const sql = new PgliteSqlClient(await PGlite.create());
      return { sql, dispose: () => sql.close() };
    });
  }

  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.warn(`${what} on PostgreSQL NOT RUN: DATABASE_URL is not set`);
    return;
  }
  describeOn('PostgreSQL', async () => {
    const schema = `cto_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    const admin = new Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    const sql = new PgSqlClient(new Pool({ connectionString: databaseUrl, options: `-c search_path=${schema}` }));
    return {
      sql,
      dispose: async () => {
        await sql.close();
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.end();
      },
    };
  });
}
