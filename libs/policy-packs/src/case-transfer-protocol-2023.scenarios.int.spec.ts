/**
 * Scenarios for policies/case-transfer-protocol-2023.yaml against its seed document,
 * shared/seeds/001_30c1b44cdf22ca4d.txt ("Case Transfer Protocol", dated 05.07.2023, Mosaic).
 *
 * One `describe` per rule, named by the section and heading it cites ("001 §3 Assessment — …");
 * the helper checks each decision's citation names them. Each rule has a scenario that fires it
 * and one that shows its exception or a non-match. Dates are pinned and every dueBy is counted by
 * hand from the calendar, with England and Wales bank holidays: 2026 — 1 Jan, 3 Apr, 6 Apr, 4 May,
 * 25 May, 31 Aug, 25 Dec, 28 Dec; 2027 — 1 Jan, 26 Mar, 29 Mar, 3 May, 31 May, 30 Aug, 27 Dec, 28 Dec.
 */
import * as path from 'node:path';
import { compilePack, type CaseEventDataByType, type LocalDate } from '@cto/domain';
import {
  accommodated,
  birthdayApproaching,
  bornOn,
  caseEvent,
  ceasedLookedAfter,
  cinPlanStarted,
  cinReviewHeld,
  claReviewHeld,
  coWorkRequired,
  hearingHeld,
  heldBy,
  icpcHeld,
  meetingScheduled,
  orderMade,
  proceedingsIssued,
  proposed,
  referralReceived,
  rescheduled,
  ruleOutcome,
  scenario,
  thresholdDecision,
  describeEveryRuleFires,
} from '@cto/testing';
import { loadPolicyPackFile } from './index';

const pack = loadPolicyPackFile(path.resolve(__dirname, '../../../policies/case-transfer-protocol-2023.yaml'));
const spec = scenario(compilePack(pack));
const { given } = spec;

// Case events with no builder in @cto/testing, built with `caseEvent` directly.
const courtReportRequested = (on: LocalDate, requestType: 'section-7-report' | 'section-37-report' | 'standard' | 'private-fostering-assessment') =>
  caseEvent('ReferralReceived', on, { referralSource: 'court', requestType });
const legalGatewayMeetingHeld = (on: LocalDate, decision: CaseEventDataByType['LegalGatewayMeetingHeld']['decision']) =>
  caseEvent('LegalGatewayMeetingHeld', on, { decision });
const transferRequested = (on: LocalDate, fromTeam: string, toTeam: string) => caseEvent('TransferRequested', on, { fromTeam, toTeam });
const assessmentCompleted = (on: LocalDate, outcome: CaseEventDataByType['AssessmentCompleted']['outcome']) =>
  caseEvent('AssessmentCompleted', on, { assessment: 'child-and-family', outcome });
/** The Initial Transfer Meeting (§2) dated `on`, recorded `scheduledOn`. */
const transferMeeting = (on: LocalDate, scheduledOn: LocalDate) => meetingScheduled({ kind: 'initial-transfer-meeting', on, scheduledOn });

describe('001 §3 Assessment, §3 MASH — a Private Fostering assessment goes from MASH to Assessment within 1 working day', () => {
  it('is due the next working day after the referral (Friday 1 May 2026 → Tuesday 5 May, over the May Day bank holiday)', () =>
    given()
      .when(courtReportRequested('2026-05-01', 'private-fostering-assessment'))
      .then(proposed({ to: 'Assessment', from: 'MASH', dueBy: '2026-05-05', ruleId: 'private-fostering-assessment-to-assessment', basis: 'timescale' })));

  it('does not fire on a standard referral', () =>
    given()
      .when(courtReportRequested('2026-05-01', 'standard'))
      .thenNothingHappened(ruleOutcome('private-fostering-assessment-to-assessment', 'conditions-not-met')));
});

describe('001 §3 MASH — MASH directs a referral to the service its decision names', () => {
  it('sends the child to Safeguarding when MASH’s decision names it, on the day', () =>
    given(referralReceived({ on: '2026-03-02' }))
      .when(thresholdDecision({ on: '2026-03-03', decision: 'statutory-assessment', team: 'Safeguarding' }))
      .then(proposed({ to: 'Safeguarding', from: 'MASH', dueBy: '2026-03-03', ruleId: 'mash-directs-to-named-team', basis: 'timescale' })));

  it('sends the child to the Exploitation Team, outranking the reading of the level of service alone', () =>
    given(referralReceived({ on: '2026-03-02' }))
      .when(thresholdDecision({ on: '2026-03-03', decision: 'step-up-to-social-care', team: 'Exploitation' }))
      .then(proposed({ to: 'Exploitation', from: 'MASH', dueBy: '2026-03-03', ruleId: 'mash-directs-to-named-team' }), ruleOutcome('mash-to-assessment', 'lower-priority')));

  it('does not send a child to the Disabled Children’s Teams on the decision alone (they accept from MASH only after agreement with the DCS service manager)', () =>
    given(referralReceived({ on: '2026-03-02' }))
      .when(thresholdDecision({ on: '2026-03-03', decision: 'statutory-assessment', team: 'DCYPS' }))
      .then(proposed({ to: 'Assessment', dueBy: '2026-03-03', ruleId: 'mash-to-assessment' }), ruleOutcome('mash-directs-to-named-team', 'conditions-not-met')));

  it('does not fire when the decision names no team', () =>
    given(referralReceived({ on: '2026-03-02' }))
      .when(thresholdDecision({ on: '2026-03-03', decision: 'early-help' }))
      .then(proposed({ to: 'Early-Help', dueBy: '2026-03-03', ruleId: 'mash-to-early-help' }), ruleOutcome('mash-directs-to-named-team', 'conditions-not-met')));
});

