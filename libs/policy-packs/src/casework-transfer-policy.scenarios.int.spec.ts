/**
 * Scenarios for policies/casework-transfer-policy.yaml against its seed document,
 * shared/seeds/002_db118e58069623db.txt ("Children's Casework Transfer Policy", a transfer-point table).
 *
 * One `describe` per rule, named by the row of the transfer-point table it cites ("002
 * transfer-point table, row N — …", rows counted from the top under the header); the helper checks
 * each decision's citation names "transfer-point table" and "row N". Each rule has a scenario that
 * fires it and one that shows a non-match. Rows 3 and 6 are explicit no-transfer outcomes: a cited
 * CaseRetained, and for row 6 a hold that keeps other rules from moving the child while the
 * supervision order lasts. Row 7's personal advisor co-working from 16 is a CoWorkRequired.
 *
 * The document gives handover points but no numeric timescale, so each dueBy is the day of the
 * conference, hearing or referral, a meeting's date, or the 18th birthday. Dates are pinned and
 * counted by hand, with England and Wales bank holidays: 2026 — 1 Jan, 3 Apr, 6 Apr, 4 May,
 * 25 May, 31 Aug, 25 Dec, 28 Dec; 2027 — 1 Jan, 26 Mar, 29 Mar, 3 May, 31 May, 30 Aug, 27 Dec, 28 Dec.
 * A handover "at" an event counts 0 calendar days: a bank holiday does not move it.
 */
import * as path from 'node:path';
import { compilePack, type CaseEventDataByType, type LocalDate } from '@cto/domain';
import {
  accommodated,
  birthdayApproaching,
  bornOn,
  caseEvent,
  ceasedLookedAfter,
  claReviewHeld,
  coWorkRequired,
  heldBy,
  icpcHeld,
  meetingScheduled,
  orderMade,
  ploStarted,
  proceedingsIssued,
  proposed,
  rcpcHeld,
  referralReceived,
  rescheduled,
  retained,
  ruleOutcome,
  scenario,
  describeEveryRuleFires,
} from '@cto/testing';
import { loadPolicyPackFile } from './index';

const pack = loadPolicyPackFile(path.resolve(__dirname, '../../../policies/casework-transfer-policy.yaml'));
const spec = scenario(compilePack(pack));
const { given } = spec;

// --- Case events the shared builders do not cover (caseEvent from @cto/testing) ----------------

const gatewayMeetingHeld = ({ on, decision }: { on: LocalDate; decision: CaseEventDataByType['LegalGatewayMeetingHeld']['decision'] }) =>
  caseEvent('LegalGatewayMeetingHeld', on, { decision });

/** A referral with the concerns recorded at the front door (row 8's vocabulary: adolescent-on-edge-of-care). */
const referralWithConcerns = ({ on, concerns }: { on: LocalDate; concerns: string[] }) =>
  caseEvent('ReferralReceived', on, { referralSource: 'police', concerns });

const EDGE_OF_CARE = 'adolescent-on-edge-of-care';

