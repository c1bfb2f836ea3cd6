/**
 * What the rules need to know about one child, folded from the child's stream of facts and
 * decisions. `evolve` is total and pure: a fact that does not change anything returns the state
 * as it was, so replaying a stream always gives the same state.
 */
import { epochMillisOf, localDateOf, WorkingCalendar } from '../calendar';

/** Calendar arithmetic only (no working days): inferring a date of birth from a milestone. */
const ageArithmetic = new WorkingCalendar();
import type { LocalDate } from '../calendar/local-date';
import type { CaseEvent, Disability, OrderKind } from '../events/case-events';
import { INTERIM_ORDERS } from '../events/case-events';
import type { Decision, DecisionDataByType, TransferStatus } from '../events/decision-events';

export interface TransferState {
  transferId: string;
  fromTeam: string;
  toTeam: string;
  /** The receiving team's area, for a move between areas of one authority (003 §8). */
  toArea?: string;
  status: TransferStatus;
  ruleId: string;
  ruleVersion: number;
  packId: string;
  packVersion: string;
  citation: string;
  trigger: DecisionDataByType['TransferProposed']['trigger'];
  handoverPoint: DecisionDataByType['TransferProposed']['handoverPoint'];
  dueBy: LocalDate | null;
  proposedAt: string;
  /** The business date of the decision that ended it (completed, rejected or withdrawn). */
  closedOn?: LocalDate;
  /** Disputed on capacity grounds (002: to the Senior Leadership team). */
  capacityDispute?: boolean;
}

export interface ChecklistState {
  checklistId: string;
  transferId: string;
  gating: DecisionDataByType['ChecklistOpened']['gating'];
  items: { itemId: string; description: string; dueBy: LocalDate | null; met: boolean }[];
  completed: boolean;
}

export interface EscalationState {
  escalationId: string;
  reason: DecisionDataByType['EscalationRaised']['reason'];
  transferId?: string;
  itemId?: string;
  /** The unmet checklist items an escalation of a whole checklist names, as last raised. */
  itemIds?: string[];
  deadlineId?: string;
  coWorkId?: string;
  rung: number;
  role: string;
  dueBy: LocalDate | null;
  /** What is escalated, as last raised (carried to the next rung when a person escalates it). */
  about?: string;
  /** The case events (EscalationRequested) already honoured by raising this escalation a rung. */
  requestsHonoured?: string[];
  resolved: boolean;
}

/** A co-worker another team must allocate beside the team holding the case (CoWorkRequired). */
export interface CoWorkState {
  coWorkId: string;
  team: string;
  ruleId: string;
  citation: string;
  since: LocalDate;
  dueBy: LocalDate | null;
  workerId?: string;
}

/** A cited decision that the case stays where it is, holding off other rules while its rule's `holdsWhile` holds. */
export interface RetentionState {
  ruleId: string;
  citation: string;
  team: string;
  since: LocalDate;
}

