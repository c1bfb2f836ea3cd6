/**
 * The JSON Schema of the YAML form of a pack (policies/policy-pack.schema.json), and the
 * translation of its errors into sentences a team manager can act on.
 *
 * Ajv reports a failed `oneOf` as every error of every alternative followed by "must match exactly
 * one schema in oneOf", which says nothing useful. Two kinds of `oneOf` occur in the schema:
 *
 * - alternatives named by `$ref` (a condition is a `factCondition` or an `anyOfCondition`; an
 *   anchor is "trigger", a meeting or an age): the value is checked again against each alternative
 *   alone, the one it evidently meant (no field of it missing, the right kind of value) is chosen,
 *   and only that alternative's errors are reported, so a bad operator says "equals is not allowed
 *   here" rather than five lines about `anyOf`. When it resembles none, the schema's own
 *   `x-errorMessage` beside the `oneOf` says what is wrong in one sentence;
 * - inline alternatives (a trigger's `event` or `events`): the `x-errorMessage` says it.
 *
 * `x-errorMessage` also replaces ajv's wording for a `pattern`, `type` or `format` error of the
 * schema that carries it ("must be a duration …" instead of the regular expression).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020, { type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** The schema lives beside the packs, in the repository's policies/ folder. */
export const POLICY_PACK_SCHEMA_FILE = path.resolve(__dirname, '../../../policies/policy-pack.schema.json');

const ERROR_MESSAGE = 'x-errorMessage';
const ANNOTATIONS = new Set(['description', 'title', 'examples', '$comment', ERROR_MESSAGE]);

/** A schema problem before the YAML line and the rule id are added. */
export interface SchemaProblem {
  path: string;
  message: string;
}

interface CompiledSchema {
  root: AnySchemaObject;
  ajv: Ajv2020;
  validate: ValidateFunction;
}

let compiled: CompiledSchema | undefined;

/** Read and compiled once per process, on first use. */
function packSchema(): CompiledSchema {
  if (!compiled) {
    const root = JSON.parse(fs.readFileSync(POLICY_PACK_SCHEMA_FILE, 'utf8')) as AnySchemaObject;
    const ajv = new Ajv2020({ allErrors: true, verbose: true, allowUnionTypes: true });
    addFormats(ajv, ['date']);
    // An annotation for authors, not a check (see above).
    ajv.addKeyword({ keyword: ERROR_MESSAGE, schemaType: 'string' });
    compiled = { root, ajv, validate: ajv.compile(root) };
  }
  return compiled;
}

/** Every way `data` (the YAML as plain data) departs from the schema; [] when it conforms. */
export function schemaProblems(data: unknown): SchemaProblem[] {
  const schema = packSchema();
  if (schema.validate(data)) return [];
  const problems = readable([...(schema.validate.errors ?? [])], '', schema);
  const unique = new Map(problems.map((p) => [`${p.path}\u0000${p.message}`, p]));
  return [...unique.values()];
}

function readable(errors: ErrorObject[], base: string, schema: CompiledSchema): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  let pending = errors;
  // Outermost first: a failed oneOf accounts for the errors beneath it, nested oneOfs included.
  const oneOfs = errors.filter((e) => e.keyword === 'oneOf').sort((a, b) => depth(a.instancePath) - depth(b.instancePath));
  for (const failed of oneOfs) {
    if (!pending.includes(failed)) continue;
    const parent = failed.parentSchema as AnySchemaObject;
    const pure = Object.keys(parent).every((k) => k === 'oneOf' || ANNOTATIONS.has(k));
    if (pure) {
      // The schema at this place is nothing but the oneOf, so everything at or under it came from it.
      pending = pending.filter((e) => !isAtOrUnder(e.instancePath, failed.instancePath));
      problems.push(...explainOneOf(failed, base, schema));
    } else {
      // Alternatives beside other keywords (a trigger's `event` or `events`): only their own errors.
      pending = pending.filter((e) => e !== failed && !(e.instancePath === failed.instancePath && e.schemaPath.startsWith(`${failed.schemaPath}/`)));
      problems.push({ path: base + failed.instancePath, message: errorMessageOf(parent) ?? 'does not match any of the allowed forms' });
    }
  }
  return [...problems, ...pending.flatMap((e) => sentencesFor(e, base, schema))];
}