describe('002 transfer-point table, row 1 — transfer-in conference keeps the CP plan: MASH → FSP at the transfer RCPC', () => {
  // A child on a plan elsewhere is referred on Monday 2 March 2026; the transfer RCPC sits on Monday 16 March.
  const transferredIn = () => referralReceived({ on: '2026-03-02' });

  it('is due on the day of the transfer RCPC', () =>
    given(transferredIn())
      .when(rcpcHeld({ on: '2026-03-16', outcome: 'cp-plan-continues' }))
      .then(
        proposed({ to: 'FSP', from: 'MASH', dueBy: '2026-03-16', ruleId: 'transfer-in-conference-cp-to-fsp', basis: 'timescale', fallbackReason: 'undated' }),
        ruleOutcome('transfer-in-conference-cin-to-a-and-i', 'conditions-not-met'),
      ));

  it('is due at the transfer RCPC when the conference was scheduled for that day', () =>
    given(transferredIn(), meetingScheduled({ kind: 'transfer-rcpc', on: '2026-03-16', scheduledOn: '2026-03-03' }))
      .when(rcpcHeld({ on: '2026-03-16', outcome: 'cp-plan-continues' }))
      .then(proposed({ to: 'FSP', dueBy: '2026-03-16', basis: 'meeting', meeting: 'transfer-rcpc', fallbackReason: null })));

  it('fires for a child allocated within MASH', () =>
    given(heldBy('MASH', { since: '2026-03-02' }))
      .when(rcpcHeld({ on: '2026-03-16', outcome: 'cp-plan-continues' }))
      .then(proposed({ to: 'FSP', from: 'MASH', dueBy: '2026-03-16' })));

  it('does not fire when the conference ends with no further action (the table has no row for it)', () =>
    given(transferredIn())
      .when(rcpcHeld({ on: '2026-03-16', outcome: 'no-further-action' }))
      .thenNothingHappened(
        ruleOutcome('transfer-in-conference-cp-to-fsp', 'conditions-not-met'),
        ruleOutcome('transfer-in-conference-cin-to-a-and-i', 'conditions-not-met'),
      ));

  it('does not fire at an ordinary RCPC of a child FSP already holds', () =>
    given(heldBy('FSP'))
      .when(rcpcHeld({ on: '2026-03-16', outcome: 'cp-plan-continues' }))
      .thenNothingHappened(ruleOutcome('transfer-in-conference-cp-to-fsp', 'not-held-by-from-team')));
});

describe('002 transfer-point table, row 1 — transfer-in conference agrees a CIN plan: MASH → A&I at the transfer RCPC', () => {
  it('is due on the day of the transfer RCPC', () =>
    given(referralReceived({ on: '2026-03-02' }))
      .when(rcpcHeld({ on: '2026-03-16', outcome: 'cin-plan' }))
      .then(
        proposed({ to: 'A&I', from: 'MASH', dueBy: '2026-03-16', ruleId: 'transfer-in-conference-cin-to-a-and-i', basis: 'timescale' }),
        ruleOutcome('transfer-in-conference-cp-to-fsp', 'conditions-not-met'),
      ));

  it('does not fire for a child CAI holds (rows 2 and 3 are CAI’s)', () =>
    given(heldBy('CAI'))
      .when(rcpcHeld({ on: '2026-03-16', outcome: 'cin-plan' }))
      .thenNothingHappened(ruleOutcome('transfer-in-conference-cin-to-a-and-i', 'not-held-by-from-team')));
});

describe('002 transfer-point table, row 2 — ICPC arranged by CAI makes a child protection plan: CAI → FSP at the ICPC', () => {
  it('is due on the day of the ICPC', () =>
    given(heldBy('CAI'))
      .when(icpcHeld({ on: '2026-05-05', outcome: 'cp-plan' }))
      .then(proposed({ to: 'FSP', from: 'CAI', dueBy: '2026-05-05', ruleId: 'icpc-child-protection-plan-to-fsp', basis: 'timescale', fallbackReason: 'undated' })));

  it('is due at the ICPC when it was scheduled for that day', () =>
    given(heldBy('CAI'), meetingScheduled({ kind: 'icpc', on: '2026-05-05', scheduledOn: '2026-04-21' }))
      .when(icpcHeld({ on: '2026-05-05', outcome: 'cp-plan' }))
      .then(proposed({ to: 'FSP', dueBy: '2026-05-05', basis: 'meeting', meeting: 'icpc' })));

  it('does not fire when the ICPC ends with no further action', () =>
    given(heldBy('CAI'))
      .when(icpcHeld({ on: '2026-05-05', outcome: 'no-further-action' }))
      .thenNothingHappened(ruleOutcome('icpc-child-protection-plan-to-fsp', 'conditions-not-met')));

  it('does not fire for a child held by A&I (the row names CAI)', () =>
    given(heldBy('A&I'))
      .when(icpcHeld({ on: '2026-05-05', outcome: 'cp-plan' }))
      .thenNothingHappened(ruleOutcome('icpc-child-protection-plan-to-fsp', 'not-held-by-from-team')));
});