export interface ChildState {
  authority: string;
  childId: string;
  familyId?: string;
  /** A referral has been received and the case is not closed. */
  open: boolean;
  referredOn?: LocalDate;
  closedOn?: LocalDate;
  closingTeam?: string;
  team?: string;
  /** The area (district) of the team holding the case, where the authority records one (003 §8). */
  area?: string;
  /** The date the current team began its involvement (unchanged by a new worker in the same team). */
  teamSince?: LocalDate;
  workerId?: string;
  dateOfBirth?: LocalDate;
  /** Recorded for an unborn child; a date of birth, once recorded, supersedes it. */
  expectedDateOfBirth?: LocalDate;
  /** The child moved in from another authority and has not yet transferred in formally (003 §9). */
  movingIn?: { on: LocalDate; planOnArrival?: 'cin' | 'cp' | 'none' };
  disability?: Disability;
  unaccompaniedAsylumSeeking?: boolean;
  /** Care leaver status as the case-management system records it (003 §6 CIC "Relevant Status"). */
  careLeaverStatus?: string;
  /** Ongoing care and support needs that may make the child eligible for adult services (003 §6 Transition Panel). */
  ongoingCareAndSupportNeeds?: boolean;
  /** The primary issue the latest assessment recorded (e.g. child-exploitation): 001 §3, 003 §6 choose a team by it. */
  primaryIssue?: string;
  plan?: { kind: 'cin' | 'cp'; since: LocalDate };
  lookedAfter?: { legalBasis: string; since: LocalDate };
  /** When the child last ceased to be looked after (003 §6 CIC: a return home "successful for six months"). */
  leftCareOn?: LocalDate;
  inPLO: boolean;
  proceedings?: { issuedOn: LocalDate; urgent: boolean };
  /** Orders currently in force. */
  orders: { kind: OrderKind; madeOn: LocalDate }[];
  /** The latest scheduled date of each meeting kind. */
  meetings: Record<string, LocalDate>;
  claReviewsHeld: number;
  carePlan?: string;
  /** The latest transition panel's outcome (003 §6: presented at 17 or by 17½, ASCH at 18). */
  transitionPanelOutcome?: CaseEvent<'TransitionPanelHeld'>['data']['outcome'];
  transfers: TransferState[];
  /** Co-workers required of other teams, until the case transfers to that team or closes. */
  coWorks: CoWorkState[];
  retained?: RetentionState;
  checklists: ChecklistState[];
  escalations: EscalationState[];
  /** A named worker is required (CP plan or looked after, none allocated) since this date, by `dueBy`. */
  allocationRequired?: { since: LocalDate; dueBy: LocalDate | null };
  /** It is recorded that this child does not move with the siblings (000 ¶1: not in the child's best interest). */
  separatedFromSiblings?: { reason: string; since: LocalDate };
  /** Ages already announced by BirthdayApproaching, from the case-management system or computed here. */
  milestonesAnnounced: number[];
  /** Business date of the latest fact. */
  lastFactOn?: LocalDate;
}

/** A stored stream entry as the core sees it: a fact, or one of our own decisions. */
export type ChildStreamEvent =
  | { kind: 'fact'; fact: CaseEvent }
  | { kind: 'decision'; eventId: string; decidedAt: string; causationId: string; decision: Decision };

export const initialChildState = (authority: string, childId: string): ChildState => ({
  authority,
  childId,
  open: false,
  inPLO: false,
  orders: [],
  meetings: {},
  claReviewsHeld: 0,
  transfers: [],
  coWorks: [],
  checklists: [],
  escalations: [],
  milestonesAnnounced: [],
});

export const OPEN_TRANSFER_STATUSES: readonly TransferStatus[] = ['proposed', 'accepted', 'disputed'];

export const CLOSED_TRANSFER_STATUSES: readonly TransferStatus[] = ['completed', 'rejected', 'withdrawn'];

export const openTransfers = (state: ChildState): TransferState[] =>
  state.transfers.filter((t) => OPEN_TRANSFER_STATUSES.includes(t.status));

/**
 * The co-work a WorkerAllocated of `team` answers: one required of that team with no co-worker yet,
 * while another team holds the case. Its worker is a co-worker, and the case does not move (002
 * row 7: the personal advisor co-works from 16; the child "fully transfers to LCS at 18").
 */
export const coWorkAwaitingWorker = (state: ChildState, team: string): CoWorkState | undefined =>
  state.team === team ? undefined : state.coWorks.find((c) => c.team === team && c.workerId === undefined);

/**
 * A child's history in causal order (DESIGN.md "Deciding: reconcile, do not react"):
 *
 * - facts by when they happened (`occurredAt`, as instants), then by the order they were recorded:
 *   a worker allocated on 1 April and recorded in May comes before a conference on 1 May. Facts at
 *   the same instant have no order of their own; they keep the order they were recorded in;
 * - each decision right after the event that caused it (a fact, or a decision: a checklist after
 *   its proposal), in the order recorded;
 * - a decision caused by nothing on the stream (a manager's action, a timer) at the time it was
 *   made, and never before a fact recorded ahead of it: the manager acted knowing that fact. A
 *   computed BirthdayApproaching is placed by its time too, whatever batch it was recorded with.
 */
