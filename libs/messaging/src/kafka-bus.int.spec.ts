import { Kafka as CloudEventsKafka, type KafkaMessage as CloudEventsKafkaMessage } from 'cloudevents';
import { Kafka, logLevel } from 'kafkajs';
import type { ReceivedMessage, Subscription } from './bus.port';
import { KafkaBus, type KafkaBusOptions } from './kafka-bus';
import { cloudEventHeadersFor } from './kafka-cloudevents';
import { partitionForKey } from './partitioner';
import { describeMessageBusContract } from './testing';
import { DEAD_LETTER_HEADERS, deadLetterTopicFor } from './topics';

const brokers = (process.env.KAFKA_BROKERS ?? '')
  .split(',')
  .map((broker) => broker.trim())
  .filter(Boolean);

/**
 * Timings for one broker on this machine, set here and not as defaults. The broker refuses
 * sessions under its group.min.session.timeout.ms (6 s by default), so 6 s is the floor, and it
 * works against any broker given in KAFKA_BROKERS. What makes the suite fast is noticing a
 * rebalance soon: kafkajs only learns of one from a heartbeat sent between fetches, so fetches
 * return after 100 ms when idle and heartbeats go every 300 ms.
 */
const TEST_OPTIONS: Omit<KafkaBusOptions, 'brokers'> = {
  clientId: 'messaging-int-spec',
  partitions: 3,
  retry: { maxAttempts: 3, backoffMs: 10, maxBackoffMs: 100 },
  consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 300, rebalanceTimeoutMs: 10_000, maxWaitTimeMs: 100, subscribeTimeoutMs: 30_000 },
  logLevel: 'error',
};

/** Names of this run's own, so runs (and other engineers' runs) on one broker never meet. */
const RUN = `kafka-it-${Date.now().toString(36)}-${process.pid}`;
let counter = 0;
const unique = (label: string) => `${RUN}-${label}-${++counter}`;

if (brokers.length === 0) {
  // DESIGN.md "Testing": CI always has a broker (npm test starts one), so there its absence is a
  // broken pipeline; locally the suite fails loudly rather than skipping.
  if (process.env.CI) throw new Error('KAFKA_BROKERS is required in CI: the Kafka bus contract suite cannot run without it');
  console.warn('Kafka bus suite NOT RUN: KAFKA_BROKERS is not set (npm test starts a broker; or deploy/kafka/start.sh and KAFKA_BROKERS=127.0.0.1:9092)');
  describe('KafkaBus', () => {
    it('needs KAFKA_BROKERS (run `npm test`, which starts a broker)', () => {
      throw new Error('KAFKA_BROKERS is not set, so the Kafka bus suite did not run: run `npm test` (deploy/kafka/with-kafka.sh starts a broker), or set KAFKA_BROKERS=host:port');
    });
  });
} else {
  describeMessageBusContract('KafkaBus', async () => ({ bus: new KafkaBus({ brokers, ...TEST_OPTIONS }), maxAttempts: 3 }));
  describeKafkaOnly();
  afterAll(deleteThisRunsTopics, 60_000);
}

