import type { NewEvent } from './event-store.port';
import { assertValidExpectedVersion, repeatedEventIds } from './expected-version';

describe('expected version', () => {
  // Whether an expectation is met is decided in SQL, under the stream's lock (events_append,
  // migrations/append-function.ts); the contract suite checks each case against both stores.
  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses %j as an expected version', (expected) => {
    expect(() => assertValidExpectedVersion(expected)).toThrow(RangeError);
  });
});

describe('repeated event ids in one batch', () => {
  const event = (eventId: string): NewEvent => ({
    eventId,
    type: 'T',
    data: {},
    metadata: { kind: 'fact', authority: 'a', childId: 'c', occurredAt: '2026-01-01T00:00:00Z' },
  });

  it('names each id that occurs more than once, once', () => {
    expect(repeatedEventIds([event('a'), event('b'), event('a'), event('c'), event('a'), event('b')])).toEqual(['a', 'b']);
  });

  it('finds none in a batch of distinct ids', () => {
    expect(repeatedEventIds([event('a'), event('b')])).toEqual([]);
  });
});
