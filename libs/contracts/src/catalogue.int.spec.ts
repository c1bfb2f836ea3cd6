import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
// The domain is the source of truth for the catalogue. Its index is not stable yet, so the tests
// read the event modules by path (namespace imports, so the boundary rule has nothing to rewrite).
import * as cases from '@cto/domain';
import * as decisions from '@cto/domain';
import { DEFAULT_SCHEMA_DIR } from './schema-catalogue';

/*
 * The catalogue check: the schema files in contracts/events are exactly the types the domain
 * declares, and each schema says what its TypeScript type says (the same fields, the same optional
 * ones, the same enums, dates where the type says LocalDate, null where it allows null). The
 * TypeScript side is read with the compiler's own type checker, so the comparison follows aliases
 * (OrderKind), intersections (RuleReference & …) and nested objects.
 */

type Json = Record<string, unknown>;
const readJson = (...parts: string[]): Json => JSON.parse(fs.readFileSync(path.join(DEFAULT_SCHEMA_DIR, ...parts), 'utf8')) as Json;
const typesIn = (folder: string, except: string[] = []) =>
  fs
    .readdirSync(path.join(DEFAULT_SCHEMA_DIR, folder))
    .filter((f) => f.endsWith('.schema.json') && !except.includes(f))
    .map((f) => f.replace(/\.schema\.json$/, ''))
    .sort();

describe('the schema catalogue is the domain catalogue', () => {
  it('has one case/<type>.schema.json per CASE_EVENT_TYPES entry, and no other', () => {
    expect(typesIn('case')).toEqual([...cases.CASE_EVENT_TYPES].sort());
  });

  it('has one decisions/<type>.schema.json per DECISION_TYPES entry, and no other (besides common)', () => {
    expect(typesIn('decisions', ['common.schema.json'])).toEqual([...decisions.DECISION_TYPES].sort());
  });

  it('lists every case event type, in catalogue order, in the envelope', () => {
    const envelope = readJson('case-event-envelope.schema.json') as { properties: { type: { enum: string[] } } };
    expect(envelope.properties.type.enum).toEqual([...cases.CASE_EVENT_TYPES]);
  });

  it('lists every decision type, in catalogue order, in the decision envelope', () => {
    const envelope = readJson('decision-envelope.schema.json') as { properties: { type: { enum: string[] } } };
    expect(envelope.properties.type.enum).toEqual([...decisions.DECISION_TYPES]);
  });

  it('repeats the decision envelope, field for field, in every decision schema', () => {
    const envelope = readJson('decision-envelope.schema.json') as { required: string[]; properties: Record<string, unknown> };
    const { type: _type, data: _data, ...shared } = envelope.properties;
    for (const type of decisions.DECISION_TYPES) {
      const schema = readJson('decisions', `${type}.schema.json`) as { required: string[]; properties: Record<string, unknown> };
      const { type: constant, data: _d, ...fields } = schema.properties;
      expect({ type, fields, required: schema.required, constant }).toEqual({
        type,
        fields: shared,
        required: envelope.required,
        constant: { description: 'The decision type.', const: type },
      });
    }
  });
});

describe('every schema file is well formed', () => {
  const files = [
    'case-event-envelope.schema.json',
    'decision-envelope.schema.json',
    ...typesIn('case').map((t) => `case/${t}.schema.json`),
    ...typesIn('decisions').map((t) => `decisions/${t}.schema.json`),
  ];

  it.each(files)('%s: draft 2020-12, a versioned $id, a title and a description', (file) => {
    const schema = readJson(file);
    const name = path.basename(file, '.schema.json');
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(`https://schemas.case-transfer.example/events/${path.dirname(file) === '.' ? '' : `${path.dirname(file)}/`}${name}.v1.json`);
    expect(typeof schema.title).toBe('string');
    expect(String(schema.description).length).toBeGreaterThan(20);
  });

  it.each(files)('%s: closed objects, bounded strings, arrays and numbers', (file) => {
    expect(unboundedParts(readJson(file), file)).toEqual([]);
  });
});