export function inCausalOrder(stream: readonly ChildStreamEvent[]): ChildStreamEvent[] {
  const idOf = (e: ChildStreamEvent) => (e.kind === 'fact' ? e.fact.eventId : e.eventId);
  const ids = new Set(stream.map(idOf));
  const caused = new Map<string, ChildStreamEvent[]>();
  const roots: { entry: ChildStreamEvent; at: number; index: number }[] = [];
  let latestFactRecorded = Number.NEGATIVE_INFINITY;
  stream.forEach((entry, index) => {
    if (entry.kind === 'fact') {
      const at = epochMillisOf(entry.fact.occurredAt);
      latestFactRecorded = Math.max(latestFactRecorded, at);
      roots.push({ entry, at, index });
    } else if (entry.decision.type !== 'BirthdayApproaching' && ids.has(entry.causationId) && entry.causationId !== entry.eventId) {
      caused.set(entry.causationId, [...(caused.get(entry.causationId) ?? []), entry]);
    } else {
      roots.push({ entry, at: Math.max(epochMillisOf(entry.decidedAt), latestFactRecorded), index });
    }
  });
  roots.sort((a, b) => a.at - b.at || a.index - b.index);
  const ordered: ChildStreamEvent[] = [];
  const placed = new Set<string>();
  const place = (entry: ChildStreamEvent) => {
    const id = idOf(entry);
    if (placed.has(id)) return;
    placed.add(id);
    ordered.push(entry);
    for (const next of caused.get(id) ?? []) place(next);
  };
  for (const { entry } of roots) place(entry);
  // A chain of causes that loops back on itself has no root: keep its entries, in stream order.
  for (const entry of stream) place(entry);
  return ordered;
}

const updateChecklist = (state: ChildState, checklistId: string, change: (c: ChecklistState) => ChecklistState): ChildState => ({
  ...state,
  checklists: state.checklists.map((c) => (c.checklistId === checklistId ? change(c) : c)),
});

export const evolve = (state: ChildState, event: ChildStreamEvent): ChildState =>
  event.kind === 'fact' ? evolveFact(state, event.fact) : evolveDecision(state, event);

/** A new team, or the same team in another area, begins its involvement; a child moving in has now moved. */
const moveToTeam = (state: ChildState, team: string, on: LocalDate, area?: string): ChildState => {
  const sameArea = area === undefined || area === state.area;
  if (state.team === team && sameArea) return state;
  // A new team without an area named has none recorded (the old team's area is not the new one's).
  return { ...state, team, area, teamSince: on, movingIn: undefined };
};

