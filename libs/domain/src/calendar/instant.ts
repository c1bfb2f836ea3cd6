import { LocalDate as JodaDate } from '@js-joda/core';
import { fromJodaDate, isLocalDate, type LocalDate } from './local-date';

/** An instant that is not an ISO 8601 date-time with an offset ('2026-03-29T23:30:00Z'). */
export class InvalidInstant extends Error {
  readonly code = 'INVALID_INSTANT';
  constructor(
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(`invalid instant ${JSON.stringify(value)}: ${reason}`);
  }
}

// An offset is required: a time without one names no instant. Years 1000–9999 keep Intl's output
// in the common era and the result a four-digit LocalDate.
const INSTANT_SHAPE =
  /^([1-9]\d{3}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

/**
 * The Europe/London calendar date of an instant: '2026-03-29T23:30:00Z' is 2026-03-30, because
 * British Summer Time began at 01:00 UTC that day.
 */
export function localDateOf(instant: string): LocalDate {
  const known = localDateByInstant.get(instant);
  if (known !== undefined) return known;
  const date = londonDateOf(instant);
  remember(localDateByInstant, instant, date);
  return date;
}

/*
 * Instants parsed once (issue 18): a child's history is walked by every decider, and each walk
 * reads every fact's `occurredAt` (its date for the rules, its instant for causal order), so the
 * same strings come back again and again. Memoised per string, bounded like the offset memo below
 * and holding only values of a pure function, so the core stays deterministic. A string that does
 * not parse is never remembered: it throws each time.
 */
const INSTANT_MEMO_LIMIT = 200_000;
const localDateByInstant = new Map<string, LocalDate>();
const epochMillisByInstant = new Map<string, number>();
const remember = <V>(memo: Map<string, V>, instant: string, value: V): void => {
  if (memo.size >= INSTANT_MEMO_LIMIT) memo.clear();
  memo.set(instant, value);
};

function londonDateOf(instant: string): LocalDate {
  const epochMs = epochMillisOf(instant);
  const londonDay = Math.floor((epochMs + londonOffsetMs(epochMs)) / MS_PER_DAY);
  const date = fromJodaDateOrUndefined(JodaDate.ofEpochDay(londonDay));
  if (date === undefined) throw new InvalidInstant(instant, 'its London date is after the year 9999');
  return date;
}

/** The instant as milliseconds since the epoch, for ordering instants written with different offsets. */
export function epochMillisOf(instant: string): number {
  const known = epochMillisByInstant.get(instant);
  if (known !== undefined) return known;
  const epochMs = parseEpochMillis(instant);
  remember(epochMillisByInstant, instant, epochMs);
  return epochMs;
}

function parseEpochMillis(instant: string): number {
  const match = typeof instant === 'string' ? INSTANT_SHAPE.exec(instant) : null;
  if (!match) throw new InvalidInstant(instant, "expected e.g. '2026-03-29T23:30:00Z' or '2026-03-30T00:30:00+01:00'");
  const [, date, hh, mm, ss = '0', fraction = '', zulu, sign, offsetHh, offsetMm] = match;
  if (!isLocalDate(date)) throw new InvalidInstant(instant, 'no such day');
  const hours = Number(hh);
  const minutes = Number(mm);
  const seconds = Number(ss);
  if (hours > 23 || minutes > 59 || seconds > 59) throw new InvalidInstant(instant, 'no such time of day');
  let offsetMinutes = 0;
  if (zulu === undefined) {
    if (Number(offsetHh) > 18 || Number(offsetMm) > 59) throw new InvalidInstant(instant, 'offset out of range');
    offsetMinutes = (sign === '-' ? -1 : 1) * (Number(offsetHh) * 60 + Number(offsetMm));
  }
  // Milliseconds are enough to place an instant on a calendar date; the rest of the fraction is dropped.
  const millis = Number(fraction.slice(0, 3).padEnd(3, '0'));
  const epochDay = JodaDate.of(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))).toEpochDay();
  return epochDay * MS_PER_DAY + ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis - offsetMinutes * MS_PER_MINUTE;
}

function fromJodaDateOrUndefined(date: JodaDate): LocalDate | undefined {
  return date.year() <= 9999 ? fromJodaDate(date) : undefined;
}

/*
 * London's offset from UTC, memoised per UTC hour. Intl's formatToParts costs microseconds and this
 * sits on the event hot path; events arrive clustered in time, so nearly every call is a hit. An
 * hour is a safe key because every Europe/London transition since 1848 happens on a UTC hour
 * (since 1996: 01:00 UTC on the last Sundays of March and October). The memo is bounded and only
 * ever holds values of a pure function, so the core stays deterministic.
 */
const londonWallClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});
const offsetByUtcHour = new Map<number, number>();
const OFFSET_MEMO_LIMIT = 100_000;

function londonOffsetMs(epochMs: number): number {
  const utcHour = Math.floor(epochMs / MS_PER_HOUR);
  let offset = offsetByUtcHour.get(utcHour);
  if (offset === undefined) {
    const hourStart = utcHour * MS_PER_HOUR;
    offset = londonWallClockMs(hourStart) - hourStart;
    if (offsetByUtcHour.size >= OFFSET_MEMO_LIMIT) offsetByUtcHour.clear();
    offsetByUtcHour.set(utcHour, offset);
  }
  return offset;
}

/** The London wall-clock reading at an instant, counted as if it were UTC milliseconds. */
function londonWallClockMs(epochMs: number): number {
  const part: Record<string, number> = {};
  for (const { type, value } of londonWallClock.formatToParts(epochMs)) part[type] = Number(value);
  const epochDay = JodaDate.of(part.year, part.month, part.day).toEpochDay();
  return epochDay * MS_PER_DAY + ((part.hour * 60 + part.minute) * 60 + part.second) * 1000;
}
