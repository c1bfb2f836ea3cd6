/**
 * One valid, realistic example of every case event type and every decision record, for tests here
 * and end to end. The data is pseudonymous and invented; dates are in 2026. Each example is typed
 * with the domain's own types, so a change to the catalogue that the examples no longer fit fails
 * the type check, and the unit tests prove each one passes its JSON Schema.
 *
 * The examples are frozen: use `caseEventExample` / `decisionExample` for a copy to change.
 */
// A type-only import (erased at run time) by relative path: these are test fixtures, and the domain
// types are what end-to-end tests want. Production code in this library never imports the domain.
import type * as cases from '@cto/domain';
import type * as decisions from '@cto/domain';
import type { DecisionRecord } from '../envelopes';

type CaseEventType = cases.CaseEventType;
type DecisionType = decisions.DecisionType;

export type CaseEventExamples = { readonly [T in CaseEventType]: cases.CaseEvent<T> };
export type DecisionExample<T extends DecisionType = DecisionType> = DecisionRecord<T, decisions.DecisionDataByType[T]>;
export type DecisionExamples = { readonly [T in DecisionType]: DecisionExample<T> };

export const EXAMPLE_AUTHORITY = 'demo';
export const EXAMPLE_CHILD_ID = 'C-1029';
export const EXAMPLE_FAMILY_ID = 'F-77';
export const EXAMPLE_TRANSFER_ID = 'tr-0f3a9c21d4e5b6';
export const EXAMPLE_ESCALATION_ID = 'esc-5b1d02';

function caseEvent<T extends CaseEventType>(
  type: T,
  serial: number,
  occurredAt: string,
  data: cases.CaseEventDataByType[T],
): cases.CaseEvent<T> {
  return {
    eventId: `evt-2026-${String(serial).padStart(4, '0')}`,
    type,
    authority: EXAMPLE_AUTHORITY,
    childId: EXAMPLE_CHILD_ID,
    familyId: EXAMPLE_FAMILY_ID,
    occurredAt,
    source: 'lcs',
    data,
  };
}

