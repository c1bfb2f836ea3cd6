/**
 * What the deciding services (allocation, checklist, escalation) have in common: they follow the
 * store's log from a checkpoint kept in the same transaction as their decisions, and record
 * decisions on a child's stream at the version they read. Each says only what it does with a
 * batch.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Decision, PendingDecision } from '@cto/domain';
import type { EventStore, EventStoreTransaction, StoredEvent } from '@cto/event-store';
import type { PackRegistry } from '@cto/policy-packs';
import type { EventEmitter } from 'node:events';
import type { Clock } from './clock';
import type { RuntimeConfig } from './config';
import { decisionEvents, pendingDecisionEvents, type DecisionCause } from './decision-envelope';
import { logId } from './logging';
import { StoreSubscription } from './store-subscription';
import { CLOCK, CONFIG, EVENT_STORE, PACK_REGISTRY, STORE_WAKE } from './tokens';

/** The infrastructure a follower needs, injected once rather than in every service's constructor. */
@Injectable()
export class FollowerInfrastructure {
  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    @Inject(PACK_REGISTRY) readonly packs: PackRegistry,
    @Inject(CLOCK) readonly clock: Clock,
    @Inject(STORE_WAKE) readonly wake: EventEmitter,
    @Inject(CONFIG) readonly config: RuntimeConfig,
  ) {}
}

export abstract class LogFollower implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly subscription: StoreSubscription;
  protected readonly logger: Logger;

  protected constructor(
    name: string,
    protected readonly infrastructure: FollowerInfrastructure,
  ) {
    this.logger = new Logger(name);
    this.subscription = new StoreSubscription({
      name,
      store: infrastructure.store,
      wake: infrastructure.wake,
      pollIntervalMs: infrastructure.config.pollIntervalMs,
      handle: (events, tx) => this.handleBatch(events, tx),
    });
  }

  /** Runs inside the transaction that moves the checkpoint past `events`. */
  protected abstract handleBatch(events: StoredEvent[], tx: EventStoreTransaction): Promise<void>;

  onApplicationBootstrap(): void {
    this.subscription.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription.stop();
  }

  /**
   * Appends what a reconciling decider requires to the stream it read, at the version read (a
   * concurrent writer makes the batch run again, reconciled afresh), and logs them by id only.
   */
  protected async recordRequired(tx: EventStoreTransaction, stream: readonly StoredEvent[], pending: readonly PendingDecision[], expectedVersion: number): Promise<void> {
    if (!pending.length) return;
    const events = pendingDecisionEvents(pending, stream, this.infrastructure.clock.now());
    await tx.appendToStream(stream[0].streamId, events, { expectedVersion });
    for (const e of events) this.logger.log({ eventId: e.eventId, decision: e.type, ruleId: (e.data as { ruleId?: string }).ruleId }, 'decision recorded');
  }

  /**
   * Appends decisions to a child's stream at the version read (a concurrent writer makes the batch
   * run again, judged afresh) and logs them by id only.
   */
  protected async record(
    tx: EventStoreTransaction,
    streamId: string,
    decisions: Decision[],
    cause: DecisionCause,
    expectedVersion: number,
  ): Promise<void> {
    if (!decisions.length) return;
    await tx.appendToStream(streamId, decisionEvents(decisions, cause, this.infrastructure.clock.now()), { expectedVersion });
    for (const d of decisions) {
      // A timer's cause names the stream (and so the child): "timer". Any other cause may be a client's
      // event id, which case-management systems often build from a child id: only its keyed hash.
      const causationId = cause.eventId.startsWith('wake:') ? 'timer' : logId(this.infrastructure.config, cause.eventId);
      this.logger.log({ causationId, decision: d.type, ruleId: (d.data as { ruleId?: string }).ruleId }, 'decision recorded');
    }
  }
}
