/**
 * checklist: consumes proposals (transfer-events) and reported items (recorded-facts) in its own
 * consumer groups. For each child a batch names it reads the stream once and records what the
 * checklist decider requires: the pack's transfer-standards checklist for every transfer going
 * ahead, and every item the case-management system reported done (ChecklistItemCompleted) met — in
 * whichever order they were recorded. Decisions and the mark that the stream was handled commit
 * together, so nothing is opened or met twice.
 */
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { checklistDecider, reconcilesChecklists } from '@cto/domain';
import type { EventStoreTransaction } from '@cto/event-store';
import { TOPICS, type ReceivedMessage } from '@cto/messaging';
import { ChildStreamConsumer, childHistoryOf, type ChildStream, ConsumerInfrastructure, consumes, type StreamPosition } from '@cto/runtime';

export const CHECKLIST_CONSUMER = 'checklist';

@Controller()
export class ChecklistProcessor extends ChildStreamConsumer {
  constructor(infrastructure: ConsumerInfrastructure) {
    super(CHECKLIST_CONSUMER, infrastructure);
  }

  @EventPattern(TOPICS.recordedFacts, consumes({ groupId: `${CHECKLIST_CONSUMER}.${TOPICS.recordedFacts}`, batches: true, fromBeginning: true }))
  onRecordedFacts(@Payload() messages: ReceivedMessage[]): Promise<void> {
    return this.handleBatch(messages, 'fact');
  }

  @EventPattern(TOPICS.transferEvents, consumes({ groupId: `${CHECKLIST_CONSUMER}.${TOPICS.transferEvents}`, batches: true, fromBeginning: true }))
  onDecisions(@Payload() messages: ReceivedMessage[]): Promise<void> {
    return this.handleBatch(messages, 'decision');
  }

  protected concerns(event: Pick<StreamPosition, 'kind' | 'type'>): boolean {
    return reconcilesChecklists(event);
  }

  protected async reconcileStream(tx: EventStoreTransaction, { events, currentVersion }: ChildStream): Promise<number> {
    // A message about a stream this store does not hold was published by another deployment.
    if (!events.length) return currentVersion;
    const compiled = this.infrastructure.packs.forAuthority(events[0].metadata.authority);
    if (!compiled) return currentVersion;
    const history = childHistoryOf(events);
    return this.recordRequired(tx, events, checklistDecider(compiled, history).decide({ type: 'Reconcile', now: this.infrastructure.clock.now() }, history), currentVersion);
  }
}