describe('002 transfer-point table, row 3 — ICPC agrees a CIN plan, no CPP: the child remains in CAI', () => {
  it('records that the case remains in CAI, citing row 3, and proposes no transfer', () =>
    given(heldBy('CAI'))
      .when(icpcHeld({ on: '2026-05-05', outcome: 'cin-plan' }))
      .then(
        retained({ team: 'CAI', ruleId: 'icpc-child-in-need-plan-remains-in-cai', holds: false }),
        ruleOutcome('icpc-child-protection-plan-to-fsp', 'conditions-not-met'),
      ));

  it('decides nothing when the ICPC ends with no further action (the table has no row for it)', () =>
    given(heldBy('CAI'))
      .when(icpcHeld({ on: '2026-05-05', outcome: 'no-further-action' }))
      .thenNothingHappened(ruleOutcome('icpc-child-in-need-plan-remains-in-cai', 'conditions-not-met')));

  it('is about CAI: an ICPC agreeing a CIN plan for a child held by A&I records nothing', () =>
    given(heldBy('A&I'))
      .when(icpcHeld({ on: '2026-05-05', outcome: 'cin-plan' }))
      .thenNothingHappened(ruleOutcome('icpc-child-in-need-plan-remains-in-cai', 'not-held-by-from-team')));

  it('proposes nothing at the next CIN-plan event either: no rule moves a CAI child in need', () =>
    given(heldBy('CAI'), icpcHeld({ on: '2026-05-05', outcome: 'cin-plan' }))
      .when(caseEvent('CINReviewHeld', '2026-11-09', { outcome: 'plan-continues' }))
      .thenNothingHappened());
});

describe('002 transfer-point table, row 4 — CAI applies for an ICO: CAI → Court Team at the EPO/ICO hearing', () => {
  it('awaits the hearing’s date when proceedings are issued at short notice', () =>
    given(heldBy('CAI'))
      .when(proceedingsIssued({ on: '2026-06-01', urgent: true }))
      .then(proposed({ to: 'Court', from: 'CAI', dueBy: null, ruleId: 'ico-application-to-court-team', basis: 'awaiting-date', meeting: 'epo-ico-hearing' })));

  it('is due at the hearing already listed for a planned application', () =>
    given(heldBy('CAI'), meetingScheduled({ kind: 'epo-ico-hearing', on: '2026-06-04', scheduledOn: '2026-06-01' }))
      .when(proceedingsIssued({ on: '2026-06-01' }))
      .then(proposed({ to: 'Court', dueBy: '2026-06-04', basis: 'meeting', meeting: 'epo-ico-hearing' })));

  it('is dated when the hearing is listed', () =>
    given(heldBy('CAI'), proceedingsIssued({ on: '2026-06-01' }))
      .when(meetingScheduled({ kind: 'epo-ico-hearing', on: '2026-06-04', scheduledOn: '2026-06-02' }))
      .then(rescheduled({ previousDueBy: null, dueBy: '2026-06-04', basis: 'meeting', meeting: 'epo-ico-hearing', ruleId: 'ico-application-to-court-team' })));

  it('does not take a hearing listed before the application as the handover point', () =>
    given(heldBy('CAI'), meetingScheduled({ kind: 'epo-ico-hearing', on: '2026-05-20', scheduledOn: '2026-05-18' }))
      .when(proceedingsIssued({ on: '2026-06-01' }))
      .then(proposed({ to: 'Court', dueBy: null, basis: 'awaiting-date' })));

  it('does not fire for a child FSP holds (care proceedings “sit within FSP”)', () =>
    given(heldBy('FSP'))
      .when(proceedingsIssued({ on: '2026-06-01' }))
      .thenNothingHappened(ruleOutcome('ico-application-to-court-team', 'not-held-by-from-team')));

  it('proposes nothing while the row 5 transfer to FSP is open: managers resolve that first', () =>
    given(heldBy('CAI'), gatewayMeetingHeld({ on: '2026-03-02', decision: 'pre-proceedings' }))
      .when(proceedingsIssued({ on: '2026-06-01' }))
      .thenNothingHappened(ruleOutcome('ico-application-to-court-team', 'already-on-transfer')));
});

