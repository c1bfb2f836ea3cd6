import { LocalDate as JodaDate } from '@js-joda/core';

/** A business date in Europe/London, 'YYYY-MM-DD'. Instants are ISO strings and named `…At`. */
export type LocalDate = string;

/**
 * A string that is not a real 'YYYY-MM-DD' date. The value stays out of the message: it may be a
 * date of birth, and messages end up in logs (STYLE.md "Logging").
 */
export class InvalidLocalDate extends Error {
  readonly code = 'INVALID_LOCAL_DATE';
  constructor(
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(`invalid local date: ${reason}`);
  }
}

// Four-digit years only: js-joda would also read '+10000-01-01', which is no LocalDate of ours.
const LOCAL_DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Why `value` is not a LocalDate, or undefined when it is one. */
function localDateProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'not a string';
  const match = LOCAL_DATE_SHAPE.exec(value);
  if (!match) return "expected 'YYYY-MM-DD'";
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12) return 'no such month';
  const monthLength = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  if (day < 1 || day > monthLength) return 'no such day in that month';
  return undefined;
}

/** True for a strict 'YYYY-MM-DD' string that names a real day (2026-02-30 is not one). */
export function isLocalDate(s: string): boolean {
  return localDateProblem(s) === undefined;
}

/** Reads a LocalDate into js-joda, or throws `InvalidLocalDate`. Internal to the calendar. */
export function toJodaDate(d: LocalDate): JodaDate {
  const problem = localDateProblem(d);
  if (problem !== undefined) throw new InvalidLocalDate(d, problem);
  // Checked above, so `of` cannot throw; it is much cheaper than js-joda's formatter-based parse.
  return JodaDate.of(Number(d.slice(0, 4)), Number(d.slice(5, 7)), Number(d.slice(8, 10)));
}

/** Writes a js-joda date back as a LocalDate. Internal to the calendar. */
export function fromJodaDate(date: JodaDate): LocalDate {
  const year = date.year();
  // Arithmetic can leave the four-digit range; js-joda would then print '+10000-…'.
  if (year < 0 || year > 9999) throw new InvalidLocalDate(date.toString(), 'outside the years 0000–9999');
  return date.toString();
}

/**
 * Orders two LocalDates: negative when a is earlier, 0 when equal, positive when later.
 * 'YYYY-MM-DD' sorts as text, so only the shape is checked (it is on the hot path).
 */
export function compareLocalDates(a: LocalDate, b: LocalDate): number {
  assertShape(a);
  assertShape(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

export function maxLocalDate(first: LocalDate, ...rest: LocalDate[]): LocalDate {
  return rest.reduce((max, d) => (compareLocalDates(d, max) > 0 ? d : max), assertShape(first));
}

export function minLocalDate(first: LocalDate, ...rest: LocalDate[]): LocalDate {
  return rest.reduce((min, d) => (compareLocalDates(d, min) < 0 ? d : min), assertShape(first));
}

function assertShape(d: LocalDate): LocalDate {
  if (typeof d !== 'string' || !LOCAL_DATE_SHAPE.test(d)) throw new InvalidLocalDate(d, "expected 'YYYY-MM-DD'");
  return d;
}
