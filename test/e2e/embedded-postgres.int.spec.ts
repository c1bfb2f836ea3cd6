/**
 * The same system on a real PostgreSQL server (DATABASE_URL), as in production: decisions survive
 * a restart, and two processes following the same log never record a decision twice — the
 * allocation checkpoint moves in the same transaction as the decisions, so the second runner's
 * transaction is refused and it reads on from where the first got to.
 */
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { loadConfig } from '@cto/runtime';
import { createEmbeddedApp } from '@cto/embedded';
import { bearer, testAuthEnv } from '@cto/testing';

jest.setTimeout(90000);

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl && process.env.CI) throw new Error('DATABASE_URL is required in CI: the PostgreSQL tests must run there');

if (!databaseUrl) {
  describe('the embedded system on PostgreSQL', () => {
    it('needs DATABASE_URL (set it, or run `npm test`, which finds or starts PostgreSQL)', () => {
      throw new Error('DATABASE_URL is not set, so the PostgreSQL system tests cannot run');
    });
  });
} else {
  describeOnPostgres(databaseUrl);
}

function describeOnPostgres(databaseUrl: string): void {
  describe('the embedded system on PostgreSQL', () => {
    const schema = `cto_e2e_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const apps: INestApplication[] = [];
    const start = async () => {
      const app = await createEmbeddedApp(
        loadConfig({ DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema, LOG_LEVEL: 'silent', POLL_INTERVAL_MS: '20', ...testAuthEnv() }),
      );
      await app.init();
      apps.push(app);
      return app;
    };

    afterAll(async () => {
      for (const app of apps) await app.close().catch(() => undefined);
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    });

    const integration = bearer({ roles: ['integration'], authorities: ['demo'] });
    const reader = bearer({ roles: ['reader'], authorities: ['demo'] });

    const icpcFor = (childId: string, n: number) => [
      { eventId: `pg-${childId}-a-${n}`, type: 'WorkerAllocated', authority: 'demo', childId, occurredAt: '2026-04-01T09:00:00+01:00', source: 'lcs', data: { team: 'A&I', workerId: 'W-1' } },
      { eventId: `pg-${childId}-b-${n}`, type: 'ICPCHeld', authority: 'demo', childId, occurredAt: '2026-05-01T10:00:00+01:00', source: 'lcs', data: { outcome: 'cp-plan' } },
    ];

    it('decides on PostgreSQL, and two running processes record each decision exactly once', async () => {
      const first = await start();
      const second = await start();
      const children = Array.from({ length: 40 }, (_, i) => `C-PG-${i}`);
      // Spread the writes over both processes; both allocation followers race for the same log.
      await Promise.all(
        children.map((childId, i) => request((i % 2 ? first : second).getHttpServer()).post('/v1/case-events').set('authorization', integration).send(icpcFor(childId, i)).expect(202)),
      );
      const client = new Client({ connectionString: databaseUrl, options: `-c search_path=${schema}` });
      await client.connect();
      try {
        const deadline = Date.now() + 30000;
        let proposed = 0;
        while (Date.now() < deadline) {
          proposed = Number((await client.query("SELECT count(*) AS n FROM events WHERE type = 'TransferProposed'")).rows[0].n);
          if (proposed >= children.length) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        await new Promise((r) => setTimeout(r, 500));
        const perChild = await client.query(
          "SELECT metadata->>'childId' AS child, count(*)::int AS n FROM events WHERE type = 'TransferProposed' GROUP BY 1 HAVING count(*) <> 1",
        );
        expect(perChild.rows).toEqual([]);
        expect(Number((await client.query("SELECT count(*) AS n FROM events WHERE type = 'TransferProposed'")).rows[0].n)).toBe(children.length);
      } finally {
        await client.end();
      }
      const transfers = (await request(first.getHttpServer()).get('/v1/children/C-PG-7/transfers?authority=demo').set('authorization', reader).expect(200)).body.transfers;
      expect(transfers).toEqual([expect.objectContaining({ toTeam: 'FSP', dueBy: '2026-05-18', ruleId: 'child-protection-plan-to-fsp' })]);
    });

    it('keeps everything across a restart', async () => {
      for (const app of apps.splice(0)) await app.close();
      const again = await start();
      const transfers = (await request(again.getHttpServer()).get('/v1/children/C-PG-3/transfers?authority=demo').set('authorization', reader).expect(200)).body.transfers;
      expect(transfers).toHaveLength(1);
    });
  });
}
