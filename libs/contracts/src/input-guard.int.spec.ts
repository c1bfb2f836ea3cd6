import { CaseEventValidator } from './case-event-validator';
import { structuralProblems } from './input-guard';
import { caseEventExample } from './testing/examples';

/*
 * Found by test/e2e/case-events.fuzz.e2e.spec.ts: text PostgreSQL cannot store passed validation.
 * A lone surrogate in a free-text field (CaseClosed.reason, source) matched every pattern, then
 * the store's jsonb insert failed: HTTP answered 500, and a Kafka message crashed its handler until
 * it was dead-lettered without a field-level reason. Now the edge names the field.
 */
const validator = new CaseEventValidator();

const closed = (change: (event: Record<string, unknown> & { data: Record<string, unknown> }) => void) => {
  const event = caseEventExample('CaseClosed') as unknown as Record<string, unknown> & { data: Record<string, unknown> };
  change(event);
  return event;
};

describe('text the store cannot hold is rejected at the edge, with the field named', () => {
  it.each([
    ['a lone high surrogate in data', (e: ReturnType<typeof closed>) => (e.data.reason = 'returned home \ud800'), '/data/reason', 'lone surrogate'],
    ['a lone low surrogate in data', (e: ReturnType<typeof closed>) => (e.data.reason = '\udc00 then text'), '/data/reason', 'lone surrogate'],
    ['a lone surrogate in the envelope', (e: ReturnType<typeof closed>) => (e.source = 'lcs\udfff'), '/source', 'lone surrogate'],
    ['a surrogate pair in the wrong order', (e: ReturnType<typeof closed>) => (e.data.reason = '\ude00\ud83d'), '/data/reason', 'lone surrogate'],
  ])('%s', (_name, change, path, reason) => {
    const result = validator.validate(closed(change));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toContainEqual(expect.objectContaining({ path, reason: expect.stringContaining(reason) }));
  });

  it('names a lone surrogate in a field name', () => {
    expect(structuralProblems({ data: { ['k\ud800']: 1 } })).toEqual([{ path: '/data/k\ud800', reason: 'the field name is not valid Unicode text (it contains a lone surrogate)' }]);
    expect(structuralProblems({ ['\udfff']: 1 })).toEqual([{ path: '/\udfff', reason: 'the field name is not valid Unicode text (it contains a lone surrogate)' }]);
  });

  it('still accepts well-formed text outside the BMP (a surrogate pair)', () => {
    expect(validator.validate(closed((e) => (e.data.reason = 'Child moved 🏠 — plan ended; 𝒳 ok'))).ok).toBe(true);
  });
});
