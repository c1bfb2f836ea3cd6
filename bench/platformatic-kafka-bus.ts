/**
 * A MessageBus (libs/messaging/src/bus.port.ts) on @platformatic/kafka, as a benchmark peer of
 * KafkaBus (kafkajs): is switching the client worth it? Not production code — minimal, but it keeps
 * the port's promises that the pipe depends on:
 *
 * - publish: idempotent producer, acks from all in-sync replicas, Kafka's default partitioner
 *   (murmur2 & 0x7fffffff, `compatibilityPartitioner`, the same partition as KafkaBus for a key);
 *   values are JSON text, headers strings; a batch that cannot be encoded sends nothing. Topics
 *   are created on first use with `partitions` partitions.
 * - subscribe: one Platformatic consumer (one group member) per subscription; messages of a
 *   partition are handled one at a time in offset order, partitions concurrently; the offset is
 *   committed only after the handler resolved (at-least-once); a throwing handler is retried with
 *   doubling backoff, then the message goes to the dead-letter topic with the DEAD_LETTER_HEADERS
 *   and is committed. A new group starts at the end of the log, or at its start with
 *   `fromBeginning` (Platformatic's `committed` mode with that fallback).
 * - close: stops fetching, lets running handlers finish without committing them, leaves the group.
 *
 * Not done (KafkaBus does them; see kafka-group-member.ts): committing a new group's start offset
 * at join time (so a member that dies before its first commit leaves the group a position), and
 * heartbeating through long backoffs. Neither is exercised by a throughput or latency run.
 */
import {
  Admin,
  compatibilityPartitioner,
  Consumer,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  Producer,
  stringDeserializers,
  stringSerializers,
  type Message,
  type MessagesStream,
} from '@platformatic/kafka';
import { DEAD_LETTER_HEADERS, deadLetterTopicFor, type BusMessage, type ConsumerLag, type MessageBus, type ReceivedMessage, type SubscribeOptions, type Subscription } from '@cto/messaging';

export interface PlatformaticKafkaBusOptions {
  brokers: string[];
  clientId?: string;
  partitions?: number;
  replicationFactor?: number;
  maxAttempts?: number;
  backoffMs?: number;
}

type StringMessage = Message<string, string, string, string>;

/** Pause fetching when this many messages wait for their partition's handler; resume below a tenth. */
const HIGH_WATER = 2_000;

export class PlatformaticKafkaBus implements MessageBus {
  private readonly producer: Producer<string, string, string, string>;
  private readonly admin: Admin;
  private readonly topics = new Map<string, Promise<void>>();
  private readonly subscriptions = new Set<PlatformaticSubscription>();
  private readonly partitions: number;
  private readonly replicationFactor: number;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: PlatformaticKafkaBusOptions) {
    this.partitions = options.partitions ?? 3;
    this.replicationFactor = options.replicationFactor ?? 1;
    const clientId = options.clientId ?? 'case-transfer-orchestration';
    this.producer = new Producer({
      clientId,
      bootstrapBrokers: options.brokers,
      idempotent: true,
      acks: -1,
      partitioner: compatibilityPartitioner,
      serializers: stringSerializers,
    });
    this.admin = new Admin({ clientId: `${clientId}-admin`, bootstrapBrokers: options.brokers });
  }

  async publish(topic: string, messages: BusMessage[]): Promise<void> {
    if (this.closing) throw new Error('PlatformaticKafkaBus is closed: cannot publish');
    // Encode the whole batch first: a value JSON cannot carry rejects the batch before any is sent.
    const records = messages.map((message, index) => {
      if (typeof message?.key !== 'string') throw new TypeError(`publish: message ${index}: key must be a string`);
      const value = JSON.stringify(message.value);
      if (value === undefined) throw new TypeError(`publish: message ${index}: value cannot be encoded as JSON`);
      for (const [name, header] of Object.entries(message.headers ?? {})) {
        if (typeof header !== 'string') throw new TypeError(`publish: message ${index}: header ${name} must be a string`);
      }
      return { topic, key: message.key, value, headers: { ...(message.headers ?? {}) } };
    });
    if (!records.length) return;
    await this.ensureTopic(topic);
    await this.producer.send({ messages: records });
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    if (this.closing) throw new Error('PlatformaticKafkaBus is closed: cannot subscribe');
    await this.ensureTopic(options.topic);
    // Batches of one: the port allows any batch size from 1, and this peer is measured per message.
    const { batchHandler } = options;
    const perMessage: SubscribeOptions = batchHandler ? { ...options, batchHandler: undefined, handler: (message) => batchHandler([message]) } : options;
    const subscription = new PlatformaticSubscription(this.options, perMessage, (original, error, attempts) => this.deadLetter(original, options.groupId, error, attempts));
    this.subscriptions.add(subscription);
    await subscription.start();
    return { close: async () => {
      await subscription.close();
      this.subscriptions.delete(subscription);
    } };
  }

  /** Not part of what the benchmark compares: KafkaBus's is the one metrics read. */
  consumerLag(): Promise<ConsumerLag[]> {
    return Promise.reject(new Error('PlatformaticKafkaBus: consumerLag is not supported (a benchmark peer only)'));
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.subscriptions].map((s) => s.close()));
      await this.producer.close();
      await this.admin.close();
    })();
    return this.closing;
  }

  private async deadLetter(original: StringMessage, groupId: string, error: unknown, attempts: number): Promise<void> {
    const topic = deadLetterTopicFor(original.topic);
    await this.ensureTopic(topic);
    const headers: Record<string, string> = {
      ...Object.fromEntries(original.headers),
      [DEAD_LETTER_HEADERS.reason]: error instanceof Error ? error.message : String(error),
      [DEAD_LETTER_HEADERS.originalTopic]: original.topic,
      [DEAD_LETTER_HEADERS.originalPartition]: String(original.partition),
      [DEAD_LETTER_HEADERS.originalOffset]: String(original.offset),
      [DEAD_LETTER_HEADERS.groupId]: groupId,
      [DEAD_LETTER_HEADERS.attempts]: String(attempts),
    };
    await this.producer.send({ messages: [{ topic, key: original.key, value: original.value, headers }] });
  }

  private ensureTopic(topic: string): Promise<void> {
    let exists = this.topics.get(topic);
    if (!exists) {
      exists = this.admin
        .createTopics({ topics: [topic], partitions: this.partitions, replicas: this.replicationFactor })
        .then(
          () => undefined,
          (error: unknown) => {
            // Already there is fine: the topic is used as it is.
            if (/already exists/i.test(String((error as Error)?.message) + JSON.stringify((error as { errors?: unknown }).errors ?? ''))) return;
            this.topics.delete(topic);
            throw error;
          },
        );
      this.topics.set(topic, exists);
    }
    return exists;
  }
}

