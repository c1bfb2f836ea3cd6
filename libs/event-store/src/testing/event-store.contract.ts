import { randomUUID } from 'node:crypto';
import { childStreamId } from '@cto/domain';
import {
  CheckpointConflict,
  DuplicateEventId,
  START_CHECKPOINT,
  StreamVersionConflict,
  type EventStore,
  type EventStoreTransaction,
  type NewEvent,
  type StoredEvent,
} from '../event-store.port';
import { InvalidCheckpoint } from '../global-checkpoint';
import { GENESIS_HASH, integrityHash, integrityOf } from '../integrity';
import { migrate } from '../migrations/migrate';
import { MIGRATIONS } from '../migrations/migrations';
import { TransactionFinished, type SqlClient } from '../sql/sql-client';
import { verifyStore } from '../verify-store';
import { readEverythingCommitted, waitUntilVisible } from './visibility';

/** What an adapter's spec hands the contract: a migrated store over a database of its own. */
export interface EventStoreContractTarget {
  store: EventStore;
  /**
   * Plain SQL on the same database, outside the port: for what the port cannot express (trying an
   * UPDATE on events, running migrate again). May be the store's own client.
   */
  sql: SqlClient;
  /**
   * Durable adapters only: closes `store` and returns a target opened afresh over the same data.
   * From then on the contract uses, and finally disposes, only the returned target.
   */
  reopen?: () => Promise<EventStoreContractTarget>;
  /** Closes what is open and removes what the run created (schema, temporary directory). */
  dispose: () => Promise<void>;
}

export type EventStoreContractFactory = () => Promise<EventStoreContractTarget>;

export interface EventStoreContractCapabilities {
  /** The store survives close and reopen (its target has `reopen`); false only for in-memory stores. */
  keepsData: boolean;
}

/**
 * The behaviour every EventStore adapter must show (DESIGN.md "Testing": one contract suite, run
 * against PGlite and PostgreSQL), in the manner of emmett-tests' `testAggregateStream(factory)`.
 *
 * The factory is called once: opening an embedded PostgreSQL takes seconds. Tests share the
 * database and keep out of each other's way with their own stream and event ids; global-read tests
 * start from the end of what is already there.
 */
