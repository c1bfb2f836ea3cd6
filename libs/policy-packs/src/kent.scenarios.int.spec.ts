/**
 * Scenarios for policies/kent.yaml against its source document,
 * policies/sources/003_fbe064539c50cc36.txt (Kent Integrated Children's Services transfer procedure).
 *
 * One `describe` per rule, named by the section and headings it cites ("003 §6 <team heading>,
 * <transfer heading> — …"); the helper checks each decision's citation names every one of them.
 * Each rule has a scenario that fires it and one that shows its exception or a non-match. A
 * co-work rule's decision is a CoWorkRequired: the case stays with the team holding it. Dates
 * are pinned and every dueBy is counted by hand from the calendar, with England and Wales bank
 * holidays: 2026 — 1 Jan, 3 Apr, 6 Apr, 4 May, 25 May, 31 Aug, 25 Dec, 28 Dec; 2027 — 1 Jan,
 * 26 Mar, 29 Mar, 3 May, 31 May, 30 Aug, 27 Dec, 28 Dec.
 */
import * as path from 'node:path';
import {
  compilePack,
  decide,
  decideTransferCommand,
  escalateByRequest,
  evolve,
  initialChildState,
  openChecklist,
  siblingRuleFor,
  supervise,
  type CaseEvent,
  type CaseEventDataByType,
  type ChildState,
  type ChildStreamEvent,
  type Decision,
  type DecisionDataByType,
  type LocalDate,
  type ProposalContext,
} from '@cto/domain';
import {
  accommodated,
  birthdayApproaching,
  bornOn,
  caseClosed,
  caseEvent,
  ceasedLookedAfter,
  childDetails,
  cinPlanStarted,
  cinReviewHeld,
  claReviewHeld,
  coWorkRequired,
  disability,
  heldBy,
  icpcHeld,
  meetingScheduled,
  orderMade,
  proceedingsIssued,
  proposed,
  referralReceived,
  rescheduled,
  retained,
  ruleOutcome,
  scenario,
  SCENARIO_AUTHORITY,
  SCENARIO_CHILD_ID,
  thresholdDecision,
  describeEveryRuleFires,
  FamilySimulation,
} from '@cto/testing';
import { loadPolicyPackFile } from './index';

const pack = loadPolicyPackFile(path.resolve(__dirname, '../../../policies/kent.yaml'));
const compiled = compilePack(pack);
const spec = scenario(compiled);
const { given } = spec;

// --- Case events the shared builders do not cover (caseEvent from @cto/testing) ----------------

type Assessment = CaseEventDataByType['AssessmentCompleted'];

const assessmentCompleted = ({
  on,
  assessment = 'child-and-family',
  outcome = 'child-in-need',
  primaryIssue,
}: {
  on: LocalDate;
  assessment?: Assessment['assessment'];
  outcome?: Assessment['outcome'];
  primaryIssue?: string;
}) => caseEvent('AssessmentCompleted', on, { assessment, outcome, ...(primaryIssue ? { primaryIssue } : {}) });

/** Accommodated under section 20 with the expected length of the placement. */
const accommodatedUnderS20For = ({ on, weeks }: { on: LocalDate; weeks?: number }) =>
  caseEvent('ChildAccommodated', on, { legalBasis: 's20', ...(weeks !== undefined ? { expectedDurationWeeks: weeks } : {}) });

const icpcWithConcerns = ({ on, outcome = 'cp-plan', concerns }: { on: LocalDate; outcome?: CaseEventDataByType['ICPCHeld']['outcome']; concerns: string[] }) =>
  caseEvent('ICPCHeld', on, { outcome, concerns });

const transitionPanelHeld = ({ on, outcome }: { on: LocalDate; outcome: CaseEventDataByType['TransitionPanelHeld']['outcome'] }) =>
  caseEvent('TransitionPanelHeld', on, { outcome });

const childMoved = ({
  on,
  destination,
  planned = true,
  temporary,
  area,
  planOnArrival,
}: {
  on: LocalDate;
  destination: CaseEventDataByType['ChildMoved']['destination'];
  planned?: boolean;
  temporary?: boolean;
  area?: string;
  planOnArrival?: CaseEventDataByType['ChildMoved']['planOnArrival'];
}) =>
  caseEvent('ChildMoved', on, {
    destination,
    planned,
    ...(temporary !== undefined ? { temporary } : {}),
    ...(area ? { area } : {}),
    ...(planOnArrival ? { planOnArrival, otherAuthority: 'Medway' } : {}),
  });

/** A worker of `team` is allocated; `area` is the Kent district (area) the team serves (§8). */
const allocated = ({ team, on = '2026-01-05', area, workerId = 'W-1' }: { team: string; on?: LocalDate; area?: string; workerId?: string }) =>
  caseEvent('WorkerAllocated', on, { team, workerId, ...(area ? { area } : {}) });

/** The checklist the child's latest proposed transfer opens with: item id → due date. */
const checklistFor = (state: ChildState, proposal?: ProposalContext): Record<string, LocalDate | null> => {
  const transfer = state.transfers[state.transfers.length - 1];
  const [opened] = openChecklist(state, transfer.transferId, compiled, proposal);
  const { items } = opened.data as DecisionDataByType['ChecklistOpened'];
  return Object.fromEntries(items.map((i) => [i.itemId, i.dueBy]));
};

const stepDown = (on: LocalDate, familyConsent?: boolean) => thresholdDecision({ on, decision: 'step-down-to-early-help', familyConsent });

// =================================================================================================
// §6 Children Social Work Team (CSWT)
// =================================================================================================

describe('003 §6 Children Social Work Team (CSWT), Transfers to Children in Care (CIC) Team — accommodated under S20, expected in foster care more than four weeks: CSWT → CIC at the initial Child in Care Review', () => {
  it('awaits the initial Child in Care Review’s date', () =>
    given(heldBy('CSWT'))
      .when(accommodatedUnderS20For({ on: '2026-03-02', weeks: 6 }))
      .then(proposed({ to: 'CIC', from: 'CSWT', dueBy: null, ruleId: 'section-20-expected-over-four-weeks-to-cic', basis: 'awaiting-date', meeting: 'initial-cic-review' })));

  it('is due at the initial Child in Care Review when it is already dated', () =>
    given(heldBy('CSWT'), meetingScheduled({ kind: 'initial-cic-review', on: '2026-03-27', scheduledOn: '2026-02-27' }))
      .when(accommodatedUnderS20For({ on: '2026-03-02', weeks: 5 }))
      .then(proposed({ to: 'CIC', dueBy: '2026-03-27', basis: 'meeting', meeting: 'initial-cic-review' })));

  it('is dated when the initial Child in Care Review is scheduled', () =>
    given(heldBy('CSWT'), accommodatedUnderS20For({ on: '2026-03-02', weeks: 26 }))
      .when(meetingScheduled({ kind: 'initial-cic-review', on: '2026-03-27', scheduledOn: '2026-03-05' }))
      .then(rescheduled({ previousDueBy: null, dueBy: '2026-03-27', basis: 'meeting', ruleId: 'section-20-expected-over-four-weeks-to-cic' })));

  it('does not fire when the child is expected to be accommodated for exactly four weeks', () =>
    given(heldBy('CSWT'))
      .when(accommodatedUnderS20For({ on: '2026-03-02', weeks: 4 }))
      .thenNothingHappened(ruleOutcome('section-20-expected-over-four-weeks-to-cic', 'conditions-not-met')));

  it('does not fire when no expected duration is recorded', () =>
    given(heldBy('CSWT'))
      .when(accommodatedUnderS20For({ on: '2026-03-02' }))
      .thenNothingHappened(ruleOutcome('section-20-expected-over-four-weeks-to-cic', 'conditions-not-met')));

  it('does not fire for police protection', () =>
    given(heldBy('CSWT'))
      .when(accommodated({ on: '2026-03-02', legalBasis: 'police-protection' }))
      .thenNothingHappened(ruleOutcome('section-20-expected-over-four-weeks-to-cic', 'conditions-not-met')));
});

describe('003 §6 Children Social Work Team (CSWT), Transfers to Children in Care (CIC) Team — an Interim Care Order is granted: CSWT → CIC at the initial Child in Care Review', () => {
  const inProceedingsWithCSWT = () => [heldBy('CSWT'), proceedingsIssued({ on: '2026-05-28' })];

  it('awaits the initial Child in Care Review’s date', () =>
    given(inProceedingsWithCSWT())
      .when(orderMade({ on: '2026-06-01', order: 'ICO' }))
      .then(
        proposed({ to: 'CIC', from: 'CSWT', dueBy: null, ruleId: 'interim-care-order-to-cic', basis: 'awaiting-date', meeting: 'initial-cic-review' }),
        ruleOutcome('care-proceedings-after-initial-review-to-cic', 'conditions-not-met'),
      ));

  it('is due at the initial Child in Care Review when it is already dated', () =>
    given(inProceedingsWithCSWT(), meetingScheduled({ kind: 'initial-cic-review', on: '2026-06-26', scheduledOn: '2026-06-01' }))
      .when(orderMade({ on: '2026-06-01', order: 'ICO' }))
      .then(proposed({ to: 'CIC', dueBy: '2026-06-26', basis: 'meeting', ruleId: 'interim-care-order-to-cic' })));

  // The interim CAO / ISO bullet needs the LA's view of its care plan, which no case event carries:
  // it is not encoded, so an ISO proposes nothing.
  it('does not fire on an Interim Supervision Order', () =>
    given(inProceedingsWithCSWT())
      .when(orderMade({ on: '2026-06-01', order: 'ISO' }))
      .thenNothingHappened(ruleOutcome('interim-care-order-to-cic', 'conditions-not-met')));

  it('does not fire for a child held by AST', () =>
    given(heldBy('AST'), proceedingsIssued({ on: '2026-05-28' }))
      .when(orderMade({ on: '2026-06-01', order: 'ICO' }))
      .thenNothingHappened(ruleOutcome('interim-care-order-to-cic', 'not-held-by-from-team')));
});

describe('003 §6 Children Social Work Team (CSWT), Transfers to Children in Care (CIC) Team — care proceedings for a child already accommodated: CSWT → CIC at the initial Child in Care Review', () => {
  // Accommodated under S20 for an expected two weeks, so the S20 bullet did not move the child.
  const accommodatedWithCSWT = () => [heldBy('CSWT'), accommodatedUnderS20For({ on: '2026-03-02', weeks: 2 })];

  it('awaits the initial Child in Care Review’s date', () =>
    given(accommodatedWithCSWT())
      .when(proceedingsIssued({ on: '2026-03-16' }))
      .then(
        proposed({ to: 'CIC', from: 'CSWT', dueBy: null, ruleId: 'care-proceedings-already-accommodated-to-cic', basis: 'awaiting-date', meeting: 'initial-cic-review' }),
        ruleOutcome('care-proceedings-after-initial-review-to-cic', 'conditions-not-met'),
      ));

  it('is due at the initial Child in Care Review when it is already dated', () =>
    given(accommodatedWithCSWT(), meetingScheduled({ kind: 'initial-cic-review', on: '2026-03-27', scheduledOn: '2026-03-10' }))
      .when(proceedingsIssued({ on: '2026-03-16' }))
      .then(proposed({ to: 'CIC', dueBy: '2026-03-27', basis: 'meeting', meeting: 'initial-cic-review' })));

  it('does not fire for a child who is not accommodated', () =>
    given(heldBy('CSWT'))
      .when(proceedingsIssued({ on: '2026-03-16' }))
      .thenNothingHappened(
        ruleOutcome('care-proceedings-already-accommodated-to-cic', 'conditions-not-met'),
        ruleOutcome('care-proceedings-after-initial-review-to-cic', 'conditions-not-met'),
      ));
});

describe('003 §6 Children Social Work Team (CSWT), Transfers to Children in Care (CIC) Team — already accommodated, initial review held: CSWT → CIC at the next Child in Care Review', () => {
  const reviewedWithCSWT = () => [
    heldBy('CSWT'),
    accommodatedUnderS20For({ on: '2026-03-02', weeks: 2 }),
    meetingScheduled({ kind: 'initial-cic-review', on: '2026-03-27', scheduledOn: '2026-03-05' }),
    claReviewHeld({ on: '2026-03-27', sequence: 1, plan: 'reunification' }),
  ];

  it('awaits the next review’s date when proceedings are issued (the initial review, in the past, is not the handover)', () =>
    given(reviewedWithCSWT())
      .when(proceedingsIssued({ on: '2026-04-20' }))
      .then(
        proposed({ to: 'CIC', from: 'CSWT', dueBy: null, ruleId: 'care-proceedings-after-initial-review-to-cic', basis: 'awaiting-date', meeting: 'cic-review' }),
        ruleOutcome('care-proceedings-already-accommodated-to-cic', 'conditions-not-met'),
      ));

  it('is due at the next review when it is already dated', () =>
    given(reviewedWithCSWT(), meetingScheduled({ kind: 'cic-review', on: '2026-06-26', scheduledOn: '2026-03-27' }))
      .when(proceedingsIssued({ on: '2026-04-20' }))
      .then(proposed({ to: 'CIC', dueBy: '2026-06-26', basis: 'meeting', meeting: 'cic-review' })));

  it('takes an ICO made after the initial review to the next review, not the initial one', () =>
    given(reviewedWithCSWT())
      .when(orderMade({ on: '2026-04-20', order: 'ICO' }))
      .then(
        proposed({ to: 'CIC', dueBy: null, ruleId: 'care-proceedings-after-initial-review-to-cic', meeting: 'cic-review' }),
        ruleOutcome('interim-care-order-to-cic', 'conditions-not-met'),
      ));

  it('does not fire on an interim Child Arrangements Order', () =>
    given(reviewedWithCSWT())
      .when(orderMade({ on: '2026-04-20', order: 'interim-CAO' }))
      .thenNothingHappened(ruleOutcome('care-proceedings-after-initial-review-to-cic', 'conditions-not-met')));
});

describe('003 §6 Children Social Work Team (CSWT), Transfers to Adolescent Support Teams (AST) — child exploitation the predominant need, aged 13+: CSWT → AST at the initial CIN meeting within 10 working days', () => {
  const fourteen = bornOn('2012-01-10');

  it('is due 10 working days after the C&F assessment, skipping the August bank holiday', () =>
    given(heldBy('CSWT'), fourteen)
      .when(assessmentCompleted({ on: '2026-08-20', primaryIssue: 'child-exploitation' }))
      .then(proposed({ to: 'AST', from: 'CSWT', dueBy: '2026-09-04', ruleId: 'exploitation-assessment-to-ast', basis: 'timescale', fallbackReason: 'undated' })));

  it('is due 10 working days on, skipping Good Friday and Easter Monday 2027', () =>
    given(heldBy('CSWT'), fourteen)
      .when(assessmentCompleted({ on: '2027-03-25', primaryIssue: 'child-exploitation' }))
      .then(proposed({ to: 'AST', dueBy: '2027-04-12' })));

  it('is due at the initial CIN meeting when it is dated within the 10 working days', () =>
    given(heldBy('CSWT'), fourteen, meetingScheduled({ kind: 'initial-cin-meeting', on: '2026-08-27', scheduledOn: '2026-08-18' }))
      .when(assessmentCompleted({ on: '2026-08-20', primaryIssue: 'child-exploitation' }))
      .then(proposed({ to: 'AST', dueBy: '2026-08-27', basis: 'meeting', meeting: 'initial-cin-meeting', fallbackReason: null })));

  it('fires on the 13th birthday', () =>
    given(heldBy('CSWT'), bornOn('2013-08-20'))
      .when(assessmentCompleted({ on: '2026-08-20', primaryIssue: 'child-exploitation' }))
      .then(proposed({ to: 'AST', dueBy: '2026-09-04' })));

  it('does not fire the day before the 13th birthday', () =>
    given(heldBy('CSWT'), bornOn('2013-08-21'))
      .when(assessmentCompleted({ on: '2026-08-20', primaryIssue: 'child-exploitation' }))
      .thenNothingHappened(ruleOutcome('exploitation-assessment-to-ast', 'conditions-not-met')));

  it('does not fire when the predominant need is parenting', () =>
    given(heldBy('CSWT'), fourteen)
      .when(assessmentCompleted({ on: '2026-08-20', primaryIssue: 'parenting-capacity' }))
      .thenNothingHappened(ruleOutcome('exploitation-assessment-to-ast', 'conditions-not-met')));

  it('does not fire when the assessment concludes a child protection conference', () =>
    given(heldBy('CSWT'), fourteen)
      .when(assessmentCompleted({ on: '2026-08-20', outcome: 'child-protection-conference', primaryIssue: 'child-exploitation' }))
      .thenNothingHappened(ruleOutcome('exploitation-assessment-to-ast', 'conditions-not-met')));
});

