import type { Admin, ICustomPartitioner, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { BusMessage, ConsumerLag, MessageBus, SubscribeOptions, Subscription } from './bus.port';
import type { DeadLetterNotice } from './in-process-bus';
import { encodeRecord } from './kafka-codec';
import { GroupMember, whileRetriable, type GroupMemberTimings } from './kafka-group-member';
import { kafkajs } from './kafkajs';
import { KafkaBusLog, stderrLogger, type KafkaBusLogger, type KafkaBusLogLevel, type LogIdOf } from './kafka-logging';
import { murmur2 } from './partitioner';
import { assertName, checkSubscribeOptions } from './subscribe-options';
import { DEAD_LETTER_HEADERS, deadLetterTopicFor } from './topics';

/**
 * The bus of the distributed mode (DESIGN.md "Two ways to run"), on Apache Kafka through kafkajs,
 * with the semantics `bus.port.ts` states and `describeMessageBusContract` checks. The mechanisms
 * — commits, retries, dead letters, a new group's start position — are explained in
 * `kafka-group-member.ts`; this file publishes and manages topics.
 *
 * - publish: an idempotent producer (`idempotent: true`, `maxInFlightRequests: 1`, acks from all
 *   in-sync replicas), so a retried produce request neither duplicates nor reorders a key's
 *   messages; it resolves once the broker has appended them. Keys are placed with Kafka's default
 *   partitioner function (murmur2), the one the in-process bus uses, so a key has the same
 *   partition number in both modes.
 * - Topics are created on first use (publish or subscribe) with `partitions` partitions and
 *   remembered; one that already exists is used as it is. The broker's own auto-creation is not
 *   relied on (`deploy/kafka` turns it off).
 * - Each `subscribe` is one kafkajs consumer, one member of its group: `eachMessage` for a
 *   per-message handler, `eachBatch` for a batch handler.
 * - consumerLag: asked of the broker on each call (admin API), within consumerLagTimeoutMs.
 */

export interface KafkaRetryOptions {
  /** Attempts per message, the first included, before it is dead-lettered. */
  maxAttempts?: number;
  /** Wait before the second attempt; doubles for each further attempt. */
  backoffMs?: number;
  /** Cap on the doubling wait. */
  maxBackoffMs?: number;
}

/** Group membership and fetch timings; the defaults suit production (see KAFKA_BUS_DEFAULTS). */
export type KafkaConsumerTimings = Partial<GroupMemberTimings>;

export interface KafkaBusOptions {
  /** host:port of one or more brokers. */
  brokers: string[];
  clientId?: string;
  /** Partitions of each topic this bus creates. Default 3. */
  partitions?: number;
  /** Replicas of each topic this bus creates. Default: 3, or the number of brokers if fewer. */
  replicationFactor?: number;
  retry?: KafkaRetryOptions;
  consumer?: KafkaConsumerTimings;
  /** Called after a message was moved to its dead-letter topic; must not throw. */
  onDeadLetter?: (notice: DeadLetterNotice) => void;
  /** Default 'warn'. kafkajs's own lines are included, at the same level. */
  logLevel?: KafkaBusLogLevel;
  /** Where lines go (a pino logger fits). Default: JSON lines on stderr. */
  logger?: KafkaBusLogger;
  /** How a line above debug shows a message's event id (a keyed hash); without it, the id is left out. */
  logId?: LogIdOf;
  /** How long consumerLag waits for the broker before it rejects. Default 5000. */
  consumerLagTimeoutMs?: number;
}

export const KAFKA_BUS_DEFAULTS = {
  clientId: 'case-transfer-orchestration',
  partitions: 3,
  maxAttempts: 5,
  backoffMs: 100,
  maxBackoffMs: 10_000,
  // kafkajs's defaults, except maxWaitTimeMs: kafkajs long-polls 5 s, and it notices a rebalance
  // only between fetches, so every join or leave would keep the whole group waiting that long.
  // 500 ms is the Java client's fetch.max.wait.ms.
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3_000,
  rebalanceTimeoutMs: 60_000,
  maxWaitTimeMs: 500,
  /** How long `subscribe` waits to join: a rebalance may take up to rebalanceTimeoutMs. */
  subscribeTimeoutMs: 90_000,
  /** Well inside Prometheus's default scrape timeout (10 s), so a silent broker fails one gauge, not the scrape. */
  consumerLagTimeoutMs: 5_000,
  logLevel: 'warn',
} as const;

export class KafkaBus implements MessageBus {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly log: KafkaBusLog;
  private readonly partitions: number;
  private readonly replicationFactor: number | undefined;
  private readonly retry: { maxAttempts: number; backoffMs: number; maxBackoffMs: number };
  private readonly timings: GroupMemberTimings;
  private readonly onDeadLetter: ((notice: DeadLetterNotice) => void) | undefined;
  private readonly consumerLagTimeoutMs: number;

  private connecting: Promise<void> | undefined;
  /** 3 replicas, or as many as there are brokers: asked of the cluster once. */
  private defaultReplication: Promise<number> | undefined;
  /** Topics known to exist (or being created), so each is created at most once per bus. */
  private readonly topics = new Map<string, Promise<void>>();
  private readonly members = new Set<GroupMember>();
  /** The broker's answer to consumerLag being awaited, shared by callers while it is. */
  private lagReading: Promise<ConsumerLag[]> | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(options: KafkaBusOptions) {
    this.partitions = options.partitions ?? KAFKA_BUS_DEFAULTS.partitions;
    this.replicationFactor = options.replicationFactor;
    this.retry = {
      maxAttempts: options.retry?.maxAttempts ?? KAFKA_BUS_DEFAULTS.maxAttempts,
      backoffMs: options.retry?.backoffMs ?? KAFKA_BUS_DEFAULTS.backoffMs,
      maxBackoffMs: options.retry?.maxBackoffMs ?? KAFKA_BUS_DEFAULTS.maxBackoffMs,
    };
    this.timings = {
      sessionTimeoutMs: options.consumer?.sessionTimeoutMs ?? KAFKA_BUS_DEFAULTS.sessionTimeoutMs,
      heartbeatIntervalMs: options.consumer?.heartbeatIntervalMs ?? KAFKA_BUS_DEFAULTS.heartbeatIntervalMs,
      rebalanceTimeoutMs: options.consumer?.rebalanceTimeoutMs ?? KAFKA_BUS_DEFAULTS.rebalanceTimeoutMs,
      maxWaitTimeMs: options.consumer?.maxWaitTimeMs ?? KAFKA_BUS_DEFAULTS.maxWaitTimeMs,
      subscribeTimeoutMs: options.consumer?.subscribeTimeoutMs ?? KAFKA_BUS_DEFAULTS.subscribeTimeoutMs,
    };
    this.onDeadLetter = options.onDeadLetter;
    this.consumerLagTimeoutMs = options.consumerLagTimeoutMs ?? KAFKA_BUS_DEFAULTS.consumerLagTimeoutMs;
    const problems = optionProblems(options, this.partitions, this.retry, this.timings);
    if (problems.length > 0) throw new RangeError(`KafkaBus options: ${problems.join('; ')}`);

    this.log = new KafkaBusLog(options.logger ?? stderrLogger, options.logLevel ?? KAFKA_BUS_DEFAULTS.logLevel, options.logId);
    const { Kafka } = kafkajs();
    this.kafka = new Kafka({
      clientId: options.clientId ?? KAFKA_BUS_DEFAULTS.clientId,
      brokers: options.brokers,
      logLevel: this.log.kafkaJsLevel(),
      logCreator: this.log.logCreator(),
    });
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: kafkaDefaultPartitioner,
    });
    this.admin = this.kafka.admin();
  }

  /**
   * Connects the producer and the admin client. publish and subscribe connect when they need to;
   * calling it at boot makes an unreachable broker fail the start instead of the first message.
   */
  async connect(): Promise<void> {
    this.assertOpen('connect');
    this.connecting ??= Promise.all([this.producer.connect(), this.admin.connect()]).then(
      () => undefined,
      (error: unknown) => {
        this.connecting = undefined;
        throw error;
      },
    );
    return this.connecting;
  }

  async publish(topic: string, messages: BusMessage[]): Promise<void> {
    this.assertOpen('publish');
    assertName('topic', topic);
    if (!Array.isArray(messages)) throw new TypeError('publish: messages must be an array');
    // Encode the whole batch before sending any of it: a bad value rejects the batch.
    const records = messages.map(encodeRecord);
    if (records.length === 0) return;
    await this.connect();
    await this.ensureTopic(topic);
    await this.producer.send({ topic, acks: -1, messages: records });
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    this.assertOpen('subscribe');
    const { topic, groupId, fromBeginning, delivery } = checkSubscribeOptions(options);
    await this.connect();
    await this.ensureTopic(topic);
    this.assertOpen('subscribe');

    const member = new GroupMember({
      kafka: this.kafka,
      admin: this.admin,
      log: this.log,
      topic,
      groupId,
      delivery,
      fromBeginning,
      concurrency: this.partitions,
      timings: this.timings,
      retry: this.retry,
      deadLetter: (original, group, error, attempts) => this.deadLetter(original, group, error, attempts),
      onDeadLetter: this.onDeadLetter,
      onGone: (gone) => this.members.delete(gone),
    });
    this.members.add(member);
    try {
      await member.start();
    } catch (error) {
      await member.close();
      throw error;
    }
    return { close: () => member.close() };
  }

  /**
   * For each (group, topic) of this bus's live members: the partitions' ends
   * (`admin.fetchTopicOffsets`, high watermark) minus the group's committed offsets
   * (`admin.fetchOffsets`), summed; a partition the group has no commit in counts from its log
   * start (members commit a start on joining, so that lasts a moment). Rejects when the broker
   * has not answered within consumerLagTimeoutMs. A question still unanswered from an earlier
   * call is awaited again rather than asked twice, so a silent broker does not pile requests up.
   */
  async consumerLag(): Promise<ConsumerLag[]> {
    const subscribed = new Map<string, { groupId: string; topic: string }>();
    for (const member of this.members) {
      const subscription = member.subscription;
      if (subscription) subscribed.set(JSON.stringify([subscription.groupId, subscription.topic]), subscription);
    }
    if (this.closed || subscribed.size === 0) return [];
    this.lagReading ??= this.readLag([...subscribed.values()]).finally(() => {
      this.lagReading = undefined;
    });
    return within(this.consumerLagTimeoutMs, `consumerLag: the broker did not answer within ${this.consumerLagTimeoutMs} ms`, this.lagReading);
  }

  private async readLag(subscribed: Array<{ groupId: string; topic: string }>): Promise<ConsumerLag[]> {
    // Retriable admin errors (a coordinator loading) are retried only for about as long as the caller waits.
    const retrying = <T>(work: () => Promise<T>) => whileRetriable(work, Math.max(1, Math.ceil(this.consumerLagTimeoutMs / 250)));
    await this.connect();
    const ends = new Map<string, ReturnType<Admin['fetchTopicOffsets']>>();
    const endsOf = (topic: string) => {
      let found = ends.get(topic);
      if (!found) {
        found = retrying(() => this.admin.fetchTopicOffsets(topic));
        ends.set(topic, found);
      }
      return found;
    };
    return Promise.all(
      subscribed.map(async ({ groupId, topic }): Promise<ConsumerLag> => {
        const [partitions, [committed]] = await Promise.all([endsOf(topic), retrying(() => this.admin.fetchOffsets({ groupId, topics: [topic] }))]);
        let messages = 0n;
        for (const { partition, high, low } of partitions) {
          const offset = committed?.partitions.find((p) => p.partition === partition)?.offset;
          // Kafka answers -1 for a partition the group has committed nothing in.
          const from = offset !== undefined && BigInt(offset) >= 0n ? BigInt(offset) : BigInt(low);
          if (BigInt(high) > from) messages += BigInt(high) - from;
        }
        return { groupId, topic, messages: Number(messages) };
      }),
    );
  }

  /** Stops every subscriber (each after its handler in flight settles), then disconnects. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.members].map((member) => member.close()));
    // Nothing to disconnect if nothing connected; a connect still under way is waited for.
    const connected = await this.connecting?.then(
      () => true,
      () => false,
    );
    if (connected) await Promise.all([this.producer.disconnect(), this.admin.disconnect()]);
  }

  /** Appends a record, as it was read, to its topic's dead-letter topic with why and from where. */
  private async deadLetter(original: { topic: string; partition: number; record: KafkaMessage }, groupId: string, error: unknown, attempts: number): Promise<string> {
    const { topic, partition, record } = original;
    const deadLetterTopic = deadLetterTopicFor(topic);
    const headers: IHeaders = {
      ...record.headers,
      [DEAD_LETTER_HEADERS.reason]: error instanceof Error ? error.message : String(error),
      [DEAD_LETTER_HEADERS.originalTopic]: topic,
      [DEAD_LETTER_HEADERS.originalPartition]: String(partition),
      [DEAD_LETTER_HEADERS.originalOffset]: record.offset,
      [DEAD_LETTER_HEADERS.groupId]: groupId,
      [DEAD_LETTER_HEADERS.attempts]: String(attempts),
    };
    await this.ensureTopic(deadLetterTopic);
    await this.producer.send({ topic: deadLetterTopic, acks: -1, messages: [{ key: record.key, value: record.value, headers }] });
    return deadLetterTopic;
  }

  private ensureTopic(topic: string): Promise<void> {
    let exists = this.topics.get(topic);
    if (!exists) {
      exists = this.createTopic(topic).catch((error: unknown) => {
        this.topics.delete(topic);
        throw error;
      });
      this.topics.set(topic, exists);
    }
    return exists;
  }

  private async createTopic(topic: string): Promise<void> {
    this.defaultReplication ??= this.admin.describeCluster().then(
      ({ brokers }) => Math.min(3, brokers.length),
      (error: unknown) => {
        this.defaultReplication = undefined;
        throw error;
      },
    );
    const replicationFactor = this.replicationFactor ?? (await this.defaultReplication);
    // false (not an error) when the topic exists already; waitForLeaders avoids the retriable
    // "leader not available" a first produce to a brand-new KRaft topic can otherwise hit.
    await this.admin.createTopics({ topics: [{ topic, numPartitions: this.partitions, replicationFactor }], waitForLeaders: true });
  }

  private assertOpen(operation: string): void {
    if (this.closed) throw new Error(`KafkaBus is closed: cannot ${operation}`);
  }
}

