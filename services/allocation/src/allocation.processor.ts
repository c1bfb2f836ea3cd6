/**
 * allocation: consumes recorded facts (and the BirthdayApproaching decisions escalation makes) in
 * its own consumer groups. For each child a batch names, it reads the child's stream once, asks the
 * core what the authority's pack requires of the whole history that is not yet recorded
 * (`allocationDecider`), and records it in the transaction that marks the stream handled — so a
 * late fact is judged in its place, and a crash or a redelivered fact never loses or repeats a
 * decision. A new proposal's siblings are reconciled in the same transaction: the family's
 * transfers are recorded together or not at all.
 */
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { allocationDecider, movesSiblingsAlong, reconcileFamilyAlongside, reconcilesAllocation } from '@cto/domain';
import type { EventStoreTransaction } from '@cto/event-store';
import { TOPICS, type ReceivedMessage } from '@cto/messaging';
import { ChildStreamConsumer, childHistoryOf, type ChildStream, ConsumerInfrastructure, consumes, type StreamPosition } from '@cto/runtime';

export const ALLOCATION_CONSUMER = 'allocation';

@Controller()
export class AllocationProcessor extends ChildStreamConsumer {
  constructor(infrastructure: ConsumerInfrastructure) {
    super(ALLOCATION_CONSUMER, infrastructure);
  }

  @EventPattern(TOPICS.recordedFacts, consumes({ groupId: `${ALLOCATION_CONSUMER}.${TOPICS.recordedFacts}`, batches: true, fromBeginning: true }))
  onRecordedFacts(@Payload() messages: ReceivedMessage[]): Promise<void> {
    return this.handleBatch(messages, 'fact');
  }

  @EventPattern(TOPICS.transferEvents, consumes({ groupId: `${ALLOCATION_CONSUMER}.${TOPICS.transferEvents}`, batches: true, fromBeginning: true }))
  onDecisions(@Payload() messages: ReceivedMessage[]): Promise<void> {
    return this.handleBatch(messages, 'decision');
  }

  protected concerns(event: Pick<StreamPosition, 'kind' | 'type'>): boolean {
    return reconcilesAllocation(event);
  }

  protected async reconcileStream(tx: EventStoreTransaction, { streamId, events, currentVersion }: ChildStream, handledUpTo: number): Promise<number> {
    // A message about a stream this store does not hold was published by another deployment.
    if (!events.length) return currentVersion;
    const { authority } = events[0].metadata;
    const compiled = this.infrastructure.packs.forAuthority(authority);
    if (!compiled) {
      // intake refuses unknown authorities, so this is a pack withdrawn after the facts were recorded.
      this.logger.warn({ authority }, 'no pack in force; facts left undecided');
      return currentVersion;
    }
    const history = childHistoryOf(events);
    const now = this.infrastructure.clock.now();
    const required = allocationDecider(compiled, history).decide({ type: 'Reconcile', now, newFrom: handledUpTo }, history);
    // Siblings move alongside (reconcileFamilyAlongside): each sibling against this child's
    // transfers, and this child against the siblings', on the family as it now stands, so a
    // sibling's facts recorded before or after this child's proposal move it alike. The siblings'
    // part first, the child's own last: a conflicting append makes the stream run again
    // (ChildStreamConsumer), and only while the child's own decisions are unrecorded does that run
    // know what they require of the siblings. What a sibling already has is not required twice.
    const familyId = [...events].reverse().find((e) => e.metadata.familyId)?.metadata.familyId;
    if (familyId && movesSiblingsAlong(compiled)) {
      const siblings: ChildStream[] = [];
      for (const siblingStream of await tx.findFamilyStreams(authority, familyId)) {
        if (siblingStream !== streamId) siblings.push({ streamId: siblingStream, ...(await tx.readStream(siblingStream)) });
      }
      const family = reconcileFamilyAlongside(history, required, siblings.map((s) => childHistoryOf(s.events)), compiled, now);
      for (const [i, sibling] of siblings.entries()) await this.recordRequired(tx, sibling.events, family.siblings[i], sibling.currentVersion);
      required.push(...family.child);
    }
    return this.recordRequired(tx, events, required, currentVersion);
  }
}
