/**
 * A fast-check corpus of hostile case events for the fuzz specs (issue 8 item 4), built from the
 * real JSON Schemas in contracts/events and the valid examples in @cto/contracts/testing.
 *
 * Most of the corpus is near-valid — a valid event with ONE thing wrong (a field missing, of the
 * wrong type, out of range, an invalid date, an unknown type, field or authority, a forbidden key,
 * a nest too deep, text the store cannot hold) — because those are the events that get furthest
 * into the system. The rest is garbage: values that are not envelopes at all.
 *
 * The arbitraries produce recipes (plain data) rather than events: `buildHostile` turns a recipe into
 * an event with ids given at send time, so every run sends fresh ids whatever fast-check replays.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SCHEMA_DIR } from '@cto/contracts';
import { CASE_EVENT_EXAMPLES } from '@cto/contracts/testing';

type Json = unknown;
type Schema = {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
};

const envelopeSchema = JSON.parse(readFileSync(join(DEFAULT_SCHEMA_DIR, 'case-event-envelope.schema.json'), 'utf8')) as Schema;
const dataSchemas = new Map<string, Schema>(
  readdirSync(join(DEFAULT_SCHEMA_DIR, 'case'))
    .filter((file) => file.endsWith('.schema.json'))
    .map((file) => [file.replace('.schema.json', ''), JSON.parse(readFileSync(join(DEFAULT_SCHEMA_DIR, 'case', file), 'utf8')) as Schema]),
);

export const CASE_TYPES: readonly string[] = Object.keys(CASE_EVENT_EXAMPLES);
/** Authorities with a pack in force by default (the shipped packs). */
export const AUTHORITIES_IN_FORCE: readonly string[] = ['demo', 'protocol-2023', 'casework-transfer', 'kent', 'southampton'];
/**
 * Well-formed authority ids with no pack in force. A fixed list, so a test's bearer token can be
 * scoped to them too: the request then passes tenant scoping (403 for an authority outside the
 * token) and reaches intake, which must refuse it with 400 for having no pack.
 */
export const UNKNOWN_AUTHORITIES: readonly string[] = ['nowhere', 'atlantis', 'kent-2019', 'demo-old', 'x', '0-0'];

/** RFC 6901, as the validator writes paths. */
export const pointer = (segments: readonly (string | number)[]): string =>
  segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

/** A place in an example event that a schema describes: envelope fields and data fields, nested. */
interface Slot {
  path: (string | number)[];
  schema: Schema;
}

/** Every slot of a type's example, walking the example's own values (so each slot exists in it). */
function slotsOf(type: string): Slot[] {
  const example = CASE_EVENT_EXAMPLES[type as keyof typeof CASE_EVENT_EXAMPLES] as unknown as Record<string, Json>;
  const slots: Slot[] = [];
  const walk = (value: Json, schema: Schema, path: (string | number)[]): void => {
    if (path.length > 0) slots.push({ path, schema });
    if (Array.isArray(value) && schema.items) value.forEach((item, i) => walk(item, schema.items!, [...path, i]));
    else if (value && typeof value === 'object' && schema.properties) {
      for (const [key, child] of Object.entries(value)) if (schema.properties[key]) walk(child, schema.properties[key], [...path, key]);
    }
  };
  for (const [key, value] of Object.entries(example)) {
    if (key === 'data') {
      slots.push({ path: ['data'], schema: { type: 'object' } });
      walk(value, dataSchemas.get(type)!, ['data']);
    } else if (envelopeSchema.properties?.[key]) {
      slots.push({ path: [key], schema: envelopeSchema.properties[key] });
    }
  }
  return slots;
}

/** Required fields present in the example, envelope and data, at any depth. */
function requiredOf(type: string): (string | number)[][] {
  const example = CASE_EVENT_EXAMPLES[type as keyof typeof CASE_EVENT_EXAMPLES] as unknown as Record<string, Json>;
  const required: (string | number)[][] = (envelopeSchema.required ?? []).map((key) => [key]);
  const walk = (value: Json, schema: Schema, path: (string | number)[]): void => {
    if (!value || typeof value !== 'object' || Array.isArray(value) || !schema.properties) return;
    for (const key of schema.required ?? []) required.push([...path, key]);
    for (const [key, child] of Object.entries(value)) if (schema.properties[key]) walk(child, schema.properties[key], [...path, key]);
  };
  walk(example.data, dataSchemas.get(type)!, ['data']);
  return required;
}

