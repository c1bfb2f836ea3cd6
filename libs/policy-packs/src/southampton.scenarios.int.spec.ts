/**
 * Scenarios for policies/southampton.yaml against its seed document,
 * shared/seeds/004_3c7817f90012ec66.txt (Southampton City Council Children's Social Care Transfer
 * Procedure, version 4).
 *
 * One `describe` per rule, named by the team heading and point it cites ("004 BIT 1, SWF 1 — …");
 * the helper checks each decision's citation names them. Each rule has a scenario that fires it
 * and one that shows its exception or a non-match. A rule's decision is a proposed transfer, or
 * for Adoption 2 a co-worker required beside the team that keeps the case (CoWorkRequired).
 *
 * Dates are pinned and every dueBy is counted by hand from the calendar, with England and Wales
 * bank holidays: 2026 — 1 Jan, 3 Apr, 6 Apr, 4 May, 25 May, 31 Aug, 25 Dec, 28 Dec; 2027 — 1 Jan,
 * 26 Mar, 29 Mar, 3 May, 31 May, 30 Aug, 27 Dec, 28 Dec. Weeks and months are calendar weeks and
 * months (bank holidays do not move them).
 */
import * as path from 'node:path';
import {
  compilePack,
  decide,
  decideLifecycleFact,
  decideTransferCommand,
  evolve,
  historyOf,
  initialChildState,
  openChecklist,
  reconcileAllocation,
  openTransfers,
  supervise,
  type CaseEvent,
  type CaseEventDataByType,
  type ChildState,
  type ChildStreamEvent,
  type Decision,
  type DecisionDataByType,
  type Evaluation,
  type LocalDate,
  type PendingDecision,
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
  coWorkRequired as coWorkRequiredDecision,
  hearingHeld,
  heldBy,
  lapsed,
  meetingScheduled,
  orderMade,
  ploStarted,
  proceedingsIssued,
  proposed as proposedDecision,
  referralReceived,
  rescheduled as rescheduledDecision,
  ruleOutcome,
  scenario,
  SCENARIO_AUTHORITY,
  SCENARIO_CHILD_ID,
  thresholdDecision,
  describeEveryRuleFires,
} from '@cto/testing';
import { loadPolicyPackFile } from './index';

const pack = loadPolicyPackFile(path.resolve(__dirname, '../../../policies/southampton.yaml'));
const compiled = compilePack(pack);
const spec = scenario(compiled);
const { given } = spec;

/*
 * Citations. The scenario helper checks a decision's citation against the test's name: a name
 * starting "004 BIT 1 — " requires "004_" and "BIT 1" in the citation, each followed by a
 * non-digit. This seed's file name is 004_3c7817f90012ec66.txt, so "004_" is always followed by
 * a digit and that check can never pass. Each expected decision here therefore names its citation
 * explicitly (`citing`), in full — "004_3c7817f90012ec66.txt BIT 1, SWF 1" — read from the same
 * describe name; a scenario about another rule's decision still gives its own `citing`.
 */
function citationNamedByTest(): string {
  const match = /^004 (.+?) — /.exec(expect.getState().currentTestName ?? '');
  if (!match) throw new Error('a scenario describe must be named "004 <heading and point> — …"');
  return `${pack.source} ${match[1]}`;
}
const proposed = (expected: Parameters<typeof proposedDecision>[0]) => proposedDecision({ citing: citationNamedByTest(), ...expected });
const rescheduled = (expected: Parameters<typeof rescheduledDecision>[0]) =>
  rescheduledDecision({ citing: citationNamedByTest(), ...expected });
const coWorkRequired = (expected: Parameters<typeof coWorkRequiredDecision>[0]) =>
  coWorkRequiredDecision({ citing: citationNamedByTest(), ...expected });
/** The full citation of another point, for a decision a scenario shows beside the one it is about. */
const citing = (point: string) => `${pack.source} ${point}`;

// No typed builders exist for these requests and outcomes: the generic case event, as the brief says.
type Referral = CaseEventDataByType['ReferralReceived'];
const courtReportRequest = (on: string, requestType: 'section-7-report' | 'section-37-report' | 'statement-or-report', more: Partial<Referral> = {}) =>
  caseEvent('ReferralReceived', on, { referralSource: 'court', requestType, ...more });
const section37Request = (on: string) => courtReportRequest(on, 'section-37-report');
const section7Request = (on: string) => courtReportRequest(on, 'section-7-report');
/** MASH 8: a request for a statement or report on a child who does not live in the area. */
const notInTheArea = (on: string, requestType: 'section-7-report' | 'section-37-report' | 'statement-or-report') =>
  courtReportRequest(on, requestType, { livesInArea: false });
/** MASH 9, BIT 2: a referral asking for a pre-birth assessment, saying what it knows of the family. */
const preBirthReferral = (on: string, family: Pick<Referral, 'previousChildrenRemoved' | 'siblingsInCareProceedings'> = {}) =>
  caseEvent('ReferralReceived', on, { referralSource: 'midwife', requestType: 'pre-birth-assessment', ...family });
/** An unborn child: an expected date of birth and no date of birth (child.unborn). */
const expectedOn = (expectedDateOfBirth: LocalDate, on: LocalDate) => caseEvent('ChildDetailsRecorded', on, { expectedDateOfBirth });
const assessmentCompleted = (on: string, outcome: 'early-help' | 'step-down-to-early-help' | 'child-in-need') =>
  caseEvent('AssessmentCompleted', on, { assessment: 'child-and-family', outcome });
/** A child known to `team`, closed on `closedOn`. */
const closedBy = (team: string, closedOn: string) => [heldBy(team, { since: '2025-01-06' }), caseClosed({ on: closedOn, closingTeam: team })];

/*
 * A transfer is completed by the service, not by the policy engine that `given` runs: a manager
 * accepts and completes it over the API (decideTransferCommand), or the case-management system
 * allocates a worker in the receiving team (decideLifecycleFact, judged on the state with the fact
 * applied, as services/allocation does). These fold those decisions as the service stores them.
 */
const folded = (state: ChildState, decisions: Decision[], causationId: string, on: LocalDate): ChildState =>
  decisions.reduce((s, decision, i) => evolve(s, { kind: 'decision', eventId: `${causationId}-${i + 1}`, decidedAt: `${on}T10:00:00Z`, causationId, decision }), state);

function acceptedAndCompleted(state: ChildState, toTeam: string, on: LocalDate): ChildState {
  const transfer = openTransfers(state).find((t) => t.toTeam === toTeam);
  if (!transfer) throw new Error(`no open transfer to ${toTeam}`);
  return (['accept', 'complete'] as const).reduce((s, action) => {
    const outcome = decideTransferCommand(s, { action, transferId: transfer.transferId, on });
    if (!outcome.ok) throw new Error(outcome.message);
    return folded(s, outcome.decisions, `${transfer.transferId}-${action}`, on);
  }, state);
}

function recordedByTheService(step: { evaluation: Evaluation }, fact: CaseEvent): ChildState {
  const { state, decisions } = step.evaluation;
  const on = fact.occurredAt.slice(0, 10);
  return folded(folded(state, decideLifecycleFact(state, fact), `${fact.eventId}-lifecycle`, on), decisions, fact.eventId, on);
}

describe('004 CRS 1, MASH 2 — the front door decides a Children and Families First referral is appropriate: CRS or MASH → CFF', () => {
  it('transfers on the day of the CRS decision', () =>
    given(referralReceived({ on: '2026-03-02' }))
      .when(thresholdDecision({ on: '2026-03-03', decision: 'early-help' }))
      .then(proposed({ to: 'CFF', from: 'CRS', dueBy: '2026-03-03', ruleId: 'front-door-early-help-to-cff', basis: 'timescale' })));

  it('transfers from MASH on the day of its decision', () =>
    given(heldBy('MASH', { since: '2026-03-02' }))
      .when(thresholdDecision({ on: '2026-03-04', decision: 'early-help' }))
      .then(proposed({ to: 'CFF', from: 'MASH', dueBy: '2026-03-04', ruleId: 'front-door-early-help-to-cff' })));

  it('does not fire when the decision is a statutory assessment (the destination is the CRS’s choice by need)', () =>
    given(referralReceived({ on: '2026-03-02' }))
      .when(thresholdDecision({ on: '2026-03-03', decision: 'statutory-assessment' }))
      .thenNothingHappened(ruleOutcome('front-door-early-help-to-cff', 'conditions-not-met')));

  it('does not fire on no further action', () =>
    given(referralReceived({ on: '2026-03-02' }))
      .when(thresholdDecision({ on: '2026-03-03', decision: 'no-further-action' }))
      .thenNothingHappened(ruleOutcome('front-door-early-help-to-cff', 'conditions-not-met')));
});

describe('004 Trajectory Model 3, CRS 1, MASH 2 — the front door transfers the child directly to the service its decision names', () => {
  it('sends the child from the CRS straight to the Social Work with Families Team on the day of the decision', () =>
    given(referralReceived({ on: '2026-03-02' }))
      .when(thresholdDecision({ on: '2026-03-03', decision: 'statutory-assessment', team: 'SWF' }))
      .then(proposed({ to: 'SWF', from: 'CRS', dueBy: '2026-03-03', ruleId: 'front-door-directs-to-named-team', basis: 'timescale' })));

  it('sends the child on to the MASH ("Progress through the MASH")', () =>
    given(referralReceived({ on: '2026-03-02' }))
      .when(thresholdDecision({ on: '2026-03-02', decision: 'statutory-assessment', team: 'MASH' }))
      .then(proposed({ to: 'MASH', from: 'CRS', dueBy: '2026-03-02', ruleId: 'front-door-directs-to-named-team' })));

  it('sends a child from MASH to the Brief Intervention Team, and a named team outranks the early-help reading', () =>
    given(heldBy('MASH', { since: '2026-03-02' }))
      .when(thresholdDecision({ on: '2026-03-04', decision: 'early-help', team: 'BIT' }))
      .then(proposed({ to: 'BIT', from: 'MASH', dueBy: '2026-03-04', ruleId: 'front-door-directs-to-named-team' }), ruleOutcome('front-door-early-help-to-cff', 'lower-priority')));

  it('does not send a child to a service the front door does not transfer to directly (the Adoption Service)', () =>
    given(referralReceived({ on: '2026-03-02' }))
      .when(thresholdDecision({ on: '2026-03-03', decision: 'statutory-assessment', team: 'Adoption' }))
      .thenNothingHappened(ruleOutcome('front-door-directs-to-named-team', 'conditions-not-met')));

  it('does not fire for a team that does not hold the child at the front door', () =>
    given(heldBy('SWF', { since: '2026-03-02' }))
      .when(thresholdDecision({ on: '2026-03-04', decision: 'statutory-assessment', team: 'BIT' }))
      .thenNothingHappened(ruleOutcome('front-door-directs-to-named-team', 'not-held-by-from-team')));
});

