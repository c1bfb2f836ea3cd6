import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as cases from '@cto/domain';
import { CaseEventValidator, ContractSchemaError, DEFAULT_SCHEMA_DIR, MAX_BATCH_SIZE, MAX_ERRORS_PER_EVENT, type FieldError } from './index';
import { CASE_EVENT_EXAMPLES, caseEventExample } from './testing/examples';

type CaseEvent = cases.CaseEvent;
type CaseEventType = cases.CaseEventType;

const validator = new CaseEventValidator<CaseEvent>();

/** The errors of an event that must fail, as `path → reason` pairs. */
function errorsOf(input: unknown): FieldError[] {
  const result = validator.validate(input);
  if (result.ok) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  return result.errors;
}
const pathsOf = (input: unknown) => errorsOf(input).map((e) => e.path);
const example = (type: CaseEventType, data: Record<string, unknown>) => ({ ...caseEventExample(type), data });
const dataOf = (type: CaseEventType) => ({ ...CASE_EVENT_EXAMPLES[type].data }) as Record<string, unknown>;
const without = (type: CaseEventType, field: string) => {
  const data = dataOf(type);
  delete data[field];
  return example(type, data);
};
const withField = (type: CaseEventType, field: string, value: unknown) => example(type, { ...dataOf(type), [field]: value });