/** A child's year, roughly in the order it could happen (serials give unique event ids). */
export const CASE_EVENT_EXAMPLES: CaseEventExamples = deepFreeze({
  ReferralReceived: caseEvent('ReferralReceived', 1, '2026-01-12T09:14:00Z', {
    referralSource: 'school',
    requestType: 'standard',
    concerns: ['neglect', 'poor school attendance'],
  }),
  ChildDetailsRecorded: caseEvent('ChildDetailsRecorded', 2, '2026-01-12T11:02:00Z', {
    dateOfBirth: '2011-08-20',
    disability: { permanentOrSubstantial: false, impairment: 'none' },
    unaccompaniedAsylumSeeking: false,
  }),
  ThresholdDecisionMade: caseEvent('ThresholdDecisionMade', 3, '2026-01-13T15:40:00Z', {
    decision: 'statutory-assessment',
    familyInformed: true,
  }),
  WorkerAllocated: caseEvent('WorkerAllocated', 4, '2026-01-14T10:00:00Z', { team: 'A&I', workerId: 'W-3107' }),
  AssessmentCompleted: caseEvent('AssessmentCompleted', 5, '2026-02-20T16:30:00Z', {
    assessment: 'child-and-family',
    outcome: 'strategy-discussion',
    primaryIssue: 'neglect',
  }),
  StrategyDiscussionHeld: caseEvent('StrategyDiscussionHeld', 6, '2026-02-23T13:00:00Z', { outcome: 'section-47-enquiry' }),
  ICPCHeld: caseEvent('ICPCHeld', 7, '2026-03-02T10:00:00+00:00', { outcome: 'cp-plan', concerns: ['neglect'] }),
  MeetingScheduled: caseEvent('MeetingScheduled', 8, '2026-03-03T09:30:00Z', { kind: 'initial-core-group', on: '2026-03-13' }),
  CoreGroupHeld: caseEvent('CoreGroupHeld', 9, '2026-03-13T14:00:00Z', { sequence: 1 }),
  RCPCHeld: caseEvent('RCPCHeld', 10, '2026-05-28T10:00:00+01:00', { outcome: 'cp-plan-continues', concerns: ['neglect'] }),
  ChildInNeedPlanStarted: caseEvent('ChildInNeedPlanStarted', 11, '2026-06-01T09:00:00+01:00', { startedOn: '2026-06-01' }),
  CINReviewHeld: caseEvent('CINReviewHeld', 12, '2026-07-15T11:00:00+01:00', { outcome: 'plan-continues', familyConsent: true }),
  PLOStarted: caseEvent('PLOStarted', 13, '2026-07-20T09:00:00+01:00', {}),
  PLOReviewHeld: caseEvent('PLOReviewHeld', 14, '2026-08-03T14:00:00+01:00', { sequence: 1, outcome: 'continue' }),
  LegalGatewayMeetingHeld: caseEvent('LegalGatewayMeetingHeld', 15, '2026-09-07T10:30:00+01:00', {
    decision: 'issue-proceedings',
    urgent: false,
  }),
  CareProceedingsIssued: caseEvent('CareProceedingsIssued', 16, '2026-09-14T12:00:00+01:00', { urgent: false }),
  HearingHeld: caseEvent('HearingHeld', 17, '2026-09-21T10:00:00+01:00', { kind: 'initial', concluded: false }),
  OrderMade: caseEvent('OrderMade', 18, '2026-09-21T15:20:00+01:00', { order: 'ICO' }),
  ChildAccommodated: caseEvent('ChildAccommodated', 19, '2026-09-21T18:00:00+01:00', {
    legalBasis: 'ICO',
    expectedDurationWeeks: 26,
    planToIssueProceedings: false,
  }),
  CLAReviewHeld: caseEvent('CLAReviewHeld', 20, '2026-10-19T10:00:00+01:00', {
    sequence: 1,
    plan: 'reunification',
    reunificationWithinMonths: 6,
  }),
  ChildCeasedLookedAfter: caseEvent('ChildCeasedLookedAfter', 21, '2026-12-18T16:00:00Z', { reason: 'returned-home' }),
  BirthdayApproaching: caseEvent('BirthdayApproaching', 22, '2026-11-20T08:00:00Z', { ageYears: 15.5, on: '2027-02-20' }),
  ChildMoved: caseEvent('ChildMoved', 23, '2026-10-02T12:00:00+01:00', {
    destination: 'within-authority',
    planned: true,
    temporary: false,
    area: 'North',
  }),
  CaseClosed: caseEvent('CaseClosed', 24, '2026-12-21T15:00:00Z', { closingTeam: 'FSP', reason: 'Child returned home; plan ended.' }),
  TransitionPanelHeld: caseEvent('TransitionPanelHeld', 25, '2026-11-05T14:00:00Z', { outcome: 'deferred' }),
  ChecklistItemCompleted: caseEvent('ChecklistItemCompleted', 26, '2026-03-10T11:45:00Z', {
    transferId: EXAMPLE_TRANSFER_ID,
    itemId: 'chronology-up-to-date',
  }),
  TransferRequested: caseEvent('TransferRequested', 27, '2026-04-08T10:15:00+01:00', {
    fromTeam: 'A&I',
    toTeam: 'CWD',
    reason: 'Disability threshold met after the OT assessment.',
  }),
  TransferDisputed: caseEvent('TransferDisputed', 28, '2026-03-11T09:20:00Z', {
    transferId: EXAMPLE_TRANSFER_ID,
    reason: 'The initial core group has not been held yet.',
  }),
  SiblingSeparationRecorded: caseEvent('SiblingSeparationRecorded', 29, '2026-03-11T10:00:00Z', {
    reason: 'Agreed by the service leads: co-working across two teams.',
  }),
  EscalationRequested: caseEvent('EscalationRequested', 30, '2026-03-18T10:30:00Z', {
    escalationId: EXAMPLE_ESCALATION_ID,
    reason: 'The service managers cannot agree the transfer point; for the Assistant Director to resolve.',
    by: 'service-manager-north',
  }),
});