/** Where a schema lets unknown fields or unbounded values through (hostile input). */
function unboundedParts(schema: Json, at: string): string[] {
  const found: string[] = [];
  const types = ([] as unknown[]).concat(schema.type ?? []);
  const closed = schema.additionalProperties === false || schema.unevaluatedProperties === false;
  // RuleReference is open on purpose: each decision's data closes itself around it.
  const openByDesign = at.endsWith('/$defs/RuleReference');
  if (types.includes('object') && !closed && !openByDesign && !at.endsWith('envelope.schema.json/properties/data')) {
    found.push(`${at}: object without additionalProperties: false`);
  }
  const boundedString =
    schema.enum !== undefined || schema.const !== undefined || schema.format !== undefined || schema.maxLength !== undefined || /\{0,\d+\}\$$/.test(String(schema.pattern ?? ''));
  if (types.includes('string') && !boundedString) found.push(`${at}: string without maxLength`);
  if (types.includes('array') && schema.maxItems === undefined) found.push(`${at}: array without maxItems`);
  if ((types.includes('integer') || types.includes('number')) && (schema.minimum === undefined || schema.maximum === undefined)) {
    found.push(`${at}: number without minimum and maximum`);
  }
  for (const key of ['properties', '$defs'] as const) {
    for (const [name, child] of Object.entries((schema[key] as Record<string, Json> | undefined) ?? {})) {
      found.push(...unboundedParts(child, `${at}/${key}/${name}`));
    }
  }
  if (schema.items !== undefined) found.push(...unboundedParts(schema.items as Json, `${at}/items`));
  return found;
}

// ---- Schema ⇔ TypeScript

/** A shape both sides can be reduced to. Integers and numbers are both `number`. */
type Shape =
  | { kind: 'string'; date: boolean }
  | { kind: 'enum'; values: string[] }
  | { kind: 'boolean' }
  | { kind: 'number' }
  | { kind: 'nullable'; of: Shape }
  | { kind: 'array'; of: Shape }
  | { kind: 'object'; fields: Record<string, { optional: boolean; shape: Shape }> };

const domainDir = path.resolve(__dirname, '../../domain/src/events');
let checker: ts.TypeChecker;
let sourceFiles: Record<'cases' | 'decisions', ts.SourceFile>;

beforeAll(() => {
  const files = { cases: path.join(domainDir, 'case-events.ts'), decisions: path.join(domainDir, 'decision-events.ts') };
  const program = ts.createProgram(Object.values(files), { strict: true, noEmit: true, skipLibCheck: true, types: [] });
  checker = program.getTypeChecker();
  sourceFiles = {
    cases: program.getSourceFile(files.cases) as ts.SourceFile,
    decisions: program.getSourceFile(files.decisions) as ts.SourceFile,
  };
});

function tsShapesOf(file: 'cases' | 'decisions', interfaceName: string): Record<string, Shape> {
  const declaration = sourceFiles[file].statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === interfaceName,
  );
  if (declaration === undefined) throw new Error(`no interface ${interfaceName}`);
  const byType: Record<string, Shape> = {};
  for (const member of checker.getPropertiesOfType(checker.getTypeAtLocation(declaration))) {
    const memberDeclaration = member.declarations?.[0] as ts.PropertySignature;
    byType[member.name] = tsShape(checker.getTypeOfSymbolAtLocation(member, memberDeclaration), memberDeclaration.type?.getText() ?? '');
  }
  return byType;
}

function tsShape(type: ts.Type, written: string): Shape {
  const members = type.isUnion() ? type.types : [type];
  const defined = members.filter((t) => !(t.flags & ts.TypeFlags.Undefined));
  const withoutNull = defined.filter((t) => !(t.flags & ts.TypeFlags.Null));
  if (withoutNull.length < defined.length) return { kind: 'nullable', of: tsShapeOfMembers(withoutNull, written) };
  return tsShapeOfMembers(defined, written);
}