function describeKafkaOnly(): void {
  describe('KafkaBus, on Kafka only', () => {
    let bus: KafkaBus;
    const subscriptions: Subscription[] = [];
    const gates: Array<() => void> = [];

    beforeEach(() => {
      bus = new KafkaBus({ brokers, ...TEST_OPTIONS });
    });
    afterEach(async () => {
      for (const open of gates.splice(0)) open();
      for (const subscription of subscriptions.splice(0)) await subscription.close();
      await bus.close();
    }, 60_000);

    const subscribe = async (...args: Parameters<KafkaBus['subscribe']>) => {
      const subscription = await bus.subscribe(...args);
      subscriptions.push(subscription);
      return subscription;
    };

    /*
     * The crash the port describes, with a key's later messages queued behind it: the owner of
     * the key's partition handles seq 0 and 1 (each committed), then is closed while handling
     * seq 2. Nothing of seq 2 was committed, so the other member, given the partition by the
     * rebalance, starts at seq 2 and goes on in order: the key's committed history is 0…5 once
     * each, and only the message in hand is seen twice.
     */
    it('keeps a key in order across a subscriber closed mid-message: the other member resumes at the uncommitted one', async () => {
      const topic = unique('crash-order');
      const groupId = unique('crash-order-group');
      const deliveries: Array<{ by: 'a' | 'b'; seq: number }> = [];
      let parked: 'a' | 'b' | undefined;
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      gates.push(release);
      const handlerFor = (by: 'a' | 'b') => async (message: ReceivedMessage) => {
        const { seq } = message.value as { seq: number };
        deliveries.push({ by, seq });
        if (seq === 2 && parked === undefined) {
          parked = by;
          await released;
        }
      };
      const members = { a: await subscribe({ topic, groupId, handler: handlerFor('a') }), b: await subscribe({ topic, groupId, handler: handlerFor('b') }) };

      await bus.publish(topic, [0, 1, 2, 3, 4, 5].map((seq) => ({ key: 'family-order', value: { seq }, headers: {} })));
      await waitFor('seq 2 to be in hand', () => parked !== undefined);
      const crashed = parked as 'a' | 'b';
      const survivor = crashed === 'a' ? 'b' : 'a';

      const closing = members[crashed].close();
      release();
      await closing;
      await waitFor('the survivor to reach seq 5', () => deliveries.some((d) => d.by === survivor && d.seq === 5));

      expect(deliveries.filter((d) => d.by === crashed).map((d) => d.seq)).toEqual([0, 1, 2]);
      expect(deliveries.filter((d) => d.by === survivor).map((d) => d.seq)).toEqual([2, 3, 4, 5]);
    }, 60_000);

    it('passes CloudEvents ce_* headers through unchanged, and the CloudEvents SDK reads the record back', async () => {
      const topic = unique('cloudevents');
      const received: ReceivedMessage[] = [];
      await subscribe({ topic, groupId: unique('cloudevents-group'), fromBeginning: true, handler: async (m) => void received.push(m) });
      const envelope = { eventId: 'evt-77', type: 'ICPCHeld', authority: 'kent', childId: 'C-1029', familyId: 'F-77', occurredAt: '2026-03-02T10:00:00+00:00', data: { outcome: 'cp-plan' } };
      const headers = {
        ...cloudEventHeadersFor({
          id: envelope.eventId,
          type: envelope.type,
          source: '/case-transfer-orchestration/kent',
          time: envelope.occurredAt,
          subject: 'child/kent/C-1029',
        }),
        'x-correlation-id': 'corr-1',
      };
      await bus.publish(topic, [{ key: 'F-77', value: envelope, headers }]);
      await waitFor('the event', () => received.length >= 1);

      const [message] = received;
      expect(message.headers).toEqual(headers);
      expect(message.headers).toMatchObject({ ce_specversion: '1.0', ce_id: 'evt-77', ce_type: 'ICPCHeld', ce_time: '2026-03-02T10:00:00+00:00', 'content-type': 'application/json' });
      // What a generic CloudEvents consumer does with the record (value bytes as text).
      const record: CloudEventsKafkaMessage<string> = { key: message.key, value: JSON.stringify(message.value), body: undefined, headers: message.headers };
      const event = CloudEventsKafka.toEvent(record);
      expect(Array.isArray(event)).toBe(false);
      expect(event).toMatchObject({ id: 'evt-77', type: 'ICPCHeld', source: '/case-transfer-orchestration/kent', subject: 'child/kent/C-1029', data: envelope, partitionkey: 'F-77' });
    }, 60_000);

    it('puts a key in the partition the in-process bus would (Kafka’s murmur2 partitioner)', async () => {
      const topic = unique('partitions');
      const keys = Array.from({ length: 12 }, (_, i) => `child-${i}`);
      const received: ReceivedMessage[] = [];
      await subscribe({ topic, groupId: unique('partitions-group'), fromBeginning: true, handler: async (m) => void received.push(m) });
      await bus.publish(topic, keys.map((key) => ({ key, value: {}, headers: {} })));
      await waitFor('every key', () => received.length >= keys.length);
      for (const message of received) expect({ key: message.key, partition: message.partition }).toEqual({ key: message.key, partition: partitionForKey(message.key, 3) });
    }, 60_000);

    it('commits a new group’s start position when it subscribes, before anything is handled', async () => {
      const topic = unique('start-position');
      await bus.publish(topic, ['a', 'b', 'c', 'd'].map((key) => ({ key, value: {}, headers: {} })));
      const latest = unique('start-latest');
      const earliest = unique('start-earliest');
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      gates.push(release);
      await subscribe({ topic, groupId: latest, handler: async () => undefined });
      // This group's handlers wait, so what it has committed below is its start, not progress.
      await subscribe({ topic, groupId: earliest, fromBeginning: true, handler: () => released });

      const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        const ends = await admin.fetchTopicOffsets(topic);
        const committed = async (groupId: string) => {
          const [{ partitions }] = await admin.fetchOffsets({ groupId, topics: [topic] });
          return Object.fromEntries(partitions.map((p) => [p.partition, p.offset]));
        };
        expect(await committed(latest)).toEqual(Object.fromEntries(ends.map((e) => [e.partition, e.high])));
        expect(await committed(earliest)).toEqual(Object.fromEntries(ends.map((e) => [e.partition, e.low])));
      } finally {
        await admin.disconnect();
      }
    }, 60_000);

    it('fixes a new group’s start when its first subscribers join together, more of them than partitions', async () => {
      const topic = unique('together');
      const groupId = unique('together-group');
      await bus.publish(topic, ['a', 'b', 'c'].map((key) => ({ key, value: { id: `before-${key}` }, headers: {} })));
      const handled: string[] = [];
      // Four at once on three partitions, so one member gets none: whichever subscribe resolves
      // first — often that one, which has nothing of its own to fix — the group's start must
      // already be committed in every partition.
      const subscribing = [1, 2, 3, 4].map(() => subscribe({ topic, groupId, handler: async (m) => void handled.push((m.value as { id: string }).id) }));
      await Promise.race(subscribing);
      const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        const ends = await admin.fetchTopicOffsets(topic);
        const [{ partitions }] = await admin.fetchOffsets({ groupId, topics: [topic] });
        expect(Object.fromEntries(partitions.map((p) => [p.partition, p.offset]))).toEqual(Object.fromEntries(ends.map((e) => [e.partition, e.high])));
      } finally {
        await admin.disconnect();
      }
      await Promise.all(subscribing);
      const ids = Array.from({ length: 12 }, (_, i) => `after-${i}`);
      await bus.publish(topic, ids.map((id) => ({ key: id, value: { id }, headers: {} })));
      await waitFor('every message published after subscribing', () => handled.length >= ids.length);
      expect([...handled].sort()).toEqual([...ids].sort());
    }, 60_000);

    it('dead-letters, untouched, a record it cannot decode (not JSON) without calling the handler', async () => {
      const topic = unique('foreign');
      const groupId = unique('foreign-group');
      const handled: ReceivedMessage[] = [];
      await subscribe({ topic, groupId, fromBeginning: true, handler: async (m) => void handled.push(m) });

      // Someone else's producer writes bytes that are not JSON, then the bus writes a good record.
      const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });
      const producer = kafka.producer({ allowAutoTopicCreation: false });
      await producer.connect();
      try {
        await producer.send({ topic, messages: [{ key: 'k', value: 'not json', headers: { ce_id: 'foreign-1' } }] });
      } finally {
        await producer.disconnect();
      }
      await bus.publish(topic, [{ key: 'k', value: { after: true }, headers: {} }]);
      await waitFor('the next record to be handled', () => handled.length >= 1);
      expect(handled.map((m) => m.value)).toEqual([{ after: true }]);

      const dead = await readDeadLetters(topic, 1);
      expect(dead[0]).toMatchObject({
        key: 'k',
        value: 'not json',
        headers: { ce_id: 'foreign-1', [DEAD_LETTER_HEADERS.originalTopic]: topic, [DEAD_LETTER_HEADERS.groupId]: groupId, [DEAD_LETTER_HEADERS.attempts]: '0' },
      });
      expect(dead[0].headers[DEAD_LETTER_HEADERS.reason]).toMatch(/not JSON/);
    }, 60_000);

    /*
     * A batch with records the bus cannot decode: they are dead-lettered one by one, the handler
     * gets the rest, and the commit after it covers the whole chunk, undecodable records included
     * — also when one is the last record, whose offset the handler never saw.
     */
    it('dead-letters undecodable records of a batch on their own, hands over the rest and commits past all of them', async () => {
      const topic = unique('foreign-batch');
      const groupId = unique('foreign-batch-group');
      const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      const producer = kafka.producer({ allowAutoTopicCreation: false });
      await Promise.all([admin.connect(), producer.connect()]);
      try {
        await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
        // One produce request, before anyone subscribes, so that all four reach one batch.
        await producer.send({
          topic,
          messages: [
            { key: 'k', value: JSON.stringify({ id: 'before' }) },
            { key: 'k', value: 'not json', headers: { ce_id: 'foreign-1' } },
            { key: 'k', value: JSON.stringify({ id: 'after' }) },
            { key: 'k', value: null, headers: { ce_id: 'foreign-2' } },
          ],
        });
        const handled: string[] = [];
        await subscribe({ topic, groupId, fromBeginning: true, batchHandler: async (messages) => void handled.push(...messages.map((m) => (m.value as { id: string }).id)) });
        await waitFor('the decodable records to be handled', () => handled.length >= 2);
        expect(handled).toEqual(['before', 'after']);

        const partition = partitionForKey('k', 3);
        const end = (await admin.fetchTopicOffsets(topic)).find((p) => p.partition === partition)?.high;
        expect(end).toBe('4');
        await waitForAsync('the group to commit past the trailing tombstone', async () => {
          const [{ partitions }] = await admin.fetchOffsets({ groupId, topics: [topic] });
          return partitions.find((p) => p.partition === partition)?.offset === end;
        });
        // Each once: a dead letter is written before the commit that covers its record, so the
        // dead-letter topic now holds all it ever will from this group.
        const deadLetterEnds = await admin.fetchTopicOffsets(deadLetterTopicFor(topic));
        expect(deadLetterEnds.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0)).toBe(2);
      } finally {
        await Promise.all([admin.disconnect(), producer.disconnect()]);
      }

      const dead = await readDeadLetters(topic, 2);
      expect(dead.map((d) => [d.headers.ce_id, d.headers[DEAD_LETTER_HEADERS.originalOffset], d.headers[DEAD_LETTER_HEADERS.attempts]])).toEqual([
        ['foreign-1', '1', '0'],
        ['foreign-2', '3', '0'],
      ]);
    }, 60_000);
  });
}

