/**
 * checklist: follows the log; opens the pack's transfer-standards checklist when a transfer is
 * proposed, and marks items met when the case-management system reports them (ChecklistItemCompleted).
 * Decisions and the checkpoint commit together, so nothing is opened or met twice.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { meetChecklistItem, openChecklist, type CaseEvent, type Decision, type DecisionDataByType } from '@cto/domain';
import type { EventStore, EventStoreTransaction, StoredEvent } from '@cto/event-store';
import type { PackRegistry } from '@cto/policy-packs';
import {
  childStateOf,
  CLOCK,
  CONFIG,
  decisionEvents,
  EVENT_STORE,
  PACK_REGISTRY,
  STORE_WAKE,
  StoreSubscription,
  type Clock,
  type RuntimeConfig,
} from '@cto/runtime';
import type { EventEmitter } from 'node:events';

export const CHECKLIST_SUBSCRIPTION = 'checklist';

@Injectable()
export class ChecklistProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('checklist');
  readonly subscription: StoreSubscription;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(PACK_REGISTRY) private readonly packs: PackRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(STORE_WAKE) wake: EventEmitter,
    @Inject(CONFIG) config: RuntimeConfig,
  ) {
    this.subscription = new StoreSubscription({
      name: CHECKLIST_SUBSCRIPTION,
      store,
      wake,
      pollIntervalMs: config.pollIntervalMs,
      handle: async (events, tx) => {
        for (const event of events) if (concernsChecklists(event)) await this.handle(event, tx);
      },
    });
  }

  onApplicationBootstrap(): void {
    this.subscription.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription.stop();
  }

  private async handle(event: StoredEvent, tx: EventStoreTransaction): Promise<void> {
    const compiled = this.packs.forAuthority(event.metadata.authority);
    if (!compiled) return;
    const { events, currentVersion } = await tx.readStream(event.streamId);
    const state = childStateOf(events, event.metadata.authority, event.metadata.childId);
    let decisions: Decision[];
    if (event.type === 'TransferProposed') {
      decisions = openChecklist(state, (event.data as DecisionDataByType['TransferProposed']).transferId, compiled);
    } else {
      const { transferId, itemId } = event.data as CaseEvent<'ChecklistItemCompleted'>['data'];
      const outcome = meetChecklistItem(state, transferId, itemId, compiled);
      if (!outcome.ok) {
        // The fact is recorded; it names no item this system knows. Ids only (no case details).
        this.logger.warn({ eventId: event.eventId, problem: outcome.problem }, 'checklist item not met');
        return;
      }
      decisions = outcome.decisions;
    }
    if (!decisions.length) return;
    await tx.appendToStream(event.streamId, decisionEvents(decisions, event, this.clock.now()), { expectedVersion: currentVersion });
    for (const d of decisions) this.logger.log({ eventId: event.eventId, decision: d.type }, 'decision recorded');
  }
}

const concernsChecklists = (event: StoredEvent): boolean =>
  (event.metadata.kind === 'decision' && event.type === 'TransferProposed') || (event.metadata.kind === 'fact' && event.type === 'ChecklistItemCompleted');
