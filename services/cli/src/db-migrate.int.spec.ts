import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { loadConfig } from '@cto/runtime';
import { migrateStore } from './db-migrate';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl && process.env.CI) throw new Error('DATABASE_URL is required in CI');

describe('npm run db:migrate', () => {
  if (!databaseUrl) {
    it('needs DATABASE_URL (run `npm test`, which finds or starts PostgreSQL)', () => {
      throw new Error('DATABASE_URL is not set');
    });
    return;
  }
  const schema = `cto_migrate_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  afterAll(async () => {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('applies every migration once, then finds the schema current', async () => {
    const config = loadConfig({ DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema });
    const first = await migrateStore(config);
    expect(first.applied.length).toBeGreaterThan(0);
    const again = await migrateStore(config);
    expect(again).toMatchObject({ applied: [], version: first.version });
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM ${schema}.schema_migrations`);
      expect(rows[0].n).toBe(first.applied.length);
    } finally {
      await client.end();
    }
  });
});
