/**
 * The facts a pack's conditions may test, by name. A pack can only say what this vocabulary can
 * answer, so `validatePack` rejects any other name and a team manager can read the list in the
 * pack schema's documentation.
 */
import { compareLocalDates } from '../calendar';
import type { LocalDate } from '../calendar/local-date';
import type { ChildState } from '../child/child-state';
import type { CaseEvent } from '../events/case-events';
import type { Scalar } from './policy-pack';

/** A fact's value: a scalar (or nothing), a list, or a span of time between two dates. */
export type FactValue =
  | { kind: 'scalar'; value: Scalar | undefined }
  | { kind: 'list'; value: Scalar[] }
  | { kind: 'span'; from: LocalDate | undefined; to: LocalDate; describeFrom: string };

/** What the `child.*` facts are read from: the child as it stands on a day. */
export interface ChildFactContext {
  state: ChildState;
  occurredOn: LocalDate;
  /** The team holding the child: the allocated team, or the front door once a referral is open. */
  team: string | undefined;
}

/** A fact arriving: `event.*` reads it, `child.*` the child as it stands when it arrives. */
export interface FactContext extends ChildFactContext {
  fact: CaseEvent;
}

/**
 * Either: conditions judged with no fact arriving (a ladder's `alsoTell`, judged on the day a
 * matter is raised) read only `child.*`; an `event.*` fact is then not known.
 */
export type ConditionContext = ChildFactContext & { fact?: CaseEvent };

const scalar = (value: Scalar | undefined): FactValue => ({ kind: 'scalar', value });
const span = (from: LocalDate | undefined, ctx: ChildFactContext, describeFrom: string): FactValue => ({
  kind: 'span',
  from,
  to: ctx.occurredOn,
  describeFrom,
});

