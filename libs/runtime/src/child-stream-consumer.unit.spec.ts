/**
 * The batch rules every deciding service shares (child-stream-consumer.ts), against a stub
 * transaction: which streams a batch reconciles, in what order, from which mark, what it marks,
 * and how a conflicting append makes one stream run again from a fresh read. The store's own side
 * (claims, marks, reads) is the event-store contract suite's.
 */
import { EventEmitter } from 'node:events';
import { DuplicateEventId, StreamVersionConflict, type AppendOutcome, type EventStore, type EventStoreTransaction, type StoredEvent, type StreamAppend } from '@cto/event-store';
import type { Decision } from '@cto/domain';
import { TOPICS, type ReceivedMessage } from '@cto/messaging';
import { ChildStreamConsumer, ConsumerInfrastructure, type ChildStream } from './child-stream-consumer';
import { loadConfig } from './config';
import { STREAM_VERSION_HEADER, type StreamPosition } from './outbox-relay';

const event = (streamId: string, streamVersion: number): StoredEvent => ({
  eventId: `${streamId}#${streamVersion}`,
  type: 'ICPCHeld',
  data: {},
  metadata: { kind: 'fact', authority: 'demo', childId: streamId, occurredAt: '2026-05-01T09:00:00Z' },
  streamId,
  streamVersion,
  globalPosition: String(streamVersion),
  recordedAt: '2026-05-01T09:00:00.000Z',
});

const message = (streamId: string, version: number, offset: number, type = 'ICPCHeld'): ReceivedMessage => ({
  topic: TOPICS.recordedFacts,
  partition: 0,
  offset: String(offset),
  key: streamId,
  value: {},
  headers: { ce_subject: streamId, ce_type: type, [STREAM_VERSION_HEADER]: String(version) },
});

/** A store whose streams are lists of versions, with the consumer's marks; records what was asked of it. */
function stubStore(streams: Record<string, number>, marks: Record<string, number>) {
  const asked: string[] = [];
  const marked = new Map<string, number>();
  const read = (id: string) => {
    const events = Array.from({ length: streams[id] ?? 0 }, (_, i) => event(id, i + 1));
    return { events, currentVersion: events.length };
  };
  const tx = {
    claimStreams: async (_consumer: string, ids: readonly string[]) => {
      asked.push(`claim ${[...ids].join(',')}`);
      return new Map(ids.map((id) => [id, marks[id] ?? 0]));
    },
    readStreams: async (ids: readonly string[]) => {
      asked.push(`read ${ids.join(',')}`);
      return new Map(ids.map((id) => [id, read(id)]));
    },
    readStream: async (id: string) => {
      asked.push(`reread ${id}`);
      return read(id);
    },
    markHandled: async (_consumer: string, m: ReadonlyMap<string, number>) => {
      for (const [id, version] of m) marked.set(id, version);
    },
  } as unknown as EventStoreTransaction;
  const store = { transaction: async <T>(work: (t: EventStoreTransaction) => Promise<T>) => work(tx) } as unknown as EventStore;
  return { store, tx, asked, marked, streams };
}

/** Reconciles by "appending" one event, except where told to conflict first. */
class RecordingConsumer extends ChildStreamConsumer {
  readonly runs: string[] = [];
  constructor(
    infrastructure: ConsumerInfrastructure,
    private readonly streams: Record<string, number>,
    private readonly conflictsOnce: Set<string>,
  ) {
    super('test-consumer', infrastructure);
  }
  protected concerns(event: Pick<StreamPosition, 'kind' | 'type'>): boolean {
    return event.type !== 'Unconcerning';
  }
  protected async reconcileStream(_tx: EventStoreTransaction, stream: ChildStream, handledUpTo: number): Promise<number> {
    this.runs.push(`${stream.streamId} at ${stream.currentVersion} from ${handledUpTo}`);
    if (this.conflictsOnce.delete(stream.streamId)) {
      // Another writer appended meanwhile: the stream is one longer than what was read.
      this.streams[stream.streamId] = stream.currentVersion + 1;
      throw new StreamVersionConflict(stream.streamId, stream.currentVersion, stream.currentVersion + 1);
    }
    this.streams[stream.streamId] = stream.currentVersion + 1;
    return stream.currentVersion + 1;
  }
}

