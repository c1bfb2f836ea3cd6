/**
 * Reads of one child's record straight from the stream: the events in order, and the transfers
 * folded from them. (Read models for dashboards come with the query service's projections.)
 */
import { Inject, Injectable } from '@nestjs/common';
import { assertMayAccess, type Principal } from '@cto/access-control';
import {
  allowedActions,
  childStreamId,
  explainStream,
  type ChecklistState,
  type CoWorkState,
  type EscalationState,
  type FactExplanation,
  type RetentionState,
  type TransferAction,
  type TransferState,
} from '@cto/domain';
import { type EventStore, type StoredEvent, toChildStreamEvent } from '@cto/event-store';
import type { PackRegistry } from '@cto/policy-packs';
import { childStateOf, EVENT_STORE, InputRejected, NotFound, PACK_REGISTRY } from '@cto/runtime';

export interface ChildEventView {
  position: string;
  version: number;
  eventId: string;
  kind: 'fact' | 'decision';
  type: string;
  occurredAt: string;
  recordedAt: string;
  causationId?: string;
  data: unknown;
}

/** A co-worker another team must allocate beside the team holding the case (CoWorkRequired). */
export interface CoWorkView extends CoWorkState {
  /** Escalations about this co-work (a co-worker not allocated in time), open and resolved. */
  escalations: EscalationState[];
}

/** The transfers, co-works and any standing "remains" decision of one child. */
export interface ChildTransfersView {
  transfers: TransferView[];
  coWorks: CoWorkView[];
  /** A CaseRetained holding off other rules (002 row 6), while the case stays with that team. */
  retained: RetentionState | null;
}

export interface TransferView extends TransferState {
  /** The transfer-standards checklist; null when the pack has none for this route. */
  checklist: Omit<ChecklistState, 'transferId'> | null;
  /** What a manager may do now (POST /v1/transfers/{transferId}/{action}). */
  allowedActions: TransferAction[];
  /** Escalations about this transfer, open and resolved. */
  escalations: EscalationState[];
}

@Injectable()
export class ChildRecord {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PACK_REGISTRY) private readonly packs: PackRegistry,
  ) {}

  /**
   * The authority a read is about, which the token must be scoped to (403 otherwise). It may be left
   * out when the token is scoped to one authority, or to only one that has a pack in force.
   */
  resolveAuthority(requested: string | undefined, principal: Principal): string {
    const known = this.packs.authorities();
    let authority = requested;
    if (authority === undefined) {
      const inForce = principal.authorities.filter((a) => known.includes(a));
      if (principal.authorities.length === 1) authority = principal.authorities[0];
      else if (inForce.length === 1) authority = inForce[0];
      else {
        // Only the token's own authorities are named: a caller learns nothing of other tenants.
        const reason = inForce.length ? `is required: one of ${inForce.join(', ')}` : 'is required: no policy pack is in force for the authorities of this token';
        throw new InputRejected('invalid-request', 'authority is required', [{ path: '/authority', reason }]);
      }
    }
    assertMayAccess(principal, authority);
    if (!known.includes(authority)) {
      throw new InputRejected('invalid-request', 'unknown authority', [{ path: '/authority', reason: `no policy pack is in force for '${authority}'` }]);
    }
    return authority;
  }

  async events(authority: string, childId: string): Promise<ChildEventView[]> {
    return (await this.stream(authority, childId)).map((e) => ({
      position: e.globalPosition,
      version: e.streamVersion,
      eventId: e.eventId,
      kind: e.metadata.kind,
      type: e.type,
      occurredAt: e.metadata.occurredAt,
      recordedAt: e.recordedAt,
      ...(e.metadata.causationId ? { causationId: e.metadata.causationId } : {}),
      data: e.data,
    }));
  }

  async transfers(authority: string, childId: string): Promise<ChildTransfersView> {
    const state = childStateOf(await this.stream(authority, childId), authority, childId);
    const transfers = state.transfers.map((t): TransferView => {
      const checklist = state.checklists.find((c) => c.transferId === t.transferId);
      return {
        ...t,
        checklist: checklist ? { checklistId: checklist.checklistId, gating: checklist.gating, items: checklist.items, completed: checklist.completed } : null,
        allowedActions: allowedActions(state, t),
        escalations: state.escalations.filter((e) => e.transferId === t.transferId),
      };
    });
    return {
      transfers,
      coWorks: state.coWorks.map((c) => ({ ...c, escalations: state.escalations.filter((e) => e.coWorkId === c.coWorkId) })),
      retained: state.retained ?? null,
    };
  }

  /** Why each rule did or did not fire, fact by fact, under the pack in force now. */
  async explanation(authority: string, childId: string): Promise<{ packId: string; packVersion: string; facts: FactExplanation[] }> {
    const compiled = this.packs.forAuthority(authority)!;
    const stream = (await this.stream(authority, childId)).map(toChildStreamEvent);
    return { packId: compiled.pack.id, packVersion: compiled.pack.version, facts: explainStream(authority, childId, stream, compiled) };
  }

  private async stream(authority: string, childId: string): Promise<StoredEvent[]> {
    const { events } = await this.store.readStream(childStreamId(authority, childId));
    if (!events.length) throw new NotFound('child-not-found', `no events are recorded for this child in authority '${authority}'`);
    return events;
  }
}
