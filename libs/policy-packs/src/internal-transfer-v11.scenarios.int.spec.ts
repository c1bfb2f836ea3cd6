/**
 * Scenarios for policies/internal-transfer-v11.yaml against its seed document,
 * shared/seeds/000_c0d212b149d080fa.txt ("Internal Transfer Process …", version 11).
 *
 * One `describe` per rule, named by the paragraph it cites; the helper checks each decision's
 * citation names that paragraph. Each rule has a scenario that fires it and one that shows its
 * exception or a non-match. Dates are pinned and every dueBy is counted by hand from the calendar,
 * with England and Wales bank holidays: 2026 — 1 Jan, 3 Apr, 6 Apr, 4 May, 25 May, 31 Aug,
 * 25 Dec, 28 Dec; 2027 — 1 Jan.
 */
import * as path from 'node:path';
import { compilePack } from '@cto/domain';
import {
  accommodated,
  birthdayApproaching,
  bornOn,
  caseEvent,
  ceasedLookedAfter,
  childDetails,
  cinPlanStarted,
  cinReviewHeld,
  claReviewHeld,
  disability,
  heldBy,
  icpcHeld,
  meetingScheduled,
  orderMade,
  ploStarted,
  proceedingsIssued,
  proposed,
  referralReceived,
  rescheduled,
  ruleOutcome,
  scenario,
  thresholdDecision,
  describeEveryRuleFires,
  FamilySimulation,
  SCENARIO_AUTHORITY,
  SCENARIO_CHILD_ID,
} from '@cto/testing';
import { loadPolicyPackFile } from './index';

const pack = loadPolicyPackFile(path.resolve(__dirname, '../../../policies/internal-transfer-v11.yaml'));
const compiled = compilePack(pack);
const spec = scenario(compiled);
const { given } = spec;

describe('000 ¶9 — step down: A&I, FSP or CWD → Supporting Families when the threshold is met and the family consents', () => {
  // "In both areas joint meetings take place as a handover point within 10 working days."
  it('is due 10 working days after the decision, skipping the May Day bank holiday', () =>
    given(heldBy('FSP'))
      .when(thresholdDecision({ on: '2026-05-01', decision: 'step-down-to-early-help', familyConsent: true }))
      .then(proposed({ to: 'SF', from: 'FSP', dueBy: '2026-05-18', ruleId: 'step-down-to-supporting-families', basis: 'timescale', fallbackReason: 'undated' })));

  it('is due at the joint handover meeting when it is dated within the 10 working days', () =>
    given(heldBy('CWD'), meetingScheduled({ kind: 'joint-handover-meeting', on: '2026-05-12', scheduledOn: '2026-04-30' }))
      .when(thresholdDecision({ on: '2026-05-01', decision: 'step-down-to-early-help', familyConsent: true }))
      .then(proposed({ to: 'SF', from: 'CWD', dueBy: '2026-05-12', basis: 'meeting', meeting: 'joint-handover-meeting' })));

  // 6 Jan + 6 months is 6 Jul, so ¶11 would be due too, but the step-down ends the CIN plan.
  it('fires at a CIN review that agrees the step-down, ahead of the 6-month CIN transfer', () =>
    given(heldBy('A&I', { since: '2026-01-06' }), cinPlanStarted({ on: '2026-01-20' }))
      .when(cinReviewHeld({ on: '2026-07-07', outcome: 'step-down-to-early-help', familyConsent: true }))
      .then(
        proposed({ to: 'SF', from: 'A&I', dueBy: '2026-07-21', ruleId: 'step-down-to-supporting-families' }),
        ruleOutcome('child-in-need-beyond-6-months-to-fsp', 'conditions-not-met'),
      ));

  it('does not fire when the family does not consent', () =>
    given(heldBy('FSP'))
      .when(thresholdDecision({ on: '2026-05-01', decision: 'step-down-to-early-help', familyConsent: false }))
      .thenNothingHappened(ruleOutcome('step-down-to-supporting-families', 'conditions-not-met')));

  it('does not fire when the family’s consent is not recorded', () =>
    given(heldBy('A&I'))
      .when(cinReviewHeld({ on: '2026-05-01', outcome: 'step-down-to-early-help' }))
      .thenNothingHappened(ruleOutcome('step-down-to-supporting-families', 'conditions-not-met')));

  it('does not fire for a team the paragraph does not step down from', () =>
    given(heldBy('CLA'))
      .when(thresholdDecision({ on: '2026-05-01', decision: 'step-down-to-early-help', familyConsent: true }))
      .thenNothingHappened(ruleOutcome('step-down-to-supporting-families', 'not-held-by-from-team')));
});

describe('000 ¶9 — step up: Supporting Families → A&I once the threshold decision is confirmed and the family informed', () => {
  it('is due 10 working days after the decision', () =>
    given(heldBy('SF'))
      .when(thresholdDecision({ on: '2026-05-01', decision: 'step-up-to-social-care', familyInformed: true }))
      .then(proposed({ to: 'A&I', from: 'SF', dueBy: '2026-05-18', ruleId: 'step-up-from-supporting-families', basis: 'timescale' })));

  it('is due at the joint handover meeting when it is dated within the 10 working days', () =>
    given(heldBy('SF'), meetingScheduled({ kind: 'joint-handover-meeting', on: '2026-05-07', scheduledOn: '2026-05-01' }))
      .when(thresholdDecision({ on: '2026-05-01', decision: 'step-up-to-social-care', familyInformed: true }))
      .then(proposed({ to: 'A&I', dueBy: '2026-05-07', basis: 'meeting', meeting: 'joint-handover-meeting' })));

  it('does not fire until the family is informed', () =>
    given(heldBy('SF'))
      .when(thresholdDecision({ on: '2026-05-01', decision: 'step-up-to-social-care', familyInformed: false }))
      .thenNothingHappened(ruleOutcome('step-up-from-supporting-families', 'conditions-not-met')));

  it('does not fire on a decision to keep the case in early help', () =>
    given(heldBy('SF'))
      .when(thresholdDecision({ on: '2026-05-01', decision: 'early-help', familyInformed: true }))
      .thenNothingHappened(ruleOutcome('step-up-from-supporting-families', 'conditions-not-met')));
});