describe('003 §6 Children Social Work Team (CSWT), Transfers to Adolescent Support Teams (AST) — circumstances change for a child on a CIN plan: CSWT → AST at a CIN Review', () => {
  const onCINPlan = () => [heldBy('CSWT'), bornOn('2011-05-05'), cinPlanStarted({ on: '2026-01-12' })];

  it('awaits the CIN Review’s date', () =>
    given(onCINPlan())
      .when(assessmentCompleted({ on: '2026-06-01', primaryIssue: 'child-exploitation' }))
      .then(
        proposed({ to: 'AST', from: 'CSWT', dueBy: null, ruleId: 'exploitation-change-of-circumstances-to-ast', basis: 'awaiting-date', meeting: 'cin-review' }),
        ruleOutcome('exploitation-assessment-to-ast', 'conditions-not-met'),
      ));

  it('is dated when the CIN Review is brought forward', () =>
    given(onCINPlan(), assessmentCompleted({ on: '2026-06-01', primaryIssue: 'child-exploitation' }))
      .when(meetingScheduled({ kind: 'cin-review', on: '2026-06-15', scheduledOn: '2026-06-02' }))
      .then(rescheduled({ previousDueBy: null, dueBy: '2026-06-15', basis: 'meeting', ruleId: 'exploitation-change-of-circumstances-to-ast' })));

  it('does not fire when the updated assessment finds another primary issue', () =>
    given(onCINPlan())
      .when(assessmentCompleted({ on: '2026-06-01', primaryIssue: 'neglect' }))
      .thenNothingHappened(ruleOutcome('exploitation-change-of-circumstances-to-ast', 'conditions-not-met')));
});

describe('003 §6 Children Social Work Team (CSWT), Transfers to Family Finding Team (adoption) — a relinquished baby: CSWT → Family Finding at the first Child in Care Review', () => {
  const baby = bornOn('2026-02-20', { on: '2026-02-23' });

  it('awaits the first Child in Care Review’s date', () =>
    given(heldBy('CSWT', { since: '2026-02-23' }), baby)
      .when(assessmentCompleted({ on: '2026-03-02', primaryIssue: 'relinquished-baby' }))
      .then(proposed({ to: 'Family-Finding', from: 'CSWT', dueBy: null, ruleId: 'relinquished-baby-to-family-finding', basis: 'awaiting-date', meeting: 'initial-cic-review' })));

  it('is due at the first Child in Care Review when it is already dated', () =>
    given(heldBy('CSWT', { since: '2026-02-23' }), baby, meetingScheduled({ kind: 'initial-cic-review', on: '2026-03-27', scheduledOn: '2026-03-02' }))
      .when(assessmentCompleted({ on: '2026-03-02', primaryIssue: 'relinquished-baby' }))
      .then(proposed({ to: 'Family-Finding', dueBy: '2026-03-27', basis: 'meeting' })));

  it('goes to Family Finding ahead of the SIS route for a baby with a significant disability', () =>
    given(heldBy('CSWT', { since: '2026-02-23' }), baby, childDetails({ on: '2026-02-23', disability: disability('severe') }))
      .when(assessmentCompleted({ on: '2026-03-02', primaryIssue: 'relinquished-baby' }))
      .then(proposed({ to: 'Family-Finding', dueBy: null }), ruleOutcome('significant-disability-to-dct', 'lower-priority')));

  it('fires for a baby whose date of birth is not yet recorded (no age to test)', () =>
    given(heldBy('CSWT', { since: '2026-02-23' }))
      .when(assessmentCompleted({ on: '2026-03-02', primaryIssue: 'relinquished-baby' }))
      .then(proposed({ to: 'Family-Finding', dueBy: null, ruleId: 'relinquished-baby-to-family-finding' })));

  it('does not fire on a pre-birth assessment', () =>
    given(heldBy('CSWT', { since: '2026-02-23' }))
      .when(assessmentCompleted({ on: '2026-03-02', assessment: 'pre-birth', primaryIssue: 'relinquished-baby' }))
      .thenNothingHappened(ruleOutcome('relinquished-baby-to-family-finding', 'conditions-not-met')));

  // Born 5 May 2010: a 15-year-old mother whose case CSWT hold, the assessment recorded on her record.
  it('does not move a young parent to Family Finding (the exception)', () =>
    given(heldBy('CSWT'), bornOn('2010-05-05'))
      .when(assessmentCompleted({ on: '2026-03-02', primaryIssue: 'relinquished-baby' }))
      .thenNothingHappened(ruleOutcome('relinquished-baby-to-family-finding', 'exception')));
});

describe('003 §6 Children Social Work Team (CSWT), Transfers to Disabled Children’s Teams (DCT) — significant learning or physical disability, up to 18: CSWT → DCT at the initial CIN meeting within 10 working days', () => {
  const disabledTen = () => [heldBy('CSWT'), bornOn('2016-04-01'), childDetails({ disability: disability('severe') })];

  it('is due 10 working days after the C&F assessment, skipping Good Friday and Easter Monday 2026', () =>
    given(disabledTen())
      .when(assessmentCompleted({ on: '2026-04-02' }))
      .then(proposed({ to: 'DCT', from: 'CSWT', dueBy: '2026-04-20', ruleId: 'significant-disability-to-dct', basis: 'timescale', fallbackReason: 'undated' })));

  it('fires for a 15½-plus young person, due 10 working days on, skipping the Spring bank holiday', () =>
    given(heldBy('CSWT'), bornOn('2010-06-01'), childDetails({ disability: disability('moderate') }))
      .when(assessmentCompleted({ on: '2026-05-18' }))
      .then(proposed({ to: 'DCT', dueBy: '2026-06-02' })));

  it('takes the child to DCT ahead of AST: the behaviours may be the result of the disability', () =>
    given(heldBy('CSWT'), bornOn('2012-01-10'), childDetails({ disability: disability('severe') }))
      .when(assessmentCompleted({ on: '2026-08-20', primaryIssue: 'child-exploitation' }))
      .then(proposed({ to: 'DCT', dueBy: '2026-09-04', ruleId: 'significant-disability-to-dct' }), ruleOutcome('exploitation-assessment-to-ast', 'lower-priority')));

  it('does not fire at 18', () =>
    given(heldBy('CSWT'), bornOn('2008-03-01'), childDetails({ disability: disability('severe') }))
      .when(assessmentCompleted({ on: '2026-03-02' }))
      .thenNothingHappened(ruleOutcome('significant-disability-to-dct', 'conditions-not-met')));

  it('does not fire when the disability is not permanent or substantial', () =>
    given(heldBy('CSWT'), bornOn('2016-04-01'), childDetails({ disability: disability('mild', false) }))
      .when(assessmentCompleted({ on: '2026-04-02' }))
      .thenNothingHappened(ruleOutcome('significant-disability-to-dct', 'conditions-not-met')));

  it('leaves a 16-year-old whose primary need is autism without a learning disability to the 15½ limit (the exception)', () =>
    given(heldBy('CSWT'), bornOn('2010-01-15'), childDetails({ disability: disability('moderate') }))
      .when(assessmentCompleted({ on: '2026-04-02', primaryIssue: 'autism-without-learning-disability' }))
      .thenNothingHappened(ruleOutcome('significant-disability-to-dct', 'exception'), ruleOutcome('autism-under-15-and-a-half-to-dct', 'conditions-not-met')));

  // "the young person has a complex learning and/or physical disability, and may have autism in
  // addition to other disabilities": autism alongside a learning disability is no exception.
  // 2 April 2026 + 10 working days, skipping Good Friday 3 and Easter Monday 6 April: 7, 8, 9, 10,
  // 13, 14, 15, 16, 17, 20 April.
  it('takes a 16-year-old with autism and a learning disability to DCT', () =>
    given(heldBy('CSWT'), bornOn('2010-01-15'), childDetails({ disability: disability('moderate') }))
      .when(assessmentCompleted({ on: '2026-04-02', primaryIssue: 'autism' }))
      .then(proposed({ to: 'DCT', from: 'CSWT', dueBy: '2026-04-20', ruleId: 'significant-disability-to-dct' })));
});

describe('003 §6 Children Social Work Team (CSWT), Transfers to Disabled Children’s Teams (DCT) — primary need autism without a learning disability, up to 15½: CSWT → DCT at the initial CIN meeting within 10 working days', () => {
  const autism = 'autism-without-learning-disability';

  it('is due 10 working days after the C&F assessment', () =>
    given(heldBy('CSWT'), bornOn('2012-09-30'))
      .when(assessmentCompleted({ on: '2026-03-02', primaryIssue: autism }))
      .then(proposed({ to: 'DCT', from: 'CSWT', dueBy: '2026-03-16', ruleId: 'autism-under-15-and-a-half-to-dct', basis: 'timescale' })));

  it('fires the day before the child is 15½', () =>
    given(heldBy('CSWT'), bornOn('2010-09-03'))
      .when(assessmentCompleted({ on: '2026-03-02', primaryIssue: autism }))
      .then(proposed({ to: 'DCT', dueBy: '2026-03-16', ruleId: 'autism-under-15-and-a-half-to-dct' })));

  it('does not fire on the day the child is 15½', () =>
    given(heldBy('CSWT'), bornOn('2010-09-02'))
      .when(assessmentCompleted({ on: '2026-03-02', primaryIssue: autism }))
      .thenNothingHappened(ruleOutcome('autism-under-15-and-a-half-to-dct', 'conditions-not-met')));

  it('does not fire for a primary issue of autism with a learning disability (the SIS disability route’s)', () =>
    given(heldBy('CSWT'), bornOn('2012-09-30'))
      .when(assessmentCompleted({ on: '2026-03-02', primaryIssue: 'autism' }))
      .thenNothingHappened(ruleOutcome('autism-under-15-and-a-half-to-dct', 'conditions-not-met')));
});

describe('003 §6 Children Social Work Team (CSWT), Transfers to Disabled Children’s Teams (DCT) — a disabled child, threshold met for a Child Protection Conference: CSWT → DCT at the Initial Child Protection Conference', () => {
  const disabledWithCSWT = () => [heldBy('CSWT'), bornOn('2015-07-07'), childDetails({ disability: disability('profound') })];

  it('awaits the ICPC’s date after a section 47 enquiry', () =>
    given(disabledWithCSWT())
      .when(assessmentCompleted({ on: '2026-03-02', assessment: 'section-47', outcome: 'child-protection-conference' }))
      .then(proposed({ to: 'DCT', from: 'CSWT', dueBy: null, ruleId: 'disabled-child-protection-to-dct-at-icpc', basis: 'awaiting-date', meeting: 'icpc' })));

  it('is dated when the ICPC is scheduled', () =>
    given(disabledWithCSWT(), assessmentCompleted({ on: '2026-03-02', assessment: 'section-47', outcome: 'child-protection-conference' }))
      .when(meetingScheduled({ kind: 'icpc', on: '2026-03-20', scheduledOn: '2026-03-04' }))
      .then(rescheduled({ previousDueBy: null, dueBy: '2026-03-20', basis: 'meeting', meeting: 'icpc', ruleId: 'disabled-child-protection-to-dct-at-icpc' })));

  it('does not fire for a child without a recorded significant disability', () =>
    given(heldBy('CSWT'), bornOn('2015-07-07'))
      .when(assessmentCompleted({ on: '2026-03-02', assessment: 'section-47', outcome: 'child-protection-conference' }))
      .thenNothingHappened(ruleOutcome('disabled-child-protection-to-dct-at-icpc', 'conditions-not-met')));
});

describe('003 §6 Children Social Work Team (CSWT), Early Help and Adolescent Early Help — turning 18 and still needing support: CSWT → Early Help at a CIN meeting at least one month before the 18th birthday', () => {
  // Born 15 November 2008: 17 since 15 November 2025, 18 on 15 November 2026.
  const seventeen = () => [heldBy('CSWT'), bornOn('2008-11-15')];

  it('is due one month before the 18th birthday while the joint step-down visit (§7) has no date', () =>
    given(seventeen())
      .when(stepDown('2026-06-01', true))
      .then(
        proposed({ to: 'EH', from: 'CSWT', dueBy: '2026-10-15', ruleId: 'turning-18-step-down-to-early-help', basis: 'timescale', fallbackReason: 'undated' }),
        ruleOutcome('step-down-to-early-help', 'lower-priority'),
      ));

  it('is due no longer than 10 days after the joint step-down visit when that is earlier (§7: Saturday 20 June, calendar days)', () =>
    given(seventeen(), meetingScheduled({ kind: 'joint-introduction-visit', on: '2026-06-10', scheduledOn: '2026-05-28' }))
      .when(stepDown('2026-06-01', true))
      .then(proposed({ to: 'EH', dueBy: '2026-06-20', ruleId: 'turning-18-step-down-to-early-help', basis: 'timescale' })));

  it('is brought forward when the joint step-down visit is scheduled, and says which point won', () => {
    const then = given(seventeen(), stepDown('2026-06-01', true)).when(meetingScheduled({ kind: 'joint-introduction-visit', on: '2026-06-10', scheduledOn: '2026-06-03' }));
    then.then(rescheduled({ previousDueBy: '2026-10-15', dueBy: '2026-06-20', basis: 'timescale', ruleId: 'turning-18-step-down-to-early-help' }));
    const { steps } = (then.evaluation.decisions[0].data as DecisionDataByType['TransferRescheduled']).handoverPoint;
    expect(steps[steps.length - 1]).toBe('the earliest is no longer than 10 days after the joint step-down visit (§7) (2026-06-20)');
  });

  it('keeps one month before the birthday when the joint step-down visit is later than that', () =>
    given(seventeen(), stepDown('2026-06-01', true))
      .when(meetingScheduled({ kind: 'joint-introduction-visit', on: '2026-10-12', scheduledOn: '2026-06-03' }))
      .thenNothingHappened());

  it('is due at the CIN meeting when it is dated at least one month before the birthday', () =>
    given(seventeen(), meetingScheduled({ kind: 'cin-review', on: '2026-09-10', scheduledOn: '2026-05-20' }))
      .when(stepDown('2026-06-01', true))
      .then(proposed({ to: 'EH', dueBy: '2026-09-10', basis: 'meeting', meeting: 'cin-review' })));

  it('keeps one month before the birthday when the CIN meeting is later', () =>
    given(seventeen(), meetingScheduled({ kind: 'cin-review', on: '2026-10-20', scheduledOn: '2026-05-20' }))
      .when(stepDown('2026-06-01', true))
      .then(proposed({ to: 'EH', dueBy: '2026-10-15', basis: 'timescale', fallbackReason: 'after-timescale' })));

  it('counts one month back from a 31 March birthday to the end of February', () =>
    given(heldBy('CSWT'), bornOn('2008-03-31'))
      .when(cinReviewHeld({ on: '2026-01-12', outcome: 'step-down-to-early-help', familyConsent: true }))
      .then(proposed({ to: 'EH', dueBy: '2026-02-28', ruleId: 'turning-18-step-down-to-early-help' })));

  it('leaves a 16-year-old to §7', () =>
    given(heldBy('CSWT'), bornOn('2010-01-15'))
      .when(stepDown('2026-06-01', true))
      .then(
        proposed({ to: 'EH', dueBy: null, ruleId: 'step-down-to-early-help', citing: '§7' }),
        ruleOutcome('turning-18-step-down-to-early-help', 'conditions-not-met'),
      ));

  it('does not fire without the young person’s agreement', () =>
    given(seventeen())
      .when(stepDown('2026-06-01', false))
      .thenNothingHappened(ruleOutcome('turning-18-step-down-to-early-help', 'conditions-not-met')));
});

