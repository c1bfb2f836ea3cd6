/**
 * allocation: for each child with a new fact in a batch, reads the child's stream once, asks the
 * core what the authority's pack requires of the whole history that is not yet recorded
 * (`allocationDecider`), and records it in the same transaction as its checkpoint — so a late
 * fact is judged in its place, and a crash or a redelivered fact never loses or repeats a decision.
 * A new proposal's siblings are reconciled in the same transaction: the family's transfers are
 * recorded together or not at all.
 */
import { Injectable } from '@nestjs/common';
import { allocationDecider, reconcileSiblingAlongside, reconcilesAllocation } from '@cto/domain';
import type { EventStoreTransaction, StoredEvent } from '@cto/event-store';
import { childHistoryOf, FollowerInfrastructure, LogFollower } from '@cto/runtime';

export const ALLOCATION_SUBSCRIPTION = 'allocation';

@Injectable()
export class AllocationProcessor extends LogFollower {
  constructor(infrastructure: FollowerInfrastructure) {
    super(ALLOCATION_SUBSCRIPTION, infrastructure);
  }

  protected async handleBatch(events: StoredEvent[], tx: EventStoreTransaction): Promise<void> {
    const streams = new Set(events.filter((e) => reconcilesAllocation({ kind: e.metadata.kind, type: e.type })).map((e) => e.streamId));
    // What is new on each stream: everything from the batch's first event of it on.
    const firstNew = new Map<string, number>();
    for (const e of events) if (streams.has(e.streamId) && !firstNew.has(e.streamId)) firstNew.set(e.streamId, e.streamVersion);
    for (const [streamId, version] of firstNew) await this.reconcile(streamId, version - 1, tx);
  }

  private async reconcile(streamId: string, newFrom: number, tx: EventStoreTransaction): Promise<void> {
    const { events, currentVersion } = await tx.readStream(streamId);
    const { authority } = events[0].metadata;
    const compiled = this.infrastructure.packs.forAuthority(authority);
    if (!compiled) {
      // intake refuses unknown authorities, so this is a pack withdrawn after the facts were recorded.
      this.logger.warn({ authority }, 'no pack in force; facts left undecided');
      return;
    }
    const history = childHistoryOf(events);
    const required = allocationDecider(compiled, history).decide({ type: 'Reconcile', now: this.infrastructure.clock.now(), newFrom }, history);
    await this.recordRequired(tx, events, required, currentVersion);
    const familyId = [...events].reverse().find((e) => e.metadata.familyId)?.metadata.familyId;
    if (!familyId || !required.length) return;
    for (const siblingStream of await tx.findFamilyStreams(authority, familyId)) {
      if (siblingStream === streamId) continue;
      const sibling = await tx.readStream(siblingStream);
      await this.recordRequired(tx, sibling.events, reconcileSiblingAlongside(required, childHistoryOf(sibling.events), compiled), sibling.currentVersion);
    }
  }
}
