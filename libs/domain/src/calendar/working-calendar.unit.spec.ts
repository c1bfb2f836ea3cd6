import { LocalDate as JodaDate } from '@js-joda/core';
import fc from 'fast-check';
import { InvalidDuration, InvalidLocalDate, parseDuration, WorkingCalendar } from './index';

const calendar = new WorkingCalendar();

describe('England and Wales bank holidays (date-holidays, GB/ENG, public only)', () => {
  it('2026 has exactly 1 Jan, 3 Apr, 6 Apr, 4 May, 25 May, 31 Aug, 25 Dec, 28 Dec', () =>
    expect(calendar.bankHolidays(2026).map((h) => h.date)).toEqual([
      '2026-01-01',
      '2026-04-03',
      '2026-04-06',
      '2026-05-04',
      '2026-05-25',
      '2026-08-31',
      '2026-12-25',
      '2026-12-28',
    ]));

  it('keeps the substitute, not the Saturday, when Boxing Day 2026 falls at the weekend', () => {
    expect(calendar.bankHolidays(2026)).toContainEqual({ date: '2026-12-28', name: 'Boxing Day (substitute day)' });
    expect(calendar.bankHolidays(2026).map((h) => h.date)).not.toContain('2026-12-26');
  });

  it('follows proclaimed changes: VE day 2020, Platinum Jubilee and state funeral 2022, coronation 2023', () => {
    const dates = (year: number) => calendar.bankHolidays(year).map((h) => h.date);
    expect(dates(2020)).toContain('2020-05-08');
    expect(dates(2020)).not.toContain('2020-05-04');
    expect(dates(2022)).toEqual(expect.arrayContaining(['2022-06-02', '2022-06-03', '2022-09-19']));
    expect(dates(2023)).toContain('2023-05-08');
  });

  it('moves both Christmas holidays when 25 and 26 December 2021 fall at the weekend', () =>
    expect(calendar.bankHolidays(2021).map((h) => h.date).slice(-2)).toEqual(['2021-12-27', '2021-12-28']));

  it('has none before the Bank Holidays Act 1871', () => expect(calendar.bankHolidays(1870)).toEqual([]));

  it('hands out copies, so a caller cannot change the shared cache', () => {
    calendar.bankHolidays(2026)[0].date = '2026-01-02';
    expect(calendar.bankHolidays(2026)[0].date).toBe('2026-01-01');
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2026-05-01', true, 'a Friday'],
    ['2026-05-02', false, 'a Saturday'],
    ['2026-05-03', false, 'a Sunday'],
    ['2026-05-04', false, 'the Early May bank holiday'],
    ['2026-03-15', false, "Mother's Day is an observance and a Sunday"],
    ['2026-12-28', false, 'a substitute day'],
    ['2026-12-24', true, 'Christmas Eve is not a bank holiday'],
  ])('%s is %s (%s)', (d, expected) => expect(calendar.isWorkingDay(d)).toBe(expected));

  it("treats an authority's own closure day as non-working", () =>
    expect(new WorkingCalendar({ extraNonWorkingDays: ['2026-12-24'] }).isWorkingDay('2026-12-24')).toBe(false));

  it('rejects a date that does not exist', () => {
    expect(() => calendar.isWorkingDay('2026-02-30')).toThrow(InvalidLocalDate);
    expect(() => new WorkingCalendar({ extraNonWorkingDays: ['2026-13-01'] })).toThrow(InvalidLocalDate);
  });
});

describe('addWorkingDays — d itself is not counted', () => {
  it.each([
    ['2026-05-01', 10, '2026-05-18', 'Friday 1 May + 10 skips the 4 May bank holiday'],
    ['2026-08-27', 10, '2026-09-11', '000 ¶12: ICPC on Thursday 27 Aug, skipping the August bank holiday'],
    ['2026-12-23', 3, '2026-12-30', 'across Christmas: 24, then 29 and 30 December'],
    ['2026-12-18', 10, '2027-01-06', 'across Christmas and New Year'],
    ['2026-05-02', 1, '2026-05-05', 'from a Saturday before a bank holiday Monday'],
    ['2026-05-01', 0, '2026-05-01', 'zero gives d'],
    ['2026-05-02', 0, '2026-05-02', 'zero gives d even when d is not a working day'],
    ['2026-05-18', -10, '2026-05-01', 'backwards'],
    ['2026-05-05', -1, '2026-05-01', 'backwards over a bank holiday weekend'],
    ['2026-05-02', -1, '2026-05-01', 'backwards from a Saturday'],
    ['2027-01-04', -2, '2026-12-30', 'backwards across New Year'],
  ])('%s + %i = %s (%s)', (d, n, expected) => expect(calendar.addWorkingDays(d, n)).toBe(expected));

  it("moves a due date when the authority closes for a day of its own", () => {
    const authority = new WorkingCalendar({ extraNonWorkingDays: ['2026-05-11'] });
    expect(authority.addWorkingDays('2026-05-01', 10)).toBe('2026-05-19');
    expect(calendar.addWorkingDays('2026-05-01', 10)).toBe('2026-05-18');
  });

  it('moves past a Christmas shutdown', () => {
    const shutdown = new WorkingCalendar({ extraNonWorkingDays: ['2026-12-24', '2026-12-29', '2026-12-30', '2026-12-31'] });
    expect(shutdown.addWorkingDays('2026-12-23', 3)).toBe('2027-01-06');
  });

  it('rejects a count that is not a whole number', () =>
    expect(() => calendar.addWorkingDays('2026-05-01', 1.5)).toThrow(InvalidDuration));
});