describe('003 §6 Children Social Work Team (CSWT), Transfers to Adult Social Care and Health (ASCH) — found eligible for adult services at the transition panel: ASCH co-works with CSWT, a joint visit within 6 weeks', () => {
  // Born 15 November 2008: 18 on Sunday 15 November 2026.
  const withCSWT = () => [heldBy('CSWT'), bornOn('2008-11-15')];

  // Tuesday 5 May 2026 + 6 weeks (calendar weeks) = Tuesday 16 June.
  it('requires an ASCH co-worker beside CSWT, the joint visit due 6 weeks after the panel', () =>
    given(withCSWT())
      .when(transitionPanelHeld({ on: '2026-05-05', outcome: 'adult-services-eligible' }))
      .then(coWorkRequired({ coWorker: 'ASCH', holder: 'CSWT', dueBy: '2026-06-16', ruleId: 'cswt-transition-panel-asch-co-works', basis: 'timescale' })));

  // One open transfer at a time does not hold co-working back: here an ICO has CSWT → CIC open.
  it('is not held back by an open transfer', () =>
    given(withCSWT(), proceedingsIssued({ on: '2026-04-27' }), orderMade({ on: '2026-04-28', order: 'ICO' }))
      .when(transitionPanelHeld({ on: '2026-05-05', outcome: 'adult-services-eligible' }))
      .then(coWorkRequired({ coWorker: 'ASCH', holder: 'CSWT', dueBy: '2026-06-16' })));

  it('records the ASCH worker as a co-worker: CSWT keeps the case (CYPE remain responsible until 18)', () => {
    const { state } = given(
      withCSWT(),
      transitionPanelHeld({ on: '2026-05-05', outcome: 'adult-services-eligible' }),
      allocated({ team: 'ASCH', on: '2026-05-20', workerId: 'AW-3' }),
    );
    expect(state.team).toBe('CSWT');
    expect(state.workerId).toBe('W-1');
    expect(state.coWorks).toEqual([expect.objectContaining({ team: 'ASCH', workerId: 'AW-3', dueBy: '2026-06-16' })]);
    expect(state.transfers).toEqual([]);
  });

  it('does not fire when the panel finds the young person not eligible', () =>
    given(withCSWT())
      .when(transitionPanelHeld({ on: '2026-05-05', outcome: 'not-eligible' }))
      .thenNothingHappened(ruleOutcome('cswt-transition-panel-asch-co-works', 'conditions-not-met')));

  it('does not fire when the panel defers its decision', () =>
    given(withCSWT())
      .when(transitionPanelHeld({ on: '2026-05-05', outcome: 'deferred' }))
      .thenNothingHappened(ruleOutcome('cswt-transition-panel-asch-co-works', 'conditions-not-met')));
});

describe('003 §6 Children Social Work Team (CSWT), Transfers to Adult Social Care and Health (ASCH) — found eligible for adult services: CSWT → ASCH on the 18th birthday', () => {
  const eligible = (dateOfBirth: LocalDate, panelOn: LocalDate) => [
    heldBy('CSWT'),
    bornOn(dateOfBirth),
    transitionPanelHeld({ on: panelOn, outcome: 'adult-services-eligible' }),
  ];

  it('is proposed on the 18th birthday, due that day', () =>
    given(eligible('2008-11-15', '2026-05-05'))
      .when(birthdayApproaching({ ageYears: 18, on: '2026-11-15' }))
      .then(proposed({ to: 'ASCH', from: 'CSWT', dueBy: '2026-11-15', ruleId: 'cswt-transition-panel-to-asch', basis: 'timescale' })));

  it('is due on 1 March for a young person born on 29 February', () =>
    given(eligible('2008-02-29', '2025-11-03'))
      .when(birthdayApproaching({ ageYears: 18, on: '2026-03-01' }))
      .then(proposed({ to: 'ASCH', dueBy: '2026-03-01', ruleId: 'cswt-transition-panel-to-asch' })));

  it('is not proposed at the panel itself (only the co-work is)', () =>
    given(heldBy('CSWT'), bornOn('2008-11-15'))
      .when(transitionPanelHeld({ on: '2026-05-05', outcome: 'adult-services-eligible' }))
      .then(coWorkRequired({ coWorker: 'ASCH', dueBy: '2026-06-16' })));

  it('does not fire at 18 when the panel found the young person not eligible', () =>
    given(heldBy('CSWT'), bornOn('2008-11-15'), transitionPanelHeld({ on: '2026-05-05', outcome: 'not-eligible' }))
      .when(birthdayApproaching({ ageYears: 18, on: '2026-11-15' }))
      .thenNothingHappened(ruleOutcome('cswt-transition-panel-to-asch', 'conditions-not-met')));

  it('does not fire at 18 for a young person never presented to the panel', () =>
    given(heldBy('CSWT'), bornOn('2008-11-15'))
      .when(birthdayApproaching({ ageYears: 18, on: '2026-11-15' }))
      .thenNothingHappened(ruleOutcome('cswt-transition-panel-to-asch', 'conditions-not-met')));

  it('does not fire at 17½', () =>
    given(eligible('2008-11-15', '2026-05-05'))
      .when(birthdayApproaching({ ageYears: 17.5, on: '2026-05-15' }))
      .thenNothingHappened(ruleOutcome('cswt-transition-panel-to-asch', 'conditions-not-met')));
});

// =================================================================================================
// §6 Children in Care (CIC) Team
// =================================================================================================

describe('003 §6 Children in Care (CIC) Team, Transfers to 18+ Team — eligible status: CIC → 18+ at 18, proposed from 17½', () => {
  // Born 1 October 2008: 17½ on 1 April 2026, 18 on 1 October 2026.
  const inCareWithCIC = (since: LocalDate) => [heldBy('CIC', { since }), bornOn('2008-10-01'), accommodated({ on: since })];
  const seventeenAndAHalf = () => birthdayApproaching({ ageYears: 17.5, on: '2026-04-01', noticedOn: '2026-03-02' });

  it('is proposed at 17½, due on the 18th birthday (the Personal Advisor co-working from 17½)', () =>
    given(inCareWithCIC('2025-06-02'))
      .when(seventeenAndAHalf())
      .then(
        proposed({ to: '18+', from: 'CIC', dueBy: '2026-10-01', ruleId: 'eligible-care-leaver-to-18-plus', basis: 'timescale' }),
        coWorkRequired({ coWorker: '18+', holder: 'CIC', dueBy: '2026-04-01', ruleId: 'eighteen-plus-personal-advisor-from-17-and-a-half' }),
      ));

  it('is proposed at 18 for a young person not yet in care 13 weeks at 17½', () =>
    given(inCareWithCIC('2026-01-05'))
      .when(birthdayApproaching({ ageYears: 18, on: '2026-10-01', noticedOn: '2026-09-01' }))
      .then(proposed({ to: '18+', dueBy: '2026-10-01', ruleId: 'eligible-care-leaver-to-18-plus' })));

  it('does not fire at 17½ for a young person in care less than 13 weeks', () =>
    given(inCareWithCIC('2026-01-05'))
      .when(seventeenAndAHalf())
      .thenNothingHappened(ruleOutcome('eligible-care-leaver-to-18-plus', 'conditions-not-met')));

  it('does not fire at 17', () =>
    given(inCareWithCIC('2025-06-02'))
      .when(birthdayApproaching({ ageYears: 17, on: '2025-10-01', noticedOn: '2025-09-01' }))
      .thenNothingHappened(ruleOutcome('eligible-care-leaver-to-18-plus', 'conditions-not-met')));
});

describe('003 §6 Children in Care (CIC) Team, Transfers to 18+ Team, §2 Actions for allocated Social Worker — an eligible young person at 17½: the 18+ Team’s Personal Advisor co-works with CIC until the transfer at 18', () => {
  // Born 1 October 2008: 17½ on Wednesday 1 April 2026, 18 on Thursday 1 October 2026.
  const inCareWithCIC = (since: LocalDate) => [heldBy('CIC', { since }), bornOn('2008-10-01'), accommodated({ on: since })];
  const seventeenAndAHalf = () => birthdayApproaching({ ageYears: 17.5, on: '2026-04-01', noticedOn: '2026-03-02' });

  it('requires a Personal Advisor by the day the young person is 17½, beside the transfer proposed for 18', () =>
    given(inCareWithCIC('2025-06-02'))
      .when(seventeenAndAHalf())
      .then(
        proposed({ to: '18+', from: 'CIC', dueBy: '2026-10-01', ruleId: 'eligible-care-leaver-to-18-plus' }),
        coWorkRequired({ coWorker: '18+', holder: 'CIC', dueBy: '2026-04-01', ruleId: 'eighteen-plus-personal-advisor-from-17-and-a-half', basis: 'timescale' }),
      ));

  it('records the Personal Advisor as a co-worker: the case stays with CIC until the transfer at 18', () => {
    const { state } = given(inCareWithCIC('2025-06-02'), seventeenAndAHalf(), allocated({ team: '18+', on: '2026-03-20', workerId: 'PA-7' }));
    expect(state.team).toBe('CIC');
    expect(state.workerId).toBe('W-1');
    expect(state.coWorks).toEqual([expect.objectContaining({ team: '18+', workerId: 'PA-7' })]);
    expect(state.transfers.map((t) => [t.toTeam, t.status])).toEqual([['18+', 'proposed']]);
  });

  // In care from Monday 5 January 2026: 13 weeks on Monday 6 April, after 17½ (1 April). At the
  // review on Monday 11 May the young person is eligible; the Personal Advisor was due at 17½.
  it('is required at a Child in Care Review after 17½ for a young person who reaches 13 weeks in care only then, already due', () =>
    given(inCareWithCIC('2026-01-05'), seventeenAndAHalf())
      .when(claReviewHeld({ on: '2026-05-11', sequence: 2, plan: 'independence' }))
      .then(coWorkRequired({ coWorker: '18+', holder: 'CIC', dueBy: '2026-04-01', ruleId: 'eighteen-plus-personal-advisor-from-17-and-a-half' })));

  it('is not required at 17½ for a young person in care less than 13 weeks', () =>
    given(inCareWithCIC('2026-01-05'))
      .when(seventeenAndAHalf())
      .thenNothingHappened(ruleOutcome('eighteen-plus-personal-advisor-from-17-and-a-half', 'conditions-not-met')));

  it('is not required at a Child in Care Review before 17½', () =>
    given(inCareWithCIC('2025-06-02'))
      .when(claReviewHeld({ on: '2026-03-16', sequence: 4, plan: 'independence' }))
      .thenNothingHappened(ruleOutcome('eighteen-plus-personal-advisor-from-17-and-a-half', 'conditions-not-met')));

  it('is not required twice: a later review finds the 18+ Team already co-working', () =>
    given(inCareWithCIC('2025-06-02'), seventeenAndAHalf())
      .when(claReviewHeld({ on: '2026-05-11', sequence: 4, plan: 'independence' }))
      .thenNothingHappened(ruleOutcome('eighteen-plus-personal-advisor-from-17-and-a-half', 'already-co-working')));

  // Born 1 September 2008 (17½ on 1 March 2026), kept by AST, looked after from Monday 9 March:
  // 13 weeks on Monday 8 June, the day of the review.
  it('is required for a young person AST keep until the 18+ transfer', () =>
    given(heldBy('AST', { since: '2026-03-02' }), bornOn('2008-09-01'), accommodated({ on: '2026-03-09' }))
      .when(claReviewHeld({ on: '2026-06-08', sequence: 2, plan: 'reunification' }))
      .then(
        coWorkRequired({ coWorker: '18+', holder: 'AST', dueBy: '2026-03-01', ruleId: 'eighteen-plus-personal-advisor-from-17-and-a-half' }),
        ruleOutcome('ast-not-home-after-12-weeks-to-cic', 'exception'),
      ));
});

describe('003 §6 Children in Care (CIC) Team, Transfers to 18+ Team — left care with Relevant Status: CIC → 18+ at 18', () => {
  const leftCareAt17 = () => [heldBy('CIC', { since: '2024-09-02' }), bornOn('2008-10-01'), accommodated({ on: '2024-09-02' }), ceasedLookedAfter({ on: '2025-11-03' })];

  it('is proposed at 17½, due on the 18th birthday (no Personal Advisor co-working: §2 asks it for eligible young people)', () =>
    given(leftCareAt17())
      .when(birthdayApproaching({ ageYears: 17.5, on: '2026-04-01', noticedOn: '2026-03-02' }))
      .then(
        proposed({ to: '18+', from: 'CIC', dueBy: '2026-10-01', ruleId: 'relevant-care-leaver-to-18-plus', basis: 'timescale' }),
        ruleOutcome('eligible-care-leaver-to-18-plus', 'conditions-not-met'),
        ruleOutcome('eighteen-plus-personal-advisor-from-17-and-a-half', 'conditions-not-met'),
      ));

  it('is proposed for a young person Liberi records as a relevant care leaver', () =>
    given(...leftCareAt17(), childDetails({ on: '2025-11-03', careLeaverStatus: 'relevant' }))
      .when(birthdayApproaching({ ageYears: 17.5, on: '2026-04-01', noticedOn: '2026-03-02' }))
      .then(proposed({ to: '18+', from: 'CIC', dueBy: '2026-10-01', ruleId: 'relevant-care-leaver-to-18-plus' }), ruleOutcome('eligible-care-leaver-to-18-plus', 'conditions-not-met')));

  it('is not proposed for a young person Liberi records as not a relevant care leaver (qualifying)', () =>
    given(...leftCareAt17(), childDetails({ on: '2025-11-03', careLeaverStatus: 'qualifying' }))
      .when(birthdayApproaching({ ageYears: 17.5, on: '2026-04-01', noticedOn: '2026-03-02' }))
      .thenNothingHappened(ruleOutcome('relevant-care-leaver-to-18-plus', 'exception'), ruleOutcome('eligible-care-leaver-to-18-plus', 'conditions-not-met')));

  it('does not fire for a young person held by CSWT', () =>
    given(heldBy('CSWT'), bornOn('2008-10-01'))
      .when(birthdayApproaching({ ageYears: 18, on: '2026-10-01', noticedOn: '2026-09-01' }))
      .thenNothingHappened(ruleOutcome('relevant-care-leaver-to-18-plus', 'not-held-by-from-team')));
});

describe('003 §6 Children in Care (CIC) Team, Transfers to CSWT or Early Help — left care to family with no order, a CIN plan agreed: CIC → CSWT at the CIN Review', () => {
  const leftCare = (dateOfBirth: LocalDate) => [
    heldBy('CIC', { since: '2025-09-01' }),
    bornOn(dateOfBirth),
    accommodated({ on: '2025-09-01' }),
    ceasedLookedAfter({ on: '2026-03-02' }),
  ];

  it('awaits the CIN Review’s date', () =>
    given(leftCare('2014-05-05'))
      .when(cinPlanStarted({ on: '2026-03-04' }))
      .then(proposed({ to: 'CSWT', from: 'CIC', dueBy: null, ruleId: 'left-care-child-in-need-to-cswt', basis: 'awaiting-date', meeting: 'cin-review' })));

  it('is dated when the CIN Review is scheduled', () =>
    given(leftCare('2014-05-05'), cinPlanStarted({ on: '2026-03-04' }))
      .when(meetingScheduled({ kind: 'cin-review', on: '2026-04-10', scheduledOn: '2026-03-06' }))
      .then(rescheduled({ previousDueBy: null, dueBy: '2026-04-10', basis: 'meeting', ruleId: 'left-care-child-in-need-to-cswt' })));

  it('does not fire for a young person over 16, who stays allocated in CIC', () =>
    given(leftCare('2009-11-20'))
      .when(cinPlanStarted({ on: '2026-03-04' }))
      .thenNothingHappened(ruleOutcome('left-care-child-in-need-to-cswt', 'exception')));

  // Left care on Monday 2 March 2026: six months on is Wednesday 2 September 2026.
  it('does not fire at a CIN Review before the return home has lasted six months (1 September)', () =>
    given(leftCare('2009-11-20'), cinPlanStarted({ on: '2026-03-04' }))
      .when(cinReviewHeld({ on: '2026-09-01', outcome: 'plan-continues' }))
      .thenNothingHappened(ruleOutcome('left-care-child-in-need-to-cswt', 'exception')));

  it('fires for the young person over 16 at the first CIN Review once the return home has lasted six months (2 September), due at that review', () =>
    given(leftCare('2009-11-20'), cinPlanStarted({ on: '2026-03-04' }), meetingScheduled({ kind: 'cin-review', on: '2026-09-02', scheduledOn: '2026-08-03' }))
      .when(cinReviewHeld({ on: '2026-09-02', outcome: 'plan-continues' }))
      .then(proposed({ to: 'CSWT', from: 'CIC', dueBy: '2026-09-02', ruleId: 'left-care-child-in-need-to-cswt', basis: 'meeting', meeting: 'cin-review' })));

  it('does not fire when an order is in place', () =>
    given(heldBy('CIC'), bornOn('2014-05-05'), accommodated({ on: '2025-09-01' }), orderMade({ on: '2026-03-02', order: 'SGO' }), ceasedLookedAfter({ on: '2026-03-02', reason: 'special-guardianship' }))
      .when(cinPlanStarted({ on: '2026-03-04' }))
      .thenNothingHappened(ruleOutcome('left-care-child-in-need-to-cswt', 'conditions-not-met')));

  it('does not fire while the child is still looked after', () =>
    given(heldBy('CIC'), bornOn('2014-05-05'), accommodated({ on: '2025-09-01' }))
      .when(cinPlanStarted({ on: '2026-03-04' }))
      .thenNothingHappened(ruleOutcome('left-care-child-in-need-to-cswt', 'conditions-not-met')));
});

