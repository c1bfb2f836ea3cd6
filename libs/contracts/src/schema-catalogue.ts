import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020, { type AnySchemaObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** The repository's contracts/events, found from this source file. */
export const DEFAULT_SCHEMA_DIR = path.resolve(__dirname, '../../../contracts/events');

/** The schemas in contracts/events are missing, malformed or disagree with each other. */
export class ContractSchemaError extends Error {
  readonly code = 'CONTRACT_SCHEMAS_INVALID';
  constructor(
    readonly schemaDir: string,
    readonly problems: readonly string[],
  ) {
    super(`the event schemas in ${schemaDir} cannot be used: ${problems.join('; ')}`);
  }
}

/** One family of events: an envelope schema naming the types, and one schema per type. */
export interface SchemaFamily {
  types: readonly string[];
  envelope: ValidateFunction;
  byType: ReadonlyMap<string, ValidateFunction>;
}

interface FamilyLayout {
  envelopeFile: string;
  typeFolder: string;
  /** Files in the type folder that are not a type (shared definitions). */
  sharedFiles: readonly string[];
}

const CASE_LAYOUT: FamilyLayout = { envelopeFile: 'case-event-envelope.schema.json', typeFolder: 'case', sharedFiles: [] };
const DECISION_LAYOUT: FamilyLayout = {
  envelopeFile: 'decision-envelope.schema.json',
  typeFolder: 'decisions',
  sharedFiles: ['common.schema.json'],
};
const SUFFIX = '.schema.json';

/** Loads and compiles the case-event schemas: the envelope and each type's `data`. */
export function loadCaseEventSchemas(schemaDir: string): SchemaFamily {
  return loadFamily(schemaDir, CASE_LAYOUT);
}

/** Loads and compiles the decision schemas: the envelope and each type's whole record. */
export function loadDecisionSchemas(schemaDir: string): SchemaFamily {
  return loadFamily(schemaDir, DECISION_LAYOUT);
}

function loadFamily(schemaDir: string, layout: FamilyLayout): SchemaFamily {
  const problems: string[] = [];
  const ajv = newAjv();
  const read = (file: string): AnySchemaObject | undefined => {
    try {
      const schema = JSON.parse(fs.readFileSync(path.join(schemaDir, file), 'utf8')) as AnySchemaObject;
      if (typeof schema.$id !== 'string') problems.push(`${file} has no $id`);
      return schema;
    } catch (error) {
      problems.push(`${file}: ${(error as Error).message}`);
      return undefined;
    }
  };

  const envelopeSchema = read(layout.envelopeFile);
  const typeFiles = listSchemaFiles(schemaDir, layout.typeFolder, problems).filter((f) => !layout.sharedFiles.includes(f));
  const shared = layout.sharedFiles.map((f) => read(path.join(layout.typeFolder, f)));
  const typeSchemas = new Map(typeFiles.map((f) => [f.slice(0, -SUFFIX.length), read(path.join(layout.typeFolder, f))]));

  const declared = (envelopeSchema?.properties as Record<string, { enum?: unknown }> | undefined)?.type?.enum;
  const types = Array.isArray(declared) ? declared.map(String) : [];
  if (!Array.isArray(declared)) problems.push(`${layout.envelopeFile} does not list the types (properties.type.enum)`);
  for (const type of types) {
    if (!typeSchemas.has(type)) problems.push(`type ${type} has no ${layout.typeFolder}/${type}${SUFFIX}`);
  }
  for (const type of typeSchemas.keys()) {
    if (!types.includes(type)) problems.push(`${layout.typeFolder}/${type}${SUFFIX} is not a type listed in ${layout.envelopeFile}`);
  }
  for (const [type, schema] of typeSchemas) {
    const constant = (schema?.properties as Record<string, { const?: unknown }> | undefined)?.type?.const;
    if (constant !== undefined && constant !== type) problems.push(`${layout.typeFolder}/${type}${SUFFIX} says its type is ${String(constant)}`);
  }
  if (problems.length > 0) throw new ContractSchemaError(schemaDir, problems);

  try {
    for (const schema of [...shared, ...typeSchemas.values()]) ajv.addSchema(schema as AnySchemaObject);
    const envelope = ajv.compile(envelopeSchema as AnySchemaObject);
    const byType = new Map(types.map((type) => [type, ajv.compile(typeSchemas.get(type) as AnySchemaObject)]));
    return { types, envelope, byType };
  } catch (error) {
    throw new ContractSchemaError(schemaDir, [(error as Error).message]);
  }
}

function listSchemaFiles(schemaDir: string, folder: string, problems: string[]): string[] {
  try {
    return fs
      .readdirSync(path.join(schemaDir, folder))
      .filter((f) => f.endsWith(SUFFIX))
      .sort();
  } catch (error) {
    problems.push(`${folder}: ${(error as Error).message}`);
    return [];
  }
}

// strict: a typo in a schema fails here, at construction, not silently at run time. allErrors:
// every problem is reported. verbose: errors carry their schema, so a pattern on a date-time field
// can be reported as a date-time problem. allowUnionTypes: `"type": ["string", "null"]` for
// dates that may be unknown (dueBy).
function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true, allowUnionTypes: true });
  // ajv-formats' date-time requires an offset ('2026-03-02T10:00:00' is refused); the schemas add
  // a pattern for the canonical spelling (upper-case T, seconds, ±hh:mm or Z).
  addFormats(ajv, ['date', 'date-time']);
  return ajv;
}