describe('002 transfer-point table, row 4 — an EPO or ICO is made while CAI holds the case: CAI → Court Team at that hearing', () => {
  it('is due on the day of the EPO hearing', () =>
    given(heldBy('CAI'))
      .when(orderMade({ on: '2026-06-01', order: 'EPO' }))
      .then(proposed({ to: 'Court', from: 'CAI', dueBy: '2026-06-01', ruleId: 'emergency-or-interim-order-to-court-team', basis: 'timescale', fallbackReason: 'undated' })));

  it('is due that same day for an EPO made on the August bank holiday', () =>
    given(heldBy('CAI')).when(orderMade({ on: '2026-08-31', order: 'EPO' })).then(proposed({ to: 'Court', dueBy: '2026-08-31' })));

  it('is due at the listed hearing that made an ICO', () =>
    given(heldBy('CAI'), meetingScheduled({ kind: 'epo-ico-hearing', on: '2026-06-01', scheduledOn: '2026-05-29' }))
      .when(orderMade({ on: '2026-06-01', order: 'ICO' }))
      .then(proposed({ to: 'Court', dueBy: '2026-06-01', basis: 'meeting', meeting: 'epo-ico-hearing' })));

  it('proposes nothing more when the ICO application already proposed the Court Team', () =>
    given(heldBy('CAI'), proceedingsIssued({ on: '2026-05-28' }))
      .when(orderMade({ on: '2026-06-01', order: 'ICO' }))
      .thenNothingHappened(ruleOutcome('emergency-or-interim-order-to-court-team', 'already-on-transfer')));

  it('does not fire on an interim supervision order', () =>
    given(heldBy('CAI'))
      .when(orderMade({ on: '2026-06-01', order: 'ISO' }))
      .thenNothingHappened(ruleOutcome('emergency-or-interim-order-to-court-team', 'conditions-not-met')));

  it('does not fire for a child held by MASH', () =>
    given(referralReceived({ on: '2026-05-28' }))
      .when(orderMade({ on: '2026-06-01', order: 'EPO' }))
      .thenNothingHappened(ruleOutcome('emergency-or-interim-order-to-court-team', 'not-held-by-from-team')));
});