describe('003 §6 Children in Care (CIC) Team, Transfers to CSWT or Early Help — left care to family with no order, Early Help agreed: CIC → Early Help at the handover visit within 4 – 6 weeks', () => {
  const leftCare = (dateOfBirth: LocalDate) => [
    heldBy('CIC', { since: '2025-09-01' }),
    bornOn(dateOfBirth),
    accommodated({ on: '2025-09-01' }),
    ceasedLookedAfter({ on: '2026-03-02' }),
  ];

  it('is due 6 weeks on while the handover visit is not dated', () =>
    given(leftCare('2014-05-05'))
      .when(stepDown('2026-03-02', true))
      .then(proposed({ to: 'EH', from: 'CIC', dueBy: '2026-04-13', ruleId: 'left-care-step-down-to-early-help', basis: 'timescale', fallbackReason: 'undated' })));

  it('is due at the handover visit when it falls within the 6 weeks', () =>
    given(leftCare('2014-05-05'), meetingScheduled({ kind: 'joint-introduction-visit', on: '2026-03-20', scheduledOn: '2026-03-02' }))
      .when(stepDown('2026-03-02', true))
      .then(proposed({ to: 'EH', dueBy: '2026-03-20', basis: 'meeting', meeting: 'joint-introduction-visit' })));

  it('keeps the 6 weeks when the handover visit is later', () =>
    given(leftCare('2014-05-05'), meetingScheduled({ kind: 'joint-introduction-visit', on: '2026-04-20', scheduledOn: '2026-03-02' }))
      .when(stepDown('2026-03-02', true))
      .then(proposed({ to: 'EH', dueBy: '2026-04-13', basis: 'timescale', fallbackReason: 'after-timescale' })));

  it('does not fire for a young person over 16, who stays allocated in CIC', () =>
    given(leftCare('2009-11-20'))
      .when(stepDown('2026-03-02', true))
      .thenNothingHappened(ruleOutcome('left-care-step-down-to-early-help', 'exception')));

  it('does not fire without the family’s consent', () =>
    given(leftCare('2014-05-05'))
      .when(stepDown('2026-03-02', false))
      .thenNothingHappened(ruleOutcome('left-care-step-down-to-early-help', 'conditions-not-met')));
});

describe('003 §6 Children in Care (CIC) Team, Transfers to CSWT or Early Help — a Supervision Order granted in proceedings: CIC → CSWT at the first CIN review', () => {
  const inProceedingsWithCIC = () => [heldBy('CIC'), proceedingsIssued({ on: '2026-01-12' }), orderMade({ on: '2026-01-14', order: 'ICO' })];

  it('awaits the first CIN review’s date', () =>
    given(inProceedingsWithCIC())
      .when(orderMade({ on: '2026-06-01', order: 'supervision-order' }))
      .then(proposed({ to: 'CSWT', from: 'CIC', dueBy: null, ruleId: 'supervision-order-to-cswt', basis: 'awaiting-date', meeting: 'cin-review' })));

  it('is due at the first CIN review when it is already dated', () =>
    given(inProceedingsWithCIC(), meetingScheduled({ kind: 'cin-review', on: '2026-07-06', scheduledOn: '2026-05-28' }))
      .when(orderMade({ on: '2026-06-01', order: 'supervision-order' }))
      .then(proposed({ to: 'CSWT', dueBy: '2026-07-06', basis: 'meeting' })));

  it('does not fire on an Interim Supervision Order (the child stays with CIC for the proceedings)', () =>
    given(inProceedingsWithCIC())
      .when(orderMade({ on: '2026-03-02', order: 'ISO' }))
      .thenNothingHappened(ruleOutcome('supervision-order-to-cswt', 'conditions-not-met')));

  it('does not fire on a care order', () =>
    given(inProceedingsWithCIC())
      .when(orderMade({ on: '2026-06-01', order: 'care-order' }))
      .thenNothingHappened(ruleOutcome('supervision-order-to-cswt', 'conditions-not-met')));
});

describe('003 §6 Children in Care (CIC) Team, Transfers to Adult Social Care and Health (ASCH) — found eligible for adult services at the transition panel: ASCH co-works with CIC, a joint visit within 6 weeks', () => {
  // Monday 26 January 2026 (presented at 17) + 6 weeks = Monday 9 March.
  it('requires an ASCH co-worker beside CIC, the joint visit due 6 weeks after the panel', () =>
    given(heldBy('CIC'), bornOn('2009-01-20'), accommodated({ on: '2025-03-03' }))
      .when(transitionPanelHeld({ on: '2026-01-26', outcome: 'adult-services-eligible' }))
      .then(coWorkRequired({ coWorker: 'ASCH', holder: 'CIC', dueBy: '2026-03-09', ruleId: 'cic-transition-panel-asch-co-works', basis: 'timescale' })));

  // Born 1 October 2008: the 18+ transfer is open from 17½ (1 April). Tuesday 14 April + 6 weeks =
  // Tuesday 26 May.
  it('is not held back by the 18+ transfer open since 17½', () =>
    given(heldBy('CIC', { since: '2025-06-02' }), bornOn('2008-10-01'), accommodated({ on: '2025-06-02' }), birthdayApproaching({ ageYears: 17.5, on: '2026-04-01', noticedOn: '2026-03-02' }))
      .when(transitionPanelHeld({ on: '2026-04-14', outcome: 'adult-services-eligible' }))
      .then(coWorkRequired({ coWorker: 'ASCH', holder: 'CIC', dueBy: '2026-05-26' })));

  it('does not fire when the panel finds the young person not eligible', () =>
    given(heldBy('CIC'), bornOn('2009-01-20'))
      .when(transitionPanelHeld({ on: '2026-01-26', outcome: 'not-eligible' }))
      .thenNothingHappened(ruleOutcome('cic-transition-panel-asch-co-works', 'conditions-not-met')));
});

describe('003 §6 Children in Care (CIC) Team, Transfers to Adult Social Care and Health (ASCH) — found eligible for adult services, not a care leaver for the 18+ Team: CIC → ASCH on the 18th birthday', () => {
  // Born 20 January 2009: 18 on Wednesday 20 January 2027. Looked after from Monday 2 November
  // 2026: 13 weeks only on Monday 1 February 2027, so not "eligible" at 18.
  const cameIntoCareLate = () => [
    heldBy('CIC', { since: '2026-11-02' }),
    bornOn('2009-01-20'),
    accommodated({ on: '2026-11-02' }),
    transitionPanelHeld({ on: '2026-11-23', outcome: 'adult-services-eligible' }),
  ];

  it('is proposed on the 18th birthday, due that day', () =>
    given(cameIntoCareLate())
      .when(birthdayApproaching({ ageYears: 18, on: '2027-01-20' }))
      .then(
        proposed({ to: 'ASCH', from: 'CIC', dueBy: '2027-01-20', ruleId: 'cic-transition-panel-to-asch', basis: 'timescale' }),
        ruleOutcome('eligible-care-leaver-to-18-plus', 'conditions-not-met'),
      ));

  // "Children who have 'eligible' status … will transfer to the 18+ Team when they are 18 (except
  // children in the Strengthening Independence Service …)".
  it('leaves an eligible care leaver to the 18+ Team, ASCH co-working (the exception)', () =>
    given(heldBy('CIC', { since: '2025-03-03' }), bornOn('2009-01-20'), accommodated({ on: '2025-03-03' }), transitionPanelHeld({ on: '2026-01-26', outcome: 'adult-services-eligible' }))
      .when(birthdayApproaching({ ageYears: 18, on: '2027-01-20' }))
      .then(
        proposed({ to: '18+', from: 'CIC', dueBy: '2027-01-20', ruleId: 'eligible-care-leaver-to-18-plus', citing: 'Transfers to 18+ Team' }),
        ruleOutcome('cic-transition-panel-to-asch', 'exception'),
      ));

  it('proposes nothing at 18 while the 18+ transfer proposed at 17½ is open (the exception)', () =>
    given(
      heldBy('CIC', { since: '2025-06-02' }),
      bornOn('2008-10-01'),
      accommodated({ on: '2025-06-02' }),
      transitionPanelHeld({ on: '2025-10-06', outcome: 'adult-services-eligible' }),
      birthdayApproaching({ ageYears: 17.5, on: '2026-04-01', noticedOn: '2026-03-02' }),
    )
      .when(birthdayApproaching({ ageYears: 18, on: '2026-10-01' }))
      .thenNothingHappened(ruleOutcome('cic-transition-panel-to-asch', 'exception'), ruleOutcome('eligible-care-leaver-to-18-plus', 'already-on-transfer')));

  it('does not fire at 18 when the panel found the young person not eligible', () =>
    given(heldBy('CIC', { since: '2026-11-02' }), bornOn('2009-01-20'), accommodated({ on: '2026-11-02' }), transitionPanelHeld({ on: '2026-11-23', outcome: 'not-eligible' }))
      .when(birthdayApproaching({ ageYears: 18, on: '2027-01-20' }))
      .thenNothingHappened(ruleOutcome('cic-transition-panel-to-asch', 'conditions-not-met')));
});

// =================================================================================================
// §6 Adolescent Support Teams (AST)
// =================================================================================================

describe('003 §6 Adolescent Support Teams (AST), Transfers to CIC Team — looked after 12 weeks and not home: AST → CIC at the first Child in Care Review after that point', () => {
  // Accommodated Monday 2 March 2026: 12 weeks on is Monday 25 May (the Spring bank holiday).
  const lookedAfterWithAST = (dateOfBirth: LocalDate) => [heldBy('AST', { since: '2026-02-02' }), bornOn(dateOfBirth), accommodated({ on: '2026-03-02' })];

  it('is due at the first review held once 12 weeks have passed', () =>
    given(lookedAfterWithAST('2011-04-04'))
      .when(claReviewHeld({ on: '2026-05-26', sequence: 2, plan: 'reunification' }))
      .then(proposed({ to: 'CIC', from: 'AST', dueBy: '2026-05-26', ruleId: 'ast-not-home-after-12-weeks-to-cic', basis: 'timescale' })));

  it('does not fire at a review before 12 weeks', () =>
    given(lookedAfterWithAST('2011-04-04'))
      .when(claReviewHeld({ on: '2026-05-22', sequence: 2, plan: 'reunification' }))
      .thenNothingHappened(ruleOutcome('ast-not-home-after-12-weeks-to-cic', 'conditions-not-met')));

  // Born 1 September 2008: 17½ on 1 March 2026, when AST became involved.
  it('keeps a young person of 17½ with AST until the 18+ transfer (the exception)', () =>
    given(heldBy('AST', { since: '2026-03-02' }), bornOn('2008-09-01'), accommodated({ on: '2026-03-09' }))
      .when(claReviewHeld({ on: '2026-06-01', sequence: 2, plan: 'reunification' }))
      .thenNothingHappened(ruleOutcome('ast-not-home-after-12-weeks-to-cic', 'exception')));

  it('does not fire once the child has returned home', () =>
    given(lookedAfterWithAST('2011-04-04'), ceasedLookedAfter({ on: '2026-04-20' }))
      .when(claReviewHeld({ on: '2026-05-26', sequence: 2, plan: 'reunification' }))
      .thenNothingHappened(ruleOutcome('ast-not-home-after-12-weeks-to-cic', 'conditions-not-met')));
});

describe('003 §6 Adolescent Support Teams (AST), Transfers to CIC Team — no plan to return home: AST → CIC at the initial Child in Care Review', () => {
  const lookedAfterWithAST = (dateOfBirth: LocalDate) => [heldBy('AST', { since: '2026-02-02' }), bornOn(dateOfBirth), accommodated({ on: '2026-03-02' })];

  it('is due at the initial review that records a plan other than a return home', () =>
    given(lookedAfterWithAST('2011-04-04'))
      .when(claReviewHeld({ on: '2026-03-27', sequence: 1, plan: 'long-term-fostering' }))
      .then(
        proposed({ to: 'CIC', from: 'AST', dueBy: '2026-03-27', ruleId: 'ast-no-plan-to-return-home-to-cic', basis: 'timescale' }),
        ruleOutcome('ast-not-home-after-12-weeks-to-cic', 'conditions-not-met'),
      ));

  it('does not fire when the plan is to return home', () =>
    given(lookedAfterWithAST('2011-04-04'))
      .when(claReviewHeld({ on: '2026-03-27', sequence: 1, plan: 'reunification' }))
      .thenNothingHappened(ruleOutcome('ast-no-plan-to-return-home-to-cic', 'conditions-not-met')));

  it('keeps a young person of 17½ with AST until the 18+ transfer (the exception)', () =>
    given(lookedAfterWithAST('2008-09-01'))
      .when(claReviewHeld({ on: '2026-03-27', sequence: 1, plan: 'independence' }))
      .thenNothingHappened(ruleOutcome('ast-no-plan-to-return-home-to-cic', 'exception')));
});

describe('003 §6 Adolescent Support Teams (AST), Transfers to 18+ Team — a young person kept by AST after 17½: AST → 18+ at 18', () => {
  // Born 1 September 2008: 17½ on 1 March 2026, 18 on 1 September 2026.
  const keptByAST = () => [heldBy('AST', { since: '2026-03-02' }), bornOn('2008-09-01'), accommodated({ on: '2026-03-09' })];

  it('is due on the 18th birthday', () =>
    given(keptByAST())
      .when(birthdayApproaching({ ageYears: 18, on: '2026-09-01', noticedOn: '2026-08-03' }))
      .then(proposed({ to: '18+', from: 'AST', dueBy: '2026-09-01', ruleId: 'ast-looked-after-to-18-plus', basis: 'timescale' })));

  it('does not fire for a young person who is not looked after', () =>
    given(heldBy('AST', { since: '2026-03-02' }), bornOn('2008-09-01'))
      .when(birthdayApproaching({ ageYears: 18, on: '2026-09-01', noticedOn: '2026-08-03' }))
      .thenNothingHappened(ruleOutcome('ast-looked-after-to-18-plus', 'conditions-not-met')));
});

