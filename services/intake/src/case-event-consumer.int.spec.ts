import { EventEmitter } from 'node:events';
import { CaseEventValidator } from '@cto/contracts';
import type { CaseEvent } from '@cto/domain';
import type { EventStore } from '@cto/event-store';
import { DEAD_LETTER_HEADERS, InProcessBus, TOPICS, type ReceivedMessage } from '@cto/messaging';
import { loadPolicyPacks, PackRegistry } from '@cto/policy-packs';
import { loadConfig, Metrics } from '@cto/runtime';
import { CaseEventConsumer, VALUE_OMITTED_HEADER } from './case-event-consumer';
import { CaseEventRecorder, EventIdReused } from './case-event-recorder';

/*
 * Found by test/e2e/case-events.fuzz.int.spec.ts: a message of JSON nested thousands of levels deep
 * is rejected by the checks, but writing it back to the dead-letter topic (JSON.stringify) threw,
 * so the handler crashed on every attempt and held up its partition. The real in-process bus
 * encodes exactly as the Kafka one does, so it shows the same failure.
 */
describe('CaseEventConsumer on hostile messages', () => {
  const bus = new InProcessBus();
  // Nothing hostile may reach the store: any use of it fails the test.
  const store = new Proxy({}, { get: (_t, name) => () => Promise.reject(new Error(`the store was used (${String(name)})`)) }) as EventStore;
  const metrics = new Metrics(store);
  const recorder = new CaseEventRecorder(new CaseEventValidator<CaseEvent>(), new PackRegistry(loadPolicyPacks()), store, new EventEmitter(), metrics, loadConfig({}));
  const consumer = new CaseEventConsumer(bus, recorder, metrics);
  const deadLetters: ReceivedMessage[] = [];

  beforeAll(async () => {
    await bus.subscribe({ topic: TOPICS.deadLetter, groupId: 'test-dlq', fromBeginning: true, handler: async (m) => void deadLetters.push(m) });
  });
  afterAll(() => bus.close());

  const received = (value: unknown, offset: string): ReceivedMessage => ({ topic: TOPICS.caseEvents, partition: 0, offset, key: 'k', value, headers: { ce_id: `id-${offset}` } });
  const deadLetterOf = async (offset: string): Promise<ReceivedMessage> => {
    for (let i = 0; i < 100; i++) {
      const found = deadLetters.find((m) => m.headers[DEAD_LETTER_HEADERS.originalOffset] === offset);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no dead letter for offset ${offset}`);
  };

  it('dead-letters JSON nested too deep to write back, without its value, instead of crashing', async () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 20_000; i++) deep = [deep];

    await expect(consumer.handle(received(deep, '1'))).resolves.toBeUndefined();

    const dead = await deadLetterOf('1');
    expect(dead.value).toBeNull();
    expect(dead.headers[VALUE_OMITTED_HEADER]).toContain('cannot be written back as JSON');
    expect(dead.headers.ce_id).toBe('id-1');
    expect(JSON.parse(dead.headers[DEAD_LETTER_HEADERS.reason])).toEqual([{ path: '', reason: expect.any(String) }]);
  });

  it('keeps the value of an ordinary hostile message', async () => {
    await consumer.handle(received({ eventId: 'x', type: 'Nonsense' }, '2'));

    const dead = await deadLetterOf('2');
    expect(dead.value).toEqual({ eventId: 'x', type: 'Nonsense' });
    expect(dead.headers[VALUE_OMITTED_HEADER]).toBeUndefined();
  });

  it('counts each dead letter in cto_case_events_dead_lettered_total', async () => {
    expect(await metrics.scrape([])).toMatch(/^cto_case_events_dead_lettered_total 2$/m);
  });
});

/*
 * A partition's batch is recorded in one transaction; a message whose event id the authority has
 * already used for another fact can never be recorded, so it alone is dead-lettered and the rest
 * of the batch is recorded without it (a stub recorder stands in for the store here).
 */
describe('CaseEventConsumer on a batch with a reused event id', () => {
  it('dead-letters that message only and records the others in one go', async () => {
    const bus = new InProcessBus();
    const deadLetters: ReceivedMessage[] = [];
    await bus.subscribe({ topic: TOPICS.deadLetter, groupId: 'test-dlq', fromBeginning: true, handler: async (m) => void deadLetters.push(m) });
    const recorded: string[][] = [];
    const recorder = {
      check: (value: unknown) => ({ accepted: [value as CaseEvent], problems: [] }),
      recordAll: async (events: CaseEvent[]) => {
        const reusedAt = events.findIndex((e) => e.eventId === 'reused');
        if (reusedAt >= 0) throw new EventIdReused([{ index: reusedAt, eventId: 'reused', errors: [{ eventId: 'reused', path: '/eventId', reason: 'used before' }] }]);
        recorded.push(events.map((e) => e.eventId));
        return events.map((e) => ({ eventId: e.eventId, status: 'recorded' as const }));
      },
    } as unknown as CaseEventRecorder;
    const consumer = new CaseEventConsumer(bus, recorder, new Metrics({} as EventStore));
    const message = (eventId: string, offset: string): ReceivedMessage => ({ topic: TOPICS.caseEvents, partition: 0, offset, key: 'k', value: { eventId }, headers: { ce_id: eventId } });

    await consumer.handleBatch([message('first', '0'), message('reused', '1'), message('third', '2')]);

    expect(recorded).toEqual([['first', 'third']]);
    for (let i = 0; i < 100 && !deadLetters.length; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(deadLetters.map((m) => [m.headers.ce_id, m.headers[DEAD_LETTER_HEADERS.originalOffset]])).toEqual([['reused', '1']]);
    expect(JSON.parse(deadLetters[0].headers[DEAD_LETTER_HEADERS.reason])).toEqual([{ path: '/eventId', reason: 'used before' }]);
    await bus.close();
  });
});
