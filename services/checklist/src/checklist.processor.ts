/**
 * checklist: follows the log; opens the pack's transfer-standards checklist when a transfer is
 * proposed, and marks items met when the case-management system reports them (ChecklistItemCompleted).
 * Decisions and the checkpoint commit together, so nothing is opened or met twice.
 */
import { Injectable } from '@nestjs/common';
import { meetChecklistItem, openChecklist, type CaseEvent, type Decision, type DecisionDataByType, type ProposalContext } from '@cto/domain';
import type { EventStoreTransaction, StoredEvent } from '@cto/event-store';
import { childStateBefore, childStateOf, FollowerInfrastructure, LogFollower, toChildStreamEvent } from '@cto/runtime';

export const CHECKLIST_SUBSCRIPTION = 'checklist';

@Injectable()
export class ChecklistProcessor extends LogFollower {
  constructor(infrastructure: FollowerInfrastructure) {
    super(CHECKLIST_SUBSCRIPTION, infrastructure);
  }

  protected async handleBatch(events: StoredEvent[], tx: EventStoreTransaction): Promise<void> {
    for (const event of events) if (concernsChecklists(event)) await this.handle(event, tx);
  }

  private async handle(event: StoredEvent, tx: EventStoreTransaction): Promise<void> {
    const compiled = this.infrastructure.packs.forAuthority(event.metadata.authority);
    if (!compiled) return;
    const { events, currentVersion } = await tx.readStream(event.streamId);
    const state = childStateOf(events, event.metadata.authority, event.metadata.childId);
    let decisions: Decision[];
    if (event.type === 'TransferProposed') {
      const { transferId, trigger } = event.data as DecisionDataByType['TransferProposed'];
      decisions = openChecklist(state, transferId, compiled, proposalContext(trigger.eventId, events));
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
    await this.record(tx, event.streamId, decisions, event, currentVersion);
  }
}

/** The fact that fired the rule and the child before it: what an item's `when` is judged against. */
function proposalContext(triggerEventId: string, events: readonly StoredEvent[]): ProposalContext | undefined {
  const trigger = events.find((e) => e.eventId === triggerEventId && e.metadata.kind === 'fact');
  if (!trigger) return undefined;
  const entry = toChildStreamEvent(trigger);
  return entry.kind === 'fact' ? { before: childStateBefore(trigger, events), fact: entry.fact } : undefined;
}

const concernsChecklists = (event: StoredEvent): boolean =>
  (event.metadata.kind === 'decision' && event.type === 'TransferProposed') || (event.metadata.kind === 'fact' && event.type === 'ChecklistItemCompleted');
