/**
 * The fold, facts: what the case-management system reports changes the child (team and worker,
 * plans, orders, care, meetings scheduled, closure). `evolveFact` is total and pure: a fact that
 * changes nothing returns the state as it was, so replaying a stream always gives the same state.
 */
import { localDateOf } from '../calendar';
import type { LocalDate } from '../calendar/local-date';
import { INTERIM_ORDERS, type CaseEvent, type OrderKind } from '../events/case-events';
import { coWorkAwaitingWorker, type ChildState } from './child-state';
import { announce, dateOfBirthFrom } from './fold-milestones';

/** A new team, or the same team in another area, begins its involvement; a child moving in has now moved. */
const teamChange = (state: ChildState, team: string, on: LocalDate, area?: string): Partial<ChildState> | undefined => {
  const sameArea = area === undefined || area === state.area;
  if (state.team === team && sameArea) return undefined;
  // A new team without an area named has none recorded (the old team's area is not the new one's).
  return { team, area, teamSince: on, movingIn: undefined };
};

export const moveToTeam = (state: ChildState, team: string, on: LocalDate, area?: string): ChildState => {
  const change = teamChange(state, team, on, area);
  return change ? { ...state, ...change } : state;
};

export function evolveFact(state: ChildState, fact: CaseEvent): ChildState {
  const familyId = fact.familyId ?? state.familyId;
  const change = factChange(state, fact, localDateOf(fact.occurredAt));
  // A fact that changes nothing is not copied (issue 18): a threshold decision, a strategy
  // discussion, a core group, a checklist item or a request is judged, but the child is as before.
  if (!change) return familyId === state.familyId ? state : { ...state, familyId };
  return { ...state, familyId, ...change };
}