class PlatformaticSubscription {
  private readonly consumer: Consumer<string, string, string, string>;
  private stream: MessagesStream<string, string, string, string> | undefined;
  /** One promise chain per partition: its messages run one at a time, in offset order. */
  private readonly chains = new Map<number, Promise<void>>();
  private queued = 0;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly busOptions: PlatformaticKafkaBusOptions,
    private readonly options: SubscribeOptions,
    private readonly deadLetter: (original: StringMessage, error: unknown, attempts: number) => Promise<void>,
  ) {
    this.consumer = new Consumer({
      clientId: `${busOptions.clientId ?? 'case-transfer-orchestration'}-${options.groupId}`,
      bootstrapBrokers: busOptions.brokers,
      groupId: options.groupId,
      deserializers: stringDeserializers,
      autocommit: false,
      // As KafkaBus: a 500 ms long poll (the Java client's fetch.max.wait.ms).
      maxWaitTime: 500,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
    });
  }

  async start(): Promise<void> {
    this.stream = await this.consumer.consume({
      topics: [this.options.topic],
      autocommit: false,
      mode: MessagesStreamModes.COMMITTED,
      fallbackMode: this.options.fromBeginning ? MessagesStreamFallbackModes.EARLIEST : MessagesStreamFallbackModes.LATEST,
    });
    this.stream.on('data', (message: StringMessage) => this.dispatch(message));
    this.stream.on('error', (error: Error) => {
      if (!this.closed) process.stderr.write(`platformatic bus: ${this.options.groupId} on ${this.options.topic}: ${error.message}\n`);
    });
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      await this.stream?.close();
      await Promise.all([...this.chains.values()]);
      await this.consumer.close(true);
    })();
    return this.closing;
  }

  private dispatch(message: StringMessage): void {
    if (this.closed) return;
    this.queued++;
    if (this.queued >= HIGH_WATER) this.stream?.pause();
    const previous = this.chains.get(message.partition) ?? Promise.resolve();
    const next = previous.then(() => this.handle(message)).finally(() => {
      this.queued--;
      if (this.queued <= HIGH_WATER / 10 && this.stream?.isPaused()) this.stream.resume();
      if (this.chains.get(message.partition) === next) this.chains.delete(message.partition);
    });
    this.chains.set(message.partition, next);
  }

  private async handle(message: StringMessage): Promise<void> {
    const maxAttempts = this.busOptions.maxAttempts ?? 5;
    const backoffMs = this.busOptions.backoffMs ?? 100;
    let received: ReceivedMessage;
    let lastError: unknown;
    let attempts = 0;
    try {
      received = {
        topic: message.topic,
        partition: message.partition,
        offset: message.offset.toString(),
        key: message.key ?? '',
        value: JSON.parse(message.value) as unknown,
        headers: Object.fromEntries(message.headers),
      };
    } catch (error) {
      // Not written by a bus: no attempt can succeed (as KafkaBus: dead-lettered after 0 attempts).
      return this.giveUp(message, error, 0);
    }
    while (attempts < maxAttempts) {
      if (this.closed) return;
      attempts++;
      try {
        // A fresh decoded copy per attempt, so an attempt cannot change what the next one sees.
        await this.options.handler!(attempts === 1 ? received : { ...received, value: JSON.parse(message.value) as unknown, headers: { ...received.headers } });
        if (this.closed) return;
        await message.commit();
        return;
      } catch (error) {
        lastError = error;
        if (attempts < maxAttempts) await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, backoffMs * 2 ** (attempts - 1))));
      }
    }
    return this.giveUp(message, lastError, attempts);
  }

  private async giveUp(message: StringMessage, error: unknown, attempts: number): Promise<void> {
    if (this.closed) return;
    await this.deadLetter(message, error, attempts);
    if (!this.closed) await message.commit();
  }
}
