/**
 * checklist: for each child with a new proposal or a reported item in a batch, reads the child's
 * stream once and records what the checklist decider requires: the pack's transfer-standards
 * checklist for every transfer going ahead, and every item the case-management system reported
 * done (ChecklistItemCompleted) met — in whichever order they were recorded. Decisions and the
 * checkpoint commit together, so nothing is opened or met twice.
 */
import { Injectable } from '@nestjs/common';
import { checklistDecider, reconcilesChecklists } from '@cto/domain';
import type { EventStoreTransaction, StoredEvent } from '@cto/event-store';
import { childHistoryOf, FollowerInfrastructure, LogFollower } from '@cto/runtime';

export const CHECKLIST_SUBSCRIPTION = 'checklist';

@Injectable()
export class ChecklistProcessor extends LogFollower {
  constructor(infrastructure: FollowerInfrastructure) {
    super(CHECKLIST_SUBSCRIPTION, infrastructure);
  }

  protected async handleBatch(events: StoredEvent[], tx: EventStoreTransaction): Promise<void> {
    const streams = new Set(events.filter((e) => reconcilesChecklists({ kind: e.metadata.kind, type: e.type })).map((e) => e.streamId));
    for (const streamId of streams) await this.reconcile(streamId, tx);
  }

  private async reconcile(streamId: string, tx: EventStoreTransaction): Promise<void> {
    const { events, currentVersion } = await tx.readStream(streamId);
    const compiled = this.infrastructure.packs.forAuthority(events[0].metadata.authority);
    if (!compiled) return;
    const history = childHistoryOf(events);
    await this.recordRequired(tx, events, checklistDecider(compiled, history).decide({ type: 'Reconcile', now: this.infrastructure.clock.now() }, history), currentVersion);
  }
}