function consumerOver(streams: Record<string, number>, marks: Record<string, number>, conflictsOnce: string[] = []) {
  const stub = stubStore(streams, marks);
  const infrastructure = { store: stub.store, wake: new EventEmitter(), config: loadConfig({}) } as unknown as ConsumerInfrastructure;
  return { ...stub, consumer: new RecordingConsumer(infrastructure, streams, new Set(conflictsOnce)) };
}

describe('ChildStreamConsumer: a partition batch in one transaction', () => {
  it('reconciles each named child once, in stream id order, from its mark, and marks it at its new version', async () => {
    const { consumer, asked, marked } = consumerOver({ 'child/demo/B': 3, 'child/demo/A': 2 }, {});
    await consumer.handleBatch([message('child/demo/B', 2, 0), message('child/demo/A', 1, 1), message('child/demo/B', 3, 2), message('child/demo/A', 2, 3)], 'fact');

    expect(asked).toEqual(['claim child/demo/B,child/demo/A', 'read child/demo/A,child/demo/B']);
    expect(consumer.runs).toEqual(['child/demo/A at 2 from 0', 'child/demo/B at 3 from 0']);
    expect([...marked]).toEqual([
      ['child/demo/A', 3],
      ['child/demo/B', 4],
    ]);
  });

  it('skips a child already handled up to the newest message of it (a redelivery), and reconciles the rest from their marks', async () => {
    const { consumer, marked } = consumerOver({ 'child/demo/A': 5, 'child/demo/B': 4 }, { 'child/demo/A': 5, 'child/demo/B': 2 });
    await consumer.handleBatch([message('child/demo/A', 4, 0), message('child/demo/B', 3, 1)], 'fact');

    expect(consumer.runs).toEqual(['child/demo/B at 4 from 2']);
    expect([...marked]).toEqual([['child/demo/B', 5]]);
  });

  it('reads a conflicting child again and reconciles it afresh in the same transaction, once the others are done', async () => {
    const { consumer, asked, marked } = consumerOver({ 'child/demo/A': 1, 'child/demo/B': 1 }, {}, ['child/demo/A']);
    await consumer.handleBatch([message('child/demo/A', 1, 0), message('child/demo/B', 1, 1)], 'fact');

    expect(consumer.runs).toEqual(['child/demo/A at 1 from 0', 'child/demo/B at 1 from 0', 'child/demo/A at 2 from 0']);
    expect(asked).toContain('reread child/demo/A');
    expect(marked).toEqual(
      new Map([
        ['child/demo/A', 3],
        ['child/demo/B', 2],
      ]),
    );
  });

  it('opens no transaction for a batch of nothing it concerns or nothing the outbox published', async () => {
    const { consumer, asked } = consumerOver({ 'child/demo/A': 1 }, {});
    const foreign: ReceivedMessage = { ...message('child/demo/A', 1, 0), headers: {} };
    await consumer.handleBatch([foreign, message('child/demo/A', 1, 1, 'Unconcerning')], 'fact');

    expect(asked).toEqual([]);
    expect(consumer.runs).toEqual([]);
  });
});

/**
 * A batch's appends go to the store together, in one appendToStreams call, once every stream is
 * reconciled (issue 14: one append per child was most of a batch's round trips).
 */
