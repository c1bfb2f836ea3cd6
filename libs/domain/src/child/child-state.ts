/**
 * What the rules need to know about one child, folded from the child's stream of facts and
 * decisions (the fold is `evolve`, in ./evolve.ts, one module per concern beside it), and the
 * queries every part of the core asks of it.
 */
import type { LocalDate } from '../calendar/local-date';
import type { CaseEvent, Disability, OrderKind } from '../events/case-events';
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
