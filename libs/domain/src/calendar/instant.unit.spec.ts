import { InvalidInstant, localDateOf } from './index';

// 2026: British Summer Time runs from 01:00 UTC on Sunday 29 March to 01:00 UTC on Sunday 25 October.
describe('localDateOf — the Europe/London date of an instant', () => {
  it.each([
    ['2026-03-29T00:30:00Z', '2026-03-29', 'GMT, before the clocks go forward'],
    ['2026-03-28T23:30:00Z', '2026-03-28', 'GMT: UTC and London agree'],
    ['2026-03-29T23:30:00Z', '2026-03-30', 'BST: 00:30 the next day in London'],
    ['2026-03-29T22:59:59.999999999Z', '2026-03-29', 'BST: one nanosecond before London midnight'],
    ['2026-03-29T23:00:00.000Z', '2026-03-30', 'BST: London midnight exactly'],
    ['2026-10-24T23:30:00Z', '2026-10-25', 'still BST on the last night'],
    ['2026-10-25T23:30:00Z', '2026-10-25', 'GMT again after 01:00 UTC on 25 October'],
    ['2026-06-30T23:30:00-01:00', '2026-07-01', 'an offset west of UTC'],
    ['2026-01-01T00:30:00+01:00', '2025-12-31', 'an offset east of UTC, in winter'],
    ['2026-07-01T00:30:00+01:00', '2026-07-01', 'a BST offset in summer'],
    ['2026-05-01T09:00Z', '2026-05-01', 'seconds omitted'],
  ])('%s is %s (%s)', (instant, expected) => expect(localDateOf(instant)).toBe(expected));

  it.each([
    ['2026-03-29', 'a date, not an instant'],
    ['2026-03-29T23:30:00', 'no offset: it names no instant'],
    ['2026-02-30T10:00:00Z', 'no such day'],
    ['2026-03-29T24:00:00Z', 'no hour 24'],
    ['2026-03-29T10:60:00Z', 'no minute 60'],
    ['2026-03-29T10:00:00+25:00', 'offset out of range'],
    ['2026-03-29 10:00:00Z', 'space instead of T'],
    ['yesterday', 'not a date at all'],
    ['', 'empty'],
  ])('rejects %s (%s)', (instant) => {
    expect(() => localDateOf(instant)).toThrow(InvalidInstant);
    expect(() => localDateOf(instant)).toThrow(expect.objectContaining({ code: 'INVALID_INSTANT', value: instant }));
  });
});