function explainOneOf(failed: ErrorObject, base: string, schema: CompiledSchema): SchemaProblem[] {
  const parent = failed.parentSchema as AnySchemaObject;
  const fallback = [{ path: base + failed.instancePath, message: errorMessageOf(parent) ?? 'does not match any of the allowed forms' }];
  const alternatives = failed.schema as AnySchemaObject[];
  const refs = alternatives.map((a) => a.$ref);
  // Several alternatives fit at once, or they are inline: the schema's own sentence says it best.
  if (Array.isArray((failed.params as { passingSchemas?: unknown }).passingSchemas)) return fallback;
  if (!refs.every((r): r is string => typeof r === 'string')) return fallback;

  const tried = refs.map((ref) => {
    const validate = schema.ajv.getSchema(`${schema.root.$id as string}${ref}`);
    if (!validate || validate(failed.data)) return undefined;
    const errors = [...(validate.errors ?? [])];
    const own = errors.filter((e) => e.instancePath === '');
    // An alternative the value does not even resemble: a field of it missing, or the wrong kind of value.
    return { errors, own, meant: !own.some((e) => ['required', 'type', 'const', 'enum'].includes(e.keyword)) };
  });
  const candidates = tried.filter((t): t is NonNullable<typeof t> => t !== undefined && t.meant);
  if (candidates.length === 0) return fallback;
  const score = (c: (typeof candidates)[number]) => [c.own.length, c.errors.length];
  const [best, next] = candidates.sort((a, b) => score(a)[0] - score(b)[0] || score(a)[1] - score(b)[1]);
  // Two alternatives equally near (`{ age: …, meeting: … }`): guessing one would mislead.
  if (next && score(next).join() === score(best).join()) return fallback;
  return readable(best.errors, base + failed.instancePath, schema);
}

function sentencesFor(error: ErrorObject, base: string, schema: CompiledSchema): SchemaProblem[] {
  const at = base + error.instancePath;
  const params = error.params as Record<string, unknown>;
  const parent = error.parentSchema as AnySchemaObject | undefined;
  const custom = parent ? errorMessageOf(parent) : undefined;
  switch (error.keyword) {
    case 'required': {
      const field = String(params.missingProperty);
      const about = firstSentence(describedBy(parent?.properties?.[field], schema.root));
      return [{ path: pointer(at, field), message: `is required${about ? `: ${lowerFirst(about)}` : ''}` }];
    }
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const allowed = Object.keys((parent?.properties as Record<string, unknown> | undefined) ?? {});
      const guess = closest(field, allowed);
      // `{ name: Assessment (A, B) }` reads as a name "Assessment (A" and an empty field "B)".
      const splitByComma = !guess && (error.data as Record<string, unknown>)[field] === null;
      const hint = guess ? ` (did you mean ${guess}?)` : splitByComma ? ' (is it the end of a value cut in two by a comma? Put that value in quotes)' : '';
      return [{ path: pointer(at, field), message: `${field} is not allowed here${hint}; allowed: ${allowed.join(', ')}` }];
    }
    case 'minProperties':
    case 'maxProperties':
      return operatorCount(error, at, parent);
    case 'pattern':
    case 'format':
      return [{ path: at, message: custom ?? `must match the pattern ${String(params.pattern ?? params.format)}` }];
    case 'type':
      return [{ path: at, message: custom ?? typeMessage(params.type, error.data) }];
    case 'minItems':
      return [{ path: at, message: params.limit === 1 ? 'must list at least one' : `must list at least ${String(params.limit)}` }];
    case 'uniqueItems': {
      const items = error.data as unknown[];
      return [{ path: at, message: `lists ${JSON.stringify(items[Number(params.j)])} twice` }];
    }
    case 'minLength':
      return [{ path: at, message: 'must not be empty' }];
    case 'minimum':
      return [{ path: at, message: `must be at least ${String(params.limit)}` }];
    case 'const':
      return [{ path: at, message: custom ?? `must be ${JSON.stringify(params.allowedValue)}` }];
    default:
      return [{ path: at, message: custom ?? error.message ?? `fails the ${error.keyword} check` }];
  }
}