describe('001 §3 MASH — MASH directs a referral to the Early Help service', () => {
  it('is due on the day of MASH’s decision', () =>
    given(referralReceived({ on: '2026-03-02' }))
      .when(thresholdDecision({ on: '2026-03-03', decision: 'early-help' }))
      .then(proposed({ to: 'Early-Help', from: 'MASH', dueBy: '2026-03-03', ruleId: 'mash-to-early-help', basis: 'timescale' })));

  it('does not fire when MASH offers information and advice', () =>
    given(referralReceived({ on: '2026-03-02' }))
      .when(thresholdDecision({ on: '2026-03-03', decision: 'no-further-action' }))
      .thenNothingHappened(ruleOutcome('mash-to-early-help', 'conditions-not-met'), ruleOutcome('mash-to-assessment', 'conditions-not-met')));

  it('does not fire with no open referral (nobody holds the child)', () =>
    given()
      .when(thresholdDecision({ on: '2026-03-03', decision: 'early-help' }))
      .thenNothingHappened(ruleOutcome('mash-to-early-help', 'not-held-by-from-team')));
});

describe('001 §3 MASH, §3 Assessment — MASH directs a referral needing social care input for safeguarding concerns to Assessment', () => {
  it('is due on the day of MASH’s decision', () =>
    given(referralReceived({ on: '2026-03-02' }))
      .when(thresholdDecision({ on: '2026-03-03', decision: 'statutory-assessment' }))
      .then(proposed({ to: 'Assessment', from: 'MASH', dueBy: '2026-03-03', ruleId: 'mash-to-assessment', basis: 'timescale' })));

  it('fires on a step-up decision at the front door', () =>
    given(referralReceived({ on: '2026-03-02' }))
      .when(thresholdDecision({ on: '2026-03-02', decision: 'step-up-to-social-care' }))
      .then(proposed({ to: 'Assessment', from: 'MASH', dueBy: '2026-03-02', ruleId: 'mash-to-assessment' })));

  it('does not fire when MASH directs the referral to Early Help', () =>
    given(referralReceived({ on: '2026-03-02' }))
      .when(thresholdDecision({ on: '2026-03-03', decision: 'early-help' }))
      .then(proposed({ to: 'Early-Help', dueBy: '2026-03-03', citing: '§3 MASH' }), ruleOutcome('mash-to-assessment', 'conditions-not-met')));
});

describe('001 §3 Assessment, §3 MASH — a section 7 or section 37 report request: MASH → Assessment within 1 working day', () => {
  it('is due 1 working day after a Thursday request, skipping Good Friday and Easter Monday', () =>
    given()
      .when(courtReportRequested('2026-04-02', 'section-37-report'))
      .then(proposed({ to: 'Assessment', from: 'MASH', dueBy: '2026-04-07', ruleId: 'court-report-request-to-assessment', basis: 'timescale' })));

  it('is due on the Monday after a Friday request for a section 7 report', () =>
    given().when(courtReportRequested('2026-03-06', 'section-7-report')).then(proposed({ to: 'Assessment', dueBy: '2026-03-09' })));

  it('does not fire on a standard referral', () =>
    given()
      .when(courtReportRequested('2026-03-06', 'standard'))
      .thenNothingHappened(ruleOutcome('court-report-request-to-assessment', 'conditions-not-met')));

  it('does not fire when the child is already allocated to Safeguarding', () =>
    given(heldBy('Safeguarding'))
      .when(courtReportRequested('2026-03-06', 'section-37-report'))
      .thenNothingHappened(ruleOutcome('court-report-request-to-assessment', 'not-held-by-from-team')));
});

