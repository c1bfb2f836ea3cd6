import type { LocalDate as JodaDate } from '@js-joda/core';

/**
 * A timescale as a policy pack states it ("10 working days", "15 years 6 months", "48 hours"). Every
 * field but `hours` is present and a whole number ≥ 0. Working days stand alone: they need a
 * calendar, the others do not. Hours stand alone too, and are counted on dates (HOURS_ON_DATES).
 */
export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  workingDays: number;
  /** Left out: none. 004 CFF 11 "at least 48 hours before the panel meeting"; MASH 1 "6 hours". */
  hours?: number;
}

/** Text (or a hand-built Duration, shown in canonical text) that is not a duration, and why. */
export class InvalidDuration extends Error {
  readonly code = 'INVALID_DURATION';
  constructor(
    readonly text: string,
    readonly reason: string,
  ) {
    super(`invalid duration ${JSON.stringify(text)}: ${reason}`);
  }
}

type Unit = keyof Duration;
/** Units that stand alone: each needs its own way of counting, so none mixes with another unit. */
const ALONE: readonly Unit[] = ['workingDays', 'hours'];

// Largest first: the order a pack must write them in, and the order formatDuration prints them.
const CALENDAR_UNITS: readonly Exclude<Unit, 'workingDays' | 'hours'>[] = ['years', 'months', 'weeks', 'days'];
const UNIT_WORDS: Record<Unit, { one: string; many: string }> = {
  years: { one: 'year', many: 'years' },
  months: { one: 'month', many: 'months' },
  weeks: { one: 'week', many: 'weeks' },
  days: { one: 'day', many: 'days' },
  workingDays: { one: 'working day', many: 'working days' },
  hours: { one: 'hour', many: 'hours' },
};

/*
 * HOURS_ON_DATES. Every fact carries a business date, never a time of day (a meeting is scheduled
 * "on" a date; a referral occurred on a date), and every due date is a date. So a timescale in
 * hours is counted as the date on which the moment can first fall, whatever the time of day of
 * its anchor: N hours after day D is due by D + floor(N / 24) (6 hours after a contact on Monday:
 * Monday; 24 hours: Tuesday), and N hours before day D by D − ceil(N / 24) (004 CFF 11, "at least
 * 48 hours before the panel meeting" on a Thursday: by the Tuesday; 36 hours before: also the
 * Tuesday, since a 9 a.m. panel needs it by 9 p.m. on the Tuesday). Never later than the procedure
 * allows for any time of day. Hours are whole clock hours: "working hours" are refused, since no
 * fact says which hours of a day were worked.
 */
const HOURS_IN_A_DAY = 24;

/*
 * One part of a duration: a whole number, an optional half ("17½ years", "15 1/2 years", as the seed
 * documents write it), then a unit, singular or plural. "calendar days" is accepted as plain days.
 * Parts may be joined by spaces, "and" or commas ("15 years and 6 months").
 */
const PART = /(\d+)?\s*(½|1\/2)?\s*(working\s+days?|working\s+hours?|calendar\s+days?|years?|months?|weeks?|days?|hours?)(?![a-z])(?:\s*,\s*|\s+and\s+|\s+|$)/y;
const HALF_YEAR_IN_MONTHS = 6;

/** Reads a pack's timescale; throws `InvalidDuration` with the reason a manager can act on. */
export function parseDuration(text: string): Duration {
  if (typeof text !== 'string') throw new InvalidDuration(String(text), 'not text');
  const normalised = text.trim().toLowerCase();
  if (normalised === '') throw new InvalidDuration(text, 'empty; write e.g. "10 working days" or "6 months"');

  const duration: Duration = { years: 0, months: 0, weeks: 0, days: 0, workingDays: 0 };
  const seen: Unit[] = [];
  let halfYear = false;
  PART.lastIndex = 0;
  while (PART.lastIndex < normalised.length) {
    const at = PART.lastIndex;
    const match = PART.exec(normalised);
    if (!match || (match[1] === undefined && match[2] === undefined)) {
      throw new InvalidDuration(
        text,
        `cannot read "${normalised.slice(at)}": expected a whole number and a unit (years, months, weeks, days, working days, hours), e.g. "15 years 6 months"; write a half year as "17½ years"`,
      );
    }
    const [, digits, half, word] = match;
    if (/^working\s+hour/.test(word)) {
      throw new InvalidDuration(text, 'working hours cannot be counted: the facts carry dates, not times of day; write working days (e.g. "2 working days") or hours (e.g. "48 hours")');
    }
    const unit = unitOf(word);
    const amount = digits === undefined ? 0 : Number(digits);
    if (!Number.isSafeInteger(amount)) throw new InvalidDuration(text, `${digits} is too large`);
    if (half !== undefined && unit !== 'years') {
      throw new InvalidDuration(text, `½ is only allowed with years (½ year = 6 months), not with ${UNIT_WORDS[unit].many}`);
    }
    if (seen.includes(unit)) throw new InvalidDuration(text, `${UNIT_WORDS[unit].many} given twice`);
    const alone = ALONE.find((u) => u === unit || seen.includes(u));
    if (seen.length > 0 && alone) throw new InvalidDuration(text, `${UNIT_WORDS[alone].many} cannot be combined with other units`);
    const last = seen[seen.length - 1];
    if (last !== undefined && unitRank(unit) < unitRank(last)) {
      throw new InvalidDuration(text, 'units must run from largest to smallest: years, months, weeks, days');
    }
    seen.push(unit);
    duration[unit] = amount;
    if (half !== undefined) {
      halfYear = true;
      duration.months += HALF_YEAR_IN_MONTHS;
    }
  }

  if (halfYear && seen.includes('months')) {
    throw new InvalidDuration(text, '½ year already means 6 months; write whole years and months instead, e.g. "17 years 8 months"');
  }
  return duration;
}