describe('003 §6 Adolescent Support Teams (AST), Transfers to CSWT or Adolescent Early Help — CP plan for predominantly parenting reasons: AST → CSWT at the Initial Conference', () => {
  const withAST = () => [heldBy('AST'), bornOn('2011-04-04')];

  it('is due on the day of the Initial Conference', () =>
    given(withAST())
      .when(icpcWithConcerns({ on: '2026-03-02', concerns: ['parenting'] }))
      .then(proposed({ to: 'CSWT', from: 'AST', dueBy: '2026-03-02', ruleId: 'ast-parenting-cp-plan-to-cswt-at-icpc', basis: 'timescale' })));

  it('keeps the child with AST when the plan is for contextual reasons', () =>
    given(withAST())
      .when(icpcWithConcerns({ on: '2026-03-02', concerns: ['contextual'] }))
      .thenNothingHappened(ruleOutcome('ast-parenting-cp-plan-to-cswt-at-icpc', 'conditions-not-met')));

  it('keeps the child with AST when contextual concerns are recorded alongside parenting (the exception)', () =>
    given(withAST())
      .when(icpcWithConcerns({ on: '2026-03-02', concerns: ['parenting', 'contextual'] }))
      .thenNothingHappened(ruleOutcome('ast-parenting-cp-plan-to-cswt-at-icpc', 'exception')));

  it('moves the child when the conference judged parenting predominant, contextual concerns notwithstanding', () =>
    given(withAST())
      .when(caseEvent('ICPCHeld', '2026-03-02', { outcome: 'cp-plan', concerns: ['parenting', 'contextual'], predominantConcern: 'parenting' }))
      .then(proposed({ to: 'CSWT', from: 'AST', dueBy: '2026-03-02', ruleId: 'ast-parenting-cp-plan-to-cswt-at-icpc' })));

  it('keeps the child with AST when the conference judged contextual reasons predominant (the exception)', () =>
    given(withAST())
      .when(caseEvent('ICPCHeld', '2026-03-02', { outcome: 'cp-plan', concerns: ['parenting', 'contextual'], predominantConcern: 'contextual' }))
      .thenNothingHappened(ruleOutcome('ast-parenting-cp-plan-to-cswt-at-icpc', 'exception')));

  it('does not fire when the conference agrees a CIN plan', () =>
    given(withAST())
      .when(icpcWithConcerns({ on: '2026-03-02', outcome: 'cin-plan', concerns: ['parenting'] }))
      .thenNothingHappened(ruleOutcome('ast-parenting-cp-plan-to-cswt-at-icpc', 'conditions-not-met')));

  it('does not fire for a child held by CSWT', () =>
    given(heldBy('CSWT'))
      .when(icpcHeld({ on: '2026-03-02', outcome: 'cp-plan' }))
      .thenNothingHappened(ruleOutcome('ast-parenting-cp-plan-to-cswt-at-icpc', 'not-held-by-from-team')));
});

describe('003 §6 Adolescent Support Teams (AST), Transfers to CSWT or Adolescent Early Help — AST threshold no longer met, ongoing support agreed: AST → Adolescent Early Help within 10 days of the joint introduction visit', () => {
  it('awaits the joint introduction visit’s date', () =>
    given(heldBy('AST'))
      .when(stepDown('2026-03-02', true))
      .then(proposed({ to: 'AEH', from: 'AST', dueBy: null, ruleId: 'ast-step-down-to-adolescent-early-help', basis: 'awaiting-date', meeting: 'joint-introduction-visit' })));

  it('is due 10 days after a visit already dated', () =>
    given(heldBy('AST'), meetingScheduled({ kind: 'joint-introduction-visit', on: '2026-03-10', scheduledOn: '2026-02-27' }))
      .when(stepDown('2026-03-02', true))
      .then(proposed({ to: 'AEH', dueBy: '2026-03-20', basis: 'timescale' })));

  it('counts calendar days from the visit once it is scheduled, through Christmas', () =>
    given(heldBy('AST'), stepDown('2026-12-01', true))
      .when(meetingScheduled({ kind: 'joint-introduction-visit', on: '2026-12-18', scheduledOn: '2026-12-02' }))
      .then(rescheduled({ previousDueBy: null, dueBy: '2026-12-28', basis: 'timescale', ruleId: 'ast-step-down-to-adolescent-early-help' })));

  it('does not fire without the family’s consent', () =>
    given(heldBy('AST'))
      .when(cinReviewHeld({ on: '2026-03-02', outcome: 'step-down-to-early-help' }))
      .thenNothingHappened(ruleOutcome('ast-step-down-to-adolescent-early-help', 'conditions-not-met')));
});

describe('003 §6 Adolescent Support Teams (AST), Transfers to Adult Social Care and Health (ASCH) — found eligible for adult services at the transition panel: ASCH co-works with AST, a joint visit within 6 weeks', () => {
  // Tuesday 5 May 2026 + 6 weeks = Tuesday 16 June.
  it('requires an ASCH co-worker beside AST, the joint visit due 6 weeks after the panel', () =>
    given(heldBy('AST'), bornOn('2008-11-15'))
      .when(transitionPanelHeld({ on: '2026-05-05', outcome: 'adult-services-eligible' }))
      .then(coWorkRequired({ coWorker: 'ASCH', holder: 'AST', dueBy: '2026-06-16', ruleId: 'ast-transition-panel-asch-co-works', basis: 'timescale' })));

  it('does not fire when the panel defers its decision', () =>
    given(heldBy('AST'), bornOn('2008-11-15'))
      .when(transitionPanelHeld({ on: '2026-05-05', outcome: 'deferred' }))
      .thenNothingHappened(ruleOutcome('ast-transition-panel-asch-co-works', 'conditions-not-met')));
});

describe('003 §6 Adolescent Support Teams (AST), Transfers to Adult Social Care and Health (ASCH) — found eligible for adult services: AST → ASCH on the 18th birthday', () => {
  it('is proposed on the 18th birthday, due that day', () =>
    given(heldBy('AST'), bornOn('2008-11-15'), transitionPanelHeld({ on: '2026-05-05', outcome: 'adult-services-eligible' }))
      .when(birthdayApproaching({ ageYears: 18, on: '2026-11-15' }))
      .then(proposed({ to: 'ASCH', from: 'AST', dueBy: '2026-11-15', ruleId: 'ast-transition-panel-to-asch', basis: 'timescale' })));

  it('does not fire at 18 when the latest panel deferred its decision', () =>
    given(heldBy('AST'), bornOn('2008-11-15'), transitionPanelHeld({ on: '2026-05-05', outcome: 'deferred' }))
      .when(birthdayApproaching({ ageYears: 18, on: '2026-11-15' }))
      .thenNothingHappened(ruleOutcome('ast-transition-panel-to-asch', 'conditions-not-met')));

  // Born 1 September 2008, kept by AST after 17½ and looked after from 9 March 2026: at 18 it goes
  // to the 18+ Team ("remain with AST until transfer to the 18+Team").
  it('leaves a looked-after young person AST kept to the 18+ Team (the exception)', () =>
    given(heldBy('AST', { since: '2026-03-02' }), bornOn('2008-09-01'), accommodated({ on: '2026-03-09' }), transitionPanelHeld({ on: '2026-03-16', outcome: 'adult-services-eligible' }))
      .when(birthdayApproaching({ ageYears: 18, on: '2026-09-01' }))
      .then(
        proposed({ to: '18+', from: 'AST', dueBy: '2026-09-01', ruleId: 'ast-looked-after-to-18-plus', citing: 'Transfers to 18+ Team' }),
        ruleOutcome('ast-transition-panel-to-asch', 'exception'),
      ));
});

// =================================================================================================
// §6 Strengthening Independence Service (SIS)
// =================================================================================================

describe('003 §2 step 1, §6 Strengthening Independence Service (SIS), Transfer to CSWT — below the DCS threshold, a CIN plan required: DCT → CSWT at an initial CIN meeting within 10 working days', () => {
  const withDCT = () => [heldBy('DCT'), childDetails({ disability: disability('mild', false) })];

  it('is due 10 working days after the C&F assessment, skipping Christmas, the Boxing Day substitute and New Year’s Day', () =>
    given(withDCT())
      .when(assessmentCompleted({ on: '2026-12-18' }))
      .then(proposed({ to: 'CSWT', from: 'DCT', dueBy: '2027-01-06', ruleId: 'below-dcs-threshold-child-in-need-to-cswt', basis: 'timescale' })));

  it('is due at the initial CIN meeting when it is dated within the 10 working days', () =>
    given(withDCT(), meetingScheduled({ kind: 'initial-cin-meeting', on: '2026-12-22', scheduledOn: '2026-12-16' }))
      .when(assessmentCompleted({ on: '2026-12-18' }))
      .then(proposed({ to: 'CSWT', dueBy: '2026-12-22', basis: 'meeting', meeting: 'initial-cin-meeting' })));

  it('does not fire when the child meets the DCS threshold', () =>
    given(heldBy('DCT'), childDetails({ disability: disability('severe') }))
      .when(assessmentCompleted({ on: '2026-12-18' }))
      .thenNothingHappened(ruleOutcome('below-dcs-threshold-child-in-need-to-cswt', 'conditions-not-met')));

  it('does not fire when the assessment finds no further action', () =>
    given(withDCT())
      .when(assessmentCompleted({ on: '2026-12-18', outcome: 'no-further-action' }))
      .thenNothingHappened(ruleOutcome('below-dcs-threshold-child-in-need-to-cswt', 'conditions-not-met')));

  // "The DCT accept referrals up to age 15½ if the primary need of the child is the significant
  // impact of autism without a learning disability": no permanent or substantial disability is
  // recorded, yet the child meets the DCS threshold.
  it('keeps a child under 15½ whose primary need is autism without a learning disability (the exception)', () =>
    given(heldBy('DCT'), bornOn('2014-05-05'))
      .when(assessmentCompleted({ on: '2026-12-18', primaryIssue: 'autism-without-learning-disability' }))
      .thenNothingHappened(ruleOutcome('below-dcs-threshold-child-in-need-to-cswt', 'exception')));

  // Friday 18 December 2026 + 10 working days: 21, 22, 23, 24, 29, 30, 31 December, 4, 5, 6 January.
  it('sends back a 16-year-old whose primary need is autism without a learning disability', () =>
    given(heldBy('DCT'), bornOn('2010-01-15'))
      .when(assessmentCompleted({ on: '2026-12-18', primaryIssue: 'autism-without-learning-disability' }))
      .then(proposed({ to: 'CSWT', from: 'DCT', dueBy: '2027-01-06', ruleId: 'below-dcs-threshold-child-in-need-to-cswt' })));
});

describe('003 §6 Strengthening Independence Service (SIS), Transfers to Adoption Team: Family Finding Team — a baby to be relinquished while DCS are involved: DCT → Family Finding at the first Child in Care Review', () => {
  it('awaits the first Child in Care Review’s date, ahead of the route back to CSWT', () =>
    given(heldBy('DCT', { since: '2026-02-23' }), bornOn('2026-02-20', { on: '2026-02-23' }))
      .when(assessmentCompleted({ on: '2026-03-02', primaryIssue: 'relinquished-baby' }))
      .then(
        proposed({ to: 'Family-Finding', from: 'DCT', dueBy: null, ruleId: 'dcs-relinquished-baby-to-family-finding', basis: 'awaiting-date', meeting: 'initial-cic-review' }),
        ruleOutcome('below-dcs-threshold-child-in-need-to-cswt', 'lower-priority'),
      ));

  it('does not fire on another primary issue', () =>
    given(heldBy('DCT', { since: '2026-02-23' }), childDetails({ disability: disability('profound') }))
      .when(assessmentCompleted({ on: '2026-03-02', primaryIssue: 'neglect' }))
      .thenNothingHappened(ruleOutcome('dcs-relinquished-baby-to-family-finding', 'conditions-not-met')));

  // "If DCS are involved with a child or young person where there are plans to relinquish a baby":
  // the young person DCT hold is the parent (born 10 July 2009, 16), the assessment recorded on her
  // record. She stays with DCT.
  it('does not move the disabled young parent to Family Finding (the exception)', () =>
    given(heldBy('DCT', { since: '2025-09-01' }), bornOn('2009-07-10'), childDetails({ disability: disability('severe') }))
      .when(assessmentCompleted({ on: '2026-03-02', primaryIssue: 'relinquished-baby' }))
      .thenNothingHappened(
        ruleOutcome('dcs-relinquished-baby-to-family-finding', 'exception'),
        ruleOutcome('below-dcs-threshold-child-in-need-to-cswt', 'conditions-not-met'),
      ));
});

describe('003 §6 Strengthening Independence Service (SIS), Transfers from Strengthening Independence Service Young People’s Team to Adult Services — YPT → Adult Locality team on the 26th birthday', () => {
  it('is due on the 26th birthday', () =>
    given(heldBy('YPT'), bornOn('2000-06-15'))
      .when(birthdayApproaching({ ageYears: 26, on: '2026-06-15', noticedOn: '2026-05-15' }))
      .then(proposed({ to: 'Adult-Locality', from: 'YPT', dueBy: '2026-06-15', ruleId: 'ypt-to-adult-locality-at-26', basis: 'timescale' })));

  it('is planned from the 25th birthday, due on the 26th', () =>
    given(heldBy('YPT'), bornOn('2001-06-15'))
      .when(birthdayApproaching({ ageYears: 25, on: '2026-06-15' }))
      .then(proposed({ to: 'Adult-Locality', dueBy: '2027-06-15' })));

  it('does not fire at 18: the Young People’s Team keeps young adults up to 25', () =>
    given(heldBy('YPT'), bornOn('2008-06-15'))
      .when(birthdayApproaching({ ageYears: 18, on: '2026-06-15' }))
      .thenNothingHappened(ruleOutcome('ypt-to-adult-locality-at-26', 'conditions-not-met')));

  it('does not fire for a young person held by DCT', () =>
    given(heldBy('DCT'), bornOn('2000-06-15'))
      .when(birthdayApproaching({ ageYears: 26, on: '2026-06-15' }))
      .thenNothingHappened(ruleOutcome('ypt-to-adult-locality-at-26', 'not-held-by-from-team')));
});

describe('003 §6 Strengthening Independence Service (SIS), Transfers to Adult Social Care and Health (ASCH) — found eligible for adult services at the transition panel: ASCH co-works with SIS, a joint visit within 6 weeks', () => {
  // Thursday 20 August 2026 + 6 weeks = Thursday 1 October.
  it('requires an ASCH co-worker beside DCT, the joint visit due 6 weeks after the panel', () =>
    given(heldBy('DCT'), bornOn('2009-02-20'))
      .when(transitionPanelHeld({ on: '2026-08-20', outcome: 'adult-services-eligible' }))
      .then(coWorkRequired({ coWorker: 'ASCH', holder: 'DCT', dueBy: '2026-10-01', ruleId: 'sis-transition-panel-asch-co-works', basis: 'timescale' })));

  it('fires for the Young People’s Team too', () =>
    given(heldBy('YPT'), bornOn('2008-02-20'))
      .when(transitionPanelHeld({ on: '2026-08-20', outcome: 'adult-services-eligible' }))
      .then(coWorkRequired({ coWorker: 'ASCH', holder: 'YPT', dueBy: '2026-10-01' })));

  // SIS young people "continue to receive services as an adult, within the Young People's team up
  // to age 25": only the funding moves to ASCH at 18, so no transfer is proposed.
  it('proposes no transfer to ASCH at 18', () =>
    given(heldBy('DCT'), bornOn('2008-11-15'), transitionPanelHeld({ on: '2026-05-05', outcome: 'adult-services-eligible' }))
      .when(birthdayApproaching({ ageYears: 18, on: '2026-11-15' }))
      .thenNothingHappened(ruleOutcome('cswt-transition-panel-to-asch', 'not-held-by-from-team')));

  it('does not fire when the panel finds the young person not eligible', () =>
    given(heldBy('DCT'), bornOn('2009-02-20'))
      .when(transitionPanelHeld({ on: '2026-08-20', outcome: 'not-eligible' }))
      .thenNothingHappened(ruleOutcome('sis-transition-panel-asch-co-works', 'conditions-not-met')));
});

// =================================================================================================
// §7 Transfers between Statutory Children's Social Work Service to Early Help
// =================================================================================================

describe('003 §7 — step down agreed with the family: CSWT → Early Help no longer than 10 days after the joint step-down visit', () => {
  const withCSWT = () => [heldBy('CSWT'), bornOn('2014-05-05')];

  it('awaits the joint visit’s date', () =>
    given(withCSWT())
      .when(stepDown('2026-03-02', true))
      .then(
        proposed({ to: 'EH', from: 'CSWT', dueBy: null, ruleId: 'step-down-to-early-help', basis: 'awaiting-date', meeting: 'joint-introduction-visit' }),
        ruleOutcome('turning-18-step-down-to-early-help', 'conditions-not-met'),
      ));

  it('is due 10 days after a joint visit already dated', () =>
    given(withCSWT(), meetingScheduled({ kind: 'joint-introduction-visit', on: '2026-03-10', scheduledOn: '2026-02-27' }))
      .when(stepDown('2026-03-02', true))
      .then(proposed({ to: 'EH', dueBy: '2026-03-20', basis: 'timescale' })));

  it('is dated when the joint visit is scheduled', () =>
    given(withCSWT(), stepDown('2026-03-02', true))
      .when(meetingScheduled({ kind: 'joint-introduction-visit', on: '2026-03-10', scheduledOn: '2026-03-04' }))
      .then(rescheduled({ previousDueBy: null, dueBy: '2026-03-20', basis: 'timescale', ruleId: 'step-down-to-early-help' })));

  it('fires on a CIN review that agrees the step down with the family', () =>
    given(withCSWT())
      .when(cinReviewHeld({ on: '2026-03-02', outcome: 'step-down-to-early-help', familyConsent: true }))
      .then(proposed({ to: 'EH', dueBy: null, ruleId: 'step-down-to-early-help' })));

  it('does not fire when the family’s consent is not recorded', () =>
    given(withCSWT())
      .when(thresholdDecision({ on: '2026-03-02', decision: 'step-down-to-early-help' }))
      .thenNothingHappened(ruleOutcome('step-down-to-early-help', 'conditions-not-met')));
});