describe('001 §3 Assessment — child protection: Assessment → Safeguarding at the Initial Child Protection Conference', () => {
  it('is due on the day of the ICPC that makes a child protection plan', () =>
    given(heldBy('Assessment'))
      .when(icpcHeld({ on: '2026-03-10', outcome: 'cp-plan' }))
      .then(
        proposed({ to: 'Safeguarding', from: 'Assessment', dueBy: '2026-03-10', ruleId: 'assessment-cp-plan-to-safeguarding-at-icpc', basis: 'timescale' }),
      ));

  it('does not fire when the ICPC agrees a child in need plan (the 12-week CIN paragraph applies)', () =>
    given(heldBy('Assessment'))
      .when(icpcHeld({ on: '2026-03-10', outcome: 'cin-plan' }))
      .thenNothingHappened(ruleOutcome('assessment-cp-plan-to-safeguarding-at-icpc', 'conditions-not-met')));

  it('does not fire for a case the Exploitation Team already holds', () =>
    given(heldBy('Exploitation'))
      .when(icpcHeld({ on: '2026-03-10', outcome: 'cp-plan' }))
      .thenNothingHappened(ruleOutcome('assessment-cp-plan-to-safeguarding-at-icpc', 'not-held-by-from-team')));
});

describe('001 §3 Assessment — child in need beyond 12 weeks with further work required: Assessment → Safeguarding', () => {
  // The CIN plan starts on Monday 5 January 2026: 12 weeks run to Monday 30 March.
  const inNeedWithAssessment = () => [heldBy('Assessment', { since: '2026-01-05' }), cinPlanStarted({ on: '2026-01-05' })];

  it('is due at the Initial Transfer Meeting already dated after a review at 12 weeks continues the plan', () =>
    given(inNeedWithAssessment(), transferMeeting('2026-04-02', '2026-03-20'))
      .when(cinReviewHeld({ on: '2026-03-30', outcome: 'plan-continues' }))
      .then(
        proposed({
          to: 'Safeguarding',
          from: 'Assessment',
          dueBy: '2026-04-02',
          ruleId: 'assessment-child-in-need-beyond-12-weeks-to-safeguarding',
          basis: 'meeting',
          meeting: 'initial-transfer-meeting',
        }),
      ));

  it('awaits the Initial Transfer Meeting’s date, and is dated when it is scheduled', () =>
    given(inNeedWithAssessment(), cinReviewHeld({ on: '2026-03-30' }))
      .when(transferMeeting('2026-04-09', '2026-03-31'))
      .then(rescheduled({ previousDueBy: null, dueBy: '2026-04-09', basis: 'meeting', ruleId: 'assessment-child-in-need-beyond-12-weeks-to-safeguarding' })));

  it('proposes with no date while the Initial Transfer Meeting is not scheduled', () =>
    given(inNeedWithAssessment())
      .when(cinReviewHeld({ on: '2026-03-30' }))
      .then(proposed({ to: 'Safeguarding', dueBy: null, basis: 'awaiting-date', meeting: 'initial-transfer-meeting' })));

  it('does not fire at a review before 12 weeks (27 March is 11 weeks 4 days)', () =>
    given(inNeedWithAssessment())
      .when(cinReviewHeld({ on: '2026-03-27' }))
      .thenNothingHappened(ruleOutcome('assessment-child-in-need-beyond-12-weeks-to-safeguarding', 'conditions-not-met')));

  it('does not fire when the review closes the plan (no further work required)', () =>
    given(inNeedWithAssessment())
      .when(cinReviewHeld({ on: '2026-03-30', outcome: 'close' }))
      .thenNothingHappened(ruleOutcome('assessment-child-in-need-beyond-12-weeks-to-safeguarding', 'conditions-not-met')));

  // The pack's reading (rule `reading`): "if further work is required" is the review's decision, so 12 weeks alone propose nothing.
  it('proposes nothing when the 12 weeks pass with no review (a meeting dated after them is not one)', () => {
    expect(pack.rules.find((r) => r.id === 'assessment-child-in-need-beyond-12-weeks-to-safeguarding')?.reading?.text).toMatch(/the 12 weeks alone propose nothing/);
    return given(inNeedWithAssessment())
      .when(transferMeeting('2026-04-09', '2026-04-01'))
      .thenNothingHappened();
  });
});

