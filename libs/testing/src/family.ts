/**
 * A family's streams with allocation reconciling as the allocation service does
 * (services/allocation/src/allocation.processor.ts): a fact is recorded on its child's stream, the
 * child is reconciled (reconcileAllocation), and the family's part (reconcileFamilyAlongside) is
 * recorded on the siblings' streams first and on the child's own last. For sibling scenarios and
 * the delivery-order property, without a store.
 */
import {
  epochMillisOf,
  evolve,
  historyOf,
  inCausalOrder,
  initialChildState,
  reconcileAllocation,
  reconcileFamilyAlongside,
  type CaseEvent,
  type ChildState,
  type ChildStreamEvent,
  type CompiledPack,
  type PendingDecision,
} from '@cto/domain';

export class FamilySimulation {
  private readonly streams = new Map<string, ChildStreamEvent[]>();
  private readonly ids = new Map<string, Set<string>>();
  private readonly reconciledUpTo = new Map<string, number>();
  private latestFact = '';

  private get now(): string {
    return this.fixedNow ?? this.latestFact;
  }

  constructor(
    private readonly compiled: CompiledPack,
    private readonly authority: string,
    childIds: readonly string[],
    /** When the service decides; left out, as each fact is delivered (a service that keeps up). */
    private readonly fixedNow?: string,
  ) {
    for (const childId of childIds) {
      this.streams.set(childId, []);
      this.ids.set(childId, new Set());
    }
  }

  /** Records the fact on its child's stream (a repeated event id changes nothing); reconciles that child unless told not to. */
  deliver(fact: CaseEvent, { reconcile = true }: { reconcile?: boolean } = {}): this {
    const ids = this.ids.get(fact.childId)!;
    if (!ids.has(fact.eventId)) {
      ids.add(fact.eventId);
      this.streams.get(fact.childId)!.push({ kind: 'fact', fact });
      const at = new Date(epochMillisOf(fact.occurredAt)).toISOString();
      if (at > this.latestFact) this.latestFact = at;
    }
    if (reconcile) this.reconcile(fact.childId);
    return this;
  }

  /** What the allocation service does for one child of the family. */
  reconcile(childId: string): this {
    const history = historyOf(this.authority, childId, this.entries(childId));
    const required = reconcileAllocation(history, this.compiled, this.now, { newFrom: this.reconciledUpTo.get(childId) ?? 0 });
    const siblingIds = [...this.streams.keys()].filter((id) => id !== childId);
    const family = reconcileFamilyAlongside(history, required, siblingIds.map((id) => historyOf(this.authority, id, this.entries(id))), this.compiled, this.now);
    siblingIds.forEach((id, i) => this.record(id, family.siblings[i]));
    this.record(childId, [...required, ...family.child]);
    this.reconciledUpTo.set(childId, this.entries(childId).length);
    return this;
  }

  entries(childId: string): ChildStreamEvent[] {
    return this.streams.get(childId)!;
  }

  /** The child as its stream now stands. */
  state(childId: string): ChildState {
    return inCausalOrder(this.entries(childId)).reduce(evolve, initialChildState(this.authority, childId));
  }

  private record(childId: string, pending: readonly PendingDecision[]): void {
    const ids = this.ids.get(childId)!;
    for (const { decision, causationId, identity } of pending) {
      if (ids.has(identity)) throw new Error(`${identity} required twice of ${childId}`);
      ids.add(identity);
      this.entries(childId).push({ kind: 'decision', eventId: identity, decidedAt: this.now, causationId, decision });
    }
  }
}
