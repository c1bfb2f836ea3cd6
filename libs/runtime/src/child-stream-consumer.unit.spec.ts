/**
 * The batch rules every deciding service shares (child-stream-consumer.ts), against a stub
 * transaction: which streams a batch reconciles, in what order, from which mark, what it marks,
 * and how a conflicting append makes one stream run again from a fresh read. The store's own side
 * (claims, marks, reads) is the event-store contract suite's.
 */
import { EventEmitter } from 'node:events';
import { StreamVersionConflict, type EventStore, type EventStoreTransaction, type StoredEvent } from '@cto/event-store';
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
  return { store, asked, marked, streams };
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

  it('reads a conflicting child again and reconciles it afresh in the same transaction', async () => {
    const { consumer, asked, marked } = consumerOver({ 'child/demo/A': 1, 'child/demo/B': 1 }, {}, ['child/demo/A']);
    await consumer.handleBatch([message('child/demo/A', 1, 0), message('child/demo/B', 1, 1)], 'fact');

    expect(consumer.runs).toEqual(['child/demo/A at 1 from 0', 'child/demo/A at 2 from 0', 'child/demo/B at 1 from 0']);
    expect(asked).toContain('reread child/demo/A');
    expect([...marked]).toEqual([
      ['child/demo/A', 3],
      ['child/demo/B', 2],
    ]);
  });

  it('opens no transaction for a batch of nothing it concerns or nothing the outbox published', async () => {
    const { consumer, asked } = consumerOver({ 'child/demo/A': 1 }, {});
    const foreign: ReceivedMessage = { ...message('child/demo/A', 1, 0), headers: {} };
    await consumer.handleBatch([foreign, message('child/demo/A', 1, 1, 'Unconcerning')], 'fact');

    expect(asked).toEqual([]);
    expect(consumer.runs).toEqual([]);
  });
});