describe('000 ¶10 — disabled child at the point of contact or referral: front door → CWD', () => {
  it('is due on the day of the referral when the referral records the threshold', () =>
    given()
      .when(referralReceived({ on: '2026-03-02', disability: disability('severe') }))
      .then(proposed({ to: 'CWD', from: 'C-SPOC', dueBy: '2026-03-02', ruleId: 'disabled-child-at-referral-to-cwd', basis: 'timescale' })));

  it('fires at referral on a disability recorded before it', () =>
    given(childDetails({ on: '2026-02-27', disability: disability('profound') }))
      .when(referralReceived({ on: '2026-03-02' }))
      .then(proposed({ to: 'CWD', from: 'C-SPOC', dueBy: '2026-03-02' })));

  it('fires when the details are recorded at the front door after the referral', () =>
    given(referralReceived({ on: '2026-03-02' }))
      .when(childDetails({ on: '2026-03-03', disability: disability('profound') }))
      .then(
        proposed({ to: 'CWD', from: 'C-SPOC', dueBy: '2026-03-03', ruleId: 'disabled-child-at-referral-to-cwd' }),
        ruleOutcome('disabled-child-during-work-to-cwd', 'not-held-by-from-team'),
      ));

  it('does not fire when the child is not severely or profoundly impaired', () =>
    given()
      .when(referralReceived({ on: '2026-03-02', disability: disability('moderate') }))
      .thenNothingHappened(ruleOutcome('disabled-child-at-referral-to-cwd', 'conditions-not-met')));

  it('does not fire when the disability is not permanent or substantial', () =>
    given()
      .when(referralReceived({ on: '2026-03-02', disability: disability('severe', false) }))
      .thenNothingHappened(ruleOutcome('disabled-child-at-referral-to-cwd', 'conditions-not-met')));
});

describe('000 ¶10 — disabled child found during work with the family: A&I or FSP → CWD at the transfer meeting', () => {
  it('awaits the transfer meeting’s date', () =>
    given(heldBy('A&I'))
      .when(childDetails({ on: '2026-03-02', disability: disability('profound') }))
      .then(
        proposed({ to: 'CWD', from: 'A&I', dueBy: null, ruleId: 'disabled-child-during-work-to-cwd', basis: 'awaiting-date', meeting: 'transfer-meeting' }),
        ruleOutcome('disabled-child-at-referral-to-cwd', 'not-held-by-from-team'),
      ));

  it('is dated when the transfer meeting is scheduled', () =>
    given(heldBy('FSP'), childDetails({ on: '2026-03-02', disability: disability('severe') }))
      .when(meetingScheduled({ kind: 'transfer-meeting', on: '2026-03-12', scheduledOn: '2026-03-03' }))
      .then(rescheduled({ previousDueBy: null, dueBy: '2026-03-12', basis: 'meeting', meeting: 'transfer-meeting', ruleId: 'disabled-child-during-work-to-cwd' })));

  it('does not fire when the impairment is below the threshold', () =>
    given(heldBy('A&I'))
      .when(childDetails({ on: '2026-03-02', disability: disability('mild') }))
      .thenNothingHappened(ruleOutcome('disabled-child-during-work-to-cwd', 'conditions-not-met')));

  it('does not fire for a child already with CWD', () =>
    given(heldBy('CWD'))
      .when(childDetails({ on: '2026-03-02', disability: disability('profound') }))
      .thenNothingHappened(ruleOutcome('disabled-child-during-work-to-cwd', 'not-held-by-from-team')));
});

describe('000 ¶11 — child in need, involvement extended beyond 6 months: A&I → FSP', () => {
  // A&I's involvement began on Tuesday 6 January 2026: 6 months run to Monday 6 July.
  const inNeedWithAandI = [heldBy('A&I', { since: '2026-01-06' }), cinPlanStarted({ on: '2026-01-20' })];

  it('fires at the first CIN review beyond 6 months, awaiting the transfer meeting', () =>
    given(inNeedWithAandI)
      .when(cinReviewHeld({ on: '2026-07-07' }))
      .then(proposed({ to: 'FSP', from: 'A&I', dueBy: null, ruleId: 'child-in-need-beyond-6-months-to-fsp', basis: 'awaiting-date', meeting: 'transfer-meeting' })));

  it('counts from the team’s involvement, not the current worker’s', () =>
    given(inNeedWithAandI, heldBy('A&I', { since: '2026-03-02', workerId: 'W-2' }))
      .when(cinReviewHeld({ on: '2026-07-07' }))
      .then(proposed({ to: 'FSP', dueBy: null })));

  it('is due at a transfer meeting already dated', () =>
    given(inNeedWithAandI, meetingScheduled({ kind: 'transfer-meeting', on: '2026-07-15', scheduledOn: '2026-07-01' }))
      .when(cinReviewHeld({ on: '2026-07-07' }))
      .then(proposed({ to: 'FSP', dueBy: '2026-07-15', basis: 'meeting' })));

  it('does not fire at exactly 6 months', () =>
    given(inNeedWithAandI)
      .when(cinReviewHeld({ on: '2026-07-06' }))
      .thenNothingHappened(ruleOutcome('child-in-need-beyond-6-months-to-fsp', 'conditions-not-met')));

  it('does not fire within 6 months', () =>
    given(inNeedWithAandI)
      .when(cinReviewHeld({ on: '2026-04-07' }))
      .thenNothingHappened(ruleOutcome('child-in-need-beyond-6-months-to-fsp', 'conditions-not-met')));

  it('does not fire once the CIN plan has ended', () =>
    given(inNeedWithAandI, cinReviewHeld({ on: '2026-04-07', outcome: 'close' }))
      .when(cinReviewHeld({ on: '2026-07-07' }))
      .thenNothingHappened(ruleOutcome('child-in-need-beyond-6-months-to-fsp', 'conditions-not-met')));

  // The pack's reading (rule `reading`): "extended" is a decision a review takes, so time alone proposes nothing.
  it('proposes nothing when the 6 months pass with no review extending involvement (a fact after them is not a review)', () => {
    expect(pack.rules.find((r) => r.id === 'child-in-need-beyond-6-months-to-fsp')?.reading?.text).toMatch(/the 6 months alone propose nothing/);
    return given(inNeedWithAandI)
      .when(meetingScheduled({ kind: 'transfer-meeting', on: '2026-07-20', scheduledOn: '2026-07-08' }))
      .thenNothingHappened();
  });

  it('does not fire for a child in need held by FSP', () =>
    given(heldBy('FSP', { since: '2026-01-06' }), cinPlanStarted({ on: '2026-01-20' }))
      .when(cinReviewHeld({ on: '2026-07-07' }))
      .thenNothingHappened(ruleOutcome('child-in-need-beyond-6-months-to-fsp', 'not-held-by-from-team')));
});