describe('004 PTC 9 — a qualifying care leaver seeking a service: CRS or MASH → PTC', () => {
  it('is transferred into Pathways Through Care by the next working day, skipping Good Friday and Easter Monday', () =>
    given(childDetails({ on: '2026-04-01', careLeaverStatus: 'qualifying' }))
      .when(referralReceived({ on: '2026-04-02' }))
      .then(proposed({ to: 'PTC', from: 'CRS', dueBy: '2026-04-07', ruleId: 'qualifying-care-leaver-to-ptc', basis: 'timescale' })));

  it('fires when the status is recorded at the front door after the referral', () =>
    given(referralReceived({ on: '2026-03-02' }))
      .when(childDetails({ on: '2026-03-04', careLeaverStatus: 'qualifying' }))
      .then(proposed({ to: 'PTC', from: 'CRS', dueBy: '2026-03-05', ruleId: 'qualifying-care-leaver-to-ptc' })));

  it('does not fire for a young person with another status (former relevant: PTC 10 re-presenting)', () =>
    given(childDetails({ on: '2026-03-02', careLeaverStatus: 'former-relevant' }))
      .when(referralReceived({ on: '2026-03-02' }))
      .thenNothingHappened(ruleOutcome('qualifying-care-leaver-to-ptc', 'conditions-not-met')));
});

describe('004 PTC 4, PTC 5, PTC 6 — an unaccompanied asylum-seeking child presented to the CRS: CRS or MASH → PTC', () => {
  it('is due 1 working day after the referral, skipping Good Friday and Easter Monday', () =>
    given(childDetails({ on: '2026-04-01', unaccompaniedAsylumSeeking: true }))
      .when(referralReceived({ on: '2026-04-02' }))
      .then(proposed({ to: 'PTC', from: 'CRS', dueBy: '2026-04-07', ruleId: 'uasc-to-ptc', basis: 'timescale' })));

  it('fires when the status is recorded at the front door after the referral, due the next working day', () =>
    given(referralReceived({ on: '2026-03-02' }))
      .when(childDetails({ on: '2026-03-06', unaccompaniedAsylumSeeking: true }))
      .then(proposed({ to: 'PTC', from: 'CRS', dueBy: '2026-03-09' })));

  it('outranks the section 37 route for a UASC', () =>
    given(childDetails({ on: '2026-03-02', unaccompaniedAsylumSeeking: true }))
      .when(section37Request('2026-03-02'))
      .then(proposed({ to: 'PTC', from: 'CRS', dueBy: '2026-03-03', ruleId: 'uasc-to-ptc' }), ruleOutcome('section-37-request-to-swf', 'lower-priority')));

  it('does not fire for a child who is not a UASC', () =>
    given(childDetails({ on: '2026-03-02', unaccompaniedAsylumSeeking: false }))
      .when(referralReceived({ on: '2026-03-02' }))
      .thenNothingHappened(ruleOutcome('uasc-to-ptc', 'conditions-not-met')));

  it('does not fire for a child already held by BIT', () =>
    given(heldBy('BIT'))
      .when(childDetails({ on: '2026-03-02', unaccompaniedAsylumSeeking: true }))
      .thenNothingHappened(ruleOutcome('uasc-to-ptc', 'not-held-by-from-team')));
});

describe('004 MASH 6 — a section 37 report request with prior social care involvement goes to the originating team', () => {
  it('allocates to the Children with Disabilities Team that closed the case, 1 working day on, skipping the May Day bank holiday', () =>
    given(closedBy('CWD', '2025-12-01'))
      .when(section37Request('2026-05-01'))
      .then(
        proposed({ to: 'CWD', from: 'CRS', dueBy: '2026-05-05', ruleId: 'section-37-prior-involvement-to-cwd', basis: 'timescale' }),
        ruleOutcome('section-37-request-to-swf', 'lower-priority'),
      ));

  it('puts no time limit on the prior involvement (only the BIT sentence says "within 3 months")', () =>
    given(closedBy('CWD', '2024-01-15'))
      .when(section37Request('2026-03-02'))
      .then(proposed({ to: 'CWD', from: 'CRS', dueBy: '2026-03-03', ruleId: 'section-37-prior-involvement-to-cwd' })));

  it('allocates to the Young People’s Service that closed the case', () =>
    given(closedBy('YPS', '2026-01-30'))
      .when(section37Request('2026-03-02'))
      .then(proposed({ to: 'YPS', from: 'CRS', dueBy: '2026-03-03', ruleId: 'section-37-prior-involvement-to-yps' })));

  it('allocates to Pathways Through Care when it closed the case', () =>
    given(closedBy('PTC', '2026-01-30'))
      .when(section37Request('2026-03-02'))
      .then(proposed({ to: 'PTC', from: 'CRS', dueBy: '2026-03-03', ruleId: 'section-37-prior-involvement-to-ptc' })));

  it('does not fire on a standard referral for a child the team closed', () =>
    given(closedBy('CWD', '2026-01-30'))
      .when(referralReceived({ on: '2026-03-02' }))
      .thenNothingHappened(ruleOutcome('section-37-prior-involvement-to-cwd', 'conditions-not-met')));

  it('leaves an open case with its team: a request for a child held by CWD proposes nothing', () =>
    given(heldBy('CWD'))
      .when(section37Request('2026-03-02'))
      .thenNothingHappened(ruleOutcome('section-37-prior-involvement-to-cwd', 'not-held-by-from-team')));

  it('does not send a YPS-closed case to CWD', () =>
    given(closedBy('YPS', '2026-01-30'))
      .when(section37Request('2026-03-02'))
      .then(proposed({ to: 'YPS', dueBy: '2026-03-03' }), ruleOutcome('section-37-prior-involvement-to-cwd', 'conditions-not-met')));

  it('does not send a CWD-closed case to YPS or Pathways Through Care', () =>
    given(closedBy('CWD', '2026-01-30'))
      .when(section37Request('2026-03-02'))
      .then(
        proposed({ to: 'CWD', dueBy: '2026-03-03' }),
        ruleOutcome('section-37-prior-involvement-to-yps', 'conditions-not-met'),
        ruleOutcome('section-37-prior-involvement-to-ptc', 'conditions-not-met'),
      ));
});

describe('004 MASH 6, MASH 7 — every other section 37 report request: CRS or MASH → SWF', () => {
  it('allocates a child never known before to SWF, 1 working day on, skipping the August bank holiday', () =>
    given()
      .when(section37Request('2026-08-28'))
      .then(proposed({ to: 'SWF', from: 'CRS', dueBy: '2026-09-01', ruleId: 'section-37-request-to-swf', basis: 'timescale' })));

  it('is due after Christmas Day and the substitute Boxing Day', () =>
    given().when(section37Request('2026-12-24')).then(proposed({ to: 'SWF', dueBy: '2026-12-29' })));

  it('transfers a case held and closed by BIT within 3 months to SWF', () =>
    given(closedBy('BIT', '2026-01-30'))
      .when(section37Request('2026-03-02'))
      .then(proposed({ to: 'SWF', from: 'CRS', dueBy: '2026-03-03', ruleId: 'section-37-request-to-swf' })));

  it('sends a case closed by BIT more than 3 months ago to SWF too (MASH 7: all other)', () =>
    given(closedBy('BIT', '2025-06-02'))
      .when(section37Request('2026-03-02'))
      .then(proposed({ to: 'SWF', dueBy: '2026-03-03', ruleId: 'section-37-request-to-swf' })));

  it('allocates to SWF when SWF is the originating team', () =>
    given(closedBy('SWF', '2025-11-03'))
      .when(section37Request('2026-03-02'))
      .then(proposed({ to: 'SWF', dueBy: '2026-03-03', ruleId: 'section-37-request-to-swf' })));

  it('does not fire on a standard referral', () =>
    given()
      .when(referralReceived({ on: '2026-03-02' }))
      .thenNothingHappened(ruleOutcome('section-37-request-to-swf', 'conditions-not-met')));
});

describe('004 MASH 6, MASH 7, SWF 1 — a section 37 report request on a case open to BIT: BIT → SWF at the transfer meeting', () => {
  it('awaits the BIT–SWF transfer meeting’s date', () =>
    given(heldBy('BIT'))
      .when(section37Request('2026-03-02'))
      .then(
        proposed({ to: 'SWF', from: 'BIT', dueBy: null, ruleId: 'section-37-open-with-bit-to-swf', basis: 'awaiting-date', meeting: 'bit-swf-transfer-meeting' }),
      ));

  it('is due at a transfer meeting already dated', () =>
    given(heldBy('BIT'), meetingScheduled({ kind: 'bit-swf-transfer-meeting', on: '2026-03-09', scheduledOn: '2026-02-27' }))
      .when(section37Request('2026-03-02'))
      .then(proposed({ to: 'SWF', dueBy: '2026-03-09', basis: 'meeting', meeting: 'bit-swf-transfer-meeting' })));

  it('does not fire on a standard referral while BIT holds the case', () =>
    given(heldBy('BIT'))
      .when(referralReceived({ on: '2026-03-02' }))
      .thenNothingHappened(ruleOutcome('section-37-open-with-bit-to-swf', 'conditions-not-met')));

  it('does not fire for a case open to SWF, which stays with its originating team', () =>
    given(heldBy('SWF'))
      .when(section37Request('2026-03-02'))
      .thenNothingHappened(ruleOutcome('section-37-open-with-bit-to-swf', 'not-held-by-from-team')));
});

describe('004 MASH 5 — a section 7 report request with social care involvement closed within 3 months: CRS or MASH → the originating team', () => {
  it('allocates to the Children with Disabilities Team that closed the case a day short of 3 months before, 1 working day on, skipping the May Day bank holiday', () =>
    // Closed Monday 2 February 2026: 3 months run to Saturday 2 May. The request comes on Friday 1
    // May; the next working day is Tuesday 5 May (Monday 4 May is a bank holiday).
    given(closedBy('CWD', '2026-02-02'))
      .when(section7Request('2026-05-01'))
      .then(
        proposed({ to: 'CWD', from: 'CRS', dueBy: '2026-05-05', ruleId: 'section-7-recent-involvement-to-originating-team', basis: 'timescale' }),
        ruleOutcome('section-7-closed-by-bit-to-swf', 'conditions-not-met'),
      ));

  it('allocates to the Young People’s Service that closed the case, skipping the 2027 Early May bank holiday', () =>
    // Friday 30 April 2027 + 1 working day: Saturday, Sunday, Monday 3 May (bank holiday) → Tuesday 4 May.
    given(closedBy('YPS', '2027-03-01'))
      .when(section7Request('2027-04-30'))
      .then(proposed({ to: 'YPS', from: 'CRS', dueBy: '2027-05-04', ruleId: 'section-7-recent-involvement-to-originating-team' })));

  it('allocates to Pathways Through Care when it closed the case, skipping the August bank holiday', () =>
    // Friday 28 August 2026 + 1 working day: Monday 31 August is a bank holiday → Tuesday 1 September.
    given(closedBy('PTC', '2026-06-30'))
      .when(section7Request('2026-08-28'))
      .then(proposed({ to: 'PTC', dueBy: '2026-09-01', ruleId: 'section-7-recent-involvement-to-originating-team' })));

  it('allocates to Social Work with Families when it closed the case', () =>
    given(closedBy('SWF', '2026-01-15'))
      .when(section7Request('2026-03-02'))
      .then(proposed({ to: 'SWF', dueBy: '2026-03-03', ruleId: 'section-7-recent-involvement-to-originating-team' })));

  it('does not fire 3 months to the day after the closure', () =>
    // Closed Friday 30 January 2026: 3 months run to Thursday 30 April, the day of the request.
    given(closedBy('CWD', '2026-01-30'))
      .when(section7Request('2026-04-30'))
      .thenNothingHappened(ruleOutcome('section-7-recent-involvement-to-originating-team', 'conditions-not-met')));

  it('does not count Children and Families First as social care involvement', () =>
    given(closedBy('CFF', '2026-02-02'))
      .when(section7Request('2026-03-02'))
      .thenNothingHappened(ruleOutcome('section-7-recent-involvement-to-originating-team', 'conditions-not-met')));

  it('does not fire on a standard referral for a child the team closed last month', () =>
    given(closedBy('CWD', '2026-02-02'))
      .when(referralReceived({ on: '2026-03-02' }))
      .thenNothingHappened(ruleOutcome('section-7-recent-involvement-to-originating-team', 'conditions-not-met')));

  it('leaves an open case with its team: a request for a child held by CWD proposes nothing', () =>
    given(heldBy('CWD'))
      .when(section7Request('2026-03-02'))
      .thenNothingHappened(ruleOutcome('section-7-recent-involvement-to-originating-team', 'not-held-by-from-team')));
});

