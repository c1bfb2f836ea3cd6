// The mapping's rules one at a time, on payloads built here: what each rule gives, and the line the
// child's report carries when the payload did not say (contracts/imports/csc-api.mapping.yaml).
import { CaseEventValidator } from '@cto/contracts';
import type { CaseEvent } from '@cto/domain';
import type { ImportedChild } from '../caseload';
import { loadCscApiContracts, readCscApiPayload } from './index';

const contracts = loadCscApiContracts();
const validator = new CaseEventValidator();

type Json = Record<string, unknown>;
/** One child, read from a payload of its own: it must be imported, and its events pass the case-event contracts. */
const imported = (episodes: Json[], details: Json = { date_of_birth: '2012-06-01' }): ImportedChild => {
  const text = JSON.stringify({ la_code: 886, Children: [{ la_child_id: 'C1', child_details: details, social_care_episodes: episodes }] });
  const caseload = readCscApiPayload({ authority: 'kent', payload: { file: 'built.json', text }, ...contracts });
  expect(caseload.refusals).toEqual([]);
  const child = caseload.children[0];
  const rejected = child.events.flatMap((event) => {
    const validation = validator.validate(event);
    return validation.ok ? [] : [{ eventId: event.eventId, errors: validation.errors }];
  });
  expect(rejected).toEqual([]);
  return child;
};
const episode = (fields: Json = {}): Json => ({ social_care_episode_id: 'E1', referral_date: '2025-01-06', referral_source: '2A', ...fields });
/** The child's events past its details and referral, as [date, type, data]. */
const after = (child: ImportedChild) =>
  child.events.filter((e) => e.type !== 'ChildDetailsRecorded' && e.type !== 'ReferralReceived').map((e: CaseEvent) => [e.occurredAt.slice(0, 10), e.type, e.data]);

describe('child and family assessment: the outcome is what the episode did next', () => {
  it('is not mapped when nothing after it shows the outcome, and the report says so', () => {
    const child = imported([episode({ child_and_family_assessments: [{ child_and_family_assessment_id: 'A1', start_date: '2025-01-07', authorisation_date: '2025-02-03' }] })]);
    expect(after(child)).toEqual([]);
    expect(child.assumptions).toEqual(['child and family assessment A1: its outcome is not in the payload and nothing after it in episode E1 shows it: no AssessmentCompleted']);
  });

  it("is early-help when the episode closes with RC9, and the first record after it wins over a closure", () => {
    const rc9 = imported([episode({ closure_date: '2025-02-03', closure_reason: 'RC9', child_and_family_assessments: [{ child_and_family_assessment_id: 'A1', authorisation_date: '2025-02-03' }] })]);
    expect(after(rc9)[0]).toEqual(['2025-02-03', 'AssessmentCompleted', { assessment: 'child-and-family', outcome: 'early-help' }]);
    const planThenClosed = imported([
      episode({
        closure_date: '2025-06-30',
        closure_reason: 'RC8',
        child_and_family_assessments: [{ child_and_family_assessment_id: 'A1', authorisation_date: '2025-02-03' }],
        child_in_need_plans: [{ child_in_need_plan_id: 'P1', start_date: '2025-02-10', end_date: '2025-06-30' }],
      }),
    ]);
    expect(after(planThenClosed)[0]).toEqual(['2025-02-03', 'AssessmentCompleted', { assessment: 'child-and-family', outcome: 'child-in-need' }]);
  });
});