async function waitFor(description: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  await waitForAsync(description, async () => condition(), timeoutMs);
}

async function waitForAsync(description: string, condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * The first `count` records of a topic's dead-letter topic, read with a plain kafkajs consumer:
 * a dead letter of an undecodable record carries the original bytes, which the bus cannot decode.
 */
async function readDeadLetters(topic: string, count: number): Promise<Array<{ key: string; value: string; headers: Record<string, string> }>> {
  const reader = new Kafka({ brokers, logLevel: logLevel.NOTHING }).consumer({ groupId: unique('dlq-reader'), maxWaitTimeInMs: 100 });
  const dead: Array<{ key: string; value: string; headers: Record<string, string> }> = [];
  await reader.connect();
  try {
    await reader.subscribe({ topic: deadLetterTopicFor(topic), fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]));
        dead.push({ key: String(message.key), value: String(message.value), headers });
      },
    });
    await waitFor(`${count} dead letter(s)`, () => dead.length >= count);
  } finally {
    await reader.disconnect();
  }
  return dead.slice(0, count);
}

/** Removes the topics this run created (the contract suite's and ours), so a shared broker does not fill up. */
async function deleteThisRunsTopics(): Promise<void> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const contract = new RegExp(`^contract-.*-${process.pid}-\\d+(\\.dlq)*$`);
    const ours = (await admin.listTopics()).filter((topic) => topic.startsWith(RUN) || contract.test(topic));
    if (ours.length > 0) await admin.deleteTopics({ topics: ours, timeout: 30_000 });
  } finally {
    await admin.disconnect();
  }
}
