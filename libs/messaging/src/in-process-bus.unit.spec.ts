import fc from 'fast-check';
import { ReceivedMessage } from './bus.port';
import { InProcessBus, DeadLetterNotice } from './in-process-bus';
import { murmur2, partitionForKey } from './partitioner';
import { describeMessageBusContract } from './testing';
import { TOPICS, deadLetterTopicFor, partitionKeyFor } from './topics';

// The shared behaviour first: the Kafka adapter's spec will call the same suite.
describeMessageBusContract('InProcessBus', async () => ({
  bus: new InProcessBus({ retry: { maxAttempts: 3, backoffMs: 1 } }),
  maxAttempts: 3,
}));

/** Keys that land in each partition of a 4-partition topic, found rather than hard-coded. */
const keyIn = (partition: number, partitions = 4, nth = 0): string => {
  let found = -1;
  for (let i = 0; ; i++) {
    const key = `key-${i}`;
    if (partitionForKey(key, partitions) === partition && ++found === nth) return key;
  }
};

const msg = (key: string, value: unknown = {}) => ({ key, value, headers: {} });

/** Lets queued handlers run without any clock involved. */
const flush = async (turns = 5) => {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
};

class Gate {
  private resolvers: Array<() => void> = [];
  wait = () => new Promise<void>((resolve) => this.resolvers.push(resolve));
  open = () => this.resolvers.splice(0).forEach((resolve) => resolve());
}