describe('section 47 enquiry, ICPC and CP plan', () => {
  it('records no-further-action when no conference was required and no plan followed', () => {
    const child = imported([episode({ section_47_assessments: [{ section_47_assessment_id: 'S1', start_date: '2025-01-08', icpc_required_flag: false, end_date: '2025-01-20' }] })]);
    expect(after(child)).toEqual([
      ['2025-01-08', 'StrategyDiscussionHeld', { outcome: 'section-47-enquiry' }],
      ['2025-01-20', 'AssessmentCompleted', { assessment: 'section-47', outcome: 'no-further-action' }],
    ]);
    expect(child.assumptions).toContain('section 47 enquiry S1: no conference was required and no plan followed: outcome recorded as no-further-action');
  });

  it('maps no outcome when the payload does not say whether a conference was required', () => {
    const child = imported([episode({ section_47_assessments: [{ section_47_assessment_id: 'S1', start_date: '2025-01-08', end_date: '2025-01-20' }] })]);
    expect(after(child)).toEqual([['2025-01-08', 'StrategyDiscussionHeld', { outcome: 'section-47-enquiry' }]]);
    expect(child.assumptions).toContain('section 47 enquiry S1 ended, but its outcome is not in the payload and nothing after it shows it: no AssessmentCompleted');
  });

  it('records an ICPC with no plan after it as no-further-action, and one beside an open CIN plan as cin-plan', () => {
    const s47 = { section_47_assessment_id: 'S1', start_date: '2025-01-08', icpc_required_flag: true, icpc_date: '2025-02-03', end_date: '2025-01-20' };
    const none = imported([episode({ section_47_assessments: [s47] })]);
    expect(after(none).at(-1)).toEqual(['2025-02-03', 'ICPCHeld', { outcome: 'no-further-action' }]);
    expect(none.assumptions).toContain("section 47 enquiry S1: its initial conference's outcome is not in the payload and no plan followed: recorded as no-further-action");
    const cin = imported([episode({ section_47_assessments: [s47], child_in_need_plans: [{ child_in_need_plan_id: 'P1', start_date: '2024-12-02' }] })]);
    expect(after(cin).at(-1)).toEqual(['2025-02-03', 'ICPCHeld', { outcome: 'cin-plan' }]);
  });

  it('assumes the conference a CP plan was made at when the payload has none on its start date', () => {
    const child = imported([episode({ child_protection_plans: [{ child_protection_plan_id: 'CP1', start_date: '2025-03-03' }] })]);
    expect(child.events.at(-1)).toMatchObject({ eventId: 'csc-api:C1:cp-plan:CP1:icpc', type: 'ICPCHeld', data: { outcome: 'cp-plan' } });
    expect(child.assumptions).toEqual(["child protection plan CP1 starts on no initial conference's date in the payload: an initial conference that day is assumed"]);
    expect(child.current).toEqual({ kind: 'child-protection', since: '2025-03-03' });
  });

  it('maps a CP plan ending with its episode as a review conference ending it, and one ending for no given reason not at all', () => {
    const closes = imported([episode({ closure_date: '2025-09-01', closure_reason: 'RC7', child_protection_plans: [{ child_protection_plan_id: 'CP1', start_date: '2025-03-03', end_date: '2025-09-01' }] })]);
    expect(after(closes).slice(1)).toEqual([
      ['2025-09-01', 'RCPCHeld', { outcome: 'no-further-action' }],
      ['2025-09-01', 'CaseClosed', { reason: 'RC7: services ceased for any other reason, including child no longer in need' }],
    ]);
    const unexplained = imported([episode({ child_protection_plans: [{ child_protection_plan_id: 'CP1', start_date: '2025-03-03', end_date: '2025-09-01' }] })]);
    expect(after(unexplained).map((e) => e[1])).toEqual(['ICPCHeld']);
    expect(unexplained.assumptions).toContain(
      'child protection plan CP1 ended, but the payload does not say why (no CIN plan starts and episode E1 does not close that day): no RCPCHeld',
    );
    expect(unexplained.current).toEqual({ kind: 'referral', since: '2025-01-06', code: '2A' });
  });
});