describe('004 MASH 5 — a section 7 report request on a case held and closed by BIT within 3 months: CRS or MASH → SWF', () => {
  it('transfers to SWF 1 working day on, after Christmas Day and the substitute Boxing Day', () =>
    // Thursday 24 December 2026 + 1 working day: Friday 25 and Monday 28 December are bank holidays → Tuesday 29.
    given(closedBy('BIT', '2026-11-16'))
      .when(section7Request('2026-12-24'))
      .then(
        proposed({ to: 'SWF', from: 'CRS', dueBy: '2026-12-29', ruleId: 'section-7-closed-by-bit-to-swf', basis: 'timescale' }),
        ruleOutcome('section-7-recent-involvement-to-originating-team', 'conditions-not-met'),
      ));

  it('does not fire for a case BIT closed more than 3 months before (MASH 5 names no team for it)', () =>
    given(closedBy('BIT', '2025-11-03'))
      .when(section7Request('2026-03-02'))
      .thenNothingHappened(ruleOutcome('section-7-closed-by-bit-to-swf', 'conditions-not-met')));

  it('does not fire on a section 37 request, which MASH 6 and 7 route', () =>
    given(closedBy('BIT', '2026-02-02'))
      .when(section37Request('2026-03-02'))
      .then(proposed({ to: 'SWF', dueBy: '2026-03-03', ruleId: 'section-37-request-to-swf', citing: citing('MASH 6, MASH 7') }), ruleOutcome('section-7-closed-by-bit-to-swf', 'conditions-not-met')));
});

describe('004 MASH 6, MASH 7 — a section 37 report request on a case open to Children and Families First: CFF → SWF', () => {
  it('allocates to SWF 1 working day on, skipping Good Friday and Easter Monday 2027', () =>
    // Thursday 25 March 2027 + 1 working day: Friday 26 and Monday 29 March are bank holidays → Tuesday 30.
    given(heldBy('CFF'))
      .when(section37Request('2027-03-25'))
      .then(proposed({ to: 'SWF', from: 'CFF', dueBy: '2027-03-30', ruleId: 'section-37-open-with-cff-to-swf', basis: 'timescale' })));

  it('does not fire on a standard referral while CFF holds the case', () =>
    given(heldBy('CFF'))
      .when(referralReceived({ on: '2026-03-02' }))
      .thenNothingHappened(ruleOutcome('section-37-open-with-cff-to-swf', 'conditions-not-met')));

  it('leaves a case open to the Young People’s Service with it', () =>
    given(heldBy('YPS'))
      .when(section37Request('2026-03-02'))
      .thenNothingHappened(ruleOutcome('section-37-open-with-cff-to-swf', 'not-held-by-from-team')));
});

describe('004 MASH 8 — a request by another authority or a court for a statement or report on a child not in the area: CRS or MASH → SWF', () => {
  it('transfers a request for a statement on the day it is received, a Friday before the August bank holiday', () =>
    given()
      .when(notInTheArea('2026-08-28', 'statement-or-report'))
      .then(proposed({ to: 'SWF', from: 'CRS', dueBy: '2026-08-28', ruleId: 'statement-or-report-not-in-area-to-swf', basis: 'timescale' })));

  it('transfers from MASH', () =>
    given(heldBy('MASH', { since: '2026-03-02' }))
      .when(notInTheArea('2026-03-04', 'statement-or-report'))
      .then(proposed({ to: 'SWF', from: 'MASH', dueBy: '2026-03-04', ruleId: 'statement-or-report-not-in-area-to-swf' })));

  it('outranks MASH 6 for a section 37 report on a child known to CWD who no longer lives in the area', () =>
    given(closedBy('CWD', '2025-12-01'))
      .when(notInTheArea('2026-03-02', 'section-37-report'))
      .then(
        proposed({ to: 'SWF', dueBy: '2026-03-02', ruleId: 'statement-or-report-not-in-area-to-swf' }),
        ruleOutcome('section-37-prior-involvement-to-cwd', 'lower-priority'),
      ));

  it('outranks MASH 5 for a section 7 report on a child the Young People’s Service closed last month', () =>
    given(closedBy('YPS', '2026-02-02'))
      .when(notInTheArea('2026-03-02', 'section-7-report'))
      .then(
        proposed({ to: 'SWF', dueBy: '2026-03-02', ruleId: 'statement-or-report-not-in-area-to-swf' }),
        ruleOutcome('section-7-recent-involvement-to-originating-team', 'lower-priority'),
      ));

  it('gives way to PTC 4-6 for an unaccompanied asylum-seeking child', () =>
    given(childDetails({ on: '2026-03-02', unaccompaniedAsylumSeeking: true }))
      .when(notInTheArea('2026-03-02', 'statement-or-report'))
      .then(
        proposed({ to: 'PTC', dueBy: '2026-03-03', ruleId: 'uasc-to-ptc', citing: citing('PTC 4, PTC 5, PTC 6') }),
        ruleOutcome('statement-or-report-not-in-area-to-swf', 'lower-priority'),
      ));

  it('does not fire for a child who lives in the area', () =>
    given()
      .when(courtReportRequest('2026-03-02', 'statement-or-report', { livesInArea: true }))
      .thenNothingHappened(ruleOutcome('statement-or-report-not-in-area-to-swf', 'conditions-not-met')));

  it('does not fire when the request does not say where the child lives: MASH 5 routes it', () =>
    given(closedBy('YPS', '2026-02-02'))
      .when(section7Request('2026-03-02'))
      .then(
        proposed({ to: 'YPS', dueBy: '2026-03-03', ruleId: 'section-7-recent-involvement-to-originating-team', citing: citing('MASH 5') }),
        ruleOutcome('statement-or-report-not-in-area-to-swf', 'conditions-not-met'),
      ));

  it('does not fire on a standard referral for a child not in the area', () =>
    given()
      .when(caseEvent('ReferralReceived', '2026-03-02', { referralSource: 'police', livesInArea: false }))
      .thenNothingHappened(ruleOutcome('statement-or-report-not-in-area-to-swf', 'conditions-not-met')));
});

describe('004 MASH 9 — a pre-birth assessment where the parents have had previous children removed: CRS or MASH → SWF', () => {
  it('transfers to SWF 1 working day on, skipping Good Friday and Easter Monday', () =>
    // Thursday 2 April 2026 + 1 working day: Friday 3 and Monday 6 April are bank holidays → Tuesday 7.
    given()
      .when(preBirthReferral('2026-04-02', { previousChildrenRemoved: true }))
      .then(
        proposed({ to: 'SWF', from: 'CRS', dueBy: '2026-04-07', ruleId: 'pre-birth-previous-children-removed-to-swf', basis: 'timescale' }),
        ruleOutcome('pre-birth-assessment-to-bit', 'conditions-not-met'),
      ));

  it('does not fire on a standard referral for a family who had children removed', () =>
    given()
      .when(caseEvent('ReferralReceived', '2026-03-02', { referralSource: 'midwife', previousChildrenRemoved: true }))
      .thenNothingHappened(ruleOutcome('pre-birth-previous-children-removed-to-swf', 'conditions-not-met')));

  it('routes nothing while the referral does not say whether children were removed: the CRS checks the history and decides', () =>
    given()
      .when(preBirthReferral('2026-03-02'))
      .thenNothingHappened(
        ruleOutcome('pre-birth-previous-children-removed-to-swf', 'conditions-not-met'),
        ruleOutcome('pre-birth-assessment-to-bit', 'conditions-not-met'),
      ));
});

describe('004 MASH 9 — a pre-birth assessment where the parents have had no children removed: CRS or MASH → BIT', () => {
  it('transfers to BIT 1 working day on, skipping the Spring bank holiday', () =>
    // Friday 22 May 2026 + 1 working day: Monday 25 May is a bank holiday → Tuesday 26.
    given()
      .when(preBirthReferral('2026-05-22', { previousChildrenRemoved: false }))
      .then(
        proposed({ to: 'BIT', from: 'CRS', dueBy: '2026-05-26', ruleId: 'pre-birth-assessment-to-bit', basis: 'timescale' }),
        ruleOutcome('pre-birth-previous-children-removed-to-swf', 'conditions-not-met'),
      ));

  it('does not fire for a case BIT already holds', () =>
    given(heldBy('BIT'))
      .when(preBirthReferral('2026-03-02', { previousChildrenRemoved: false }))
      .thenNothingHappened(ruleOutcome('pre-birth-assessment-to-bit', 'not-held-by-from-team')));
});

describe('004 BIT 2 — an unborn baby whose siblings are subject to care proceedings: straight from the CRS → SWF', () => {
  it('outranks MASH 9’s BIT route for a pre-birth assessment, due after New Year’s Day 2027', () =>
    // Thursday 31 December 2026 + 1 working day: Friday 1 January 2027 is a bank holiday → Monday 4.
    given()
      .when(preBirthReferral('2026-12-31', { previousChildrenRemoved: false, siblingsInCareProceedings: true }))
      .then(
        proposed({ to: 'SWF', from: 'CRS', dueBy: '2027-01-04', ruleId: 'unborn-siblings-in-care-proceedings-to-swf', basis: 'timescale' }),
        ruleOutcome('pre-birth-assessment-to-bit', 'lower-priority'),
      ));

  it('fires on any referral for a child recorded as unborn, skipping the Spring bank holiday 2027', () =>
    // Friday 28 May 2027 + 1 working day: Monday 31 May is a bank holiday → Tuesday 1 June.
    given(expectedOn('2027-08-10', '2027-05-27'))
      .when(caseEvent('ReferralReceived', '2027-05-28', { referralSource: 'midwife', siblingsInCareProceedings: true }))
      .then(proposed({ to: 'SWF', from: 'CRS', dueBy: '2027-06-01', ruleId: 'unborn-siblings-in-care-proceedings-to-swf' })));

  it('goes straight to SWF from MASH too, skipping the August bank holiday 2027', () =>
    // Friday 27 August 2027 + 1 working day: Monday 30 August is a bank holiday → Tuesday 31.
    given(heldBy('MASH', { since: '2027-08-26' }))
      .when(preBirthReferral('2027-08-27', { siblingsInCareProceedings: true }))
      .then(proposed({ to: 'SWF', from: 'MASH', dueBy: '2027-08-31', ruleId: 'unborn-siblings-in-care-proceedings-to-swf' })));

  it('does not fire when the siblings are not in care proceedings: MASH 9 sends the assessment to BIT', () =>
    given()
      .when(preBirthReferral('2026-03-02', { previousChildrenRemoved: false, siblingsInCareProceedings: false }))
      .then(
        proposed({ to: 'BIT', dueBy: '2026-03-03', ruleId: 'pre-birth-assessment-to-bit', citing: citing('MASH 9') }),
        ruleOutcome('unborn-siblings-in-care-proceedings-to-swf', 'conditions-not-met'),
      ));

  it('does not fire for a child already born, whose siblings are in proceedings', () =>
    given(expectedOn('2026-02-10', '2025-12-01'), bornOn('2026-02-08', { on: '2026-02-09' }))
      .when(caseEvent('ReferralReceived', '2026-03-02', { referralSource: 'health visitor', siblingsInCareProceedings: true }))
      .thenNothingHappened(ruleOutcome('unborn-siblings-in-care-proceedings-to-swf', 'conditions-not-met')));
});