const RULE = {
  ruleId: 'child-protection-plan-to-fsp',
  ruleVersion: 1,
  packId: 'internal-transfer-v11',
  packVersion: '11.1.0',
  citation: '000_c0d212b149d080fa.txt ¶12',
} as const;

const HANDOVER: decisions.HandoverPointResolution = {
  description: 'the initial core group, within 10 working days of the ICPC',
  basis: 'meeting',
  meeting: 'initial-core-group',
  steps: ['ICPC held 2026-03-02', 'initial core group scheduled 2026-03-13, within 10 working days (2026-03-16)'],
};

function decision<T extends DecisionType>(
  type: T,
  serial: number,
  occurredAt: string,
  data: decisions.DecisionDataByType[T],
): DecisionExample<T> {
  return {
    eventId: `dec-2026-${String(serial).padStart(4, '0')}`,
    type,
    authority: EXAMPLE_AUTHORITY,
    childId: EXAMPLE_CHILD_ID,
    familyId: EXAMPLE_FAMILY_ID,
    occurredAt,
    causationId: 'evt-2026-0007',
    correlationId: 'evt-2026-0007',
    data,
  };
}

export const DECISION_EXAMPLES: DecisionExamples = deepFreeze({
  TransferProposed: decision('TransferProposed', 1, '2026-03-02T10:00:05Z', {
    ...RULE,
    transferId: EXAMPLE_TRANSFER_ID,
    fromTeam: 'A&I',
    toTeam: 'FSP',
    trigger: { eventId: 'evt-2026-0007', type: 'ICPCHeld', occurredOn: '2026-03-02' },
    handoverPoint: { ...HANDOVER, basis: 'awaiting-date', fallbackReason: 'undated', steps: ['the initial core group has no date yet'] },
    dueBy: '2026-03-16',
    explanation: ['the child is held by A&I', 'the ICPC agreed a CP plan'],
  }),
  TransferRescheduled: decision('TransferRescheduled', 2, '2026-03-03T09:30:04Z', {
    ...RULE,
    transferId: EXAMPLE_TRANSFER_ID,
    previousDueBy: '2026-03-16',
    dueBy: '2026-03-13',
    handoverPoint: HANDOVER,
  }),
  TransferAccepted: decision('TransferAccepted', 3, '2026-03-04T12:00:00Z', { ...RULE, transferId: EXAMPLE_TRANSFER_ID, by: 'FSP team manager' }),
  TransferRejected: decision('TransferRejected', 4, '2026-03-04T12:00:00Z', {
    ...RULE,
    transferId: EXAMPLE_TRANSFER_ID,
    reason: 'The child protection plan has been withdrawn.',
    by: 'FSP team manager',
  }),
  TransferDisputed: decision('TransferDisputed', 5, '2026-03-11T09:20:02Z', {
    ...RULE,
    transferId: EXAMPLE_TRANSFER_ID,
    reason: 'The initial core group has not been held yet.',
  }),
  TransferCompleted: decision('TransferCompleted', 6, '2026-03-13T14:00:03Z', {
    ...RULE,
    transferId: EXAMPLE_TRANSFER_ID,
    toTeam: 'FSP',
    completedOn: '2026-03-13',
  }),
  // A pack deadline lapsed it (004 CFF 14); a manager's withdrawal has only `reason`.
  TransferWithdrawn: decision('TransferWithdrawn', 7, '2026-03-31T06:00:00Z', {
    ...RULE,
    transferId: EXAMPLE_TRANSFER_ID,
    reason: 'lapsed: A referral to the Step Down Panel not actioned 20 working days after it was made lapses (not actioned by 2026-03-30)',
    lapsed: { deadlineId: 'step-down-referral-lapses', dueBy: '2026-03-30' },
  }),
  ChecklistOpened: decision('ChecklistOpened', 8, '2026-03-02T10:00:05Z', {
    ...RULE,
    transferId: EXAMPLE_TRANSFER_ID,
    checklistId: 'cl-0f3a9c21d4e5b6',
    gating: 'non-blocking-escalate',
    items: [
      { itemId: 'chronology-up-to-date', description: 'Chronology up to date', dueBy: '2026-03-11' },
      { itemId: 'case-summary', description: 'Case summary recorded', dueBy: null },
    ],
  }),
  ChecklistItemMet: decision('ChecklistItemMet', 9, '2026-03-10T11:45:02Z', {
    ...RULE,
    transferId: EXAMPLE_TRANSFER_ID,
    checklistId: 'cl-0f3a9c21d4e5b6',
    itemId: 'chronology-up-to-date',
  }),
  ChecklistCompleted: decision('ChecklistCompleted', 10, '2026-03-12T16:00:00Z', {
    ...RULE,
    transferId: EXAMPLE_TRANSFER_ID,
    checklistId: 'cl-0f3a9c21d4e5b6',
  }),
  EscalationRaised: decision('EscalationRaised', 11, '2026-03-17T08:00:00Z', {
    ...RULE,
    escalationId: EXAMPLE_ESCALATION_ID,
    transferId: EXAMPLE_TRANSFER_ID,
    rung: 1,
    role: 'A&I team manager',
    reason: 'overdue',
    dueBy: '2026-03-19',
    alsoTold: ['Child Protection Chair'],
  }),
  EscalationResolved: decision('EscalationResolved', 12, '2026-03-18T15:30:00Z', {
    ...RULE,
    escalationId: EXAMPLE_ESCALATION_ID,
    resolution: 'Transfer completed after the core group.',
  }),
  AllocationRequired: decision('AllocationRequired', 13, '2026-03-13T14:00:03Z', {
    ...RULE,
    reason: 'A child on a CP plan has no named worker in FSP.',
    dueBy: '2026-03-16',
  }),
  BirthdayApproaching: decision('BirthdayApproaching', 14, '2026-11-20T08:00:00Z', { ...RULE, ageYears: 15.5, on: '2027-02-20' }),
  CaseRetained: decision('CaseRetained', 16, '2026-06-02T15:00:02Z', {
    ...RULE,
    team: 'FSP',
    trigger: { eventId: 'evt-2026-0017', type: 'OrderMade', occurredOn: '2026-06-02' },
    explanation: ['held by FSP', 'event.order is supervision-order (was supervision-order)', 'the case remains with FSP'],
    holdsWhile: ['child.orders includes supervision-order (was [supervision-order])'],
  }),
  CoWorkRequired: decision('CoWorkRequired', 17, '2026-09-01T08:00:03Z', {
    ...RULE,
    coWorkId: 'cw-4b1e0c77a9d2f3',
    holdingTeam: 'CLA',
    coWorkingTeam: 'LCS',
    trigger: { eventId: 'evt-2026-0018', type: 'BirthdayApproaching', occurredOn: '2026-09-01' },
    handoverPoint: { description: 'at 16', basis: 'timescale', steps: ['16th birthday 2026-09-01'] },
    dueBy: '2026-09-01',
    explanation: ['held by CLA', 'event.ageYears is 16 (was 16)'],
  }),
  CoWorkWithdrawn: decision('CoWorkWithdrawn', 18, '2026-09-03T08:00:00Z', {
    ...RULE,
    coWorkId: 'cw-4b1e0c77a9d2f3',
    reason: 'superseded-by-late-fact',
    supersededBy: [{ eventId: 'evt-2026-0019', type: 'CaseClosed', occurredOn: '2026-08-28' }],
  }),
});

/** A fresh, changeable copy of a case event example. */
export function caseEventExample<T extends CaseEventType>(type: T): cases.CaseEvent<T> {
  return structuredClone(CASE_EVENT_EXAMPLES[type]);
}

/** A fresh, changeable copy of a decision record example. */
export function decisionExample<T extends DecisionType>(type: T): DecisionExample<T> {
  return structuredClone(DECISION_EXAMPLES[type]) as DecisionExample<T>;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
