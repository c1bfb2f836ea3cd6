/**
 * Topic names and keys, in one place (STYLE.md: named constants in one file), so the in-process
 * and Kafka adapters, the services and the AsyncAPI document cannot drift apart.
 */
export const TOPICS = {
  /** Input: case events from case-management systems (DESIGN.md "The case-event envelope"). */
  caseEvents: 'case-events',
  /**
   * Facts once intake has recorded them (relayed from the store's outbox, in the order recorded):
   * what the deciding services consume, so they never read a fact that is not yet durable.
   */
  recordedFacts: 'recorded-facts',
  /** Output: decision events relayed from the outbox. */
  transferEvents: 'transfer-events',
  /** Case events that could not be handled, with the reason in the headers. */
  deadLetter: 'case-events.dlq',
} as const;

/** Where a message that exhausted its retries on `topic` is sent. */
export function deadLetterTopicFor(topic: string): string {
  return topic === TOPICS.caseEvents ? TOPICS.deadLetter : `${topic}.dlq`;
}

/** Headers a dead-lettered message carries besides its original headers. */
export const DEAD_LETTER_HEADERS = {
  /** The handler's error message. */
  reason: 'x-dlq-reason',
  originalTopic: 'x-dlq-original-topic',
  originalPartition: 'x-dlq-original-partition',
  originalOffset: 'x-dlq-original-offset',
  /** The consumer group whose handler gave up (each group dead-letters on its own). */
  groupId: 'x-dlq-group-id',
  /** How many times the handler was tried. */
  attempts: 'x-dlq-attempts',
} as const;

/**
 * The partition key of a child's messages. DESIGN.md "Topology": the family when there is one,
 * so siblings' events stay in one partition and are handled in order together (keeping siblings
 * together is a transfer rule); otherwise the child.
 */
export function partitionKeyFor(child: { familyId?: string; childId: string }): string {
  return child.familyId ?? child.childId;
}
