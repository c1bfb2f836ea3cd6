/**
 * allocation: follows recorded facts in log order, folds each child's stream, asks the core what
 * the authority's pack decides, and records the decisions in the same transaction as its
 * checkpoint — so a crash or a redelivered fact never loses or repeats a decision.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { decide, evolve, inCausalOrder, initialChildState, type ChildState } from '@cto/domain';
import type { EventStore, EventStoreTransaction, StoredEvent } from '@cto/event-store';
import type { PackRegistry } from '@cto/policy-packs';
import {
  caseEventOf,
  CLOCK,
  CONFIG,
  decisionEvents,
  EVENT_STORE,
  PACK_REGISTRY,
  STORE_WAKE,
  StoreSubscription,
  toChildStreamEvent,
  type Clock,
  type RuntimeConfig,
} from '@cto/runtime';
import type { EventEmitter } from 'node:events';

export const ALLOCATION_SUBSCRIPTION = 'allocation';

@Injectable()
export class AllocationProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('allocation');
  readonly subscription: StoreSubscription;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(PACK_REGISTRY) private readonly packs: PackRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(STORE_WAKE) wake: EventEmitter,
    @Inject(CONFIG) config: RuntimeConfig,
  ) {
    this.subscription = new StoreSubscription({
      name: ALLOCATION_SUBSCRIPTION,
      store,
      wake,
      pollIntervalMs: config.pollIntervalMs,
      handle: async (events, tx) => {
        for (const event of events) if (event.metadata.kind === 'fact') await this.decideOn(event, tx);
      },
    });
  }

  onApplicationBootstrap(): void {
    this.subscription.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription.stop();
  }

  private async decideOn(fact: StoredEvent, tx: EventStoreTransaction): Promise<void> {
    const compiled = this.packs.forAuthority(fact.metadata.authority);
    if (!compiled) {
      // intake refuses unknown authorities, so this is a pack withdrawn after the fact was recorded.
      this.logger.warn({ eventId: fact.eventId, authority: fact.metadata.authority }, 'no pack in force; fact left undecided');
      return;
    }
    const { events, currentVersion } = await tx.readStream(fact.streamId);
    const state = stateBefore(fact, events);
    const decisions = decide(state, caseEventOf(fact), compiled);
    if (!decisions.length) return;
    await tx.appendToStream(fact.streamId, decisionEvents(decisions, fact, this.clock.now()), { expectedVersion: currentVersion });
    for (const d of decisions) {
      this.logger.log(
        { eventId: fact.eventId, decision: d.type, ruleId: (d.data as { ruleId: string }).ruleId, packVersion: compiled.pack.version },
        'decision recorded',
      );
    }
  }
}

/**
 * The child as the rules must see it when this fact arrives: every earlier fact with the decisions
 * each led to, in causal order (several facts may be recorded before the first is decided).
 */
function stateBefore(fact: StoredEvent, stream: StoredEvent[]): ChildState {
  const causal = inCausalOrder(stream.map(toChildStreamEvent));
  const at = causal.findIndex((e) => e.kind === 'fact' && e.fact.eventId === fact.eventId);
  return causal.slice(0, at).reduce(evolve, initialChildState(fact.metadata.authority, fact.metadata.childId));
}
