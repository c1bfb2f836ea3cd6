/** Stored events to the core's view of a child's stream. */
import type { CaseEvent, ChildStreamEvent, Decision } from '@cto/domain';
import type { NewEvent, StoredEvent } from '@cto/event-store';

export function toChildStreamEvent(stored: StoredEvent): ChildStreamEvent {
  if (stored.metadata.kind === 'fact') return { kind: 'fact', fact: caseEventOf(stored) };
  return {
    kind: 'decision',
    eventId: stored.eventId,
    decidedAt: stored.metadata.occurredAt,
    causationId: stored.metadata.causationId ?? '',
    decision: { type: stored.type, data: stored.data } as Decision,
  };
}

/** The envelope a case-management system sent, rebuilt from the stored fact. */
export function caseEventOf(stored: Pick<StoredEvent, 'eventId' | 'type' | 'data' | 'metadata'>): CaseEvent {
  const m = stored.metadata;
  return {
    eventId: stored.eventId,
    type: stored.type,
    authority: m.authority,
    childId: m.childId,
    ...(m.familyId ? { familyId: m.familyId } : {}),
    occurredAt: m.occurredAt,
    source: m.source ?? 'unknown',
    data: stored.data,
  } as CaseEvent;
}

/** A case event as a stored fact. */
export function factEvent(event: CaseEvent): NewEvent {
  return {
    eventId: event.eventId,
    type: event.type,
    data: event.data,
    metadata: {
      kind: 'fact',
      authority: event.authority,
      childId: event.childId,
      ...(event.familyId ? { familyId: event.familyId } : {}),
      occurredAt: event.occurredAt,
      source: event.source,
      correlationId: event.eventId,
    },
  };
}