describe('InProcessBus, adapter specifics', () => {
  let bus: InProcessBus;
  afterEach(() => bus?.close());

  describe('partitioning', () => {
    // Vectors from Apache Kafka's UtilsTest.testMurmur2: the in-process bus places a key in the
    // partition Kafka's default partitioner would.
    it.each([
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ])('hashes %j as Kafka does', (key, expected) => {
      expect(murmur2(Buffer.from(key, 'utf8'))).toBe(expected);
    });

    it('maps a key to the same partition every time, in range, whatever the key', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme' }), fc.integer({ min: 1, max: 64 }), (key, partitions) => {
          const partition = partitionForKey(key, partitions);
          expect(Number.isInteger(partition) && partition >= 0 && partition < partitions).toBe(true);
          expect(partitionForKey(key, partitions)).toBe(partition);
        }),
      );
    });

    it('spreads keys over every partition', () => {
      const used = new Set(Array.from({ length: 200 }, (_, i) => partitionForKey(`C-${i}`, 4)));
      expect([...used].sort()).toEqual([0, 1, 2, 3]);
    });

    it('delivers a key from the partition the hash names, on any bus', async () => {
      const partitions: number[] = [];
      for (let i = 0; i < 2; i++) {
        const each = new InProcessBus({ partitions: 7 });
        await each.subscribe({ topic: 't', groupId: 'g', handler: async (m) => void partitions.push(m.partition) });
        await each.publish('t', [msg('F-77')]);
        await each.whenIdle();
        await each.close();
      }
      expect(partitions).toEqual([partitionForKey('F-77', 7), partitionForKey('F-77', 7)]);
    });
  });

  describe('topics and keys', () => {
    it('keys siblings by family, a child without one by itself', () => {
      expect(partitionKeyFor({ familyId: 'F-77', childId: 'C-1029' })).toBe('F-77');
      expect(partitionKeyFor({ childId: 'C-1029' })).toBe('C-1029');
    });

    it('dead-letters case events to TOPICS.deadLetter and other topics to <topic>.dlq', () => {
      expect(deadLetterTopicFor(TOPICS.caseEvents)).toBe(TOPICS.deadLetter);
      expect(deadLetterTopicFor(TOPICS.transferEvents)).toBe('transfer-events.dlq');
    });
  });

  describe('options', () => {
    it('refuses impossible options, naming each', () => {
      expect(() => new InProcessBus({ partitions: 0, retry: { maxAttempts: 1.5, backoffMs: -1 } })).toThrow(
        /partitions must be a whole number ≥ 1.*maxAttempts must be a whole number ≥ 1.*backoffMs must be ≥ 0/,
      );
    });
  });

  describe('publish', () => {
    it('encodes values as JSON, as Kafka will: dates become strings and undefined properties vanish', async () => {
      bus = new InProcessBus();
      const received: unknown[] = [];
      await bus.subscribe({ topic: 't', groupId: 'g', handler: async (m) => void received.push(m.value) });
      await bus.publish('t', [msg('k', { at: new Date('2026-03-02T10:00:00Z'), gone: undefined })]);
      await bus.whenIdle();
      expect(received).toEqual([{ at: '2026-03-02T10:00:00.000Z' }]);
    });

    it('appends nothing of a batch with a value that cannot be encoded', async () => {
      bus = new InProcessBus();
      const received: unknown[] = [];
      await bus.subscribe({ topic: 't', groupId: 'g', fromBeginning: true, handler: async (m) => void received.push(m.value) });
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      await expect(bus.publish('t', [msg('k', { ok: true }), msg('k', cyclic)])).rejects.toThrow(/message 1: value cannot be encoded as JSON/);
      await expect(bus.publish('t', [msg('k', 10n)])).rejects.toThrow(TypeError);
      await expect(bus.publish('t', [{ key: 'k', value: undefined, headers: {} }])).rejects.toThrow(/message 0/);
      await bus.publish('t', [msg('k', { ok: 'later' })]);
      await bus.whenIdle();
      expect(received).toEqual([{ ok: 'later' }]);
    });

    it('refuses to publish or subscribe once closed', async () => {
      bus = new InProcessBus();
      await bus.close();
      await expect(bus.publish('t', [msg('k')])).rejects.toThrow(/closed/);
      await expect(bus.subscribe({ topic: 't', groupId: 'g', handler: async () => undefined })).rejects.toThrow(/closed/);
    });

    it('lets a handler publish, to its own topic or another, without re-entering itself', async () => {
      bus = new InProcessBus();
      const seen: string[] = [];
      await bus.subscribe({
        topic: 'in',
        groupId: 'relay',
        handler: async (m) => {
          const { hops } = m.value as { hops: number };
          seen.push(`in:${hops}`);
          if (hops < 3) await bus.publish('in', [msg(m.key, { hops: hops + 1 })]);
          else await bus.publish('out', [msg(m.key, { hops })]);
          seen.push(`in:${hops}:published`);
        },
      });
      await bus.subscribe({ topic: 'out', groupId: 'sink', handler: async (m) => void seen.push(`out:${(m.value as { hops: number }).hops}`) });
      await bus.publish('in', [msg('k', { hops: 0 })]);
      await bus.whenIdle();
      // Each delivery of `in` finishes before the next starts, though the handler fed it; `out` is
      // another topic, handled concurrently, so only its presence is asserted.
      expect(seen.filter((s) => s.startsWith('in:'))).toEqual(['in:0', 'in:0:published', 'in:1', 'in:1:published', 'in:2', 'in:2:published', 'in:3', 'in:3:published']);
      expect(seen).toContain('out:3');
    });
  });

  describe('fairness', () => {
    it('gives the rest of the process a turn while it works through a backlog', async () => {
      bus = new InProcessBus({ partitions: 1 });
      let otherWorkRan = false;
      const observed: boolean[] = [];
      // A handler that never does I/O: chained through microtasks alone, 200 of these would run
      // before anything else in the process got the event loop.
      await bus.subscribe({ topic: 't', groupId: 'g', handler: async () => void observed.push(otherWorkRan) });
      await bus.publish('t', Array.from({ length: 200 }, (_, n) => msg('k', { n })));
      setImmediate(() => (otherWorkRan = true));
      await bus.whenIdle();
      expect(observed).toHaveLength(200);
      expect(observed[observed.length - 1]).toBe(true);
    });
  });

  describe('whenIdle', () => {
    it('resolves at once when there is nothing to do', async () => {
      bus = new InProcessBus();
      await bus.publish('nobody-listens', [msg('k')]);
      await expect(bus.whenIdle()).resolves.toBeUndefined();
    });

    it('waits through retries until the group has caught up', async () => {
      bus = new InProcessBus({ retry: { maxAttempts: 5, backoffMs: 1 } });
      let tries = 0;
      const handled: number[] = [];
      await bus.subscribe({
        topic: 't',
        groupId: 'g',
        handler: async (m) => {
          const { n } = m.value as { n: number };
          if (n === 0 && ++tries < 3) throw new Error('not yet');
          handled.push(n);
        },
      });
      await bus.publish('t', [msg('k', { n: 0 }), msg('k', { n: 1 })]);
      await bus.whenIdle();
      expect({ tries, handled }).toEqual({ tries: 3, handled: [0, 1] });
    });

    it('does not wait for a group that has no subscriber left', async () => {
      bus = new InProcessBus();
      const subscription = await bus.subscribe({ topic: 't', groupId: 'g', handler: async () => undefined });
      await subscription.close();
      await bus.publish('t', [msg('k')]);
      await expect(bus.whenIdle()).resolves.toBeUndefined();
    });
  });

  describe('consumer groups', () => {
    it('assigns partitions round robin over subscribers in join order, and reassigns when one leaves', async () => {
      bus = new InProcessBus({ partitions: 4 });
      const byPartition = new Map<number, Set<string>>();
      const handlerFor = (name: string) => async (m: ReceivedMessage) => {
        byPartition.set(m.partition, new Set([...(byPartition.get(m.partition) ?? []), name]));
      };
      const a = await bus.subscribe({ topic: 't', groupId: 'g', handler: handlerFor('a') });
      await bus.subscribe({ topic: 't', groupId: 'g', handler: handlerFor('b') });
      const publishToEveryPartition = (nth: number) => bus.publish('t', [0, 1, 2, 3].map((p) => msg(keyIn(p, 4, nth))));

      await publishToEveryPartition(0);
      await bus.whenIdle();
      expect(Object.fromEntries([...byPartition].map(([p, names]) => [p, [...names]]))).toEqual({ 0: ['a'], 1: ['b'], 2: ['a'], 3: ['b'] });

      byPartition.clear();
      await a.close();
      await publishToEveryPartition(1);
      await bus.whenIdle();
      expect(Object.fromEntries([...byPartition].map(([p, names]) => [p, [...names]]))).toEqual({ 0: ['b'], 1: ['b'], 2: ['b'], 3: ['b'] });
    });

    it('leaves a subscriber beyond the partition count idle until it is needed', async () => {
      bus = new InProcessBus({ partitions: 2 });
      const handled: string[] = [];
      const handlerFor = (name: string) => async () => void handled.push(name);
      const a = await bus.subscribe({ topic: 't', groupId: 'g', handler: handlerFor('a') });
      const b = await bus.subscribe({ topic: 't', groupId: 'g', handler: handlerFor('b') });
      await bus.subscribe({ topic: 't', groupId: 'g', handler: handlerFor('c') });
      await bus.publish('t', [msg(keyIn(0, 2)), msg(keyIn(1, 2))]);
      await bus.whenIdle();
      expect(handled.sort()).toEqual(['a', 'b']);

      await a.close();
      await b.close();
      handled.length = 0;
      await bus.publish('t', [msg(keyIn(0, 2)), msg(keyIn(1, 2))]);
      await bus.whenIdle();
      expect(handled).toEqual(['c', 'c']);
    });

    it('keeps a closed subscriber’s partition from the new owner until its handler has settled', async () => {
      bus = new InProcessBus({ partitions: 1 });
      const gate = new Gate();
      const deliveries: string[] = [];
      const a = await bus.subscribe({
        topic: 't',
        groupId: 'g',
        handler: async (m) => {
          deliveries.push(`a@${m.offset}`);
          await gate.wait();
        },
      });
      await bus.subscribe({ topic: 't', groupId: 'g', handler: async (m) => void deliveries.push(`b@${m.offset}`) });
      await bus.publish('t', [msg('k')]);
      await flush();
      expect(deliveries).toEqual(['a@0']);

      const closing = a.close();
      await flush();
      // One subscriber at a time per partition: b waits although a has left the group.
      expect(deliveries).toEqual(['a@0']);
      gate.open();
      await closing;
      await bus.whenIdle();
      // a returned, but it had been closed: nothing committed, so b gets offset 0 again.
      expect(deliveries).toEqual(['a@0', 'b@0']);
    });

    it('commits the work of a live subscriber that lost the partition in a rebalance while handling it', async () => {
      bus = new InProcessBus({ partitions: 2 });
      const gate = new Gate();
      const deliveries: string[] = [];
      const key = keyIn(1, 2);
      await bus.subscribe({
        topic: 't',
        groupId: 'g',
        handler: async (m) => {
          deliveries.push(`a@${m.offset}`);
          await gate.wait();
        },
      });
      await bus.publish('t', [msg(key), msg(key)]);
      await flush();
      // b joins and is given partition 1 while a is still handling its offset 0.
      await bus.subscribe({ topic: 't', groupId: 'g', handler: async (m) => void deliveries.push(`b@${m.offset}`) });
      await flush();
      expect(deliveries).toEqual(['a@0']);
      gate.open();
      await bus.whenIdle();
      // As a Kafka consumer commits finished work when its partitions are revoked: no redelivery.
      expect(deliveries).toEqual(['a@0', 'b@1']);
    });

    it('restarts the retry count when a retrying partition changes owner', async () => {
      bus = new InProcessBus({ partitions: 1, retry: { maxAttempts: 2, backoffMs: 60_000 } });
      const attempts: string[] = [];
      const a = await bus.subscribe({
        topic: 't',
        groupId: 'g',
        handler: async () => {
          attempts.push('a');
          throw new Error('a cannot');
        },
      });
      await bus.subscribe({ topic: 't', groupId: 'g', fromBeginning: true, handler: async () => void attempts.push('b') });
      await bus.publish('t', [msg('k')]);
      await flush();
      expect(attempts).toEqual(['a']); // a is now waiting a minute to retry
      await a.close(); // the long retry timer is cancelled, and b starts afresh at once
      await bus.whenIdle();
      expect(attempts).toEqual(['a', 'b']);
    });
  });

  describe('batch subscriptions', () => {
    it('hands over what the partition holds, up to maxBatchSize, never waiting to fill a batch', async () => {
      bus = new InProcessBus({ partitions: 1 });
      const sizes: number[] = [];
      await bus.publish('t', Array.from({ length: 7 }, (_, n) => msg('k', { n })));
      await bus.subscribe({ topic: 't', groupId: 'g', fromBeginning: true, maxBatchSize: 3, batchHandler: async (messages) => void sizes.push(messages.length) });
      await bus.whenIdle();
      expect(sizes).toEqual([3, 3, 1]);
      await bus.publish('t', [msg('k'), msg('k')]);
      await bus.whenIdle();
      expect(sizes).toEqual([3, 3, 1, 2]);
    });

    it('hands over at most 500 messages by default', async () => {
      bus = new InProcessBus({ partitions: 1 });
      const sizes: number[] = [];
      await bus.publish('t', Array.from({ length: 1_200 }, () => msg('k')));
      await bus.subscribe({ topic: 't', groupId: 'g', fromBeginning: true, batchHandler: async (messages) => void sizes.push(messages.length) });
      await bus.whenIdle();
      expect(sizes).toEqual([500, 500, 200]);
    });

    it('retries a failed batch from its first offset with what has arrived meanwhile, and whenIdle waits for it', async () => {
      bus = new InProcessBus({ partitions: 1, retry: { maxAttempts: 1, backoffMs: 1 } });
      const calls: number[][] = [];
      await bus.subscribe({
        topic: 't',
        groupId: 'g',
        batchHandler: async (messages) => {
          calls.push(messages.map((m) => Number(m.offset)));
          if (calls.length === 1) {
            await bus.publish('t', [msg('k')]);
            throw new Error('store unavailable');
          }
        },
      });
      await bus.publish('t', [msg('k')]);
      await bus.whenIdle();
      // maxAttempts 1 would dead-letter a single message at once; a batch is simply tried again.
      expect(calls).toEqual([[0], [0, 1]]);
    });
  });

  describe('dead letters', () => {
    it('tells onDeadLetter what was dead-lettered, why, and after how many attempts', async () => {
      const notices: DeadLetterNotice[] = [];
      bus = new InProcessBus({ retry: { maxAttempts: 2, backoffMs: 0 }, onDeadLetter: (notice) => notices.push(notice) });
      await bus.subscribe({
        topic: TOPICS.caseEvents,
        groupId: 'intake',
        handler: async () => {
          throw new Error('unknown type');
        },
      });
      await bus.publish(TOPICS.caseEvents, [{ key: 'F-1', value: { eventId: 'e-1' }, headers: { ce_id: 'e-1' } }]);
      await bus.whenIdle();
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({
        groupId: 'intake',
        deadLetterTopic: TOPICS.deadLetter,
        attempts: 2,
        message: { topic: TOPICS.caseEvents, key: 'F-1', value: { eventId: 'e-1' }, headers: { ce_id: 'e-1' }, offset: '0' },
      });
      expect((notices[0].error as Error).message).toBe('unknown type');
    });

    it('dead-letters once per group that gives up, naming the group', async () => {
      bus = new InProcessBus({ retry: { maxAttempts: 1 } });
      const dead: ReceivedMessage[] = [];
      for (const groupId of ['allocation', 'checklist']) {
        await bus.subscribe({
          topic: 't',
          groupId,
          handler: async () => {
            throw new Error(`${groupId} failed`);
          },
        });
      }
      await bus.subscribe({ topic: 't.dlq', groupId: 'ops', handler: async (m) => void dead.push(m) });
      await bus.publish('t', [msg('k')]);
      await bus.whenIdle();
      expect(dead.map((m) => [m.headers['x-dlq-group-id'], m.headers['x-dlq-reason'], m.headers['x-dlq-attempts']]).sort()).toEqual([
        ['allocation', 'allocation failed', '1'],
        ['checklist', 'checklist failed', '1'],
      ]);
    });
  });

  describe('close', () => {
    it('cancels pending retries, so no timer outlives the bus', async () => {
      bus = new InProcessBus({ retry: { maxAttempts: 5, backoffMs: 60_000 } });
      let attempts = 0;
      await bus.subscribe({
        topic: 't',
        groupId: 'g',
        handler: async () => {
          attempts++;
          throw new Error('always');
        },
      });
      await bus.publish('t', [msg('k')]);
      await flush();
      expect(attempts).toBe(1);
      // Jest's --detectOpenHandles would report the minute-long retry timer if close() left it.
      await bus.close();
      await expect(bus.whenIdle()).resolves.toBeUndefined();
      expect(attempts).toBe(1);
    });

    it('is idempotent, and a subscription can still be closed after the bus', async () => {
      bus = new InProcessBus();
      const subscription = await bus.subscribe({ topic: 't', groupId: 'g', handler: async () => undefined });
      await Promise.all([bus.close(), bus.close()]);
      await expect(subscription.close()).resolves.toBeUndefined();
    });
  });

  describe('properties', () => {
    // Whatever the keys, the batches, the number of subscribers and which attempts fail
    // transiently, every message is committed exactly once and each key's successes come in
    // publish order.
    it('commits every message once, in per-key order, under transient failures and several subscribers', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 }),
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: 1, max: 5 }),
          fc.func(fc.integer({ min: 0, max: 2 })),
          async (batches, subscribers, partitions, failuresFor) => {
            const property = new InProcessBus({ partitions, retry: { maxAttempts: 4, backoffMs: 0 } });
            try {
              const successes: Array<{ key: string; seq: number }> = [];
              const failed = new Map<number, number>();
              for (let s = 0; s < subscribers; s++) {
                await property.subscribe({
                  topic: 't',
                  groupId: 'g',
                  handler: async (m) => {
                    const { seq } = m.value as { seq: number };
                    await flush(seq % 3);
                    const soFar = failed.get(seq) ?? 0;
                    if (soFar < failuresFor(seq)) {
                      failed.set(seq, soFar + 1);
                      throw new Error('transient');
                    }
                    successes.push({ key: m.key, seq });
                  },
                });
              }
              let seq = 0;
              const published: Array<{ key: string; seq: number }> = [];
              for (const batch of batches) {
                const messages = batch.map((key) => ({ key, seq: seq++ }));
                published.push(...messages);
                await property.publish('t', messages.map((m) => msg(m.key, { seq: m.seq })));
              }
              await property.whenIdle();
              expect(successes.map((s) => s.seq).sort((x, y) => x - y)).toEqual(published.map((p) => p.seq));
              for (const key of new Set(published.map((p) => p.key))) {
                expect(successes.filter((s) => s.key === key).map((s) => s.seq)).toEqual(published.filter((p) => p.key === key).map((p) => p.seq));
              }
            } finally {
              await property.close();
            }
          },
        ),
        { numRuns: 60 },
      );
    });

    // The same for batch subscribers: a batch that throws is retried whole (never dead-lettered),
    // so every message is committed exactly once, each key's in publish order, whatever the
    // batch sizes.
    it('commits every message once, in per-key order, with batch subscribers whose batches fail transiently', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 }),
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: 1, max: 5 }),
          fc.integer({ min: 1, max: 6 }),
          fc.func(fc.integer({ min: 0, max: 2 })),
          async (batches, subscribers, partitions, maxBatchSize, failuresFor) => {
            const property = new InProcessBus({ partitions, retry: { maxAttempts: 1, backoffMs: 0 } });
            try {
              const successes: Array<{ key: string; seq: number }> = [];
              const failed = new Map<number, number>();
              const sizes: number[] = [];
              for (let s = 0; s < subscribers; s++) {
                await property.subscribe({
                  topic: 't',
                  groupId: 'g',
                  maxBatchSize,
                  batchHandler: async (messages) => {
                    sizes.push(messages.length);
                    const received = messages.map((m) => ({ key: m.key, seq: (m.value as { seq: number }).seq }));
                    await flush(received[0].seq % 3);
                    const first = received[0].seq;
                    const soFar = failed.get(first) ?? 0;
                    if (soFar < failuresFor(first)) {
                      failed.set(first, soFar + 1);
                      throw new Error('transient');
                    }
                    successes.push(...received);
                  },
                });
              }
              let seq = 0;
              const published: Array<{ key: string; seq: number }> = [];
              for (const batch of batches) {
                const messages = batch.map((key) => ({ key, seq: seq++ }));
                published.push(...messages);
                await property.publish('t', messages.map((m) => msg(m.key, { seq: m.seq })));
              }
              await property.whenIdle();
              expect(Math.max(...sizes)).toBeLessThanOrEqual(maxBatchSize);
              expect(successes.map((s) => s.seq).sort((x, y) => x - y)).toEqual(published.map((p) => p.seq));
              for (const key of new Set(published.map((p) => p.key))) {
                expect(successes.filter((s) => s.key === key).map((s) => s.seq)).toEqual(published.filter((p) => p.key === key).map((p) => p.seq));
              }
            } finally {
              await property.close();
            }
          },
        ),
        { numRuns: 60 },
      );
    });
  });
});
