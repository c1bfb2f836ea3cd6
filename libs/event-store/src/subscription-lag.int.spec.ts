/**
 * SqlEventStore.subscriptionLag: per stored checkpoint, the events readAll would still return after
 * it. One SQL for both adapters; run on PGlite always and on PostgreSQL when DATABASE_URL is set.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { START_CHECKPOINT, type NewEvent } from './event-store.port';
import { openPgliteEventStore } from './open-pglite-event-store';
import { openPostgresEventStore } from './open-postgres-event-store';
import type { SqlEventStore } from './sql-event-store';
import { whyPgliteCannotStartUnderJest } from './testing';

const fact = (eventId: string): NewEvent => ({
  eventId,
  type: 'ReferralReceived',
  data: {},
  metadata: { kind: 'fact', authority: 'kent', childId: 'C-lag', occurredAt: '2026-05-01T09:00:00Z' },
});

function describeLag(name: string, open: () => Promise<{ store: SqlEventStore; dispose: () => Promise<void> }>): void {
  describe(`subscriptionLag on ${name}`, () => {
    let target: { store: SqlEventStore; dispose: () => Promise<void> };
    beforeAll(async () => {
      target = await open();
    });
    afterAll(() => target?.dispose());

    it('counts the visible events after each stored checkpoint, and names only stored subscriptions', async () => {
      const { store } = target;
      const run = randomUUID().slice(0, 8);
      expect(await store.subscriptionLag()).toEqual(new Map());
      await store.appendToStream(`child-kent-lag-${run}`, [fact(`${run}-1`), fact(`${run}-2`), fact(`${run}-3`)], { expectedVersion: 'any' });

      // "behind" has read nothing yet; "ahead" has read the first event.
      await store.withCheckpoint('behind', { from: START_CHECKPOINT, to: START_CHECKPOINT }, async () => undefined);
      const { checkpoint } = await store.readAll({ after: START_CHECKPOINT, limit: 1 });
      await store.withCheckpoint('ahead', { from: START_CHECKPOINT, to: checkpoint }, async () => undefined);
      expect(await store.subscriptionLag()).toEqual(new Map([['ahead', 2], ['behind', 3]]));

      const all = await store.readAll({ after: START_CHECKPOINT, limit: 10 });
      await store.withCheckpoint('ahead', { from: checkpoint, to: all.checkpoint }, async () => undefined);
      expect((await store.subscriptionLag()).get('ahead')).toBe(0);
    });
  });
}

const pgliteProblem = whyPgliteCannotStartUnderJest();
if (pgliteProblem) {
  describe('subscriptionLag on PGlite', () => {
    it('needs --experimental-vm-modules', () => {
      throw new Error(pgliteProblem);
    });
  });
} else {
  describeLag('PGlite', async () => {
    const store = await openPgliteEventStore();
    return { store, dispose: () => store.close() };
  });
}

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.warn('subscriptionLag on PostgreSQL NOT RUN: DATABASE_URL is not set');
} else {
  describeLag('PostgreSQL', async () => {
    const schema = `cto_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    const store = await openPostgresEventStore({ connectionString: databaseUrl, schema });
    return {
      store,
      dispose: async () => {
        await store.close();
        const admin = new Client({ connectionString: databaseUrl });
        await admin.connect();
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.end();
      },
    };
  });
}
