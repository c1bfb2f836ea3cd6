import { LocalDate as JodaDate } from '@js-joda/core';
import Holidays from 'date-holidays';
import type { LocalDate } from './local-date';

export interface BankHoliday {
  date: LocalDate;
  name: string;
}

interface YearOfBankHolidays {
  list: readonly BankHoliday[];
  epochDays: ReadonlySet<number>;
}

/*
 * England and Wales bank holidays come from date-holidays (country GB, state ENG), which is
 * maintained as new ones are proclaimed (2022's Platinum Jubilee and state funeral, 2023's
 * coronation). Two things it does that a working-day count must not copy:
 *  - it lists the holiday itself even when it falls at a weekend and adds a substitute day
 *    (2026: Boxing Day on Saturday 26 December, substitute Monday 28 December). The bank holiday
 *    is the substitute; gov.uk lists no weekend dates. So weekend dates are dropped.
 *  - it reads years below 100 as 19xx, and year 0 as the current year. Bank holidays began with
 *    the Bank Holidays Act 1871, so earlier years have none and the library is not asked.
 * Only type 'public' counts: the library's 'observance' days (Mother's Day …) are working days.
 *
 * Holidays are the same for every authority, so they are computed once per year per process (a
 * few milliseconds each) and shared by every WorkingCalendar; this memo holds only values of a
 * pure function, so the core stays deterministic.
 */
const FIRST_BANK_HOLIDAY_YEAR = 1871;
const LAST_YEAR = 9999;

let library: Holidays | undefined;
const byYear = new Map<number, YearOfBankHolidays>();

export function englandAndWalesBankHolidays(year: number): YearOfBankHolidays {
  let entry = byYear.get(year);
  if (entry === undefined) {
    entry = computeYear(year);
    byYear.set(year, entry);
  }
  return entry;
}

function computeYear(year: number): YearOfBankHolidays {
  if (!Number.isInteger(year) || year < 0 || year > LAST_YEAR) throw new RangeError(`year must be a whole number 0–${LAST_YEAR}`);
  if (year < FIRST_BANK_HOLIDAY_YEAR) return { list: [], epochDays: new Set() };
  library ??= new Holidays('GB', 'ENG');
  const list: BankHoliday[] = [];
  const epochDays = new Set<number>();
  for (const holiday of library.getHolidays(year)) {
    // `date` is 'YYYY-MM-DD hh:mm:ss', a wall-clock date independent of the process time zone.
    const date = holiday.date.slice(0, 10);
    if (holiday.type !== 'public' || !date.startsWith(`${String(year).padStart(4, '0')}-`)) continue;
    const day = JodaDate.parse(date);
    if (day.dayOfWeek().value() > 5 || epochDays.has(day.toEpochDay())) continue;
    epochDays.add(day.toEpochDay());
    list.push(Object.freeze({ date, name: holiday.name }));
  }
  list.sort((a, b) => (a.date < b.date ? -1 : 1));
  return { list: Object.freeze(list), epochDays };
}

/*
 * The year of an epoch day, for the working-day loops: a one-entry memo of the current year's
 * bounds, so stepping day by day allocates only when it crosses a new year.
 */
let memoYear = 1970;
let memoYearStart = 0;
let memoYearEnd = 365;

export function isBankHolidayEpochDay(epochDay: number): boolean {
  if (epochDay < memoYearStart || epochDay >= memoYearEnd) {
    memoYear = JodaDate.ofEpochDay(epochDay).year();
    memoYearStart = JodaDate.of(memoYear, 1, 1).toEpochDay();
    memoYearEnd = JodaDate.of(memoYear + 1, 1, 1).toEpochDay();
  }
  return englandAndWalesBankHolidays(memoYear).epochDays.has(epochDay);
}
