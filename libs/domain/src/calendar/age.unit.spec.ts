import { LocalDate as JodaDate } from '@js-joda/core';
import fc from 'fast-check';
import { ageOn, DateBeforeBirth, dateOfAge, hasReachedAge, parseDuration } from './index';

const age = parseDuration;

describe('dateOfAge — the day a child reaches an age', () => {
  it.each([
    ['2010-09-14', '15 years 6 months', '2026-03-14', '000 ¶20: transfer considered at 15½'],
    ['2010-09-14', '17½ years', '2028-03-14', '001: Pathway Advisor allocated at 17½'],
    ['2010-09-14', '18 years', '2028-09-14', 'the 18th birthday'],
    ['2008-02-29', '18 years', '2026-03-01', 'a 29 February birth: 1 March in a common year'],
    ['2008-02-29', '20 years', '2028-02-29', 'a 29 February birth: 29 February in a leap year'],
    ['2008-02-29', '15½ years', '2023-08-29', 'a 29 February birth, half a year on'],
    ['2010-08-31', '15½ years', '2026-03-01', 'no 31 February: the start of 1 March'],
    ['2010-08-31', '17½ years', '2028-03-01', 'no 31 February in a leap year either'],
    ['2010-03-31', '15 years 6 months', '2025-10-01', 'no 31 September'],
    ['2026-05-01', '13 weeks', '2026-07-31', 'weeks count as 7 days'],
    ['2026-05-01', '0 days', '2026-05-01', 'age zero on the day of birth'],
  ])('born %s, %s on %s (%s)', (dob, text, expected) => expect(dateOfAge(dob, age(text))).toBe(expected));

  it('refuses an age in working days', () =>
    expect(() => dateOfAge('2010-09-14', age('10 working days'))).toThrow(
      expect.objectContaining({ code: 'INVALID_DURATION', reason: expect.stringContaining('working days') }),
    ));

  it('refuses a date of birth that does not exist', () =>
    expect(() => dateOfAge('2010-02-29', age('18 years'))).toThrow(expect.objectContaining({ code: 'INVALID_LOCAL_DATE' })));
});

describe('hasReachedAge', () => {
  it.each([
    ['2010-09-14', '15½ years', '2026-03-13', false],
    ['2010-09-14', '15½ years', '2026-03-14', true],
    ['2010-09-14', '18 years', '2028-09-13', false],
    ['2010-09-14', '18 years', '2028-09-14', true],
    ['2008-02-29', '18 years', '2026-02-28', false],
    ['2008-02-29', '18 years', '2026-03-01', true],
    ['2010-09-14', '0 days', '2010-09-13', false],
  ])('born %s, %s on %s: %s', (dob, text, on, expected) => expect(hasReachedAge(dob, age(text), on)).toBe(expected));
});

describe('ageOn — completed years, months and days', () => {
  it.each([
    ['2010-09-14', '2026-03-13', { years: 15, months: 5, days: 27 }],
    ['2010-09-14', '2026-03-14', { years: 15, months: 6, days: 0 }],
    ['2010-09-14', '2028-09-14', { years: 18, months: 0, days: 0 }],
    ['2010-09-14', '2010-09-14', { years: 0, months: 0, days: 0 }],
    ['2008-02-29', '2009-02-28', { years: 0, months: 11, days: 30 }],
    ['2008-02-29', '2009-03-01', { years: 1, months: 0, days: 0 }],
    ['2010-08-31', '2026-02-28', { years: 15, months: 5, days: 28 }],
  ])('born %s, on %s', (dob, on, expected) => expect(ageOn(dob, on)).toEqual(expected));

  it('refuses a date before the birth', () => expect(() => ageOn('2010-09-14', '2010-09-13')).toThrow(DateBeforeBirth));

  it('agrees with dateOfAge: the age on a day, added to the birth, gives that day', () => {
    const epochDay = fc.integer({ min: 7305, max: 47481 }); // 1990–2099
    fc.assert(
      fc.property(epochDay, fc.nat(9000), (birth, daysLater) => {
        const dob = JodaDate.ofEpochDay(birth).toString();
        const on = JodaDate.ofEpochDay(birth + daysLater).toString();
        const { years, months, days } = ageOn(dob, on);
        expect(months).toBeLessThan(12);
        expect(dateOfAge(dob, { years, months, weeks: 0, days, workingDays: 0 })).toBe(on);
        expect(hasReachedAge(dob, { years, months, weeks: 0, days: 0, workingDays: 0 }, on)).toBe(true);
      }),
    );
  });
});
