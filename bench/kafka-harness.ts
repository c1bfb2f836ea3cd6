/**
 * Kafka plumbing shared by the end-to-end benchmarks: topics of this run, a load producer, an
 * output watcher, and the consume→produce pipes: raw kafkajs batched (eachBatch, one send per
 * batch) and per message (eachMessage, one send each), and through the bus port with KafkaBus or
 * PlatformaticKafkaBus.
 */
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { KafkaBus, TOPICS, type MessageBus } from '@cto/messaging';
import { PlatformaticKafkaBus } from './platformatic-kafka-bus';

export const PARTITIONS = 3;

export type BusKind = 'kafkajs' | 'platformatic';

export function busOf(kind: BusKind, brokers: string[], clientId: string): MessageBus {
  return kind === 'kafkajs'
    ? new KafkaBus({ brokers, clientId, partitions: PARTITIONS, logLevel: 'error' })
    : new PlatformaticKafkaBus({ brokers, clientId, partitions: PARTITIONS });
}

export class KafkaHarness {
  readonly kafka: Kafka;
  private readonly topics = new Set<string>();
  private readonly groups = new Set<string>();
  private producer: Producer | undefined;

  constructor(
    readonly brokers: string[],
    readonly runId: string,
  ) {
    this.kafka = new Kafka({ clientId: `bench-${runId}`, brokers, logLevel: logLevel.NOTHING });
  }

  name(suffix: string): string {
    return `bench-${this.runId}-${suffix}`;
  }

  /** Remembered so cleanup deletes them (and their dead-letter topics). */
  async createTopics(...names: string[]): Promise<void> {
    return this.createTopicsOf(PARTITIONS, ...names);
  }

  async createTopicsOf(partitions: number, ...names: string[]): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: names.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })), waitForLeaders: true });
      for (const n of names) this.topics.add(n);
    } finally {
      await admin.disconnect();
    }
  }

  group(suffix: string): string {
    const name = this.name(suffix);
    this.groups.add(name);
    return name;
  }

  async loadProducer(): Promise<Producer> {
    if (!this.producer) {
      this.producer = this.kafka.producer({ allowAutoTopicCreation: false });
      await this.producer.connect();
    }
    return this.producer;
  }

  /** A plain consumer of `topic` from its start; `onMessage` gets each value and the time it arrived. */
  async watch(topic: string, onMessage: (value: string, headers: Record<string, string>, at: number) => void): Promise<Consumer> {
    const consumer = this.kafka.consumer({ groupId: this.group(`watch-${topic}`), maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const at = performance.now();
        for (const m of batch.messages) {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(m.headers ?? {})) if (v !== undefined) headers[k] = String(v);
          onMessage(m.value?.toString('utf8') ?? '', headers, at);
        }
      },
    });
    return consumer;
  }

  /** Forgets the run's topics and groups on the broker. */
  async cleanup(extraTopics: string[] = []): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = await admin.listTopics();
      const ours = existing.filter((t) => t.startsWith(`bench-${this.runId}-`) || extraTopics.includes(t));
      if (ours.length) await admin.deleteTopics({ topics: ours, timeout: 30_000 }).catch(() => undefined);
      const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(`bench-${this.runId}-`));
      if (groups.length) await admin.deleteGroups(groups).catch(() => undefined);
    } finally {
      await admin.disconnect();
    }
  }
}

export interface Pipe {
  close(): Promise<void>;
}

/**
 * The primary baseline: what a Kafka consume→produce service written for throughput does with
 * kafkajs — a consumer group, `eachBatch`, the whole fetched batch of a partition sent on in one
 * `producer.send` (acks=all), offsets resolved and committed after it.
 */
export async function batchedKafkajsPipe(harness: KafkaHarness, from: string, to: string): Promise<Pipe> {
  const producer = harness.kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const consumer = harness.kafka.consumer({ groupId: harness.group(`batched-pipe-${from}`), maxWaitTimeInMs: 500 });
  await consumer.connect();
  await consumer.subscribe({ topics: [from], fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: PARTITIONS,
    eachBatch: async ({ batch }) => {
      if (!batch.messages.length) return;
      await producer.send({ topic: to, acks: -1, messages: batch.messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers })) });
    },
  });
  return {
    close: async () => {
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}

/** The second baseline: kafkajs as its README shows it — a consumer group, eachMessage, send each on. */
export async function rawKafkajsPipe(harness: KafkaHarness, from: string, to: string): Promise<Pipe> {
  const producer = harness.kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const consumer = harness.kafka.consumer({ groupId: harness.group(`raw-pipe-${from}`), maxWaitTimeInMs: 500 });
  await consumer.connect();
  await consumer.subscribe({ topics: [from], fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: PARTITIONS,
    eachMessage: async ({ message }) => {
      await producer.send({ topic: to, acks: -1, messages: [{ key: message.key, value: message.value, headers: message.headers }] });
    },
  });
  return {
    close: async () => {
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}

/** The same pipe through the bus port: subscribe, and publish each message on. */
export async function busPipe(harness: KafkaHarness, kind: BusKind, from: string, to: string): Promise<Pipe> {
  const bus = busOf(kind, harness.brokers, `bench-${harness.runId}-${kind}-pipe`);
  await bus.subscribe({
    topic: from,
    groupId: harness.group(`${kind}-pipe-${from}`),
    fromBeginning: true,
    handler: (message) => bus.publish(to, [{ key: message.key, value: message.value, headers: message.headers }]),
  });
  return { close: () => bus.close() };
}

export const SYSTEM_TOPICS = [TOPICS.caseEvents, TOPICS.transferEvents, TOPICS.deadLetter];