describe('002 transfer-point table, row 5 — the gateway meeting recommends a PPM: CAI → FSP at the ICPC or the PPM', () => {
  // The gateway meeting sits on Monday 2 March 2026.
  const gateway = () => gatewayMeetingHeld({ on: '2026-03-02', decision: 'pre-proceedings' });
  const listed = (kind: 'icpc' | 'pre-proceedings-meeting', on: LocalDate) => meetingScheduled({ kind, on, scheduledOn: '2026-02-27' });

  it('awaits a date while neither the ICPC nor the PPM is dated', () =>
    given(heldBy('CAI'))
      .when(gateway())
      .then(proposed({ to: 'FSP', from: 'CAI', dueBy: null, ruleId: 'pre-proceedings-to-fsp', basis: 'awaiting-date', meeting: 'pre-proceedings-meeting', fallbackReason: 'undated' })));

  it('is due at the ICPC when it is held before the PPM', () =>
    given(heldBy('CAI'), listed('icpc', '2026-03-16'), listed('pre-proceedings-meeting', '2026-03-20'))
      .when(gateway())
      .then(proposed({ to: 'FSP', dueBy: '2026-03-16', basis: 'meeting', meeting: 'icpc', fallbackReason: null })));

  it('is due at the ICPC when both are on the same day', () =>
    given(heldBy('CAI'), listed('icpc', '2026-03-20'), listed('pre-proceedings-meeting', '2026-03-20'))
      .when(gateway())
      .then(proposed({ to: 'FSP', dueBy: '2026-03-20', meeting: 'icpc' })));

  it('is due at the PPM when it is held before the ICPC', () =>
    given(heldBy('CAI'), listed('icpc', '2026-03-25'), listed('pre-proceedings-meeting', '2026-03-20'))
      .when(gateway())
      .then(proposed({ to: 'FSP', dueBy: '2026-03-20', basis: 'meeting', meeting: 'pre-proceedings-meeting', fallbackReason: 'after-timescale' })));

  it('is due at the PPM while the ICPC is not dated', () =>
    given(heldBy('CAI'), listed('pre-proceedings-meeting', '2026-03-20'))
      .when(gateway())
      .then(proposed({ to: 'FSP', dueBy: '2026-03-20', basis: 'meeting', meeting: 'pre-proceedings-meeting', fallbackReason: 'undated' })));

  it('is due at the ICPC while the PPM is not dated', () =>
    given(heldBy('CAI'), listed('icpc', '2026-03-16'))
      .when(gateway())
      .then(proposed({ to: 'FSP', dueBy: '2026-03-16', basis: 'meeting', meeting: 'icpc' })));

  it('is dated when the PPM is arranged, then brought forward to an earlier ICPC', () => {
    given(heldBy('CAI'), gateway())
      .when(meetingScheduled({ kind: 'pre-proceedings-meeting', on: '2026-03-20', scheduledOn: '2026-03-04' }))
      .then(rescheduled({ previousDueBy: null, dueBy: '2026-03-20', meeting: 'pre-proceedings-meeting', ruleId: 'pre-proceedings-to-fsp' }));
    given(heldBy('CAI'), gateway(), meetingScheduled({ kind: 'pre-proceedings-meeting', on: '2026-03-20', scheduledOn: '2026-03-04' }))
      .when(meetingScheduled({ kind: 'icpc', on: '2026-03-16', scheduledOn: '2026-03-05' }))
      .then(rescheduled({ previousDueBy: '2026-03-20', dueBy: '2026-03-16', basis: 'meeting', meeting: 'icpc', ruleId: 'pre-proceedings-to-fsp' }));
  });

  it('fires when the letter before proceedings starts PLO and the gateway meeting was not recorded', () =>
    given(heldBy('CAI'), listed('pre-proceedings-meeting', '2026-03-20'))
      .when(ploStarted({ on: '2026-03-04' }))
      .then(proposed({ to: 'FSP', from: 'CAI', dueBy: '2026-03-20', ruleId: 'pre-proceedings-to-fsp' })));

  it('proposes nothing more when PLO starts after the gateway meeting', () =>
    given(heldBy('CAI'), gateway())
      .when(ploStarted({ on: '2026-03-04' }))
      .thenNothingHappened(ruleOutcome('pre-proceedings-to-fsp', 'already-on-transfer')));

  it('proposes nothing more when the ICPC then makes a child protection plan (row 2 finds the same transfer open)', () =>
    given(heldBy('CAI'), gateway())
      .when(icpcHeld({ on: '2026-03-16', outcome: 'cp-plan' }))
      .thenNothingHappened(ruleOutcome('icpc-child-protection-plan-to-fsp', 'already-on-transfer')));

  it('does not fire when the gateway decides to issue proceedings (row 4 applies at the application)', () =>
    given(heldBy('CAI'))
      .when(gatewayMeetingHeld({ on: '2026-03-02', decision: 'issue-proceedings' }))
      .thenNothingHappened(ruleOutcome('pre-proceedings-to-fsp', 'conditions-not-met')));

  it('does not fire when the gateway decides on no legal action', () =>
    given(heldBy('CAI'))
      .when(gatewayMeetingHeld({ on: '2026-03-02', decision: 'no-legal-action' }))
      .thenNothingHappened(ruleOutcome('pre-proceedings-to-fsp', 'conditions-not-met')));

  it('does not fire for a child held by A&I (the row names CAI)', () =>
    given(heldBy('A&I')).when(gateway()).thenNothingHappened(ruleOutcome('pre-proceedings-to-fsp', 'not-held-by-from-team')));
});

