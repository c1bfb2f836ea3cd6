/**
 * Hostile input: the embedded system's heap, after a full GC, across rounds of hostile case events.
 *
 * Moved here from test/e2e/case-events.fuzz.e2e.spec.ts (issue 18 item 7: speed and memory are
 * measured in bench/, never asserted in a test). The test still checks every answer — each hostile
 * event refused with field-level reasons, nothing of a refused request stored, never a 5xx, /health
 * answering between rounds — and this measures what it costs: whether rejecting thousands of bad
 * events leaves anything behind (a validator cache keyed by input, an error kept per request), and
 * how fast they are refused.
 *
 * The same corpus and sizes as the test (test/e2e/hostile-case-events.ts, seeded here so runs
 * compare): per round 30 batches of 60–140 events, mostly hostile (now and then an all-valid batch,
 * which is recorded), and 150 events singly, up to 1.5 MB each; five rounds. The embedded app runs
 * in this process (as in the test) on a fresh PGlite store, over HTTP on a local port. The first
 * round warms everything up and is the baseline.
 * Target: the heap after GC of later rounds within 48 MB of the first's (the bound the test used).
 */
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createEmbeddedApp } from '@cto/embedded';
import { loadConfig } from '@cto/runtime';
import { bearer, testAuthEnv } from '@cto/testing';
import { AUTHORITIES_IN_FORCE, buildHostile, buildValid, hostileRecipe, UNKNOWN_AUTHORITIES, validType, type HostileRecipe, type Ids } from '../test/e2e/hostile-case-events';
import { now, round, type Benchmark, type BenchContext, type BenchmarkResult } from './lib';

const TARGET_GROWTH_MB = 48;
const MAX_HUGE_IN_BATCH = 10_000;
const MAX_HUGE_SINGLY = 1_500_000;
const SEED = 18_007;

type Plan = { hostile: true; recipe: HostileRecipe } | { hostile: false; type: string };

const plan = (maxHuge: number): fc.Arbitrary<Plan> =>
  fc.oneof(
    { weight: 9, arbitrary: hostileRecipe({ maxHuge }).map((recipe): Plan => ({ hostile: true, recipe })) },
    { weight: 1, arbitrary: validType.map((type): Plan => ({ hostile: false, type })) },
  );
const batchOfPlans = fc.oneof(
  { weight: 12, arbitrary: fc.array(plan(MAX_HUGE_IN_BATCH), { minLength: 60, maxLength: 140 }) },
  { weight: 1, arbitrary: fc.array(validType.map((type): Plan => ({ hostile: false, type })), { minLength: 2, maxLength: 10 }) },
);
/** Alone, a body must be an object to be read as one event (as in the test). */
const sendableAlone = (p: Plan): boolean =>
  !(p.hostile && p.recipe.kind === 'garbage' && (typeof p.recipe.value !== 'object' || p.recipe.value === null || Array.isArray(p.recipe.value)));

/** Heap in use after a full collection; --expose-gc is switched on here when Node was started without it. */
function heapAfterGc(): number {
  let gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

export const hostileInputBenchmark: Benchmark = {
  name: 'hostile-input',
  title: 'Hostile input: heap after GC across rounds of hostile case events over HTTP',
  async run(ctx: BenchContext): Promise<BenchmarkResult> {
    const rounds = ctx.quick ? 2 : 5;
    const batchesPerRound = ctx.quick ? 5 : 30;
    const singlesPerRound = ctx.quick ? 20 : 150;
    const dataDir = mkdtempSync(join(tmpdir(), 'cto-bench-hostile-'));
    let app: INestApplication | undefined;
    try {
      // The write rate limit is lifted: this is one client sending thousands of requests on purpose.
      const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', LOG_FORMAT: 'json', POLL_INTERVAL_MS: '200', RATE_LIMIT_PER_MINUTE: '1000000', ...testAuthEnv() });
      app = await createEmbeddedApp(config);
      await app.listen(0, '127.0.0.1');
      const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      const authorization = bearer({ subject: 'bench-hostile', roles: ['integration', 'reader'], authorities: [...AUTHORITIES_IN_FORCE, ...UNKNOWN_AUTHORITIES] });

      const run = randomUUID().slice(0, 8);
      let serial = 0;
      const freshIds = (): Ids => {
        serial++;
        return { eventId: `bh-${run}-${serial}`, childId: `BH-${run}-${serial}` };
      };
      const build = (p: Plan): unknown => (p.hostile ? buildHostile(p.recipe, freshIds()).value : buildValid(p.type, freshIds()));
      const tally = { requests: 0, hostile: 0, valid: 0 };
      const send = async (plans: Plan[], asArray: boolean): Promise<void> => {
        const values = plans.map(build);
        const res = await fetch(`${url}/v1/case-events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: JSON.stringify(asArray ? values : values[0]),
        });
        await res.arrayBuffer();
        tally.requests++;
        const hostile = plans.filter((p) => p.hostile).length;
        tally.hostile += hostile;
        tally.valid += plans.length - hostile;
        const expected = hostile ? 400 : 202;
        if (res.status !== expected) throw new Error(`request ${tally.requests} answered ${res.status}, expected ${expected}`);
      };

      const heapsMb: number[] = [];
      const seconds = { batches: 0, singles: 0 };
      for (let r = 0; r < rounds; r++) {
        const batches = fc.sample(batchOfPlans, { numRuns: batchesPerRound, seed: SEED + r });
        const singles = fc.sample(plan(MAX_HUGE_SINGLY).filter(sendableAlone), { numRuns: singlesPerRound, seed: SEED + 1_000 + r });
        let started = now();
        for (const plans of batches) await send(plans, true);
        seconds.batches += (now() - started) / 1000;
        started = now();
        for (const p of singles) await send([p], false);
        seconds.singles += (now() - started) / 1000;
        const health = await fetch(`${url}/health`);
        await health.arrayBuffer();
        if (health.status !== 200) throw new Error(`/health answered ${health.status} after round ${r + 1}`);
        heapsMb.push(heapAfterGc() / 2 ** 20);
        ctx.log(`hostile-input: round ${r + 1}/${rounds}: heap after GC ${heapsMb[r].toFixed(1)} MB`);
      }

      const growthMb = rounds > 1 ? Math.max(...heapsMb.slice(1)) - heapsMb[0] : 0;
      const events = tally.hostile + tally.valid;
      return {
        name: this.name,
        title: this.title,
        figures: {
          heapGrowthMb: round(growthMb, 1),
          heapAfterGcPerRoundMb: heapsMb.map((h) => h.toFixed(1)).join(', '),
          hostileEvents: tally.hostile,
          validEvents: tally.valid,
          requests: tally.requests,
          secondsInBatches: round(seconds.batches, 1),
          secondsSingly: round(seconds.singles, 1),
          eventsPerSecond: round(events / (seconds.batches + seconds.singles), 0),
          rounds,
        },
        baseline: { firstRoundHeapAfterGcMb: round(heapsMb[0], 1) },
        checks: [
          {
            name: `heap after GC, rounds 2–${rounds} against round 1 (${tally.hostile.toLocaleString('en-GB')} hostile events)`,
            figure: round(growthMb, 1),
            unit: 'MB',
            baseline: { name: 'round 1, warmed up', figure: round(heapsMb[0], 1), unit: 'MB' },
            target: `< ${TARGET_GROWTH_MB} MB growth`,
            pass: growthMb < TARGET_GROWTH_MB,
          },
        ],
        notes: ['Every answer is still checked by test/e2e/case-events.fuzz.e2e.spec.ts; here only the status, and the heap is measured.'],
      };
    } finally {
      await app?.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
