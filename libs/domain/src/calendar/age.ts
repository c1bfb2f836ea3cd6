import type { LocalDate as JodaDate } from '@js-joda/core';
import { assertDuration, formatDuration, InvalidDuration, type Duration } from './duration';
import { compareLocalDates, fromJodaDate, toJodaDate, type LocalDate } from './local-date';

/** Completed years, then months, then days, as a person states an age ("15 years, 6 months and 3 days"). */
export interface Age {
  years: number;
  months: number;
  days: number;
}

/** An age asked for on a date before the birth. The dates stay out of the message: a date of birth is personal. */
export class DateBeforeBirth extends Error {
  readonly code = 'DATE_BEFORE_BIRTH';
  constructor(
    readonly dateOfBirth: LocalDate,
    readonly on: LocalDate,
  ) {
    super('the date is before the date of birth');
  }
}

/*
 * When is an age reached? Family Law Reform Act 1969 s.9: an age in years is attained at the
 * start of the relevant anniversary of the date of birth. A child born on 29 February has no
 * anniversary in a common year; English law is read as treating it as reached at the start of
 * 1 March (the day after 28 February, when the year is not yet complete). That reading is the
 * convention chosen here. Ages with months follow the same rule: the anniversary of the 31st in
 * a month of 30 days is the 1st of the next month, so a child born on 31 August 2010 is 15½ on
 * 1 March 2026, not on 28 February. (Deadlines clamp instead — see plusCalendarDuration.)
 */
function monthlyAnniversary(birth: JodaDate, months: number): JodaDate {
  const firstOfMonth = birth.withDayOfMonth(1).plusMonths(months);
  return birth.dayOfMonth() <= firstOfMonth.lengthOfMonth()
    ? firstOfMonth.withDayOfMonth(birth.dayOfMonth())
    : firstOfMonth.plusMonths(1);
}

/** The date a child reaches an age: 15 years 6 months → the day they are 15½. */
export function dateOfAge(dateOfBirth: LocalDate, age: Duration): LocalDate {
  assertAge(age);
  const birth = toJodaDate(dateOfBirth);
  return fromJodaDate(monthlyAnniversary(birth, age.years * 12 + age.months).plusDays(age.weeks * 7 + age.days));
}

/** True from the day the age is reached onwards (false before the birth). */
export function hasReachedAge(dateOfBirth: LocalDate, age: Duration, on: LocalDate): boolean {
  toJodaDate(on);
  return compareLocalDates(on, dateOfAge(dateOfBirth, age)) >= 0;
}

/** The age on a date, by the same anniversaries as dateOfAge; throws `DateBeforeBirth` before the birth. */
export function ageOn(dateOfBirth: LocalDate, on: LocalDate): Age {
  const birth = toJodaDate(dateOfBirth);
  const day = toJodaDate(on);
  if (day.isBefore(birth)) throw new DateBeforeBirth(dateOfBirth, on);
  // The anniversary for this many months falls in on's month or on the 1st of the next,
  // so at most one step back finds the last one reached.
  let months = (day.year() - birth.year()) * 12 + (day.monthValue() - birth.monthValue());
  let anniversary = monthlyAnniversary(birth, months);
  if (anniversary.isAfter(day)) {
    months -= 1;
    anniversary = monthlyAnniversary(birth, months);
  }
  return {
    years: Math.floor(months / 12),
    months: months % 12,
    days: day.toEpochDay() - anniversary.toEpochDay(),
  };
}

function assertAge(age: Duration): void {
  assertDuration(age);
  if (age.workingDays > 0) throw new InvalidDuration(formatDuration(age), 'an age is not counted in working days');
  if ((age.hours ?? 0) > 0) throw new InvalidDuration(formatDuration(age), 'an age is not counted in hours');
}