describe('002 transfer-point table, row 6 — proceedings conclude with a Supervision Order: the case remains with the allocated worker for the duration of the order', () => {
  const inProceedingsWith = (team: string) => [heldBy(team), proceedingsIssued({ on: '2026-02-02' }), orderMade({ on: '2026-02-04', order: 'ICO' })];
  // Born Monday 14 September 2010: 16 on Monday 14 September 2026.
  const atHomeOnSupervisionOrder = () => [
    inProceedingsWith('CLA'),
    bornOn('2010-09-14'),
    accommodated({ on: '2026-02-04', legalBasis: 'ICO' }),
    orderMade({ on: '2026-07-06', order: 'supervision-order' }),
  ];

  it.each(['FSP', 'Court', 'CLA'])('records that the case remains with %s while the supervision order lasts', (team) =>
    given(inProceedingsWith(team))
      .when(orderMade({ on: '2026-07-06', order: 'supervision-order' }))
      .then(
        retained({ team, ruleId: 'supervision-order-remains-with-allocated-worker', holds: true }),
        ruleOutcome('emergency-or-interim-order-to-court-team', 'not-held-by-from-team'),
      ));

  it('holds off the leaving-care transfer at 16 while the order is in force, though the child is still looked after', () =>
    given(atHomeOnSupervisionOrder())
      .when(birthdayApproaching({ ageYears: 16, on: '2026-09-14', noticedOn: '2026-08-14' }))
      .then(
        // Co-working is not a move of the case, so the hold does not stop it.
        coWorkRequired({ coWorker: 'LCS', holder: 'CLA', dueBy: '2026-09-14', citing: 'row 7' }),
        ruleOutcome('cla-at-16-to-leaving-care-service-at-18', 'retained'),
      ));

  it('lets the leaving-care transfer go ahead once the supervision order is discharged', () =>
    given(atHomeOnSupervisionOrder(), caseEvent('OrderMade', '2026-08-03', { order: 'discharge', dischargedOrder: 'supervision-order' }))
      .when(birthdayApproaching({ ageYears: 16, on: '2026-09-14', noticedOn: '2026-08-14' }))
      .then(
        proposed({ to: 'LCS', from: 'CLA', dueBy: '2028-09-14', citing: 'row 7' }),
        coWorkRequired({ coWorker: 'LCS', dueBy: '2026-09-14', citing: 'row 7' }),
      ));

  it('is about FSP, the Court Team and CLA: a supervision order for a child held by CAI records nothing', () =>
    given(heldBy('CAI'))
      .when(orderMade({ on: '2026-07-06', order: 'supervision-order' }))
      .thenNothingHappened(ruleOutcome('supervision-order-remains-with-allocated-worker', 'not-held-by-from-team')));

  it('does not fire on another final order', () =>
    given(inProceedingsWith('FSP'))
      .when(orderMade({ on: '2026-07-06', order: 'care-order' }))
      .thenNothingHappened(ruleOutcome('supervision-order-remains-with-allocated-worker', 'conditions-not-met')));

  it('proposes nothing at the 16th birthday of a child at home on a supervision order who has ceased to be looked after', () =>
    given(atHomeOnSupervisionOrder(), ceasedLookedAfter({ on: '2026-07-06', reason: 'returned-home' }))
      .when(birthdayApproaching({ ageYears: 16, on: '2026-09-14', noticedOn: '2026-08-14' }))
      .thenNothingHappened(ruleOutcome('cla-at-16-to-leaving-care-service-at-18', 'conditions-not-met')));
});