/**
 * A fact condition is `fact` plus exactly one operator; the schema says so with min/maxProperties
 * (the only other fields allowed are the operators), which ajv words as "must NOT have more than 2
 * properties".
 */
function operatorCount(error: ErrorObject, at: string, parent: AnySchemaObject | undefined): SchemaProblem[] {
  const operators = Object.keys((parent?.properties as Record<string, unknown> | undefined) ?? {}).filter((k) => k !== 'fact');
  const given = Object.keys((error.data as Record<string, unknown>) ?? {}).filter((k) => operators.includes(k));
  if (error.keyword === 'minProperties' && given.length === 0) {
    return [{ path: at, message: `has no operator: add one of ${operators.join(', ')}` }];
  }
  if (error.keyword === 'maxProperties' && given.length > 1) {
    return [{ path: at, message: `has ${given.length} operators (${given.join(', ')}): a condition takes exactly one; write one condition per operator` }];
  }
  return []; // a missing fact or an unknown field is reported by its own error
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'a set of fields (name: value)',
  array: 'a list',
  null: 'empty',
};

function typeMessage(type: unknown, data: unknown): string {
  const types = Array.isArray(type) ? (type as string[]) : String(type).split(',');
  const words = types.map((t) => TYPE_WORDS[t] ?? t);
  const list = words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}` : words[0];
  const hint = types.length === 1 && types[0] === 'string' && (typeof data === 'number' || typeof data === 'boolean') ? ' (put it in quotes)' : '';
  return `must be ${list}${hint}`;
}

function errorMessageOf(schema: AnySchemaObject): string | undefined {
  const message = schema[ERROR_MESSAGE];
  return typeof message === 'string' ? message : undefined;
}

/** A property's description, looked up through a `$ref` into the schema's `$defs` when it has none. */
function describedBy(property: unknown, root: AnySchemaObject): string | undefined {
  if (property === null || typeof property !== 'object') return undefined;
  const p = property as AnySchemaObject;
  if (typeof p.description === 'string') return p.description;
  const ref = typeof p.$ref === 'string' ? /^#\/\$defs\/([^/]+)$/.exec(p.$ref) : null;
  const target = ref ? (root.$defs as Record<string, AnySchemaObject> | undefined)?.[ref[1]] : undefined;
  return typeof target?.description === 'string' ? target.description : undefined;
}

// A sentence ends at a full stop before a capital letter, "e.g. A&I" excepted.
const firstSentence = (text: string | undefined): string | undefined => text?.split(/(?<!e\.g)(?<=\.)\s+(?=[A-Z])/)[0]?.replace(/\.$/, '');
const lowerFirst = (text: string): string => (/^[A-Z][a-z]/.test(text) ? text[0].toLowerCase() + text.slice(1) : text);

/** RFC 6901: '~' and '/' inside a key are escaped in a JSON pointer. */
function pointer(parent: string, key: string): string {
  return `${parent}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

const depth = (instancePath: string): number => (instancePath === '' ? 0 : instancePath.split('/').length - 1);
const isAtOrUnder = (p: string, ancestor: string): boolean => p === ancestor || p.startsWith(`${ancestor}/`);

/** The allowed name a misspelt one was probably meant to be (at most two edits away). */
function closest(word: string, candidates: string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(word.toLowerCase(), name.toLowerCase());
    if (distance <= 2 && distance < word.length && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