describe('periods of care, read across placements', () => {
  const placement = (id: string, fields: Json): Json => ({ child_looked_after_placement_id: id, start_reason: 'S', placement_type: 'U1', ...fields });

  it('records the reason care ended by its meaning: returned home, a child arrangements order, death as other', () => {
    for (const [code, reason] of [
      ['E4A', 'returned-home'],
      ['E4B', 'returned-home'],
      ['E41', 'child-arrangements-order'],
      ['E11', 'adopted'],
      ['E2', 'other'],
    ]) {
      const child = imported([episode({ child_looked_after_placements: [placement('PL1', { start_date: '2025-01-07', end_date: '2025-04-01', end_reason: code })] })]);
      expect(after(child)).toEqual([
        ['2025-01-07', 'ChildAccommodated', { legalBasis: 's20' }],
        ['2025-04-01', 'ChildCeasedLookedAfter', { reason }],
      ]);
    }
    const died = imported([episode({ child_looked_after_placements: [placement('PL1', { start_date: '2025-01-07', end_date: '2025-04-01', end_reason: 'E2' })] })]);
    expect(died.assumptions).toContain("placement PL1: reason episode ceased E2 has no closer match among ChildCeasedLookedAfter's reasons: recorded as other");
  });

  it('takes E8 under 18 as other, E17 as turned-18, and no reason as other, each reported', () => {
    const under18 = imported([episode({ child_looked_after_placements: [placement('PL1', { start_date: '2025-01-07', end_date: '2025-04-01', end_reason: 'E8' })] })]);
    expect(after(under18).at(-1)).toEqual(['2025-04-01', 'ChildCeasedLookedAfter', { reason: 'other' }]);
    const stayingPut = imported([episode({ child_looked_after_placements: [placement('PL1', { start_date: '2025-01-07', end_date: '2025-04-01', end_reason: 'E17' })] })]);
    expect(after(stayingPut).at(-1)).toEqual(['2025-04-01', 'ChildCeasedLookedAfter', { reason: 'turned-18' }]);
    const noReason = imported([episode({ child_looked_after_placements: [placement('PL1', { start_date: '2025-01-07', end_date: '2025-04-01' })] })]);
    expect(after(noReason).at(-1)).toEqual(['2025-04-01', 'ChildCeasedLookedAfter', { reason: 'other' }]);
    expect(noReason.assumptions).toContain('placement PL1: no reason episode ceased is given: recorded as other');
  });

  it('begins a new period of care after a day out of care, and reports a period begun without reason S', () => {
    const child = imported([
      episode({
        child_looked_after_placements: [
          placement('PL1', { start_date: '2025-01-07', end_date: '2025-02-01', end_reason: 'E4A' }),
          placement('PL2', { start_date: '2025-03-01', start_reason: 'P' }),
        ],
      }),
    ]);
    expect(after(child)).toEqual([
      ['2025-01-07', 'ChildAccommodated', { legalBasis: 's20' }],
      ['2025-02-01', 'ChildCeasedLookedAfter', { reason: 'returned-home' }],
      ['2025-03-01', 'ChildAccommodated', { legalBasis: 's20' }],
    ]);
    expect(child.assumptions).toContain('placement PL2 begins a period of care, but its reason for new episode is P, not S');
    expect(child.current).toEqual({ kind: 'looked-after', since: '2025-03-01', code: 'U1' });
  });

  it('keeps a child looked after whose last placement ends with X1 and nothing follows', () => {
    const child = imported([episode({ child_looked_after_placements: [placement('PL1', { start_date: '2025-01-07', end_date: '2025-02-01', end_reason: 'X1' })] })]);
    expect(after(child).map((e) => e[1])).toEqual(['ChildAccommodated']);
    expect(child.assumptions).toContain('placement PL1 ends with X1 (a new episode begins), but no placement follows it: the child is taken to be still looked after');
    expect(child.current).toEqual({ kind: 'looked-after', since: '2025-01-07', code: 'U1' });
  });

  it('ranks being looked after above a CP plan for where the child stands', () => {
    const child = imported([
      episode({
        child_protection_plans: [{ child_protection_plan_id: 'CP1', start_date: '2025-03-03' }],
        child_looked_after_placements: [placement('PL1', { start_date: '2025-02-01' })],
      }),
    ]);
    expect(child.current).toEqual({ kind: 'looked-after', since: '2025-02-01', code: 'U1' });
  });
});

describe('episodes: referral, closure, and what a sender asked to delete', () => {
  it("records a referral without a source as 'not recorded', and says so", () => {
    const child = imported([{ social_care_episode_id: 'E1', referral_date: '2025-01-06' }]);
    expect(child.events.at(-1)).toMatchObject({ type: 'ReferralReceived', data: { referralSource: 'not recorded' } });
    expect(child.assumptions).toEqual(["episode E1 has no referral source: recorded as 'not recorded'"]);
  });

  it('records no CaseClosed for an episode that closes while another is open', () => {
    const child = imported([
      episode({ social_care_episode_id: 'E1', referral_date: '2025-01-06', closure_date: '2025-03-01', closure_reason: 'RC7' }),
      episode({ social_care_episode_id: 'E2', referral_date: '2025-02-10' }),
    ]);
    expect(child.events.map((e) => e.type)).not.toContain('CaseClosed');
    expect(child.assumptions).toEqual(['episode E1 closed while episode E2 was open: no CaseClosed']);
    expect(child.current).toEqual({ kind: 'referral', since: '2025-02-10', code: '2A' });
  });

  it('imports nothing of a record, an episode or details marked purge: true, and says so', () => {
    const child = imported(
      [
        episode({ child_in_need_plans: [{ child_in_need_plan_id: 'P1', start_date: '2025-02-01', purge: true }] }),
        episode({ social_care_episode_id: 'E2', referral_date: '2025-05-05', purge: true }),
      ],
      { date_of_birth: '2012-06-01', purge: true },
    );
    expect(child.events.map((e) => e.eventId)).toEqual(['csc-api:C1:episode:E1:referral-received']);
    expect(child.assumptions).toEqual([
      'child details marked purge: true: not imported',
      'child in need plan P1 marked purge: true: not imported',
      'episode E2 marked purge: true: nothing of it imported',
    ]);
  });

  it('gives a child with nothing dated no events and no current involvement', () => {
    const child = imported([], { sex: 'F' });
    expect(child).toEqual({ childId: 'C1', events: [], assumptions: [] });
  });
});