/**
 * Kafka's default partitioner function for keyed records (murmur2 of the key bytes, made positive,
 * modulo the partition count), written out so it is the same function as `partitionForKey`.
 * Records without a key (only ever re-sent foreign records) go round robin.
 */
const kafkaDefaultPartitioner: ICustomPartitioner = () => {
  let next = 0;
  return ({ partitionMetadata, message }) => {
    const count = partitionMetadata.length;
    if (message.key === null || message.key === undefined) return next++ % count;
    const bytes = typeof message.key === 'string' ? Buffer.from(message.key, 'utf8') : message.key;
    return (murmur2(bytes) & 0x7fffffff) % count;
  };
};

function optionProblems(
  options: KafkaBusOptions,
  partitions: number,
  retry: { maxAttempts: number; backoffMs: number; maxBackoffMs: number },
  timings: GroupMemberTimings,
): string[] {
  const brokers = options?.brokers;
  return [
    (!Array.isArray(brokers) || brokers.length === 0 || !brokers.every((b) => typeof b === 'string' && /^[^\s:]+:\d+$/.test(b))) &&
      `brokers must be a non-empty list of host:port (got ${JSON.stringify(brokers)})`,
    !isWholeNumber(partitions, 1) && `partitions must be a whole number ≥ 1 (got ${partitions})`,
    options.replicationFactor !== undefined && !isWholeNumber(options.replicationFactor, 1) && `replicationFactor must be a whole number ≥ 1 (got ${options.replicationFactor})`,
    !isWholeNumber(retry.maxAttempts, 1) && `retry.maxAttempts must be a whole number ≥ 1 (got ${retry.maxAttempts})`,
    !isNonNegative(retry.backoffMs) && `retry.backoffMs must be ≥ 0 (got ${retry.backoffMs})`,
    !isNonNegative(retry.maxBackoffMs) && `retry.maxBackoffMs must be ≥ 0 (got ${retry.maxBackoffMs})`,
    options.consumerLagTimeoutMs !== undefined &&
      !isWholeNumber(options.consumerLagTimeoutMs, 1) &&
      `consumerLagTimeoutMs must be a whole number of ms ≥ 1 (got ${options.consumerLagTimeoutMs})`,
    ...Object.entries(timings).map(([name, value]) => !isWholeNumber(value, 1) && `consumer.${name} must be a whole number of ms ≥ 1 (got ${value})`),
    timings.heartbeatIntervalMs >= timings.sessionTimeoutMs && 'consumer.heartbeatIntervalMs must be below consumer.sessionTimeoutMs (a third of it is usual)',
  ].filter((problem): problem is string => typeof problem === 'string');
}

/** `work`, or a rejection saying `why` once `ms` have passed without its answer. */
function within<T>(ms: number, why: string, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(why)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function isWholeNumber(n: number, min: number): boolean {
  return Number.isInteger(n) && n >= min;
}

function isNonNegative(n: number): boolean {
  return Number.isFinite(n) && n >= 0;
}
