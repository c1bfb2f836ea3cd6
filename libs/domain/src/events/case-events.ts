/**
 * The case-event catalogue: what an authority's case-management system tells us happened.
 * Facts are past tense and immutable. The JSON Schemas in contracts/events/case/ describe the same
 * shapes for the edge; these types are what the core folds. Keep the two in step (a unit test in
 * libs/contracts compares the catalogue names).
 *
 * Dates of business events are `LocalDate` ('YYYY-MM-DD', Europe/London); instants are ISO strings.
 */
import type { LocalDate } from '../calendar/local-date';

/** Orders a court can make (DESIGN.md catalogue). Interim orders lapse; final ones conclude proceedings. */
export const ORDER_KINDS = [
  'EPO',
  'ICO',
  'ISO',
  'interim-CAO',
  'care-order',
  'placement-order',
  'supervision-order',
  'SGO',
  'CAO',
  'discharge',
] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];
export const INTERIM_ORDERS: readonly OrderKind[] = ['EPO', 'ICO', 'ISO', 'interim-CAO'];

export const IMPAIRMENT_LEVELS = ['none', 'mild', 'moderate', 'severe', 'profound'] as const;
export type ImpairmentLevel = (typeof IMPAIRMENT_LEVELS)[number];

export interface Disability {
  /** 000 ¶10: "permanent or substantial disability" */
  permanentOrSubstantial: boolean;
  /** 000 ¶10: "severely or profoundly impaired" */
  impairment: ImpairmentLevel;
}

export interface CaseEventDataByType {
  ReferralReceived: {
    referralSource: string;
    /**
     * statement-or-report: a statement or report requested by another authority or a court (004 MASH 8);
     * private-fostering-assessment: an assessment of a private fostering arrangement (001 §3 Assessment).
     */
    requestType?: 'standard' | 'section-7-report' | 'section-37-report' | 'statement-or-report' | 'pre-birth-assessment' | 'private-fostering-assessment';
    concerns?: string[];
    disability?: Disability;
    /** false: the child does not live in the authority's area (004 MASH 8, "children not in the area"). */
    livesInArea?: boolean;
    /** The parents have had previous children removed from their care (004 MASH 9, pre-birth assessments). */
    previousChildrenRemoved?: boolean;
    /** The child's siblings are currently subject to care proceedings (004 BIT 2, unborn babies). */
    siblingsInCareProceedings?: boolean;
  };
  ChildDetailsRecorded: {
    dateOfBirth?: LocalDate;
    expectedDateOfBirth?: LocalDate;
    disability?: Disability;
    unaccompaniedAsylumSeeking?: boolean;
    /** Care leaver status (Children (Leaving Care) Act 2000): 003 §6 CIC "Relevant Status", 004 PTC 9. */
    careLeaverStatus?: 'eligible' | 'relevant' | 'former-relevant' | 'qualifying' | 'none';
    /** Ongoing care and support needs that may make the child eligible for adult services (003 §6, Transition Panel). */
    ongoingCareAndSupportNeeds?: boolean;
  };
  /** A front-door or step-up/down threshold decision (000 ¶9, ¶10). */
  ThresholdDecisionMade: {
    decision:
      | 'statutory-assessment'
      | 'step-up-to-social-care'
      | 'step-down-to-early-help'
      | 'early-help'
      | 'no-further-action';
    familyConsent?: boolean;
    familyInformed?: boolean;
    /**
     * The team the decision directs the child to, when it names one: the front door decides "where
     * the referral should be directed" (001 §3 MASH), and children are "transferred directly to the
     * service" (004 Trajectory Model 3). A rule reads it as `to: { fact: event.team }`.
     */
    team?: string;
  };
  /** `area`: the team's area or district, where one team code serves several (003 §8, Kent districts). */
  WorkerAllocated: { team: string; workerId: string; area?: string };
  AssessmentCompleted: {
    assessment: 'child-and-family' | 'section-47' | 'pre-birth' | 'other';
    outcome:
      | 'no-further-action'
      | 'early-help'
      | 'step-down-to-early-help'
      | 'child-in-need'
      | 'strategy-discussion'
      | 'child-protection-conference';
    primaryIssue?: string;
  };
  StrategyDiscussionHeld: { outcome: 'section-47-enquiry' | 'child-in-need' | 'no-further-action' };
  /**
   * `predominantConcern`: the concern the conference judged predominant, where the procedure turns
   * on it (003 §6 AST: "If the reasons are predominately parenting related"), in the words of
   * `concerns` (e.g. parenting, contextual).
   */
  ICPCHeld: { outcome: 'cp-plan' | 'cin-plan' | 'no-further-action'; concerns?: string[]; predominantConcern?: string };
  RCPCHeld: { outcome: 'cp-plan-continues' | 'cin-plan' | 'no-further-action'; concerns?: string[] };
  ChildInNeedPlanStarted: { startedOn?: LocalDate };
  CINReviewHeld: {
    outcome: 'plan-continues' | 'step-down-to-early-help' | 'step-up-to-child-protection' | 'close';
    familyConsent?: boolean;
  };
  CoreGroupHeld: { sequence: number };
  /** Gives a handover point a real date: `kind` is one of the pack's meeting kinds. */
  MeetingScheduled: { kind: string; on: LocalDate; cancelled?: boolean };
  PLOStarted: Record<string, never>;
  PLOReviewHeld: { sequence: number; outcome?: 'continue' | 'issue-proceedings' | 'step-down' };
  LegalGatewayMeetingHeld: {
    decision: 'issue-proceedings' | 'pre-proceedings' | 'no-legal-action';
    urgent?: boolean;
  };
  CareProceedingsIssued: { urgent?: boolean };
  HearingHeld: { kind: 'initial' | 'cmh' | 'irh' | 'final' | 'other'; concluded?: boolean };
  OrderMade: {
    order: OrderKind;
    dischargedOrder?: OrderKind;
    /**
     * The local authority's position when the court, not agreeing with its care plan, grants an
     * interim CAO or ISO (003 §6 CSWT, Transfers to CIC): the child should be in care (transfer to
     * CIC), or is safe with extended family or friends (the child remains with the district).
     */
    localAuthorityPosition?: 'child-should-be-in-care' | 'child-safe-with-family';
  };
  ChildAccommodated: {
    legalBasis: 's20' | 'police-protection' | 'EPO' | 'ICO' | 'care-order' | 'remand';
    expectedDurationWeeks?: number;
    planToIssueProceedings?: boolean;
  };
  CLAReviewHeld: {
    sequence: number;
    plan:
      | 'reunification'
      | 'long-term-fostering'
      | 'adoption'
      | 'special-guardianship'
      | 'residential'
      | 'independence'
      | 'other';
    reunificationWithinMonths?: number;
  };
  ChildCeasedLookedAfter: {
    reason: 'returned-home' | 'special-guardianship' | 'adopted' | 'child-arrangements-order' | 'turned-18' | 'other';
  };
  /** An age milestone is near (sent by the case-management system, or computed by escalation). */
  BirthdayApproaching: { ageYears: number; on: LocalDate };
  /**
   * The child's family moved: to another area of this authority, to another authority, or into this
   * authority from another (003 §8, §9). `area` is the area moved to (within-authority); for a move
   * in, `planOnArrival` is the plan the child arrives on.
   */
  ChildMoved: {
    destination: 'within-authority' | 'other-authority' | 'into-authority';
    planned: boolean;
    temporary?: boolean;
    area?: string;
    otherAuthority?: string;
    planOnArrival?: 'cin' | 'cp' | 'none';
  };
  CaseClosed: { closingTeam?: string; reason?: string };
  TransitionPanelHeld: { outcome: 'adult-services-eligible' | 'not-eligible' | 'deferred' };
  ChecklistItemCompleted: { transferId: string; itemId: string };
  TransferRequested: { fromTeam: string; toTeam: string; reason?: string };
  TransferDisputed: { transferId: string; reason: string; capacity?: boolean };
  SiblingSeparationRecorded: { reason: string; withdrawn?: boolean };
  /**
   * A manager asks, in the case-management system, for an escalation to go to the next rung of the
   * ladder (003 §4: the Service Manager "where necessary, escalate[s] their concerns to the
   * relevant Assistant Director"), as `POST /v1/escalations/{escalationId}/escalate` does.
   */
  EscalationRequested: { escalationId: string; reason: string; by?: string };
}