function tsShapeOfMembers(members: readonly ts.Type[], written: string): Shape {
  if (members.every((t) => t.flags & ts.TypeFlags.BooleanLiteral) || (members.length === 1 && members[0].flags & ts.TypeFlags.Boolean)) {
    return { kind: 'boolean' };
  }
  if (members.every((t) => t.isStringLiteral())) return { kind: 'enum', values: members.map((t) => (t as ts.StringLiteralType).value).sort() };
  if (members.length !== 1) throw new Error(`cannot compare the union ${members.map((t) => checker.typeToString(t)).join(' | ')}`);
  const [type] = members;
  if (type.flags & ts.TypeFlags.String) return { kind: 'string', date: /\bLocalDate\b/.test(written) };
  if (type.flags & ts.TypeFlags.Number) return { kind: 'number' };
  if (checker.isArrayType(type)) {
    const [item] = checker.getTypeArguments(type as ts.TypeReference);
    return { kind: 'array', of: tsShape(item, written.replace(/\[\]$/, '')) };
  }
  const fields: Record<string, { optional: boolean; shape: Shape }> = {};
  for (const property of checker.getPropertiesOfType(type)) {
    const declaration = property.declarations?.[0] as ts.PropertySignature;
    fields[property.name] = {
      optional: (property.flags & ts.SymbolFlags.Optional) !== 0,
      shape: tsShape(checker.getTypeOfSymbolAtLocation(property, declaration), declaration.type?.getText() ?? ''),
    };
  }
  return { kind: 'object', fields };
}

const commonDefs = () => (readJson('decisions', 'common.schema.json') as { $defs: Record<string, Json> }).$defs;

function schemaShape(schema: Json): Shape {
  if (typeof schema.$ref === 'string' && schema.properties === undefined) return schemaShape(resolve(schema.$ref));
  if (Array.isArray(schema.enum)) return { kind: 'enum', values: schema.enum.map(String).sort() };
  const types = ([] as unknown[]).concat(schema.type);
  if (types.includes('null')) return { kind: 'nullable', of: schemaShape({ ...schema, type: types.filter((t) => t !== 'null')[0] }) };
  switch (types[0]) {
    case 'string':
      return { kind: 'string', date: schema.format === 'date' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'integer':
    case 'number':
      return { kind: 'number' };
    case 'array':
      return { kind: 'array', of: schemaShape(schema.items as Json) };
    case 'object': {
      const merged = typeof schema.$ref === 'string' ? resolve(schema.$ref) : { properties: {}, required: [] };
      const properties = { ...(merged.properties as Record<string, Json>), ...((schema.properties as Record<string, Json>) ?? {}) };
      const required = [...((merged.required as string[]) ?? []), ...((schema.required as string[]) ?? [])];
      return {
        kind: 'object',
        fields: Object.fromEntries(
          Object.entries(properties).map(([name, child]) => [name, { optional: !required.includes(name), shape: schemaShape(child) }]),
        ),
      };
    }
    default:
      throw new Error(`cannot compare the schema ${JSON.stringify(schema)}`);
  }
}

function resolve(ref: string): Json {
  const match = /^https:\/\/schemas\.case-transfer\.example\/events\/decisions\/common\.v1\.json#\/\$defs\/(\w+)$/.exec(ref);
  if (match === null) throw new Error(`unexpected $ref ${ref}`);
  return commonDefs()[match[1]];
}

describe('each schema says what its TypeScript type says', () => {
  it.each([...cases.CASE_EVENT_TYPES])('case event %s: data', (type) => {
    expect(schemaShape(readJson('case', `${type}.schema.json`))).toEqual(tsShapesOf('cases', 'CaseEventDataByType')[type]);
  });

  it.each([...decisions.DECISION_TYPES])('decision %s: data', (type) => {
    const record = readJson('decisions', `${type}.schema.json`) as { properties: { data: Json } };
    expect(schemaShape(record.properties.data)).toEqual(tsShapesOf('decisions', 'DecisionDataByType')[type]);
  });

  it('the envelope has the fields of CaseEventEnvelope, optional where it has them optional, and a type and data (each CaseEvent member\'s)', () => {
    const envelope = schemaShape(readJson('case-event-envelope.schema.json')) as Extract<Shape, { kind: 'object' }>;
    const fromSchema = Object.fromEntries(Object.entries(envelope.fields).map(([name, field]) => [name, field.optional]));
    expect(fromSchema).toEqual({ ...tsOptionality('cases', 'CaseEventEnvelope'), type: false, data: false });
  });
});

/** Field name → optional, for an interface (generic ones too). */
function tsOptionality(file: 'cases' | 'decisions', interfaceName: string): Record<string, boolean> {
  const declaration = sourceFiles[file].statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === interfaceName,
  );
  if (declaration === undefined) throw new Error(`no interface ${interfaceName}`);
  return Object.fromEntries(
    declaration.members.filter(ts.isPropertySignature).map((member) => [member.name.getText(), member.questionToken !== undefined]),
  );
}
