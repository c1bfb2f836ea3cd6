/**
 * The outbox: everything recorded on a child's stream is published from the store, in log order,
 * at least once — facts to `recorded-facts` (what the deciding services consume), decisions to
 * `transfer-events` (what checklist, escalation and the authority's own consumers read). The
 * checkpoint moves only after the bus has taken the batch, so a crash republishes; consumers
 * deduplicate (the deciding services by how far they have handled each stream, others by `ce_id`).
 */
import { cloudEventHeadersFor, partitionKeyFor, TOPICS, type BusMessage, type MessageBus, type ReceivedMessage } from '@cto/messaging';
import { caseEventOf, type StoredEvent } from '@cto/event-store';
import type { Metrics } from './metrics';

export const CLOUDEVENTS_SOURCE = '/case-transfer-orchestration';

/**
 * A CloudEvents extension attribute (`ce_streamversion`): the event's version on its stream (the
 * `subject`), so a consumer knows how far along the child's history a message is without reading it.
 */
export const STREAM_VERSION_HEADER = 'ce_streamversion';

/** CloudEvents 1.0 Kafka binary binding attributes (DESIGN.md "Contracts"), through the SDK. */
export const cloudEventHeaders = (event: StoredEvent): Record<string, string> => ({
  ...cloudEventHeadersFor({
    id: event.eventId,
    type: event.type,
    source: `${CLOUDEVENTS_SOURCE}/${event.metadata.authority}`,
    time: event.metadata.occurredAt,
    subject: event.streamId,
  }),
  [STREAM_VERSION_HEADER]: String(event.streamVersion),
});

/**
 * A recorded event as published, keyed by family, else child: a fact as the case-event envelope
 * it was sent as (contracts/events/case-event-envelope.schema.json), a decision as the decision
 * envelope.
 */
export function recordedMessage(event: StoredEvent): BusMessage {
  return {
    key: partitionKeyFor({ familyId: event.metadata.familyId, childId: event.metadata.childId }),
    value: event.metadata.kind === 'fact' ? caseEventOf(event) : {
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

/** Publishes a batch read from the log: facts and decisions each to their topic, in log order. */
export async function publishRecorded(bus: MessageBus, events: StoredEvent[], metrics?: Metrics): Promise<void> {
  const facts = events.filter((e) => e.metadata.kind === 'fact');
  const decisions = events.filter((e) => e.metadata.kind === 'decision');
  // Facts first: a decision in this batch may answer one of them, and a consumer of both topics
  // should not see the answer long before the question (it would be judged either way).
  if (facts.length) await bus.publish(TOPICS.recordedFacts, facts.map(recordedMessage));
  if (decisions.length) {
    await bus.publish(TOPICS.transferEvents, decisions.map(recordedMessage));
    metrics?.decisionsPublished(decisions);
  }
}

/** Where a published recorded event sits: its child's stream and its version there. */
export interface StreamPosition {
  streamId: string;
  streamVersion: number;
  kind: 'fact' | 'decision';
  type: string;
}

/**
 * Reads the position of a message from recorded-facts (`kind` fact) or transfer-events (decision)
 * from its CloudEvents headers; undefined when the message was not published by this outbox (no
 * subject or version), which a consumer skips rather than being held up by.
 */
export function streamPositionOf(message: ReceivedMessage, kind: StreamPosition['kind']): StreamPosition | undefined {
  const streamId = message.headers.ce_subject;
  const streamVersion = Number(message.headers[STREAM_VERSION_HEADER]);
  const type = message.headers.ce_type;
  if (!streamId || !type || !Number.isSafeInteger(streamVersion) || streamVersion < 1) return undefined;
  return { streamId, streamVersion, type, kind };
}
