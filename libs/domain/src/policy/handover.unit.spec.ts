/**
 * The two handover forms that stand apart from the meeting-and-timescale algorithm, on their own:
 * a later case event (`onFact`, 004 PTC 2 "at final order") and the earliest of several points
 * (`earliestOf`, 003 §6 with §7). The packs' scenarios show them in their rules.
 */
import { initialChildState, WorkingCalendar, type ChildState, type HandoverPoint, type LocalDate } from '../index';
import { DurationCache } from './durations';
import { dueByForHandoverPoint, factHandoverOf, meetingsOf } from './handover';

const calendar = new WorkingCalendar();
const durations = new DurationCache();
const child = (over: Partial<ChildState> = {}): ChildState => ({ ...initialChildState('demo', 'C'), ...over });
const dated = (point: HandoverPoint, state: ChildState, more: { datingFact?: { eventId: string; type: string; occurredOn: LocalDate } } = {}) =>
  dueByForHandoverPoint(point, { state, triggerOn: '2026-06-01' as LocalDate, calendar, durations, ...more });

describe('a handover point that is a later case event (onFact)', () => {
  const atFinalOrder: HandoverPoint = { description: 'at final order', onFact: { events: ['OrderMade'], conditions: [{ fact: 'event.order', is: 'care-order' }] } };

  it('awaits a date until the fact arrives, and says which facts it awaits', () =>
    expect(dated(atFinalOrder, child())).toEqual({ dueBy: null, handoverPoint: { description: 'at final order', basis: 'awaiting-date', steps: ['awaiting OrderMade'] } }));

  it('falls on the day of the fact that dates it, and names it', () => {
    const order = { eventId: 'e-9', type: 'OrderMade', occurredOn: '2026-08-28' as LocalDate };
    expect(dated(atFinalOrder, child(), { datingFact: order })).toEqual({
      dueBy: '2026-08-28',
      handoverPoint: { description: 'at final order', basis: 'fact', fact: order, steps: ['OrderMade on 2026-08-28'] },
    });
  });

  it('is not dated by a fact of another type, or one before the trigger', () => {
    expect(dated(atFinalOrder, child(), { datingFact: { eventId: 'e-1', type: 'HearingHeld', occurredOn: '2026-08-28' as LocalDate } }).dueBy).toBeNull();
    expect(dated(atFinalOrder, child(), { datingFact: { eventId: 'e-2', type: 'OrderMade', occurredOn: '2026-05-29' as LocalDate } }).dueBy).toBeNull();
  });

  it('is found wherever a handover point nests it', () =>
    expect(factHandoverOf({ description: 'x', earliestOf: [{ description: 'y', within: '6 months', after: 'trigger' }, atFinalOrder] })).toBe(atFinalOrder.onFact));
});

describe('the earliest of several handover points (earliestOf)', () => {
  // 003 §6 and §7: born 15 November 2008, so one month before the 18th birthday is 15 October 2026.
  const turning18: HandoverPoint = {
    description: 'the earlier',
    earliestOf: [
      { description: 'a CIN meeting at least one month before the 18th birthday', meeting: 'cin-review', within: '1 month', before: { age: '18 years' } },
      { description: '10 days after the joint visit', within: '10 days', after: { meeting: 'joint-visit' } },
    ],
  };
  const born = { dateOfBirth: '2008-11-15' as LocalDate };

  it('takes the one point with a date while the other has none, and lists how each was dated', () => {
    const { dueBy, handoverPoint } = dated(turning18, child(born));
    expect(dueBy).toBe('2026-10-15');
    expect(handoverPoint).toMatchObject({ basis: 'timescale', fallbackReason: 'undated' });
    expect(handoverPoint.steps).toEqual([
      'a CIN meeting at least one month before the 18th birthday: 1 month before age 18 years (2026-11-15) gives 2026-10-15; cin-review is not yet scheduled (2026-10-15)',
      '10 days after the joint visit: the joint-visit is not yet known, so the timescale cannot be dated (no date yet)',
      'the earliest is a CIN meeting at least one month before the 18th birthday (2026-10-15)',
    ]);
  });

  it('takes the earlier when both have a date: the meeting, or the ten days', () => {
    expect(dated(turning18, child({ ...born, meetings: { 'joint-visit': '2026-06-10' as LocalDate } }))).toMatchObject({ dueBy: '2026-06-20', handoverPoint: { basis: 'timescale' } });
    const both = dated(turning18, child({ ...born, meetings: { 'joint-visit': '2026-09-10' as LocalDate, 'cin-review': '2026-09-14' as LocalDate } }));
    expect(both).toMatchObject({ dueBy: '2026-09-14', handoverPoint: { basis: 'meeting', meeting: 'cin-review' } });
  });

  it('awaits a date while no point has one', () =>
    expect(dated(turning18, child())).toMatchObject({ dueBy: null, handoverPoint: { basis: 'awaiting-date', meeting: 'cin-review' } }));

  it('is re-dated by a meeting any of its points names', () => expect(meetingsOf(turning18)).toEqual(['cin-review', 'joint-visit']));
});