describe('000 ¶12 — ICPC, CP plan: A&I → FSP at the initial core group', () => {
  it('is due 10 working days on, skipping the May Day bank holiday', () =>
    given(heldBy('A&I'))
      .when(icpcHeld({ on: '2026-05-01', outcome: 'cp-plan' }))
      .then(proposed({ to: 'FSP', from: 'A&I', dueBy: '2026-05-18', ruleId: 'child-protection-plan-to-fsp', basis: 'timescale', fallbackReason: 'undated' })));

  it('is due 10 working days on, skipping the August bank holiday', () =>
    given(heldBy('A&I')).when(icpcHeld({ on: '2026-08-27', outcome: 'cp-plan' })).then(proposed({ to: 'FSP', dueBy: '2026-09-11' })));

  it('is due 10 working days on, skipping Christmas, Boxing Day’s substitute and New Year’s Day', () =>
    given(heldBy('A&I')).when(icpcHeld({ on: '2026-12-18', outcome: 'cp-plan' })).then(proposed({ to: 'FSP', dueBy: '2027-01-06' })));

  it('is due at the initial core group when it is held sooner', () =>
    given(heldBy('A&I'), meetingScheduled({ kind: 'initial-core-group', on: '2026-05-08', scheduledOn: '2026-05-01' }))
      .when(icpcHeld({ on: '2026-05-01', outcome: 'cp-plan' }))
      .then(proposed({ to: 'FSP', dueBy: '2026-05-08', basis: 'meeting', meeting: 'initial-core-group', fallbackReason: null })));

  it('keeps the 10 working days when the core group is scheduled later than that', () =>
    given(heldBy('A&I'), meetingScheduled({ kind: 'initial-core-group', on: '2026-05-20', scheduledOn: '2026-05-01' }))
      .when(icpcHeld({ on: '2026-05-01', outcome: 'cp-plan' }))
      .then(proposed({ to: 'FSP', dueBy: '2026-05-18', basis: 'timescale', fallbackReason: 'after-timescale' })));

  it('moves to the core group’s date when it is scheduled after the ICPC, within the 10 working days', () =>
    given(heldBy('A&I'), icpcHeld({ on: '2026-05-01', outcome: 'cp-plan' }))
      .when(meetingScheduled({ kind: 'initial-core-group', on: '2026-05-08', scheduledOn: '2026-05-05' }))
      .then(rescheduled({ previousDueBy: '2026-05-18', dueBy: '2026-05-08', basis: 'meeting', ruleId: 'child-protection-plan-to-fsp' })));

  it('stays at the 10 working days when the core group is scheduled after the ICPC, beyond them', () =>
    given(heldBy('A&I'), icpcHeld({ on: '2026-05-01', outcome: 'cp-plan' }))
      .when(meetingScheduled({ kind: 'initial-core-group', on: '2026-05-20', scheduledOn: '2026-05-05' }))
      .thenNothingHappened());

  it('does not fire when the ICPC agrees a CIN plan', () =>
    given(heldBy('A&I'))
      .when(icpcHeld({ on: '2026-05-01', outcome: 'cin-plan' }))
      .thenNothingHappened(ruleOutcome('child-protection-plan-to-fsp', 'conditions-not-met')));

  it('does not fire for a case already held by FSP', () =>
    given(heldBy('FSP'))
      .when(icpcHeld({ on: '2026-05-01', outcome: 'cp-plan' }))
      .thenNothingHappened(ruleOutcome('child-protection-plan-to-fsp', 'not-held-by-from-team')));
});

describe('000 ¶13 — PLO: A&I → FSP at the initial PLO review meeting', () => {
  it('awaits the initial PLO review’s date', () =>
    given(heldBy('A&I'))
      .when(ploStarted({ on: '2026-03-02' }))
      .then(proposed({ to: 'FSP', from: 'A&I', dueBy: null, ruleId: 'plo-to-fsp', basis: 'awaiting-date', meeting: 'initial-plo-review' })));

  it('is due at the initial PLO review when it is already dated', () =>
    given(heldBy('A&I'), meetingScheduled({ kind: 'initial-plo-review', on: '2026-03-16', scheduledOn: '2026-02-27' }))
      .when(ploStarted({ on: '2026-03-02' }))
      .then(proposed({ to: 'FSP', dueBy: '2026-03-16', basis: 'meeting', meeting: 'initial-plo-review' })));

  it('is dated when the initial PLO review is scheduled', () =>
    given(heldBy('A&I'), ploStarted({ on: '2026-03-02' }))
      .when(meetingScheduled({ kind: 'initial-plo-review', on: '2026-03-16', scheduledOn: '2026-03-03' }))
      .then(rescheduled({ previousDueBy: null, dueBy: '2026-03-16', basis: 'meeting', ruleId: 'plo-to-fsp' })));

  it('does not take a PLO review dated before PLO started as the handover point', () =>
    given(heldBy('A&I'), meetingScheduled({ kind: 'initial-plo-review', on: '2026-02-16', scheduledOn: '2026-02-02' }))
      .when(ploStarted({ on: '2026-03-02' }))
      .then(proposed({ to: 'FSP', dueBy: null, basis: 'awaiting-date' })));

  it('does not fire for a case already held by FSP', () =>
    given(heldBy('FSP')).when(ploStarted({ on: '2026-03-02' })).thenNothingHappened(ruleOutcome('plo-to-fsp', 'not-held-by-from-team')));
});

