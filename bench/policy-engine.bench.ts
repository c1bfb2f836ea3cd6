/**
 * 1. Policy engine: case events decided per second on one core, in process.
 *
 * Each child's stream is folded as allocation folds it (services/allocation): for every fact,
 * the lifecycle decisions and `decide` under the authority's compiled pack (the five real packs
 * from policies/), then the fact and every decision are folded into the state with `evolve`.
 * Baseline: the same facts folded through `evolve` alone, so the cost of rule evaluation shows.
 */
import {
  decide,
  decideLifecycleFact,
  evolve,
  evolveFact,
  initialChildState,
  type ChildState,
  type ChildStreamEvent,
  type CompiledPack,
} from '@cto/domain';
import { loadPolicyPacks, PackRegistry } from '@cto/policy-packs';
import { eventCount, generateChildren, type GeneratedChild } from '@cto/testing';
import { collectGarbage, median, now, round, type Benchmark, type BenchContext, type BenchmarkResult } from './lib';

const TARGET_EVENTS_PER_SECOND = 200_000;

/** Folds every child with decisions; returns how many decisions were made. */
function foldDeciding(children: readonly GeneratedChild[], packs: PackRegistry): number {
  let decisions = 0;
  for (const child of children) {
    const compiled = packs.forAuthority(child.authority) as CompiledPack;
    let state: ChildState = initialChildState(child.authority, child.childId);
    for (const fact of child.events) {
      const decided = [...decideLifecycleFact(evolveFact(state, fact), fact), ...decide(state, fact, compiled)];
      state = evolve(state, { kind: 'fact', fact });
      for (let i = 0; i < decided.length; i++) {
        const entry: ChildStreamEvent = { kind: 'decision', eventId: `${fact.eventId}-d${i}`, decidedAt: fact.occurredAt, causationId: fact.eventId, decision: decided[i] };
        state = evolve(state, entry);
      }
      decisions += decided.length;
    }
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

    // Warm up: let V8 optimise both paths before anything is timed.
    for (let i = 0; i < 2; i++) {
      foldDeciding(children.slice(0, 2_000), packs);
      foldOnly(children.slice(0, 2_000));
    }

    const deciding: number[] = [];
    const folding: number[] = [];
    let decisions = 0;
    // Alternate the two so machine noise (the 2 cores are shared) hits both alike.
    for (let r = 0; r < rounds; r++) {
      collectGarbage();
      let t = now();
      decisions = foldDeciding(children, packs);
      deciding.push(events / ((now() - t) / 1000));
      collectGarbage();
      t = now();
      foldOnly(children);
      folding.push(events / ((now() - t) / 1000));
    }
    const decided = median(deciding);
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
          name: 'events decided per second (one core)',
          figure: round(decided, 0),
          unit: 'events/s',
          baseline: { name: 'evolve-only fold', figure: round(folded, 0), unit: 'events/s' },
          ratio: round(decided / folded, 3),
          ratioMeaning: 'deciding throughput ÷ fold-only throughput (the share of time that is not rule evaluation)',
          target: `≥ ${TARGET_EVENTS_PER_SECOND.toLocaleString('en-GB')} events/s/core`,
          pass: decided >= TARGET_EVENTS_PER_SECOND,
        },
      ],
      notes: [`${round((decisions / events) * 100, 1)}% of events led to a decision; median of ${rounds} rounds after warm-up.`],
    };
  },
};
