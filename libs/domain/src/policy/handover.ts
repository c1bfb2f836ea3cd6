/**
 * Dating a handover point. The procedures name a meeting ("this forms the handover point",
 * 000 ¶12), a timescale ("within 10 working days"), or both, and sometimes an earlier route when
 * the meeting is far off (000 ¶14: CMH more than 3 weeks away). All of that is pack data; this
 * function only applies the one algorithm:
 *
 *   1. The deadline is the timescale (`within` a duration `after`/`before` an anchor), if any.
 *   2. A dated meeting is the handover point — unless it is too far away (then `tooFarAway.then`
 *      is resolved instead) or later than the deadline.
 *   3. Otherwise `fallback` is resolved if the pack gives one, else the deadline stands, else the
 *      transfer awaits a date (dueBy null) until a MeetingScheduled arrives.
 */
import { compareLocalDates, dateOfAge, type WorkingCalendar } from '../calendar';
import type { LocalDate } from '../calendar/local-date';
import type { ChildState } from '../child/child-state';
import type { HandoverPointResolution } from '../events/decision-events';
import type { DurationCache } from './durations';
import type { Anchor, HandoverPoint } from './policy-pack';

export interface HandoverContext {
  state: ChildState;
  /** Business date of the fact that fired the rule. */
  triggerOn: LocalDate;
  calendar: WorkingCalendar;
  durations: DurationCache;
}

export interface DatedHandoverPoint {
  dueBy: LocalDate | null;
  handoverPoint: HandoverPointResolution;
}

export function dueByForHandoverPoint(point: HandoverPoint, ctx: HandoverContext): DatedHandoverPoint {
  const resolved = resolve(point, ctx);
  return {
    dueBy: resolved.dueBy,
    handoverPoint: {
      description: point.description,
      basis: resolved.basis,
      ...(resolved.meeting ? { meeting: resolved.meeting } : {}),
      ...(resolved.fallbackReason ? { fallbackReason: resolved.fallbackReason } : {}),
      steps: resolved.steps,
    },
  };
}

interface Resolution {
  dueBy: LocalDate | null;
  basis: HandoverPointResolution['basis'];
  meeting?: string;
  fallbackReason?: HandoverPointResolution['fallbackReason'];
  steps: string[];
}

/** Meetings referred to anywhere in a handover point: a MeetingScheduled of these kinds re-dates it. */
export function meetingsOf(point: HandoverPoint): string[] {
  const anchors = [point.after, point.before, point.tooFarAway?.after].flatMap((a) =>
    a && typeof a === 'object' && 'meeting' in a ? [a.meeting] : [],
  );
  return [
    ...(point.meeting ? [point.meeting] : []),
    ...anchors,
    ...(point.tooFarAway ? meetingsOf(point.tooFarAway.then) : []),
    ...(point.fallback ? meetingsOf(point.fallback) : []),
  ];
}

function resolve(point: HandoverPoint, ctx: HandoverContext): Resolution {
  const steps: string[] = [];
  const deadline = deadlineOf(point, ctx, steps);
  let fallbackReason: Resolution['fallbackReason'];

  if (point.meeting) {
    const meetingOn = scheduledMeeting(point.meeting, ctx);
    if (meetingOn) {
      if (point.tooFarAway) {
        const from = anchorDate(point.tooFarAway.after ?? 'trigger', ctx);
        if (from) {
          const limit = ctx.calendar.add(from, ctx.durations.parse(point.tooFarAway.moreThan), 'after');
          if (compareLocalDates(meetingOn, limit) > 0) {
            steps.push(
              `${point.meeting} on ${meetingOn} is more than ${point.tooFarAway.moreThan} after ${from}: ${point.tooFarAway.then.description}`,
            );
            const then = resolve(point.tooFarAway.then, ctx);
            return { ...then, fallbackReason: 'too-far-away', steps: [...steps, ...then.steps] };
          }
        }
      }
      if (!deadline || compareLocalDates(meetingOn, deadline) <= 0) {
        steps.push(`${point.meeting} is scheduled for ${meetingOn}`);
        return { dueBy: meetingOn, basis: 'meeting', meeting: point.meeting, steps };
      }
      steps.push(`${point.meeting} on ${meetingOn} is later than the timescale (${deadline})`);
      fallbackReason = 'after-timescale';
    } else {
      steps.push(`${point.meeting} is not yet scheduled`);
      fallbackReason = 'undated';
    }
    if (point.fallback) {
      steps.push(`fallback: ${point.fallback.description}`);
      const fallback = resolve(point.fallback, ctx);
      return { ...fallback, fallbackReason, steps: [...steps, ...fallback.steps] };
    }
    if (deadline) return { dueBy: deadline, basis: 'timescale', fallbackReason, steps };
    return { dueBy: null, basis: 'awaiting-date', meeting: point.meeting, fallbackReason, steps };
  }

  if (deadline) return { dueBy: deadline, basis: 'timescale', steps };
  const awaited = [point.after, point.before].find((a): a is { meeting: string } => typeof a === 'object' && 'meeting' in a);
  return { dueBy: null, basis: 'awaiting-date', ...(awaited ? { meeting: awaited.meeting } : {}), steps };
}

function deadlineOf(point: HandoverPoint, ctx: HandoverContext, steps: string[]): LocalDate | undefined {
  if (point.within === undefined && point.after === undefined && point.before === undefined) return undefined;
  const direction = point.before !== undefined ? 'before' : 'after';
  const anchor = point.before ?? point.after ?? 'trigger';
  const within = point.within ?? '0 days';
  const from = anchorDate(anchor, ctx);
  if (!from) {
    steps.push(`${describeAnchor(anchor)} is not yet known, so the timescale cannot be dated`);
    return undefined;
  }
  const deadline = ctx.calendar.add(from, ctx.durations.parse(within), direction);
  steps.push(`${within} ${direction} ${describeAnchor(anchor)} (${from}) gives ${deadline}`);
  return deadline;
}

function anchorDate(anchor: Anchor, ctx: HandoverContext): LocalDate | undefined {
  if (anchor === 'trigger') return ctx.triggerOn;
  if ('meeting' in anchor) return scheduledMeeting(anchor.meeting, ctx);
  return ctx.state.dateOfBirth ? dateOfAge(ctx.state.dateOfBirth, ctx.durations.parse(anchor.age)) : undefined;
}

/** A meeting of that kind scheduled on or after the trigger; an earlier one was a past meeting. */
function scheduledMeeting(kind: string, ctx: HandoverContext): LocalDate | undefined {
  const on = ctx.state.meetings[kind];
  return on !== undefined && compareLocalDates(on, ctx.triggerOn) >= 0 ? on : undefined;
}

const describeAnchor = (anchor: Anchor): string =>
  anchor === 'trigger' ? 'the trigger' : 'meeting' in anchor ? `the ${anchor.meeting}` : `age ${anchor.age}`;