describe('000 ¶14 — legal proceedings, ICO agreed: A&I → FSP from the CMH, or earlier after a managers’ meeting', () => {
  // The ICO is made on Monday 1 June 2026; 3 weeks on is Monday 22 June.
  const ico = () => orderMade({ on: '2026-06-01', order: 'ICO' });
  const listed = (kind: 'cmh' | 'managers-transfer-meeting', on: string) => meetingScheduled({ kind, on, scheduledOn: '2026-05-28' });
  const inProceedingsWithAandI = () => [heldBy('A&I'), proceedingsIssued({ on: '2026-05-28' })];

  it('is due at the CMH when it is within 3 weeks', () =>
    given(inProceedingsWithAandI(), listed('cmh', '2026-06-15'))
      .when(ico())
      .then(proposed({ to: 'FSP', from: 'A&I', dueBy: '2026-06-15', ruleId: 'interim-care-order-to-fsp', basis: 'meeting', meeting: 'cmh', fallbackReason: null })));

  it('is due at the CMH when it is exactly 3 weeks away', () =>
    given(inProceedingsWithAandI(), listed('cmh', '2026-06-22'))
      .when(ico())
      .then(proposed({ to: 'FSP', dueBy: '2026-06-22', meeting: 'cmh', fallbackReason: null })));

  it('is due at the managers’ meeting when the CMH is more than 3 weeks away and they meet at least 5 days before it', () =>
    given(inProceedingsWithAandI(), listed('cmh', '2026-07-06'), listed('managers-transfer-meeting', '2026-06-26'))
      .when(ico())
      .then(proposed({ to: 'FSP', dueBy: '2026-06-26', basis: 'meeting', meeting: 'managers-transfer-meeting', fallbackReason: 'too-far-away' })));

  it('is due at the managers’ meeting held exactly 5 days before the CMH', () =>
    given(inProceedingsWithAandI(), listed('cmh', '2026-07-06'), listed('managers-transfer-meeting', '2026-07-01'))
      .when(ico())
      .then(proposed({ to: 'FSP', dueBy: '2026-07-01', meeting: 'managers-transfer-meeting' })));

  it('counts a CMH one day beyond 3 weeks as more than 3 weeks away', () =>
    given(inProceedingsWithAandI(), listed('cmh', '2026-06-23'), listed('managers-transfer-meeting', '2026-06-18'))
      .when(ico())
      .then(proposed({ to: 'FSP', dueBy: '2026-06-18', meeting: 'managers-transfer-meeting', fallbackReason: 'too-far-away' })));

  it('stays with A&I until the CMH when the CMH is more than 3 weeks away and no managers’ meeting is scheduled', () =>
    given(inProceedingsWithAandI(), listed('cmh', '2026-07-06'))
      .when(ico())
      .then(proposed({ to: 'FSP', dueBy: '2026-07-06', basis: 'meeting', meeting: 'cmh', fallbackReason: 'too-far-away' })));

  it('stays with A&I until the CMH when the managers meet less than 5 days before it', () =>
    given(inProceedingsWithAandI(), listed('cmh', '2026-07-06'), listed('managers-transfer-meeting', '2026-07-02'))
      .when(ico())
      .then(proposed({ to: 'FSP', dueBy: '2026-07-06', basis: 'meeting', meeting: 'cmh', fallbackReason: 'too-far-away' })));

  it('awaits the CMH’s date when it is not yet listed', () =>
    given(inProceedingsWithAandI())
      .when(ico())
      .then(proposed({ to: 'FSP', dueBy: null, basis: 'awaiting-date', meeting: 'cmh', fallbackReason: 'undated' })));

  it('is re-dated to the CMH when it is listed within 3 weeks', () =>
    given(inProceedingsWithAandI(), ico())
      .when(meetingScheduled({ kind: 'cmh', on: '2026-06-15', scheduledOn: '2026-06-02' }))
      .then(rescheduled({ previousDueBy: null, dueBy: '2026-06-15', basis: 'meeting', meeting: 'cmh', ruleId: 'interim-care-order-to-fsp' })));

  it('is re-dated to the CMH when it is listed more than 3 weeks away, until the managers meet', () =>
    given(inProceedingsWithAandI(), ico())
      .when(meetingScheduled({ kind: 'cmh', on: '2026-07-06', scheduledOn: '2026-06-02' }))
      .then(rescheduled({ previousDueBy: null, dueBy: '2026-07-06', meeting: 'cmh', fallbackReason: 'too-far-away' })));

  it('is re-dated to the managers’ meeting once it is scheduled at least 5 days before a distant CMH', () =>
    given(inProceedingsWithAandI(), ico(), meetingScheduled({ kind: 'cmh', on: '2026-07-06', scheduledOn: '2026-06-02' }))
      .when(meetingScheduled({ kind: 'managers-transfer-meeting', on: '2026-06-26', scheduledOn: '2026-06-03' }))
      .then(rescheduled({ previousDueBy: '2026-07-06', dueBy: '2026-06-26', basis: 'meeting', meeting: 'managers-transfer-meeting' })));

  it('is not re-dated by a managers’ meeting less than 5 days before a distant CMH', () =>
    given(inProceedingsWithAandI(), ico(), meetingScheduled({ kind: 'cmh', on: '2026-07-06', scheduledOn: '2026-06-02' }))
      .when(meetingScheduled({ kind: 'managers-transfer-meeting', on: '2026-07-03', scheduledOn: '2026-06-03' }))
      .thenNothingHappened());

  it('does not fire on an interim supervision order', () =>
    given(inProceedingsWithAandI())
      .when(orderMade({ on: '2026-06-01', order: 'ISO' }))
      .thenNothingHappened(ruleOutcome('interim-care-order-to-fsp', 'conditions-not-met')));

  it('does not fire for a case already held by FSP', () =>
    given(heldBy('FSP'), proceedingsIssued({ on: '2026-05-28' }))
      .when(ico())
      .thenNothingHappened(ruleOutcome('interim-care-order-to-fsp', 'not-held-by-from-team')));
});