export type CaseEventType = keyof CaseEventDataByType;

export const CASE_EVENT_TYPES = [
  'ReferralReceived',
  'ChildDetailsRecorded',
  'ThresholdDecisionMade',
  'WorkerAllocated',
  'AssessmentCompleted',
  'StrategyDiscussionHeld',
  'ICPCHeld',
  'RCPCHeld',
  'ChildInNeedPlanStarted',
  'CINReviewHeld',
  'CoreGroupHeld',
  'MeetingScheduled',
  'PLOStarted',
  'PLOReviewHeld',
  'LegalGatewayMeetingHeld',
  'CareProceedingsIssued',
  'HearingHeld',
  'OrderMade',
  'ChildAccommodated',
  'CLAReviewHeld',
  'ChildCeasedLookedAfter',
  'BirthdayApproaching',
  'ChildMoved',
  'CaseClosed',
  'TransitionPanelHeld',
  'ChecklistItemCompleted',
  'TransferRequested',
  'TransferDisputed',
  'SiblingSeparationRecorded',
  'EscalationRequested',
] as const satisfies readonly CaseEventType[];

/** The envelope every case event arrives in (DESIGN.md "The case-event envelope"). */
export interface CaseEventEnvelope {
  eventId: string;
  authority: string;
  childId: string;
  familyId?: string;
  /** ISO instant with offset. Its Europe/London date is the business date of the fact. */
  occurredAt: string;
  source: string;
}

/**
 * A case event: one member per type, so `switch (event.type)` narrows `event.data` with no cast.
 * `CaseEvent` is the union of all; `CaseEvent<'OrderMade'>` is that one member; `CaseEvent<'A' | 'B'>`
 * is the union of those two (the mapped type distributes over T).
 */
export type CaseEvent<T extends CaseEventType = CaseEventType> = { [K in T]: CaseEventEnvelope & { type: K; data: CaseEventDataByType[K] } }[T];

/**
 * A case event's type and data, without the envelope: what a mapper builds before it knows the ids.
 * `{ ...envelope, ...body }` is a CaseEvent (a spread of a union is a union), where a function
 * generic in the type could only be widened to CaseEvent with a cast.
 */
export type CaseEventBody = { [K in CaseEventType]: { type: K; data: CaseEventDataByType[K] } }[CaseEventType];

/** Narrowing helper: `isCaseEvent(e, 'ICPCHeld')` gives `e.data` its precise type. */
export const isCaseEventOf = <T extends CaseEventType>(event: CaseEvent, type: T): event is Extract<CaseEvent, { type: T }> =>
  event.type === type;
