/**
 * The fold, milestones: the ages announced (BirthdayApproaching, from the case-management system
 * or computed here), and the date of birth a milestone or leaving care at 18 tells when nothing
 * else has (a recorded date of birth always wins).
 */
import { WorkingCalendar } from '../calendar';
import type { LocalDate } from '../calendar/local-date';
import type { Decision } from '../events/decision-events';
import type { ChildState } from './child-state';

/** Calendar arithmetic only (no working days): inferring a date of birth from a milestone. */
const ageArithmetic = new WorkingCalendar();

export const announce = (s: ChildState, ageYears: number): ChildState =>
  s.milestonesAnnounced.includes(ageYears) ? s : { ...s, milestonesAnnounced: [...s.milestonesAnnounced, ageYears] };

/**
 * The date of birth of a child who reaches `ageYears` on `on`. For a half-year milestone on 1 March
 * the month-end convention of `dateOfAge` can put it one day late; a recorded one always wins.
 */
export const dateOfBirthFrom = (on: LocalDate, ageYears: number): LocalDate => {
  const years = Math.floor(ageYears);
  const months = Math.round((ageYears - years) * 12);
  return ageArithmetic.add(on, { years, months, weeks: 0, days: 0, workingDays: 0 }, 'before');
};

/** A BirthdayApproaching this system computed; a warning (warnAhead) tells people to prepare, and announces nothing. */
export const evolveMilestone = (state: ChildState, { data }: Decision<'BirthdayApproaching'>): ChildState => (data.warnAhead ? state : announce(state, data.ageYears));
