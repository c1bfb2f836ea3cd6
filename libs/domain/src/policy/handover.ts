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
 *
 * Two forms stand apart from that algorithm:
 *
 *   - `onFact`: the handover point is a later case event (004 PTC 2: "at final order"). It awaits a
 *     date until the engine finds that fact (its type and conditions) after the trigger and passes
 *     it in as `datingFact`; then it falls on that fact's day.
 *   - `earliestOf`: each point is resolved on its own, and the earliest of those with a date is the
 *     handover point (003 §6 and §7 both bind a turning-18 step-down); while none has a date, the
 *     transfer awaits one.
 */
import { compareLocalDates, dateOfAge, type WorkingCalendar } from '../calendar';
import type { LocalDate } from '../calendar/local-date';
import type { ChildState } from '../child/child-state';
import type { HandoverPointResolution, TriggerReference } from '../events/decision-events';
import type { DurationCache } from './durations';
import type { Anchor, FactHandover, HandoverPoint } from './policy-pack';

export interface HandoverContext {
  state: ChildState;
  /** Business date of the fact that fired the rule. */
  triggerOn: LocalDate;
  calendar: WorkingCalendar;
  durations: DurationCache;
  /**
   * The later case event that dates the point's `onFact`: found by the engine (its type is one the
   * point names, its conditions held as it arrived, it came after the trigger), or the one recorded
   * on the transfer when it was first dated. Left out: none has happened yet.
   */
  datingFact?: TriggerReference;
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
      ...(resolved.fact ? { fact: resolved.fact } : {}),
      steps: resolved.steps,
    },
  };
}

interface Resolution {
  dueBy: LocalDate | null;
  basis: HandoverPointResolution['basis'];
  meeting?: string;
  fallbackReason?: HandoverPointResolution['fallbackReason'];
  fact?: TriggerReference;
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
    ...(point.earliestOf ?? []).flatMap(meetingsOf),
  ];
}

/** The later case event a handover point waits for, wherever in the point it is named (validatePack allows one). */
export function factHandoverOf(point: HandoverPoint): FactHandover | undefined {
  if (point.onFact) return point.onFact;
  for (const inner of [point.tooFarAway?.then, point.fallback, ...(point.earliestOf ?? [])]) {
    const found = inner && factHandoverOf(inner);
    if (found) return found;
  }
  return undefined;
}

function resolve(point: HandoverPoint, ctx: HandoverContext): Resolution {
  if (point.onFact) return resolveFact(point.onFact, ctx);
  if (point.earliestOf) return resolveEarliest(point.earliestOf, ctx);
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

/** 004 PTC 2: "The child will transfer to the Pathways Through Care Service at final order". */
function resolveFact(onFact: FactHandover, ctx: HandoverContext): Resolution {
  const fact = ctx.datingFact;
  if (fact && onFact.events.includes(fact.type as FactHandover['events'][number]) && compareLocalDates(fact.occurredOn, ctx.triggerOn) >= 0) {
    return { dueBy: fact.occurredOn, basis: 'fact', fact, steps: [`${fact.type} on ${fact.occurredOn}`] };
  }
  return { dueBy: null, basis: 'awaiting-date', steps: [`awaiting ${onFact.events.join(' or ')}`] };
}

/**
 * The earliest of several points that all bind the transfer. A point with no date sets no limit
 * yet; it is resolved again whenever what it waits for (a meeting, a fact) is dated.
 */
function resolveEarliest(points: HandoverPoint[], ctx: HandoverContext): Resolution {
  const resolved = points.map((point) => ({ point, resolution: resolve(point, ctx) }));
  const steps = resolved.map(({ point, resolution }) => `${point.description}: ${resolution.steps.join('; ')} (${resolution.dueBy ?? 'no date yet'})`);
  const fact = resolved.find(({ resolution }) => resolution.fact)?.resolution.fact;
  const dated = resolved.filter(({ resolution }) => resolution.dueBy !== null);
  if (!dated.length) {
    const awaited = resolved.find(({ resolution }) => resolution.meeting)?.resolution.meeting;
    return { dueBy: null, basis: 'awaiting-date', ...(awaited ? { meeting: awaited } : {}), ...(fact ? { fact } : {}), steps: [...steps, 'none has a date yet'] };
  }
  // The first listed wins a tie: the pack lists the point it names first in the procedure first.
  const earliest = dated.reduce((a, b) => (compareLocalDates(b.resolution.dueBy!, a.resolution.dueBy!) < 0 ? b : a));
  return {
    ...earliest.resolution,
    ...(fact ? { fact } : {}),
    steps: [...steps, `the earliest is ${earliest.point.description} (${earliest.resolution.dueBy})`],
  };
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