describe('ChildStreamConsumer: a batch\'s appends in one round trip', () => {
  const escalated = (streamId: string): Decision => ({
    type: 'AllocationRequired',
    data: { ruleId: 'named-worker', ruleVersion: 1, packId: 'p', packVersion: '1', citation: 'c', reason: `no worker for ${streamId}`, dueBy: null },
  });

  /** Records one decision on each stream it reconciles, as the services do, through `record`. */
  class DecidingConsumer extends ChildStreamConsumer {
    readonly runs: string[] = [];
    constructor(infrastructure: ConsumerInfrastructure) {
      super('deciding', infrastructure);
    }
    protected concerns(): boolean {
      return true;
    }
    protected reconcileStream(tx: EventStoreTransaction, stream: ChildStream): Promise<number> {
      this.runs.push(`${stream.streamId} at ${stream.currentVersion}`);
      return this.record(tx, stream.streamId, [escalated(stream.streamId)], stream.events[stream.events.length - 1], stream.currentVersion);
    }
  }

  function over(streams: Record<string, number>, answer: (appends: readonly StreamAppend[]) => AppendOutcome[]) {
    const stub = stubStore(streams, {});
    const calls: string[] = [];
    Object.assign(stub.tx, {
      appendToStreams: async (appends: readonly StreamAppend[]) => {
        calls.push(`appendToStreams ${appends.map((a) => `${a.streamId}@${String(a.expectedVersion)}`).join(',')}`);
        return answer(appends);
      },
      appendToStream: async (streamId: string, events: unknown[], { expectedVersion }: { expectedVersion: number }) => {
        calls.push(`appendToStream ${streamId}@${expectedVersion}`);
        streams[streamId] = expectedVersion + events.length;
        return { nextExpectedVersion: expectedVersion + events.length, globalPositions: [] };
      },
    });
    const infrastructure = { store: stub.store, wake: new EventEmitter(), config: loadConfig({}), clock: { now: () => '2026-05-01T10:00:00Z' } } as unknown as ConsumerInfrastructure;
    return { ...stub, calls, consumer: new DecidingConsumer(infrastructure) };
  }
  const recorded = (a: StreamAppend): AppendOutcome => ({ ok: true, result: { nextExpectedVersion: Number(a.expectedVersion) + a.events.length, globalPositions: [] } });

  it('sends every stream\'s decisions in one call at the versions read, and marks each at its version after them', async () => {
    const { consumer, calls, marked } = over({ 'child/demo/A': 1, 'child/demo/B': 2 }, (appends) => appends.map(recorded));
    await consumer.handleBatch([message('child/demo/A', 1, 0), message('child/demo/B', 2, 1)], 'fact');

    expect(calls).toEqual(['appendToStreams child/demo/A@1,child/demo/B@2']);
    expect(marked).toEqual(new Map([['child/demo/A', 2], ['child/demo/B', 3]]));
  });

  it('reconciles again, read afresh and appended at once, a stream whose append found it moved on; the others stand', async () => {
    const streams = { 'child/demo/A': 1, 'child/demo/B': 1 };
    const { consumer, calls, marked, asked } = over(streams, (appends) =>
      appends.map((a) => {
        if (a.streamId !== 'child/demo/A') return recorded(a);
        streams['child/demo/A'] = 2; // a manager's decision landed meanwhile
        return { ok: false, error: new StreamVersionConflict('child/demo/A', 1, 2) };
      }),
    );
    await consumer.handleBatch([message('child/demo/A', 1, 0), message('child/demo/B', 1, 1)], 'fact');

    expect(consumer.runs).toEqual(['child/demo/A at 1', 'child/demo/B at 1', 'child/demo/A at 2']);
    expect(asked).toContain('reread child/demo/A');
    expect(calls).toEqual(['appendToStreams child/demo/A@1,child/demo/B@1', 'appendToStream child/demo/A@2']);
    expect(marked).toEqual(new Map([['child/demo/A', 3], ['child/demo/B', 2]]));
  });

  it('fails the batch (nothing marked) when an append is refused for any other reason', async () => {
    const { consumer, marked } = over({ 'child/demo/A': 1 }, () => [{ ok: false, error: new DuplicateEventId(['x']) }]);
    await expect(consumer.handleBatch([message('child/demo/A', 1, 0)], 'fact')).rejects.toBeInstanceOf(DuplicateEventId);
    expect(marked.size).toBe(0);
  });
});
