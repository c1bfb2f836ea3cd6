import * as fs from 'node:fs';
import * as path from 'node:path';
import { CaseEventValidator } from '@cto/contracts';
import type { CaseEvent } from '@cto/domain';
import type { MappedCaseload } from '../caseload';
import { CscApiAuthorityInvalid, loadCscApiContracts, readCscApiPayload } from './index';

const FIXTURES = path.resolve(__dirname, '../../fixtures/csc-api');
const contracts = loadCscApiContracts();
const read = (file: string, text: string): MappedCaseload => readCscApiPayload({ authority: 'kent', payload: { file, text }, ...contracts });
const fixtureText = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const fixture = (name: string) => read(name, fixtureText(name));
const childOf = (caseload: MappedCaseload, childId: string) => {
  const child = caseload.children.find((c) => c.childId === childId);
  if (child === undefined) throw new Error(`${childId} was not imported`);
  return child;
};
/** An event as [date, type, id, data]: the mapping's whole output for it but the envelope's constants. */
const brief = (e: CaseEvent) => [e.occurredAt.slice(0, 10), e.type, e.eventId, e.data];
const eventsOf = (caseload: MappedCaseload, childId: string) => childOf(caseload, childId).events.map(brief);

describe('issue 17 items 2, 3 — a valid CSC API payload is read into case events', () => {
  const caseload = fixture('children.json');

  it('reads every child and refuses none', () => {
    expect(caseload).toMatchObject({ source: 'csc-api', authority: 'kent', childrenRead: 9, refusals: [], refusedChildren: [] });
    expect(caseload.children.map((c) => c.childId)).toEqual([
      'CH-REF-01',
      'CH-CP-02',
      'CH-LAC-03',
      'CH-LEAVER-04',
      'CH-CLOSED-05',
      'CH-DISABLED-06',
      'CH-UNBORN-07',
      'CH-CINCP-08',
      'CH-SGO-09',
    ]);
  });

  it('maps a referral, its assessment and the CIN plan that followed (CH-REF-01), envelope and all', () => {
    const envelope = { authority: 'kent', childId: 'CH-REF-01', source: 'csc-api' };
    expect(childOf(caseload, 'CH-REF-01')).toEqual({
      childId: 'CH-REF-01',
      events: [
        {
          ...envelope,
          eventId: 'csc-api:CH-REF-01:child-details:recorded',
          type: 'ChildDetailsRecorded',
          occurredAt: '2015-04-10T12:00:00Z',
          data: { dateOfBirth: '2015-04-10', unaccompaniedAsylumSeeking: false },
        },
        {
          ...envelope,
          eventId: 'csc-api:CH-REF-01:episode:E1001:referral-received',
          type: 'ReferralReceived',
          occurredAt: '2025-09-01T12:00:00Z',
          data: { referralSource: '2A: schools' },
        },
        {
          ...envelope,
          eventId: 'csc-api:CH-REF-01:assessment:A1001:completed',
          type: 'AssessmentCompleted',
          occurredAt: '2025-10-14T12:00:00Z',
          data: { assessment: 'child-and-family', outcome: 'child-in-need' },
        },
        {
          ...envelope,
          eventId: 'csc-api:CH-REF-01:cin-plan:P1001:started',
          type: 'ChildInNeedPlanStarted',
          occurredAt: '2025-10-20T12:00:00Z',
          data: {},
        },
      ],
      current: { kind: 'child-in-need', since: '2025-10-20' },
      assumptions: ['child and family assessment A1001: outcome child-in-need read from the child in need plan that followed it'],
    });
  });

  it('maps a section 47 enquiry, its ICPC and the CP plan made there (CH-CP-02)', () => {
    expect(eventsOf(caseload, 'CH-CP-02')).toEqual([
      ['2019-07-22', 'ChildDetailsRecorded', 'csc-api:CH-CP-02:child-details:recorded', { dateOfBirth: '2019-07-22', unaccompaniedAsylumSeeking: false }],
      ['2025-06-03', 'ReferralReceived', 'csc-api:CH-CP-02:episode:E2001:referral-received', { referralSource: '6: police' }],
      ['2025-06-04', 'AssessmentCompleted', 'csc-api:CH-CP-02:assessment:A2001:completed', { assessment: 'child-and-family', outcome: 'strategy-discussion' }],
      ['2025-06-05', 'StrategyDiscussionHeld', 'csc-api:CH-CP-02:section-47:S2001:strategy-discussion', { outcome: 'section-47-enquiry' }],
      ['2025-06-20', 'AssessmentCompleted', 'csc-api:CH-CP-02:section-47:S2001:completed', { assessment: 'section-47', outcome: 'child-protection-conference' }],
      ['2025-06-26', 'ICPCHeld', 'csc-api:CH-CP-02:section-47:S2001:icpc', { outcome: 'cp-plan' }],
    ]);
    expect(childOf(caseload, 'CH-CP-02').current).toEqual({ kind: 'child-protection', since: '2025-06-26' });
    expect(childOf(caseload, 'CH-CP-02').assumptions).toContain(
      "section 47 enquiry S2001: its strategy discussion is dated on the enquiry's start (the payload has no strategy date)",
    );
  });

  it('maps a looked-after child: one period of care across a placement move (X1), legal basis assumed (CH-LAC-03)', () => {
    expect(eventsOf(caseload, 'CH-LAC-03')).toEqual([
      ['2012-01-15', 'ChildDetailsRecorded', 'csc-api:CH-LAC-03:child-details:recorded', { dateOfBirth: '2012-01-15', unaccompaniedAsylumSeeking: false }],
      ['2024-11-04', 'ReferralReceived', 'csc-api:CH-LAC-03:episode:E3001:referral-received', { referralSource: '5A: LA services - social care, for example adults social care services' }],
      ['2025-01-10', 'ChildAccommodated', 'csc-api:CH-LAC-03:placement:PL3001:accommodated', { legalBasis: 's20' }],
    ]);
    expect(childOf(caseload, 'CH-LAC-03')).toMatchObject({
      current: { kind: 'looked-after', since: '2025-01-10', code: 'K2' },
      assumptions: ['placement PL3001: the payload has no legal status: the period of care it begins is recorded as accommodated under s20'],
    });
  });

  it('maps a care leaver: UASC ended, and care ceased at 18 with E8 is turned-18 (CH-LEAVER-04)', () => {
    expect(eventsOf(caseload, 'CH-LEAVER-04')).toEqual([
      ['2006-03-09', 'ChildDetailsRecorded', 'csc-api:CH-LEAVER-04:child-details:recorded', { dateOfBirth: '2006-03-09', unaccompaniedAsylumSeeking: true }],
      ['2021-08-16', 'ReferralReceived', 'csc-api:CH-LEAVER-04:episode:E4001:referral-received', { referralSource: "5C: LA services - external, from another local authority's services" }],
      ['2021-08-20', 'ChildAccommodated', 'csc-api:CH-LEAVER-04:placement:PL4001:accommodated', { legalBasis: 's20' }],
      ['2024-03-09', 'ChildDetailsRecorded', 'csc-api:CH-LEAVER-04:child-details:uasc-ended', { unaccompaniedAsylumSeeking: false }],
      ['2024-03-09', 'ChildCeasedLookedAfter', 'csc-api:CH-LEAVER-04:placement:PL4001:ceased', { reason: 'turned-18' }],
    ]);
    expect(childOf(caseload, 'CH-LEAVER-04').current).toEqual({ kind: 'care-leaver', since: '2024-03-09', code: 'F2' });
    expect(childOf(caseload, 'CH-LEAVER-04').assumptions).toContain('placement PL4001: care ended with reason E8 when the child was 18 or over: recorded as turned-18');
  });

  it('maps closed cases: a referral with no further action, and a closure after assessment (CH-CLOSED-05)', () => {
    expect(eventsOf(caseload, 'CH-CLOSED-05')).toEqual([
      ['2010-10-30', 'ChildDetailsRecorded', 'csc-api:CH-CLOSED-05:child-details:recorded', { dateOfBirth: '2010-10-30' }],
      ['2024-05-01', 'ReferralReceived', 'csc-api:CH-CLOSED-05:episode:E5000:referral-received', { referralSource: '9: anonymous' }],
      ['2024-05-01', 'ThresholdDecisionMade', 'csc-api:CH-CLOSED-05:episode:E5000:referral-no-further-action', { decision: 'no-further-action' }],
      ['2024-05-02', 'CaseClosed', 'csc-api:CH-CLOSED-05:episode:E5000:closed', { reason: 'RC7: services ceased for any other reason, including child no longer in need' }],
      ['2025-02-11', 'ReferralReceived', 'csc-api:CH-CLOSED-05:episode:E5001:referral-received', { referralSource: '1A: individual - family member, relative or carer' }],
      ['2025-03-20', 'AssessmentCompleted', 'csc-api:CH-CLOSED-05:assessment:A5001:completed', { assessment: 'child-and-family', outcome: 'no-further-action' }],
      ['2025-03-20', 'CaseClosed', 'csc-api:CH-CLOSED-05:episode:E5001:closed', { reason: 'RC8: case closed after assessment, no further action' }],
    ]);
    expect(childOf(caseload, 'CH-CLOSED-05').current).toEqual({ kind: 'closed', since: '2025-03-20', code: 'RC8' });
  });

  it('leaves a disability out rather than invent its impairment, and says so (CH-DISABLED-06)', () => {
    expect(eventsOf(caseload, 'CH-DISABLED-06')).toEqual([
      ['2014-12-01', 'ChildDetailsRecorded', 'csc-api:CH-DISABLED-06:child-details:recorded', { dateOfBirth: '2014-12-01' }],
      ['2025-07-07', 'ReferralReceived', 'csc-api:CH-DISABLED-06:episode:E6001:referral-received', { referralSource: '3B: health services - health visitor' }],
    ]);
    expect(childOf(caseload, 'CH-DISABLED-06')).toMatchObject({
      current: { kind: 'assessment', since: '2025-07-08' },
      assumptions: ['the payload records a disability, but not whether it is permanent or substantial nor the level of impairment: no disability recorded'],
    });
  });

  it("records an unborn child's expected date of birth on the child's earliest record (CH-UNBORN-07)", () => {
    expect(eventsOf(caseload, 'CH-UNBORN-07')).toEqual([
      ['2025-11-20', 'ChildDetailsRecorded', 'csc-api:CH-UNBORN-07:child-details:recorded', { expectedDateOfBirth: '2026-03-01' }],
      ['2025-11-20', 'ReferralReceived', 'csc-api:CH-UNBORN-07:episode:E7001:referral-received', { referralSource: '3D: health services - other primary health services' }],
    ]);
    expect(childOf(caseload, 'CH-UNBORN-07')).toMatchObject({ current: { kind: 'referral', since: '2025-11-20', code: '3D' }, assumptions: [] });
  });

  it('maps a CIN plan stepping up to CP and back, same-day events in payload order (CH-CINCP-08)', () => {
    expect(eventsOf(caseload, 'CH-CINCP-08')).toEqual([
      ['2016-05-05', 'ChildDetailsRecorded', 'csc-api:CH-CINCP-08:child-details:recorded', { dateOfBirth: '2016-05-05' }],
      ['2024-09-02', 'ReferralReceived', 'csc-api:CH-CINCP-08:episode:E8001:referral-received', { referralSource: '2A: schools' }],
      ['2024-10-01', 'AssessmentCompleted', 'csc-api:CH-CINCP-08:assessment:A8001:completed', { assessment: 'child-and-family', outcome: 'child-in-need' }],
      ['2024-10-07', 'ChildInNeedPlanStarted', 'csc-api:CH-CINCP-08:cin-plan:P8001:started', {}],
      ['2025-01-02', 'StrategyDiscussionHeld', 'csc-api:CH-CINCP-08:section-47:S8001:strategy-discussion', { outcome: 'section-47-enquiry' }],
      ['2025-01-09', 'AssessmentCompleted', 'csc-api:CH-CINCP-08:section-47:S8001:completed', { assessment: 'section-47', outcome: 'child-protection-conference' }],
      // child_in_need_plans come before section_47_assessments in the payload
      ['2025-01-13', 'CINReviewHeld', 'csc-api:CH-CINCP-08:cin-plan:P8001:ended', { outcome: 'step-up-to-child-protection' }],
      ['2025-01-13', 'ICPCHeld', 'csc-api:CH-CINCP-08:section-47:S8001:icpc', { outcome: 'cp-plan' }],
      // …and before child_protection_plans
      ['2025-07-14', 'ChildInNeedPlanStarted', 'csc-api:CH-CINCP-08:cin-plan:P8002:started', {}],
      ['2025-07-14', 'RCPCHeld', 'csc-api:CH-CINCP-08:cp-plan:CP8001:ended', { outcome: 'cin-plan' }],
    ]);
    expect(childOf(caseload, 'CH-CINCP-08').current).toEqual({ kind: 'child-in-need', since: '2025-07-14' });
  });

  it('maps care ended by a special guardianship order, then the case closed (CH-SGO-09)', () => {
    expect(eventsOf(caseload, 'CH-SGO-09')).toEqual([
      ['2017-02-14', 'ChildDetailsRecorded', 'csc-api:CH-SGO-09:child-details:recorded', { dateOfBirth: '2017-02-14' }],
      ['2023-03-01', 'ReferralReceived', 'csc-api:CH-SGO-09:episode:E9001:referral-received', { referralSource: '6: police' }],
      ['2023-03-02', 'ChildAccommodated', 'csc-api:CH-SGO-09:placement:PL9001:accommodated', { legalBasis: 's20' }],
      ['2025-04-30', 'ChildCeasedLookedAfter', 'csc-api:CH-SGO-09:placement:PL9001:ceased', { reason: 'special-guardianship' }],
      ['2025-04-30', 'CaseClosed', 'csc-api:CH-SGO-09:episode:E9001:closed', { reason: 'RC1: adopted' }],
    ]);
    expect(childOf(caseload, 'CH-SGO-09').current).toEqual({ kind: 'closed', since: '2025-04-30', code: 'RC1' });
  });

  it('gives the same ids, and the same everything, when the payload is read again', () => {
    expect(fixture('children.json')).toEqual(caseload);
  });

  it("gives a child's events the same ids wherever the child sits in the payload", () => {
    const payload = JSON.parse(fixtureText('children.json')) as { Children: unknown[] };
    const reordered = read('reordered.json', JSON.stringify({ ...payload, Children: [...payload.Children].reverse() }));
    const idsByChild = (c: MappedCaseload) => Object.fromEntries(c.children.map((child) => [child.childId, child.events.map((e) => e.eventId)]));
    expect(idsByChild(reordered)).toEqual(idsByChild(caseload));
  });

  it('reads the bare array of children (the body D2I POSTs) as the same children', () => {
    const payload = JSON.parse(fixtureText('children.json')) as { Children: unknown[] };
    const bare = read('bare.json', JSON.stringify(payload.Children));
    expect(bare.children).toEqual(caseload.children);
    expect(bare.refusals).toEqual([]);
  });

  it('reads a file saved with a byte-order mark', () => {
    expect(read('bom.json', `\uFEFF${fixtureText('children.json')}`).children).toEqual(caseload.children);
  });

  it('gives event ids the envelope accepts, unique across the caseload', () => {
    const ids = caseload.children.flatMap((c) => c.events.map((e) => e.eventId));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/);
      expect(id.length).toBeLessThanOrEqual(200);
    }
  });

  it('emits only events that pass the case-event contracts (CaseEventValidator)', () => {
    const validator = new CaseEventValidator();
    const events = caseload.children.flatMap((c) => c.events);
    expect(events.length).toBeGreaterThan(40);
    const rejected = events.flatMap((event) => {
      const validation = validator.validate(event);
      return validation.ok ? [] : [{ eventId: event.eventId, errors: validation.errors }];
    });
    expect(rejected).toEqual([]);
  });

  it('refuses to read for an authority that is no authority id', () => {
    expect(() => readCscApiPayload({ authority: 'Kent County', payload: { file: 'x.json', text: '[]' }, ...contracts })).toThrow(CscApiAuthorityInvalid);
  });
});