describe('003 §7 — step up agreed with the district: Early Help or Adolescent Early Help → Front Door via the Early Help Module', () => {
  it('is due on the day the step up is agreed', () =>
    given(heldBy('EH'))
      .when(thresholdDecision({ on: '2026-03-02', decision: 'step-up-to-social-care' }))
      .then(proposed({ to: 'Front-Door', from: 'EH', dueBy: '2026-03-02', ruleId: 'step-up-from-early-help-to-front-door', basis: 'timescale' })));

  it('fires for Adolescent Early Help', () =>
    given(heldBy('AEH'))
      .when(thresholdDecision({ on: '2026-03-02', decision: 'step-up-to-social-care' }))
      .then(proposed({ to: 'Front-Door', from: 'AEH', dueBy: '2026-03-02' })));

  it('does not fire on a decision to stay in Early Help', () =>
    given(heldBy('EH'))
      .when(thresholdDecision({ on: '2026-03-02', decision: 'early-help' }))
      .thenNothingHappened(ruleOutcome('step-up-from-early-help-to-front-door', 'conditions-not-met')));
});

// =================================================================================================
// §8 Transfers between Areas within Kent County Council
// =================================================================================================

describe('003 §8 — a child on a CIN plan moves to another area of Kent: CSWT → the receiving district’s CSWT via a Child in Need Meeting within 10 working days', () => {
  const onCINPlanIn = (area: string) => [allocated({ team: 'CSWT', area }), cinPlanStarted({ on: '2026-03-02' })];
  const ruleId = 'child-in-need-moved-between-kent-areas';

  // Friday 1 May 2026 + 10 working days, skipping the May Day bank holiday (Monday 4 May): 5, 6, 7,
  // 8, 11, 12, 13, 14, 15, 18 May.
  it('is due 10 working days after the move, skipping the May Day bank holiday, to the CSWT of the area moved to', () => {
    const step = given(onCINPlanIn('Thanet')).when(childMoved({ on: '2026-05-01', destination: 'within-authority', area: 'Canterbury' }));
    step.then(proposed({ to: 'CSWT', from: 'CSWT', dueBy: '2026-05-18', ruleId, basis: 'timescale', fallbackReason: 'undated' }));
    expect(step.evaluation.decisions[0].data).toMatchObject({ fromArea: 'Thanet', toArea: 'Canterbury' });
  });

  // Monday 21 December 2026 + 10 working days: 22, 23, 24, 29, 30, 31 December (25 and 28
  // December and 1 January are bank holidays), 4, 5, 6, 7 January 2027.
  it('is due 10 working days on over Christmas and New Year', () =>
    given(onCINPlanIn('Thanet'))
      .when(childMoved({ on: '2026-12-21', destination: 'within-authority', area: 'Swale', planned: false }))
      .then(proposed({ to: 'CSWT', dueBy: '2027-01-07', ruleId })));

  it('is due at the receiving district’s Child in Need Meeting when it is dated within the 10 working days', () =>
    given(onCINPlanIn('Thanet'), meetingScheduled({ kind: 'transfer-cin-meeting', on: '2026-05-12', scheduledOn: '2026-04-24' }))
      .when(childMoved({ on: '2026-05-01', destination: 'within-authority', area: 'Canterbury' }))
      .then(proposed({ to: 'CSWT', dueBy: '2026-05-12', basis: 'meeting', meeting: 'transfer-cin-meeting', ruleId })));

  it('proposes nothing for a move inside the child’s own area', () =>
    given(onCINPlanIn('Thanet'))
      .when(childMoved({ on: '2026-05-01', destination: 'within-authority', area: 'Thanet' }))
      .thenNothingHappened(ruleOutcome(ruleId, 'already-with-team')));

  it('proposes nothing for a change of address that names no area', () =>
    given(onCINPlanIn('Thanet'))
      .when(childMoved({ on: '2026-05-01', destination: 'within-authority' }))
      .thenNothingHappened(ruleOutcome(ruleId, 'conditions-not-met')));

  it('does not fire on a temporary stay of less than 4 weeks in another area (the exception)', () =>
    given(onCINPlanIn('Thanet'))
      .when(childMoved({ on: '2026-05-01', destination: 'within-authority', area: 'Canterbury', planned: false, temporary: true }))
      .thenNothingHappened(ruleOutcome(ruleId, 'exception')));

  it('does not fire for a child on a child protection plan (§8 is about Child in Need Plans)', () =>
    given(allocated({ team: 'CSWT', area: 'Thanet' }), icpcHeld({ on: '2026-03-02', outcome: 'cp-plan' }))
      .when(childMoved({ on: '2026-05-01', destination: 'within-authority', area: 'Canterbury' }))
      .thenNothingHappened(ruleOutcome(ruleId, 'conditions-not-met')));

  /** The checklist the transfer proposed on `move` opens with, its `when` items judged against the move. */
  const checklistOnMove = (facts: CaseEvent[], move: CaseEvent) => checklistFor(given([...facts, move]).state, { before: given(facts).state, fact: move });

  // An unplanned move: "if an unplanned permanent move as soon as this is known" the overview, and
  // the Section 2 standards "if an unplanned move, within 5 working days" (Friday 1 May: 5, 6, 7, 8,
  // 11 May, skipping 4 May); assessments already commenced by the handover point.
  it('opens the §8 standards with the transfer of an unplanned move, dated from the move', () => {
    const items = checklistOnMove(onCINPlanIn('Thanet'), childMoved({ on: '2026-05-01', destination: 'within-authority', area: 'Canterbury', planned: false }));
    expect(items).toMatchObject({
      'team-manager-overview-to-receiving-district': '2026-05-01',
      'transfer-standards-followed-after-move': '2026-05-11',
      'commenced-assessments-completed': '2026-05-18',
      'case-summary-up-to-date': '2026-05-18',
      'receiving-management-oversight-note': '2026-05-18',
    });
    expect(items).not.toHaveProperty('team-manager-overview-before-planned-move');
  });

  // A planned move on Friday 15 May 2026, its date sent on 10 April: "10 working days prior to the
  // planned move date" is Thursday 30 April (14, 13, 12, 11, 8, 7, 6, 5 May, 1 May, 30 April:
  // Monday 4 May is a bank holiday), and the Section 2 standards "prior to the move", by 15 May.
  const plannedFor = (on: LocalDate, scheduledOn: LocalDate) => meetingScheduled({ kind: 'planned-move', on, scheduledOn });
  it('dates the overview of a planned move 10 working days before the planned move date, skipping the May Day bank holiday', () => {
    const items = checklistOnMove([...onCINPlanIn('Thanet'), plannedFor('2026-05-15', '2026-04-10')], childMoved({ on: '2026-05-15', destination: 'within-authority', area: 'Canterbury', planned: true }));
    expect(items).toMatchObject({
      'team-manager-overview-before-planned-move': '2026-04-30',
      'transfer-standards-followed-before-planned-move': '2026-05-15',
      'commenced-assessments-completed': '2026-06-01',
    });
    expect(items).not.toHaveProperty('team-manager-overview-to-receiving-district');
    expect(items).not.toHaveProperty('transfer-standards-followed-after-move');
  });

  it('leaves the planned move’s items undated while no planned move date was sent', () =>
    expect(checklistOnMove(onCINPlanIn('Thanet'), childMoved({ on: '2026-05-15', destination: 'within-authority', area: 'Canterbury', planned: true }))).toMatchObject({
      'team-manager-overview-before-planned-move': null,
      'transfer-standards-followed-before-planned-move': null,
    }));

  // The planned move date, sent again after the move was proposed (moved to Tuesday 19 May): the
  // overview follows it to Tuesday 5 May, the standards to 19 May; the handover point stays.
  it('re-dates the planned move’s items when the planned move date is sent again', () => {
    const facts = [...onCINPlanIn('Thanet'), plannedFor('2026-05-15', '2026-04-10')];
    const move = childMoved({ on: '2026-05-15', destination: 'within-authority', area: 'Canterbury', planned: true });
    const proposedOnMove = given([...facts, move]).state;
    const [opened] = openChecklist(proposedOnMove, proposedOnMove.transfers[0].transferId, compiled, { before: given(facts).state, fact: move });
    const withChecklist = evolve(proposedOnMove, { kind: 'decision', eventId: 'checklist-1', decidedAt: '2026-05-15T10:00:00Z', causationId: 'proposal', decision: opened });
    const [rescheduling] = decide(withChecklist, plannedFor('2026-05-19', '2026-05-15'), compiled);
    expect(rescheduling.type).toBe('TransferRescheduled');
    expect(rescheduling.data).toMatchObject({
      previousDueBy: proposedOnMove.transfers[0].dueBy,
      dueBy: proposedOnMove.transfers[0].dueBy,
      checklist: {
        items: [
          { itemId: 'team-manager-overview-before-planned-move', dueBy: '2026-05-05' },
          { itemId: 'transfer-standards-followed-before-planned-move', dueBy: '2026-05-19' },
        ],
      },
    });
  });
});

describe('003 §2 Actions for allocated Social Worker — “prior to transfer” items follow the handover point once the initial Child in Care Review is dated', () => {
  // CSWT → CIC at the initial Child in Care Review (§6), proposed on Monday 2 March 2026 with no
  // review dated; the review is then set for Friday 27 March and moved to Wednesday 8 April.
  const proposedAwaitingReview = () => {
    const facts = [heldBy('CSWT'), accommodatedUnderS20For({ on: '2026-03-02', weeks: 26 })];
    const { state } = given(facts);
    const transfer = state.transfers[0];
    const opened = openChecklist(state, transfer.transferId, compiled).map((decision, i) => ({
      kind: 'decision' as const,
      eventId: `checklist-${i}`,
      decidedAt: '2026-03-02T10:00:01Z',
      causationId: 'proposal',
      decision,
    }));
    return [...facts, ...opened];
  };
  const review = (on: LocalDate, scheduledOn: LocalDate) => meetingScheduled({ kind: 'initial-cic-review', on, scheduledOn });
  const items = (state: ChildState) => Object.fromEntries(state.checklists[0].items.map((i) => [i.itemId, i.dueBy]));

  it('has no due dates while the review is undated, except those counted from the proposal', () => {
    const { state } = given(proposedAwaitingReview());
    expect(items(state)).toMatchObject({ 'case-summary-up-to-date': null, 'letter-to-family-and-professionals': null, 'cp-chair-or-iro-informed': '2026-03-02' });
  });

  it('dates every item by the review when it is scheduled, the letter 2 working days after it', () => {
    const step = given(proposedAwaitingReview()).when(review('2026-03-27', '2026-03-05'));
    step.then(rescheduled({ previousDueBy: null, dueBy: '2026-03-27', basis: 'meeting', ruleId: 'section-20-expected-over-four-weeks-to-cic', citing: '§6' }));
    const { checklist } = step.evaluation.decisions[0].data as DecisionDataByType['TransferRescheduled'];
    const redated = Object.fromEntries(checklist!.items.map((i) => [i.itemId, i.dueBy]));
    expect(redated).toMatchObject({ 'case-summary-up-to-date': '2026-03-27', 'legal-order-on-file': '2026-03-27', 'letter-to-family-and-professionals': '2026-03-31' });
    // Counted from the proposal, not the handover: not re-dated.
    expect(redated).not.toHaveProperty('cp-chair-or-iro-informed');
    expect(items(given(proposedAwaitingReview(), review('2026-03-27', '2026-03-05')).state)).toMatchObject({
      'case-summary-up-to-date': '2026-03-27',
      'letter-to-family-and-professionals': '2026-03-31',
      'cp-chair-or-iro-informed': '2026-03-02',
    });
  });

  it('moves them again when the review moves, across the Easter bank holidays', () => {
    // Thursday 2 April + 2 working days: Friday 3 (Good Friday) and Monday 6 (Easter Monday) are
    // bank holidays → Tuesday 7, Wednesday 8 April.
    const { state } = given(proposedAwaitingReview(), review('2026-03-27', '2026-03-05'), review('2026-04-02', '2026-03-20'));
    expect(items(state)).toMatchObject({ 'case-summary-up-to-date': '2026-04-02', 'letter-to-family-and-professionals': '2026-04-08' });
  });
});

// =================================================================================================
// §9 Transfers in to and out of other Local Authorities
// =================================================================================================

describe('003 §9, Child in Need — a child on a CIN plan moves to another local authority: → that authority at a CIN meeting within 20 working days', () => {
  const onCINPlan = (team: string) => [heldBy(team), cinPlanStarted({ on: '2026-03-02' })];

  it('is due 20 working days after the move, skipping the May Day and Spring bank holidays', () =>
    given(onCINPlan('CSWT'))
      .when(childMoved({ on: '2026-05-01', destination: 'other-authority' }))
      .then(proposed({ to: 'Other-LA', from: 'CSWT', dueBy: '2026-06-02', ruleId: 'child-in-need-moved-to-other-authority', basis: 'timescale', fallbackReason: 'undated' })));

  it('is due 20 working days on, skipping Christmas, the Boxing Day substitute and New Year’s Day', () =>
    given(onCINPlan('AST'))
      .when(childMoved({ on: '2026-12-14', destination: 'other-authority', planned: false }))
      .then(proposed({ to: 'Other-LA', from: 'AST', dueBy: '2027-01-14' })));

  it('is due at the receiving authority’s CIN meeting when it is dated within the 20 working days', () =>
    given(onCINPlan('DCT'), meetingScheduled({ kind: 'transfer-cin-meeting', on: '2026-05-20', scheduledOn: '2026-04-28' }))
      .when(childMoved({ on: '2026-05-01', destination: 'other-authority' }))
      .then(proposed({ to: 'Other-LA', from: 'DCT', dueBy: '2026-05-20', basis: 'meeting', meeting: 'transfer-cin-meeting' })));

  // "regardless of whether the move is temporary", but not for a stay of less than 4 weeks ("the
  // same principles should apply" to transfers out); ChildMoved.temporary marks only such a stay.
  it('does not fire on a temporary stay of less than 4 weeks (the exception)', () =>
    given(onCINPlan('CSWT'))
      .when(childMoved({ on: '2026-05-01', destination: 'other-authority', temporary: true }))
      .thenNothingHappened(ruleOutcome('child-in-need-moved-to-other-authority', 'exception')));

  it('does not fire on a move within Kent, which is §8’s', () =>
    given(onCINPlan('CSWT'))
      .when(childMoved({ on: '2026-05-01', destination: 'within-authority', area: 'Thanet' }))
      .then(
        proposed({ to: 'CSWT', dueBy: '2026-05-18', ruleId: 'child-in-need-moved-between-kent-areas', citing: '§8' }),
        ruleOutcome('child-in-need-moved-to-other-authority', 'conditions-not-met'),
      ));

  it('does not fire for a child on no plan', () =>
    given(heldBy('CSWT'))
      .when(childMoved({ on: '2026-05-01', destination: 'other-authority' }))
      .thenNothingHappened(ruleOutcome('child-in-need-moved-to-other-authority', 'conditions-not-met')));
});