describe('002 transfer-point table, row 7 — a looked-after child of 16 held by CLA: CLA → Leaving Care Service, fully at 18', () => {
  // Born Tuesday 15 June 2010: 16 on Monday 15 June 2026, 18 on Thursday 15 June 2028.
  const lookedAfterWithCLA = () => [heldBy('CLA', { since: '2025-09-01' }), bornOn('2010-06-15'), accommodated({ on: '2025-09-01', legalBasis: 's20' })];

  it('fires as the 16th birthday approaches, due at the 18th birthday, with a personal advisor co-working from the 16th', () =>
    given(lookedAfterWithCLA())
      .when(birthdayApproaching({ ageYears: 16, on: '2026-06-15', noticedOn: '2026-05-15' }))
      .then(
        proposed({ to: 'LCS', from: 'CLA', dueBy: '2028-06-15', ruleId: 'cla-at-16-to-leaving-care-service-at-18', basis: 'timescale' }),
        coWorkRequired({ coWorker: 'LCS', holder: 'CLA', dueBy: '2026-06-15', ruleId: 'leaving-care-personal-advisor-co-works-from-16', basis: 'timescale' }),
      ));

  it('fires at a CLA review held at 16½, the co-worker then already overdue', () =>
    given(lookedAfterWithCLA())
      .when(claReviewHeld({ on: '2026-12-15', sequence: 4 }))
      .then(proposed({ to: 'LCS', dueBy: '2028-06-15' }), coWorkRequired({ coWorker: 'LCS', dueBy: '2026-06-15' })));

  it('fires at the 16 milestone with no recorded date of birth, which the milestone tells', () =>
    given(heldBy('CLA', { since: '2025-09-01' }), accommodated({ on: '2025-09-01', legalBasis: 's20' }))
      .when(birthdayApproaching({ ageYears: 16, on: '2026-06-15' }))
      .then(proposed({ to: 'LCS', dueBy: '2028-06-15' }), coWorkRequired({ coWorker: 'LCS', dueBy: '2026-06-15' })));

  it('allocates the personal advisor as a co-worker: the case stays with CLA until the transfer at 18 completes', () => {
    const { state } = given(
      lookedAfterWithCLA(),
      birthdayApproaching({ ageYears: 16, on: '2026-06-15', noticedOn: '2026-05-15' }),
      caseEvent('WorkerAllocated', '2026-06-10', { team: 'LCS', workerId: 'PA-7' }),
    );
    expect(state.team).toBe('CLA');
    expect(state.coWorks).toEqual([expect.objectContaining({ team: 'LCS', workerId: 'PA-7' })]);
    expect(state.transfers.map((t) => [t.toTeam, t.status])).toEqual([['LCS', 'proposed']]);
  });

  it('does not require a second co-worker at the 17 milestone', () =>
    given(lookedAfterWithCLA(), birthdayApproaching({ ageYears: 16, on: '2026-06-15', noticedOn: '2026-05-15' }))
      .when(birthdayApproaching({ ageYears: 17, on: '2027-06-15', noticedOn: '2027-05-15' }))
      .thenNothingHappened(
        ruleOutcome('leaving-care-personal-advisor-co-works-from-16', 'already-co-working'),
        ruleOutcome('cla-at-16-to-leaving-care-service-at-18', 'already-on-transfer'),
      ));

  it('does not fire at a CLA review before 16', () =>
    given(lookedAfterWithCLA())
      .when(claReviewHeld({ on: '2026-06-12', sequence: 3 }))
      .thenNothingHappened(
        ruleOutcome('cla-at-16-to-leaving-care-service-at-18', 'conditions-not-met'),
        ruleOutcome('leaving-care-personal-advisor-co-works-from-16', 'conditions-not-met'),
      ));

  it('does not fire once the child has ceased to be looked after', () =>
    given(lookedAfterWithCLA(), ceasedLookedAfter({ on: '2026-04-01' }))
      .when(birthdayApproaching({ ageYears: 16, on: '2026-06-15', noticedOn: '2026-05-15' }))
      .thenNothingHappened(ruleOutcome('cla-at-16-to-leaving-care-service-at-18', 'conditions-not-met')));

  it('does not fire on the 18th birthday itself', () =>
    given(lookedAfterWithCLA())
      .when(birthdayApproaching({ ageYears: 18, on: '2028-06-15' }))
      .thenNothingHappened(ruleOutcome('cla-at-16-to-leaving-care-service-at-18', 'conditions-not-met')));

  it('does not fire for a looked-after child of 16 held by FSP (the row names CLA)', () =>
    given(heldBy('FSP'), bornOn('2010-06-15'), accommodated({ on: '2025-09-01', legalBasis: 's20' }))
      .when(birthdayApproaching({ ageYears: 16, on: '2026-06-15', noticedOn: '2026-05-15' }))
      .thenNothingHappened(ruleOutcome('cla-at-16-to-leaving-care-service-at-18', 'not-held-by-from-team')));
});

