import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPgliteEventStore } from './open-pglite-event-store';
import { describeEventStoreContract, whyPgliteCannotStartUnderJest, type EventStoreContractTarget } from './testing';

const pgliteProblem = whyPgliteCannotStartUnderJest();

if (pgliteProblem !== undefined) {
  // Fail this spec with the reason, rather than let PGlite's unhandled rejection end the Jest run.
  console.warn(`PGlite contract suite NOT RUN: ${pgliteProblem}`);
  describe('PGlite event store', () => {
    it('needs Node started with --experimental-vm-modules to run the PGlite contract suite', () => {
      throw new Error(pgliteProblem);
    });
  });
} else {
  describeEventStoreContract(
    'PGlite in memory',
    async () => {
      const store = await openPgliteEventStore();
      return { store, sql: store.sql, dispose: () => store.close() };
    },
    { keepsData: false },
  );

  describeEventStoreContract('PGlite file store', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cto-event-store-'));
    // Two levels that do not exist yet: the factory creates the parent, as ./data/pglite needs.
    const dataDir = join(root, 'data', 'pglite');
    const open = async (): Promise<EventStoreContractTarget> => {
      const store = await openPgliteEventStore({ dataDir });
      if (!existsSync(join(dataDir, 'PG_VERSION'))) throw new Error(`PGlite did not write its files under ${dataDir}`);
      return {
        store,
        sql: store.sql,
        reopen: async () => {
          await store.close();
          return open();
        },
        dispose: async () => {
          await store.close();
          await rm(root, { recursive: true, force: true });
        },
      };
    };
    return open();
  });
}