describe('003 §9, Child Protection — a child on a CP plan moves to another local authority: → that authority at its Initial Child Protection Conference', () => {
  const onCPPlan = () => [heldBy('CSWT'), icpcHeld({ on: '2026-02-02', outcome: 'cp-plan' })];

  it('awaits the receiving authority’s conference', () =>
    given(onCPPlan())
      .when(childMoved({ on: '2026-03-02', destination: 'other-authority' }))
      .then(
        proposed({ to: 'Other-LA', from: 'CSWT', dueBy: null, ruleId: 'child-protection-moved-to-other-authority', basis: 'awaiting-date', meeting: 'transfer-in-conference' }),
        ruleOutcome('child-in-need-moved-to-other-authority', 'conditions-not-met'),
      ));

  it('is dated when the receiving authority’s conference is scheduled', () =>
    given(onCPPlan(), childMoved({ on: '2026-03-02', destination: 'other-authority' }))
      .when(meetingScheduled({ kind: 'transfer-in-conference', on: '2026-03-25', scheduledOn: '2026-03-06' }))
      .then(rescheduled({ previousDueBy: null, dueBy: '2026-03-25', basis: 'meeting', ruleId: 'child-protection-moved-to-other-authority' })));

  it('does not fire on a move within Kent', () =>
    given(onCPPlan())
      .when(childMoved({ on: '2026-03-02', destination: 'within-authority' }))
      .thenNothingHappened(ruleOutcome('child-protection-moved-to-other-authority', 'conditions-not-met')));

  it('does not fire for a child in care (the Out of Area Placements Procedure applies)', () =>
    given(heldBy('CIC'), icpcHeld({ on: '2026-02-02', outcome: 'cp-plan' }))
      .when(childMoved({ on: '2026-03-02', destination: 'other-authority' }))
      .thenNothingHappened(ruleOutcome('child-protection-moved-to-other-authority', 'not-held-by-from-team')));
});

describe('003 §9, Child in Need — a child on a CIN plan moves in to Kent: held by the other authority, then → CSWT at the receiving district’s CIN meeting within 20 working days of being notified', () => {
  const ruleId = 'child-in-need-moved-in-from-other-authority';
  const movesIn = (extra: { temporary?: boolean } = {}) =>
    childMoved({ on: '2026-05-01', destination: 'into-authority', planOnArrival: 'cin', ...extra });

  // Friday 1 May 2026 + 20 working days, skipping 4 May and 25 May: 5–8 (4), 11–15 (9), 18–22 (14),
  // 26–29 (18) May, 1 and 2 June.
  it('is proposed from the other authority, due 20 working days after Kent is notified of the move', () =>
    given()
      .when(movesIn())
      .then(proposed({ to: 'CSWT', from: 'Other-LA', dueBy: '2026-06-02', ruleId, basis: 'timescale', fallbackReason: 'undated' })));

  it('is due at the CIN meeting once it is dated within the 20 working days', () =>
    given(movesIn())
      .when(meetingScheduled({ kind: 'transfer-cin-meeting', on: '2026-05-21', scheduledOn: '2026-05-06' }))
      .then(rescheduled({ previousDueBy: '2026-06-02', dueBy: '2026-05-21', basis: 'meeting', ruleId })));

  it('does not fire on a temporary stay of less than 4 weeks: assistance, not a transfer (the exception)', () =>
    given()
      .when(movesIn({ temporary: true }))
      .thenNothingHappened(ruleOutcome(ruleId, 'exception')));

  it('does not fire for a child who arrives on no plan', () =>
    given()
      .when(childMoved({ on: '2026-05-01', destination: 'into-authority', planOnArrival: 'none' }))
      .thenNothingHappened(ruleOutcome(ruleId, 'conditions-not-met')));

  // §4: "the incoming team should ensure they are completely happy with the documents and
  // assessments provided before accepting transfer"; the §2 and §3 standards are for transfers
  // between Kent's own teams, whose outgoing worker is not in another authority.
  it('opens the transfer-in checklist, not the standards of a transfer between Kent teams', () => {
    const { state } = given(movesIn());
    expect(checklistFor(state)).toEqual({
      'documents-and-assessments-accepted': '2026-06-02',
      'receiving-district-convenes-cin-meeting': '2026-06-02',
    });
  });
});

describe('003 §9, Child Protection — a child on a CP plan moves in to Kent: held by the other authority, then → CSWT at Kent’s Initial Child Protection Conference', () => {
  const ruleId = 'child-protection-moved-in-from-other-authority';

  it('awaits the conference’s date (15 working days from a decision to accept that no case event records)', () =>
    given()
      .when(childMoved({ on: '2026-03-02', destination: 'into-authority', planOnArrival: 'cp' }))
      .then(proposed({ to: 'CSWT', from: 'Other-LA', dueBy: null, ruleId, basis: 'awaiting-date', meeting: 'transfer-in-conference' })));

  it('is dated when the conference is scheduled', () =>
    given(childMoved({ on: '2026-03-02', destination: 'into-authority', planOnArrival: 'cp' }))
      .when(meetingScheduled({ kind: 'transfer-in-conference', on: '2026-03-20', scheduledOn: '2026-03-04' }))
      .then(rescheduled({ previousDueBy: null, dueBy: '2026-03-20', basis: 'meeting', ruleId })));

  it('fires on a temporary move too: §9 gives a child on a CP plan no temporary exception', () =>
    given()
      .when(childMoved({ on: '2026-03-02', destination: 'into-authority', planOnArrival: 'cp', temporary: true }))
      .then(proposed({ to: 'CSWT', from: 'Other-LA', dueBy: null, ruleId })));

  it('does not fire for a child who arrives on a CIN plan', () =>
    given()
      .when(childMoved({ on: '2026-03-02', destination: 'into-authority', planOnArrival: 'cin' }))
      .thenRule(ruleId, 'conditions-not-met'));
});

describe('003 §2 step 11 — a child re-referred less than 12 weeks from closure goes back to the closing team if threshold is met', () => {
  const closedByAst = () => [heldBy('AST', { since: '2026-01-05' }), caseClosed({ on: '2026-03-02', closingTeam: 'AST' })];

  it('sends the child to the closing team on the threshold decision, 11 weeks after closure', () =>
    given(closedByAst(), referralReceived({ on: '2026-05-18' }))
      .when(thresholdDecision({ on: '2026-05-19', decision: 'statutory-assessment' }))
      .then(proposed({ to: 'AST', from: 'Front-Door', dueBy: '2026-05-19', ruleId: 're-referral-within-12-weeks-to-closing-team' })));

  it('measures to the referral, not the decision: referred at 11 weeks 6 days, decided at 12 weeks 2 days', () =>
    given(closedByAst(), referralReceived({ on: '2026-05-24' }))
      .when(thresholdDecision({ on: '2026-05-27', decision: 'statutory-assessment' }))
      .then(proposed({ to: 'AST', dueBy: '2026-05-27', ruleId: 're-referral-within-12-weeks-to-closing-team' })));

  it('does not fire for a re-referral 12 weeks or more after closure', () =>
    given(closedByAst(), referralReceived({ on: '2026-05-25' }))
      .when(thresholdDecision({ on: '2026-05-26', decision: 'statutory-assessment' }))
      .thenNothingHappened(ruleOutcome('re-referral-within-12-weeks-to-closing-team', 'conditions-not-met')));

  it('does not fire when the threshold is not met', () =>
    given(closedByAst(), referralReceived({ on: '2026-04-01' }))
      .when(thresholdDecision({ on: '2026-04-02', decision: 'early-help' }))
      .thenNothingHappened(ruleOutcome('re-referral-within-12-weeks-to-closing-team', 'conditions-not-met')));

  it('sends a court’s request for a Section 37 report back on the referral itself', () =>
    given(closedByAst())
      .when(caseEvent('ReferralReceived', '2026-05-18', { referralSource: 'court', requestType: 'section-37-report' }))
      .then(proposed({ to: 'AST', from: 'Front-Door', dueBy: '2026-05-18', ruleId: 're-referral-within-12-weeks-to-closing-team' })));

  it('does not fire on an ordinary re-referral before the threshold decision', () =>
    given(closedByAst())
      .when(referralReceived({ on: '2026-05-18' }))
      .thenNothingHappened(ruleOutcome('re-referral-within-12-weeks-to-closing-team', 'conditions-not-met')));

  // The closing team restriction: a child the front door finds at the statutory threshold goes back
  // only to a statutory team, not to the Early Help unit that closed the last episode.
  it('does not send a child closed by Early Help back to Early Help at the statutory threshold', () =>
    given(heldBy('EH'), caseClosed({ on: '2026-03-02', closingTeam: 'EH' }), referralReceived({ on: '2026-04-01' }))
      .when(thresholdDecision({ on: '2026-04-02', decision: 'statutory-assessment' }))
      .thenNothingHappened(ruleOutcome('re-referral-within-12-weeks-to-closing-team', 'conditions-not-met')));

  it('does not fire for a first referral (nothing was closed)', () =>
    given(referralReceived({ on: '2026-04-01' }))
      .when(thresholdDecision({ on: '2026-04-02', decision: 'statutory-assessment' }))
      .thenNothingHappened(ruleOutcome('re-referral-within-12-weeks-to-closing-team', 'conditions-not-met')));
});

describe('003 §4 — the Service Manager, “where necessary”, escalates to the relevant Assistant Director for a resolution (a rung no timer reaches)', () => {
  // A child accommodated under s20 on Friday 1 May 2026, expected in foster care for 8 weeks:
  // CSWT → CIC at the initial Child in Care Review (not yet dated, so never overdue here). The
  // receiving team disputes it on Thursday 7 May: §8 "Any dispute … escalated to the relevant
  // Service Manager", so the escalation enters at the Service Manager.
  const id = { authority: SCENARIO_AUTHORITY, childId: SCENARIO_CHILD_ID };
  function disputed() {
    const stream: ChildStreamEvent[] = [{ kind: 'fact', fact: allocated({ team: 'CSWT' }) }];
    let n = 0;
    const record = (decision: Decision, on: LocalDate, causationId = 'x') => stream.push({ kind: 'decision', eventId: `d-${++n}`, decidedAt: `${on}T12:00:00Z`, causationId, decision });
    const fold = () => stream.reduce(evolve, initialChildState(id.authority, id.childId));
    const trigger = accommodatedUnderS20For({ on: '2026-05-01', weeks: 8 });
    stream.push({ kind: 'fact', fact: trigger });
    decide(fold(), trigger, compiled).forEach((d) => record(d, '2026-05-01', trigger.eventId));
    const transfer = fold().transfers[0];
    expect([transfer.toTeam, transfer.dueBy]).toEqual(['CIC', null]);
    const dispute = decideTransferCommand(fold(), { action: 'dispute', transferId: transfer.transferId, reason: 'not yet accommodated for four weeks', on: '2026-05-07' });
    if (!dispute.ok) throw new Error(dispute.message);
    dispute.decisions.forEach((d) => record(d, '2026-05-07'));
    const run = (today: LocalDate) => {
      const { decisions } = supervise(stream, compiled, today, id);
      decisions.forEach((d) => record(d, today, 'supervision'));
      return decisions.map((d) => ({ type: d.type, ...(d.data as DecisionDataByType['EscalationRaised']) }));
    };
    return { stream, fold, record, run };
  }

  it('raises the dispute at the Service Manager with no due date, and time never takes it to the Assistant Director', () => {
    const { run } = disputed();
    // §4: the IRO of a child in care is "kept updated if there are difficulties experienced in transferring".
    expect(run('2026-05-07')).toEqual([
      expect.objectContaining({ type: 'EscalationRaised', reason: 'disputed', rung: 2, role: 'Service Manager', dueBy: null, citation: '003_fbe064539c50cc36.txt §4', alsoTold: ['Independent Reviewing Officer'] }),
    ]);
    expect(run('2026-05-11')).toEqual([]);
    expect(run('2026-08-28')).toEqual([]);
  });

  it('goes to the Assistant Director when the Service Manager escalates it, citing §4’s words, and no further', () => {
    const { fold, record, run } = disputed();
    const [{ escalationId }] = run('2026-05-07');
    const request = { escalationId, by: 'SM-north', reason: 'the Service Managers cannot agree the transfer point', on: '2026-05-14' as LocalDate };
    const outcome = escalateByRequest(fold(), compiled, request);
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.decisions[0].data).toMatchObject({
      rung: 3,
      role: 'Assistant Director',
      dueBy: null,
      escalatedBy: 'SM-north',
      citation: '003_fbe064539c50cc36.txt §4 (“escalate their concerns to the relevant Assistant Director for a resolution”)',
      alsoTold: ['Independent Reviewing Officer'],
    });
    outcome.decisions.forEach((d) => record(d, '2026-05-14', 'cmd'));
    expect(run('2026-05-14')).toEqual([]);
    expect(run('2026-06-30')).toEqual([]);
    expect(escalateByRequest(fold(), compiled, request)).toMatchObject({ ok: false, problem: 'escalation-at-top-rung', rung: 3, role: 'Assistant Director' });
  });

  it('keeps the Team Manager’s 1 working day before the Service Manager is told (“within 1 working day”); only the Assistant Director is reached by request', () =>
    expect(compiled.pack.escalation.ladder.map((r) => [r.role, r.within ?? null, r.reachedBy ?? null])).toEqual([
      ['Team Manager', '1 working day', null],
      ['Service Manager', null, null],
      ['Assistant Director', null, 'request'],
    ]));
});