describe('002 transfer-point table, row 8 — referral of an adolescent on the edge of care, over 11: MASH → AFRS at the point of referral', () => {
  it('is due on the day of the referral', () =>
    given(bornOn('2013-09-10'))
      .when(referralWithConcerns({ on: '2026-03-02', concerns: [EDGE_OF_CARE] }))
      .then(proposed({ to: 'AFRS', from: 'MASH', dueBy: '2026-03-02', ruleId: 'adolescent-edge-of-care-referral-to-afrs', basis: 'timescale' })));

  it('fires for an 11-year-old the day after the 11th birthday', () =>
    given(bornOn('2015-03-02'))
      .when(referralWithConcerns({ on: '2026-03-03', concerns: [EDGE_OF_CARE] }))
      .then(proposed({ to: 'AFRS', dueBy: '2026-03-03' })));

  // The event lists concerns without saying which is the main one (review notes).
  it('fires when edge of care is listed among other concerns', () =>
    given(bornOn('2013-09-10'))
      .when(referralWithConcerns({ on: '2026-03-02', concerns: ['neglect', EDGE_OF_CARE] }))
      .then(proposed({ to: 'AFRS', dueBy: '2026-03-02' })));

  it('does not fire on the 11th birthday itself (11 years, not over)', () =>
    given(bornOn('2015-03-02'))
      .when(referralWithConcerns({ on: '2026-03-02', concerns: [EDGE_OF_CARE] }))
      .thenNothingHappened(ruleOutcome('adolescent-edge-of-care-referral-to-afrs', 'conditions-not-met')));

  it('does not fire for a child of 10', () =>
    given(bornOn('2015-06-01'))
      .when(referralWithConcerns({ on: '2026-03-02', concerns: [EDGE_OF_CARE] }))
      .thenNothingHappened(ruleOutcome('adolescent-edge-of-care-referral-to-afrs', 'conditions-not-met')));

  it('does not fire when the date of birth is not yet recorded', () =>
    given()
      .when(referralWithConcerns({ on: '2026-03-02', concerns: [EDGE_OF_CARE] }))
      .thenNothingHappened(ruleOutcome('adolescent-edge-of-care-referral-to-afrs', 'conditions-not-met')));

  it('does not fire when edge of care is not a concern', () =>
    given(bornOn('2013-09-10'))
      .when(referralWithConcerns({ on: '2026-03-02', concerns: ['neglect'] }))
      .thenNothingHappened(ruleOutcome('adolescent-edge-of-care-referral-to-afrs', 'conditions-not-met')));

  it('does not fire on a referral for a child CAI already holds', () =>
    given(heldBy('CAI'), bornOn('2013-09-10'))
      .when(referralWithConcerns({ on: '2026-03-02', concerns: [EDGE_OF_CARE] }))
      .thenNothingHappened(ruleOutcome('adolescent-edge-of-care-referral-to-afrs', 'not-held-by-from-team')));
});

describeEveryRuleFires(pack, spec, { rules: 11, citation: /^002_db118e58069623db\.txt transfer-point table, row [1-8] \(/ });
