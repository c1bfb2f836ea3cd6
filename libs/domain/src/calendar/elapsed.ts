import { assertDuration, formatDuration, InvalidDuration, plusCalendarDuration, type Duration } from './duration';
import { compareLocalDates, fromJodaDate, toJodaDate, type LocalDate } from './local-date';
import type { WorkingCalendar } from './working-calendar';

/**
 * True when `to` is strictly after `from` + duration: "involvement extended beyond 6 months".
 * A duration in working days needs the authority's calendar; calendar units do not.
 */
export function isLongerThan(from: LocalDate, to: LocalDate, duration: Duration, calendar?: WorkingCalendar): boolean {
  return compareLocalDates(toLocalDate(to), endOf(from, duration, calendar)) > 0;
}

/** True when `to` is on or after `from` + duration: "in care for at least 13 weeks". */
export function isAtLeast(from: LocalDate, to: LocalDate, duration: Duration, calendar?: WorkingCalendar): boolean {
  return compareLocalDates(toLocalDate(to), endOf(from, duration, calendar)) >= 0;
}

function endOf(from: LocalDate, duration: Duration, calendar: WorkingCalendar | undefined): LocalDate {
  assertDuration(duration);
  if (duration.workingDays > 0) {
    if (calendar === undefined) throw new InvalidDuration(formatDuration(duration), 'working days need a WorkingCalendar');
    return calendar.add(from, duration, 'after');
  }
  return fromJodaDate(plusCalendarDuration(toJodaDate(from), duration, 1));
}

/** Validates fully (a real day), not just the shape compareLocalDates checks. */
function toLocalDate(d: LocalDate): LocalDate {
  toJodaDate(d);
  return d;
}