describe('004 CRS 1 — a decision within 1 working day of receipt of contact, for every contact no rule allocates directly', () => {
  // A contact on Friday 22 May 2026 is due a decision by Tuesday 26 May (Monday 25 May is a bank
  // holiday), so it is overdue on Wednesday 27 May. Supervision reads the facts alone here: a
  // routed request is not overdue because its transfer is open, but because no deadline started.
  const decisionOverdue = (facts: CaseEvent[], today: LocalDate): boolean =>
    supervise(
      facts.map((fact) => ({ kind: 'fact' as const, fact })),
      compiled,
      today,
      { authority: SCENARIO_AUTHORITY, childId: SCENARIO_CHILD_ID },
    ).decisions.some((d) => d.type === 'EscalationRaised' && (d.data as DecisionDataByType['EscalationRaised']).deadlineId === 'crs-decision-within-1-working-day');

  it('is overdue the day after the next working day for a standard contact with no decision', () => {
    expect(decisionOverdue([referralReceived({ on: '2026-05-22' })], '2026-05-26')).toBe(false);
    expect(decisionOverdue([referralReceived({ on: '2026-05-22' })], '2026-05-27')).toBe(true);
  });

  it('is met by the CRS decision', () =>
    expect(decisionOverdue([referralReceived({ on: '2026-05-22' }), thresholdDecision({ on: '2026-05-26', decision: 'early-help' })], '2026-05-27')).toBe(false));

  it.each([
    ['a section 37 request (MASH 6, 7)', () => [section37Request('2026-05-22')]],
    ['a section 7 request within 3 months of closure by CWD (MASH 5)', () => [...closedBy('CWD', '2026-04-01'), section7Request('2026-05-22')]],
    ['a statement on a child not in the area (MASH 8)', () => [notInTheArea('2026-05-22', 'statement-or-report')]],
    ['a pre-birth assessment, children removed before (MASH 9)', () => [preBirthReferral('2026-05-22', { previousChildrenRemoved: true })]],
    ['a pre-birth assessment, no children removed (MASH 9)', () => [preBirthReferral('2026-05-22', { previousChildrenRemoved: false })]],
    ['a contact on an unborn baby whose siblings are in proceedings (BIT 2)', () => [expectedOn('2026-09-01', '2026-05-21'), caseEvent('ReferralReceived', '2026-05-22', { referralSource: 'midwife', siblingsInCareProceedings: true })]],
  ])('does not start for %s, which a rule allocates at once', (_, facts) => expect(decisionOverdue(facts(), '2026-05-27')).toBe(false));

  it.each([
    ['a section 7 request with no social care involvement in 3 months', () => [section7Request('2026-05-22')]],
    ['a statement on a child who lives in the area', () => [courtReportRequest('2026-05-22', 'statement-or-report', { livesInArea: true })]],
    ['a pre-birth assessment that does not say whether children were removed', () => [preBirthReferral('2026-05-22')]],
  ])('starts for %s, which no rule allocates', (_, facts) => expect(decisionOverdue(facts(), '2026-05-27')).toBe(true));
});

describe('004 BIT 1, SWF 1 — a child requiring looked after status: BIT → SWF, at the latest 2 weeks after the CMH', () => {
  // The ICO is made on Monday 1 June 2026; a CMH on Monday 15 June puts the limit at Monday 29 June.
  const ico = () => orderMade({ on: '2026-06-01', order: 'ICO' });
  const listed = (kind: 'cmh' | 'bit-swf-transfer-meeting', on: string) => meetingScheduled({ kind, on, scheduledOn: '2026-05-28' });
  const inProceedingsWithBIT = () => [heldBy('BIT'), proceedingsIssued({ on: '2026-05-28' })];

  it('is due 2 weeks after the CMH while no transfer meeting is dated', () =>
    given(inProceedingsWithBIT(), listed('cmh', '2026-06-15'))
      .when(ico())
      .then(proposed({ to: 'SWF', from: 'BIT', dueBy: '2026-06-29', ruleId: 'looked-after-bit-to-swf', basis: 'timescale', fallbackReason: 'undated' })));

  it('is due at the BIT–SWF transfer meeting when it falls within the 2 weeks', () =>
    given(inProceedingsWithBIT(), listed('cmh', '2026-06-15'), listed('bit-swf-transfer-meeting', '2026-06-22'))
      .when(ico())
      .then(proposed({ to: 'SWF', dueBy: '2026-06-22', basis: 'meeting', meeting: 'bit-swf-transfer-meeting', fallbackReason: null })));

  it('is due at a transfer meeting before the CMH (“as soon as possible”)', () =>
    given(inProceedingsWithBIT(), listed('cmh', '2026-06-15'), listed('bit-swf-transfer-meeting', '2026-06-08'))
      .when(ico())
      .then(proposed({ to: 'SWF', dueBy: '2026-06-08', basis: 'meeting' })));

  it('keeps the 2-week limit when the transfer meeting is later', () =>
    given(inProceedingsWithBIT(), listed('cmh', '2026-06-15'), listed('bit-swf-transfer-meeting', '2026-07-06'))
      .when(ico())
      .then(proposed({ to: 'SWF', dueBy: '2026-06-29', basis: 'timescale', fallbackReason: 'after-timescale' })));

  it('awaits a date while neither the CMH nor the transfer meeting is listed', () =>
    given(inProceedingsWithBIT())
      .when(ico())
      .then(proposed({ to: 'SWF', dueBy: null, basis: 'awaiting-date', meeting: 'bit-swf-transfer-meeting', fallbackReason: 'undated' })));

  it('is dated when the CMH is listed', () =>
    given(inProceedingsWithBIT(), ico())
      .when(meetingScheduled({ kind: 'cmh', on: '2026-06-15', scheduledOn: '2026-06-02' }))
      .then(rescheduled({ previousDueBy: null, dueBy: '2026-06-29', basis: 'timescale', ruleId: 'looked-after-bit-to-swf' })));

  it('fires for a child accommodated under section 20, awaiting a date', () =>
    given(heldBy('BIT'))
      .when(accommodated({ on: '2026-03-02', legalBasis: 's20' }))
      .then(proposed({ to: 'SWF', from: 'BIT', dueBy: null, basis: 'awaiting-date', ruleId: 'looked-after-bit-to-swf' })));

  it('does not fire for police protection', () =>
    given(heldBy('BIT'))
      .when(accommodated({ on: '2026-03-02', legalBasis: 'police-protection' }))
      .thenNothingHappened(ruleOutcome('looked-after-bit-to-swf', 'conditions-not-met')));

  it('does not fire on an interim supervision order', () =>
    given(inProceedingsWithBIT())
      .when(orderMade({ on: '2026-06-01', order: 'ISO' }))
      .thenNothingHappened(ruleOutcome('looked-after-bit-to-swf', 'conditions-not-met')));

  it('does not fire for a child held by SWF', () =>
    given(heldBy('SWF'), proceedingsIssued({ on: '2026-05-28' }))
      .when(ico())
      .thenNothingHappened(ruleOutcome('looked-after-bit-to-swf', 'not-held-by-from-team')));
});

describe('004 BIT 3 — entering the pre-proceedings stage of PLO: BIT → SWF after the initial PLO meeting', () => {
  it('awaits the initial PLO meeting’s date', () =>
    given(heldBy('BIT'))
      .when(ploStarted({ on: '2026-03-02' }))
      .then(proposed({ to: 'SWF', from: 'BIT', dueBy: null, ruleId: 'plo-bit-to-swf', basis: 'awaiting-date', meeting: 'initial-plo-meeting' })));

  it('is due at the initial PLO meeting when it is dated', () =>
    given(heldBy('BIT'), meetingScheduled({ kind: 'initial-plo-meeting', on: '2026-03-16', scheduledOn: '2026-02-27' }))
      .when(ploStarted({ on: '2026-03-02' }))
      .then(proposed({ to: 'SWF', dueBy: '2026-03-16', basis: 'meeting', meeting: 'initial-plo-meeting' })));

  it('is re-dated when the initial PLO meeting is scheduled', () =>
    given(heldBy('BIT'), ploStarted({ on: '2026-03-02' }))
      .when(meetingScheduled({ kind: 'initial-plo-meeting', on: '2026-03-16', scheduledOn: '2026-03-03' }))
      .then(rescheduled({ previousDueBy: null, dueBy: '2026-03-16', basis: 'meeting', ruleId: 'plo-bit-to-swf' })));

  it('does not fire for a case held by SWF', () =>
    given(heldBy('SWF')).when(ploStarted({ on: '2026-03-02' })).thenNothingHappened(ruleOutcome('plo-bit-to-swf', 'not-held-by-from-team')));
});

describe('004 BIT 4 — step down: BIT → Children and Families First within 2 weeks', () => {
  it('is due 2 calendar weeks after the step-down decision (the May Day bank holiday does not move it)', () =>
    given(heldBy('BIT'))
      .when(thresholdDecision({ on: '2026-05-01', decision: 'step-down-to-early-help' }))
      .then(proposed({ to: 'CFF', from: 'BIT', dueBy: '2026-05-15', ruleId: 'step-down-bit-to-cff', basis: 'timescale' })));

  it('fires when an assessment concludes early help, due 2 weeks on even on New Year’s Day', () =>
    given(heldBy('BIT')).when(assessmentCompleted('2026-12-18', 'early-help')).then(proposed({ to: 'CFF', dueBy: '2027-01-01' })));

  it('fires at a CIN review that agrees the step-down', () =>
    given(heldBy('BIT'), cinPlanStarted({ on: '2026-02-02' }))
      .when(cinReviewHeld({ on: '2026-03-02', outcome: 'step-down-to-early-help' }))
      .then(proposed({ to: 'CFF', dueBy: '2026-03-16', ruleId: 'step-down-bit-to-cff' })));

  it('does not fire when the assessment concludes a child in need plan', () =>
    given(heldBy('BIT'))
      .when(assessmentCompleted('2026-03-02', 'child-in-need'))
      .thenNothingHappened(ruleOutcome('step-down-bit-to-cff', 'conditions-not-met')));

  it('does not fire on a CIN review where the plan continues', () =>
    given(heldBy('BIT'))
      .when(cinReviewHeld({ on: '2026-03-02' }))
      .thenNothingHappened(ruleOutcome('step-down-bit-to-cff', 'conditions-not-met')));
});