describe('001 §3 Assessment — the primary issue decides: exploitation goes to the Exploitation Team, not Safeguarding', () => {
  const exploitationAssessed = (on: string) =>
    caseEvent('AssessmentCompleted', on, { assessment: 'child-and-family', outcome: 'child-protection-conference', primaryIssue: 'child-exploitation' });
  const inNeedWithAssessment = () => [heldBy('Assessment', { since: '2026-01-05' }), cinPlanStarted({ on: '2026-01-05' })];

  it('sends a CP case whose primary issue is exploitation to the Exploitation Team on the day of the ICPC', () =>
    given(heldBy('Assessment'), exploitationAssessed('2026-02-20'))
      .when(icpcHeld({ on: '2026-03-10', outcome: 'cp-plan' }))
      .then(
        proposed({ to: 'Exploitation', from: 'Assessment', dueBy: '2026-03-10', ruleId: 'assessment-cp-plan-exploitation-to-exploitation-team-at-icpc' }),
        ruleOutcome('assessment-cp-plan-to-safeguarding-at-icpc', 'exception'),
      ));

  it('sends a child in need whose primary issue is exploitation to the Exploitation Team after 12 weeks', () =>
    given(inNeedWithAssessment(), exploitationAssessed('2026-01-20'))
      .when(cinReviewHeld({ on: '2026-03-30', outcome: 'plan-continues' }))
      .then(
        proposed({ to: 'Exploitation', dueBy: null, basis: 'awaiting-date', ruleId: 'assessment-child-in-need-exploitation-beyond-12-weeks-to-exploitation-team' }),
        ruleOutcome('assessment-child-in-need-beyond-12-weeks-to-safeguarding', 'exception'),
      ));

  it('does not send other primary issues to the Exploitation Team', () =>
    given(heldBy('Assessment'), caseEvent('AssessmentCompleted', '2026-02-20', { assessment: 'child-and-family', outcome: 'child-protection-conference', primaryIssue: 'neglect' }))
      .when(icpcHeld({ on: '2026-03-10', outcome: 'cp-plan' }))
      .then(
        proposed({ to: 'Safeguarding', dueBy: '2026-03-10', ruleId: 'assessment-cp-plan-to-safeguarding-at-icpc' }),
        ruleOutcome('assessment-cp-plan-exploitation-to-exploitation-team-at-icpc', 'conditions-not-met'),
      ));

  it('does not fire the 12-week route before 12 weeks', () =>
    given(inNeedWithAssessment(), exploitationAssessed('2026-01-20'))
      .when(cinReviewHeld({ on: '2026-03-27', outcome: 'plan-continues' }))
      .thenNothingHappened(ruleOutcome('assessment-child-in-need-exploitation-beyond-12-weeks-to-exploitation-team', 'conditions-not-met')));
});

describe('001 §3 Assessment — legal proceedings: Assessment → Safeguarding after the initial Legal Gateway Meeting, before the first PPM', () => {
  it('is due the working day before the first Pre-Proceedings Meeting (Friday before a Monday PPM)', () =>
    given(heldBy('Assessment'), meetingScheduled({ kind: 'pre-proceedings-meeting', on: '2026-06-15', scheduledOn: '2026-05-28' }))
      .when(legalGatewayMeetingHeld('2026-06-01', 'pre-proceedings'))
      .then(
        proposed({
          to: 'Safeguarding',
          from: 'Assessment',
          dueBy: '2026-06-12',
          ruleId: 'assessment-legal-gateway-to-safeguarding-before-first-ppm',
          basis: 'timescale',
        }),
      ));

  it('skips the Spring bank holiday: a PPM on Tuesday 26 May makes it due Friday 22 May', () =>
    given(heldBy('Assessment'), meetingScheduled({ kind: 'pre-proceedings-meeting', on: '2026-05-26', scheduledOn: '2026-05-11' }))
      .when(legalGatewayMeetingHeld('2026-05-18', 'pre-proceedings'))
      .then(proposed({ to: 'Safeguarding', dueBy: '2026-05-22' })));

  it('awaits the first PPM’s date, and is dated when it is scheduled', () =>
    given(heldBy('Assessment'), legalGatewayMeetingHeld('2026-06-01', 'pre-proceedings'))
      .when(meetingScheduled({ kind: 'pre-proceedings-meeting', on: '2026-06-15', scheduledOn: '2026-06-02' }))
      .then(rescheduled({ previousDueBy: null, dueBy: '2026-06-12', basis: 'timescale', ruleId: 'assessment-legal-gateway-to-safeguarding-before-first-ppm' })));

  it('does not take a PPM dated before the Legal Gateway Meeting', () =>
    given(heldBy('Assessment'), meetingScheduled({ kind: 'pre-proceedings-meeting', on: '2026-05-20', scheduledOn: '2026-05-11' }))
      .when(legalGatewayMeetingHeld('2026-06-01', 'pre-proceedings'))
      .then(proposed({ to: 'Safeguarding', dueBy: null, basis: 'awaiting-date', meeting: 'pre-proceedings-meeting' })));

  it('does not fire when the gateway decides to issue proceedings (the initial-hearing route)', () =>
    given(heldBy('Assessment'))
      .when(legalGatewayMeetingHeld('2026-06-01', 'issue-proceedings'))
      .thenNothingHappened(ruleOutcome('assessment-legal-gateway-to-safeguarding-before-first-ppm', 'conditions-not-met')));

  it('does not fire when the gateway decides on no legal action', () =>
    given(heldBy('Assessment'))
      .when(legalGatewayMeetingHeld('2026-06-01', 'no-legal-action'))
      .thenNothingHappened(ruleOutcome('assessment-legal-gateway-to-safeguarding-before-first-ppm', 'conditions-not-met')));
});

