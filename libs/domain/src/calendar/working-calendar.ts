import { LocalDate as JodaDate } from '@js-joda/core';
import { englandAndWalesBankHolidays, isBankHolidayEpochDay, type BankHoliday } from './bank-holidays';
import { assertDuration, InvalidDuration, plusCalendarDuration, type Duration } from './duration';
import { fromJodaDate, toJodaDate, type LocalDate } from './local-date';

export type { BankHoliday } from './bank-holidays';

export interface WorkingCalendarOptions {
  /** An authority's own closure days (e.g. a council's Christmas shutdown), on top of bank holidays. */
  extraNonWorkingDays?: LocalDate[];
}

export type Direction = 'after' | 'before';

/**
 * England and Wales working days: Monday to Friday, less bank holidays and the authority's own
 * non-working days. Construction is cheap (bank holidays are loaded lazily, once per year per
 * process); lookups work on epoch-day numbers so the loops allocate nothing per day.
 */
export class WorkingCalendar {
  private readonly extraNonWorkingEpochDays: ReadonlySet<number>;

  constructor(options: WorkingCalendarOptions = {}) {
    this.extraNonWorkingEpochDays = new Set((options.extraNonWorkingDays ?? []).map((d) => toJodaDate(d).toEpochDay()));
  }

  isWorkingDay(d: LocalDate): boolean {
    return this.isWorkingEpochDay(toJodaDate(d).toEpochDay());
  }

  /** England and Wales bank holidays of a year, in date order (weekend dates replaced by their substitutes). */
  bankHolidays(year: number): BankHoliday[] {
    return englandAndWalesBankHolidays(year).list.map((holiday) => ({ ...holiday }));
  }

  /**
   * The n-th working day after d (d itself is not counted), or before d when n < 0; n = 0 gives d.
   * Friday 1 May 2026 + 10 = Monday 18 May 2026, as Monday 4 May is a bank holiday.
   */
  addWorkingDays(d: LocalDate, n: number): LocalDate {
    if (!Number.isSafeInteger(n)) throw new InvalidDuration(String(n), 'working days must be a whole number');
    let epochDay = toJodaDate(d).toEpochDay();
    if (n === 0) return d;
    const step = n > 0 ? 1 : -1;
    for (let remaining = Math.abs(n); remaining > 0; ) {
      epochDay += step;
      if (this.isWorkingEpochDay(epochDay)) remaining -= 1;
    }
    return fromJodaDate(JodaDate.ofEpochDay(epochDay));
  }

  /**
   * d moved by a duration: working days by the working-day rule, anything else by calendar
   * arithmetic (months clamp to the month's end: 31 Jan + 1 month = 28 or 29 Feb).
   */
  add(d: LocalDate, duration: Duration, direction: Direction): LocalDate {
    assertDuration(duration);
    const sign = signOf(direction);
    if (duration.workingDays > 0) return this.addWorkingDays(d, sign * duration.workingDays);
    return fromJodaDate(plusCalendarDuration(toJodaDate(d), duration, sign));
  }

  /**
   * Working days after a up to and including b. When b < a, minus the working days from b up to but
   * not including a: the mirror image, so that for any d and n,
   * workingDaysBetween(d, addWorkingDays(d, n)) === n, whichever the sign of n.
   */
  workingDaysBetween(a: LocalDate, b: LocalDate): number {
    const from = toJodaDate(a).toEpochDay();
    const to = toJodaDate(b).toEpochDay();
    let count = 0;
    if (to >= from) {
      for (let epochDay = from + 1; epochDay <= to; epochDay++) if (this.isWorkingEpochDay(epochDay)) count++;
      return count;
    }
    for (let epochDay = to; epochDay < from; epochDay++) if (this.isWorkingEpochDay(epochDay)) count++;
    return -count;
  }

  private isWorkingEpochDay(epochDay: number): boolean {
    // 1970-01-01 (epoch day 0) was a Thursday: 0 = Monday … 5 = Saturday, 6 = Sunday.
    const dayOfWeek = (((epochDay + 3) % 7) + 7) % 7;
    if (dayOfWeek >= 5) return false;
    return !this.extraNonWorkingEpochDays.has(epochDay) && !isBankHolidayEpochDay(epochDay);
  }
}

function signOf(direction: Direction): 1 | -1 {
  switch (direction) {
    case 'after':
      return 1;
    case 'before':
      return -1;
    default: {
      const unknown: never = direction;
      throw new RangeError(`direction must be 'after' or 'before', not ${String(unknown)}`);
    }
  }
}
