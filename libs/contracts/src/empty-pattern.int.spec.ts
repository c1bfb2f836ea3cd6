/*
 * Every string a schema in contracts/events constrains with a `pattern` refuses "" (issue 15 item
 * 4). The hole this closes: error shaping dropped ajv's `pattern` error on an empty string,
 * expecting `minLength` to report it, and the verdict was read from the shaped list, so a field
 * with a pattern and no minLength (MeetingScheduled.kind) accepted "". The walk finds every such
 * field, in the case-event envelope, every case event's data and every decision (through their
 * $refs), puts "" there in a valid example, and expects the validator to refuse it naming the field.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaseEventValidator, DecisionValidator, DEFAULT_SCHEMA_DIR, type Validation } from './index';
import { CASE_EVENT_EXAMPLES, DECISION_EXAMPLES } from './testing/examples';

interface Schema {
  $id?: string;
  $ref?: string;
  pattern?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
}

const read = (file: string): Schema => JSON.parse(readFileSync(join(DEFAULT_SCHEMA_DIR, file), 'utf8')) as Schema;
const folder = (name: string): Map<string, Schema> =>
  new Map(
    readdirSync(join(DEFAULT_SCHEMA_DIR, name))
      .filter((file) => file.endsWith('.schema.json'))
      .map((file) => [file.slice(0, -'.schema.json'.length), read(join(name, file))]),
  );

const caseSchemas = folder('case');
const decisionSchemas = folder('decisions');
const byId = new Map([...caseSchemas.values(), ...decisionSchemas.values()].map((s) => [s.$id!, s]));

/** A `$ref` of these schemas: another file's $id, and a JSON Pointer into it. */
function resolveRef(ref: string): Schema {
  const [id, fragment = ''] = ref.split('#');
  let at: unknown = byId.get(id);
  for (const step of fragment.split('/').filter(Boolean)) at = (at as Record<string, unknown>)[step];
  if (!at) throw new Error(`cannot resolve ${ref}`);
  return at as Schema;
}

/** Where an instance may hold a pattern-constrained string, as paths (an array's item as index 0). */
function patternPaths(schema: Schema, path: (string | number)[] = []): (string | number)[][] {
  const found: (string | number)[][] = schema.pattern === undefined ? [] : [path];
  if (schema.$ref) found.push(...patternPaths(resolveRef(schema.$ref), path));
  for (const [key, child] of Object.entries(schema.properties ?? {})) found.push(...patternPaths(child, [...path, key]));
  if (schema.items) found.push(...patternPaths(schema.items, [...path, 0]));
  return found;
}

/** A copy of `example` with "" at `path`; a container missing on the way is made. */
function withEmptyAt(example: object, path: (string | number)[]): Record<string, unknown> {
  const copy = structuredClone(example) as Record<string, unknown>;
  let at: Record<string | number, unknown> = copy;
  path.slice(0, -1).forEach((step, i) => {
    if (typeof at[step] !== 'object' || at[step] === null) at[step] = typeof path[i + 1] === 'number' ? [] : {};
    at = at[step] as Record<string | number, unknown>;
  });
  at[path[path.length - 1]] = '';
  return copy;
}

const pointer = (path: (string | number)[]): string => path.map((step) => `/${step}`).join('');

function expectRefusedAt(result: Validation<unknown>, path: string): void {
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.errors.map((e) => e.path)).toContain(path);
}

const envelope = read('case-event-envelope.schema.json');
const caseCases = [...caseSchemas].flatMap(([type, data]) =>
  [...patternPaths({ properties: { ...envelope.properties, data: {} } }), ...patternPaths(data, ['data'])].map((path) => [type, pointer(path), path] as const),
);
const decisionCases = [...decisionSchemas]
  .filter(([type]) => type !== 'common')
  .flatMap(([type, schema]) => patternPaths(schema).map((path) => [type, pointer(path), path] as const));

describe('every pattern-constrained string refuses ""', () => {
  it('finds the fields to check (the walk reaches the envelope, the data and the shared decision parts)', () => {
    expect(caseCases).toContainEqual(['MeetingScheduled', '/data/kind', ['data', 'kind']]);
    expect(caseCases).toContainEqual(['ICPCHeld', '/childId', ['childId']]);
    expect(decisionCases).toContainEqual(['TransferProposed', '/data/ruleId', ['data', 'ruleId']]);
    expect(caseCases.length + decisionCases.length).toBeGreaterThan(200);
  });

  const cases = new CaseEventValidator();
  it.each(caseCases)('case event %s: %s', (type, _at, path) => {
    expectRefusedAt(cases.validate(withEmptyAt(CASE_EVENT_EXAMPLES[type as keyof typeof CASE_EVENT_EXAMPLES], path)), pointer(path));
  });

  const decisions = new DecisionValidator();
  it.each(decisionCases)('decision %s: %s', (type, _at, path) => {
    expectRefusedAt(decisions.validate(withEmptyAt(DECISION_EXAMPLES[type as keyof typeof DECISION_EXAMPLES], path)), pointer(path));
  });
});
