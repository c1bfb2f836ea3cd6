/**
 * 1. Policy engine: case events decided per second on one core, in process.
 *
 * Each child is decided as allocation decides it (services/allocation): its whole history
 * reconciled with the authority's compiled pack (`reconcileAllocation`, the five real packs from
 * policies/), and what that requires appended to the history. Two shapes of delivery:
 * - each fact in a batch of its own (allocation keeping up with a live feed): the history is
 *   reconciled after every fact, so a child of n facts is walked n times (folding the facts
 *   judged before, judging the new one);
 * - the whole history in one batch (an import, a service catching up): reconciled once.
 * Baseline: the same facts folded through `evolve` alone, so the cost of rule evaluation shows.
 */
import { evolve, historyOf, initialChildState, reconcileAllocation, type ChildState, type ChildStreamEvent, type CompiledPack } from '@cto/domain';
import { loadPolicyPacks, PackRegistry } from '@cto/policy-packs';
import { eventCount, generateChildren, type GeneratedChild } from '@cto/testing';
import { collectGarbage, median, now, round, type Benchmark, type BenchContext, type BenchmarkResult } from './lib';

const TARGET_EVENTS_PER_SECOND = 200_000;
const NOW = '2026-12-01T09:00:00Z';

/** Reconciles each child after every fact (`perFact`) or once; returns how many decisions were made. */
function reconcileChildren(children: readonly GeneratedChild[], packs: PackRegistry, perFact: boolean): number {
  let decisions = 0;
  for (const child of children) {
    const compiled = packs.forAuthority(child.authority) as CompiledPack;
    const entries: ChildStreamEvent[] = [];
    let newFrom = 0;
    const reconcile = () => {
      // As the allocation service does: what is new since the last batch is marked so.
      for (const { decision, causationId, identity } of reconcileAllocation(historyOf(child.authority, child.childId, entries), compiled, NOW, { newFrom })) {
        entries.push({ kind: 'decision', eventId: identity, decidedAt: NOW, causationId, decision });
        decisions++;
      }
      newFrom = entries.length;
    };
    for (const fact of child.events) {
      entries.push({ kind: 'fact', fact });
      if (perFact) reconcile();
    }
    if (!perFact) reconcile();
  }
  return decisions;
}

/** The baseline: the facts through `evolve` only. */
function foldOnly(children: readonly GeneratedChild[]): number {
  let open = 0;
  for (const child of children) {
    let state: ChildState = initialChildState(child.authority, child.childId);
    for (const fact of child.events) state = evolve(state, { kind: 'fact', fact });
    if (state.open) open++;
  }
  return open;
}

export const policyEngineBenchmark: Benchmark = {
  name: 'policy-engine',
  title: 'Policy engine: case events decided per second per core',
  async run(ctx: BenchContext): Promise<BenchmarkResult> {
    const packs = new PackRegistry(loadPolicyPacks());
    const children = generateChildren({ children: ctx.quick ? 3_000 : 20_000, prefix: `pe-${ctx.runId}` });
    const events = eventCount(children);
    const rounds = ctx.quick ? 2 : 7;
    ctx.log(`policy-engine: ${children.length} children, ${events} events, ${packs.packs().length} packs, ${rounds} rounds`);

    // Warm up: let V8 optimise every path before anything is timed.
    for (let i = 0; i < 2; i++) {
      reconcileChildren(children.slice(0, 2_000), packs, true);
      reconcileChildren(children.slice(0, 2_000), packs, false);
      foldOnly(children.slice(0, 2_000));
    }

    const deciding: number[] = [];
    const batched: number[] = [];
    const folding: number[] = [];
    let decisions = 0;
    // Alternate them so machine noise (the 2 cores are shared) hits all alike.
    for (let r = 0; r < rounds; r++) {
      collectGarbage();
      let t = now();
      decisions = reconcileChildren(children, packs, true);
      deciding.push(events / ((now() - t) / 1000));
      collectGarbage();
      t = now();
      reconcileChildren(children, packs, false);
      batched.push(events / ((now() - t) / 1000));
      collectGarbage();
      t = now();
      foldOnly(children);
      folding.push(events / ((now() - t) / 1000));
    }
    const decided = median(deciding);
    const decidedInOneBatch = median(batched);
    const folded = median(folding);
    const byType = new Map<string, number>();
    for (const c of children) for (const e of c.events) byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
    return {
      name: this.name,
      title: this.title,
      figures: {
        eventsPerSecond: round(decided, 0),
        eventsPerSecondRounds: deciding.map((v) => round(v, 0)).join(', '),
        microsecondsPerEvent: round(1e6 / decided, 2),
        wholeHistoryInOneBatchEventsPerSecond: round(decidedInOneBatch, 0),
        events,
        children: children.length,
        decisionsPerRound: decisions,
        decisionsPerEvent: round(decisions / events, 3),
        eventTypes: byType.size,
      },
      baseline: {
        foldOnlyEventsPerSecond: round(folded, 0),
        foldOnlyMicrosecondsPerEvent: round(1e6 / folded, 2),
      },
      checks: [
        {
          name: 'events decided per second (one core), each fact its own batch',
          figure: round(decided, 0),
          unit: 'events/s',
          baseline: { name: 'evolve-only fold', figure: round(folded, 0), unit: 'events/s' },
          ratio: round(decided / folded, 3),
          ratioMeaning: 'deciding throughput ÷ fold-only throughput (the share of time that is not rule evaluation)',
          target: `≥ ${TARGET_EVENTS_PER_SECOND.toLocaleString('en-GB')} events/s/core`,
          pass: decided >= TARGET_EVENTS_PER_SECOND,
        },
      ],
      notes: [
        `${round((decisions / events) * 100, 1)}% of events led to a decision; median of ${rounds} rounds after warm-up.`,
        `The whole history of each child in one batch (reconciled once): ${round(decidedInOneBatch, 0)} events/s.`,
      ],
    };
  },
};