export const CHILD_FACTS: Record<string, { description: string; read: (ctx: ChildFactContext) => FactValue }> = {
  'child.team': { description: 'the team holding the case', read: (c) => scalar(c.team) },
  'child.open': { description: 'a referral is open', read: (c) => scalar(c.state.open) },
  'child.plan': { description: "the child's plan: cin or cp (absent when none)", read: (c) => scalar(c.state.plan?.kind) },
  'child.lookedAfter': { description: 'the child is looked after', read: (c) => scalar(c.state.lookedAfter !== undefined) },
  'child.legalBasis': {
    description: 'the basis of being looked after (s20, ICO, care-order …)',
    read: (c) => scalar(c.state.lookedAfter?.legalBasis),
  },
  'child.inPLO': { description: 'the case is in pre-proceedings (PLO)', read: (c) => scalar(c.state.inPLO) },
  'child.inProceedings': { description: 'care proceedings are issued and not concluded', read: (c) => scalar(c.state.proceedings !== undefined) },
  'child.orders': { description: 'orders in force', read: (c) => ({ kind: 'list', value: c.state.orders.map((o) => o.kind) }) },
  'child.disability.permanentOrSubstantial': {
    description: 'recorded disability is permanent or substantial',
    read: (c) => scalar(c.state.disability?.permanentOrSubstantial),
  },
  'child.disability.impairment': {
    description: 'recorded level of impairment',
    read: (c) => scalar(c.state.disability?.impairment),
  },
  'child.unborn': {
    description: 'an expected date of birth is recorded and no date of birth yet (004 BIT 2, MASH 9)',
    read: (c) => scalar(c.state.expectedDateOfBirth !== undefined && c.state.dateOfBirth === undefined),
  },
  'child.area': { description: 'the area (district) of the team holding the case, where recorded (003 §8)', read: (c) => scalar(c.state.area) },
  'child.coWorkingTeams': {
    description: 'the teams co-working beside the team holding the case (CoWorkRequired)',
    read: (c) => ({ kind: 'list', value: c.state.coWorks.map((w) => w.team) }),
  },
  'child.unaccompaniedAsylumSeeking': {
    description: 'unaccompanied asylum-seeking child',
    read: (c) => scalar(c.state.unaccompaniedAsylumSeeking),
  },
  'child.careLeaverStatus': {
    description: 'care leaver status as recorded: eligible, relevant, former-relevant, qualifying, none (003 §6 CIC "Relevant Status"; 004 PTC 9)',
    read: (c) => scalar(c.state.careLeaverStatus),
  },
  'child.ongoingCareAndSupportNeeds': {
    description: 'ongoing care and support needs that may make the child eligible for adult services (003 §6, Transition Panel)',
    read: (c) => scalar(c.state.ongoingCareAndSupportNeeds),
  },
  'child.primaryIssue': {
    description: 'the primary issue recorded by the latest assessment (e.g. child-exploitation)',
    read: (c) => scalar(c.state.primaryIssue),
  },
  'child.claReviewsHeld': { description: 'how many CLA reviews have been held', read: (c) => scalar(c.state.claReviewsHeld) },
  'child.carePlan': { description: 'the plan recorded at the latest CLA review', read: (c) => scalar(c.state.carePlan) },
  'child.transitionPanelOutcome': {
    description: "the latest transition panel's outcome (adult-services-eligible, not-eligible, deferred)",
    read: (c) => scalar(c.state.transitionPanelOutcome),
  },
  'child.closingTeam': { description: 'the team that closed the last episode', read: (c) => scalar(c.state.closingTeam) },
  'child.age': { description: "the child's age on the date of the event", read: (c) => span(c.state.dateOfBirth, c, 'date of birth') },
  'child.timeWithTeam': {
    description: 'how long the current team has been involved',
    read: (c) => span(c.state.teamSince, c, 'start of the team’s involvement'),
  },
  'child.timeOnPlan': { description: 'how long the current plan has run', read: (c) => span(c.state.plan?.since, c, 'start of the plan') },
  'child.timeLookedAfter': {
    description: 'how long the child has been looked after',
    read: (c) => span(c.state.lookedAfter?.since, c, 'date looked after'),
  },
  'child.timeFromClosureToReferral': {
    description: 'for a re-referral: the time from the last closure to the referral (003 §2 step 11, 004 MASH 5–6)',
    read: (c) => {
      const { closedOn, referredOn } = c.state;
      const reReferred = closedOn !== undefined && referredOn !== undefined && compareLocalDates(referredOn, closedOn) >= 0;
      return { kind: 'span', from: reReferred ? closedOn : undefined, to: referredOn ?? c.occurredOn, describeFrom: 'a closure before this referral' };
    },
  },
  'child.timeSinceLeftCare': {
    description: 'time since the child last ceased to be looked after (003 §6 CIC: "successful for six months")',
    read: (c) => span(c.state.leftCareOn, c, 'date the child left care'),
  },
  'child.timeSinceClosure': {
    description: 'time since the last episode closed',
    read: (c) => span(c.state.closedOn, c, 'date of closure'),
  },
};

/** `event.<field>[.<field>]` reads the fact's data; `event.type` its type. */
export function readFact(name: string, ctx: ConditionContext): FactValue | undefined {
  if (name.startsWith('event.')) {
    if (!ctx.fact) return undefined;
    if (name === 'event.type') return scalar(ctx.fact.type);
    let value: unknown = ctx.fact.data;
    for (const part of eventPath(name)) {
      value = value !== null && typeof value === 'object' && Object.hasOwn(value, part) ? (value as Record<string, unknown>)[part] : undefined;
    }
    if (Array.isArray(value)) return { kind: 'list', value: value.filter(isScalar) };
    return scalar(isScalar(value) ? value : undefined);
  }
  return CHILD_FACTS[name]?.read(ctx);
}

/** `event.a.b` → ['a', 'b'], split once per name (conditions are read for every fact). */
const eventPaths = new Map<string, string[]>();
function eventPath(name: string): string[] {
  let path = eventPaths.get(name);
  if (!path) eventPaths.set(name, (path = name.slice('event.'.length).split('.')));
  return path;
}

export const isKnownFactName = (name: string): boolean =>
  name in CHILD_FACTS || name === 'event.type' || /^event\.[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/.test(name);

const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