describe('000 ¶15 — 16- and 17-year-olds accommodated in the Family Courts or under section 20: A&I or FSP → 16+', () => {
  // Born 15 January 2010: 16 since 15 January 2026.
  const sixteen = bornOn('2010-01-15');

  it('takes a 16-year-old accommodated under section 20 from A&I, ahead of the flowchart’s direct route to CLA', () =>
    given(heldBy('A&I'), sixteen)
      .when(accommodated({ on: '2026-03-02', legalBasis: 's20' }))
      .then(
        proposed({ to: '16+', from: 'A&I', dueBy: null, ruleId: 'accommodated-16-or-17-to-16-plus', basis: 'awaiting-date', meeting: 'transfer-meeting' }),
        ruleOutcome('assessment-direct-to-cla-section-20', 'lower-priority'),
      ));

  it('takes a 16-year-old accommodated under section 20 from FSP, ahead of ¶18', () =>
    given(heldBy('FSP'), sixteen)
      .when(accommodated({ on: '2026-03-02', legalBasis: 's20' }))
      .then(proposed({ to: '16+', from: 'FSP', dueBy: null }), ruleOutcome('section-20-before-month-6-to-cla', 'lower-priority')));

  it('takes a 16-year-old on an ICO from A&I, ahead of ¶14', () =>
    given(heldBy('A&I'), sixteen, proceedingsIssued({ on: '2026-05-28' }))
      .when(orderMade({ on: '2026-06-01', order: 'ICO' }))
      .then(proposed({ to: '16+', from: 'A&I', dueBy: null }), ruleOutcome('interim-care-order-to-fsp', 'lower-priority')));

  it('takes a 16-year-old on a final care order from FSP, ahead of ¶17 and ¶22', () =>
    given(heldBy('FSP'), sixteen, proceedingsIssued({ on: '2026-05-05' }))
      .when(orderMade({ on: '2026-08-20', order: 'care-order' }))
      .then(proposed({ to: '16+', from: 'FSP', dueBy: null }), ruleOutcome('final-order-to-cla', 'lower-priority')));

  it('takes a 16-year-old on a final care order from A&I, ahead of the flowchart’s direct route to CLA', () =>
    given(heldBy('A&I'), sixteen, proceedingsIssued({ on: '2026-05-05' }))
      .when(orderMade({ on: '2026-08-20', order: 'care-order' }))
      .then(proposed({ to: '16+', from: 'A&I', dueBy: null }), ruleOutcome('assessment-direct-to-cla-final-order', 'lower-priority')));

  it('is due at a transfer meeting already dated', () =>
    given(heldBy('FSP'), sixteen, meetingScheduled({ kind: 'transfer-meeting', on: '2026-03-10', scheduledOn: '2026-02-27' }))
      .when(accommodated({ on: '2026-03-02', legalBasis: 's20' }))
      .then(proposed({ to: '16+', dueBy: '2026-03-10', basis: 'meeting', meeting: 'transfer-meeting' })));

  it('fires on the 16th birthday itself', () =>
    given(heldBy('FSP'), bornOn('2010-03-02'))
      .when(accommodated({ on: '2026-03-02', legalBasis: 's20' }))
      .then(proposed({ to: '16+', dueBy: null })));

  it('leaves a child accommodated the day before the 16th birthday to ¶18', () =>
    given(heldBy('FSP'), bornOn('2010-03-03'))
      .when(accommodated({ on: '2026-03-02', legalBasis: 's20' }))
      .then(proposed({ to: 'CLA', dueBy: '2026-09-02', citing: '¶18' }), ruleOutcome('accommodated-16-or-17-to-16-plus', 'conditions-not-met')));

  it('does not fire at 18', () =>
    given(heldBy('FSP'), bornOn('2008-03-01'))
      .when(orderMade({ on: '2026-03-02', order: 'care-order' }))
      .thenRule('accommodated-16-or-17-to-16-plus', 'conditions-not-met'));

  it('does not fire for a 16-year-old held by CLA', () =>
    given(heldBy('CLA'), sixteen)
      .when(accommodated({ on: '2026-03-02', legalBasis: 's20' }))
      .thenNothingHappened(ruleOutcome('accommodated-16-or-17-to-16-plus', 'not-held-by-from-team')));
});

describe('000 ¶16 — a 16-year-old who remains looked after: A&I or FSP → 16+ by the 16th birthday', () => {
  // Born 1 October 2010, on an ICO since June 2026 (at 15, so ¶15 did not take the case).
  const lookedAfterWithFSP = () => [heldBy('FSP'), bornOn('2010-10-01'), proceedingsIssued({ on: '2026-05-28' }), orderMade({ on: '2026-06-01', order: 'ICO' })];
  const sixteenthBirthday = () => birthdayApproaching({ ageYears: 16, on: '2026-10-01', noticedOn: '2026-09-01' });

  it('is due on the 16th birthday, when leaving care entitlement starts', () =>
    given(lookedAfterWithFSP())
      .when(sixteenthBirthday())
      .then(proposed({ to: '16+', from: 'FSP', dueBy: '2026-10-01', ruleId: 'looked-after-at-16-to-16-plus', basis: 'timescale' })));

  it('dates the birthday from the milestone itself when no date of birth is recorded', () =>
    given(heldBy('FSP'), orderMade({ on: '2026-06-01', order: 'ICO' }))
      .when(sixteenthBirthday())
      .then(proposed({ to: '16+', dueBy: '2026-10-01' })));

  it('fires for a child looked after under section 20 while with A&I', () =>
    given(heldBy('A&I'), bornOn('2010-10-01'), accommodated({ on: '2026-06-01', legalBasis: 's20', planToIssueProceedings: true }))
      .when(sixteenthBirthday())
      .then(proposed({ to: '16+', from: 'A&I', dueBy: '2026-10-01' })));

  it('does not fire for a child who is not looked after', () =>
    given(heldBy('FSP'), bornOn('2010-10-01'))
      .when(sixteenthBirthday())
      .thenNothingHappened(ruleOutcome('looked-after-at-16-to-16-plus', 'conditions-not-met')));

  it('does not fire once the child has ceased to be looked after', () =>
    given(lookedAfterWithFSP(), ceasedLookedAfter({ on: '2026-08-03' }))
      .when(sixteenthBirthday())
      .thenNothingHappened(ruleOutcome('looked-after-at-16-to-16-plus', 'conditions-not-met')));

  it('does not fire at the 17th birthday', () =>
    given(lookedAfterWithFSP())
      .when(birthdayApproaching({ ageYears: 17, on: '2027-10-01', noticedOn: '2027-09-01' }))
      .thenNothingHappened(ruleOutcome('looked-after-at-16-to-16-plus', 'conditions-not-met')));
});

