/**
 * allocation: follows recorded facts in log order, folds each child's stream, asks the core what
 * the authority's pack decides, and records the decisions in the same transaction as its
 * checkpoint — so a crash or a redelivered fact never loses or repeats a decision.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { childStreamId, decide, decideLifecycleFact, evolveFact, siblingProposal, type CaseEvent, type CompiledPack, type Decision, type DecisionDataByType } from '@cto/domain';
import type { EventStore, EventStoreTransaction, StoredEvent } from '@cto/event-store';
import type { PackRegistry } from '@cto/policy-packs';
import {
  caseEventOf,
  childStateBefore,
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
        for (const event of events) {
          const trigger = triggerOf(event);
          if (trigger) await this.decideOn(event, trigger, tx);
        }
      },
    });
  }

  onApplicationBootstrap(): void {
    this.subscription.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription.stop();
  }

  private async decideOn(cause: StoredEvent, trigger: CaseEvent, tx: EventStoreTransaction): Promise<void> {
    const compiled = this.packs.forAuthority(cause.metadata.authority);
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
    await tx.appendToStream(cause.streamId, decisionEvents(decisions, cause, this.clock.now()), { expectedVersion: currentVersion });
    this.logDecisions(cause, decisions, compiled);
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
      const sibling = childStateOf(events, authority, siblingId);
      const { decisions: alongside } = siblingProposal(proposals[0], sibling, compiled);
      if (!alongside.length) continue;
      const siblingCause = { eventId: cause.eventId, metadata: { ...cause.metadata, childId: siblingId } };
      await tx.appendToStream(streamId, decisionEvents(alongside, siblingCause, this.clock.now(), streamId), { expectedVersion: currentVersion });
      this.logDecisions(cause, alongside, compiled);
    }
  }

  private logDecisions(cause: StoredEvent, decisions: Decision[], compiled: CompiledPack): void {
    for (const d of decisions) {
      this.logger.log(
        { eventId: cause.eventId, decision: d.type, ruleId: (d.data as { ruleId: string }).ruleId, packVersion: compiled.pack.version },
        'decision recorded',
      );
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
