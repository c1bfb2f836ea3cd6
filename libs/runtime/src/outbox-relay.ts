/**
 * Publishes decisions from the store to the `transfer-events` topic, in log order, at least once:
 * the checkpoint moves only after the bus has taken the batch, so a crash republishes and
 * consumers deduplicate by event id (`ce_id`).
 */
import { partitionKeyFor, TOPICS, type BusMessage, type MessageBus } from '@cto/messaging';
import type { StoredEvent } from '@cto/event-store';

export const CLOUDEVENTS_SOURCE = '/case-transfer-orchestration';

/** CloudEvents 1.0 Kafka binary binding attributes (DESIGN.md "Contracts"). */
export function cloudEventHeaders(event: StoredEvent): Record<string, string> {
  return {
    ce_specversion: '1.0',
    ce_id: event.eventId,
    ce_type: event.type,
    ce_source: `${CLOUDEVENTS_SOURCE}/${event.metadata.authority}`,
    ce_time: event.metadata.occurredAt,
    ce_subject: event.streamId,
    'content-type': 'application/json',
  };
}

export function decisionMessage(event: StoredEvent): BusMessage {
  return {
    key: partitionKeyFor({ familyId: event.metadata.familyId, childId: event.metadata.childId }),
    value: {
      eventId: event.eventId,
      type: event.type,
      authority: event.metadata.authority,
      childId: event.metadata.childId,
      ...(event.metadata.familyId ? { familyId: event.metadata.familyId } : {}),
      occurredAt: event.metadata.occurredAt,
      causationId: event.metadata.causationId,
      correlationId: event.metadata.correlationId,
      data: event.data,
    },
    headers: cloudEventHeaders(event),
  };
}

export async function publishDecisions(bus: MessageBus, events: StoredEvent[]): Promise<void> {
  const decisions = events.filter((e) => e.metadata.kind === 'decision');
  if (decisions.length) await bus.publish(TOPICS.transferEvents, decisions.map(decisionMessage));
}