describe('000 ¶17, ¶22 — care proceedings concluded with a care or placement order: FSP → CLA within 10 working days', () => {
  const inProceedingsWithFSP = () => [heldBy('FSP'), proceedingsIssued({ on: '2026-05-05' })];

  it('is due 10 working days after a care order, skipping the August bank holiday', () =>
    given(inProceedingsWithFSP())
      .when(orderMade({ on: '2026-08-20', order: 'care-order' }))
      .then(proposed({ to: 'CLA', from: 'FSP', dueBy: '2026-09-04', ruleId: 'final-order-to-cla', basis: 'timescale' })));

  it('is due 10 working days after a placement order, skipping Christmas and New Year', () =>
    given(inProceedingsWithFSP())
      .when(orderMade({ on: '2026-12-18', order: 'placement-order' }))
      .then(proposed({ to: 'CLA', dueBy: '2027-01-06' })));

  it('does not fire when proceedings end in a special guardianship order', () =>
    given(inProceedingsWithFSP())
      .when(orderMade({ on: '2026-08-20', order: 'SGO' }))
      .thenNothingHappened(ruleOutcome('final-order-to-cla', 'conditions-not-met')));

  it('does not fire on a supervision order', () =>
    given(inProceedingsWithFSP())
      .when(orderMade({ on: '2026-08-20', order: 'supervision-order' }))
      .thenNothingHappened(ruleOutcome('final-order-to-cla', 'conditions-not-met')));

  it('does not fire for a case already held by CLA', () =>
    given(heldBy('CLA'))
      .when(orderMade({ on: '2026-08-20', order: 'care-order' }))
      .thenNothingHappened(ruleOutcome('final-order-to-cla', 'not-held-by-from-team')));
});

describe('000 ¶21, ¶23 — CLA is told before the final hearing: preparation for the ¶22 handover, not a transfer point', () => {
  it('proposes nothing when the final hearing is listed; the final care order then proposes FSP → CLA (¶22)', () =>
    given(heldBy('FSP'), bornOn('2014-02-10'), proceedingsIssued({ on: '2026-05-05' }))
      .when(meetingScheduled({ kind: 'final-hearing', on: '2026-08-20', scheduledOn: '2026-07-01' }))
      .thenNothingHappened());

  it('the final order after a listed final hearing is proposed once, citing ¶22', () =>
    given(heldBy('FSP'), bornOn('2014-02-10'), proceedingsIssued({ on: '2026-05-05' }), meetingScheduled({ kind: 'final-hearing', on: '2026-08-20', scheduledOn: '2026-07-01' }))
      .when(orderMade({ on: '2026-08-20', order: 'care-order' }))
      .then(proposed({ to: 'CLA', from: 'FSP', dueBy: '2026-09-04', ruleId: 'final-order-to-cla', citing: '¶22' })));
});

describe('000 ¶18 — entering care under section 20 with no plan to issue proceedings: FSP → CLA before month 6', () => {
  it('is due 6 months after the child is accommodated', () =>
    given(heldBy('FSP'))
      .when(accommodated({ on: '2026-03-02', legalBasis: 's20' }))
      .then(proposed({ to: 'CLA', from: 'FSP', dueBy: '2026-09-02', ruleId: 'section-20-before-month-6-to-cla', basis: 'timescale' })));

  it('counts the 6 months to the end of a shorter month', () =>
    given(heldBy('FSP')).when(accommodated({ on: '2026-03-31', legalBasis: 's20' })).then(proposed({ to: 'CLA', dueBy: '2026-09-30' })));

  it('does not fire when there is a plan to issue proceedings', () =>
    given(heldBy('FSP'))
      .when(accommodated({ on: '2026-03-02', legalBasis: 's20', planToIssueProceedings: true }))
      .thenNothingHappened(ruleOutcome('section-20-before-month-6-to-cla', 'exception')));

  it('does not fire for a child in police protection', () =>
    given(heldBy('FSP'))
      .when(accommodated({ on: '2026-03-02', legalBasis: 'police-protection' }))
      .thenNothingHappened(ruleOutcome('section-20-before-month-6-to-cla', 'conditions-not-met')));
});

describe('000 ¶19 — remaining looked after with no reunification planned: FSP → CLA', () => {
  const lookedAfterWithFSP = () => [heldBy('FSP'), proceedingsIssued({ on: '2026-01-28' }), orderMade({ on: '2026-02-02', order: 'ICO' })];

  it('fires at a CLA review with a plan of long-term fostering, awaiting the transfer meeting', () =>
    given(lookedAfterWithFSP())
      .when(claReviewHeld({ on: '2026-03-02', plan: 'long-term-fostering' }))
      .then(proposed({ to: 'CLA', from: 'FSP', dueBy: null, ruleId: 'looked-after-no-reunification-to-cla', basis: 'awaiting-date', meeting: 'transfer-meeting' })));

  it('fires at a CLA review with a plan of adoption', () =>
    given(lookedAfterWithFSP()).when(claReviewHeld({ on: '2026-03-02', plan: 'adoption' })).then(proposed({ to: 'CLA', dueBy: null })));

  it('does not fire when reunification is planned', () =>
    given(lookedAfterWithFSP())
      .when(claReviewHeld({ on: '2026-03-02', plan: 'reunification' }))
      .thenNothingHappened(ruleOutcome('looked-after-no-reunification-to-cla', 'exception')));

  it('does not fire once the child has ceased to be looked after', () =>
    given(lookedAfterWithFSP(), ceasedLookedAfter({ on: '2026-02-20' }))
      .when(claReviewHeld({ on: '2026-03-02', plan: 'long-term-fostering' }))
      .thenNothingHappened(ruleOutcome('looked-after-no-reunification-to-cla', 'conditions-not-met')));
});