describe('001 §3 Assessment — legal proceedings: Assessment → Safeguarding following the initial court hearing', () => {
  const inProceedingsWithAssessment = () => [heldBy('Assessment'), proceedingsIssued({ on: '2026-06-01', urgent: true })];

  it('is due at the Initial Transfer Meeting dated after the hearing', () =>
    given(inProceedingsWithAssessment(), transferMeeting('2026-06-10', '2026-06-01'))
      .when(hearingHeld({ on: '2026-06-03', kind: 'initial' }))
      .then(
        proposed({
          to: 'Safeguarding',
          from: 'Assessment',
          dueBy: '2026-06-10',
          ruleId: 'assessment-initial-hearing-to-safeguarding',
          basis: 'meeting',
          meeting: 'initial-transfer-meeting',
        }),
      ));

  it('does not take an Initial Transfer Meeting held before the hearing', () =>
    given(inProceedingsWithAssessment(), transferMeeting('2026-06-02', '2026-06-01'))
      .when(hearingHeld({ on: '2026-06-03', kind: 'initial' }))
      .then(proposed({ to: 'Safeguarding', dueBy: null, basis: 'awaiting-date' })));

  it('does not fire at a case management hearing', () =>
    given(inProceedingsWithAssessment())
      .when(hearingHeld({ on: '2026-06-24', kind: 'cmh' }))
      .thenNothingHappened(ruleOutcome('assessment-initial-hearing-to-safeguarding', 'conditions-not-met')));

  it('does not fire for a case Safeguarding already holds', () =>
    given(heldBy('Safeguarding'), proceedingsIssued({ on: '2026-06-01' }))
      .when(hearingHeld({ on: '2026-06-03', kind: 'initial' }))
      .thenNothingHappened(ruleOutcome('assessment-initial-hearing-to-safeguarding', 'not-held-by-from-team')));
});

describe('001 §3 Permanence teams, §3 Safeguarding Interventions — final court care plan to be looked after outside the family home: Safeguarding → Permanence', () => {
  // In proceedings since March on an ICO; the CLA review in June confirms the plan (no transfer:
  // the final court care plan decides while proceedings run).
  const inProceedingsWithSafeguarding = (plan: CaseEventDataByType['CLAReviewHeld']['plan']) => [
    heldBy('Safeguarding'),
    proceedingsIssued({ on: '2026-03-02' }),
    orderMade({ on: '2026-03-05', order: 'ICO' }),
    claReviewHeld({ on: '2026-06-01', sequence: 2, plan }),
  ];

  it('is due at the monthly Initial Transfer Meeting after a final care order', () =>
    given(inProceedingsWithSafeguarding('long-term-fostering'), transferMeeting('2026-09-01', '2026-08-20'))
      .when(orderMade({ on: '2026-08-20', order: 'care-order' }))
      .then(
        proposed({
          to: 'Permanence',
          from: 'Safeguarding',
          dueBy: '2026-09-01',
          ruleId: 'final-care-plan-outside-home-to-permanence',
          basis: 'meeting',
          meeting: 'initial-transfer-meeting',
        }),
      ));

  it('fires on a placement order, awaiting the Initial Transfer Meeting', () =>
    given(inProceedingsWithSafeguarding('adoption'))
      .when(orderMade({ on: '2026-08-20', order: 'placement-order' }))
      .then(proposed({ to: 'Permanence', dueBy: null, basis: 'awaiting-date' })));

  it('does not fire on a care order with a plan for the child to be at home with their parents', () =>
    given(inProceedingsWithSafeguarding('reunification'))
      .when(orderMade({ on: '2026-08-20', order: 'care-order' }))
      .thenNothingHappened(ruleOutcome('final-care-plan-outside-home-to-permanence', 'exception')));

  it('does not fire when proceedings end in a special guardianship order', () =>
    given(inProceedingsWithSafeguarding('special-guardianship'))
      .when(orderMade({ on: '2026-08-20', order: 'SGO' }))
      .thenNothingHappened(ruleOutcome('final-care-plan-outside-home-to-permanence', 'conditions-not-met')));

  it('does not fire on an interim care order', () =>
    given(heldBy('Safeguarding'), proceedingsIssued({ on: '2026-03-02' }))
      .when(orderMade({ on: '2026-03-05', order: 'ICO' }))
      .thenNothingHappened(ruleOutcome('final-care-plan-outside-home-to-permanence', 'conditions-not-met')));
});