/** What a fact changes in the child's state, beside the envelope (family, last fact's date); nothing: undefined. */
function factChange(s: ChildState, fact: CaseEvent, on: LocalDate): Partial<ChildState> | undefined {
  switch (fact.type) {
    case 'ReferralReceived': {
      const data = fact.data;
      return {
        open: true,
        referredOn: on,
        // closedOn and closingTeam stay: a re-referral is judged by how long ago the last episode
        // closed, and by whom (003 §2 step 11, 004 MASH 5–6).
        disability: data.disability ?? s.disability,
      };
    }
    case 'ChildDetailsRecorded': {
      const data = fact.data;
      return {
        dateOfBirth: data.dateOfBirth ?? s.dateOfBirth,
        expectedDateOfBirth: data.expectedDateOfBirth ?? s.expectedDateOfBirth,
        disability: data.disability ?? s.disability,
        unaccompaniedAsylumSeeking: data.unaccompaniedAsylumSeeking ?? s.unaccompaniedAsylumSeeking,
        careLeaverStatus: data.careLeaverStatus ?? s.careLeaverStatus,
        ongoingCareAndSupportNeeds: data.ongoingCareAndSupportNeeds ?? s.ongoingCareAndSupportNeeds,
      };
    }
    case 'WorkerAllocated': {
      const data = fact.data;
      const coWork = coWorkAwaitingWorker(s, data.team);
      if (coWork) return { coWorks: s.coWorks.map((c) => (c === coWork ? { ...c, workerId: data.workerId } : c)) };
      return { ...teamChange(s, data.team, on, data.area), workerId: data.workerId, open: true, allocationRequired: undefined };
    }
    case 'ICPCHeld':
    case 'RCPCHeld': {
      const outcome = fact.data.outcome;
      if (outcome === 'cp-plan' || outcome === 'cp-plan-continues')
        return { plan: s.plan?.kind === 'cp' ? s.plan : { kind: 'cp', since: on } };
      if (outcome === 'cin-plan') return { plan: { kind: 'cin', since: on } };
      return { plan: undefined };
    }
    case 'ChildInNeedPlanStarted': {
      const data = fact.data;
      return { plan: { kind: 'cin', since: data.startedOn ?? on } };
    }
    case 'CINReviewHeld': {
      const outcome = fact.data.outcome;
      return outcome === 'close' || outcome === 'step-down-to-early-help' ? { plan: undefined } : undefined;
    }
    case 'MeetingScheduled': {
      const data = fact.data;
      const meetings = { ...s.meetings };
      if (data.cancelled) delete meetings[data.kind];
      else meetings[data.kind] = data.on;
      return { meetings };
    }
    case 'PLOStarted':
      return { inPLO: true };
    case 'PLOReviewHeld': {
      const outcome = fact.data.outcome;
      return outcome === 'step-down' ? { inPLO: false } : undefined;
    }
    case 'CareProceedingsIssued': {
      const data = fact.data;
      return { inPLO: false, proceedings: { issuedOn: on, urgent: data.urgent ?? false } };
    }
    case 'HearingHeld': {
      const data = fact.data;
      // Proceedings that conclude end their interim orders too, whether or not a final order is
      // made (a final order also replaces them: withOrder).
      return data.kind === 'final' && data.concluded
        ? { proceedings: undefined, orders: s.orders.filter((o) => !INTERIM_ORDERS.includes(o.kind)) }
        : undefined;
    }
    case 'OrderMade':
      return orderChange(s, fact.data, on);
    case 'ChildAccommodated': {
      const data = fact.data;
      return { lookedAfter: s.lookedAfter ?? { legalBasis: data.legalBasis, since: on } };
    }
    case 'CLAReviewHeld': {
      const data = fact.data;
      return { claReviewsHeld: Math.max(s.claReviewsHeld, data.sequence), carePlan: data.plan };
    }
    case 'ChildCeasedLookedAfter': {
      const left: Partial<ChildState> = { lookedAfter: undefined, leftCareOn: s.lookedAfter ? on : s.leftCareOn };
      // Ceasing to be looked after because the child turned 18 tells the date of birth, as a
      // milestone does, when nothing else has (a recorded date of birth always wins).
      const turned18 = fact.data.reason === 'turned-18';
      return turned18 && !s.dateOfBirth ? { ...left, dateOfBirth: dateOfBirthFrom(on, 18) } : left;
    }
    case 'BirthdayApproaching': {
      // A milestone with its date tells us the date of birth when nothing else has.
      const { milestonesAnnounced } = announce(s, fact.data.ageYears);
      return s.dateOfBirth ? { milestonesAnnounced } : { milestonesAnnounced, dateOfBirth: dateOfBirthFrom(fact.data.on, fact.data.ageYears) };
    }
    case 'CaseClosed': {
      const data = fact.data;
      return {
        open: false,
        closedOn: on,
        closingTeam: data.closingTeam ?? s.team,
        plan: undefined,
        team: undefined,
        area: undefined,
        teamSince: undefined,
        workerId: undefined,
        movingIn: undefined,
        coWorks: [],
        retained: undefined,
      };
    }
    case 'AssessmentCompleted': {
      const data = fact.data;
      return data.primaryIssue ? { primaryIssue: data.primaryIssue } : undefined;
    }
    case 'SiblingSeparationRecorded': {
      const data = fact.data;
      return { separatedFromSiblings: data.withdrawn ? undefined : { reason: data.reason, since: on } };
    }
    case 'ChildMoved': {
      const data = fact.data;
      // A child moving in is known to us from the move, held (teamHolding) by the pack's inbound team.
      if (data.destination !== 'into-authority' || s.team !== undefined) return undefined;
      return { open: true, movingIn: { on, ...(data.planOnArrival ? { planOnArrival: data.planOnArrival } : {}) } };
    }
    case 'TransitionPanelHeld':
      return { transitionPanelOutcome: fact.data.outcome };
    case 'ThresholdDecisionMade':
    case 'StrategyDiscussionHeld':
    case 'CoreGroupHeld':
    case 'LegalGatewayMeetingHeld':
    case 'ChecklistItemCompleted':
    case 'TransferRequested':
    case 'TransferDisputed':
    // Judged by supervision (escalateByRequest), against the escalation as it stands.
    case 'EscalationRequested':
      return undefined;
    default: {
      const unhandled: never = fact;
      return unhandled;
    }
  }
}

function orderChange(s: ChildState, data: CaseEvent<'OrderMade'>['data'], on: LocalDate): Partial<ChildState> {
  if (data.order === 'discharge') {
    return { orders: s.orders.filter((o) => o.kind !== data.dischargedOrder) };
  }
  // A final order replaces the interim orders of the proceedings it concludes.
  const kept = INTERIM_ORDERS.includes(data.order) ? s.orders : s.orders.filter((o) => !INTERIM_ORDERS.includes(o.kind));
  const orders = [...kept.filter((o) => o.kind !== data.order), { kind: data.order, madeOn: on }];
  const accommodatingOrders: OrderKind[] = ['ICO', 'care-order', 'placement-order', 'EPO'];
  const lookedAfter =
    s.lookedAfter ?? (accommodatingOrders.includes(data.order) ? { legalBasis: data.order, since: on } : undefined);
  return { orders, lookedAfter };
}