describe('000 ¶20 — CLA → 16+: considered at 15½ via the transfer panel, before the 16th birthday', () => {
  // Born 1 October 2010: 15½ on 1 April 2026, 16 on 1 October 2026.
  const withCLA = () => [heldBy('CLA', { since: '2025-06-02' }), bornOn('2010-10-01')];
  const fifteenAndAHalf = () => birthdayApproaching({ ageYears: 15.5, on: '2026-04-01', noticedOn: '2026-03-02' });

  it('fires as 15½ approaches, due by the 16th birthday while the panel is not dated', () =>
    given(withCLA())
      .when(fifteenAndAHalf())
      .then(proposed({ to: '16+', from: 'CLA', dueBy: '2026-10-01', ruleId: 'cla-to-16-plus-at-15-and-a-half', basis: 'timescale', fallbackReason: 'undated' })));

  it('is due at the transfer panel when it sits before the 16th birthday', () =>
    given(withCLA(), meetingScheduled({ kind: 'transfer-panel', on: '2026-04-14', scheduledOn: '2026-02-16' }))
      .when(fifteenAndAHalf())
      .then(proposed({ to: '16+', dueBy: '2026-04-14', basis: 'meeting', meeting: 'transfer-panel' })));

  it('keeps the 16th birthday when the panel sits after it', () =>
    given(withCLA(), meetingScheduled({ kind: 'transfer-panel', on: '2026-10-15', scheduledOn: '2026-02-16' }))
      .when(fifteenAndAHalf())
      .then(proposed({ to: '16+', dueBy: '2026-10-01', basis: 'timescale', fallbackReason: 'after-timescale' })));

  it('is re-dated when the transfer panel is scheduled', () =>
    given(withCLA(), fifteenAndAHalf())
      .when(meetingScheduled({ kind: 'transfer-panel', on: '2026-04-14', scheduledOn: '2026-03-09' }))
      .then(rescheduled({ previousDueBy: '2026-10-01', dueBy: '2026-04-14', basis: 'meeting', ruleId: 'cla-to-16-plus-at-15-and-a-half' })));

  it('fires at a CLA review held after 15½', () =>
    given(withCLA()).when(claReviewHeld({ on: '2026-05-05', sequence: 4 })).then(proposed({ to: '16+', dueBy: '2026-10-01' })));

  it('fires at the 16th birthday for a child still with CLA (¶16 is for A&I and FSP)', () =>
    given(withCLA())
      .when(birthdayApproaching({ ageYears: 16, on: '2026-10-01', noticedOn: '2026-09-01' }))
      .then(proposed({ to: '16+', dueBy: '2026-10-01' }), ruleOutcome('looked-after-at-16-to-16-plus', 'not-held-by-from-team')));

  it('does not fire at a CLA review before 15½', () =>
    given(withCLA())
      .when(claReviewHeld({ on: '2026-01-05', sequence: 3 }))
      .thenNothingHappened(ruleOutcome('cla-to-16-plus-at-15-and-a-half', 'conditions-not-met')));

  it('does not fire for a child held by FSP', () =>
    given(heldBy('FSP'), bornOn('2010-10-01'))
      .when(fifteenAndAHalf())
      .thenNothingHappened(ruleOutcome('cla-to-16-plus-at-15-and-a-half', 'not-held-by-from-team')));
});

describe('000 Case Transfer Flowchart — directly from assessment to CLA: accommodated under section 20', () => {
  it('takes a child accommodated under section 20 from A&I straight to CLA, awaiting the transfer meeting', () =>
    given(heldBy('A&I'), bornOn('2014-02-10'))
      .when(accommodated({ on: '2026-03-02', legalBasis: 's20' }))
      .then(proposed({ to: 'CLA', from: 'A&I', dueBy: null, ruleId: 'assessment-direct-to-cla-section-20', basis: 'awaiting-date', meeting: 'transfer-meeting' })));

  it('does not fire when there is a plan to issue proceedings (the FSP route, ¶14)', () =>
    given(heldBy('A&I'), bornOn('2014-02-10'))
      .when(accommodated({ on: '2026-03-02', legalBasis: 's20', planToIssueProceedings: true }))
      .thenNothingHappened(ruleOutcome('assessment-direct-to-cla-section-20', 'exception')));

  it('does not fire for a child in police protection', () =>
    given(heldBy('A&I'), bornOn('2014-02-10'))
      .when(accommodated({ on: '2026-03-02', legalBasis: 'police-protection' }))
      .thenNothingHappened(ruleOutcome('assessment-direct-to-cla-section-20', 'conditions-not-met')));
});

describe('000 Case Transfer Flowchart, ¶22 — directly from assessment to CLA: a final order made while A&I holds the case', () => {
  const inProceedingsWithAandI = () => [heldBy('A&I'), bornOn('2014-02-10'), proceedingsIssued({ on: '2026-05-05' })];

  it('is due 10 working days after a care order, skipping the August bank holiday', () =>
    given(inProceedingsWithAandI())
      .when(orderMade({ on: '2026-08-20', order: 'care-order' }))
      .then(proposed({ to: 'CLA', from: 'A&I', dueBy: '2026-09-04', ruleId: 'assessment-direct-to-cla-final-order', basis: 'timescale' })));

  it('fires on a placement order', () =>
    given(inProceedingsWithAandI()).when(orderMade({ on: '2026-08-20', order: 'placement-order' })).then(proposed({ to: 'CLA', dueBy: '2026-09-04' })));

  it('does not fire on an ICO, which takes the FSP route (¶14)', () =>
    given(inProceedingsWithAandI())
      .when(orderMade({ on: '2026-06-01', order: 'ICO' }))
      .then(proposed({ to: 'FSP', dueBy: null, citing: '¶14' }), ruleOutcome('assessment-direct-to-cla-final-order', 'conditions-not-met')));

  it('does not fire on a special guardianship order', () =>
    given(inProceedingsWithAandI())
      .when(orderMade({ on: '2026-08-20', order: 'SGO' }))
      .thenNothingHappened(ruleOutcome('assessment-direct-to-cla-final-order', 'conditions-not-met')));
});