export function evolveFact(state: ChildState, fact: CaseEvent): ChildState {
  const on = localDateOf(fact.occurredAt);
  const s: ChildState = { ...state, familyId: fact.familyId ?? state.familyId, lastFactOn: on };
  switch (fact.type) {
    case 'ReferralReceived': {
      const data = fact.data;
      return {
        ...s,
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
        ...s,
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
      if (coWork) return { ...s, coWorks: s.coWorks.map((c) => (c === coWork ? { ...c, workerId: data.workerId } : c)) };
      return { ...moveToTeam(s, data.team, on, data.area), workerId: data.workerId, open: true, allocationRequired: undefined };
    }
    case 'ICPCHeld':
    case 'RCPCHeld': {
      const outcome = fact.data.outcome;
      if (outcome === 'cp-plan' || outcome === 'cp-plan-continues')
        return { ...s, plan: s.plan?.kind === 'cp' ? s.plan : { kind: 'cp', since: on } };
      if (outcome === 'cin-plan') return { ...s, plan: { kind: 'cin', since: on } };
      return { ...s, plan: undefined };
    }
    case 'ChildInNeedPlanStarted': {
      const data = fact.data;
      return { ...s, plan: { kind: 'cin', since: data.startedOn ?? on } };
    }
    case 'CINReviewHeld': {
      const outcome = fact.data.outcome;
      return outcome === 'close' || outcome === 'step-down-to-early-help' ? { ...s, plan: undefined } : s;
    }
    case 'MeetingScheduled': {
      const data = fact.data;
      const meetings = { ...s.meetings };
      if (data.cancelled) delete meetings[data.kind];
      else meetings[data.kind] = data.on;
      return { ...s, meetings };
    }
    case 'PLOStarted':
      return { ...s, inPLO: true };
    case 'PLOReviewHeld': {
      const outcome = fact.data.outcome;
      return outcome === 'step-down' ? { ...s, inPLO: false } : s;
    }
    case 'CareProceedingsIssued': {
      const data = fact.data;
      return { ...s, inPLO: false, proceedings: { issuedOn: on, urgent: data.urgent ?? false } };
    }
    case 'HearingHeld': {
      const data = fact.data;
      // Proceedings that conclude end their interim orders too, whether or not a final order is
      // made (a final order also replaces them: withOrder).
      return data.kind === 'final' && data.concluded
        ? { ...s, proceedings: undefined, orders: s.orders.filter((o) => !INTERIM_ORDERS.includes(o.kind)) }
        : s;
    }
    case 'OrderMade':
      return withOrder(s, fact.data, on);
    case 'ChildAccommodated': {
      const data = fact.data;
      return { ...s, lookedAfter: s.lookedAfter ?? { legalBasis: data.legalBasis, since: on } };
    }
    case 'CLAReviewHeld': {
      const data = fact.data;
      return { ...s, claReviewsHeld: Math.max(s.claReviewsHeld, data.sequence), carePlan: data.plan };
    }
    case 'ChildCeasedLookedAfter': {
      const left = { ...s, lookedAfter: undefined, leftCareOn: s.lookedAfter ? on : s.leftCareOn };
      // Ceasing to be looked after because the child turned 18 tells the date of birth, as a
      // milestone does, when nothing else has (a recorded date of birth always wins).
      const turned18 = fact.data.reason === 'turned-18';
      return turned18 && !s.dateOfBirth ? { ...left, dateOfBirth: ageArithmetic.add(on, { years: 18, months: 0, weeks: 0, days: 0, workingDays: 0 }, 'before') } : left;
    }
    case 'BirthdayApproaching': {
      // A whole-year milestone with its date tells us the date of birth when nothing else has.
      // (For a half-year milestone on 1 March the month-end convention of `dateOfAge` can put the
      // inferred birth one day late; a recorded date of birth always wins.)
      const data = fact.data;
      const announced = announce(s, data.ageYears);
      if (s.dateOfBirth) return announced;
      const years = Math.floor(data.ageYears);
      const months = Math.round((data.ageYears - years) * 12);
      return { ...announced, dateOfBirth: ageArithmetic.add(data.on, { years, months, weeks: 0, days: 0, workingDays: 0 }, 'before') };
    }
    case 'CaseClosed': {
      const data = fact.data;
      return {
        ...s,
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
      return data.primaryIssue ? { ...s, primaryIssue: data.primaryIssue } : s;
    }
    case 'SiblingSeparationRecorded': {
      const data = fact.data;
      return { ...s, separatedFromSiblings: data.withdrawn ? undefined : { reason: data.reason, since: on } };
    }
    case 'ChildMoved': {
      const data = fact.data;
      // A child moving in is known to us from the move, held (teamHolding) by the pack's inbound team.
      if (data.destination !== 'into-authority' || s.team !== undefined) return s;
      return { ...s, open: true, movingIn: { on, ...(data.planOnArrival ? { planOnArrival: data.planOnArrival } : {}) } };
    }
    case 'TransitionPanelHeld':
      return { ...s, transitionPanelOutcome: fact.data.outcome };
    case 'ThresholdDecisionMade':
    case 'StrategyDiscussionHeld':
    case 'CoreGroupHeld':
    case 'LegalGatewayMeetingHeld':
    case 'ChecklistItemCompleted':
    case 'TransferRequested':
    case 'TransferDisputed':
    // Judged by supervision (escalateByRequest), against the escalation as it stands.
    case 'EscalationRequested':
      return s;
    default: {
      const unhandled: never = fact;
      return unhandled;
    }
  }
}

const announce = (s: ChildState, ageYears: number): ChildState =>
  s.milestonesAnnounced.includes(ageYears) ? s : { ...s, milestonesAnnounced: [...s.milestonesAnnounced, ageYears] };

function withOrder(s: ChildState, data: CaseEvent<'OrderMade'>['data'], on: LocalDate): ChildState {
  if (data.order === 'discharge') {
    return { ...s, orders: s.orders.filter((o) => o.kind !== data.dischargedOrder) };
  }
  // A final order replaces the interim orders of the proceedings it concludes.
  const kept = INTERIM_ORDERS.includes(data.order) ? s.orders : s.orders.filter((o) => !INTERIM_ORDERS.includes(o.kind));
  const orders = [...kept.filter((o) => o.kind !== data.order), { kind: data.order, madeOn: on }];
  const accommodatingOrders: OrderKind[] = ['ICO', 'care-order', 'placement-order', 'EPO'];
  const lookedAfter =
    s.lookedAfter ?? (accommodatingOrders.includes(data.order) ? { legalBasis: data.order, since: on } : undefined);
  return { ...s, orders, lookedAfter };
}

function evolveDecision(
  state: ChildState,
  entry: Extract<ChildStreamEvent, { kind: 'decision' }>,
): ChildState {
  const { decision } = entry;
  const on = localDateOf(entry.decidedAt);
  // A closed transfer stays closed: in causal order a late fact may have ended it (superseded, or
  // completed by a worker allocated) before an answer recorded earlier is reached.
  const update = (transferId: string, change: (t: TransferState) => TransferState): ChildState => ({
    ...state,
    transfers: state.transfers.map((t) => (t.transferId === transferId && !CLOSED_TRANSFER_STATUSES.includes(t.status) ? change(t) : t)),
  });
  switch (decision.type) {
    case 'TransferProposed': {
      const d = decision.data;
      return {
        ...state,
        transfers: [
          ...state.transfers,
          {
            transferId: d.transferId,
            fromTeam: d.fromTeam,
            toTeam: d.toTeam,
            ...(d.toArea !== undefined ? { toArea: d.toArea } : {}),
            status: 'proposed',
            ruleId: d.ruleId,
            ruleVersion: d.ruleVersion,
            packId: d.packId,
            packVersion: d.packVersion,
            citation: d.citation,
            trigger: d.trigger,
            handoverPoint: d.handoverPoint,
            dueBy: d.dueBy,
            proposedAt: entry.decidedAt,
          },
        ],
      };
    }
    case 'TransferRescheduled': {
      const d = decision.data;
      const rescheduled = update(d.transferId, (t) => ({ ...t, dueBy: d.dueBy, handoverPoint: d.handoverPoint }));
      if (!d.checklist) return rescheduled;
      const redated = new Map(d.checklist.items.map((i) => [i.itemId, i.dueBy]));
      return updateChecklist(rescheduled, d.checklist.checklistId, (c) => ({ ...c, items: c.items.map((i) => (redated.has(i.itemId) ? { ...i, dueBy: redated.get(i.itemId)! } : i)) }));
    }
    case 'TransferAccepted':
      return update(decision.data.transferId, (t) => ({ ...t, status: 'accepted' }));
    case 'TransferRejected':
      return update(decision.data.transferId, (t) => ({ ...t, status: 'rejected', closedOn: on }));
    case 'TransferDisputed': {
      const d = decision.data;
      return update(d.transferId, (t) => ({ ...t, status: 'disputed', capacityDispute: d.capacity === true }));
    }
    case 'TransferWithdrawn':
      return update(decision.data.transferId, (t) => ({ ...t, status: 'withdrawn', closedOn: on }));
    case 'TransferCompleted': {
      const d = decision.data;
      const transfer = state.transfers.find((t) => t.transferId === d.transferId);
      const moved = moveToTeam(state, d.toTeam, d.completedOn, transfer?.toArea);
      // The receiving team's co-worker, if it had one, now holds the case (004 PTC 8: the personal
      // adviser's "increasing role"); the co-work ends with the move.
      const coWorker = state.coWorks.find((c) => c.team === d.toTeam)?.workerId;
      return {
        ...moved,
        // A worker the receiving team has already allocated stays; the sending team's worker does not.
        workerId: moved.team === state.team && moved.area === state.area ? state.workerId : coWorker,
        coWorks: state.coWorks.filter((c) => c.team !== d.toTeam),
        retained: undefined,
        // The move happened whatever became of the transfer's record; a closed record stays as it is.
        transfers: moved.transfers.map((t) =>
          t.transferId === d.transferId && !CLOSED_TRANSFER_STATUSES.includes(t.status) ? { ...t, status: 'completed', closedOn: d.completedOn } : t,
        ),
      };
    }
    case 'ChecklistOpened': {
      const d = decision.data;
      const items = d.items.map((i) => ({ itemId: i.itemId, description: i.description, dueBy: i.dueBy, met: false }));
      return {
        ...state,
        checklists: [...state.checklists, { checklistId: d.checklistId, transferId: d.transferId, gating: d.gating, items, completed: items.length === 0 }],
      };
    }
    case 'ChecklistItemMet': {
      const d = decision.data;
      return updateChecklist(state, d.checklistId, (c) => ({ ...c, items: c.items.map((i) => (i.itemId === d.itemId ? { ...i, met: true } : i)) }));
    }
    case 'ChecklistCompleted':
      return updateChecklist(state, decision.data.checklistId, (c) => ({ ...c, completed: true }));
    case 'EscalationRaised': {
      const d = decision.data;
      const raised: EscalationState = {
        escalationId: d.escalationId,
        reason: d.reason,
        ...(d.transferId ? { transferId: d.transferId } : {}),
        ...(d.itemId ? { itemId: d.itemId } : {}),
        ...(d.itemIds ? { itemIds: d.itemIds } : {}),
        ...(d.deadlineId ? { deadlineId: d.deadlineId } : {}),
        ...(d.coWorkId ? { coWorkId: d.coWorkId } : {}),
        rung: d.rung,
        role: d.role,
        dueBy: d.dueBy,
        ...(d.about ? { about: d.about } : {}),
        resolved: false,
      };
      const before = state.escalations.find((e) => e.escalationId === d.escalationId);
      const honoured = [...(before?.requestsHonoured ?? []), ...(d.requestEventId ? [d.requestEventId] : [])];
      if (honoured.length) raised.requestsHonoured = honoured;
      // The same escalation climbing the ladder (or raised again with its items updated) replaces what it was.
      return { ...state, escalations: [...state.escalations.filter((e) => e.escalationId !== d.escalationId), raised] };
    }
    case 'EscalationResolved': {
      const d = decision.data;
      return { ...state, escalations: state.escalations.map((e) => (e.escalationId === d.escalationId ? { ...e, resolved: true } : e)) };
    }
    case 'AllocationRequired': {
      const d = decision.data;
      return { ...state, allocationRequired: { since: on, dueBy: d.dueBy } };
    }
    case 'BirthdayApproaching': {
      // A warning (warnAhead) tells people to prepare; the milestone is announced once, without one.
      const d = decision.data;
      return d.warnAhead ? state : announce(state, d.ageYears);
    }
    case 'CaseRetained': {
      const d = decision.data;
      if (!d.holdsWhile?.length) return state;
      return { ...state, retained: { ruleId: d.ruleId, citation: d.citation, team: d.team, since: d.trigger.occurredOn } };
    }
    case 'CoWorkRequired': {
      const d = decision.data;
      const coWork: CoWorkState = { coWorkId: d.coWorkId, team: d.coWorkingTeam, ruleId: d.ruleId, citation: d.citation, since: d.trigger.occurredOn, dueBy: d.dueBy };
      return { ...state, coWorks: [...state.coWorks.filter((c) => c.coWorkId !== d.coWorkId), coWork] };
    }
    case 'CoWorkWithdrawn': {
      const d = decision.data;
      return { ...state, coWorks: state.coWorks.filter((c) => c.coWorkId !== d.coWorkId) };
    }
    default: {
      const unhandled: never = decision;
      return unhandled;
    }
  }
}