describe('004 SWF 4 — step down: SWF → Children and Families First within 2 weeks', () => {
  it('is due 2 calendar weeks after the step-down decision', () =>
    given(heldBy('SWF'))
      .when(thresholdDecision({ on: '2026-03-02', decision: 'step-down-to-early-help' }))
      .then(proposed({ to: 'CFF', from: 'SWF', dueBy: '2026-03-16', ruleId: 'step-down-swf-to-cff', basis: 'timescale' })));

  it('fires at a CIN review that agrees the step-down', () =>
    given(heldBy('SWF'), cinPlanStarted({ on: '2026-02-02' }))
      .when(cinReviewHeld({ on: '2026-08-24', outcome: 'step-down-to-early-help' }))
      .then(proposed({ to: 'CFF', dueBy: '2026-09-07' })));

  it('does not fire on a step-up decision', () =>
    given(heldBy('SWF'))
      .when(thresholdDecision({ on: '2026-03-02', decision: 'step-up-to-social-care' }))
      .thenNothingHappened(ruleOutcome('step-down-swf-to-cff', 'conditions-not-met')));

  it('does not fire for a case already with Children and Families First', () =>
    given(heldBy('CFF'))
      .when(thresholdDecision({ on: '2026-03-02', decision: 'step-down-to-early-help' }))
      .thenNothingHappened(ruleOutcome('step-down-swf-to-cff', 'not-held-by-from-team')));
});

describe('004 CFF 9, CFF 14 — step down through the Step Down Panel: CWD, YPS or PTC → CFF within 1 week of the panel', () => {
  it('awaits the panel’s date', () =>
    given(heldBy('YPS'))
      .when(thresholdDecision({ on: '2026-03-02', decision: 'step-down-to-early-help' }))
      .then(proposed({ to: 'CFF', from: 'YPS', dueBy: null, ruleId: 'step-down-panel-to-cff', basis: 'awaiting-date', meeting: 'step-down-panel' })));

  it('is due 1 week after a panel already dated', () =>
    given(heldBy('YPS'), meetingScheduled({ kind: 'step-down-panel', on: '2026-03-10', scheduledOn: '2026-03-02' }))
      .when(thresholdDecision({ on: '2026-03-02', decision: 'step-down-to-early-help' }))
      .then(proposed({ to: 'CFF', dueBy: '2026-03-17', basis: 'timescale' })));

  it('is re-dated when the panel is scheduled', () =>
    given(heldBy('PTC'), cinReviewHeld({ on: '2026-03-02', outcome: 'step-down-to-early-help' }))
      .when(meetingScheduled({ kind: 'step-down-panel', on: '2026-03-10', scheduledOn: '2026-03-03' }))
      .then(rescheduled({ previousDueBy: null, dueBy: '2026-03-17', basis: 'timescale', ruleId: 'step-down-panel-to-cff' })));

  it('does not fire on a statutory assessment decision', () =>
    given(heldBy('YPS'))
      .when(thresholdDecision({ on: '2026-03-02', decision: 'statutory-assessment' }))
      .thenNothingHappened(ruleOutcome('step-down-panel-to-cff', 'conditions-not-met')));

  it('leaves BIT to its own 2-week step-down (BIT 4)', () =>
    given(heldBy('BIT'))
      .when(thresholdDecision({ on: '2026-03-02', decision: 'step-down-to-early-help' }))
      .then(proposed({ to: 'CFF', dueBy: '2026-03-16', citing: 'BIT 4' }), ruleOutcome('step-down-panel-to-cff', 'not-held-by-from-team')));
});

describe('004 CFF 11 — headline information to the Step Down Panel at least 48 hours before the panel meeting', () => {
  /*
   * A step-down decision on Monday 2 March 2026 proposes the transfer and opens its checklist; the
   * panel is then set for Thursday 12 March. The facts carry its date, not its hour, so 48 hours
   * before it is Tuesday 10 March (policies/README.md, Durations). The item follows the panel
   * whichever step-down rule proposed the transfer: the panel's own route (its handover is a week
   * after the panel) or BIT's 2 weeks (BIT 4), whose handover the panel does not move.
   */
  const stepDownFrom = (team: string, more: CaseEvent[] = []) => {
    const decision = thresholdDecision({ on: '2026-03-02', decision: 'step-down-to-early-help' });
    const stream: ChildStreamEvent[] = [heldBy(team), ...more].map((fact) => ({ kind: 'fact' as const, fact }));
    const fold = () => stream.reduce(evolve, initialChildState(SCENARIO_AUTHORITY, SCENARIO_CHILD_ID));
    const before = fold();
    stream.push({ kind: 'fact', fact: decision });
    const record = (d: Decision, eventId: string, causationId: string) => stream.push({ kind: 'decision', eventId, decidedAt: '2026-03-02T10:00:00Z', causationId, decision: d });
    decide(before, decision, compiled).forEach((d, i) => record(d, `proposal-${i}`, decision.eventId));
    const transfer = fold().transfers[0];
    const [opened] = openChecklist(fold(), transfer.transferId, compiled, { before, fact: decision });
    record(opened, 'checklist-1', 'proposal-0');
    const items = Object.fromEntries((opened.data as DecisionDataByType['ChecklistOpened']).items.map((i) => [i.itemId, i.dueBy]));
    return { stream, state: fold(), transfer, items };
  };
  const panelOn = (on: LocalDate, scheduledOn: LocalDate, cancelled?: boolean) => meetingScheduled({ kind: 'step-down-panel', on, scheduledOn, cancelled });
  const redated = (decisions: Decision[]) => {
    const [rescheduling, ...others] = decisions;
    expect(others).toEqual([]);
    expect(rescheduling.type).toBe('TransferRescheduled');
    return rescheduling.data as DecisionDataByType['TransferRescheduled'];
  };

  it('is undated while the panel is not yet scheduled', () => expect(stepDownFrom('YPS').items['headline-information-to-panel']).toBeNull());

  it('is due two days before a panel already scheduled when the transfer is proposed (Thursday 12 March: Tuesday 10 March)', () =>
    expect(stepDownFrom('YPS', [panelOn('2026-03-12', '2026-02-27')]).items['headline-information-to-panel']).toBe('2026-03-10'));

  it('follows the panel when it is scheduled, with the panel route’s handover a week after it', () => {
    const { state } = stepDownFrom('YPS');
    const data = redated(decide(state, panelOn('2026-03-12', '2026-03-03'), compiled));
    expect(data).toMatchObject({ previousDueBy: null, dueBy: '2026-03-19', citation: citing('CFF 9, CFF 14') });
    expect(data.checklist?.items).toContainEqual({ itemId: 'headline-information-to-panel', dueBy: '2026-03-10' });
  });

  it('follows the panel of a BIT step-down, whose 2-week handover stays (Monday 16 March)', () => {
    const { state, transfer } = stepDownFrom('BIT');
    expect(transfer.dueBy).toBe('2026-03-16');
    const data = redated(decide(state, panelOn('2026-03-12', '2026-03-03'), compiled));
    expect(data).toMatchObject({ previousDueBy: '2026-03-16', dueBy: '2026-03-16', citation: citing('BIT 4') });
    expect(data.checklist?.items).toEqual([{ itemId: 'headline-information-to-panel', dueBy: '2026-03-10' }]);
  });

  it('moves with the panel (to Monday 16 March: Saturday 14 March, hours counting the weekend) and is undated again when it is cancelled', () => {
    const { state } = stepDownFrom('BIT', [panelOn('2026-03-12', '2026-02-27')]);
    const moved = redated(decide(state, panelOn('2026-03-16', '2026-03-05'), compiled));
    expect(moved.checklist?.items).toEqual([{ itemId: 'headline-information-to-panel', dueBy: '2026-03-14' }]);
    const cancelled = redated(decide(state, panelOn('2026-03-12', '2026-03-05', true), compiled));
    expect(cancelled.checklist?.items).toEqual([{ itemId: 'headline-information-to-panel', dueBy: null }]);
  });

  it('is not re-dated by another meeting, nor by a panel held before the step-down decision', () => {
    const { state } = stepDownFrom('BIT');
    expect(decide(state, meetingScheduled({ kind: 'cmh', on: '2026-03-12', scheduledOn: '2026-03-03' }), compiled)).toEqual([]);
    expect(decide(state, panelOn('2026-02-26', '2026-03-03'), compiled)).toEqual([]);
  });

  it('is escalated with the checklist’s other unmet items from Wednesday 11 March when not sent', () => {
    const { stream } = stepDownFrom('BIT', [panelOn('2026-03-12', '2026-02-27')]);
    const escalated = (today: LocalDate) =>
      supervise(stream, compiled, today, { authority: SCENARIO_AUTHORITY, childId: SCENARIO_CHILD_ID }).decisions.flatMap((d) =>
        d.type === 'EscalationRaised' && (d.data as DecisionDataByType['EscalationRaised']).reason === 'checklist-incomplete' ? [(d.data as DecisionDataByType['EscalationRaised']).itemIds] : [],
      );
    expect(escalated('2026-03-10')).toEqual([]);
    expect(escalated('2026-03-11')).toEqual([['headline-information-to-panel']]);
  });
});

