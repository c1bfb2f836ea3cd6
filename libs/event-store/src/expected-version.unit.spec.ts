import type { NewEvent } from './event-store.port';
import { assertValidExpectedVersion, expectedVersionMatches, repeatedEventIds } from './expected-version';

describe('expected version', () => {
  it.each([
    ['any', 0, true],
    ['any', 7, true],
    ['no-stream', 0, true],
    ['no-stream', 1, false],
    [0, 0, true],
    [3, 3, true],
    [2, 3, false],
    [4, 3, false],
  ] as const)('expected %j against actual %j → %j', (expected, actual, matches) => {
    expect(expectedVersionMatches(expected, actual)).toBe(matches);
  });

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