// Last in the file, so every scenario above has run: each rule of the pack must have fired in one.
describe('000 ¶1 — the minimum number of transitions: one open transfer at a time', () => {
  it('a final care order proposes nothing while the 16+ transfer of a 16-year-old is open (¶15 before ¶22)', () =>
    given(heldBy('FSP'), bornOn('2010-01-15'), proceedingsIssued({ on: '2026-05-28' }), orderMade({ on: '2026-06-01', order: 'ICO' }))
      .when(orderMade({ on: '2026-08-20', order: 'care-order' }))
      .thenNothingHappened(ruleOutcome('final-order-to-cla', 'already-on-transfer')));

  it('a CLA review proposes nothing while a 16+ transfer is open (¶15 before ¶19)', () =>
    given(heldBy('FSP'), bornOn('2010-01-15'), accommodated({ on: '2026-03-02', legalBasis: 's20' }))
      .when(claReviewHeld({ on: '2026-04-01' }))
      .thenNothingHappened(ruleOutcome('looked-after-no-reunification-to-cla', 'already-on-transfer')));

  it('an ICO after a section 20 placement with A&I proposes nothing while the CLA transfer is open', () =>
    given(heldBy('A&I'), bornOn('2014-02-10'), accommodated({ on: '2026-03-02', legalBasis: 's20' }))
      .when(orderMade({ on: '2026-06-01', order: 'ICO' }))
      .thenNothingHappened(ruleOutcome('interim-care-order-to-fsp', 'already-on-transfer')));
});

describe('000 ¶15 — only the Family Courts or section 20: police protection and remand are not this route', () => {
  it('does not fire for police protection', () =>
    given(heldBy('FSP'), bornOn('2010-01-15'))
      .when(accommodated({ on: '2026-03-02', legalBasis: 'police-protection' }))
      .thenNothingHappened(ruleOutcome('accommodated-16-or-17-to-16-plus', 'conditions-not-met')));

  it('does not fire for remand', () =>
    given(heldBy('A&I'), bornOn('2010-01-15'))
      .when(accommodated({ on: '2026-03-02', legalBasis: 'remand' }))
      .thenNothingHappened(ruleOutcome('accommodated-16-or-17-to-16-plus', 'conditions-not-met')));
});

describe('000 ¶11 — a CIN review that steps up to child protection is not an extension of involvement', () => {
  it('does not fire, leaving ¶12 to decide at the ICPC', () =>
    given(heldBy('A&I', { since: '2026-01-06' }), cinPlanStarted({ on: '2026-01-20' }))
      .when(cinReviewHeld({ on: '2026-07-07', outcome: 'step-up-to-child-protection' }))
      .thenNothingHappened(ruleOutcome('child-in-need-beyond-6-months-to-fsp', 'conditions-not-met')));
});

describe('000 ¶20 — the 15½ milestone alone tells the date of birth', () => {
  it('fires with no recorded date of birth, due by the 16th birthday', () =>
    given(heldBy('CLA', { since: '2025-06-02' }))
      .when(birthdayApproaching({ ageYears: 15.5, on: '2026-04-01', noticedOn: '2026-03-02' }))
      .then(proposed({ to: '16+', from: 'CLA', dueBy: '2026-10-01', ruleId: 'cla-to-16-plus-at-15-and-a-half' })));
});

describe('000 ¶10 — a referral recording the disability threshold while A&I holds the case', () => {
  it('is presented to the transfer meeting for CWD', () =>
    given(heldBy('A&I'))
      .when(referralReceived({ disability: disability('profound') }))
      .then(proposed({ to: 'CWD', from: 'A&I', dueBy: null, ruleId: 'disabled-child-during-work-to-cwd', basis: 'awaiting-date' })));
});

describe('000 ¶1 — siblings keep one social worker: held by one team, they move together unless a separation is recorded', () => {
  // "In sibling groups, the children will have the same social worker, unless it can be
  // demonstrated this is not in the child's best interest."
  const SIBLING = 'C-2';
  const of = <T extends { childId: string }>(childId: string, fact: T): T => ({ ...fact, childId });
  const family = () =>
    new FamilySimulation(compiled, SCENARIO_AUTHORITY, [SCENARIO_CHILD_ID, SIBLING], '2026-03-30T09:00:00Z')
      .deliver(of(SCENARIO_CHILD_ID, heldBy('A&I', { since: '2026-01-05' })))
      .deliver(of(SIBLING, heldBy('A&I', { since: '2026-01-05', workerId: 'W-1' })));
  const movesOf = (f: FamilySimulation, childId: string) => f.state(childId).transfers.map(({ fromTeam, toTeam, status }) => ({ fromTeam, toTeam, status }));

  it('the sibling held by A&I moves to FSP alongside the child whose ICPC sends it there', () => {
    const f = family().deliver(of(SCENARIO_CHILD_ID, icpcHeld({ on: '2026-03-02', outcome: 'cp-plan' })));
    expect(movesOf(f, SCENARIO_CHILD_ID)).toEqual([{ fromTeam: 'A&I', toTeam: 'FSP', status: 'proposed' }]);
    expect(movesOf(f, SIBLING)).toEqual([{ fromTeam: 'A&I', toTeam: 'FSP', status: 'proposed' }]);
  });

  it('a sibling whose separation is recorded ("not in the child\'s best interest") stays', () => {
    const f = family()
      .deliver(of(SIBLING, caseEvent('SiblingSeparationRecorded', '2026-02-02', { reason: 'not in the child’s best interest' })))
      .deliver(of(SCENARIO_CHILD_ID, icpcHeld({ on: '2026-03-02', outcome: 'cp-plan' })));
    expect(movesOf(f, SIBLING)).toEqual([]);
  });
});

describeEveryRuleFires(pack, spec, { rules: 16 });