describe('CaseEventValidator: the examples', () => {
  it.each([...cases.CASE_EVENT_TYPES])('accepts the %s example', (type) => {
    const result = validator.validate(CASE_EVENT_EXAMPLES[type]);
    expect(result).toEqual({ ok: true, event: CASE_EVENT_EXAMPLES[type] });
  });

  it('has an example of every type, with unique event ids', () => {
    expect(Object.keys(CASE_EVENT_EXAMPLES).sort()).toEqual([...cases.CASE_EVENT_TYPES].sort());
    const ids = Object.values(CASE_EVENT_EXAMPLES).map((e) => e.eventId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

// One invalid variant per type, and the field the error must name.
const INVALID: { [T in CaseEventType]: [variant: unknown, path: string, reason: string] } = {
  ReferralReceived: [without('ReferralReceived', 'referralSource'), '/data/referralSource', 'is required'],
  ChildDetailsRecorded: [withField('ChildDetailsRecorded', 'dateOfBirth', '2026-02-30'), '/data/dateOfBirth', 'is not a real date (YYYY-MM-DD)'],
  ThresholdDecisionMade: [
    withField('ThresholdDecisionMade', 'decision', 'maybe'),
    '/data/decision',
    'must be one of: statutory-assessment, step-up-to-social-care, step-down-to-early-help, early-help, no-further-action',
  ],
  WorkerAllocated: [withField('WorkerAllocated', 'workerId', 'W 31/07'), '/data/workerId', "must contain only letters, digits, '.', '_', ':' and '-', and start with a letter or digit"],
  AssessmentCompleted: [without('AssessmentCompleted', 'assessment'), '/data/assessment', 'is required'],
  StrategyDiscussionHeld: [
    withField('StrategyDiscussionHeld', 'outcome', 'cp-plan'),
    '/data/outcome',
    'must be one of: section-47-enquiry, child-in-need, no-further-action',
  ],
  ICPCHeld: [withField('ICPCHeld', 'outcome', 'CP plan'), '/data/outcome', 'must be one of: cp-plan, cin-plan, no-further-action'],
  RCPCHeld: [withField('RCPCHeld', 'concerns', 'neglect'), '/data/concerns', 'must be an array'],
  ChildInNeedPlanStarted: [withField('ChildInNeedPlanStarted', 'startedOn', '01/06/2026'), '/data/startedOn', 'is not a real date (YYYY-MM-DD)'],
  CINReviewHeld: [withField('CINReviewHeld', 'familyConsent', 'yes'), '/data/familyConsent', 'must be true or false'],
  CoreGroupHeld: [withField('CoreGroupHeld', 'sequence', 0), '/data/sequence', 'must be at least 1'],
  MeetingScheduled: [
    withField('MeetingScheduled', 'kind', 'Initial Core Group'),
    '/data/kind',
    "must be 1 to 63 lower-case letters, digits and '-', starting with a letter or digit",
  ],
  PLOStarted: [withField('PLOStarted', 'reason', 'pre-proceedings letter sent'), '/data/reason', 'is not an allowed field'],
  PLOReviewHeld: [withField('PLOReviewHeld', 'sequence', 1.5), '/data/sequence', 'must be an integer'],
  LegalGatewayMeetingHeld: [without('LegalGatewayMeetingHeld', 'decision'), '/data/decision', 'is required'],
  CareProceedingsIssued: [withField('CareProceedingsIssued', 'urgent', 'true'), '/data/urgent', 'must be true or false'],
  HearingHeld: [withField('HearingHeld', 'kind', 'fact-finding'), '/data/kind', 'must be one of: initial, cmh, irh, final, other'],
  OrderMade: [
    withField('OrderMade', 'order', 'care order'),
    '/data/order',
    'must be one of: EPO, ICO, ISO, interim-CAO, care-order, placement-order, supervision-order, SGO, CAO, discharge',
  ],
  ChildAccommodated: [withField('ChildAccommodated', 'expectedDurationWeeks', 521), '/data/expectedDurationWeeks', 'must be at most 520'],
  CLAReviewHeld: [
    withField('CLAReviewHeld', 'plan', 'fostering'),
    '/data/plan',
    'must be one of: reunification, long-term-fostering, adoption, special-guardianship, residential, independence, other',
  ],
  ChildCeasedLookedAfter: [without('ChildCeasedLookedAfter', 'reason'), '/data/reason', 'is required'],
  BirthdayApproaching: [withField('BirthdayApproaching', 'ageYears', 15.25), '/data/ageYears', 'must be a multiple of 0.5'],
  ChildMoved: [without('ChildMoved', 'planned'), '/data/planned', 'is required'],
  CaseClosed: [withField('CaseClosed', 'reason', 'x'.repeat(1001)), '/data/reason', 'must be at most 1000 characters long'],
  TransitionPanelHeld: [withField('TransitionPanelHeld', 'outcome', 'eligible'), '/data/outcome', 'must be one of: adult-services-eligible, not-eligible, deferred'],
  ChecklistItemCompleted: [withField('ChecklistItemCompleted', 'itemId', ''), '/data/itemId', 'must not be empty'],
  TransferRequested: [
    withField('TransferRequested', 'toTeam', ' FSP'),
    '/data/toTeam',
    'must be one line, without control characters or leading or trailing spaces',
  ],
  TransferDisputed: [without('TransferDisputed', 'reason'), '/data/reason', 'is required'],
  SiblingSeparationRecorded: [without('SiblingSeparationRecorded', 'reason'), '/data/reason', 'is required'],
  EscalationRequested: [without('EscalationRequested', 'reason'), '/data/reason', 'is required'],
};

describe('CaseEventValidator: one invalid variant of each type', () => {
  it.each(Object.entries(INVALID))('rejects a bad %s, naming the field', (type, [variant, path, reason]) => {
    expect(errorsOf(variant)).toEqual([{ eventId: CASE_EVENT_EXAMPLES[type as CaseEventType].eventId, path, reason }]);
  });
});

describe('CaseEventValidator: the envelope', () => {
  const icpc = () => caseEventExample('ICPCHeld') as unknown as Record<string, unknown>;

  it('names a missing childId by its own path', () => {
    const event = icpc();
    delete event.childId;
    expect(errorsOf(event)).toEqual([{ eventId: 'evt-2026-0007', path: '/childId', reason: 'is required' }]);
  });

  it('rejects an unknown type with one clear error, and still checks the rest of the envelope', () => {
    const errors = errorsOf({ ...icpc(), type: 'ICPCHappened', authority: 'Kent' });
    expect(errors.map((e) => e.path)).toEqual(['/authority', '/type']);
    expect(errors[1].reason).toMatch(/^unknown event type 'ICPCHappened': expected one of ReferralReceived, .*, EscalationRequested$/);
  });

  it('says what a non-string type should be', () => {
    expect(errorsOf({ ...icpc(), type: 42 })).toEqual([
      expect.objectContaining({ path: '/type', reason: expect.stringMatching(/^must be a string naming the event type, one of ReferralReceived, /) }),
    ]);
  });

  it('does not echo a long hostile type back in full', () => {
    const [error] = errorsOf({ ...icpc(), type: `X${'\u0000'.repeat(10_000)}` });
    expect(error.reason.length).toBeLessThan(1000);
    expect(error.reason).not.toContain('\u0000');
  });

  it('rejects an impossible date, in the envelope and in data', () => {
    const errors = errorsOf({
      ...icpc(),
      type: 'MeetingScheduled',
      occurredAt: '2026-02-30T10:00:00Z',
      data: { kind: 'initial-core-group', on: '2026-02-30' },
    });
    expect(errors.map(({ path, reason }) => ({ path, reason }))).toEqual([
      { path: '/occurredAt', reason: 'is not a date-time with seconds and an offset (YYYY-MM-DDThh:mm:ss±hh:mm or …Z)' },
      { path: '/data/on', reason: 'is not a real date (YYYY-MM-DD)' },
    ]);
  });

  it.each([
    ['no offset', '2026-03-02T10:00:00'],
    ['no seconds', '2026-03-02T10:00Z'],
    ['a space for T', '2026-03-02 10:00:00Z'],
    ['lower-case t and z', '2026-03-02t10:00:00z'],
    ['an offset without a colon', '2026-03-02T10:00:00+0100'],
    ['an hour-only offset', '2026-03-02T10:00:00+01'],
    ['a leap second', '2026-12-31T23:59:60Z'],
    ['hour 24', '2026-03-02T24:00:00Z'],
    ['a date only', '2026-03-02'],
  ])('rejects an occurredAt with %s', (_, occurredAt) => {
    expect(pathsOf({ ...icpc(), occurredAt })).toEqual(['/occurredAt']);
  });

  it.each([
    ['Z', '2026-03-02T10:00:00Z'],
    ['an offset', '2026-06-02T10:00:00+01:00'],
    ['milliseconds', '2026-03-02T10:00:00.123Z'],
    ['nanoseconds', '2026-03-02T10:00:00.123456789-05:00'],
    ['29 February in a leap year', '2028-02-29T10:00:00Z'],
  ])('accepts an occurredAt with %s', (_, occurredAt) => {
    expect(validator.validate({ ...icpc(), occurredAt }).ok).toBe(true);
  });

  it('rejects unknown fields, in the envelope and in data, at their own paths', () => {
    const errors = errorsOf({ ...icpc(), priority: 'high', data: { outcome: 'cp-plan', notes: 'x' } });
    expect(errors.map(({ path, reason }) => ({ path, reason }))).toEqual([
      { path: '/priority', reason: 'is not an allowed field' },
      { path: '/data/notes', reason: 'is not an allowed field' },
    ]);
  });

  it('reports every bad field of one event, envelope and data together', () => {
    const errors = errorsOf({
      eventId: 'evt-9',
      type: 'ChildAccommodated',
      authority: 'Kent County',
      familyId: '',
      occurredAt: 'yesterday',
      source: 'liberi',
      data: { legalBasis: 'section-20', expectedDurationWeeks: -1, planToIssueProceedings: 'no', extra: true },
    });
    expect(errors.map((e) => `${e.path} ${e.reason}`)).toEqual([
      '/childId is required',
      '/authority must be 1 to 63 lower-case letters, digits and \'-\', starting with a letter or digit',
      '/familyId must not be empty',
      '/occurredAt is not a date-time with seconds and an offset (YYYY-MM-DDThh:mm:ss±hh:mm or …Z)',
      '/data/extra is not an allowed field',
      '/data/legalBasis must be one of: s20, police-protection, EPO, ICO, care-order, remand',
      '/data/expectedDurationWeeks must be at least 0',
      '/data/planToIssueProceedings must be true or false',
    ]);
    expect(errors.every((e) => e.eventId === 'evt-9')).toBe(true);
  });

  it('leaves the eventId out of the errors when the eventId itself is bad', () => {
    const errors = errorsOf({ ...icpc(), eventId: 'evt/../../etc', childId: 7 });
    expect(errors).toEqual([
      { path: '/eventId', reason: "must contain only letters, digits, '.', '_', ':' and '-', and start with a letter or digit" },
      { path: '/childId', reason: 'must be a string' },
    ]);
  });

  it('rejects data that is not an object, without checking it against the type', () => {
    expect(errorsOf({ ...icpc(), data: ['cp-plan'] })).toEqual([{ eventId: 'evt-2026-0007', path: '/data', reason: 'must be an object' }]);
  });

  it('accepts PLOStarted only with empty data', () => {
    expect(validator.validate(example('PLOStarted', {})).ok).toBe(true);
    expect(pathsOf(example('PLOStarted', { startedOn: '2026-07-20' }))).toEqual(['/data/startedOn']);
  });

  it('accepts an event without a familyId', () => {
    const event = icpc();
    delete event.familyId;
    expect(validator.validate(event).ok).toBe(true);
  });

  it.each([
    ['null', null],
    ['an array', [CASE_EVENT_EXAMPLES.ICPCHeld]],
    ['a string', JSON.stringify(CASE_EVENT_EXAMPLES.ICPCHeld)],
    ['a number', 42],
    ['undefined', undefined],
    ['a Date', new Date(0)],
  ])('rejects %s as a whole, at path ""', (_, input) => {
    expect(errorsOf(input)).toEqual([{ path: '', reason: 'must be a JSON object: a case-event envelope' }]);
  });
});

describe('CaseEventValidator: hostile input', () => {
  const json = (type: CaseEventType, data: string) => JSON.parse(JSON.stringify(CASE_EVENT_EXAMPLES[type]).replace(/"data":\{.*\}\}$/, `"data":${data}}`));

  it.each(['__proto__', 'constructor', 'prototype'])('rejects a %s key in the envelope', (key) => {
    const input = JSON.parse(JSON.stringify(CASE_EVENT_EXAMPLES.ICPCHeld).replace(/^\{/, `{"${key}":{"isAdmin":true},`));
    expect(errorsOf(input)).toEqual([
      { eventId: 'evt-2026-0007', path: `/${key}`, reason: 'is a forbidden key (__proto__, constructor, prototype are never accepted)' },
    ]);
  });

  it('rejects forbidden keys deep inside data, each at its path', () => {
    const input = json('ReferralReceived', '{"referralSource":"school","disability":{"__proto__":{"polluted":1},"permanentOrSubstantial":true,"impairment":"none","prototype":2}}');
    expect(errorsOf(input).map((e) => `${e.path} ${e.reason.slice(0, 18)}`)).toEqual([
      '/data/disability/__proto__ is a forbidden key',
      '/data/disability/prototype is a forbidden key',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects nesting deeper than 10 levels at the level that goes too deep', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 20; i++) deep = { a: deep };
    const errors = errorsOf({ ...CASE_EVENT_EXAMPLES.ICPCHeld, data: { outcome: 'cp-plan', notes: deep } });
    expect(errors).toContainEqual({ eventId: 'evt-2026-0007', path: '/data/notes/a/a/a/a/a/a/a/a', reason: 'nests deeper than 10 levels' });
  });

  it('survives a cyclic object (from code, not JSON)', () => {
    const data: Record<string, unknown> = { outcome: 'cp-plan' };
    data.self = data;
    const errors = errorsOf({ ...CASE_EVENT_EXAMPLES.ICPCHeld, data });
    expect(errors.map((e) => e.reason)).toContain('nests deeper than 10 levels');
  });

  it('rejects objects that are not plain JSON inside an event', () => {
    expect(errorsOf({ ...CASE_EVENT_EXAMPLES.ICPCHeld, data: { outcome: 'cp-plan', concerns: [new Map()] } })).toContainEqual({
      eventId: 'evt-2026-0007',
      path: '/data/concerns/0',
      reason: 'must be a plain JSON object',
    });
  });

  it('rejects control characters in text', () => {
    expect(errorsOf(withField('TransferDisputed', 'reason', 'late\u0000; DROP TABLE events'))).toEqual([
      { eventId: 'evt-2026-0028', path: '/data/reason', reason: 'must not contain control characters' },
    ]);
  });

  it('caps the list of problems', () => {
    const data = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`f${i}`, i]));
    const errors = errorsOf({ ...CASE_EVENT_EXAMPLES.PLOStarted, data });
    expect(errors).toHaveLength(MAX_ERRORS_PER_EVENT);
    expect(errors[MAX_ERRORS_PER_EVENT - 1]).toEqual({ eventId: 'evt-2026-0013', path: '', reason: 'has 500 problems; the first 99 are listed' });
  });

  it('rejects an over-long array without a thousand item errors', () => {
    const errors = errorsOf(withField('ICPCHeld', 'concerns', Array.from({ length: 51 }, () => 'neglect')));
    expect(errors).toEqual([{ eventId: 'evt-2026-0007', path: '/data/concerns', reason: 'must have at most 50 items' }]);
  });
});

describe('CaseEventValidator.validateBatch', () => {
  it('takes one envelope', () => {
    expect(validator.validateBatch(CASE_EVENT_EXAMPLES.ICPCHeld)).toEqual({ accepted: [CASE_EVENT_EXAMPLES.ICPCHeld], rejected: [] });
  });

  it('accepts the good events of an array and rejects the bad ones by index', () => {
    const bad = { ...CASE_EVENT_EXAMPLES.RCPCHeld, childId: undefined };
    const result = validator.validateBatch([CASE_EVENT_EXAMPLES.ICPCHeld, bad, 'nonsense', CASE_EVENT_EXAMPLES.CoreGroupHeld]);
    expect(result.accepted).toEqual([CASE_EVENT_EXAMPLES.ICPCHeld, CASE_EVENT_EXAMPLES.CoreGroupHeld]);
    expect(result.rejected).toEqual([
      { index: 1, eventId: 'evt-2026-0010', errors: [{ eventId: 'evt-2026-0010', path: '/childId', reason: 'is required' }] },
      { index: 2, errors: [{ path: '', reason: 'must be a JSON object: a case-event envelope' }] },
    ]);
  });

  it('accepts every example in one batch', () => {
    const all = Object.values(CASE_EVENT_EXAMPLES);
    expect(validator.validateBatch(all)).toEqual({ accepted: all, rejected: [] });
  });

  it('rejects an empty array', () => {
    expect(validator.validateBatch([])).toEqual({
      accepted: [],
      rejected: [{ index: -1, errors: [{ path: '', reason: 'must contain at least one case event' }] }],
    });
  });

  it(`accepts ${MAX_BATCH_SIZE} events and rejects ${MAX_BATCH_SIZE + 1} as a whole`, () => {
    const events = (n: number) => Array.from({ length: n }, (_, i) => ({ ...CASE_EVENT_EXAMPLES.ICPCHeld, eventId: `evt-${i}` }));
    expect(validator.validateBatch(events(MAX_BATCH_SIZE)).accepted).toHaveLength(MAX_BATCH_SIZE);
    expect(validator.validateBatch(events(MAX_BATCH_SIZE + 1))).toEqual({
      accepted: [],
      rejected: [{ index: -1, errors: [{ path: '', reason: 'has 501 case events; at most 500 are accepted at once' }] }],
    });
  });
});

describe('CaseEventValidator: loading the schemas', () => {
  it('reads the repository contracts/events by default', () => {
    expect(DEFAULT_SCHEMA_DIR).toBe(path.resolve(__dirname, '../../../contracts/events'));
    expect(validator.eventTypes).toEqual([...cases.CASE_EVENT_TYPES]);
  });

  it('refuses to start from a directory whose schemas disagree with each other', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-'));
    try {
      fs.cpSync(DEFAULT_SCHEMA_DIR, dir, { recursive: true });
      fs.rmSync(path.join(dir, 'case', 'ICPCHeld.schema.json'));
      fs.writeFileSync(path.join(dir, 'case', 'ICPCHappened.schema.json'), '{}');
      expect(() => new CaseEventValidator(dir)).toThrow(ContractSchemaError);
      expect(() => new CaseEventValidator(dir)).toThrow(/type ICPCHeld has no case\/ICPCHeld\.schema\.json.*case\/ICPCHappened\.schema\.json is not a type listed/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a schema that strict mode rejects (a typo in a keyword)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-'));
    try {
      fs.cpSync(DEFAULT_SCHEMA_DIR, dir, { recursive: true });
      const file = path.join(dir, 'case', 'ICPCHeld.schema.json');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"maxItems"', '"maxItem"'));
      expect(() => new CaseEventValidator(dir)).toThrow(/strict mode: unknown keyword: "maxItem"/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("takes the verdict from ajv: an error the shaping leaves out still refuses the event", () => {
    // The type's own complaints are dropped in favour of one clear unknown-type reason; a schema
    // that constrains a known type further is a refusal with nothing left to say, and stays one.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-'));
    try {
      fs.cpSync(DEFAULT_SCHEMA_DIR, dir, { recursive: true });
      const file = path.join(dir, 'case-event-envelope.schema.json');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"description": "The case event type.",', '"description": "The case event type.", "maxLength": 3,'));
      expect(new CaseEventValidator(dir).validate(CASE_EVENT_EXAMPLES.ICPCHeld)).toEqual({
        ok: false,
        errors: [{ eventId: CASE_EVENT_EXAMPLES.ICPCHeld.eventId, path: '', reason: 'does not match its schema' }],
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives an accepted event the type asked for', () => {
    const result = validator.validate(CASE_EVENT_EXAMPLES.ICPCHeld);
    if (!result.ok) throw new Error('expected the example to pass');
    const type: CaseEventType = result.event.type; // compiles only because TEvent is the domain's CaseEvent
    expect(type).toBe('ICPCHeld');
  });
});