describe('004 CFF 13, CFF 14 — a Step Down Panel referral not actioned 20 working days after it was made lapses, and is not escalated', () => {
  /*
   * The referral: a step-down decision on Monday 2 March 2026 for a case held by the Young People's
   * Service (step-down-panel-to-cff). 20 working days on is Monday 30 March (3–6, 9–13, 16–20,
   * 23–27, 30 March), so the referral lapses on Tuesday 31 March unless actioned: allocated by
   * Children and Families First, or the transfer accepted. The stream is reconciled as the services
   * do: allocation after each fact, supervision on a day.
   */
  const NOW = '2026-03-02T10:00:00Z';
  class Stream {
    readonly entries: ChildStreamEvent[] = [];
    record(...facts: CaseEvent[]): this {
      for (const fact of facts) this.entries.push({ kind: 'fact', fact });
      return this;
    }
    allocate(): PendingDecision[] {
      return this.append(reconcileAllocation(historyOf(SCENARIO_AUTHORITY, SCENARIO_CHILD_ID, this.entries), compiled, NOW));
    }
    supervise(today: LocalDate): Decision[] {
      const { decisions } = supervise(this.entries, compiled, today, { authority: SCENARIO_AUTHORITY, childId: SCENARIO_CHILD_ID });
      this.append(decisions.map((decision, i) => ({ decision, causationId: `wake-${today}`, identity: `${today}-${i}` })));
      return decisions;
    }
    private append(pending: PendingDecision[]): PendingDecision[] {
      for (const p of pending) this.entries.push({ kind: 'decision', eventId: `d-${this.entries.length}`, decidedAt: NOW, causationId: p.causationId, decision: p.decision });
      return pending;
    }
  }
  const referral = () => thresholdDecision({ on: '2026-03-02', decision: 'step-down-to-early-help' });
  const referred = (team = 'YPS') => {
    const stream = new Stream().record(heldBy(team), referral());
    const [proposal] = stream.allocate();
    return { stream, transferId: (proposal.decision.data as DecisionDataByType['TransferProposed']).transferId };
  };
  const typesOf = (decisions: Decision[]) => decisions.map((d) => d.type);

  it('lapses on Tuesday 31 March: the transfer is withdrawn as lapsed, with its deadline, and nothing is escalated', () => {
    const { stream, transferId } = referred();
    expect(stream.supervise('2026-03-30')).toEqual([]);
    const lapsed = stream.supervise('2026-03-31');
    expect(lapsed).toEqual([
      {
        type: 'TransferWithdrawn',
        data: expect.objectContaining({
          ruleId: 'step-down-panel-referral-lapses',
          citation: citationNamedByTest(),
          transferId,
          lapsed: { deadlineId: 'step-down-panel-referral-lapses', dueBy: '2026-03-30' },
          reason: expect.stringMatching(/^lapsed: /),
        }),
      },
    ]);
    // Later days, and a timer that fires twice, record nothing more.
    expect(stream.supervise('2026-03-31')).toEqual([]);
    expect(stream.supervise('2026-05-01')).toEqual([]);
  });

  it('lapses a transfer whose panel was dated and which is already escalated as overdue, resolving that escalation', () => {
    const { stream } = referred('PTC');
    // The panel on Tuesday 10 March dates the handover a week after it, Tuesday 17 March.
    stream.record(meetingScheduled({ kind: 'step-down-panel', on: '2026-03-10', scheduledOn: '2026-03-03' })).allocate();
    expect(typesOf(stream.supervise('2026-03-18'))).toEqual(['EscalationRaised']);
    const day = stream.supervise('2026-03-31');
    expect(typesOf(day)).toEqual(['TransferWithdrawn', 'EscalationResolved']);
    expect(day[1].data).toMatchObject({ resolution: 'the transfer is withdrawn' });
  });

  it('does not lapse once Children and Families First allocates (actioned), nor once the transfer is accepted', () => {
    const allocated = referred();
    allocated.stream.record(caseEvent('WorkerAllocated', '2026-03-20', { team: 'CFF', workerId: 'W-7' })).allocate();
    expect(typesOf(allocated.stream.supervise('2026-03-31'))).not.toContain('TransferWithdrawn');
    const accepted = referred();
    const outcome = decideTransferCommand(
      historyOf(SCENARIO_AUTHORITY, SCENARIO_CHILD_ID, accepted.stream.entries).entries.reduce(evolve, initialChildState(SCENARIO_AUTHORITY, SCENARIO_CHILD_ID)),
      { action: 'accept', transferId: accepted.transferId, on: '2026-03-20' },
    );
    if (!outcome.ok) throw new Error(outcome.message);
    for (const decision of outcome.decisions) accepted.stream.entries.push({ kind: 'decision', eventId: 'accepted', decidedAt: '2026-03-20T10:00:00Z', causationId: 'manager', decision });
    expect(accepted.stream.supervise('2026-03-31')).toEqual([]);
  });

  it('stays lapsed when late facts re-judge the referral: a date of birth and the panel’s date, both recorded late', () => {
    const { stream } = referred();
    stream.supervise('2026-03-31');
    // Recorded after the lapse, both belong before the referral in the child's history: the
    // referral is judged again, and its transfer (even with a new due date) is not proposed again.
    const late = [caseEvent('ChildDetailsRecorded', '2026-02-20', { dateOfBirth: '2010-06-01' }), meetingScheduled({ kind: 'step-down-panel', on: '2026-03-10', scheduledOn: '2026-02-27' })];
    expect(stream.record(...late).allocate()).toEqual([]);
    expect(stream.allocate()).toEqual([]);
    expect(stream.supervise('2026-04-01')).toEqual([]);
  });

  it('a new referral after the lapse is a new transfer, with its own 20 working days', () => {
    const { stream, transferId } = referred();
    stream.supervise('2026-03-31');
    const [again] = stream.record(thresholdDecision({ on: '2026-04-01', decision: 'step-down-to-early-help' })).allocate();
    expect(again.decision.type).toBe('TransferProposed');
    expect((again.decision.data as DecisionDataByType['TransferProposed']).transferId).not.toBe(transferId);
    expect(stream.supervise('2026-04-29')).toEqual([]);
  });

  it('does not start for the CWD Team’s referral back within its first 10 days (CWD 4), nor for BIT’s own 2-week step-down (BIT 4)', () => {
    const cwd = new Stream().record(heldBy('CWD', { since: '2026-02-25' }), referral());
    cwd.allocate();
    expect(typesOf(cwd.supervise('2026-03-31'))).not.toContain('TransferWithdrawn');
    const bit = referred('BIT');
    expect(typesOf(bit.stream.supervise('2026-03-31'))).not.toContain('TransferWithdrawn');
  });
});

describe('004 CFF 8, CFF 17 — Children and Families First and the CRS agree escalation to statutory intervention: CFF → CRS', () => {
  it('returns the case to the CRS on the day of the decision', () =>
    given(heldBy('CFF'))
      .when(thresholdDecision({ on: '2026-03-02', decision: 'step-up-to-social-care' }))
      .then(proposed({ to: 'CRS', from: 'CFF', dueBy: '2026-03-02', ruleId: 'cff-escalation-to-crs', basis: 'timescale' })));

  it('does not fire when no statutory intervention is required', () =>
    given(heldBy('CFF'))
      .when(thresholdDecision({ on: '2026-03-02', decision: 'no-further-action' }))
      .thenNothingHappened(ruleOutcome('cff-escalation-to-crs', 'conditions-not-met')));
});

describe('004 CWD 4 — need below the CWD threshold within the first 10 days: CWD → Children and Families First', () => {
  // The CWD Team accepted the case on Monday 2 March 2026: 10 days run to Thursday 12 March.
  const acceptedByCWD = () => heldBy('CWD', { since: '2026-03-02' });

  it('refers the child back on the 10th day, ahead of the Step Down Panel route', () =>
    given(acceptedByCWD())
      .when(thresholdDecision({ on: '2026-03-12', decision: 'early-help' }))
      .then(
        proposed({ to: 'CFF', from: 'CWD', dueBy: '2026-03-12', ruleId: 'cwd-threshold-not-met-to-cff', basis: 'timescale' }),
        ruleOutcome('step-down-panel-to-cff', 'lower-priority'),
      ));

  it('fires when the CiN assessment concludes early help within the 10 days', () =>
    given(acceptedByCWD()).when(assessmentCompleted('2026-03-09', 'early-help')).then(proposed({ to: 'CFF', dueBy: '2026-03-09' })));

  it('does not apply on the 11th day: the Step Down Panel route takes the case instead', () =>
    given(acceptedByCWD())
      .when(thresholdDecision({ on: '2026-03-13', decision: 'early-help' }))
      .then(
        proposed({ to: 'CFF', from: 'CWD', dueBy: null, ruleId: 'step-down-panel-to-cff', citing: 'CFF 9' }),
        ruleOutcome('cwd-threshold-not-met-to-cff', 'exception'),
      ));

  it('does not fire when the assessment concludes a child in need plan', () =>
    given(acceptedByCWD())
      .when(assessmentCompleted('2026-03-09', 'child-in-need'))
      .thenNothingHappened(ruleOutcome('cwd-threshold-not-met-to-cff', 'conditions-not-met')));
});

describe('004 PTC 1, PTC 2 — the 2nd LAC review agrees permanency outside the home for a child in care proceedings: flagged for PTC, which takes the child at final order', () => {
  // Proceedings issued Monday 2 February 2026 and an ICO the next day; LAC reviews on 2 March and 1 June.
  type Plan = CaseEventDataByType['CLAReviewHeld']['plan'];
  const inProceedingsWith = (team: string) => [heldBy(team), proceedingsIssued({ on: '2026-02-02' }), orderMade({ on: '2026-02-03', order: 'ICO' })];
  const secondReview = (plan: Plan = 'long-term-fostering') => claReviewHeld({ on: '2026-06-01', sequence: 2, plan });
  const reviewedWith = (team: string, plan: Plan = 'long-term-fostering') => [
    inProceedingsWith(team),
    claReviewHeld({ on: '2026-03-02', sequence: 1, plan }),
    secondReview(plan),
  ];
  const reunification = (on: LocalDate, withinMonths: number) =>
    caseEvent('CLAReviewHeld', on, { sequence: 3, plan: 'reunification', reunificationWithinMonths: withinMonths });

  it('flags the transfer at the 2nd review: proposed to PTC at once, with no date until the final order (the early warning)', () =>
    given(inProceedingsWith('SWF'), claReviewHeld({ on: '2026-03-02', sequence: 1 }))
      .when(secondReview())
      .then(
        proposed({ to: 'PTC', from: 'SWF', dueBy: null, ruleId: 'permanence-in-proceedings-to-ptc', basis: 'awaiting-date', meeting: null }),
        ruleOutcome('section-20-permanence-to-ptc', 'conditions-not-met'),
      ));

  it('flags a child whose plan is residential care, from the Children with Disabilities Team', () =>
    given(inProceedingsWith('CWD'), claReviewHeld({ on: '2026-03-02', sequence: 1, plan: 'residential' }))
      .when(secondReview('residential'))
      .then(proposed({ to: 'PTC', from: 'CWD', dueBy: null, ruleId: 'permanence-in-proceedings-to-ptc', basis: 'awaiting-date' })));

  it('dates the transfer on the day the final care order is made (Friday 28 August 2026, before the bank holiday)', () =>
    given(reviewedWith('SWF'))
      .when(orderMade({ on: '2026-08-28', order: 'care-order' }))
      .then(rescheduled({ previousDueBy: null, dueBy: '2026-08-28', ruleId: 'permanence-in-proceedings-to-ptc', basis: 'fact' })));

  it('is not dated by an interim order, nor re-dated by a second care order once the final order has dated it', () => {
    given(reviewedWith('SWF'))
      .when(orderMade({ on: '2026-07-06', order: 'ICO' }))
      .thenNothingHappened();
    given(reviewedWith('SWF'), orderMade({ on: '2026-08-28', order: 'care-order' }))
      .when(orderMade({ on: '2026-09-07', order: 'care-order' }))
      .thenNothingHappened();
  });

  it('names the final order that dated it, and says how', () => {
    const order = orderMade({ on: '2026-08-28', order: 'care-order' });
    const [decision] = given(reviewedWith('SWF')).when(order).evaluation.decisions;
    expect((decision.data as DecisionDataByType['TransferRescheduled']).handoverPoint).toMatchObject({
      basis: 'fact',
      fact: { eventId: order.eventId, type: 'OrderMade', occurredOn: '2026-08-28' },
      steps: ['OrderMade on 2026-08-28'],
    });
  });

  it('withdraws the flag when a later review identifies reunification within 6 months as the plan (the exception)', () =>
    given(reviewedWith('SWF'))
      .when(reunification('2026-08-03', 4))
      .then(lapsed({ by: 'CLAReviewHeld', ruleId: 'permanence-in-proceedings-to-ptc', citing: citing('PTC 1') })));

  it('leaves reunification beyond 6 months to the managers: the flag stands', () =>
    given(reviewedWith('SWF'))
      .when(reunification('2026-08-03', 9))
      .thenNothingHappened());

  it('withdraws the flag when the final order is a placement order, and the case goes to Adoption at its making (Adoption 1)', () =>
    given(reviewedWith('SWF'))
      .when(orderMade({ on: '2026-08-28', order: 'placement-order' }))
      .then(
        lapsed({ by: 'OrderMade', ruleId: 'permanence-in-proceedings-to-ptc', citing: citing('Case transfers to Adoption Services 1') }),
        proposed({ to: 'Adoption', from: 'SWF', dueBy: '2026-08-28', ruleId: 'placement-order-to-adoption', citing: citing('Case transfers to Adoption Services 1') }),
      ));

  it('withdraws the flag when the final order is a special guardianship order (SGO Transfers 1: the care episode ends)', () =>
    given(reviewedWith('SWF'))
      .when(orderMade({ on: '2026-08-28', order: 'SGO' }))
      .then(lapsed({ by: 'OrderMade', citing: citing('SGO Transfers 1') })));

  it('withdraws the flag when the final order is a supervision order (PTC 7: such children are for Social Work with Families)', () =>
    given(reviewedWith('SWF'))
      .when(orderMade({ on: '2026-08-28', order: 'supervision-order' }))
      .then(lapsed({ by: 'OrderMade', citing: citing('PTC 7') })));

  it('does not fire when the 2nd review plans reunification', () =>
    given(inProceedingsWith('SWF'), claReviewHeld({ on: '2026-03-02', sequence: 1, plan: 'reunification' }))
      .when(secondReview('reunification'))
      .thenNothingHappened(ruleOutcome('permanence-in-proceedings-to-ptc', 'conditions-not-met')));

  it('does not fire at the 1st review', () =>
    given(inProceedingsWith('SWF'))
      .when(claReviewHeld({ on: '2026-03-02', sequence: 1, plan: 'long-term-fostering' }))
      .thenNothingHappened(ruleOutcome('permanence-in-proceedings-to-ptc', 'conditions-not-met')));

  it('does not fire when the final care order was made before the 2nd review: there is no later order to wait for', () =>
    given(inProceedingsWith('SWF'), claReviewHeld({ on: '2026-03-02', sequence: 1 }), orderMade({ on: '2026-04-27', order: 'care-order' }))
      .when(secondReview())
      .thenNothingHappened(ruleOutcome('permanence-in-proceedings-to-ptc', 'exception')));

  it('does not fire for a child Pathways Through Care already holds', () =>
    given(inProceedingsWith('PTC'), claReviewHeld({ on: '2026-03-02', sequence: 1 }))
      .when(secondReview())
      .thenNothingHappened(ruleOutcome('permanence-in-proceedings-to-ptc', 'not-held-by-from-team')));
});