describe('001 §3 Safeguarding Interventions — a child in care whose permanent plan is established: Safeguarding → Permanence', () => {
  const accommodatedWithSafeguarding = () => [heldBy('Safeguarding'), accommodated({ on: '2026-01-05', legalBasis: 's20' })];

  it('is due at the monthly Initial Transfer Meeting after a CLA review confirms long-term fostering', () =>
    given(accommodatedWithSafeguarding(), transferMeeting('2026-03-16', '2026-03-02'))
      .when(claReviewHeld({ on: '2026-03-02', sequence: 2, plan: 'long-term-fostering' }))
      .then(
        proposed({
          to: 'Permanence',
          from: 'Safeguarding',
          dueBy: '2026-03-16',
          ruleId: 'permanent-plan-established-to-permanence',
          basis: 'meeting',
          meeting: 'initial-transfer-meeting',
        }),
      ));

  it('does not fire when the plan is for the child to return home', () =>
    given(accommodatedWithSafeguarding())
      .when(claReviewHeld({ on: '2026-03-02', sequence: 2, plan: 'reunification' }))
      .thenNothingHappened(ruleOutcome('permanent-plan-established-to-permanence', 'conditions-not-met')));

  it('does not fire on a special guardianship plan (Safeguarding undertakes those assessments)', () =>
    given(accommodatedWithSafeguarding())
      .when(claReviewHeld({ on: '2026-03-02', sequence: 2, plan: 'special-guardianship' }))
      .thenNothingHappened(ruleOutcome('permanent-plan-established-to-permanence', 'conditions-not-met')));

  it('does not fire while care proceedings run (the final court care plan decides)', () =>
    given(accommodatedWithSafeguarding(), proceedingsIssued({ on: '2026-02-02' }))
      .when(claReviewHeld({ on: '2026-03-02', sequence: 2, plan: 'long-term-fostering' }))
      .thenNothingHappened(ruleOutcome('permanent-plan-established-to-permanence', 'exception')));

  it('does not fire once the child has ceased to be looked after', () =>
    given(accommodatedWithSafeguarding(), ceasedLookedAfter({ on: '2026-02-20' }))
      .when(claReviewHeld({ on: '2026-03-02', sequence: 2, plan: 'long-term-fostering' }))
      .thenNothingHappened(ruleOutcome('permanent-plan-established-to-permanence', 'conditions-not-met')));
});

describe('001 §3 Permanence teams — pathway plan: Permanence → Pathway when the young person turns 18', () => {
  // Born 1 October 2008: 17½ on 1 April 2026, 18 on Thursday 1 October 2026.
  const withPermanence = () => [heldBy('Permanence', { since: '2024-06-03' }), bornOn('2008-10-01')];

  it('is proposed as 17½ approaches, due on the 18th birthday, with the Pathway Advisor allocated by 17½', () =>
    given(withPermanence())
      .when(birthdayApproaching({ ageYears: 17.5, on: '2026-04-01', noticedOn: '2026-03-02' }))
      .then(
        proposed({ to: 'Pathway', from: 'Permanence', dueBy: '2026-10-01', ruleId: 'permanence-to-pathway-at-18', basis: 'timescale' }),
        coWorkRequired({ coWorker: 'Pathway', holder: 'Permanence', dueBy: '2026-04-01', ruleId: 'pathway-advisor-co-works-from-17-and-a-half' }),
      ));

  it('fires at the 18th birthday milestone when nothing was proposed at 17½, with no Pathway Advisor co-working by then', () =>
    given(withPermanence())
      .when(birthdayApproaching({ ageYears: 18, on: '2026-10-01', noticedOn: '2026-09-01' }))
      .then(proposed({ to: 'Pathway', dueBy: '2026-10-01' }), ruleOutcome('pathway-advisor-co-works-from-17-and-a-half', 'conditions-not-met')));

  it('dates the 18th birthday from the 17½ milestone when no date of birth is recorded', () =>
    given(heldBy('Permanence', { since: '2024-06-03' }))
      .when(birthdayApproaching({ ageYears: 17.5, on: '2026-04-01', noticedOn: '2026-03-02' }))
      .then(proposed({ to: 'Pathway', dueBy: '2026-10-01' }), coWorkRequired({ coWorker: 'Pathway', dueBy: '2026-04-01' })));

  it('keeps the case with Permanence when the Pathway Advisor is allocated: responsibility moves at 18', () => {
    const { state } = given(
      withPermanence(),
      birthdayApproaching({ ageYears: 17.5, on: '2026-04-01', noticedOn: '2026-03-02' }),
      caseEvent('WorkerAllocated', '2026-04-01', { team: 'Pathway', workerId: 'PA-1' }),
    );
    expect(state).toMatchObject({ team: 'Permanence', coWorks: [expect.objectContaining({ team: 'Pathway', workerId: 'PA-1' })] });
  });

  it('does not fire at 17', () =>
    given(withPermanence())
      .when(birthdayApproaching({ ageYears: 17, on: '2025-10-01', noticedOn: '2025-09-01' }))
      .thenNothingHappened(ruleOutcome('permanence-to-pathway-at-18', 'conditions-not-met')));

  it('does not fire for a young person Safeguarding holds (the paragraph is about Permanence)', () =>
    given(heldBy('Safeguarding'), bornOn('2008-10-01'))
      .when(birthdayApproaching({ ageYears: 17.5, on: '2026-04-01', noticedOn: '2026-03-02' }))
      .thenNothingHappened(ruleOutcome('permanence-to-pathway-at-18', 'not-held-by-from-team')));
});