describe('003 §9 Child in Need, §4 — a delay between authorities goes to the Service Manager (“The Service Manager should be notified if there is any delay in the receiving local authority accepting responsibility of the child”), with the Child Protection Chair or IRO kept updated', () => {
  const id = { authority: SCENARIO_AUTHORITY, childId: SCENARIO_CHILD_ID };
  type Raised = DecisionDataByType['EscalationRaised'] & { type: string };
  /** The child's facts, each decided as it arrives; `run` supervises on a day and records what it raises. */
  function history(...facts: ReturnType<typeof caseEvent>[]) {
    const stream: ChildStreamEvent[] = [];
    let n = 0;
    const record = (decision: Decision, on: LocalDate, causationId = 'x') => stream.push({ kind: 'decision', eventId: `d-${++n}`, decidedAt: `${on}T12:00:00Z`, causationId, decision });
    const fold = () => stream.reduce(evolve, initialChildState(id.authority, id.childId));
    for (const fact of facts) {
      const decisions = decide(fold(), fact, compiled);
      stream.push({ kind: 'fact', fact });
      decisions.forEach((d) => record(d, fact.occurredAt.slice(0, 10) as LocalDate, fact.eventId));
    }
    const run = (today: LocalDate): Raised[] => {
      const { decisions } = supervise(stream, compiled, today, id);
      decisions.forEach((d) => record(d, today, 'supervision'));
      return decisions.map((d) => ({ type: d.type, ...(d.data as DecisionDataByType['EscalationRaised']) }));
    };
    return { fold, record, run };
  }
  const onCINPlan = [allocated({ team: 'CSWT' }), cinPlanStarted({ on: '2026-03-02' })];

  // Friday 1 May 2026 + 20 working days (4 and 25 May are bank holidays): due Tuesday 2 June.
  it('a child in need moved out whose transfer is not done in 20 working days: the Service Manager on Wednesday 3 June, not the Team Manager, and never the Assistant Director by time', () => {
    const { fold, run } = history(...onCINPlan, childMoved({ on: '2026-05-01', destination: 'other-authority' }));
    const [transfer] = fold().transfers;
    expect([transfer.ruleId, transfer.dueBy]).toEqual(['child-in-need-moved-to-other-authority', '2026-06-02']);
    expect(run('2026-06-02')).toEqual([]);
    const [raised, ...rest] = run('2026-06-03');
    expect(rest).toEqual([]);
    expect(raised).toMatchObject({
      type: 'EscalationRaised',
      reason: 'inter-authority-delay',
      rung: 2,
      role: 'Service Manager',
      dueBy: null,
      transferId: transfer.transferId,
      citation: '003_fbe064539c50cc36.txt §4',
      about: 'transfer CSWT → Other-LA between authorities was due by 2026-06-02',
    });
    // A child in need has no Child Protection Chair or IRO to keep updated.
    expect(raised.alsoTold).toBeUndefined();
    expect(run('2026-06-04')).toEqual([]);
    expect(run('2026-09-01')).toEqual([]);
  });

  it('a child on a Child Protection Plan moved out whose transfer conference passes: the Service Manager, with the Child Protection Chair kept updated', () => {
    const { run } = history(
      allocated({ team: 'CSWT' }),
      icpcHeld({ on: '2026-02-02', outcome: 'cp-plan' }),
      childMoved({ on: '2026-03-02', destination: 'other-authority' }),
      meetingScheduled({ kind: 'transfer-in-conference', on: '2026-03-25', scheduledOn: '2026-03-06' }),
    );
    expect(run('2026-03-25')).toEqual([]);
    expect(run('2026-03-26')).toEqual([
      expect.objectContaining({ reason: 'inter-authority-delay', rung: 2, role: 'Service Manager', dueBy: null, alsoTold: ['Child Protection Chair'] }),
    ]);
  });

  // "the receiving local authority": when a child in need comes to Kent, Kent is the receiving authority.
  it('a child in need moving in whose transfer to the district is not done in 20 working days: the Service Manager too', () => {
    const { run } = history(childMoved({ on: '2026-05-01', destination: 'into-authority', planOnArrival: 'cin' }));
    expect(run('2026-06-03')).toEqual([expect.objectContaining({ reason: 'inter-authority-delay', rung: 2, role: 'Service Manager', about: 'transfer Other-LA → CSWT between authorities was due by 2026-06-02' })]);
  });

  // §9 Child Protection says nothing of the Service Manager for a child coming in; a late transfer
  // in is escalated as any late transfer is, to the Team Manager with 1 working day.
  it('does not treat a child on a plan moving in as a delay between authorities: overdue, to the Team Manager', () => {
    const { run } = history(
      childMoved({ on: '2026-03-02', destination: 'into-authority', planOnArrival: 'cp' }),
      meetingScheduled({ kind: 'transfer-in-conference', on: '2026-03-20', scheduledOn: '2026-03-04' }),
    );
    expect(run('2026-03-23')).toEqual([expect.objectContaining({ reason: 'overdue', rung: 1, role: 'Team Manager', dueBy: '2026-03-24' })]);
  });

  // §9: "or a dispute about Child in Need thresholds"; §8: "Any dispute … escalated to the relevant Service Manager".
  it('a dispute about Child in Need thresholds on a transfer to another authority: the Service Manager on the day', () => {
    const { fold, record, run } = history(...onCINPlan, childMoved({ on: '2026-05-01', destination: 'other-authority' }));
    const [transfer] = fold().transfers;
    const dispute = decideTransferCommand(fold(), { action: 'dispute', transferId: transfer.transferId, reason: 'the receiving authority finds the child below its Child in Need threshold', on: '2026-05-12' });
    if (!dispute.ok) throw new Error(dispute.message);
    dispute.decisions.forEach((d) => record(d, '2026-05-12'));
    const [raised] = run('2026-05-12');
    expect(raised).toMatchObject({ reason: 'disputed', rung: 2, role: 'Service Manager', transferId: transfer.transferId });
    expect(raised.alsoTold).toBeUndefined();
  });

  it('names the Child Protection Chair and IRO on every rung, for difficulties in transferring only, where the child has one', () => {
    const notices = compiled.pack.escalation.ladder.map((rung) => (rung.alsoTell ?? []).map((n) => [n.role, n.reasons, n.when]));
    const chairAndIro = [
      ['Child Protection Chair', ['overdue', 'disputed', 'capacity', 'inter-authority-delay'], [{ fact: 'child.plan', is: 'cp' }]],
      ['Independent Reviewing Officer', ['overdue', 'disputed', 'capacity', 'inter-authority-delay'], [{ fact: 'child.lookedAfter', is: true }]],
    ];
    expect(notices).toEqual([chairAndIro, chairAndIro, chairAndIro]);
    expect(compiled.pack.escalation.entry).toMatchObject({ disputed: 2, capacity: 2, 'inter-authority-delay': 2 });
    expect(compiled.pack.rules.filter((r) => r.overdueAs === 'inter-authority-delay').map((r) => r.id)).toEqual([
      'child-in-need-moved-to-other-authority',
      'child-protection-moved-to-other-authority',
      'child-in-need-moved-in-from-other-authority',
    ]);
  });
});

// --- Sibling groups (a family's streams, reconciled as the allocation service does) ------------

describe('003 §6 Children Social Work Team (CSWT), Transfers to Children in Care (CIC) Team — siblings in proceedings, not all in care: the sibling group moves to CIC together, the siblings not in care at a Core Group Meeting or CIN Review', () => {
  const NOW = '2026-03-30T09:00:00Z';
  /** C-1 is accommodated; C-2, its sibling, lives at home. Both held by the district CSWT. */
  const IN_CARE = SCENARIO_CHILD_ID;
  const AT_HOME = 'C-2';
  const of = <T extends { childId: string }>(childId: string, fact: T): T => ({ ...fact, childId });
  const family = (now: string | undefined = NOW) => new FamilySimulation(compiled, SCENARIO_AUTHORITY, [IN_CARE, AT_HOME], now);
  const together = (now: string | undefined = NOW) =>
    family(now)
      .deliver(of(IN_CARE, allocated({ team: 'CSWT' })))
      .deliver(of(AT_HOME, allocated({ team: 'CSWT' })))
      .deliver(of(IN_CARE, accommodated({ on: '2026-02-16', legalBasis: 's20' })));
  const transfersOf = (f: FamilySimulation, childId: string) =>
    f.state(childId).transfers.map(({ ruleId, fromTeam, toTeam, status, dueBy, handoverPoint, citation }) => ({ ruleId, fromTeam, toTeam, status, dueBy, basis: handoverPoint.basis, meeting: handoverPoint.meeting, citation }));
  const SIBLING_RULE = 'siblings-in-proceedings-not-in-care-to-cic';
  const CITATION = '003_fbe064539c50cc36.txt §6 Children Social Work Team (CSWT), Transfers to Children in Care (CIC) Team occur when, “Where siblings are in proceedings but not all are in care”';

  it('moves the sibling not in care alongside, at its Core Group Meeting, while the one in care goes at the initial Child in Care Review', () => {
    const f = together()
      .deliver(of(AT_HOME, meetingScheduled({ kind: 'core-group', on: '2026-03-24', scheduledOn: '2026-03-05' })))
      .deliver(of(AT_HOME, proceedingsIssued({ on: '2026-03-09' })))
      .deliver(of(IN_CARE, proceedingsIssued({ on: '2026-03-09' })))
      .deliver(of(IN_CARE, meetingScheduled({ kind: 'initial-cic-review', on: '2026-03-24', scheduledOn: '2026-03-10' })));
    expect(transfersOf(f, IN_CARE)).toEqual([
      expect.objectContaining({ ruleId: 'care-proceedings-already-accommodated-to-cic', fromTeam: 'CSWT', toTeam: 'CIC', status: 'proposed', dueBy: '2026-03-24', basis: 'meeting', meeting: 'initial-cic-review' }),
    ]);
    expect(transfersOf(f, AT_HOME)).toEqual([{ ruleId: SIBLING_RULE, fromTeam: 'CSWT', toTeam: 'CIC', status: 'proposed', dueBy: '2026-03-24', basis: 'meeting', meeting: 'core-group', citation: CITATION }]);
  });

  it.each([
    ['deciding after the facts', NOW],
    ['deciding as each fact arrives', undefined],
  ])('moves it alike when its own proceedings are recorded after the proposal, and dates it at the CIN Review scheduled later (no core group): %s', (_how, now) => {
    const f = together(now)
      .deliver(of(IN_CARE, proceedingsIssued({ on: '2026-03-09' })))
      .deliver(of(AT_HOME, proceedingsIssued({ on: '2026-03-09' })));
    expect(transfersOf(f, AT_HOME)).toEqual([expect.objectContaining({ ruleId: SIBLING_RULE, toTeam: 'CIC', status: 'proposed', dueBy: null, basis: 'awaiting-date', meeting: 'cin-review' })]);
    // "convened early if required": the CSWT schedules the CIN Review to fall with the CIC review.
    f.deliver(of(AT_HOME, meetingScheduled({ kind: 'cin-review', on: '2026-04-14', scheduledOn: '2026-03-16' })));
    expect(transfersOf(f, AT_HOME)).toEqual([expect.objectContaining({ ruleId: SIBLING_RULE, status: 'proposed', dueBy: '2026-04-14', basis: 'meeting', meeting: 'cin-review' })]);
  });

  it('keeps a sibling whose separation is recorded ("unless exceptional circumstances and agreed by CSWT"), and withdraws the move of one whose separation is recorded after it', () => {
    const separated = together()
      .deliver(of(AT_HOME, caseEvent('SiblingSeparationRecorded', '2026-03-02', { reason: 'exceptional circumstances agreed by CSWT' })))
      .deliver(of(AT_HOME, proceedingsIssued({ on: '2026-03-09' })))
      .deliver(of(IN_CARE, proceedingsIssued({ on: '2026-03-09' })));
    expect(transfersOf(separated, IN_CARE)).toEqual([expect.objectContaining({ toTeam: 'CIC', status: 'proposed' })]);
    expect(transfersOf(separated, AT_HOME)).toEqual([]);

    const later = together()
      .deliver(of(AT_HOME, proceedingsIssued({ on: '2026-03-09' })))
      .deliver(of(IN_CARE, proceedingsIssued({ on: '2026-03-09' })))
      .deliver(of(AT_HOME, caseEvent('SiblingSeparationRecorded', '2026-03-12', { reason: 'exceptional circumstances agreed by CSWT' })));
    expect(transfersOf(later, AT_HOME)).toEqual([expect.objectContaining({ ruleId: SIBLING_RULE, status: 'withdrawn' })]);
  });

  it('does not take along a sibling who is not in proceedings, nor one in care (its own rule moves it)', () => {
    const notInProceedings = together().deliver(of(IN_CARE, proceedingsIssued({ on: '2026-03-09' })));
    expect(transfersOf(notInProceedings, AT_HOME)).toEqual([]);

    const bothInCare = together()
      .deliver(of(AT_HOME, accommodated({ on: '2026-02-16', legalBasis: 's20' })))
      .deliver(of(IN_CARE, proceedingsIssued({ on: '2026-03-09' })))
      .deliver(of(AT_HOME, proceedingsIssued({ on: '2026-03-09' })));
    expect(transfersOf(bothInCare, AT_HOME)).toEqual([expect.objectContaining({ ruleId: 'care-proceedings-already-accommodated-to-cic', toTeam: 'CIC' })]);
  });

  it("a sibling's move to AST, DCT or the 18+ Team no longer takes the others along", () => {
    const f = family()
      .deliver(of(IN_CARE, allocated({ team: 'CSWT' })))
      .deliver(of(AT_HOME, allocated({ team: 'CSWT' })))
      .deliver(of(AT_HOME, proceedingsIssued({ on: '2026-03-09' })))
      .deliver(of(IN_CARE, bornOn('2012-01-10')))
      .deliver(of(IN_CARE, assessmentCompleted({ on: '2026-03-16', primaryIssue: 'child-exploitation' })));
    expect(transfersOf(f, IN_CARE)).toEqual([expect.objectContaining({ ruleId: 'exploitation-assessment-to-ast', toTeam: 'AST' })]);
    expect(transfersOf(f, AT_HOME)).toEqual([]);
    expect(siblingRuleFor(pack, 'eligible-care-leaver-to-18-plus')).toBeUndefined();
    expect(siblingRuleFor(pack, 'significant-disability-to-dct')).toBeUndefined();
  });
});

// Last in the file, so every scenario above has run: each rule of the pack must have fired in one.
describe('003 §6 Children Social Work Team (CSWT), Transfers to Children in Care (CIC) Team — an interim CAO or ISO against the LA’s care plan', () => {
  // Monday 2 March 2026: the court grants an interim CAO against the LA's care plan.
  it('the LA holds the child should be in care: CSWT → CIC within 4 weeks (Monday 30 March) when no meeting is scheduled', () =>
    given(heldBy('CSWT', { since: '2026-01-05' }))
      .when(orderMade({ on: '2026-03-02', order: 'interim-CAO', localAuthorityPosition: 'child-should-be-in-care' }))
      .then(proposed({ to: 'CIC', from: 'CSWT', dueBy: '2026-03-30', ruleId: 'interim-order-against-care-plan-to-cic' })));

  it('the LA holds the child should be in care: at the next Core Group Meeting when it falls within the 4 weeks', () =>
    given(heldBy('CSWT', { since: '2026-01-05' }), meetingScheduled({ kind: 'core-group', on: '2026-03-16', scheduledOn: '2026-02-20' }))
      .when(orderMade({ on: '2026-03-02', order: 'ISO', localAuthorityPosition: 'child-should-be-in-care' }))
      .then(proposed({ to: 'CIC', from: 'CSWT', dueBy: '2026-03-16', ruleId: 'interim-order-against-care-plan-to-cic' })));

  it('the LA agrees the child is safe with extended family: the child remains with the district', () =>
    given(heldBy('CSWT', { since: '2026-01-05' }))
      .when(orderMade({ on: '2026-03-02', order: 'interim-CAO', localAuthorityPosition: 'child-safe-with-family' }))
      .then(
        retained({ team: 'CSWT', ruleId: 'interim-order-child-safe-with-family-remains-in-cswt', holds: false }),
        ruleOutcome('interim-order-against-care-plan-to-cic', 'conditions-not-met'),
      ));

  it('decides nothing when Liberi does not record the LA’s position with the order', () =>
    given(heldBy('CSWT', { since: '2026-01-05' }))
      .when(orderMade({ on: '2026-03-02', order: 'interim-CAO' }))
      .thenNothingHappened(ruleOutcome('interim-order-against-care-plan-to-cic', 'conditions-not-met'), ruleOutcome('interim-order-child-safe-with-family-remains-in-cswt', 'conditions-not-met')));
});

describeEveryRuleFires(pack, spec, { rules: 42 });

describe('003 §6 Transfers to Adult Social Care and Health (ASCH) — a young person with ongoing care and support needs is presented to a Transition Panel in time (CIC at 17, AST by 17½, SIS at 17½)', () => {
  const id = { authority: SCENARIO_AUTHORITY, childId: SCENARIO_CHILD_ID };
  /** The deadline escalations supervision raises on `today` from the facts alone. */
  const missed = (facts: Array<CaseEvent | CaseEvent[]>, today: LocalDate): string[] =>
    supervise(
      facts.flat().map((fact) => ({ kind: 'fact' as const, fact })),
      compiled,
      today,
      id,
    ).decisions.flatMap((d) => (d.type === 'EscalationRaised' && (d.data as DecisionDataByType['EscalationRaised']).deadlineId ? [(d.data as DecisionDataByType['EscalationRaised']).deadlineId!] : []));
  // Born 1 October 2009: 17 on Thursday 1 October 2026, 17½ on Thursday 1 April 2027.
  const withNeeds = (team: string) => [heldBy(team, { since: '2026-01-05' }), bornOn('2009-10-01'), childDetails({ on: '2026-02-02', ongoingCareAndSupportNeeds: true })];

  it('CIC: due within a month of the 17th birthday (panels are monthly), escalated the day after, met by the panel', () => {
    const at17 = birthdayApproaching({ ageYears: 17, on: '2026-10-01', noticedOn: '2026-10-01' });
    expect(missed([...withNeeds('CIC'), at17], '2026-11-01')).toEqual([]);
    expect(missed([...withNeeds('CIC'), at17], '2026-11-02')).toEqual(['cic-transition-panel-at-17']);
    expect(missed([...withNeeds('CIC'), at17, transitionPanelHeld({ on: '2026-10-20', outcome: 'deferred' })], '2026-11-02')).toEqual([]);
  });

  it('AST: due by the day the young person is 17½', () => {
    const at17 = birthdayApproaching({ ageYears: 17, on: '2026-10-01', noticedOn: '2026-10-01' });
    expect(missed([...withNeeds('AST'), at17], '2027-04-01')).toEqual([]);
    expect(missed([...withNeeds('AST'), at17], '2027-04-02')).toEqual(['ast-transition-panel-by-17-and-a-half']);
  });

  it('SIS: due within a month of 17½', () => {
    const atHalf = birthdayApproaching({ ageYears: 17.5, on: '2027-04-01', noticedOn: '2027-04-01' });
    expect(missed([...withNeeds('YPT'), atHalf], '2027-05-01')).toEqual([]);
    expect(missed([...withNeeds('YPT'), atHalf], '2027-05-02')).toEqual(['sis-transition-panel-at-17-and-a-half']);
  });

  it('starts nothing for a young person with no recorded ongoing care and support needs', () => {
    const at17 = birthdayApproaching({ ageYears: 17, on: '2026-10-01', noticedOn: '2026-10-01' });
    expect(missed([heldBy('CIC', { since: '2026-01-05' }), bornOn('2009-10-01'), at17], '2027-01-04')).toEqual([]);
  });
});