describe('004 PTC 1, PTC 3 — a permanence plan under section 20 agreed at the 2nd LAC review: → PTC within 6 weeks', () => {
  const section20WithSWF = () => [heldBy('SWF'), accommodated({ on: '2026-01-05', legalBasis: 's20' })];

  it('is due 6 weeks after the review', () =>
    given(section20WithSWF())
      .when(claReviewHeld({ on: '2026-05-05', sequence: 2, plan: 'long-term-fostering' }))
      .then(
        proposed({ to: 'PTC', from: 'SWF', dueBy: '2026-06-16', ruleId: 'section-20-permanence-to-ptc', basis: 'timescale' }),
        ruleOutcome('adoption-co-work-from-second-review', 'conditions-not-met'),
      ));

  it('does not fire for a child who came in under section 20 and is now on a care order', () =>
    given(
      section20WithSWF(),
      proceedingsIssued({ on: '2026-02-02' }),
      orderMade({ on: '2026-04-27', order: 'care-order' }),
      hearingHeld({ on: '2026-04-27', kind: 'final', concluded: true }),
    )
      .when(claReviewHeld({ on: '2026-05-05', sequence: 2, plan: 'long-term-fostering' }))
      .thenNothingHappened(ruleOutcome('section-20-permanence-to-ptc', 'exception')));

  it('does not fire at the third review', () =>
    given(section20WithSWF())
      .when(claReviewHeld({ on: '2026-08-04', sequence: 3, plan: 'long-term-fostering' }))
      .thenNothingHappened(ruleOutcome('section-20-permanence-to-ptc', 'conditions-not-met')));
});

describe('004 PTC 7 — ceasing to be looked after onto a CIN/CP plan or supervision order: PTC → SWF after 6 months', () => {
  const lookedAfterWithPTC = () => [heldBy('PTC', { since: '2025-06-02' }), accommodated({ on: '2025-06-02', legalBasis: 's20' })];

  it('is due 6 months after the child ceases to be looked after onto a CIN plan', () =>
    given(lookedAfterWithPTC(), cinPlanStarted({ on: '2026-03-02' }))
      .when(ceasedLookedAfter({ on: '2026-03-02', reason: 'returned-home' }))
      .then(proposed({ to: 'SWF', from: 'PTC', dueBy: '2026-09-02', ruleId: 'post-looked-after-ptc-to-swf', basis: 'timescale' })));

  it('counts 6 months to the end of February for a supervision order made on 31 August', () =>
    given(lookedAfterWithPTC(), orderMade({ on: '2026-08-31', order: 'supervision-order' }))
      .when(ceasedLookedAfter({ on: '2026-08-31', reason: 'returned-home' }))
      .then(proposed({ to: 'SWF', dueBy: '2027-02-28' })));

  it('does not fire when the child leaves care on a special guardianship order (SGO Transfers 1)', () =>
    given(lookedAfterWithPTC(), cinPlanStarted({ on: '2026-03-02' }))
      .when(ceasedLookedAfter({ on: '2026-03-02', reason: 'special-guardianship' }))
      .thenNothingHappened(ruleOutcome('post-looked-after-ptc-to-swf', 'exception')));

  it('does not fire for a child who returns home with no plan or order', () =>
    given(lookedAfterWithPTC())
      .when(ceasedLookedAfter({ on: '2026-03-02', reason: 'returned-home' }))
      .thenNothingHappened(ruleOutcome('post-looked-after-ptc-to-swf', 'conditions-not-met')));

  it('does not fire for a child held by SWF', () =>
    given(heldBy('SWF'), accommodated({ on: '2025-06-02' }), cinPlanStarted({ on: '2026-03-02' }))
      .when(ceasedLookedAfter({ on: '2026-03-02' }))
      .thenNothingHappened(ruleOutcome('post-looked-after-ptc-to-swf', 'not-held-by-from-team')));
});

describe('004 PTC 8, PTC 10 — a looked after child reaching 18 outside PTC: → PTC at the formal handover meeting', () => {
  // Born 1 October 2008: 18 on Thursday 1 October 2026.
  const lookedAfterWithSWF = () => [heldBy('SWF'), bornOn('2008-10-01'), accommodated({ on: '2025-01-06', legalBasis: 's20' })];
  const eighteenthBirthday = () => birthdayApproaching({ ageYears: 18, on: '2026-10-01', noticedOn: '2026-09-01' });

  it('is due by the 18th birthday while the handover meeting is not dated', () =>
    given(lookedAfterWithSWF())
      .when(eighteenthBirthday())
      .then(proposed({ to: 'PTC', from: 'SWF', dueBy: '2026-10-01', ruleId: 'eighteenth-birthday-to-ptc', basis: 'timescale', fallbackReason: 'undated' })));

  it('is due at the handover meeting held before the birthday', () =>
    given(lookedAfterWithSWF(), meetingScheduled({ kind: 'eighteenth-birthday-handover', on: '2026-09-24', scheduledOn: '2026-08-03' }))
      .when(eighteenthBirthday())
      .then(proposed({ to: 'PTC', dueBy: '2026-09-24', basis: 'meeting', meeting: 'eighteenth-birthday-handover' })));

  it('keeps the birthday when the meeting is after it', () =>
    given(lookedAfterWithSWF(), meetingScheduled({ kind: 'eighteenth-birthday-handover', on: '2026-10-08', scheduledOn: '2026-08-03' }))
      .when(eighteenthBirthday())
      .then(proposed({ to: 'PTC', dueBy: '2026-10-01', basis: 'timescale', fallbackReason: 'after-timescale' })));

  it('fires when the child ceases to be looked after on turning 18 before the birthday is announced', () =>
    given(lookedAfterWithSWF())
      .when(ceasedLookedAfter({ on: '2026-10-01', reason: 'turned-18' }))
      .then(proposed({ to: 'PTC', from: 'SWF', dueBy: '2026-10-01', ruleId: 'eighteenth-birthday-to-ptc', basis: 'timescale', fallbackReason: 'undated' })));

  it('learns the date of birth from turning 18 when none is recorded, so the transfer is due that day', () =>
    given(heldBy('SWF'), accommodated({ on: '2025-01-06', legalBasis: 's20' }))
      .when(ceasedLookedAfter({ on: '2026-10-01', reason: 'turned-18' }))
      .then(proposed({ to: 'PTC', from: 'SWF', dueBy: '2026-10-01', ruleId: 'eighteenth-birthday-to-ptc', basis: 'timescale' })));

  it('is due on the birthday it arrives on, a handover meeting already held before it being no handover point to come', () =>
    given(lookedAfterWithSWF(), meetingScheduled({ kind: 'eighteenth-birthday-handover', on: '2026-09-24', scheduledOn: '2026-08-03' }))
      .when(ceasedLookedAfter({ on: '2026-10-01', reason: 'turned-18' }))
      .then(proposed({ to: 'PTC', dueBy: '2026-10-01', basis: 'timescale', meeting: null })));

  it('proposes nothing more on turning 18 when the birthday has already opened the transfer', () =>
    given(lookedAfterWithSWF(), eighteenthBirthday())
      .when(ceasedLookedAfter({ on: '2026-10-01', reason: 'turned-18' }))
      .thenNothingHappened(ruleOutcome('eighteenth-birthday-to-ptc', 'already-on-transfer')));

  it('does not fire when a looked after child of 17 returns home', () =>
    given(lookedAfterWithSWF())
      .when(ceasedLookedAfter({ on: '2026-03-02', reason: 'returned-home' }))
      .thenNothingHappened(ruleOutcome('eighteenth-birthday-to-ptc', 'conditions-not-met')));

  it('does not fire at the birthday of a child who is not looked after', () =>
    given(heldBy('SWF'), bornOn('2008-10-01'))
      .when(eighteenthBirthday())
      .thenNothingHappened(ruleOutcome('eighteenth-birthday-to-ptc', 'exception')));

  it('does not fire at the 17th birthday', () =>
    given(lookedAfterWithSWF())
      .when(birthdayApproaching({ ageYears: 17, on: '2025-10-01', noticedOn: '2025-09-01' }))
      .thenNothingHappened(ruleOutcome('eighteenth-birthday-to-ptc', 'conditions-not-met')));

  it('proposes nothing for a child already with PTC: the social worker → PA handover is within the team', () =>
    given(heldBy('PTC'), bornOn('2008-10-01'), accommodated({ on: '2025-01-06', legalBasis: 's20' }))
      .when(eighteenthBirthday())
      .thenNothingHappened(ruleOutcome('eighteenth-birthday-to-ptc', 'not-held-by-from-team')));
});

describe('004 Case transfers to Adoption Services 1 — at the making of a placement order: → Adoption', () => {
  it('transfers from SWF on the day the placement order is made', () =>
    given(heldBy('SWF'), proceedingsIssued({ on: '2026-02-02' }))
      .when(orderMade({ on: '2026-08-20', order: 'placement-order' }))
      .then(proposed({ to: 'Adoption', from: 'SWF', dueBy: '2026-08-20', ruleId: 'placement-order-to-adoption', basis: 'timescale' })));

  it('transfers from PTC', () =>
    given(heldBy('PTC'), orderMade({ on: '2025-11-02', order: 'care-order' }))
      .when(orderMade({ on: '2026-03-02', order: 'placement-order' }))
      .then(proposed({ to: 'Adoption', from: 'PTC', dueBy: '2026-03-02' })));

  it('transfers from BIT, where BIT 1’s looked-after route does not apply to a placement order', () =>
    given(heldBy('BIT'), proceedingsIssued({ on: '2026-02-02' }))
      .when(orderMade({ on: '2026-08-20', order: 'placement-order' }))
      .then(proposed({ to: 'Adoption', from: 'BIT', dueBy: '2026-08-20' }), ruleOutcome('looked-after-bit-to-swf', 'conditions-not-met')));

  it('does not fire on a care order', () =>
    given(heldBy('SWF'), proceedingsIssued({ on: '2026-02-02' }))
      .when(orderMade({ on: '2026-08-20', order: 'care-order' }))
      .thenNothingHappened(ruleOutcome('placement-order-to-adoption', 'conditions-not-met')));

  it('does not fire for a case already with the Adoption Service', () =>
    given(heldBy('Adoption'))
      .when(orderMade({ on: '2026-08-20', order: 'placement-order' }))
      .thenNothingHappened(ruleOutcome('placement-order-to-adoption', 'not-held-by-from-team')));
});

