/**
 * Arrival order never changes an outcome, through the real write and decision path: case events
 * posted over HTTP to the embedded system (intake, the allocation service following the store, the
 * PGlite store), in causal order once, and again as a generated delivery — permuted, with some
 * events sent twice, cut into several requests, sometimes two requests at once as two senders
 * would, with allocation catching up between some requests and not others. Afterwards the same
 * allocation decisions stand on every child's stream; a proposal a late fact superseded is
 * withdrawn, not lost, and is the only difference allowed (libs/testing standingDecisions).
 *
 * The core-only property (libs/policy-packs delivery-order.property.int.spec.ts) tries many more
 * cases; this one proves the service wiring keeps the property. FAST_CHECK_SEED replays a run.
 */
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ROLES } from '@cto/access-control';
import { childStreamId, epochMillisOf, type CaseEvent } from '@cto/domain';
import { createEmbeddedApp } from '@cto/embedded';
import { type EventStore, toChildStreamEvent } from '@cto/event-store';
import { EVENT_STORE, loadConfig, whenSettled } from '@cto/runtime';
import { AUTHORITIES, bearer, generateChildren, standingDecisions, testAuthEnv, type GeneratedChild } from '@cto/testing';

jest.setTimeout(300_000);

const seed = Number(process.env.FAST_CHECK_SEED ?? Date.now() % 2 ** 31);
const AUTHORIZATION = bearer({ roles: [...ROLES], authorities: AUTHORITIES });

let dataDir: string;
let app: INestApplication;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cto-delivery-order-'));
  // A day before every generated fact: no handover falls due and no milestone is announced while
  // the test runs, so escalation's decisions stay out of the way (they are not compared here).
  app = await createEmbeddedApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', POLL_INTERVAL_MS: '20', CLOCK_START: '2023-01-02T09:00:00Z', ...testAuthEnv() }));
  await app.init();
});

afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const post = async (events: CaseEvent[]) => {
  const res = await request(app.getHttpServer()).post('/v1/case-events').set('authorization', AUTHORIZATION).send(events);
  expect(res.status).toBe(202);
};
const allocationCaughtUp = () => whenSettled(app);

async function standing(children: GeneratedChild[], prefix: string): Promise<string[][]> {
  const store = app.get<EventStore>(EVENT_STORE);
  const normalize = (id: string) => id.split(`${prefix}-`).join('');
  return Promise.all(
    children.map(async ({ authority, childId }) => {
      const { events } = await store.readStream(childStreamId(authority, childId));
      return standingDecisions(events.map(toChildStreamEvent), normalize);
    }),
  );
}

let run = 0;

describe('delivery order through the embedded system: any delivery leaves the in-order decisions standing', () => {
  it(`holds for generated caseloads across the five packs (seed ${seed})`, async () => {
    process.stdout.write(`delivery-order property (embedded, PGlite): seed ${seed}\n`);
    const deliveries = fc.record({
      mixSeed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      keys: fc.array(fc.nat(), { minLength: 80, maxLength: 80 }),
      duplicates: fc.array(fc.nat(), { maxLength: 8 }),
      requests: fc.integer({ min: 1, max: 6 }),
      concurrent: fc.boolean(),
      catchUpAfter: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    });
    await fc.assert(
      fc.asyncProperty(deliveries, async ({ mixSeed, keys, duplicates, requests, concurrent, catchUpAfter }) => {
        run++;
        // The same caseload twice under different ids: once in causal order, once as generated.
        const reference = generateChildren({ children: 5, seed: mixSeed, prefix: `ref${run}` });
        const delivered = generateChildren({ children: 5, seed: mixSeed, prefix: `del${run}` });

        await post(reference.flatMap((c) => [...c.events].sort((a, b) => epochMillisOf(a.occurredAt) - epochMillisOf(b.occurredAt))));

        const all = delivered.flatMap((c) => c.events);
        const shuffled = all.map((event, i) => ({ event, key: keys[i % keys.length] + i / 1000 })).sort((a, b) => a.key - b.key).map((x) => x.event);
        const sent = [...shuffled, ...duplicates.map((d) => shuffled[d % shuffled.length])];
        const size = Math.ceil(sent.length / requests);
        const batches = Array.from({ length: requests }, (_, r) => sent.slice(r * size, (r + 1) * size)).filter((b) => b.length);
        if (concurrent) {
          // Two senders, each with its own requests, at the same time.
          await Promise.all([0, 1].map(async (sender) => {
            for (const batch of batches.filter((_, i) => i % 2 === sender)) await post(batch);
          }));
        } else {
          for (const [i, batch] of batches.entries()) {
            await post(batch);
            if (catchUpAfter[i]) await allocationCaughtUp();
          }
        }
        await allocationCaughtUp();
        expect(await standing(delivered, `del${run}`)).toEqual(await standing(reference, `ref${run}`));
      }),
      { seed, numRuns: 12 },
    );
  });
});