/** Objects in the example an unknown field can be added to: the envelope and every object in data. */
function containersOf(type: string): (string | number)[][] {
  return [[], ...slotsOf(type).filter((slot) => slot.schema.type === 'object').map((slot) => slot.path)];
}

const SLOTS = new Map(CASE_TYPES.map((type) => [type, slotsOf(type)]));
const REQUIRED = new Map(CASE_TYPES.map((type) => [type, requiredOf(type)]));
const CONTAINERS = new Map(CASE_TYPES.map((type) => [type, containersOf(type)]));
/** Every property name a schema declares, at any depth. */
function propertyNames(schema: Schema): string[] {
  const nested = Object.values(schema.properties ?? {}).flatMap((child) => propertyNames(child));
  return [...Object.keys(schema.properties ?? {}), ...nested, ...(schema.items ? propertyNames(schema.items) : [])];
}
const KNOWN_KEYS = new Set([...Object.keys(envelopeSchema.properties ?? {}), ...[...dataSchemas.values()].flatMap((schema) => propertyNames(schema))]);

/**
 * One thing wrong with a valid event of `type`:
 *  - set:     the value at `path` replaced (wrong type, out of range, bad date, hostile text, deep nest …)
 *  - missing: a required field at `path` removed
 *  - extra:   a field `key` added to the object at `path` (unknown, or a prototype key)
 *  - garbage: not an envelope at all (`value` is sent in the event's place)
 */
export type HostileRecipe =
  | { kind: 'set'; why: string; type: string; path: (string | number)[]; value: Json }
  | { kind: 'missing'; why: string; type: string; path: (string | number)[] }
  | { kind: 'extra'; why: string; type: string; path: (string | number)[]; key: string; value: Json }
  | { kind: 'garbage'; why: string; value: Json };

export interface HostileEvent {
  /** What goes on the wire (JSON-serialisable; may be anything but an envelope). */
  value: Json;
  /** The eventId it carries, when it still carries one (to check nothing of it was stored). */
  eventId?: string;
  /**
   * A JSON Pointer the rejection must name (an error at it or below it), or undefined when the
   * event is garbage and any field-level reason will do.
   */
  expectPath?: string;
  why: string;
}

const jsonScalar = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 20 }));
const smallJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    jsonScalar,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** A value whose JSON type is not what `schema` asks for. */
function wrongTypeFor(schema: Schema): fc.Arbitrary<Json> {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const candidates: Record<string, fc.Arbitrary<Json>> = {
    string: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.constant({ value: 'x' })),
    integer: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)), fc.string({ maxLength: 5 }), fc.boolean(), fc.constant(null), fc.constant([1])),
    number: fc.oneof(fc.string({ maxLength: 5 }), fc.boolean(), fc.constant(null), fc.constant({})),
    boolean: fc.oneof(fc.constantFrom('true', 'false', 'yes', 1, 0, null), fc.constant([true])),
    array: fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constant({ 0: 'x' }), fc.constant(null)),
    object: fc.oneof(fc.array(jsonScalar, { maxLength: 3 }), fc.string({ maxLength: 5 }), fc.integer(), fc.constant(null), fc.boolean()),
  };
  return candidates[type ?? 'string'] ?? candidates.string;
}

const INVALID_INSTANTS = [
  '2026-02-29T10:00:00Z', // 2026 is not a leap year
  '2026-02-30T10:00:00Z',
  '2026-13-01T10:00:00Z',
  '2026-00-10T10:00:00Z',
  '2026-03-02T24:00:00Z',
  '2026-03-02T10:60:00Z',
  '2026-03-02T10:00Z',
  '2026-03-02T10:00:00',
  '2026-03-02 10:00:00Z',
  '2026-03-02',
  '0000-03-02T10:00:00Z',
  '2026-03-02T10:00:00+25:00',
  '2026-03-02T10:00:00.Z',
  '+002026-03-02T10:00:00Z',
  'yesterday',
  'NaN',
  '',
  '2026-03-02T10:00:00Z\n',
  '２０２６-03-02T10:00:00Z',
];
const INVALID_DATES = ['2026-02-30', '2025-02-29', '2026-13-01', '2026-04-31', '2026-1-1', '26-01-01', '2026/01/01', '2026-01-01T00:00:00Z', 'tomorrow', '', '20260101'];