export function describeEventStoreContract(
  name: string,
  factory: EventStoreContractFactory,
  capabilities: EventStoreContractCapabilities = { keepsData: true },
): void {
  describe(`${name} — event store contract`, () => {
    let target: EventStoreContractTarget | undefined;
    const current = (): EventStoreContractTarget => {
      if (!target) throw new Error('the contract target did not open (see the beforeAll failure)');
      return target;
    };
    const store = (): EventStore => current().store;

    beforeAll(async () => {
      target = await factory();
    });
    afterAll(async () => {
      await target?.dispose();
    });

    describe('appending and reading a stream', () => {
      it('reads back what was appended, in version order, with data and metadata intact', async () => {
        const streamId = ids.stream();
        const first = newEvent({
          type: 'ReferralReceived',
          data: {
            nested: { list: [1, 2.5, -3e-7, null, true, 'ü 🧒 "quoted" \\ back\nslash'] },
            emptyObject: {},
            emptyList: [],
            zero: 0,
            largestSafeInteger: Number.MAX_SAFE_INTEGER,
            blank: '',
          },
          metadata: { familyId: 'F-77', source: 'liberi', correlationId: 'corr-1', extra: { reasons: ['a', 'b'] } },
        });
        const second = newEvent({ type: 'WorkerAllocated', data: 'a bare string', metadata: { kind: 'decision', causationId: first.eventId } });
        const third = newEvent({ data: null });
        const fourth = newEvent({ data: [1, 'two', { three: 3 }] });

        const result = await store().appendToStream(streamId, [first, second, third, fourth], { expectedVersion: 'no-stream' });

        expect(result.nextExpectedVersion).toBe(4);
        expect(result.globalPositions).toHaveLength(4);
        for (const position of result.globalPositions) expect(position).toMatch(/^[1-9][0-9]*$/);
        expect(isStrictlyIncreasing(result.globalPositions)).toBe(true);

        const { events, currentVersion } = await store().readStream(streamId);
        expect(currentVersion).toBe(4);
        expect(events).toEqual(
          [first, second, third, fourth].map((event, index) => ({
            ...event,
            // The store adds the event's link in its stream's hash chain (see "tamper evidence").
            metadata: { ...event.metadata, integrity: { previousHash: expect.stringMatching(SHA256_HEX), hash: expect.stringMatching(SHA256_HEX) } },
            streamId,
            streamVersion: index + 1,
            globalPosition: result.globalPositions[index],
            recordedAt: expect.any(String),
          })),
        );
        for (const event of events) expect(new Date(event.recordedAt).toISOString()).toBe(event.recordedAt);
      });

      it("keeps each tenant's child on a stream of its own, even where one authority's id begins with another's", async () => {
        // Under `child-<authority>-<childId>` both of these were child-kent-east-C1-….
        const childId = `C1-${run}`;
        const kent = { authority: 'kent', childId: `east-${childId}` };
        const kentEast = { authority: 'kent-east', childId };
        const kentEastEvents = [newEvent({ metadata: kentEast }), newEvent({ metadata: kentEast })];
        const kentEvent = newEvent({ metadata: kent });

        await store().appendToStream(childStreamId(kentEast.authority, kentEast.childId), kentEastEvents, { expectedVersion: 'no-stream' });
        // A new stream, not version 3 of kent-east's.
        await store().appendToStream(childStreamId(kent.authority, kent.childId), [kentEvent], { expectedVersion: 'no-stream' });

        const idsOf = async (child: { authority: string; childId: string }) =>
          (await store().readStream(childStreamId(child.authority, child.childId))).events.map((e) => [e.eventId, e.metadata.authority]);
        expect(await idsOf(kentEast)).toEqual(kentEastEvents.map((e) => [e.eventId, 'kent-east']));
        expect(await idsOf(kent)).toEqual([[kentEvent.eventId, 'kent']]);
      });

      it('reads a stream that does not exist as empty, at version 0', async () => {
        await expect(store().readStream(ids.stream())).resolves.toEqual({ events: [], currentVersion: 0 });
      });

      it('continues a stream from the version the caller expects', async () => {
        const streamId = ids.stream();
        await store().appendToStream(streamId, [newEvent()], { expectedVersion: 'no-stream' });
        const result = await store().appendToStream(streamId, [newEvent(), newEvent()], { expectedVersion: 1 });

        expect(result.nextExpectedVersion).toBe(3);
        const { events } = await store().readStream(streamId);
        expect(events.map((event) => event.streamVersion)).toEqual([1, 2, 3]);
      });

      it("appends whatever the version with 'any'", async () => {
        const streamId = ids.stream();
        await store().appendToStream(streamId, [newEvent()], { expectedVersion: 'any' });
        const result = await store().appendToStream(streamId, [newEvent()], { expectedVersion: 'any' });
        expect(result.nextExpectedVersion).toBe(2);
      });

      it('checks the version but writes nothing for an empty batch', async () => {
        const streamId = ids.stream();
        await expect(store().appendToStream(streamId, [], { expectedVersion: 'no-stream' })).resolves.toEqual({
          nextExpectedVersion: 0,
          globalPositions: [],
        });
        await store().appendToStream(streamId, [newEvent()], { expectedVersion: 0 });
        const error = await rejectionOf(store().appendToStream(streamId, [], { expectedVersion: 0 }));
        expect(error).toBeInstanceOf(StreamVersionConflict);
      });
    });

    describe('optimistic concurrency', () => {
      it('refuses a stale expected version, reports the actual one and writes nothing', async () => {
        const streamId = ids.stream();
        await store().appendToStream(streamId, [newEvent(), newEvent()], { expectedVersion: 'no-stream' });
        const late = newEvent();

        const error = await rejectionOf(store().appendToStream(streamId, [late], { expectedVersion: 1 }));

        expect(error).toBeInstanceOf(StreamVersionConflict);
        expect(error).toMatchObject({ code: 'STREAM_VERSION_CONFLICT', streamId, expectedVersion: 1, actualVersion: 2 });
        expect((await store().readStream(streamId)).currentVersion).toBe(2);
        expect(await store().findRecordedEventIds('contract', [late.eventId])).toEqual(new Set());
      });

      it("refuses 'no-stream' when the stream exists", async () => {
        const streamId = ids.stream();
        await store().appendToStream(streamId, [newEvent(), newEvent(), newEvent()], { expectedVersion: 'no-stream' });

        const error = await rejectionOf(store().appendToStream(streamId, [newEvent()], { expectedVersion: 'no-stream' }));

        expect(error).toBeInstanceOf(StreamVersionConflict);
        expect(error).toMatchObject({ expectedVersion: 'no-stream', actualVersion: 3 });
      });

      it('refuses a version number for a stream that does not exist', async () => {
        const streamId = ids.stream();
        const error = await rejectionOf(store().appendToStream(streamId, [newEvent()], { expectedVersion: 2 }));

        expect(error).toMatchObject({ code: 'STREAM_VERSION_CONFLICT', actualVersion: 0 });
        expect((await store().readStream(streamId)).events).toEqual([]);
      });

      it('refuses a version beyond any stream’s (stream versions are 32-bit in the database) as a conflict', async () => {
        const streamId = ids.stream();
        await store().appendToStream(streamId, [newEvent()], { expectedVersion: 'no-stream' });
        for (const expectedVersion of [2 ** 31, 2 ** 40]) {
          expect(await rejectionOf(store().appendToStream(streamId, [newEvent()], { expectedVersion }))).toMatchObject({
            code: 'STREAM_VERSION_CONFLICT',
            expectedVersion,
            actualVersion: 1,
          });
        }
        const inTransaction = await rejectionOf(store().transaction((tx) => tx.appendToStream(streamId, [newEvent()], { expectedVersion: 2 ** 40 })));
        expect(inTransaction).toMatchObject({ code: 'STREAM_VERSION_CONFLICT', actualVersion: 1 });
      });

      it('lets exactly one of several concurrent appends at the same version win', async () => {
        const streamId = ids.stream();
        await store().appendToStream(streamId, [newEvent()], { expectedVersion: 'no-stream' });
        const attempts = Array.from({ length: 5 }, () => newEvent());

        const outcomes = await Promise.allSettled(attempts.map((event) => store().appendToStream(streamId, [event], { expectedVersion: 1 })));

        const winners = outcomes.flatMap((outcome, index) => (outcome.status === 'fulfilled' ? [attempts[index]] : []));
        const losers = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(4);
        for (const loser of losers) {
          expect(loser).toBeInstanceOf(StreamVersionConflict);
          expect(loser).toMatchObject({ expectedVersion: 1, actualVersion: 2 });
        }
        const { events } = await store().readStream(streamId);
        expect(events.map((event) => event.eventId)).toEqual([events[0].eventId, winners[0].eventId]);
      });

      it("lets exactly one of several concurrent 'no-stream' appends create the stream", async () => {
        const streamId = ids.stream();
        const outcomes = await Promise.allSettled(
          Array.from({ length: 5 }, () => store().appendToStream(streamId, [newEvent(), newEvent()], { expectedVersion: 'no-stream' })),
        );

        expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'STREAM_VERSION_CONFLICT', actualVersion: 2 });
        }
        expect((await store().readStream(streamId)).currentVersion).toBe(2);
      });

      it("gives concurrent 'any' appends consecutive versions, losing none", async () => {
        const streamId = ids.stream();
        const attempts = Array.from({ length: 5 }, () => newEvent());

        await Promise.all(attempts.map((event) => store().appendToStream(streamId, [event], { expectedVersion: 'any' })));

        const { events } = await store().readStream(streamId);
        expect(events.map((event) => event.streamVersion)).toEqual([1, 2, 3, 4, 5]);
        expect(new Set(events.map((event) => event.eventId))).toEqual(new Set(attempts.map((event) => event.eventId)));
      });
    });

    describe('idempotency by event id', () => {
      it('refuses an event id already recorded on the same stream, writing nothing of the batch', async () => {
        const streamId = ids.stream();
        const recorded = newEvent();
        await store().appendToStream(streamId, [recorded], { expectedVersion: 'no-stream' });
        const fresh = newEvent();

        const error = await rejectionOf(store().appendToStream(streamId, [fresh, { ...recorded }], { expectedVersion: 1 }));

        expect(error).toBeInstanceOf(DuplicateEventId);
        expect(error).toMatchObject({ code: 'DUPLICATE_EVENT_ID', eventIds: [recorded.eventId] });
        expect((await store().readStream(streamId)).currentVersion).toBe(1);
        expect(await store().findRecordedEventIds('contract', [fresh.eventId])).toEqual(new Set());
      });

      it('refuses an event id already recorded on another stream, writing nothing of the batch', async () => {
        const elsewhere = ids.stream();
        const recorded = newEvent();
        await store().appendToStream(elsewhere, [recorded], { expectedVersion: 'no-stream' });
        const streamId = ids.stream();
        const fresh = newEvent();

        const error = await rejectionOf(store().appendToStream(streamId, [fresh, { ...recorded }], { expectedVersion: 'no-stream' }));

        expect(error).toBeInstanceOf(DuplicateEventId);
        expect(error).toMatchObject({ eventIds: [recorded.eventId] });
        expect(await store().readStream(streamId)).toEqual({ events: [], currentVersion: 0 });
        expect(await store().findRecordedEventIds('contract', [fresh.eventId])).toEqual(new Set());
      });

      it('refuses a batch that repeats an event id', async () => {
        const streamId = ids.stream();
        const repeated = newEvent();

        const error = await rejectionOf(store().appendToStream(streamId, [repeated, newEvent(), repeated], { expectedVersion: 'any' }));

        expect(error).toMatchObject({ code: 'DUPLICATE_EVENT_ID', eventIds: [repeated.eventId] });
        expect((await store().readStream(streamId)).currentVersion).toBe(0);
      });

      it("records another authority's event under the same id: an event's identity is (authority, eventId)", async () => {
        const kent = newEvent({ metadata: { authority: 'kent' } });
        const demo = { ...newEvent({ metadata: { authority: 'demo' } }), eventId: kent.eventId };
        await store().appendToStream(ids.stream(), [kent], { expectedVersion: 'no-stream' });
        await store().appendToStream(ids.stream(), [demo], { expectedVersion: 'no-stream' });
        expect(await store().findRecordedEventIds('kent', [kent.eventId])).toEqual(new Set([kent.eventId]));
        expect(await store().findRecordedEventIds('demo', [kent.eventId])).toEqual(new Set([kent.eventId]));
        expect(await store().findRecordedEventIds('contract', [kent.eventId])).toEqual(new Set());
        // …and the same authority's id again is still a duplicate.
        const again = { ...newEvent({ metadata: { authority: 'demo' } }), eventId: kent.eventId };
        expect(await rejectionOf(store().appendToStream(ids.stream(), [again], { expectedVersion: 'any' }))).toMatchObject({ code: 'DUPLICATE_EVENT_ID', eventIds: [kent.eventId] });
      });

      it('tells which ids are already recorded', async () => {
        const recorded = newEvent();
        await store().appendToStream(ids.stream(), [recorded], { expectedVersion: 'no-stream' });
        const unknown = ids.event();

        await expect(store().findRecordedEventIds('contract', [unknown, recorded.eventId])).resolves.toEqual(new Set([recorded.eventId]));
        await expect(store().findRecordedEventIds('contract', [])).resolves.toEqual(new Set());
      });
    });

    describe('one transaction over several streams', () => {
      it('records everything work appended, or, when work throws, nothing of it', async () => {
        const [a, b] = [ids.stream(), ids.stream()];
        const [first, second] = [newEvent(), newEvent()];
        await store().transaction(async (tx) => {
          await tx.appendToStream(a, [first], { expectedVersion: 'no-stream' });
          await tx.appendToStream(b, [second], { expectedVersion: 'no-stream' });
        });
        expect((await store().readStream(a)).currentVersion + (await store().readStream(b)).currentVersion).toBe(2);

        const undone = newEvent();
        const error = await rejectionOf(
          store().transaction(async (tx) => {
            await tx.appendToStream(a, [undone], { expectedVersion: 1 });
            expect((await tx.findEvents('contract', [undone.eventId])).map((e) => e.eventId)).toEqual([undone.eventId]);
            throw new Error('refused after the first append');
          }),
        );
        expect(error).toMatchObject({ message: 'refused after the first append' });
        expect(await store().findRecordedEventIds('contract', [undone.eventId])).toEqual(new Set());
      });

      it('reads several streams at once, each as readStream gives it, absent ones empty', async () => {
        const [a, b, absent] = [ids.stream(), ids.stream(), ids.stream()];
        await store().appendToStream(a, [newEvent(), newEvent()], { expectedVersion: 'no-stream' });
        await store().appendToStream(b, [newEvent()], { expectedVersion: 'no-stream' });
        const read = await store().transaction(async (tx) => {
          // What this transaction appended is read back with the rest.
          await tx.appendToStream(b, [newEvent()], { expectedVersion: 1 });
          return tx.readStreams([b, absent, a]);
        });
        expect([...read.keys()]).toEqual([b, absent, a]);
        for (const id of [a, b]) expect(read.get(id)).toEqual(await store().readStream(id));
        expect(read.get(absent)).toEqual({ events: [], currentVersion: 0 });
        expect(read.get(b)?.currentVersion).toBe(2);
        await expect(store().transaction((tx) => tx.readStreams([]))).resolves.toEqual(new Map());
      });
    });

    describe('several appends in one round trip (appendToStreams)', () => {
      it('records each append in order, as appendToStream would, appends to one stream building on each other', async () => {
        const [a, b] = [ids.stream(), ids.stream()];
        await store().appendToStream(a, [newEvent()], { expectedVersion: 'no-stream' });
        const [a2, a3, b1, a4, b2, b3] = [newEvent(), newEvent(), newEvent(), newEvent({ data: { zebra: 1, apple: 'ü 🧒' } }), newEvent(), newEvent()];

        const outcomes = await store().transaction((tx) =>
          tx.appendToStreams([
            { streamId: a, events: [a2, a3], expectedVersion: 1 },
            { streamId: b, events: [b1], expectedVersion: 'no-stream' },
            { streamId: a, events: [a4], expectedVersion: 3 },
            { streamId: b, events: [b2, b3], expectedVersion: 'any' },
          ]),
        );

        expect(outcomes.map((outcome) => outcome.ok && outcome.result.nextExpectedVersion)).toEqual([3, 1, 4, 3]);
        const positions = outcomes.flatMap((outcome) => (outcome.ok ? outcome.result.globalPositions : []));
        expect(positions).toHaveLength(6);
        expect(isStrictlyIncreasing(positions)).toBe(true);
        const [streamA, streamB] = [await store().readStream(a), await store().readStream(b)];
        expect(streamA.events.slice(1).map((event) => [event.eventId, event.globalPosition])).toEqual([
          [a2.eventId, positions[0]],
          [a3.eventId, positions[1]],
          [a4.eventId, positions[3]],
        ]);
        expect(streamA.events[3].data).toEqual({ zebra: 1, apple: 'ü 🧒' });
        expect(streamB.events.map((event) => event.eventId)).toEqual([b1.eventId, b2.eventId, b3.eventId]);
        // One chain per stream, continued across the appends of the call and the append before it.
        await expect(verifyStore(current().sql)).resolves.toMatchObject({ ok: true });
        expect(integrityOf(streamA.events[1].metadata)?.previousHash).toBe(integrityOf(streamA.events[0].metadata)?.hash);
        expect(integrityOf(streamA.events[3].metadata)?.previousHash).toBe(integrityOf(streamA.events[2].metadata)?.hash);
      });

      it('refuses a stale version or a recorded id per append, keeping nothing of it and undoing none of the others', async () => {
        const [kept, stale, taken, repeats] = [ids.stream(), ids.stream(), ids.stream(), ids.stream()];
        const recorded = newEvent();
        await store().appendToStream(stale, [recorded], { expectedVersion: 'no-stream' });
        const [first, second, unkept, repeated, last] = [newEvent(), newEvent(), newEvent(), newEvent(), newEvent()];

        const { outcomes, after } = await store().transaction(async (tx) => {
          const outcomes = await tx.appendToStreams([
            { streamId: kept, events: [first], expectedVersion: 'no-stream' },
            { streamId: stale, events: [newEvent()], expectedVersion: 'no-stream' },
            // An id recorded before the call, and one recorded by an earlier append of the same call.
            { streamId: taken, events: [unkept, { ...recorded }], expectedVersion: 'any' },
            { streamId: taken, events: [{ ...first }], expectedVersion: 'any' },
            { streamId: repeats, events: [repeated, newEvent(), repeated], expectedVersion: 'any' },
            // A refused append does not move its stream on: the next one still expects version 1.
            { streamId: kept, events: [second], expectedVersion: 1 },
          ]);
          // The transaction goes on after the refusals.
          const after = await tx.appendToStream(kept, [last], { expectedVersion: 2 });
          return { outcomes, after };
        });

        expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, false, false, false, false, true]);
        expect(outcomes[1]).toEqual({ ok: false, error: expect.any(StreamVersionConflict) });
        expect(outcomes[1].ok || outcomes[1].error).toMatchObject({ code: 'STREAM_VERSION_CONFLICT', streamId: stale, expectedVersion: 'no-stream', actualVersion: 1 });
        for (const [index, eventIds] of [[2, [recorded.eventId]], [3, [first.eventId]], [4, [repeated.eventId]]] as const) {
          expect(outcomes[index]).toEqual({ ok: false, error: expect.any(DuplicateEventId) });
          expect(outcomes[index].ok || outcomes[index].error).toMatchObject({ code: 'DUPLICATE_EVENT_ID', eventIds });
        }
        expect(after.nextExpectedVersion).toBe(3);
        expect((await store().readStream(kept)).events.map((event) => event.eventId)).toEqual([first.eventId, second.eventId, last.eventId]);
        expect((await store().readStream(stale)).currentVersion).toBe(1);
        expect(await store().readStream(taken)).toEqual({ events: [], currentVersion: 0 });
        expect(await store().readStream(repeats)).toEqual({ events: [], currentVersion: 0 });
        expect(await store().findRecordedEventIds('contract', [unkept.eventId, repeated.eventId])).toEqual(new Set());
        await expect(verifyStore(current().sql)).resolves.toMatchObject({ ok: true });
      });

      // As in "keeps the transaction usable after an append the database refuses for its content".
      it('rejects the whole call when the database refuses an append for its content, keeping nothing of the call', async () => {
        const [before, kept] = [ids.stream(), ids.stream()];
        const [first, bad, last] = [newEvent(), newEvent({ data: { note: 'a NUL \u0000 inside' } }), newEvent()];

        await store().transaction(async (tx) => {
          const error = await rejectionOf(
            tx.appendToStreams([
              { streamId: before, events: [first], expectedVersion: 'no-stream' },
              { streamId: kept, events: [bad], expectedVersion: 'no-stream' },
            ]),
          );
          expect(error).toBeInstanceOf(Error);
          expect(error).not.toBeInstanceOf(StreamVersionConflict);
          expect(error).not.toBeInstanceOf(DuplicateEventId);
          expect((error as Error).message).toContain(kept);
          await expect(tx.appendToStreams([{ streamId: kept, events: [last], expectedVersion: 'no-stream' }])).resolves.toMatchObject([{ ok: true }]);
        });

        expect(await store().readStream(before)).toEqual({ events: [], currentVersion: 0 });
        expect((await store().readStream(kept)).events.map((event) => event.eventId)).toEqual([last.eventId]);
      });

      it('refuses arguments appendToStream refuses before sending anything, and answers no appends with none', async () => {
        const streamId = ids.stream();
        await store().transaction(async (tx) => {
          await expect(tx.appendToStreams([])).resolves.toEqual([]);
          const error = await rejectionOf(
            tx.appendToStreams([
              { streamId, events: [newEvent()], expectedVersion: 'no-stream' },
              { streamId: '', events: [newEvent()], expectedVersion: 'any' },
            ]),
          );
          expect(error).toBeInstanceOf(RangeError);
        });
        expect(await store().readStream(streamId)).toEqual({ events: [], currentVersion: 0 });
      });

      it('is undone with the rest of the transaction when work throws', async () => {
        const streamId = ids.stream();
        const undone = newEvent();
        const error = await rejectionOf(
          store().transaction(async (tx) => {
            await tx.appendToStreams([{ streamId, events: [undone], expectedVersion: 'no-stream' }]);
            throw new Error('refused after the appends');
          }),
        );
        expect(error).toMatchObject({ message: 'refused after the appends' });
        expect(await store().findRecordedEventIds('contract', [undone.eventId])).toEqual(new Set());
      });
    });

    describe('idempotency keys', () => {
      const scope = () => ({ authority: 'contract', principal: 'manager-1', route: 'accept', target: ids.event(), key: ids.event() });

      it('keeps the first outcome under a key and gives it back; a second save under the key is refused', async () => {
        const key = scope();
        expect(await store().findIdempotentResponse(key)).toBeUndefined();
        const first = { fingerprint: 'f1', status: 200, body: { status: 'accepted', recorded: [{ eventId: 'e1' }] } };
        expect(await store().transaction((tx) => tx.saveIdempotentResponse(key, first))).toBe(true);
        expect(await store().findIdempotentResponse(key)).toEqual(first);
        expect(await store().transaction((tx) => tx.saveIdempotentResponse(key, { ...first, fingerprint: 'f2' }))).toBe(false);
        expect(await store().findIdempotentResponse(key)).toEqual(first);
        // The same key in another scope (another target, caller, route or tenant) is another key.
        expect(await store().findIdempotentResponse({ ...key, principal: 'manager-2' })).toBeUndefined();
        expect(await store().findIdempotentResponse({ ...key, authority: 'kent' })).toBeUndefined();
      });

      it('keeps nothing of a transaction that is rolled back', async () => {
        const key = scope();
        await rejectionOf(
          store().transaction(async (tx) => {
            await tx.saveIdempotentResponse(key, { fingerprint: 'f', status: 200, body: {} });
            throw new Error('the append failed');
          }),
        );
        expect(await store().findIdempotentResponse(key)).toBeUndefined();
      });
    });

    describe('handled streams: how far each consumer has handled each stream', () => {
      const consumer = (): string => `consumer-${ids.event()}`;
      const claimed = (entries: Array<[string, number]>) => new Map(entries);

      it('claims a stream never handled at 0, and an empty list as an empty map', async () => {
        const [name, a, b] = [consumer(), ids.stream(), ids.stream()];
        await expect(store().transaction((tx) => tx.claimStreams(name, [b, a]))).resolves.toEqual(claimed([[a, 0], [b, 0]]));
        await expect(store().transaction((tx) => tx.claimStreams(name, []))).resolves.toEqual(new Map());
        // A stream named twice is claimed once.
        await expect(store().transaction((tx) => tx.claimStreams(name, [a, a]))).resolves.toEqual(claimed([[a, 0]]));
      });

      it('gives a later transaction the version marked, and never lowers it', async () => {
        const [name, a, b] = [consumer(), ids.stream(), ids.stream()];
        await store().transaction(async (tx) => {
          await tx.claimStreams(name, [a, b]);
          await tx.markHandled(name, new Map([[a, 3]]));
          await tx.markHandled(name, new Map([[a, 5]]));
          await tx.markHandled(name, new Map([[a, 4]]));
        });
        expect(await store().transaction((tx) => tx.claimStreams(name, [a, b]))).toEqual(claimed([[a, 5], [b, 0]]));

        await store().transaction((tx) => tx.markHandled(name, new Map([[a, 2]])));
        // Marking a stream it did not claim first is allowed: the row is made for it.
        await store().transaction((tx) => tx.markHandled(name, new Map([[b, 1]])));
        expect(await store().transaction((tx) => tx.claimStreams(name, [a, b]))).toEqual(claimed([[a, 5], [b, 1]]));
      });

      it('keeps nothing marked by a transaction that rolled back', async () => {
        const [name, a] = [consumer(), ids.stream()];
        await store().transaction((tx) => tx.markHandled(name, new Map([[a, 1]])));
        const failure = new Error('the decisions were not recorded');
        const error = await rejectionOf(
          store().transaction(async (tx) => {
            expect(await tx.claimStreams(name, [a])).toEqual(claimed([[a, 1]]));
            await tx.markHandled(name, new Map([[a, 7]]));
            throw failure;
          }),
        );
        expect(error).toBe(failure);
        expect(await store().transaction((tx) => tx.claimStreams(name, [a]))).toEqual(claimed([[a, 1]]));
      });

      it('keeps each consumer apart: one marking a stream does not move another', async () => {
        const [allocation, checklist, a] = [consumer(), consumer(), ids.stream()];
        await store().transaction((tx) => tx.markHandled(allocation, new Map([[a, 6]])));
        expect(await store().transaction((tx) => tx.claimStreams(checklist, [a]))).toEqual(claimed([[a, 0]]));
        expect(await store().transaction((tx) => tx.claimStreams(allocation, [a]))).toEqual(claimed([[a, 6]]));
      });

      it('refuses a consumer without a name and a version that is not a whole number ≥ 0', async () => {
        expect(await rejectionOf(store().transaction((tx) => tx.claimStreams('', [ids.stream()])))).toBeInstanceOf(RangeError);
        expect(await rejectionOf(store().transaction((tx) => tx.markHandled(consumer(), new Map([[ids.stream(), -1]]))))).toBeInstanceOf(RangeError);
        expect(await rejectionOf(store().transaction((tx) => tx.markHandled(consumer(), new Map([[ids.stream(), 1.5]]))))).toBeInstanceOf(RangeError);
      });

      // On PostgreSQL the second claimer is sent while the first transaction is still open, and is
      // held on the rows they share until it commits; PGlite runs one transaction at a time, so there
      // the second simply starts after the first. Either way it must read what the first one marked.
      it('makes a second claimer of an overlapping set wait for the first to commit, then read its marks', async () => {
        const [name, a, b, c] = [consumer(), ids.stream(), ids.stream(), ids.stream()];
        // The rows exist already, so it is the claim's lock, not a clash of inserts, that holds the second.
        await store().transaction((tx) => tx.claimStreams(name, [a, b]));
        let firstClaimed!: () => void;
        const claimedSignal = new Promise<void>((resolve) => (firstClaimed = resolve));
        const first = store().transaction(async (tx) => {
          await tx.claimStreams(name, [a, b]);
          firstClaimed();
          await tx.markHandled(name, new Map([[a, 4], [b, 2]]));
          // Held open long enough for the second claim to reach the database and queue.
          await new Promise((resolve) => setTimeout(resolve, 200));
        });
        await Promise.race([claimedSignal, first]);
        const second = store().transaction((tx) => tx.claimStreams(name, [c, b]));

        await first;
        expect(await second).toEqual(claimed([[b, 2], [c, 0]]));
      });

      it('lets concurrent claimers of overlapping sets, named in any order, each finish without deadlock and lose no mark', async () => {
        const name = consumer();
        const streams = [ids.stream(), ids.stream(), ids.stream()];
        const orders = [[0, 1, 2], [2, 1, 0], [1, 2, 0], [2, 0, 1], [0, 2, 1], [1, 0, 2]];
        // Each claims all three and marks each one further than it found it: a claimer that read
        // without waiting for another would mark the same version again, and a mark would be lost.
        await Promise.all(
          orders.map((order) =>
            store().transaction(async (tx) => {
              const found = await tx.claimStreams(
                name,
                order.map((index) => streams[index]),
              );
              for (const streamId of streams) await tx.markHandled(name, new Map([[streamId, (found.get(streamId) ?? 0) + 1]]));
            }),
          ),
        );
        expect(await store().transaction((tx) => tx.claimStreams(name, streams))).toEqual(new Map(streams.map((streamId) => [streamId, orders.length])));
      });
    });

    describe('reading all streams in global order', () => {
      it('returns events of every stream in commit order, paging with the checkpoint', async () => {
        const head = await readEverythingCommitted(current());
        const [one, two] = [ids.stream(), ids.stream()];
        const appended: NewEvent[] = [];
        const append = async (streamId: string, count: number): Promise<void> => {
          const events = Array.from({ length: count }, () => newEvent());
          await store().appendToStream(streamId, events, { expectedVersion: 'any' });
          appended.push(...events);
        };
        await append(one, 3);
        await append(two, 2);
        await append(one, 1);
        await waitUntilVisible(store(), head.checkpoint, appended.length);

        const pages: StoredEvent[][] = [];
        let checkpoint = head.checkpoint;
        for (;;) {
          const page = await store().readAll({ after: checkpoint, limit: 2 });
          if (page.events.length === 0) {
            expect(page.checkpoint).toBe(checkpoint);
            break;
          }
          expect(page.checkpoint).not.toBe(checkpoint);
          pages.push(page.events);
          checkpoint = page.checkpoint;
        }

        expect(pages.map((page) => page.length)).toEqual([2, 2, 2]);
        expect(pages.flat().map((event) => event.eventId)).toEqual(appended.map((event) => event.eventId));
        expect(pages.flat().map((event) => [event.streamId, event.streamVersion])).toEqual([
          [one, 1],
          [one, 2],
          [one, 3],
          [two, 1],
          [two, 2],
          [one, 4],
        ]);
      });

      it('returns stored events exactly as readStream does', async () => {
        const head = await readEverythingCommitted(current());
        const streamId = ids.stream();
        await store().appendToStream(streamId, [newEvent({ data: { any: ['json', 1, null] } })], { expectedVersion: 'no-stream' });

        const read = await waitUntilVisible(store(), head.checkpoint, 1);

        expect(read).toEqual((await store().readStream(streamId)).events);
      });

      it('reads from the beginning at START_CHECKPOINT, each event once', async () => {
        const streamId = ids.stream();
        const events = [newEvent(), newEvent()];
        await store().appendToStream(streamId, events, { expectedVersion: 'no-stream' });

        const all = (await readEverythingCommitted(current())).events;

        // Each event once: an event is (authority, eventId), and two authorities may share an id.
        const identities = all.map((event) => `${event.metadata.authority}|${event.eventId}`);
        expect(new Set(identities).size).toBe(identities.length);
        expect(all.map((event) => event.eventId)).toEqual(expect.arrayContaining(events.map((event) => event.eventId)));
      });

      it('returns nothing and the same checkpoint when nothing new is visible', async () => {
        const head = await readEverythingCommitted(current());
        await expect(store().readAll({ after: head.checkpoint, limit: 10 })).resolves.toEqual({ events: [], checkpoint: head.checkpoint });
      });

      it('refuses a checkpoint it did not issue, and a limit below 1', async () => {
        for (const checkpoint of ['banana', '12', '-1:3', '1:2:3', '']) {
          expect(await rejectionOf(store().readAll({ after: checkpoint, limit: 1 }))).toBeInstanceOf(InvalidCheckpoint);
        }
        expect(await rejectionOf(store().readAll({ after: START_CHECKPOINT, limit: 0 }))).toBeInstanceOf(RangeError);
      });
    });

    describe('subscription checkpoints', () => {
      it('starts a subscription it has never seen at START_CHECKPOINT', async () => {
        await expect(store().loadCheckpoint(ids.subscription())).resolves.toBe(START_CHECKPOINT);
      });

      it("stores the new checkpoint with the events `work` appended, and returns work's result", async () => {
        const subscription = ids.subscription();
        const streamId = ids.stream();
        const events = [newEvent(), newEvent()];

        const result = await store().withCheckpoint(subscription, { from: START_CHECKPOINT, to: 'to-1' }, async (tx) => {
          await tx.appendToStream(streamId, events, { expectedVersion: 'no-stream' });
          // Inside the transaction, its own appends are visible.
          return (await tx.readStream(streamId)).currentVersion;
        });

        expect(result).toBe(2);
        expect(await store().loadCheckpoint(subscription)).toBe('to-1');
        expect((await store().readStream(streamId)).events.map((event) => event.eventId)).toEqual(events.map((event) => event.eventId));

        await store().withCheckpoint(subscription, { from: 'to-1', to: 'to-2' }, async () => undefined);
        expect(await store().loadCheckpoint(subscription)).toBe('to-2');
      });

      it('keeps neither the events nor the checkpoint when work throws', async () => {
        const subscription = ids.subscription();
        await store().withCheckpoint(subscription, { from: START_CHECKPOINT, to: 'before' }, async () => undefined);
        const streamId = ids.stream();
        const failure = new Error('work failed half way');

        const error = await rejectionOf(
          store().withCheckpoint(subscription, { from: 'before', to: 'after' }, async (tx) => {
            await tx.appendToStream(streamId, [newEvent()], { expectedVersion: 'no-stream' });
            throw failure;
          }),
        );

        expect(error).toBe(failure);
        expect(await store().loadCheckpoint(subscription)).toBe('before');
        expect((await store().readStream(streamId)).currentVersion).toBe(0);
      });

      it('refuses to move a checkpoint that is no longer where the caller found it, without running work', async () => {
        const subscription = ids.subscription();
        await store().withCheckpoint(subscription, { from: START_CHECKPOINT, to: 'moved-by-another-runner' }, async () => undefined);
        const work = jest.fn(async (tx: EventStoreTransaction) => tx.appendToStream(ids.stream(), [newEvent()], { expectedVersion: 'any' }));

        const error = await rejectionOf(store().withCheckpoint(subscription, { from: START_CHECKPOINT, to: 'mine' }, work));

        expect(error).toBeInstanceOf(CheckpointConflict);
        expect(error).toMatchObject({ code: 'CHECKPOINT_CONFLICT', subscription, expected: START_CHECKPOINT, actual: 'moved-by-another-runner' });
        expect(work).not.toHaveBeenCalled();
        expect(await store().loadCheckpoint(subscription)).toBe('moved-by-another-runner');
      });

      it('lets exactly one of two runners move the same checkpoint, and keeps only its events', async () => {
        const subscription = ids.subscription();
        const streamId = ids.stream();
        const attempts = [newEvent(), newEvent()];

        const outcomes = await Promise.allSettled(
          attempts.map((event, index) =>
            store().withCheckpoint(subscription, { from: START_CHECKPOINT, to: `runner-${index}` }, (tx) =>
              tx.appendToStream(streamId, [event], { expectedVersion: 'any' }),
            ),
          ),
        );

        const winner = outcomes.findIndex((outcome) => outcome.status === 'fulfilled');
        expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
        expect(outcomes[1 - winner]).toMatchObject({ status: 'rejected', reason: expect.any(CheckpointConflict) });
        expect(await store().loadCheckpoint(subscription)).toBe(`runner-${winner}`);
        expect((await store().readStream(streamId)).events.map((event) => event.eventId)).toEqual([attempts[winner].eventId]);
      });

      it('undoes only a refused append when work catches its error and carries on', async () => {
        const subscription = ids.subscription();
        const streamId = ids.stream();
        const [first, stale, last] = [newEvent(), newEvent(), newEvent()];

        await store().withCheckpoint(subscription, { from: START_CHECKPOINT, to: 'done' }, async (tx) => {
          await tx.appendToStream(streamId, [first], { expectedVersion: 'no-stream' });
          expect(await rejectionOf(tx.appendToStream(streamId, [stale, newEvent()], { expectedVersion: 0 }))).toBeInstanceOf(StreamVersionConflict);
          expect(await rejectionOf(tx.appendToStream(streamId, [newEvent(), { ...first }], { expectedVersion: 1 }))).toBeInstanceOf(
            DuplicateEventId,
          );
          await tx.appendToStream(streamId, [last], { expectedVersion: 1 });
        });

        const { events } = await store().readStream(streamId);
        expect(events.map((event) => [event.eventId, event.streamVersion])).toEqual([
          [first.eventId, 1],
          [last.eventId, 2],
        ]);
        expect(await store().findRecordedEventIds('contract', [stale.eventId])).toEqual(new Set());
        expect(await store().loadCheckpoint(subscription)).toBe('done');
      });

      // The database refuses a NUL character in jsonb text ("unsupported Unicode escape sequence"):
      // an append it refuses for its content, not for a version or an id.
      it('keeps the transaction usable after an append the database refuses for its content, and keeps nothing of that append', async () => {
        const [kept, refused] = [ids.stream(), ids.stream()];
        const [first, bad, last] = [newEvent(), newEvent({ data: { note: 'a NUL \u0000 inside' } }), newEvent()];

        await store().transaction(async (tx) => {
          await tx.appendToStream(kept, [first], { expectedVersion: 'no-stream' });
          const error = await rejectionOf(tx.appendToStream(refused, [newEvent(), bad], { expectedVersion: 'no-stream' }));
          expect(error).toBeInstanceOf(Error);
          expect(error).not.toBeInstanceOf(StreamVersionConflict);
          await tx.appendToStream(kept, [last], { expectedVersion: 1 });
        });

        expect((await store().readStream(kept)).events.map((event) => event.eventId)).toEqual([first.eventId, last.eventId]);
        expect(await store().readStream(refused)).toEqual({ events: [], currentVersion: 0 });
        expect(await rejectionOf(store().appendToStream(refused, [bad], { expectedVersion: 'no-stream' }))).toBeInstanceOf(Error);
        expect(await store().readStream(refused)).toEqual({ events: [], currentVersion: 0 });
      });

      it('runs an append that work did not await inside the transaction: kept on success, undone when work throws', async () => {
        const kept = { streamId: ids.stream(), event: newEvent() };
        let keptAppend: Promise<unknown> | undefined;
        await store().withCheckpoint(ids.subscription(), { from: START_CHECKPOINT, to: 'x' }, async (tx) => {
          keptAppend = tx.appendToStream(kept.streamId, [kept.event], { expectedVersion: 'no-stream' });
        });
        await keptAppend;
        expect((await store().readStream(kept.streamId)).events.map((event) => event.eventId)).toEqual([kept.event.eventId]);

        const undone = { streamId: ids.stream(), event: newEvent() };
        const failure = new Error('work failed after starting an append');
        let undoneAppend: Promise<unknown> | undefined;
        const error = await rejectionOf(
          store().withCheckpoint(ids.subscription(), { from: START_CHECKPOINT, to: 'x' }, async (tx) => {
            undoneAppend = tx.appendToStream(undone.streamId, [undone.event], { expectedVersion: 'no-stream' });
            throw failure;
          }),
        );
        expect(error).toBe(failure);
        await undoneAppend?.catch(() => undefined);
        expect(await store().readStream(undone.streamId)).toEqual({ events: [], currentVersion: 0 });
        expect(await store().findRecordedEventIds('contract', [undone.event.eventId])).toEqual(new Set());
      });

      it('refuses use of the transaction-bound store once its transaction has ended', async () => {
        let leaked: EventStoreTransaction | undefined;
        await store().withCheckpoint(ids.subscription(), { from: START_CHECKPOINT, to: 'x' }, async (tx) => {
          leaked = tx;
        });

        expect(await rejectionOf(leaked!.readStream(ids.stream()))).toBeInstanceOf(TransactionFinished);
      });
    });

    describe('the database keeps events append-only', () => {
      let recorded: StoredEvent;
      beforeAll(async () => {
        const streamId = ids.stream();
        await store().appendToStream(streamId, [newEvent({ type: 'ICPCHeld' })], { expectedVersion: 'no-stream' });
        [recorded] = (await store().readStream(streamId)).events;
      });

      it('refuses UPDATE, even of no row', async () => {
        const sql = current().sql;
        await expect(sql.query("UPDATE events SET type = 'Tampered' WHERE event_id = $1", [recorded.eventId])).rejects.toThrow(
          'events are append-only: UPDATE refused',
        );
        await expect(sql.query("UPDATE events SET type = 'Tampered' WHERE false")).rejects.toThrow('events are append-only: UPDATE refused');
        expect((await store().readStream(recorded.streamId)).events).toEqual([recorded]);
      });

      it('refuses DELETE', async () => {
        await expect(current().sql.query('DELETE FROM events WHERE event_id = $1', [recorded.eventId])).rejects.toThrow(
          'events are append-only: DELETE refused',
        );
        expect((await store().readStream(recorded.streamId)).events).toEqual([recorded]);
      });

      it('refuses TRUNCATE', async () => {
        await expect(current().sql.query('TRUNCATE events')).rejects.toThrow('events are append-only: TRUNCATE refused');
        expect((await store().readStream(recorded.streamId)).events).toEqual([recorded]);
      });
    });

    describe('tamper evidence: each stream is a hash chain', () => {
      /** Checks every link of the stream as read back, recomputing each hash from the stored event. */
      function expectChained(events: StoredEvent[]): void {
        let previousHash = GENESIS_HASH;
        for (const event of events) {
          const integrity = integrityOf(event.metadata);
          expect(integrity).toEqual({ previousHash, hash: expect.stringMatching(SHA256_HEX) });
          expect(integrity!.hash).toBe(integrityHash(previousHash, event));
          previousHash = integrity!.hash;
        }
      }

      it('links each event of a batch to the one before it, the first to the genesis hash', async () => {
        const streamId = ids.stream();
        // Keys out of jsonb's order and nested, so the hash must not depend on the order they come back in.
        const batch = [
          newEvent({ data: { zebra: 1, apple: { y: [2, { b: 1, a: null }], x: 'ü 🧒' }, mm: -3e-7 } }),
          newEvent({ data: null, metadata: { source: 'liberi', correlationId: 'c-1' } }),
          newEvent({ data: [3, 'two', { one: 1 }] }),
        ];

        await store().appendToStream(streamId, batch, { expectedVersion: 'no-stream' });

        const { events } = await store().readStream(streamId);
        expect(integrityOf(events[0].metadata)?.previousHash).toBe(GENESIS_HASH);
        expectChained(events);
        expect(new Set(events.map((event) => integrityOf(event.metadata)?.hash)).size).toBe(3);
      });

      it('continues the chain across batches, including appends inside withCheckpoint', async () => {
        const streamId = ids.stream();
        await store().appendToStream(streamId, [newEvent(), newEvent()], { expectedVersion: 'no-stream' });
        await store().appendToStream(streamId, [newEvent()], { expectedVersion: 2 });
        await store().withCheckpoint(ids.subscription(), { from: START_CHECKPOINT, to: 'chained' }, async (tx) => {
          // A refused append inside the transaction must not move the chain on.
          await rejectionOf(tx.appendToStream(streamId, [newEvent()], { expectedVersion: 1 }));
          await tx.appendToStream(streamId, [newEvent(), newEvent()], { expectedVersion: 3 });
        });

        const { events } = await store().readStream(streamId);
        expect(events).toHaveLength(5);
        expectChained(events);
        expect(integrityOf(events[2].metadata)?.previousHash).toBe(integrityOf(events[1].metadata)?.hash);
      });

      it('keeps one chain per stream: interleaved appends do not link across streams', async () => {
        const [one, two] = [ids.stream(), ids.stream()];
        const same = { data: { identical: true } };
        await store().appendToStream(one, [newEvent(same)], { expectedVersion: 'any' });
        await store().appendToStream(two, [newEvent(same)], { expectedVersion: 'any' });
        await store().appendToStream(one, [newEvent(same)], { expectedVersion: 'any' });
        await store().appendToStream(two, [newEvent(same), newEvent(same)], { expectedVersion: 'any' });

        const [a, b] = [(await store().readStream(one)).events, (await store().readStream(two)).events];
        expectChained(a);
        expectChained(b);
        expect(integrityOf(b[0].metadata)?.previousHash).toBe(GENESIS_HASH);
        // The stream id and version are hashed: the same content elsewhere has another hash.
        expect(integrityOf(a[0].metadata)?.hash).not.toBe(integrityOf(b[0].metadata)?.hash);
      });

      it('replaces an integrity the caller supplies with its own', async () => {
        const streamId = ids.stream();
        const forged = { previousHash: 'f'.repeat(64), hash: 'e'.repeat(64) };
        await store().appendToStream(streamId, [newEvent({ metadata: { integrity: forged } })], { expectedVersion: 'no-stream' });

        const { events } = await store().readStream(streamId);
        expect(integrityOf(events[0].metadata)).not.toEqual(forged);
        expectChained(events);
      });

      it('verifyStore finds every chain in the store intact, counting each stream and event', async () => {
        const streamId = ids.stream();
        await store().appendToStream(streamId, [newEvent(), newEvent({ data: { b: [1, { d: 2, c: 3 }] } })], { expectedVersion: 'no-stream' });
        const [{ streams, events }] = await current().sql.query<{ streams: number; events: number }>(
          'SELECT count(DISTINCT stream_id)::integer AS streams, count(*)::integer AS events FROM events',
        );

        // A small page size, so the walk crosses page boundaries inside and between streams.
        await expect(verifyStore(current().sql, { pageSize: 3 })).resolves.toEqual({ ok: true, streams, events });
      });
    });

    describe('schema migrations', () => {
      it('does nothing, harmlessly, when run again on a current schema', async () => {
        const newest = Math.max(...MIGRATIONS.map((migration) => migration.version));
        const streamId = ids.stream();
        await store().appendToStream(streamId, [newEvent()], { expectedVersion: 'no-stream' });

        await expect(migrate(current().sql)).resolves.toEqual({ applied: [], version: newest });
        await expect(migrate(current().sql)).resolves.toEqual({ applied: [], version: newest });

        const versions = await current().sql.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
        expect(versions.map((row) => Number(row.version))).toEqual(MIGRATIONS.map((migration) => migration.version));
        expect((await store().readStream(streamId)).currentVersion).toBe(1);
      });
    });

    describe('durable timers and the transfer lookup', () => {
      it('keeps one timer per stream, replaced by the latest schedule and cleared by undefined', async () => {
        const [a, b] = [ids.stream(), ids.stream()];
        await store().withCheckpoint(ids.subscription(), { from: START_CHECKPOINT, to: 't1' }, async (tx) => {
          await tx.scheduleWake(a, '2031-01-10');
          await tx.scheduleWake(b, '2031-01-09');
          await tx.scheduleWake(a, '2031-01-08');
        });
        const mine = (wakes: { streamId: string }[]) => wakes.filter((w) => w.streamId === a || w.streamId === b);
        expect(mine(await store().dueWakes('2031-01-08', 1000))).toEqual([{ streamId: a, wakeOn: '2031-01-08' }]);
        expect(mine(await store().dueWakes('2031-01-09', 1000))).toEqual([
          { streamId: a, wakeOn: '2031-01-08' },
          { streamId: b, wakeOn: '2031-01-09' },
        ]);
        await store().withCheckpoint(ids.subscription(), { from: START_CHECKPOINT, to: 't2' }, (tx) => tx.scheduleWake(b, undefined));
        expect(mine(await store().dueWakes('2031-12-31', 1000))).toEqual([{ streamId: a, wakeOn: '2031-01-08' }]);
        await store().withWake({ streamId: a, wakeOn: '2031-01-08' }, async () => undefined);
      });

      it('writes the last timer a transaction set for each stream, and none of a transaction that failed', async () => {
        const [a, b, c] = [ids.stream(), ids.stream(), ids.stream()];
        await store().transaction(async (tx) => {
          await tx.scheduleWake(a, '2034-01-05');
          await tx.scheduleWake(b, '2034-01-05');
          await tx.scheduleWake(a, undefined);
          await tx.scheduleWake(b, '2034-01-06');
        });
        const failed = await rejectionOf(
          store().transaction(async (tx) => {
            await tx.scheduleWake(c, '2034-01-04');
            throw new Error('refused');
          }),
        );
        expect(failed).toMatchObject({ message: 'refused' });
        const mine = (await store().dueWakes('2034-12-31', 1000)).filter((w) => [a, b, c].includes(w.streamId));
        expect(mine).toEqual([{ streamId: b, wakeOn: '2034-01-06' }]);
        await store().withWake(mine[0], async () => undefined);
      });

      it('fires a timer once: its work commits with its removal, and a second firing does not run', async () => {
        const streamId = ids.stream();
        await store().withCheckpoint(ids.subscription(), { from: START_CHECKPOINT, to: 't' }, (tx) => tx.scheduleWake(streamId, '2032-02-02'));
        const wake = { streamId, wakeOn: '2032-02-02' };
        // Two firings race (two instances of a service): either may take the timer — the contract is
        // that exactly one runs, not which — so both do the same work and say which they were.
        const fire = (who: string) => store().withWake(wake, (tx) => tx.appendToStream(streamId, [newEvent()], { expectedVersion: 'no-stream' }).then(() => who));
        const [first, second] = await Promise.all([fire('first'), fire('second')]);
        expect([first, second].filter((r) => r !== undefined)).toHaveLength(1);
        expect((await store().readStream(streamId)).currentVersion).toBe(1);
        expect((await store().dueWakes('2032-02-02', 1000)).filter((w) => w.streamId === streamId)).toEqual([]);
      });

      it('keeps a timer whose work failed, to fire again', async () => {
        const streamId = ids.stream();
        await store().withCheckpoint(ids.subscription(), { from: START_CHECKPOINT, to: 't' }, (tx) => tx.scheduleWake(streamId, '2033-03-03'));
        await expect(store().withWake({ streamId, wakeOn: '2033-03-03' }, async () => Promise.reject(new Error('crash')))).rejects.toThrow('crash');
        expect((await store().dueWakes('2033-03-03', 1000)).filter((w) => w.streamId === streamId)).toEqual([{ streamId, wakeOn: '2033-03-03' }]);
        await store().withWake({ streamId, wakeOn: '2033-03-03' }, async () => undefined);
      });

      it("finds a family's streams in one authority only", async () => {
        const familyId = `F-${ids.event()}`;
        const [a, b, other] = [ids.stream(), ids.stream(), ids.stream()];
        await store().appendToStream(a, [newEvent({ metadata: { familyId } })], { expectedVersion: 'no-stream' });
        await store().appendToStream(b, [newEvent(), newEvent({ metadata: { familyId } })], { expectedVersion: 'no-stream' });
        await store().appendToStream(other, [newEvent({ metadata: { familyId, authority: 'elsewhere' } })], { expectedVersion: 'no-stream' });
        expect(await store().findFamilyStreams('contract', familyId)).toEqual([a, b].sort());
        await store().withCheckpoint(ids.subscription(), { from: START_CHECKPOINT, to: 'f' }, async (tx) => {
          expect(await tx.findFamilyStreams('elsewhere', familyId)).toEqual([other]);
        });
      });

      it("finds the stream of a proposed transfer by the transfer's id", async () => {
        const streamId = ids.stream();
        const transferId = `tr-${ids.event()}`;
        await store().appendToStream(streamId, [newEvent({ type: 'TransferProposed', data: { transferId }, metadata: { kind: 'decision' } })], { expectedVersion: 'no-stream' });
        expect(await store().findTransferStream(transferId)).toBe(streamId);
        expect(await store().findTransferStream(`${transferId}-unknown`)).toBeUndefined();
      });

      it("finds the stream an escalation was raised on by the escalation's id", async () => {
        const streamId = ids.stream();
        const escalationId = `esc-${ids.event()}`;
        await store().appendToStream(streamId, [newEvent({ type: 'EscalationRaised', data: { escalationId, rung: 1 }, metadata: { kind: 'decision' } })], { expectedVersion: 'no-stream' });
        expect(await store().findEscalationStream(escalationId)).toBe(streamId);
        expect(await store().findEscalationStream(`${escalationId}-unknown`)).toBeUndefined();
      });
    });

    // Registered only for adapters that say they keep data; the in-memory PGlite run has nothing to reopen.
    if (capabilities.keepsData) {
      describe('durability', () => {
        it('keeps events and checkpoints across close and reopen', async () => {
          const before = current();
          if (!before.reopen) throw new Error('an adapter that keeps data must give its contract target a reopen()');
          const streamId = ids.stream();
          const subscription = ids.subscription();
          await before.store.withCheckpoint(subscription, { from: START_CHECKPOINT, to: 'kept' }, (tx) =>
            tx.appendToStream(streamId, [newEvent(), newEvent()], { expectedVersion: 'no-stream' }),
          );
          const written = await before.store.readStream(streamId);
          const everything = await readEverythingCommitted(before);

          target = await before.reopen();

          expect(await store().readStream(streamId)).toEqual(written);
          expect(await store().loadCheckpoint(subscription)).toBe('kept');
          expect(await readEverythingCommitted(current())).toEqual(everything);
          await expect(store().appendToStream(streamId, [newEvent()], { expectedVersion: 2 })).resolves.toMatchObject({ nextExpectedVersion: 3 });
        });
      });
    }
  });
}

/** Ids unique to this run, so suites sharing a database (or rerun against one) never collide. */
const run = randomUUID().slice(0, 8);
let sequence = 0;
const ids = {
  stream: (): string => `child-contract-${run}-${++sequence}`,
  event: (): string => `event-${run}-${++sequence}`,
  subscription: (): string => `subscription-${run}-${++sequence}`,
};

function newEvent(overrides: { type?: string; data?: unknown; metadata?: Partial<NewEvent['metadata']> } = {}): NewEvent {
  return {
    eventId: ids.event(),
    type: overrides.type ?? 'CaseNoteRecorded',
    data: 'data' in overrides ? overrides.data : { note: 'contract' },
    metadata: { kind: 'fact', authority: 'contract', childId: 'C-1', occurredAt: '2026-03-02T10:00:00.000Z', ...overrides.metadata },
  };
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the operation to be refused, but it succeeded');
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

function isStrictlyIncreasing(positions: string[]): boolean {
  return positions.every((position, index) => index === 0 || BigInt(position) > BigInt(positions[index - 1]));
}

