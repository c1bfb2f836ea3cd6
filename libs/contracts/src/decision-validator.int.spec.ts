import * as decisions from '@cto/domain';
import { DecisionValidator, type FieldError } from './index';
import { DECISION_EXAMPLES, decisionExample, type DecisionExample } from './testing/examples';

const validator = new DecisionValidator<DecisionExample>();

function errorsOf(record: unknown): FieldError[] {
  const result = validator.validate(record);
  if (result.ok) throw new Error(`expected ${JSON.stringify(record)} to be rejected`);
  return result.errors;
}
const brief = (errors: FieldError[]) => errors.map((e) => `${e.path} ${e.reason}`);

describe('DecisionValidator: the examples', () => {
  it.each([...decisions.DECISION_TYPES])('accepts the %s example', (type) => {
    expect(validator.validate(DECISION_EXAMPLES[type])).toEqual({ ok: true, event: DECISION_EXAMPLES[type] });
  });

  it('has an example of every decision type', () => {
    expect(Object.keys(DECISION_EXAMPLES).sort()).toEqual([...decisions.DECISION_TYPES].sort());
    expect(validator.decisionTypes).toEqual([...decisions.DECISION_TYPES]);
  });
});

describe('DecisionValidator: the record', () => {
  it('requires the causation and correlation ids', () => {
    const record = decisionExample('TransferAccepted') as unknown as Record<string, unknown>;
    delete record.causationId;
    delete record.correlationId;
    expect(brief(errorsOf(record))).toEqual(['/causationId is required', '/correlationId is required']);
  });

  it('requires the rule reference in data, field by field', () => {
    const record = decisionExample('TransferCompleted');
    const { citation: _c, packVersion: _p, ...data } = record.data;
    expect(brief(errorsOf({ ...record, data }))).toEqual(['/data/packVersion is required', '/data/citation is required']);
  });

  it('rejects fields that are neither the rule reference nor the decision', () => {
    const record = decisionExample('ChecklistCompleted');
    expect(errorsOf({ ...record, data: { ...record.data, note: 'x' } })).toEqual([
      { eventId: 'dec-2026-0010', path: '/data/note', reason: 'is not an allowed field' },
    ]);
  });

  it('takes null for a due date that is not known, and rejects an impossible one', () => {
    const record = decisionExample('TransferProposed');
    expect(validator.validate({ ...record, data: { ...record.data, dueBy: null } }).ok).toBe(true);
    expect(brief(errorsOf({ ...record, data: { ...record.data, dueBy: '2026-02-30' } }))).toEqual([
      '/data/dueBy is not a real date (YYYY-MM-DD)',
    ]);
    expect(brief(errorsOf({ ...record, data: { ...record.data, dueBy: 20260316 } }))).toEqual(['/data/dueBy must be a string or null']);
  });

  it('checks the shared handover point resolution and the trigger, closed objects both', () => {
    const record = decisionExample('TransferProposed');
    const data = {
      ...record.data,
      handoverPoint: { ...record.data.handoverPoint, basis: 'guess', extra: 1 },
      trigger: { ...record.data.trigger, type: 'icpc held' },
    };
    expect(brief(errorsOf({ ...record, data }))).toEqual([
      '/data/trigger/type must be an event type name, e.g. ICPCHeld or ICPCHeld.v2',
      '/data/handoverPoint/extra is not an allowed field',
      '/data/handoverPoint/basis must be one of: meeting, timescale, fact, awaiting-date',
    ]);
  });

  it('takes a handover point dated by a later fact (004 PTC 2 "at final order"), and a transfer withdrawn because that fact will not come', () => {
    const proposed = decisionExample('TransferRescheduled');
    const fact = { eventId: 'evt-2026-0031', type: 'OrderMade', occurredOn: '2026-03-13' };
    expect(validator.validate({ ...proposed, data: { ...proposed.data, handoverPoint: { ...proposed.data.handoverPoint, basis: 'fact', fact } } }).ok).toBe(true);
    const withdrawn = decisionExample('TransferWithdrawn');
    const lapsedBy = { ...fact, description: 'a final order other than a care order', citation: '004_3c7817f90012ec66.txt Case transfers to Adoption Services 1' };
    expect(validator.validate({ ...withdrawn, data: { ...withdrawn.data, reason: 'handover-point-lapsed', lapsedBy } }).ok).toBe(true);
    const { description: _d, ...undescribed } = lapsedBy;
    expect(brief(errorsOf({ ...withdrawn, data: { ...withdrawn.data, lapsedBy: undescribed } }))).toEqual(['/data/lapsedBy/description is required']);
  });

  it('checks each checklist item', () => {
    const record = decisionExample('ChecklistOpened');
    const items = [...record.data.items, { itemId: 'x', dueBy: null }];
    expect(brief(errorsOf({ ...record, data: { ...record.data, items } }))).toEqual(['/data/items/2/description is required']);
  });

  it('rejects an escalation rung of 0 and a rule version of 0', () => {
    const record = decisionExample('EscalationRaised');
    expect(brief(errorsOf({ ...record, data: { ...record.data, rung: 0, ruleVersion: 0 } }))).toEqual([
      '/data/ruleVersion must be at least 1',
      '/data/rung must be at least 1',
    ]);
  });

  it('takes a delay between authorities and the roles also told, but not an empty list of them', () => {
    const record = decisionExample('EscalationRaised');
    const delayed = { ...record, data: { ...record.data, reason: 'inter-authority-delay' as const, rung: 2, role: 'Service Manager' } };
    expect(validator.validate(delayed)).toEqual({ ok: true, event: delayed });
    expect(brief(errorsOf({ ...record, data: { ...record.data, alsoTold: [] } }))).toEqual(['/data/alsoTold must have at least 1 item']);
  });

  it('rejects an unknown decision type with one clear error, and still checks the envelope', () => {
    const record = { ...decisionExample('TransferAccepted'), type: 'TransferApproved', occurredAt: '2026-03-04' };
    const errors = errorsOf(record);
    expect(errors.map((e) => e.path)).toEqual(['/occurredAt', '/type']);
    expect(errors[1].reason).toMatch(/^unknown decision type 'TransferApproved': expected one of TransferProposed, .*, CoWorkWithdrawn$/);
  });

  it('rejects forbidden keys and non-objects', () => {
    const record = JSON.parse(JSON.stringify(DECISION_EXAMPLES.TransferAccepted).replace('"data":{', '"data":{"__proto__":{},'));
    expect(brief(errorsOf(record))).toEqual(['/data/__proto__ is a forbidden key (__proto__, constructor, prototype are never accepted)']);
    expect(errorsOf([])).toEqual([{ path: '', reason: 'must be a JSON object: a decision record' }]);
  });
});