describe('001 §3 Safeguarding Interventions — a child moving in on a child protection plan: MASH → Safeguarding, who co-ordinate the Transfer-In Conference', () => {
  const movedIn = (data: Partial<CaseEventDataByType['ChildMoved']>) =>
    caseEvent('ChildMoved', '2026-05-05', { destination: 'into-authority', planned: true, otherAuthority: 'another-la', planOnArrival: 'cp', ...data });

  it('awaits the Transfer-In Conference’s date', () =>
    given()
      .when(movedIn({}))
      .then(proposed({ to: 'Safeguarding', from: 'MASH', dueBy: null, ruleId: 'transfer-in-conference-to-safeguarding', basis: 'awaiting-date', meeting: 'transfer-in-conference' })));

  it('is due at the conference once it is dated', () =>
    given(meetingScheduled({ kind: 'transfer-in-conference', on: '2026-05-26', scheduledOn: '2026-05-05' }))
      .when(movedIn({}))
      .then(proposed({ to: 'Safeguarding', dueBy: '2026-05-26', basis: 'meeting' })));

  it('does not fire for a temporary stay (the exception)', () =>
    given().when(movedIn({ temporary: true })).thenNothingHappened(ruleOutcome('transfer-in-conference-to-safeguarding', 'exception')));

  it('does not fire for a child arriving on a child in need plan (the document names no team for it)', () =>
    given().when(movedIn({ planOnArrival: 'cin' })).thenNothingHappened(ruleOutcome('transfer-in-conference-to-safeguarding', 'conditions-not-met')));

  it('does not fire for a move out to another authority', () =>
    given(heldBy('Safeguarding'))
      .when(movedIn({ destination: 'other-authority' }))
      .thenNothingHappened(ruleOutcome('transfer-in-conference-to-safeguarding', 'not-held-by-from-team')));
});

describe("001 §3 Disabled Children's Teams, §3 MASH — MASH → DCYPS after agreement with the DCS service manager", () => {
  it('is due on the day MASH directs the agreed transfer', () =>
    given(referralReceived({ on: '2026-03-02' }))
      .when(transferRequested('2026-03-03', 'MASH', 'DCYPS'))
      .then(proposed({ to: 'DCYPS', from: 'MASH', dueBy: '2026-03-03', ruleId: 'mash-to-dcyps-by-agreement', basis: 'timescale' })));

  it('does not fire on a request to another team', () =>
    given(referralReceived({ on: '2026-03-02' }))
      .when(transferRequested('2026-03-03', 'MASH', 'Exploitation'))
      .thenNothingHappened(ruleOutcome('mash-to-dcyps-by-agreement', 'conditions-not-met')));
});

describe("001 §3 Disabled Children's Teams — Assessment, Safeguarding or Early Help → DCYPS after agreement with the DCS service manager", () => {
  it('is due at the Initial Transfer Meeting already dated', () =>
    given(heldBy('Safeguarding'), transferMeeting('2026-03-12', '2026-03-02'))
      .when(transferRequested('2026-03-03', 'Safeguarding', 'DCYPS'))
      .then(
        proposed({
          to: 'DCYPS',
          from: 'Safeguarding',
          dueBy: '2026-03-12',
          ruleId: 'agreed-transfer-to-dcyps',
          basis: 'meeting',
          meeting: 'initial-transfer-meeting',
        }),
      ));

  it('takes an agreed transfer from Early Help, awaiting the Initial Transfer Meeting', () =>
    given(heldBy('Early-Help'))
      .when(transferRequested('2026-03-03', 'Early-Help', 'DCYPS'))
      .then(proposed({ to: 'DCYPS', from: 'Early-Help', dueBy: null, basis: 'awaiting-date', ruleId: 'agreed-transfer-to-dcyps' })));

  it('does not fire for the Exploitation Team, which the paragraph does not name', () =>
    given(heldBy('Exploitation'))
      .when(transferRequested('2026-03-03', 'Exploitation', 'DCYPS'))
      .thenNothingHappened(ruleOutcome('agreed-transfer-to-dcyps', 'not-held-by-from-team'), ruleOutcome('mash-to-dcyps-by-agreement', 'not-held-by-from-team')));

  it('does not fire for Permanence', () =>
    given(heldBy('Permanence'))
      .when(transferRequested('2026-03-03', 'Permanence', 'DCYPS'))
      .thenNothingHappened(ruleOutcome('agreed-transfer-to-dcyps', 'not-held-by-from-team')));
});