/** Text no field accepts, or the store could not hold: control characters, NUL, lone surrogates, bidi tricks at the ends. */
const HOSTILE_TEXT = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', '\u0007bell', 'line\u001bescape', '\ud800', 'abc\udfffdef', '\udc00\ud800', 'x\u0085y', 'del\u007f'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }).map((s) => `${s}\ud800`),
);

/** Values that are wrong for this slot whatever the schema (one of several kinds). */
function corruptionsFor(slot: Slot, maxHuge: number): fc.Arbitrary<{ why: string; value: Json }>[] {
  const { schema, path } = slot;
  const field = path[path.length - 1];
  const out: fc.Arbitrary<{ why: string; value: Json }>[] = [wrongTypeFor(schema).map((value) => ({ why: 'wrong type', value }))];
  if (schema.type === 'string') {
    const limit = schema.maxLength ?? 1000;
    const hugeFrom = Math.max(limit + 1, 1001);
    if (hugeFrom <= maxHuge) out.push(fc.integer({ min: hugeFrom, max: maxHuge }).map((n) => ({ why: 'huge string', value: 'x'.repeat(n) })));
    if (schema.format === 'date-time') out.push(fc.constantFrom(...INVALID_INSTANTS).map((value) => ({ why: 'invalid date-time', value })));
    if (schema.format === 'date') out.push(fc.constantFrom(...INVALID_DATES).map((value) => ({ why: 'invalid date', value })));
    if (schema.enum) out.push(fc.string({ maxLength: 30 }).filter((s) => !schema.enum!.includes(s)).map((value) => ({ why: 'not in enum', value })));
    if (!schema.enum && !schema.format && field !== 'type' && field !== 'authority') out.push(HOSTILE_TEXT.map((value) => ({ why: 'hostile text', value })));
    if (field === 'eventId' || field === 'childId' || field === 'familyId') {
      out.push(fc.constantFrom('', ' ', 'has space', '-leading-dash', 'ünïcode', 'a/b', 'a\nb', '../../etc/passwd', "'; DROP TABLE events; --").map((value) => ({ why: 'bad id', value })));
    }
    if (field === 'type') {
      out.push(fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('icpcheld', 'ICPCHeld.v2', 'TransferProposed', 'ICPCHeld ', 'Object', '__proto__', 'constructor')).filter((s) => !CASE_TYPES.includes(s)).map((value) => ({ why: 'unknown type', value })));
    }
    if (field === 'authority' && path.length === 1) {
      out.push(fc.constantFrom(...UNKNOWN_AUTHORITIES).map((value) => ({ why: 'unknown authority', value })));
      out.push(fc.constantFrom('Kent', 'KENT', 'kent ', '-kent', 'a'.repeat(64), 'ke_nt').map((value) => ({ why: 'authority off pattern', value })));
    }
  }
  if ((schema.type === 'integer' || schema.type === 'number') && (schema.minimum !== undefined || schema.maximum !== undefined)) {
    const below = schema.minimum !== undefined ? [schema.minimum - 1, -1e21, Number.MIN_SAFE_INTEGER] : [];
    const above = schema.maximum !== undefined ? [schema.maximum + 1, 1e21, Number.MAX_SAFE_INTEGER * 4] : [];
    out.push(fc.constantFrom(...below, ...above).map((value) => ({ why: 'out of range', value })));
  }
  if (schema.type === 'array' && schema.maxItems !== undefined) {
    out.push(fc.integer({ min: schema.maxItems + 1, max: schema.maxItems + 40 }).map((n) => ({ why: 'too many items', value: Array.from({ length: n }, (_, i) => `item ${i}`) })));
  }
  // Nesting far deeper than any event needs: the guard must stop it before anything recurses.
  out.push(fc.integer({ min: 11, max: 400 }).chain((depth) => fc.boolean().map((arrays) => ({ why: `nested ${depth} deep`, value: nest(depth, arrays) }))));
  return out;
}

function nest(depth: number, arrays: boolean): Json {
  let value: Json = 'bottom';
  for (let i = 0; i < depth; i++) value = arrays ? [value] : { deeper: value };
  return value;
}

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'];