function unitOf(word: string): Unit {
  if (word.startsWith('working')) return 'workingDays';
  if (word.startsWith('hour')) return 'hours';
  if (word.startsWith('calendar') || word.startsWith('day')) return 'days';
  if (word.startsWith('year')) return 'years';
  if (word.startsWith('month')) return 'months';
  return 'weeks';
}

function unitRank(unit: Unit): number {
  // Working days and hours stand alone (checked before the order), so their rank only has to be consistent.
  return unit === 'workingDays' || unit === 'hours' ? CALENDAR_UNITS.length : CALENDAR_UNITS.indexOf(unit);
}

/** The canonical text of a duration, which parseDuration reads back: "15 years 6 months", "1 working day". */
export function formatDuration(d: Duration): string {
  assertDuration(d);
  if (d.workingDays > 0) return phrase(d.workingDays, 'workingDays');
  if ((d.hours ?? 0) > 0) return phrase(d.hours ?? 0, 'hours');
  const parts = CALENDAR_UNITS.filter((unit) => d[unit] > 0).map((unit) => phrase(d[unit], unit));
  return parts.length === 0 ? phrase(0, 'days') : parts.join(' ');
}

function phrase(amount: number, unit: Unit): string {
  return `${amount} ${amount === 1 ? UNIT_WORDS[unit].one : UNIT_WORDS[unit].many}`;
}

/**
 * Checks a Duration built by hand (parseDuration's output always passes). The text in the error
 * is a plain rendering, as the object may not be formattable.
 */
export function assertDuration(d: Duration): void {
  const units: Exclude<Unit, 'hours'>[] = [...CALENDAR_UNITS, 'workingDays'];
  for (const unit of units) {
    const amount = d?.[unit];
    if (!Number.isSafeInteger(amount) || amount < 0) {
      throw new InvalidDuration(JSON.stringify(d), `${unit} must be a whole number ≥ 0`);
    }
  }
  if (d.hours !== undefined && (!Number.isSafeInteger(d.hours) || d.hours < 0)) {
    throw new InvalidDuration(JSON.stringify(d), 'hours must be a whole number ≥ 0');
  }
  if (d.workingDays > 0 && (CALENDAR_UNITS.some((unit) => d[unit] > 0) || (d.hours ?? 0) > 0)) {
    throw new InvalidDuration(JSON.stringify(d), 'working days cannot be combined with other units');
  }
  if ((d.hours ?? 0) > 0 && CALENDAR_UNITS.some((unit) => d[unit] > 0)) {
    throw new InvalidDuration(JSON.stringify(d), 'hours cannot be combined with other units');
  }
}

/**
 * Calendar arithmetic (no working days): years and months together as one count of months, then
 * weeks and days, as java.time's Period does. Months clamp to the month's end (31 Jan + 1 month =
 * 28 or 29 Feb), which is how a deadline "one month after" is read. Hours count as the date the
 * moment can first fall on (HOURS_ON_DATES): whole days after, rounded down; before, rounded up.
 * Internal to the calendar.
 */
export function plusCalendarDuration(date: JodaDate, d: Duration, sign: 1 | -1): JodaDate {
  const months = d.years * 12 + d.months;
  const hours = d.hours ?? 0;
  const hoursAsDays = sign > 0 ? Math.floor(hours / HOURS_IN_A_DAY) : Math.ceil(hours / HOURS_IN_A_DAY);
  const days = d.weeks * 7 + d.days + hoursAsDays;
  return date.plusMonths(sign * months).plusDays(sign * days);
}
