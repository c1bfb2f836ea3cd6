import { BusMessage, ConsumerLag, MessageBus, ReceivedMessage, Subscription } from '../bus.port';
import { DEAD_LETTER_HEADERS, deadLetterTopicFor } from '../topics';

/**
 * The behaviour every MessageBus adapter must have (DESIGN.md "Testing": one contract suite, run
 * against the in-process bus and against Kafka), after emmett-tests' `testAggregateStream`.
 *
 * Written against the port only, so it holds for a real broker: every test uses its own topics
 * and groups, waits for conditions (never for a fixed time) with generous timeouts, and asserts
 * what Kafka guarantees too. In particular it never asserts that something did *not* happen
 * after some delay; "later messages wait" is checked by the order in which things happened.
 */

export interface MessageBusContractSubject {
  bus: MessageBus;
  /** Run after the bus is closed (delete topics, stop a broker…). */
  cleanup?: () => Promise<void>;
  /**
   * The adapter's attempts per message before dead-lettering, when it is known: the poison test
   * then checks the exact count. Must be at least 3 for the retry test's two failures.
   */
  maxAttempts?: number;
  /**
   * Whether consumerLag counts from the adapter's own positions and logs (default true): the
   * parked-group test then checks the exact count, else only that the group is behind (≥ 1).
   */
  consumerLagIsExact?: boolean;
}

export type MessageBusFactory = () => Promise<MessageBusContractSubject>;

/** How long a condition may take to become true; generous for a broker on a busy CI machine. */
const WAIT_MS = 20_000;
const TEST_TIMEOUT_MS = 60_000;