/** Options: `maxHuge` bounds huge strings (a batch must stay under the 2 MB body limit). */
export function hostileRecipe(options: { maxHuge: number }): fc.Arbitrary<HostileRecipe> {
  const type = fc.constantFrom(...CASE_TYPES);
  const set = type.chain((t) =>
    fc.constantFrom(...SLOTS.get(t)!).chain((slot) =>
      fc.oneof(...corruptionsFor(slot, options.maxHuge)).map(({ why, value }): HostileRecipe => ({ kind: 'set', why, type: t, path: slot.path, value })),
    ),
  );
  const missing = type.chain((t) => fc.constantFrom(...REQUIRED.get(t)!).map((path): HostileRecipe => ({ kind: 'missing', why: 'required field missing', type: t, path })));
  const extra = type.chain((t) =>
    fc.constantFrom(...CONTAINERS.get(t)!).chain((path) =>
      fc
        .tuple(
          fc.oneof(
            { weight: 2, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS).map((key) => ({ key, why: 'prototype key' })) },
            { weight: 3, arbitrary: fc.string({ minLength: 0, maxLength: 20 }).filter((key) => !KNOWN_KEYS.has(key) && !PROTOTYPE_KEYS.includes(key)).map((key) => ({ key, why: 'unknown field' })) },
            { weight: 1, arbitrary: fc.constantFrom('colour', 'Outcome', 'childID', 'data ', 'isAdmin', 'toString', 'hasOwnProperty', '$where').filter((key) => !KNOWN_KEYS.has(key)).map((key) => ({ key, why: 'unknown field' })) },
          ),
          fc.oneof(smallJson, fc.constant({ polluted: true, isAdmin: true })),
        )
        .map(([{ key, why }, value]): HostileRecipe => ({ kind: 'extra', why, type: t, path, key, value })),
    ),
  );
  const garbage = fc
    .oneof(jsonScalar, fc.array(smallJson, { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 10 }), smallJson, { maxKeys: 5 }), fc.constant({}))
    .map((value): HostileRecipe => ({ kind: 'garbage', why: 'not an envelope', value }));
  return fc.oneof({ weight: 10, arbitrary: set }, { weight: 3, arbitrary: missing }, { weight: 4, arbitrary: extra }, { weight: 1, arbitrary: garbage });
}

/** A valid event of a random type: the example with fresh ids. */
export const validType = fc.constantFrom(...CASE_TYPES);

/** Fresh ids for one event: each run sends events nobody has sent before. */
export interface Ids {
  eventId: string;
  childId: string;
}

export function buildValid(type: string, ids: Ids): Record<string, Json> {
  const event = structuredClone(CASE_EVENT_EXAMPLES[type as keyof typeof CASE_EVENT_EXAMPLES]) as unknown as Record<string, Json>;
  return { ...event, eventId: ids.eventId, childId: ids.childId, familyId: `F-${ids.childId}` };
}

export function buildHostile(recipe: HostileRecipe, ids: Ids): HostileEvent {
  if (recipe.kind === 'garbage') return { value: recipe.value, why: recipe.why };
  const event = buildValid(recipe.type, ids);
  const parentOf = (path: (string | number)[]): Record<string | number, Json> =>
    path.slice(0, -1).reduce<Json>((node, key) => (node as Record<string | number, Json>)[key], event) as Record<string | number, Json>;
  const last = recipe.path[recipe.path.length - 1];
  let expectPath: string;
  switch (recipe.kind) {
    case 'set':
      parentOf(recipe.path)[last] = recipe.value;
      expectPath = pointer(recipe.path);
      break;
    case 'missing':
      delete parentOf(recipe.path)[last];
      expectPath = pointer(recipe.path);
      break;
    case 'extra': {
      const container = recipe.path.reduce<Json>((node, key) => (node as Record<string | number, Json>)[key], event) as Record<string, Json>;
      // defineProperty, so '__proto__' becomes an own key as JSON.parse would make it (plain
      // assignment would set the prototype instead, and JSON.stringify would drop it).
      Object.defineProperty(container, recipe.key, { value: recipe.value, enumerable: true, writable: true, configurable: true });
      expectPath = pointer([...recipe.path, recipe.key]);
      break;
    }
  }
  const eventId = typeof event.eventId === 'string' ? event.eventId : undefined;
  return { value: event, ...(eventId !== undefined ? { eventId } : {}), expectPath, why: `${recipe.why} at ${expectPath || '(root)'}` };
}

/** The rejection names the expected place: an error at `expectPath` or inside it. */
export function namesPath(errors: readonly { path: string }[], expectPath: string | undefined): boolean {
  if (expectPath === undefined) return errors.length > 0;
  return errors.some((e) => e.path === expectPath || e.path.startsWith(`${expectPath}/`));
}
