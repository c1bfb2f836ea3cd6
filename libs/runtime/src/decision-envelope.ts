/**
 * Turning the core's decisions into stored events: ids, metadata, causation. Decision ids are
 * derived from the fact that caused them, so a retried or redelivered fact yields the same ids and
 * the store's idempotency refuses a second copy.
 */
import { createHash } from 'node:crypto';
import type { Decision } from '@cto/domain';
import type { NewEvent, StoredEvent } from '@cto/event-store';

export function decisionEventId(causationId: string, index: number, type: string): string {
  const hex = createHash('sha256').update(`${causationId}|${index}|${type}`).digest('hex');
  // Shaped as a UUID (version nibble 5, RFC 4122 variant) for tools that expect one.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** What a decision is caused by: a stored event, or a manager's command or a timer (an id and the child's metadata). */
export type DecisionCause = Pick<StoredEvent, 'eventId' | 'metadata'>;

export function decisionEvents(decisions: Decision[], cause: DecisionCause, decidedAt: string): NewEvent[] {
  return decisions.map((decision, index) => ({
    eventId: decisionEventId(cause.eventId, index, decision.type),
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
