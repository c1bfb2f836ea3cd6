/**
 * allocation: follows recorded facts in log order, folds each child's stream, asks the core what
 * the authority's pack decides, and records the decisions in the same transaction as its
 * checkpoint — so a crash or a redelivered fact never loses or repeats a decision.
 */
import { Injectable } from '@nestjs/common';
import {
  childStreamId,
  decide,
  decideLifecycleFact,
  evolveFact,
  siblingProposal,
  type CaseEvent,
  type CompiledPack,
  type Decision,
  type DecisionDataByType,
} from '@cto/domain';
import type { EventStoreTransaction, StoredEvent } from '@cto/event-store';
import { caseEventOf, childStateBefore, childStateOf, FollowerInfrastructure, LogFollower } from '@cto/runtime';

export const ALLOCATION_SUBSCRIPTION = 'allocation';

@Injectable()
export class AllocationProcessor extends LogFollower {
  constructor(infrastructure: FollowerInfrastructure) {
    super(ALLOCATION_SUBSCRIPTION, infrastructure);
  }

  protected async handleBatch(events: StoredEvent[], tx: EventStoreTransaction): Promise<void> {
    for (const event of events) {
      const trigger = triggerOf(event);
      if (trigger) await this.decideOn(event, trigger, tx);
    }
  }

  private async decideOn(cause: StoredEvent, trigger: CaseEvent, tx: EventStoreTransaction): Promise<void> {
    const compiled = this.infrastructure.packs.forAuthority(cause.metadata.authority);
    if (!compiled) {
      // intake refuses unknown authorities, so this is a pack withdrawn after the fact was recorded.
      this.logger.warn({ eventId: cause.eventId, authority: cause.metadata.authority }, 'no pack in force; fact left undecided');
      return;
    }
    const { events, currentVersion } = await tx.readStream(cause.streamId);
    const state = childStateBefore(cause, events);
    // A milestone announced twice — by the case-management system and computed by escalation — is
    // judged once, whichever came first.
    if (trigger.type === 'BirthdayApproaching' && state.milestonesAnnounced.includes((trigger.data as { ageYears: number }).ageYears)) return;
    // Lifecycle facts first (a worker allocated in the receiving team completes its transfer), then the transfer points.
    const decisions = [...decideLifecycleFact(evolveFact(state, trigger), trigger), ...decide(state, trigger, compiled)];
    if (!decisions.length) return;
    await this.record(tx, cause.streamId, decisions, cause, currentVersion);
    const familyId = cause.metadata.familyId ?? evolveFact(state, trigger).familyId;
    if (familyId) await this.keepSiblingsTogether(cause, familyId, decisions, compiled, tx);
  }

  /**
   * Each sibling held by the same team moves alongside (000 ¶1; 004 Work with Siblings 1), in the
   * same transaction: the family's transfers are recorded together or not at all.
   */
  private async keepSiblingsTogether(cause: StoredEvent, familyId: string, decisions: Decision[], compiled: CompiledPack, tx: EventStoreTransaction): Promise<void> {
    const proposals = decisions.filter((d) => d.type === 'TransferProposed').map((d) => d.data as DecisionDataByType['TransferProposed']);
    if (!proposals.length || !compiled.pack.siblings) return;
    const { authority, childId } = cause.metadata;
    const own = childStreamId(authority, childId);
    for (const streamId of await tx.findFamilyStreams(authority, familyId)) {
      if (streamId === own) continue;
      const { events, currentVersion } = await tx.readStream(streamId);
      const { childId: siblingId } = events[0].metadata;
      const { decisions: alongside } = siblingProposal(proposals[0], childStateOf(events, authority, siblingId), compiled);
      await this.record(tx, streamId, alongside, { eventId: cause.eventId, metadata: { ...cause.metadata, childId: siblingId } }, currentVersion, streamId);
    }
  }
}

/**
 * What allocation judges: every fact, and a BirthdayApproaching that escalation computed from the
 * date of birth — to the rules it is the same milestone as one the case-management system sends.
 */
function triggerOf(event: StoredEvent): CaseEvent | undefined {
  if (event.metadata.kind === 'fact') return caseEventOf(event);
  if (event.type !== 'BirthdayApproaching') return undefined;
  const { ageYears, on } = event.data as DecisionDataByType['BirthdayApproaching'];
  return caseEventOf({ ...event, data: { ageYears, on }, metadata: { ...event.metadata, source: 'case-transfer-orchestration' } });
}
