// The calendar's public API: business dates are 'YYYY-MM-DD' strings (Europe/London); js-joda stays inside.
export {
  type LocalDate,
  InvalidLocalDate,
  isLocalDate,
  compareLocalDates,
  maxLocalDate,
  minLocalDate,
} from './local-date';
export { epochMillisOf, InvalidInstant, localDateOf } from './instant';
export { type Duration, InvalidDuration, parseDuration, formatDuration } from './duration';
export {
  type BankHoliday,
  type Direction,
  type WorkingCalendarOptions,
  WorkingCalendar,
} from './working-calendar';
export { type Age, DateBeforeBirth, dateOfAge, hasReachedAge, ageOn } from './age';
export { isLongerThan, isAtLeast } from './elapsed';
