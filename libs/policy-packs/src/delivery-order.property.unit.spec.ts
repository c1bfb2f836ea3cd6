/**
 * Arrival order never changes an outcome (DESIGN.md "Deciding: reconcile, do not react"). For
 * generated caseloads across all five packs (the realistic mix the benchmarks use), every
 * permutation, duplication and batching of the delivery — with allocation reconciling after some
 * batches and not others, as a service that keeps up or falls behind would — leaves the same
 * decisions standing as delivery in causal order. A proposal made on a partial history and
 * superseded by a late fact is withdrawn, not deleted: it and its withdrawal are on the stream, and
 * are the only difference allowed.
 *
 * This runs the core's reconciliation alone, so it can try many cases; the same property through
 * the real allocation service on PGlite is test/e2e/delivery-order.property.e2e.spec.ts. The seed is
 * printed; FAST_CHECK_SEED replays a run.
 */
import fc from 'fast-check';
import {
  compilePack,
  epochMillisOf,
  historyOf,
  reconcileAllocation,
  type CaseEvent,
  type ChildStreamEvent,
  type CompiledPack,
} from '@cto/domain';
import { generateChildren, standingDecisions } from '@cto/testing';
import { loadPolicyPacks } from './load-policy-pack';

const packs = new Map(loadPolicyPacks().flatMap((pack) => pack.authorities.map((a) => [a, compilePack(pack)] as const)));
const packFor = (authority: string): CompiledPack => packs.get(authority)!;
const NOW = '2026-12-01T09:00:00Z';
const seed = Number(process.env.FAST_CHECK_SEED ?? Date.now() % 2 ** 31);

/** One child's stream as the store would hold it, with allocation reconciling when asked. */
class SimulatedStream {
  readonly entries: ChildStreamEvent[] = [];
  private readonly ids = new Set<string>();

  constructor(
    private readonly authority: string,
    private readonly childId: string,
  ) {}

  /** A repeated event id is a duplicate: the store refuses it and nothing changes. */
  record(fact: CaseEvent): void {
    if (this.ids.has(fact.eventId)) return;
    this.ids.add(fact.eventId);
    this.entries.push({ kind: 'fact', fact });
  }

  private reconciledUpTo = 0;

  /** As the allocation service does: what is new since the last reconciliation is marked so. */
  reconcile(): void {
    const newFrom = this.reconciledUpTo;
    for (const { decision, causationId, identity } of reconcileAllocation(historyOf(this.authority, this.childId, this.entries), packFor(this.authority), NOW, { newFrom })) {
      expect(this.ids.has(identity)).toBe(false);
      this.ids.add(identity);
      this.entries.push({ kind: 'decision', eventId: identity, decidedAt: NOW, causationId, decision });
    }
    this.reconciledUpTo = this.entries.length;
  }
}

describe('delivery order (the core alone): every permutation, duplication and batching leaves the in-order decisions standing', () => {
  it(`holds for generated caseloads across the five packs (seed ${seed})`, () => {
    process.stdout.write(`delivery-order property (core): seed ${seed}\n`);
    const deliveries = fc.record({
      mixSeed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      order: fc.array(fc.nat(), { minLength: 60, maxLength: 60 }),
      duplicates: fc.array(fc.nat(), { maxLength: 12 }),
      cuts: fc.array(fc.nat(), { maxLength: 15 }),
      reconcileAfter: fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
    });
    fc.assert(
      fc.property(deliveries, ({ mixSeed, order, duplicates, cuts, reconcileAfter }) => {
        const children = generateChildren({ children: 5, seed: mixSeed, prefix: 'p' });
        for (const child of children) {
          const inCausalOrder = [...child.events].sort((a, b) => epochMillisOf(a.occurredAt) - epochMillisOf(b.occurredAt));
          const reference = new SimulatedStream(child.authority, child.childId);
          for (const fact of inCausalOrder) {
            reference.record(fact);
            reference.reconcile();
          }

          // A permutation (from the generated keys), some events sent again, cut into batches.
          const shuffled = child.events.map((fact, i) => ({ fact, key: order[i % order.length] + i / 1000 })).sort((a, b) => a.key - b.key).map((x) => x.fact);
          const sent = [...shuffled, ...duplicates.map((d) => shuffled[d % shuffled.length])];
          const batchEnds = new Set(cuts.map((c) => c % sent.length));
          const permuted = new SimulatedStream(child.authority, child.childId);
          let batch = 0;
          sent.forEach((fact, i) => {
            permuted.record(fact);
            if (batchEnds.has(i) && reconcileAfter[batch++ % reconcileAfter.length]) permuted.reconcile();
          });
          permuted.reconcile();
          // Judging the whole history again finds nothing more to do: what was left unjudged as
          // unchanged is exactly what judging it would have required.
          expect(reconcileAllocation(historyOf(child.authority, child.childId, permuted.entries), packFor(child.authority), NOW)).toEqual([]);
          expect(reconcileAllocation(historyOf(child.authority, child.childId, reference.entries), packFor(child.authority), NOW)).toEqual([]);
          expect(standingDecisions(permuted.entries)).toEqual(standingDecisions(reference.entries));
        }
      }),
      { seed, numRuns: 200 },
    );
  });
});
