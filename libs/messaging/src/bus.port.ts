/**
 * The message bus port (DESIGN.md "Topology"). Two adapters implement it: the in-process bus of the
 * embedded mode and Kafka. Both must pass `describeMessageBusContract`
 * (`./testing`), so the semantics written here are Kafka's, stated once:
 *
 * - A topic is split into partitions; a message's partition is a stable function of its key, so
 *   messages with one key keep their publish order (DESIGN: key = familyId ?? childId, see
 *   `partitionKeyFor`).
 * - Every consumer group receives every message. Inside a group each partition belongs to one
 *   live subscriber at a time and is handled strictly in offset order, one message at a time;
 *   different partitions may be handled concurrently, so one handler can run concurrently for
 *   messages of different keys.
 * - At-least-once: a group's position moves past a message only after its handler resolved. A
 *   handler that throws gets the same message again (the rest of its partition waits); after the
 *   adapter's retry budget the message goes to the dead-letter topic (`deadLetterTopicFor`) and the
 *   group carries on. A subscriber closed while a handler is running does not commit that
 *   message: whoever takes the partition gets it again, as after a crash. Handlers must therefore
 *   be idempotent (DESIGN.md "Storage": idempotent by event id).
 *
 * Batch subscriptions (`batchHandler`), for consumers that handle several messages in one
 * database transaction and commit once for all of them:
 *
 * - A call receives 1..maxBatchSize consecutive messages of one partition, in offset order:
 *   whatever is available now, as the adapter has it; the bus never waits to fill a batch. Batches
 *   of different partitions may run concurrently; a partition never has two batches in flight.
 * - Resolve: the group's position moves past the whole batch, only once the handler resolved.
 * - Throw: nothing of the batch is committed, and after a backoff the same messages come again,
 *   from the same first offset (the batch may be the same or larger, if more has arrived). A
 *   batch is never dead-lettered for a throwing handler: it is retried until it succeeds or the
 *   subscriber closes, so the handler must deal with poison messages itself (dead-letter them,
 *   record them as refused) and throw only when what it depends on is down. A record the adapter
 *   cannot decode at all (Kafka: not JSON, a tombstone — never written by a bus) is dead-lettered
 *   by the adapter on its own and left out of the batch; the group's position moves past it with
 *   the batch it was in.
 * - A subscriber closed while its batch handler runs does not commit that batch: the partition's
 *   next owner gets it again, as for a single message.
 */

export interface BusMessage {
  /** Partition key: messages with one key are delivered in the order they were published. */
  key: string;
  /** Must survive JSON encoding; consumers receive a decoded copy, never the producer's object. */
  value: unknown;
  /** Transport metadata such as the CloudEvents `ce_*` attributes; values are strings. */
  headers: Record<string, string>;
}

export interface ReceivedMessage extends BusMessage {
  topic: string;
  partition: number;
  /** Position in the partition; a decimal string because Kafka offsets are 64-bit. */
  offset: string;
}

export type MessageHandler = (message: ReceivedMessage) => Promise<void>;

/** Consecutive messages of one partition, in offset order. */
export type BatchHandler = (messages: ReceivedMessage[]) => Promise<void>;

export const BUS_BATCH_DEFAULTS = {
  /** Most messages handed to one batchHandler call. */
  maxBatchSize: 500,
} as const;

export interface SubscribeOptions {
  topic: string;
  /** Subscribers sharing a group id share the work; each group receives every message. */
  groupId: string;
  /**
   * One message at a time: resolve to commit the message; throw to have it retried and, in the
   * end, dead-lettered (see deadLetterFailures). Exactly one of handler and batchHandler must be
   * given (a TypeError otherwise).
   */
  handler?: MessageHandler;
  /**
   * Several messages at a time (see "Batch subscriptions" above): resolve to commit them all;
   * throw to have them retried, never dead-lettered.
   */
  batchHandler?: BatchHandler;
  /**
   * Most messages handed to one batchHandler call: a whole number ≥ 1 (a RangeError otherwise).
   * Default 500 (BUS_BATCH_DEFAULTS.maxBatchSize). Means nothing to a per-message handler.
   */
  maxBatchSize?: number;
  /**
   * Where a group with nothing committed starts: false (default) at the end of each partition as
   * it is when the group is first created, true at the first offset. A group that has committed
   * resumes from its commit whatever this says.
   */
  fromBeginning?: boolean;
  /**
   * false: a throwing handler is retried with backoff until it succeeds or the subscriber closes,
   * and never dead-lettered — for handlers that dead-letter poison themselves and throw only when
   * something they depend on (the database) is down, where giving up would lose a good message.
   * Default true: after the bus's maxAttempts the message goes to the dead-letter topic.
   * A batch subscription always behaves as false; true with batchHandler is a TypeError, because
   * the bus cannot tell which message of a failing batch is the poison.
   */
  deadLetterFailures?: boolean;
}

export interface Subscription {
  /**
   * Leaves the group: stops deliveries to this subscriber, hands its partitions to the rest of the
   * group and resolves once its running handlers have settled. What those handlers were doing is
   * not committed (it is redelivered to the next owner). Idempotent.
   */
  close(): Promise<void>;
}

/** One consumer group's backlog on one topic (see `MessageBus.consumerLag`). */
export interface ConsumerLag {
  groupId: string;
  topic: string;
  /** Published and not yet committed by the group, summed over the topic's partitions. */
  messages: number;
}

export interface MessageBus {
  /**
   * Resolves once the messages are durably appended (not handled). All-or-nothing for values that
   * cannot be encoded: nothing of the batch is appended.
   */
  publish(topic: string, messages: BusMessage[]): Promise<void>;
  /**
   * Resolves once the subscriber has joined its group and the group's start position is fixed:
   * every message published after this resolves will be delivered to the group.
   */
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /**
   * For every consumer group this bus has a live subscriber in, per topic: how many messages are
   * published and not yet committed by the group (summed over partitions). For metrics.
   *
   * A message whose handler is running counts: it is not committed yet. An adapter that must ask
   * a broker answers within a few seconds or rejects, so a metrics scrape never hangs on it.
   */
  consumerLag(): Promise<ConsumerLag[]>;
  /** Stops every delivery, waits for running handlers, releases resources. Idempotent. */
  close(): Promise<void>;
}
