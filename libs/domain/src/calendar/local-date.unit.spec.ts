import { compareLocalDates, InvalidLocalDate, isLocalDate, maxLocalDate, minLocalDate } from './index';

describe('isLocalDate — strict YYYY-MM-DD naming a real day', () => {
  it.each(['2026-01-01', '2024-02-29', '2000-02-29', '2026-04-30', '2026-12-31', '0001-01-01', '9999-12-31'])(
    'accepts %s',
    (s) => expect(isLocalDate(s)).toBe(true),
  );

  it.each([
    ['2026-02-30', 'no 30 February'],
    ['2026-02-29', '2026 is not a leap year'],
    ['1900-02-29', '1900 is not a leap year'],
    ['2026-04-31', 'April has 30 days'],
    ['2026-13-01', 'no month 13'],
    ['2026-00-10', 'no month 0'],
    ['2026-01-00', 'no day 0'],
    ['2026-1-01', 'month not two digits'],
    ['26-01-01', 'year not four digits'],
    ['+2026-01-01', 'signed year'],
    [' 2026-01-01', 'leading space'],
    ['2026-01-01T00:00:00Z', 'an instant, not a date'],
    ['2026/01/01', 'wrong separator'],
    ['', 'empty'],
  ])('rejects %s (%s)', (s) => expect(isLocalDate(s)).toBe(false));

  it('rejects a value that is not a string', () => expect(isLocalDate(20260101 as unknown as string)).toBe(false));
});

describe('comparing LocalDates', () => {
  it('orders by date', () => {
    expect(compareLocalDates('2026-05-01', '2026-05-18')).toBeLessThan(0);
    expect(compareLocalDates('2026-05-18', '2026-05-01')).toBeGreaterThan(0);
    expect(compareLocalDates('2026-05-18', '2026-05-18')).toBe(0);
    expect(compareLocalDates('2025-12-31', '2026-01-01')).toBeLessThan(0);
  });

  it('finds the latest and the earliest', () => {
    expect(maxLocalDate('2026-05-18', '2027-01-04', '2026-12-28')).toBe('2027-01-04');
    expect(minLocalDate('2026-05-18', '2027-01-04', '2026-12-28')).toBe('2026-05-18');
    expect(maxLocalDate('2026-05-18')).toBe('2026-05-18');
  });

  it('refuses something that is not a LocalDate', () => {
    expect(() => compareLocalDates('2026-5-1', '2026-05-18')).toThrow(InvalidLocalDate);
    expect(() => maxLocalDate('2026-05-18', 'tomorrow')).toThrow(expect.objectContaining({ code: 'INVALID_LOCAL_DATE' }));
  });
});
