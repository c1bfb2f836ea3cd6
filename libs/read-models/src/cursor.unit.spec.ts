import { decodeCursor, encodeCursor, InvalidCursor } from './reporting-queries';

const cursorOf = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

describe('transfer list cursors', () => {
  it('reads back what it wrote', () => {
    const key = { proposedAt: '2026-05-01T09:30:00.123456Z', transferId: 'tr-07b742a7a622b702398baa6fc619' };
    expect(decodeCursor(encodeCursor(key))).toEqual(key);
    expect(decodeCursor(cursorOf(['2028-02-29T23:59:59.999999Z', 'tr-1']))).toEqual({ proposedAt: '2028-02-29T23:59:59.999999Z', transferId: 'tr-1' });
  });

  // Issue 15: each of these reached the query and answered 500.
  it.each([
    ['an impossible month, day and time', ['2026-13-45T25:61:61.000000Z', 'x']],
    ['month and day zero', ['0000-00-00T00:00:00.000000Z', 'x']],
    ['30 February', ['2026-02-30T00:00:00.000000Z', 'x']],
    ['29 February in a common year', ['2026-02-29T00:00:00.000000Z', 'x']],
    ['year zero', ['0000-01-01T00:00:00.000000Z', 'x']],
    ['a NUL in the transfer id', ['2026-05-01T10:00:00.000000Z', 'a\u0000b']],
    ['an empty transfer id', ['2026-05-01T10:00:00.000000Z', '']],
    ['a number for the instant', [1777626000000, 'x']],
    ['milliseconds only', ['2026-05-01T10:00:00.000Z', 'x']],
    ['three parts', ['2026-05-01T10:00:00.000000Z', 'x', 'y']],
  ])('refuses %s', (_what, key) => {
    expect(() => decodeCursor(cursorOf(key))).toThrow(InvalidCursor);
  });

  it('refuses what is not base64url JSON', () => {
    expect(() => decodeCursor('not-a-cursor')).toThrow(InvalidCursor);
  });
});
