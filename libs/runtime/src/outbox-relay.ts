/**
 * Publishes decisions from the store to the `transfer-events` topic, in log order, at least once:
 * the checkpoint moves only after the bus has taken the batch, so a crash republishes and
 * consumers deduplicate by event id (`ce_id`).
 */
import { cloudEventHeadersFor, partitionKeyFor, TOPICS, type BusMessage, type MessageBus } from '@cto/messaging';
import type { StoredEvent } from '@cto/event-store';
import type { Metrics } from './metrics';

export const CLOUDEVENTS_SOURCE = '/case-transfer-orchestration';

/** CloudEvents 1.0 Kafka binary binding attributes (DESIGN.md "Contracts"), through the SDK. */
export const cloudEventHeaders = (event: StoredEvent): Record<string, string> =>
  cloudEventHeadersFor({
    id: event.eventId,
    type: event.type,
    source: `${CLOUDEVENTS_SOURCE}/${event.metadata.authority}`,
    time: event.metadata.occurredAt,
    subject: event.streamId,
  });

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

export async function publishDecisions(bus: MessageBus, events: StoredEvent[], metrics?: Metrics): Promise<void> {
  const decisions = events.filter((e) => e.metadata.kind === 'decision');
  if (!decisions.length) return;
  await bus.publish(TOPICS.transferEvents, decisions.map(decisionMessage));
  metrics?.decisionsPublished(decisions);
}