describe('add — a duration before or after a date', () => {
  it.each([
    ['2026-05-01', '10 working days', 'after', '2026-05-18'],
    ['2026-05-18', '10 working days', 'before', '2026-05-01'],
    ['2026-01-31', '1 month', 'after', '2026-02-28'],
    ['2028-01-31', '1 month', 'after', '2028-02-29'],
    ['2026-03-31', '1 month', 'before', '2026-02-28'],
    ['2026-08-31', '6 months', 'after', '2027-02-28'],
    ['2028-02-29', '1 year', 'after', '2029-02-28'],
    ['2010-08-31', '15 years 6 months', 'after', '2026-02-28'],
    ['2026-05-01', '3 weeks', 'after', '2026-05-22'],
    ['2026-05-01', '5 days', 'before', '2026-04-26'],
    ['2026-05-02', '0 days', 'after', '2026-05-02'],
    ['2026-01-31', '1 month 1 day', 'after', '2026-03-01'],
  ] as const)('%s + %s %s = %s', (d, text, direction, expected) =>
    expect(calendar.add(d, parseDuration(text), direction)).toBe(expected));

  // HOURS_ON_DATES: the facts carry dates, not times of day, so hours give the date the moment can
  // first fall on, whatever the time of the anchor: after, whole days rounded down; before, up.
  it.each([
    // 004 CFF 11: headline information "at least 48 hours before the panel meeting". A panel on
    // Thursday 14 May 2026: by Tuesday 12 May (48 hours before a panel at any hour is on that Tuesday).
    ['2026-05-14', '48 hours', 'before', '2026-05-12'],
    // 36 hours before a 9 a.m. panel is 9 p.m. on the Tuesday; before a 6 p.m. one, the Wednesday: the Tuesday.
    ['2026-05-14', '36 hours', 'before', '2026-05-12'],
    ['2026-05-14', '1 hour', 'before', '2026-05-13'],
    // Hours are clock hours: 48 hours before a Monday panel (6 April 2026, Easter Monday) is the Saturday.
    ['2026-04-06', '48 hours', 'before', '2026-04-04'],
    // 004 MASH 1: "6 hours" after a contact on Monday 11 May: due that Monday; 24 hours: the Tuesday.
    ['2026-05-11', '6 hours', 'after', '2026-05-11'],
    ['2026-05-11', '24 hours', 'after', '2026-05-12'],
    ['2026-05-11', '47 hours', 'after', '2026-05-12'],
    ['2026-05-08', '72 hours', 'after', '2026-05-11'],
  ] as const)('%s and %s %s: %s', (d, text, direction, expected) => expect(calendar.add(d, parseDuration(text), direction)).toBe(expected));

  it('refuses a hand-built duration mixing working days with other units', () =>
    expect(() =>
      calendar.add('2026-05-01', { years: 0, months: 0, weeks: 1, days: 0, workingDays: 2 }, 'after'),
    ).toThrow(expect.objectContaining({ code: 'INVALID_DURATION' })));
});

describe('workingDaysBetween — working days after a up to and including b', () => {
  it.each([
    ['2026-05-01', '2026-05-18', 10],
    ['2026-05-01', '2026-05-01', 0],
    ['2026-05-01', '2026-05-04', 0],
    ['2026-05-01', '2026-05-05', 1],
    ['2026-12-23', '2027-01-04', 5],
    ['2026-05-18', '2026-05-01', -10],
  ])('%s → %s is %i', (a, b, expected) => expect(calendar.workingDaysBetween(a, b)).toBe(expected));
});

describe('working-day properties', () => {
  // Dates 1990–2099; the closures stand for an authority's own non-working days.
  const localDate = fc.integer({ min: 7305, max: 47481 }).map((epochDay) => JodaDate.ofEpochDay(epochDay).toString());
  const authority = new WorkingCalendar({ extraNonWorkingDays: ['2026-12-24', '2026-12-29', '2026-12-30', '2026-12-31'] });

  it.each([
    ['England and Wales', calendar],
    ['an authority with a Christmas shutdown', authority],
  ])('%s: n > 0 working days on is a working day, n working days after d', (_, cal) =>
    fc.assert(
      fc.property(localDate, fc.integer({ min: 1, max: 300 }), (d, n) => {
        const due = cal.addWorkingDays(d, n);
        expect(cal.isWorkingDay(due)).toBe(true);
        expect(cal.workingDaysBetween(d, due)).toBe(n);
      }),
    ));

  it('counts back the same way: workingDaysBetween(d, addWorkingDays(d, -n)) === -n', () =>
    fc.assert(
      fc.property(localDate, fc.integer({ min: 1, max: 300 }), (d, n) => {
        const earlier = calendar.addWorkingDays(d, -n);
        expect(calendar.isWorkingDay(earlier)).toBe(true);
        expect(calendar.workingDaysBetween(d, earlier)).toBe(-n);
      }),
    ));
});
