/**
 * A reader paging through the log one event at a time sees every event once, in order, across
 * positions whose decimal forms sort differently from their values (9 → 10, 99 → 100). readAll once
 * sorted by the text forms of its columns (a bare ORDER BY name means the output column), so "10"
 * came before "2" and a checkpoint passed over 2–9. On a fresh store positions start at 1, so the
 * boundaries fall inside this test.
 */
import { openPgliteEventStore } from './open-pglite-event-store';
import { START_CHECKPOINT, type NewEvent } from './event-store.port';
import { whyPgliteCannotStartUnderJest } from './testing';

const problem = whyPgliteCannotStartUnderJest();

describe('readAll order', () => {
  it('pages through 120 events of one transaction and several others, one at a time, missing and repeating none', async () => {
    if (problem) throw new Error(problem);
    const store = await openPgliteEventStore();
    try {
      const event = (n: number): NewEvent => ({
        eventId: `order-${n}`,
        type: 'CaseNoteRecorded',
        data: { n },
        metadata: { kind: 'fact', authority: 'order', childId: `C-${n % 3}`, occurredAt: '2026-03-02T10:00:00.000Z' },
      });
      await store.appendToStream('child-order-a', Array.from({ length: 105 }, (_, i) => event(i + 1)), { expectedVersion: 'no-stream' });
      for (let n = 106; n <= 120; n++) await store.appendToStream(`child-order-${n}`, [event(n)], { expectedVersion: 'no-stream' });

      const seen: number[] = [];
      for (let after = START_CHECKPOINT; ; ) {
        const { events, checkpoint } = await store.readAll({ after, limit: 1 });
        if (!events.length) break;
        seen.push((events[0].data as { n: number }).n);
        after = checkpoint;
      }
      expect(seen).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    } finally {
      await store.close();
    }
  });
});
