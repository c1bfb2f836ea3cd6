/**
 * A stored history to backtest pack versions against (issue 16: "npm run policy -- backtest run
 * between each old and new version"): the benchmark's generated caseload (every authority's
 * journey, cut at a random stage, with noise), written as recorded facts into an embedded store.
 * Backtest replays facts only, so no decisions are written.
 *
 *   node -r @swc-node/register bench/backtest-corpus.ts <dataDir> [children=2000] [seed=16]
 * (the store is written where the system's DATA_DIR keeps it: <dataDir>/pglite)
 *   DATA_DIR=<dataDir> npm run policy -- backtest kent --from-version 1.3.0 --to-version 1.4.0
 *
 * The journeys exercise each pack's main route, not every rule: the scenario files show each rule
 * firing and held back; this shows what a version change does to a caseload.
 */
import { join } from 'node:path';
import { childStreamId } from '@cto/domain';
import { openPgliteEventStore } from '@cto/event-store';
import { factEvent } from '@cto/runtime';
import { generateChildren } from '@cto/testing';

async function main(): Promise<void> {
  const [dataDir, childrenArg = '2000', seedArg = '16'] = process.argv.slice(2);
  if (!dataDir) throw new Error('usage: bench/backtest-corpus.ts <dataDir> [children] [seed]');
  const store = await openPgliteEventStore({ dataDir: join(dataDir, 'pglite') });
  try {
    const children = [
      ...generateChildren({ children: Number(childrenArg), seed: Number(seedArg), prefix: 'bt' }),
      ...generateChildren({ children: Math.ceil(Number(childrenArg) / 4), seed: Number(seedArg) + 1, prefix: 'btc', complete: true }),
    ];
    for (const child of children) {
      await store.appendToStream(childStreamId(child.authority, child.childId), child.events.map(factEvent), { expectedVersion: 'no-stream' });
    }
    process.stdout.write(`${children.length} children written to ${dataDir}\n`);
  } finally {
    await store.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
