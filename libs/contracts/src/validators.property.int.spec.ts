import fc from 'fast-check';
import { CaseEventValidator, DecisionValidator, type FieldError, type Validation } from './index';
import { CASE_EVENT_EXAMPLES, DECISION_EXAMPLES } from './testing/examples';

/*
 * Malformed and hostile input is rejected cleanly (DESIGN.md "Testing"): whatever arrives,
 * validate returns, never throws, and either accepts or names at least one problem, each with a
 * JSON Pointer and a reason.
 */
const cases = new CaseEventValidator();
const decisions = new DecisionValidator();

function wellFormed(result: Validation<unknown>): boolean {
  if (result.ok) return typeof result.event === 'object' && result.event !== null;
  return (
    result.errors.length > 0 &&
    result.errors.every(
      (e: FieldError) => (e.path === '' || e.path.startsWith('/')) && typeof e.reason === 'string' && e.reason.length > 0,
    )
  );
}

// Keys that matter to the validator, mixed with arbitrary ones.
const key = fc.oneof(
  fc.constantFrom('eventId', 'type', 'authority', 'childId', 'familyId', 'occurredAt', 'source', 'data', '__proto__', 'constructor', 'prototype', 'outcome'),
  fc.string(),
);
const jsonish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    fc.integer(),
    fc.string(),
    fc.constantFrom('ICPCHeld', '2026-02-30', '2026-03-02T10:00:00Z', 'cp-plan', ''),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 6 }),
  ),
})).value;

/** A valid example with one field, at any depth, replaced by an arbitrary value. */
function mutated<T extends object>(examples: Record<string, T>) {
  return fc
    .tuple(fc.constantFrom(...Object.values(examples)), fc.array(key, { minLength: 1, maxLength: 3 }), jsonish)
    .map(([example, path, value]) => {
      const copy = JSON.parse(JSON.stringify(example)) as Record<string, unknown>;
      let at: Record<string, unknown> = copy;
      for (const step of path.slice(0, -1)) {
        // Own fields only: walking into `__proto__` would reach Object.prototype, and replacing a
        // field there (toString, say) would break every later test in this worker (CI saw it).
        const next = Object.prototype.hasOwnProperty.call(at, step) ? at[step] : undefined;
        if (typeof next !== 'object' || next === null) break;
        at = next as Record<string, unknown>;
      }
      Object.defineProperty(at, path[path.length - 1], { value, enumerable: true, writable: true, configurable: true });
      return copy;
    });
}

describe('validators never throw on hostile input', () => {
  // The hostile values are built by this file: none of them may reach the shared Object.prototype.
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
  afterAll(() => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    expect(Object.prototype.toString.call({})).toBe('[object Object]');
  });

  it('case events: random JSON values', () => {
    fc.assert(fc.property(fc.jsonValue(), (input) => wellFormed(cases.validate(input))), { numRuns: 500 });
  });

  it('case events: random JSON text, parsed (so __proto__ arrives as an own key)', () => {
    fc.assert(fc.property(fc.json(), (text) => wellFormed(cases.validate(JSON.parse(text)))), { numRuns: 500 });
  });

  it('case events: random values with the envelope keys', () => {
    fc.assert(fc.property(jsonish, (input) => wellFormed(cases.validate(input))), { numRuns: 500 });
  });

  it('case events: valid examples with one field replaced', () => {
    fc.assert(fc.property(mutated(CASE_EVENT_EXAMPLES), (input) => wellFormed(cases.validate(input))), { numRuns: 1000 });
  });

  it('case event batches: random values never throw, and each event is accepted or rejected once', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(jsonish, { maxLength: 8 }), jsonish), (input) => {
        const { accepted, rejected } = cases.validateBatch(input);
        const size = Array.isArray(input) ? input.length : 1;
        return size === 0 ? rejected[0].index === -1 : accepted.length + rejected.length === size;
      }),
      { numRuns: 300 },
    );
  });

  it('decisions: random JSON values and mutated examples', () => {
    fc.assert(fc.property(fc.jsonValue(), (input) => wellFormed(decisions.validate(input))), { numRuns: 300 });
    fc.assert(fc.property(mutated(DECISION_EXAMPLES), (input) => wellFormed(decisions.validate(input))), { numRuns: 1000 });
  });

  it('an accepted mutation is still a valid event (the validator is not fooled into accepting junk)', () => {
    fc.assert(
      fc.property(mutated(CASE_EVENT_EXAMPLES), (input) => {
        const result = cases.validate(input);
        if (!result.ok) return true;
        const again = cases.validate(JSON.parse(JSON.stringify(result.event)));
        return again.ok && !JSON.stringify(result.event).includes('"__proto__"');
      }),
      { numRuns: 1000 },
    );
  });
});
