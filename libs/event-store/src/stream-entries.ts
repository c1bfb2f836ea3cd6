/**
 * Stored events to the core's view of a child's stream, and back: the one place where the store's
 * untyped rows (`type: string`, `data: unknown`) become the core's discriminated unions. Nothing
 * is checked here because nothing unchecked reaches the store: a fact was validated against its
 * contract (contracts/events/case) at the door before it was appended, a decision was written
 * from the core's own typed value, and the store refuses UPDATE and DELETE. Everywhere else a
 * `switch` on `type` narrows `data`; the architecture test refuses a cast on an event's data
 * outside this file.
 */
import type { CaseEvent, ChildStreamEvent, Decision } from '@cto/domain';
import type { NewEvent, StoredEvent } from './event-store.port';

/** What a reader needs of a stored event. */
export type StoredEntry = Pick<StoredEvent, 'eventId' | 'type' | 'data' | 'metadata'>;

export function toChildStreamEvent(stored: StoredEntry): ChildStreamEvent {
  if (stored.metadata.kind === 'fact') return { kind: 'fact', fact: caseEventOf(stored) };
  return { kind: 'decision', eventId: stored.eventId, decidedAt: stored.metadata.occurredAt, causationId: stored.metadata.causationId ?? '', decision: decisionOf(stored) };
}

/** A stored decision as the core made it. */
export const decisionOf = (stored: Pick<StoredEvent, 'type' | 'data'>): Decision => ({ type: stored.type, data: stored.data }) as Decision;

/** The envelope a case-management system sent, rebuilt from the stored fact. */
export function caseEventOf(stored: StoredEntry): CaseEvent {
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