describe('001 §3 Early Help Service, §3 Safeguarding Interventions — stepped down from Children’s Social Care to Early Help', () => {
  it('is due at the Initial Transfer Meeting after a CIN review steps Safeguarding’s case down', () =>
    given(heldBy('Safeguarding'), cinPlanStarted({ on: '2026-01-05' }), transferMeeting('2026-03-09', '2026-03-02'))
      .when(cinReviewHeld({ on: '2026-03-02', outcome: 'step-down-to-early-help' }))
      .then(
        proposed({
          to: 'Early-Help',
          from: 'Safeguarding',
          dueBy: '2026-03-09',
          ruleId: 'step-down-to-early-help',
          basis: 'meeting',
          meeting: 'initial-transfer-meeting',
        }),
      ));

  it('takes a Single Assessment that concludes early help, awaiting the Initial Transfer Meeting', () =>
    given(heldBy('Assessment'))
      .when(assessmentCompleted('2026-03-02', 'early-help'))
      .then(proposed({ to: 'Early-Help', from: 'Assessment', dueBy: null, basis: 'awaiting-date' })));

  it('takes a step-down decision for a case the Exploitation Team holds', () =>
    given(heldBy('Exploitation'))
      .when(thresholdDecision({ on: '2026-03-02', decision: 'step-down-to-early-help' }))
      .then(proposed({ to: 'Early-Help', from: 'Exploitation', dueBy: null })));

  it('outranks the 12-week CIN transfer when a review past 12 weeks steps the case down', () =>
    given(heldBy('Assessment', { since: '2026-01-05' }), cinPlanStarted({ on: '2026-01-05' }))
      .when(cinReviewHeld({ on: '2026-03-30', outcome: 'step-down-to-early-help' }))
      .then(
        proposed({ to: 'Early-Help', from: 'Assessment', dueBy: null, ruleId: 'step-down-to-early-help' }),
        ruleOutcome('assessment-child-in-need-beyond-12-weeks-to-safeguarding', 'conditions-not-met'),
      ));

  it('does not fire on a Single Assessment that concludes child in need', () =>
    given(heldBy('Assessment'))
      .when(assessmentCompleted('2026-03-02', 'child-in-need'))
      .thenNothingHappened(ruleOutcome('step-down-to-early-help', 'conditions-not-met')));

  it('does not fire for Permanence', () =>
    given(heldBy('Permanence'))
      .when(thresholdDecision({ on: '2026-03-02', decision: 'step-down-to-early-help' }))
      .thenNothingHappened(ruleOutcome('step-down-to-early-help', 'not-held-by-from-team')));

  it('leaves a front-door decision to MASH’s own rule', () =>
    given(referralReceived({ on: '2026-03-02' }))
      .when(thresholdDecision({ on: '2026-03-02', decision: 'early-help' }))
      .then(proposed({ to: 'Early-Help', from: 'MASH', dueBy: '2026-03-02', citing: '§3 MASH' }), ruleOutcome('step-down-to-early-help', 'not-held-by-from-team')));
});

describe('001 §3 Early Help Service, §3 Assessment — stepped up from Early Help for safeguarding concerns: Early Help → Assessment', () => {
  it('is due at the Initial Transfer Meeting already dated', () =>
    given(heldBy('Early-Help'), transferMeeting('2026-03-05', '2026-03-02'))
      .when(thresholdDecision({ on: '2026-03-02', decision: 'step-up-to-social-care' }))
      .then(
        proposed({
          to: 'Assessment',
          from: 'Early-Help',
          dueBy: '2026-03-05',
          ruleId: 'step-up-from-early-help-to-assessment',
          basis: 'meeting',
          meeting: 'initial-transfer-meeting',
        }),
      ));

  it('does not fire on a decision to keep the case in early help', () =>
    given(heldBy('Early-Help'))
      .when(thresholdDecision({ on: '2026-03-02', decision: 'early-help' }))
      .thenNothingHappened(ruleOutcome('step-up-from-early-help-to-assessment', 'conditions-not-met')));

  it('does not fire for a case Safeguarding holds', () =>
    given(heldBy('Safeguarding'))
      .when(thresholdDecision({ on: '2026-03-02', decision: 'step-up-to-social-care' }))
      .thenNothingHappened(ruleOutcome('step-up-from-early-help-to-assessment', 'not-held-by-from-team')));
});

describe('001 §2 Process — one transfer at a time: a case on transfer is not proposed again until managers resolve it', () => {
  it('an ICPC proposes nothing while the pre-proceedings transfer to Safeguarding is open', () =>
    given(heldBy('Assessment'), legalGatewayMeetingHeld('2026-06-01', 'pre-proceedings'))
      .when(icpcHeld({ on: '2026-06-08', outcome: 'cp-plan' }))
      .thenNothingHappened(ruleOutcome('assessment-cp-plan-to-safeguarding-at-icpc', 'already-on-transfer')));
});

// Last in the file, so every scenario above has run: each rule of the pack must have fired in one.
describeEveryRuleFires(pack, spec, { rules: 20 });