export function describeMessageBusContract(name: string, factory: MessageBusFactory): void {
  describe(`MessageBus contract: ${name}`, () => {
    let subject: MessageBusContractSubject;
    let bus: MessageBus;
    const subscriptions: Subscription[] = [];
    const gates: Gate[] = [];

    const subscribe = async (options: Parameters<MessageBus['subscribe']>[0]): Promise<Subscription> => {
      const subscription = await bus.subscribe(options);
      subscriptions.push(subscription);
      return subscription;
    };
    const gate = (): Gate => {
      const created = new Gate();
      gates.push(created);
      return created;
    };

    beforeEach(async () => {
      subject = await factory();
      bus = subject.bus;
    }, TEST_TIMEOUT_MS);

    afterEach(async () => {
      // A failed test may leave a handler parked on a gate; open them all so close() can finish.
      for (const opened of gates.splice(0)) opened.open();
      for (const subscription of subscriptions.splice(0)) await subscription.close();
      await bus.close();
      await subject.cleanup?.();
    }, TEST_TIMEOUT_MS);

    it(
      'delivers the messages of each key in publish order, under many keys',
      async () => {
        const topic = uniqueName('ordering');
        const keys = Array.from({ length: 16 }, (_, k) => `family-${k}`);
        const perKey = 20;
        const seen = new Map<string, number[]>();
        await subscribe({
          topic,
          groupId: uniqueName('ordering-group'),
          fromBeginning: true,
          handler: async (message) => {
            // Yield a varying number of turns so partitions really interleave.
            await yieldTurns(jitter(message.key, message.offset));
            const { seq } = message.value as { seq: number };
            seen.set(message.key, [...(seen.get(message.key) ?? []), seq]);
          },
        });

        // Interleave keys inside each batch and spread each key over several batches.
        for (let seq = 0; seq < perKey; seq += 5) {
          const batch: BusMessage[] = [];
          for (let s = seq; s < seq + 5; s++) for (const key of keys) batch.push(message(key, { key, seq: s }));
          await bus.publish(topic, batch);
        }

        await waitFor('every message to be handled', () => count(seen) === keys.length * perKey);
        for (const key of keys) expect({ key, seqs: seen.get(key) }).toEqual({ key, seqs: range(perKey) });
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'gives every consumer group every message',
      async () => {
        const topic = uniqueName('groups');
        const byGroup = { first: [] as string[], second: [] as string[] };
        for (const group of ['first', 'second'] as const) {
          await subscribe({
            topic,
            groupId: uniqueName(`groups-${group}`),
            fromBeginning: true,
            handler: async (message) => {
              byGroup[group].push((message.value as { id: string }).id);
            },
          });
        }
        const ids = range(30).map((i) => `m-${i}`);
        await bus.publish(
          topic,
          ids.map((id, i) => message(`key-${i % 7}`, { id })),
        );

        await waitFor('both groups to handle every message', () => byGroup.first.length >= ids.length && byGroup.second.length >= ids.length);
        expect([...byGroup.first].sort()).toEqual([...ids].sort());
        expect([...byGroup.second].sort()).toEqual([...ids].sort());
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'splits a group’s messages between its subscribers, each message handled once, across joins and leaves',
      async () => {
        const topic = uniqueName('rebalance');
        const groupId = uniqueName('rebalance-group');
        const handled: Array<{ by: 'a' | 'b'; id: string; key: string; seq: number }> = [];
        const handlerFor =
          (by: 'a' | 'b') =>
          async (received: ReceivedMessage): Promise<void> => {
            const { id, seq } = received.value as { id: string; seq: number };
            handled.push({ by, id, key: received.key, seq });
          };
        const keys = Array.from({ length: 24 }, (_, k) => `child-${k}`);
        const publishRound = (round: number) =>
          bus.publish(
            topic,
            keys.flatMap((key) => [0, 1].map((i) => message(key, { id: `${round}-${key}-${i}`, seq: round * 2 + i }))),
          );
        const perRound = keys.length * 2;

        // A alone takes everything.
        const a = await subscribe({ topic, groupId, fromBeginning: true, handler: handlerFor('a') });
        await publishRound(0);
        await waitFor('round 0 to be handled', () => handled.length >= perRound);
        expect(handled.every((h) => h.by === 'a')).toBe(true);

        // B joins: the group rebalances and the two share the next round.
        await subscribe({ topic, groupId, handler: handlerFor('b') });
        await publishRound(1);
        await waitFor('round 1 to be handled', () => handled.length >= perRound * 2);
        const round1 = handled.slice(perRound);
        expect(round1.some((h) => h.by === 'a')).toBe(true);
        expect(round1.some((h) => h.by === 'b')).toBe(true);

        // A leaves: B takes all of its partitions.
        await a.close();
        await publishRound(2);
        await waitFor('round 2 to be handled', () => handled.length >= perRound * 3);
        expect(handled.slice(perRound * 2).every((h) => h.by === 'b')).toBe(true);

        // Each message once, and each key in order whoever handled it.
        const ids = handled.map((h) => h.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.length).toBe(perRound * 3);
        for (const key of keys) {
          expect(handled.filter((h) => h.key === key).map((h) => h.seq)).toEqual(range(6));
        }
        // Within a round a key is handled by one subscriber (its partition has one owner).
        for (const round of [1, 2]) {
          for (const key of keys) {
            const owners = new Set(handled.slice(perRound * round, perRound * (round + 1)).filter((h) => h.key === key).map((h) => h.by));
            expect(owners.size).toBe(1);
          }
        }
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'redelivers to another subscriber a message whose subscriber closed before committing it (crash before commit)',
      async () => {
        const topic = uniqueName('crash');
        const groupId = uniqueName('crash-group');
        const deliveries: Array<{ by: 'a' | 'b'; partition: number; offset: string; value: unknown }> = [];
        const stuck = gate();
        const subscriptions = {} as Record<'a' | 'b', Subscription>;
        for (const by of ['a', 'b'] as const) {
          // The default start position: the group is created by this subscribe, so the message
          // published below is the group's even though no one commits anything before the crash.
          subscriptions[by] = await subscribe({
            topic,
            groupId,
            handler: async (received) => {
              deliveries.push({ by, partition: received.partition, offset: received.offset, value: received.value });
              if (deliveries.length === 1) await stuck.wait();
            },
          });
        }

        await bus.publish(topic, [message('family-crash', { id: 'only' })]);
        await waitFor('the first delivery', () => deliveries.length >= 1);
        const first = deliveries[0];
        const other = first.by === 'a' ? 'b' : 'a';

        // Close the subscriber while its handler is mid-message, then let the handler return:
        // its work is not committed, so the message must come again, to the other subscriber.
        const closing = subscriptions[first.by].close();
        stuck.open();
        await closing;

        await waitFor('the redelivery', () => deliveries.length >= 2);
        expect(deliveries[1]).toEqual({ ...first, by: other });
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'gives a throwing handler the same message again and holds back later messages of its key',
      async () => {
        const topic = uniqueName('retry');
        const failures = 2;
        const attempts: Array<{ id: string; offset: string; outcome: 'threw' | 'handled' }> = [];
        await subscribe({
          topic,
          groupId: uniqueName('retry-group'),
          fromBeginning: true,
          handler: async (received) => {
            const { id } = received.value as { id: string };
            if (id === 'first' && attempts.filter((a) => a.id === 'first').length < failures) {
              attempts.push({ id, offset: received.offset, outcome: 'threw' });
              throw new Error('transient: store unavailable');
            }
            attempts.push({ id, offset: received.offset, outcome: 'handled' });
          },
        });

        await bus.publish(topic, [message('family-retry', { id: 'first' }), message('family-retry', { id: 'second' })]);
        await waitFor('the second message to be handled', () => attempts.some((a) => a.id === 'second'));

        expect(attempts.map(({ id, outcome }) => [id, outcome])).toEqual([
          ['first', 'threw'],
          ['first', 'threw'],
          ['first', 'handled'],
          ['second', 'handled'],
        ]);
        expect(new Set(attempts.filter((a) => a.id === 'first').map((a) => a.offset)).size).toBe(1);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'retries a failing handler past the last attempt, and dead-letters nothing, when the subscriber asks never to',
      async () => {
        const topic = uniqueName('outage');
        const failures = (subject.maxAttempts ?? 5) + 2;
        const attempts: string[] = [];
        await subscribe({
          topic,
          groupId: uniqueName('outage-group'),
          fromBeginning: true,
          deadLetterFailures: false,
          handler: async (received) => {
            const { id } = received.value as { id: string };
            attempts.push(id);
            // The database is down for the first attempts at the first message.
            if (id === 'first' && attempts.length <= failures) throw new Error('connection refused');
          },
        });
        const deadLetters: ReceivedMessage[] = [];
        await subscribe({
          topic: deadLetterTopicFor(topic),
          groupId: uniqueName('outage-dlq-reader'),
          fromBeginning: true,
          handler: async (received) => void deadLetters.push(received),
        });
        await bus.publish(topic, [message('family-outage', { id: 'first' }), message('family-outage', { id: 'second' })]);
        await waitFor('both messages handled', () => attempts.includes('second'));
        expect(attempts).toEqual([...Array(failures + 1).fill('first'), 'second']);
        expect(deadLetters).toEqual([]);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'moves a poison message to the dead-letter topic with the reason after the last attempt, and carries on',
      async () => {
        const topic = uniqueName('poison');
        const attempts: string[] = [];
        const delivered: ReceivedMessage[] = [];
        await subscribe({
          topic,
          groupId: uniqueName('poison-group'),
          fromBeginning: true,
          handler: async (received) => {
            const { id } = received.value as { id: string };
            attempts.push(id);
            delivered.push(received);
            if (id === 'poison') throw new Error('data/outcome: unknown value "maybe"');
          },
        });
        const deadLetters: ReceivedMessage[] = [];
        await subscribe({
          topic: deadLetterTopicFor(topic),
          groupId: uniqueName('poison-dlq-reader'),
          fromBeginning: true,
          handler: async (received) => {
            deadLetters.push(received);
          },
        });

        await bus.publish(topic, [
          message('family-poison', { id: 'poison' }, { ce_id: 'evt-poison', ce_type: 'ICPCHeld' }),
          message('family-poison', { id: 'after' }),
        ]);
        await waitFor('the next message to be handled', () => attempts.includes('after'));
        await waitFor('the dead letter', () => deadLetters.length >= 1);

        const poisonAttempts = attempts.filter((id) => id === 'poison').length;
        if (subject.maxAttempts !== undefined) expect(poisonAttempts).toBe(subject.maxAttempts);
        expect(attempts.slice(poisonAttempts)).toEqual(['after']);

        const original = delivered[0];
        const [dead] = deadLetters;
        expect(dead.key).toBe('family-poison');
        expect(dead.value).toEqual({ id: 'poison' });
        expect(dead.headers).toMatchObject({
          ce_id: 'evt-poison',
          ce_type: 'ICPCHeld',
          [DEAD_LETTER_HEADERS.reason]: 'data/outcome: unknown value "maybe"',
          [DEAD_LETTER_HEADERS.originalTopic]: topic,
          [DEAD_LETTER_HEADERS.originalPartition]: String(original.partition),
          [DEAD_LETTER_HEADERS.originalOffset]: original.offset,
        });
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'starts a new group at the end by default, at the start with fromBeginning, and a committed group where it left off',
      async () => {
        const topic = uniqueName('from-beginning');
        // One key, so all of this happens in one partition and "committed" is unambiguous.
        const key = 'family-position';
        await bus.publish(topic, [message(key, { id: 'before' })]);

        const latest: string[] = [];
        const latestGroup = uniqueName('latest-group');
        const latestHandler = async (received: ReceivedMessage): Promise<void> => {
          latest.push((received.value as { id: string }).id);
        };
        const firstLatest = await subscribe({ topic, groupId: latestGroup, handler: latestHandler });

        const earliest: string[] = [];
        await subscribe({
          topic,
          groupId: uniqueName('earliest-group'),
          fromBeginning: true,
          handler: async (received) => {
            earliest.push((received.value as { id: string }).id);
          },
        });

        await bus.publish(topic, [message(key, { id: 'after' })]);
        await waitFor('both groups to handle "after"', () => latest.includes('after') && earliest.includes('after'));
        expect(latest).toEqual(['after']);
        expect(earliest).toEqual(['before', 'after']);

        // The latest group has committed "after": with no subscriber it misses nothing, and on
        // coming back it resumes there, whatever fromBeginning now says.
        await firstLatest.close();
        await bus.publish(topic, [message(key, { id: 'while-away' })]);
        await subscribe({ topic, groupId: latestGroup, fromBeginning: true, handler: latestHandler });
        await waitFor('the returning group to catch up', () => latest.includes('while-away'));
        expect(latest).toEqual(['after', 'while-away']);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'round-trips key, value and headers, with topic, partition and increasing offsets',
      async () => {
        const topic = uniqueName('round-trip');
        const received: ReceivedMessage[] = [];
        await subscribe({
          topic,
          groupId: uniqueName('round-trip-group'),
          fromBeginning: true,
          handler: async (m) => {
            received.push(m);
          },
        });
        const value = { text: 'Ünïcødé — 家族', n: 1.5, flag: false, none: null, list: [1, 'two', { three: 3 }], nested: { deep: { deeper: ['x'] } } };
        const headers = {
          ce_id: 'evt-1',
          ce_type: 'ReferralReceived',
          ce_source: 'liberi',
          ce_specversion: '1.0',
          ce_time: '2026-03-02T10:00:00+00:00',
          'x-empty': '',
          'x-unicode': 'café ✓',
        };
        await bus.publish(topic, [message('F-77 ✓', value, headers), message('F-77 ✓', { second: true })]);
        await waitFor('both messages', () => received.length >= 2);

        const [first, second] = received;
        expect(first).toMatchObject({ topic, key: 'F-77 ✓', value, headers });
        expect(Number.isInteger(first.partition) && first.partition >= 0).toBe(true);
        expect(second.partition).toBe(first.partition);
        expect(first.offset).toMatch(/^\d+$/);
        expect(BigInt(second.offset)).toBeGreaterThan(BigInt(first.offset));
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'hands consumers copies: neither the producer nor another group can change what a consumer receives',
      async () => {
        const topic = uniqueName('copies');
        const value = { status: 'proposed', tags: ['a'] };
        const seenBySecond: unknown[] = [];
        const firstDone = gate();
        await subscribe({
          topic,
          groupId: uniqueName('copies-vandal'),
          fromBeginning: true,
          handler: async (received) => {
            const v = received.value as { status: string; tags: string[] };
            v.status = 'changed-by-consumer';
            v.tags.push('changed');
            firstDone.open();
          },
        });
        await bus.publish(topic, [message('k', value)]);
        value.status = 'changed-by-producer';
        value.tags.push('changed');
        await firstDone.wait();
        await subscribe({
          topic,
          groupId: uniqueName('copies-reader'),
          fromBeginning: true,
          handler: async (received) => {
            seenBySecond.push(received.value);
          },
        });
        await waitFor('the second group', () => seenBySecond.length >= 1);
        expect(seenBySecond[0]).toEqual({ status: 'proposed', tags: ['a'] });
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'returns from publish once messages are appended, not once they are handled',
      async () => {
        const topic = uniqueName('publish-returns');
        const release = gate();
        let started = 0;
        let finished = 0;
        await subscribe({
          topic,
          groupId: uniqueName('publish-returns-group'),
          fromBeginning: true,
          handler: async () => {
            started++;
            await release.wait();
            finished++;
          },
        });
        // If publish waited for handlers this would never resolve (the handler waits for us).
        await bus.publish(topic, [message('k', { id: 1 })]);
        await waitFor('the handler to start', () => started === 1);
        expect(finished).toBe(0);
        release.open();
        await waitFor('the handler to finish', () => finished === 1);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'waits, on close, for the handler in flight and delivers nothing after',
      async () => {
        const topic = uniqueName('close');
        const release = gate();
        let finished = 0;
        let callsAfterClose = 0;
        let closed = false;
        await subscribe({
          topic,
          groupId: uniqueName('close-group'),
          fromBeginning: true,
          handler: async () => {
            if (closed) callsAfterClose++;
            await release.wait();
            finished++;
          },
        });
        await bus.publish(topic, [message('k', { id: 1 }), message('k', { id: 2 })]);
        await waitFor('the first handler to start', () => release.waiting > 0);

        let finishedWhenClosed = -1;
        const closing = bus.close().then(() => {
          finishedWhenClosed = finished;
          closed = true;
        });
        // close() cannot have resolved: the handler it must wait for is parked until we open the gate.
        await yieldTurns(3);
        expect(closed).toBe(false);
        release.open();
        await closing;

        expect(finishedWhenClosed).toBeGreaterThanOrEqual(1);
        await yieldTurns(3);
        expect(callsAfterClose).toBe(0);
        await expect(bus.publish(topic, [message('k', { id: 3 })])).rejects.toThrow();
      },
      TEST_TIMEOUT_MS,
    );

    describe('consumer lag', () => {
      /** Asks the bus until `condition` holds of its answer (a commit may trail its handler). */
      const waitForLag = async (description: string, condition: (lags: ConsumerLag[]) => boolean): Promise<ConsumerLag[]> => {
        let lags: ConsumerLag[] = [];
        await waitForAsync(description, async () => condition((lags = await bus.consumerLag())));
        return lags;
      };

      it(
        'reports a group that has handled everything as 0 behind, and leaves a group out once it has no live subscriber',
        async () => {
          const topic = uniqueName('lag-caught-up');
          const groupId = uniqueName('lag-caught-up-group');
          const handled: string[] = [];
          const subscription = await subscribe({
            topic,
            groupId,
            fromBeginning: true,
            handler: async (received) => void handled.push((received.value as { id: string }).id),
          });
          await bus.publish(
            topic,
            range(10).map((i) => message(`family-${i % 4}`, { id: `m-${i}` })),
          );
          await waitFor('every message to be handled', () => handled.length >= 10);

          const lags = await waitForLag('the group to have committed everything', (answer) => lagOf(answer, groupId, topic) === 0);
          expect(lags.filter((lag) => lag.groupId === groupId)).toEqual([{ groupId, topic, messages: 0 }]);

          await subscription.close();
          expect((await bus.consumerLag()).filter((lag) => lag.groupId === groupId)).toEqual([]);
        },
        TEST_TIMEOUT_MS,
      );

      it(
        'reports, per group and topic, the messages a group has not handled while its handler is parked, and 0 once it has',
        async () => {
          const [first, second] = [uniqueName('lag-parked-a'), uniqueName('lag-parked-b')];
          const groups = { parkedOnFirst: uniqueName('lag-parked-first'), keepingUpOnFirst: uniqueName('lag-keeping-up'), parkedOnSecond: uniqueName('lag-parked-second') };
          const parked = gate();
          let keptUp = 0;
          // The default start position: each group starts at the end, so only what is published below counts.
          await subscribe({ topic: first, groupId: groups.parkedOnFirst, handler: () => parked.wait() });
          await subscribe({ topic: first, groupId: groups.keepingUpOnFirst, handler: async () => void keptUp++ });
          await subscribe({ topic: second, groupId: groups.parkedOnSecond, handler: () => parked.wait() });

          // One key per topic, so each parked handler holds up everything of its topic behind it.
          await bus.publish(
            first,
            range(3).map((i) => message('family-lag-first', { id: i })),
          );
          await bus.publish(
            second,
            range(2).map((i) => message('family-lag-second', { id: i })),
          );
          await waitFor('both parked handlers to start', () => parked.waiting >= 2);
          await waitFor('the other group to handle the first topic', () => keptUp >= 3);

          const behind = await waitForLag(
            'the parked groups to be behind and the other caught up',
            (lags) => (lagOf(lags, groups.parkedOnFirst, first) ?? 0) >= 1 && (lagOf(lags, groups.parkedOnSecond, second) ?? 0) >= 1 && lagOf(lags, groups.keepingUpOnFirst, first) === 0,
          );
          if (subject.consumerLagIsExact ?? true) {
            // The message in hand is not committed, so it counts; the other topic's do not.
            expect(lagOf(behind, groups.parkedOnFirst, first)).toBe(3);
            expect(lagOf(behind, groups.parkedOnSecond, second)).toBe(2);
          }
          // One entry per group and topic: a group is never reported against a topic it does not read.
          const ours = behind.filter((lag) => Object.values(groups).includes(lag.groupId));
          expect(ours.map(({ groupId, topic }) => [groupId, topic]).sort()).toEqual(
            [
              [groups.parkedOnFirst, first],
              [groups.keepingUpOnFirst, first],
              [groups.parkedOnSecond, second],
            ].sort(),
          );

          parked.open();
          await waitForLag('every group to catch up', (lags) => Object.values(groups).every((groupId) => lags.some((lag) => lag.groupId === groupId && lag.messages === 0)));
        },
        TEST_TIMEOUT_MS,
      );
    });

    describe('batch subscriptions', () => {
      it(
        'hands a batch handler consecutive messages of one partition in offset order, each message once, one batch per partition at a time',
        async () => {
          const topic = uniqueName('batch-order');
          const keys = Array.from({ length: 16 }, (_, k) => `family-${k}`);
          const perKey = 20;
          const maxBatchSize = 7;
          const batches: ReceivedMessage[][] = [];
          const inFlight = new Set<number>();
          const overlapping: number[] = [];
          await subscribe({
            topic,
            groupId: uniqueName('batch-order-group'),
            fromBeginning: true,
            maxBatchSize,
            batchHandler: async (messages) => {
              const { partition } = messages[0];
              if (inFlight.has(partition)) overlapping.push(partition);
              inFlight.add(partition);
              // Yield a varying number of turns so partitions really interleave.
              await yieldTurns(jitter(messages[0].key, messages[0].offset));
              batches.push(messages);
              inFlight.delete(partition);
            },
          });

          for (let seq = 0; seq < perKey; seq += 5) {
            const batch: BusMessage[] = [];
            for (let s = seq; s < seq + 5; s++) for (const key of keys) batch.push(message(key, { key, seq: s }));
            await bus.publish(topic, batch);
          }
          await waitFor('every message to be handled', () => batches.flat().length >= keys.length * perKey);

          expect(overlapping).toEqual([]);
          for (const batch of batches) {
            expect(batch.length).toBeGreaterThanOrEqual(1);
            expect(batch.length).toBeLessThanOrEqual(maxBatchSize);
            expect(new Set(batch.map((m) => m.partition)).size).toBe(1);
          }
          // A partition's batches were pushed in the order they ran (one at a time), so its
          // offsets, read across them, must only go up: nothing twice, nothing out of order; with
          // the count below, nothing left out either.
          const all = batches.flat();
          for (const partition of new Set(all.map((m) => m.partition))) {
            expect(isIncreasing(all.filter((m) => m.partition === partition).map((m) => m.offset))).toBe(true);
          }
          expect(all).toHaveLength(keys.length * perKey);
          for (const key of keys) {
            const seqs = all.filter((m) => m.key === key).map((m) => (m.value as { seq: number }).seq);
            expect({ key, seqs }).toEqual({ key, seqs: range(perKey) });
          }
        },
        TEST_TIMEOUT_MS,
      );

      it(
        'hands a backlog over in batches of at most maxBatchSize, in offset order',
        async () => {
          const topic = uniqueName('batch-size');
          const maxBatchSize = 4;
          const backlog = 23;
          // One key, so one partition: all of it is available at once when the group starts.
          await bus.publish(
            topic,
            range(backlog).map((seq) => message('family-backlog', { seq })),
          );
          const sizes: number[] = [];
          const seqs: number[] = [];
          await subscribe({
            topic,
            groupId: uniqueName('batch-size-group'),
            fromBeginning: true,
            maxBatchSize,
            batchHandler: async (messages) => {
              sizes.push(messages.length);
              seqs.push(...messages.map((m) => (m.value as { seq: number }).seq));
            },
          });
          await waitFor('the backlog to be handled', () => seqs.length >= backlog);

          expect(seqs).toEqual(range(backlog));
          expect(sizes.every((size) => size >= 1 && size <= maxBatchSize)).toBe(true);
          // The bus never waits to fill a batch, but with a backlog there is no reason to hand
          // over less than a full one.
          expect(sizes).toContain(maxBatchSize);
        },
        TEST_TIMEOUT_MS,
      );

      it(
        'gives a throwing batch handler the same messages again, from the same first offset, and never dead-letters them',
        async () => {
          const topic = uniqueName('batch-retry');
          // More failures than any adapter's per-message budget: a batch is retried regardless.
          const failures = (subject.maxAttempts ?? 5) + 1;
          const calls: Array<{ offsets: string[]; ids: string[]; outcome: 'threw' | 'handled' }> = [];
          await subscribe({
            topic,
            groupId: uniqueName('batch-retry-group'),
            fromBeginning: true,
            batchHandler: async (messages) => {
              const call = { offsets: messages.map((m) => m.offset), ids: messages.map((m) => (m.value as { id: string }).id) };
              if (calls.filter((c) => c.outcome === 'threw').length < failures) {
                calls.push({ ...call, outcome: 'threw' });
                throw new Error('transient: store unavailable');
              }
              calls.push({ ...call, outcome: 'handled' });
            },
          });
          const deadLetters: ReceivedMessage[] = [];
          await subscribe({
            topic: deadLetterTopicFor(topic),
            groupId: uniqueName('batch-retry-dlq-reader'),
            fromBeginning: true,
            handler: async (received) => void deadLetters.push(received),
          });
          const ids = range(6).map((i) => `m-${i}`);
          await bus.publish(
            topic,
            ids.map((id) => message('family-batch-retry', { id })),
          );
          const handled = () => calls.filter((c) => c.outcome === 'handled').flatMap((c) => c.ids);
          await waitFor('every message to be handled', () => new Set(handled()).size >= ids.length);

          expect(calls.slice(0, failures).map((c) => c.outcome)).toEqual(Array(failures).fill('threw'));
          // Nothing of a failed batch was committed: the next call starts where it started and
          // holds at least what it held (more may have arrived meanwhile).
          calls.forEach((call, i) => {
            if (i > 0 && calls[i - 1].outcome === 'threw') expect(call.offsets.slice(0, calls[i - 1].offsets.length)).toEqual(calls[i - 1].offsets);
          });
          expect(handled()).toEqual(ids);
          for (const id of calls[0].ids) expect(calls.filter((c) => c.ids.includes(id)).length).toBeGreaterThanOrEqual(2);
          expect(deadLetters).toEqual([]);
        },
        TEST_TIMEOUT_MS,
      );

      it(
        'hands a batch whose subscriber closed mid-batch to another member of the group, uncommitted',
        async () => {
          const topic = uniqueName('batch-crash');
          const groupId = uniqueName('batch-crash-group');
          const calls: Array<{ by: 'a' | 'b'; offsets: string[]; ids: string[] }> = [];
          const stuck = gate();
          const members = {} as Record<'a' | 'b', Subscription>;
          for (const by of ['a', 'b'] as const) {
            members[by] = await subscribe({
              topic,
              groupId,
              batchHandler: async (messages) => {
                calls.push({ by, offsets: messages.map((m) => m.offset), ids: messages.map((m) => (m.value as { id: string }).id) });
                if (calls.length === 1) await stuck.wait();
              },
            });
          }
          const ids = range(5).map((i) => `m-${i}`);
          await bus.publish(
            topic,
            ids.map((id) => message('family-batch-crash', { id })),
          );
          await waitFor('the first batch', () => calls.length >= 1);
          const [first] = calls;
          const other = first.by === 'a' ? 'b' : 'a';

          // Closed while its batch handler runs, which then returns: the batch is not committed.
          const closing = members[first.by].close();
          stuck.open();
          await closing;

          const byOther = () => calls.filter((c) => c.by === other);
          await waitFor('the other member to handle every message', () => new Set(byOther().flatMap((c) => c.ids)).size >= ids.length);
          expect(calls.filter((c) => c.by === first.by)).toEqual([first]);
          expect(byOther()[0].offsets[0]).toBe(first.offsets[0]);
          expect(byOther().flatMap((c) => c.ids)).toEqual(ids);
        },
        TEST_TIMEOUT_MS,
      );

      it(
        'shares a group’s partitions between batch subscribers, each partition with one of them',
        async () => {
          const topic = uniqueName('batch-share');
          const groupId = uniqueName('batch-share-group');
          const batches: Array<{ by: 'a' | 'b'; partition: number; ids: string[] }> = [];
          for (const by of ['a', 'b'] as const) {
            await subscribe({
              topic,
              groupId,
              batchHandler: async (messages) => void batches.push({ by, partition: messages[0].partition, ids: messages.map((m) => (m.value as { id: string }).id) }),
            });
          }
          // Enough keys to reach every partition of any adapter's topics.
          const keys = Array.from({ length: 24 }, (_, k) => `child-${k}`);
          const ids = keys.flatMap((key) => [0, 1].map((i) => `${key}-${i}`));
          await bus.publish(
            topic,
            ids.map((id) => message(id.slice(0, id.lastIndexOf('-')), { id })),
          );
          await waitFor('every message to be handled', () => batches.flatMap((b) => b.ids).length >= ids.length);

          expect(batches.flatMap((b) => b.ids).sort()).toEqual([...ids].sort());
          expect(batches.some((b) => b.by === 'a')).toBe(true);
          expect(batches.some((b) => b.by === 'b')).toBe(true);
          for (const partition of new Set(batches.map((b) => b.partition))) {
            expect(new Set(batches.filter((b) => b.partition === partition).map((b) => b.by)).size).toBe(1);
          }
        },
        TEST_TIMEOUT_MS,
      );

      it(
        'refuses a subscription without exactly one handler, an impossible maxBatchSize, or a batch to dead-letter',
        async () => {
          const topic = uniqueName('batch-options');
          const groupId = uniqueName('batch-options-group');
          const handler = async (): Promise<void> => undefined;
          const batchHandler = async (): Promise<void> => undefined;
          await expect(bus.subscribe({ topic, groupId })).rejects.toThrow(TypeError);
          await expect(bus.subscribe({ topic, groupId, handler, batchHandler })).rejects.toThrow(TypeError);
          for (const maxBatchSize of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
            await expect(bus.subscribe({ topic, groupId, batchHandler, maxBatchSize })).rejects.toThrow(RangeError);
          }
          await expect(bus.subscribe({ topic, groupId, batchHandler, deadLetterFailures: true })).rejects.toThrow(TypeError);
        },
        TEST_TIMEOUT_MS,
      );
    });
  });
}

function message(key: string, value: unknown, headers: Record<string, string> = {}): BusMessage {
  return { key, value, headers };
}

let nameCounter = 0;
/** Topic and group names of their own per test; Kafka allows [A-Za-z0-9._-]. */
function uniqueName(label: string): string {
  nameCounter += 1;
  return `contract-${label}-${Date.now().toString(36)}-${process.pid}-${nameCounter}`;
}

/** A promise a test opens by hand, to park a handler mid-message. */
class Gate {
  private opened = false;
  private resolvers: Array<() => void> = [];
  /** Handlers currently parked here. */
  waiting = 0;

  wait(): Promise<void> {
    if (this.opened) return Promise.resolve();
    this.waiting++;
    return new Promise((resolve) =>
      this.resolvers.push(() => {
        this.waiting--;
        resolve();
      }),
    );
  }

  open(): void {
    this.opened = true;
    for (const resolve of this.resolvers.splice(0)) resolve();
  }
}

async function waitFor(description: string, condition: () => boolean, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** waitFor for a condition that must be asked asynchronously (a broker); polls more gently. */
async function waitForAsync(description: string, condition: () => Promise<boolean>, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The lag reported for a group on a topic, if it is reported. */
function lagOf(lags: ConsumerLag[], groupId: string, topic: string): number | undefined {
  return lags.find((lag) => lag.groupId === groupId && lag.topic === topic)?.messages;
}

/** Lets pending I/O and timers-of-zero run a few times: a scheduling nudge, not a clock. */
async function yieldTurns(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A deterministic 0–3 from a message's position, to vary handler latency without randomness. */
function jitter(key: string, offset: string): number {
  let h = 0;
  for (const ch of key + offset) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return Math.abs(h) % 4;
}

/** Offsets (64-bit, as decimal strings) strictly increasing. */
function isIncreasing(offsets: string[]): boolean {
  return offsets.every((offset, i) => i === 0 || BigInt(offset) > BigInt(offsets[i - 1]));
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function count(map: Map<string, unknown[]>): number {
  let total = 0;
  for (const values of map.values()) total += values.length;
  return total;
}