describe('issue 17 item 6 — bad input is refused clearly, a refused child whole', () => {
  const only = (caseload: MappedCaseload) => ({
    imported: caseload.children.map((c) => c.childId),
    refusedChildren: caseload.refusedChildren,
    refusals: caseload.refusals,
  });

  it('refuses malformed JSON once, with its line, and reads no child', () => {
    expect(fixture('bad-malformed.json')).toEqual({
      source: 'csc-api',
      authority: 'kent',
      childrenRead: 0,
      children: [],
      refusals: [{ file: 'bad-malformed.json', line: 5, reason: 'is not valid JSON: Expected double-quoted property name in JSON at position 325' }],
      refusedChildren: [],
    });
  });

  it("leaves the text Node quotes out of a JSON refusal (it may be a child's name)", () => {
    const [refusal] = read('x.json', '{"first_name": Jane}').refusals;
    expect(refusal.reason).toBe("is not valid JSON: Unexpected token 'J'");
  });

  it.each([
    ['an SSDA903 return as JSON', fixtureText('bad-not-this-payload.json')],
    ['a JSON string', '"la_child_id"'],
    ['a number', '42'],
    ['null', 'null'],
    ['an array of something else', '[{"CHILD": "101"}, 3]'],
  ])('refuses a file that is not this payload at all (%s): one refusal, no children', (_, text) => {
    expect(read('other.json', text)).toMatchObject({
      childrenRead: 0,
      children: [],
      refusedChildren: [],
      refusals: [
        {
          file: 'other.json',
          path: '',
          reason: 'is not a DfE CSC API children payload: expected { "la_code": …, "Children": [ child records ] } or an array of child records (each with la_child_id)',
        },
      ],
    });
  });

  it('refuses unknown codes, each at its field, and nothing of that child is imported', () => {
    expect(only(fixture('bad-unknown-code.json'))).toEqual({
      imported: ['GOOD-01'],
      refusedChildren: ['BAD-CODE-02'],
      refusals: [
        { file: 'bad-unknown-code.json', childId: 'BAD-CODE-02', path: '/Children/1/child_details/sex', field: 'sex', reason: "'X' is not a known code: must be one of M, F, U" },
        {
          file: 'bad-unknown-code.json',
          childId: 'BAD-CODE-02',
          path: '/Children/1/social_care_episodes/0/referral_source',
          field: 'referral_source',
          reason: "'11' is not a known code: must be one of 1A, 1B, 1C, 1D, 2A, 2B, 3A, 3B, 3C, 3D, 3E, 3F, 4, 5A, 5B, 5C, 5D, 6, 7, 8, 9, 10",
        },
        {
          file: 'bad-unknown-code.json',
          childId: 'BAD-CODE-02',
          path: '/Children/1/social_care_episodes/0/child_looked_after_placements/0/placement_type',
          field: 'placement_type',
          reason: "'Z9' is not a known code: must be one of A3, A4, A5, A6, K1, K2, K3, P1, P3, R1, R2, R3, R5, S1, T0, T1, T2, T3, T4, U1, U2, U3, U4, U5, U6, …",
        },
      ],
    });
  });

  it('refuses a date that is not a date (not a real day; not YYYY-MM-DD)', () => {
    expect(only(fixture('bad-date.json'))).toEqual({
      imported: ['GOOD-01'],
      refusedChildren: ['BAD-DATE-02'],
      refusals: [
        { file: 'bad-date.json', childId: 'BAD-DATE-02', path: '/Children/1/child_details/date_of_birth', field: 'date_of_birth', reason: 'is not a date: expected YYYY-MM-DD naming a real day' },
        {
          file: 'bad-date.json',
          childId: 'BAD-DATE-02',
          path: '/Children/1/social_care_episodes/0/referral_date',
          field: 'referral_date',
          reason: 'is not a date: expected YYYY-MM-DD naming a real day',
        },
      ],
    });
  });

  it('refuses a plan ending before it starts', () => {
    expect(only(fixture('bad-plan-ends-before-start.json'))).toEqual({
      imported: ['GOOD-01'],
      refusedChildren: ['BAD-PLAN-02'],
      refusals: [
        {
          file: 'bad-plan-ends-before-start.json',
          childId: 'BAD-PLAN-02',
          path: '/Children/1/social_care_episodes/0/child_in_need_plans/0/end_date',
          field: 'end_date',
          reason: 'ends before it starts: end_date is before start_date',
        },
      ],
    });
  });

  it('refuses overlapping periods of care, across episodes', () => {
    expect(only(fixture('bad-overlapping-care.json'))).toEqual({
      imported: ['GOOD-01'],
      refusedChildren: ['BAD-CARE-02'],
      refusals: [
        {
          file: 'bad-overlapping-care.json',
          childId: 'BAD-CARE-02',
          path: '/Children/1/social_care_episodes/1/child_looked_after_placements/0/start_date',
          field: 'start_date',
          reason: 'overlaps placement PLB02A (/Children/1/social_care_episodes/0/child_looked_after_placements/0), which ends later: periods of care cannot overlap',
        },
      ],
    });
  });

  it('refuses a child id that cannot be a case event childId, and an id two records share', () => {
    expect(only(fixture('bad-child-ids.json'))).toEqual({
      imported: ['GOOD-01'],
      refusedChildren: ['TWICE-03', '_LEADING-02'],
      refusals: [
        {
          file: 'bad-child-ids.json',
          childId: '_LEADING-02',
          path: '/Children/1/la_child_id',
          field: 'la_child_id',
          reason: "must start with a letter or digit to be a case event's childId",
        },
        ...[2, 3].map((i) => ({
          file: 'bad-child-ids.json',
          childId: 'TWICE-03',
          path: `/Children/${i}/la_child_id`,
          field: 'la_child_id',
          reason: 'names more than one child record in this payload: which is the child cannot be told',
        })),
      ],
    });
  });

  it("reports every schema error at its pointer: the file's own, each child's, a child with no id, a child to be deleted", () => {
    const caseload = fixture('bad-structure.json');
    expect(caseload.childrenRead).toBe(4);
    expect(only(caseload)).toEqual({
      imported: ['GOOD-01'],
      refusedChildren: ['BAD-PURGE-04', 'BAD-SHAPE-02'],
      refusals: [
        { file: 'bad-structure.json', path: '/generated_by', field: 'generated_by', reason: 'is not a field of the CSC API payload' },
        { file: 'bad-structure.json', path: '/la_code', field: 'la_code', reason: 'must be at least 100' },
        {
          file: 'bad-structure.json',
          childId: 'BAD-SHAPE-02',
          path: '/Children/1/social_care_episodes/0/social_care_episode_id',
          field: 'social_care_episode_id',
          reason: 'is required',
        },
        {
          file: 'bad-structure.json',
          childId: 'BAD-SHAPE-02',
          path: '/Children/1/social_care_episodes/0/care_worker_details/0/worker_id',
          field: 'worker_id',
          reason: 'must be at most 12 characters',
        },
        { file: 'bad-structure.json', path: '/Children/2/la_child_id', field: 'la_child_id', reason: 'is required' },
        {
          file: 'bad-structure.json',
          childId: 'BAD-PURGE-04',
          path: '/Children/3/purge',
          field: 'purge',
          reason: 'is true: the sender asks for this child to be deleted, so nothing of it is imported',
        },
      ],
    });
  });

  it('refuses Children drawn as one object (as the structure document draws it): the children cannot be listed', () => {
    const child = { la_child_id: 'ONE-01', child_details: { date_of_birth: '2013-06-01' } };
    expect(read('one.json', JSON.stringify({ la_code: 886, Children: child }))).toMatchObject({
      childrenRead: 0,
      children: [],
      refusals: [{ file: 'one.json', path: '/Children', field: 'Children', reason: 'must be an array of child records' }],
    });
  });

  it('attributes a bare array\'s problems to its children too', () => {
    const caseload = read('bare.json', JSON.stringify([{ la_child_id: 'B-1', child_details: { sex: 'Q' } }, { la_child_id: 'B-2', child_details: {} }]));
    expect(only(caseload)).toEqual({
      imported: ['B-2'],
      refusedChildren: ['B-1'],
      refusals: [{ file: 'bare.json', childId: 'B-1', path: '/0/child_details/sex', field: 'sex', reason: "'Q' is not a known code: must be one of M, F, U" }],
    });
  });
});