describe('004 Case transfers to Adoption Services 2 — the second care plan review plans adoption: the Adoption Service co-works until the placement order', () => {
  // Proceedings issued Monday 2 February 2026 and an ICO the next day; LAC reviews on 2 March and 1 June.
  const inCareWith = (team: string) => [
    heldBy(team, { workerId: 'SW-1' }),
    proceedingsIssued({ on: '2026-02-02' }),
    orderMade({ on: '2026-02-03', order: 'ICO' }),
    claReviewHeld({ on: '2026-03-02', sequence: 1, plan: 'adoption' }),
  ];
  const secondReview = () => claReviewHeld({ on: '2026-06-01', sequence: 2, plan: 'adoption' });
  const adoptionWorker = (on: LocalDate) => caseEvent('WorkerAllocated', on, { team: 'Adoption', workerId: 'AD-7' });

  it('requires an Adoption co-worker beside Social Work with Families on the day of the 2nd review', () =>
    given(inCareWith('SWF'))
      .when(secondReview())
      .then(
        coWorkRequired({ coWorker: 'Adoption', holder: 'SWF', dueBy: '2026-06-01', ruleId: 'adoption-co-work-from-second-review', basis: 'timescale' }),
        ruleOutcome('section-20-permanence-to-ptc', 'conditions-not-met'),
      ));

  it('is not held up by an open transfer: beside BIT while its move to SWF (BIT 1) awaits the CMH', () =>
    given(inCareWith('BIT'))
      .when(secondReview())
      .then(coWorkRequired({ coWorker: 'Adoption', holder: 'BIT', dueBy: '2026-06-01' })));

  it('records the Adoption worker as a co-worker: the case stays with SWF and its worker', () => {
    const fact = adoptionWorker('2026-06-03');
    const state = recordedByTheService(given(inCareWith('SWF'), secondReview()).when(fact), fact);
    expect([state.team, state.workerId]).toEqual(['SWF', 'SW-1']);
    expect(state.coWorks).toEqual([expect.objectContaining({ team: 'Adoption', workerId: 'AD-7' })]);
    expect(state.transfers).toEqual([]);
  });

  it('lets the placement order transfer the case while Adoption co-works', () =>
    given(inCareWith('SWF'), secondReview(), adoptionWorker('2026-06-03'))
      .when(orderMade({ on: '2026-10-02', order: 'placement-order' }))
      .then(proposed({ to: 'Adoption', from: 'SWF', dueBy: '2026-10-02', ruleId: 'placement-order-to-adoption', citing: citing('Case transfers to Adoption Services 1') })));

  it('hands the case to the Adoption co-worker when a manager completes the transfer, ending the co-work', () => {
    const { state } = given(inCareWith('SWF'), secondReview(), adoptionWorker('2026-06-03'), orderMade({ on: '2026-10-02', order: 'placement-order' }));
    const moved = acceptedAndCompleted(state, 'Adoption', '2026-10-05');
    expect([moved.team, moved.workerId, moved.teamSince]).toEqual(['Adoption', 'AD-7', '2026-10-05']);
    expect(moved.coWorks).toEqual([]);
  });

  it('completes the transfer the same way when the case-management system allocates the co-worker to the case', () => {
    const fact = adoptionWorker('2026-10-05');
    const moved = recordedByTheService(given(inCareWith('SWF'), secondReview(), adoptionWorker('2026-06-03'), orderMade({ on: '2026-10-02', order: 'placement-order' })).when(fact), fact);
    expect([moved.team, moved.workerId]).toEqual(['Adoption', 'AD-7']);
    expect(moved.transfers.map((t) => [t.toTeam, t.status])).toEqual([['Adoption', 'completed']]);
    expect(moved.coWorks).toEqual([]);
  });

  it('does not fire when the 2nd review plans long-term fostering (PTC 1 applies instead: the flag for Pathways Through Care)', () =>
    given(inCareWith('SWF'))
      .when(claReviewHeld({ on: '2026-06-01', sequence: 2, plan: 'long-term-fostering' }))
      .then(
        proposed({ to: 'PTC', from: 'SWF', dueBy: null, ruleId: 'permanence-in-proceedings-to-ptc', citing: citing('PTC 1, PTC 2') }),
        ruleOutcome('adoption-co-work-from-second-review', 'conditions-not-met'),
      ));

  it('does not fire at a 3rd review that first plans adoption', () =>
    given(inCareWith('SWF'), claReviewHeld({ on: '2026-06-01', sequence: 2, plan: 'long-term-fostering' }))
      .when(claReviewHeld({ on: '2026-09-01', sequence: 3, plan: 'adoption' }))
      .thenNothingHappened(ruleOutcome('adoption-co-work-from-second-review', 'conditions-not-met')));

  it('does not fire for a case the Adoption Service already holds', () =>
    given(inCareWith('Adoption'))
      .when(secondReview())
      .thenNothingHappened(ruleOutcome('adoption-co-work-from-second-review', 'not-held-by-from-team')));
});

describe('004 Principles 8, 11; Transfer Standards 1 — a transfer a manager requests on a route no rule takes: proposed, due the next working day, with its checklist and escalations', () => {
  const requested = (on: LocalDate, fromTeam: string, toTeam: string) => caseEvent('TransferRequested', on, { fromTeam, toTeam, reason: 'agreed by the Service Leads' });

  it('is proposed from the team holding the child, due the next working day (Friday 1 May → Tuesday 5 May, over the May Day bank holiday)', () =>
    given(heldBy('SWF'))
      .when(requested('2026-05-01', 'SWF', 'CWD'))
      .then(proposed({ to: 'CWD', from: 'SWF', dueBy: '2026-05-05', ruleId: 'requested-transfer', basis: 'timescale' })));

  it('is not proposed when the child is held by another team than the one the request is from', () =>
    given(heldBy('BIT'))
      .when(requested('2026-05-01', 'SWF', 'CWD'))
      .thenNothingHappened(ruleOutcome('requested-transfer', 'not-held-by-from-team')));

  it('is not proposed to a team the pack does not have, nor while another transfer is open (Principle 5)', () => {
    given(heldBy('SWF')).when(requested('2026-05-01', 'SWF', 'Leaving-Care')).thenNothingHappened(ruleOutcome('requested-transfer', 'conditions-not-met'));
    given(heldBy('SWF'), requested('2026-05-01', 'SWF', 'CWD'))
      .when(requested('2026-05-04', 'SWF', 'YPS'))
      .thenNothingHappened(ruleOutcome('requested-transfer', 'already-on-transfer'));
  });

  // The Done when of issue 16: a transfer with five unmet checklist items has one open checklist
  // escalation, not five. Principles 11, 12: "escalation and manager oversight", once for the transfer.
  it('opens the Transfer Standards checklist, overdue on Wednesday 6 May with every item unmet: one escalation naming them all, and one for the transfer', () => {
    const request = requested('2026-05-01', 'SWF', 'CWD');
    const stream: ChildStreamEvent[] = [{ kind: 'fact', fact: caseEvent('WorkerAllocated', '2026-04-01', { team: 'SWF', workerId: 'W-1' }) }, { kind: 'fact', fact: request }];
    const record = (decision: Decision, causationId: string) => stream.push({ kind: 'decision', eventId: `${decision.type}-1`, decidedAt: '2026-05-01T10:00:00Z', causationId, decision });
    const fold = () => stream.reduce(evolve, initialChildState(SCENARIO_AUTHORITY, SCENARIO_CHILD_ID));
    decide(fold(), request, compiled).forEach((d) => record(d, request.eventId));
    const [opened] = openChecklist(fold(), fold().transfers[0].transferId, compiled);
    record(opened, 'TransferProposed-1');
    const { items } = opened.data as DecisionDataByType['ChecklistOpened'];
    expect(items.length).toBeGreaterThanOrEqual(5);
    expect(new Set(items.map((i) => i.dueBy))).toEqual(new Set(['2026-05-05']));
    const raised = supervise(stream, compiled, '2026-05-06', { authority: SCENARIO_AUTHORITY, childId: SCENARIO_CHILD_ID }).decisions.map(
      (d) => d.data as DecisionDataByType['EscalationRaised'],
    );
    expect(raised.map((e) => [e.reason, e.role, e.itemIds])).toEqual([
      ['overdue', 'Practice Managers', undefined],
      ['checklist-incomplete', 'Practice Managers', items.map((i) => i.itemId)],
    ]);
  });
});

describe('004 Principles 3 — “All children should be allocated to a named worker (not a manager) at all times”', () => {
  const supervised = (facts: CaseEvent[], today: LocalDate) =>
    supervise(
      facts.map((fact) => ({ kind: 'fact' as const, fact })),
      compiled,
      today,
      { authority: SCENARIO_AUTHORITY, childId: SCENARIO_CHILD_ID },
    ).decisions;

  it('requires a named worker the day a child in need plan starts with no worker allocated, escalated from the next day', () => {
    const facts = [referralReceived({ on: '2026-05-01' }), cinPlanStarted({ on: '2026-05-05' })];
    expect(supervised(facts, '2026-05-05')).toEqual([
      expect.objectContaining({
        type: 'AllocationRequired',
        data: expect.objectContaining({ reason: 'the child is on a child in need plan and has no named worker', dueBy: '2026-05-05', citation: citing('Principles 3, 4') }),
      }),
    ]);
  });

  it('requires nothing of a child at the front door with no plan yet, or one whose worker is allocated', () => {
    expect(supervised([referralReceived({ on: '2026-05-01' })], '2026-05-05').filter((d) => d.type === 'AllocationRequired')).toEqual([]);
    const allocated = [referralReceived({ on: '2026-05-01' }), caseEvent('WorkerAllocated', '2026-05-04', { team: 'BIT', workerId: 'W-1' }), cinPlanStarted({ on: '2026-05-05' })];
    expect(supervised(allocated, '2026-05-05').filter((d) => d.type === 'AllocationRequired')).toEqual([]);
  });
});

// Last in the file, so every scenario above has run: each rule of the pack must have fired in one.
describe('004 Principles 5 — the fewest transfers: one open transfer at a time', () => {
  it('an ICO proposes nothing more while the BIT → SWF transfer of a section 20 child is open', () =>
    given(heldBy('BIT'), accommodated({ on: '2026-03-02', legalBasis: 's20' }))
      .when(orderMade({ on: '2026-06-01', order: 'ICO' }))
      .thenNothingHappened(ruleOutcome('looked-after-bit-to-swf', 'already-on-transfer')));
});

describeEveryRuleFires(pack, spec, { rules: 29 });
