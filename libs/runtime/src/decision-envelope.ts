/**
 * Turning the core's decisions into stored events: ids, metadata, causation. Decision ids are
 * derived from the fact that caused them, so a retried or redelivered fact yields the same ids and
 * the store's idempotency refuses a second copy.
 */
import { createHash } from 'node:crypto';
import { decisionIdSource, type Decision, type PendingDecision } from '@cto/domain';
import type { NewEvent, StoredEvent } from '@cto/event-store';

export function decisionEventId(causationId: string, index: number, type: string): string {
  const hex = createHash('sha256').update(`${causationId}|${index}|${type}`).digest('hex');
  // Shaped as a UUID (version nibble 5, RFC 4122 variant) for tools that expect one.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** What a decision is caused by: a stored event, or a manager's command or a timer (an id and the child's metadata). */
export type DecisionCause = Pick<StoredEvent, 'eventId' | 'metadata'>;

/**
 * Ids derived from the cause, scoped by authority and child: two authorities' case-management
 * systems may use the same event id, and a consumer that drops a redelivery by decision id must
 * never drop another tenant's decision.
 */
export function decisionEvents(decisions: Decision[], cause: DecisionCause, decidedAt: string): NewEvent[] {
  const idSource = `${cause.metadata.authority}|${cause.metadata.childId}|${cause.eventId}`;
  return decisions.map((decision, index) => ({
    eventId: decisionEventId(idSource, index, decision.type),
    type: decision.type,
    data: decision.data,
    metadata: {
      kind: 'decision',
      authority: cause.metadata.authority,
      childId: cause.metadata.childId,
      ...(cause.metadata.familyId ? { familyId: cause.metadata.familyId } : {}),
      occurredAt: decidedAt,
      causationId: cause.eventId,
      correlationId: (cause.metadata.correlationId as string | undefined) ?? cause.eventId,
    },
  }));
}

/**
 * Decisions a reconciling decider requires, as stored events. The id derives from the decision's
 * identity scoped by authority and child (not from the batch or the order it was found in), so
 * whatever order the facts arrived in, the same decision gets the same id, and a second copy is
 * refused by the store. Each keeps its own cause, and the cause's correlation.
 */
export function pendingDecisionEvents(pending: readonly PendingDecision[], stream: readonly StoredEvent[], decidedAt: string): NewEvent[] {
  const { authority, childId } = stream[0].metadata;
  const familyId = [...stream].reverse().find((e) => e.metadata.familyId)?.metadata.familyId;
  const byId = new Map(stream.map((e) => [e.eventId, e]));
  return pending.map(({ decision, causationId, identity }) => ({
    eventId: decisionEventId(decisionIdSource(authority, childId, identity), 0, decision.type),
    type: decision.type,
    data: decision.data,
    metadata: {
      kind: 'decision',
      authority,
      childId,
      ...(familyId ? { familyId } : {}),
      occurredAt: decidedAt,
      causationId,
      correlationId: (byId.get(causationId)?.metadata.correlationId as string | undefined) ?? causationId,
    },
  }));
}
