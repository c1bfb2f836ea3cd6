/**
 * The SSDA903 mapping as data (contracts/imports/ssda903.mapping.yaml): its TypeScript shape, the
 * JSON Schema it must meet, and `loadSsda903Mapping`, which reads the YAML text and refuses a
 * broken mapping with every problem listed and located by line. No IO here: the caller reads the
 * file (default-mapping.ts does so for the repository's own).
 */
import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { CaseEventDataByType } from '@cto/domain';
import type { CurrentInvolvement } from '../caseload';

export type CurrentInvolvementKind = CurrentInvolvement['kind'];

export type LegalBasis = CaseEventDataByType['ChildAccommodated']['legalBasis'];
export type OrderKind = CaseEventDataByType['OrderMade']['order'];
export type CeasedReason = CaseEventDataByType['ChildCeasedLookedAfter']['reason'];
export type CarePlan = CaseEventDataByType['CLAReviewHeld']['plan'];

// The values the event schemas allow (contracts/events/case/*.schema.json); the `satisfies` makes
// the compiler say so when the catalogue and these lists part.
const LEGAL_BASES = ['s20', 'police-protection', 'EPO', 'ICO', 'care-order', 'remand'] as const satisfies readonly LegalBasis[];
const ORDERS = ['EPO', 'ICO', 'ISO', 'interim-CAO', 'care-order', 'placement-order', 'supervision-order', 'SGO', 'CAO'] as const satisfies readonly OrderKind[];
const CEASED_REASONS = ['returned-home', 'special-guardianship', 'adopted', 'child-arrangements-order', 'turned-18', 'other'] as const satisfies readonly CeasedReason[];
const CARE_PLANS = ['reunification', 'long-term-fostering', 'adoption', 'special-guardianship', 'residential', 'independence', 'other'] as const satisfies readonly CarePlan[];
const INVOLVEMENTS = ['looked-after', 'care-leaver', 'child-protection', 'child-in-need', 'assessment', 'referral', 'closed'] as const satisfies readonly CurrentInvolvementKind[];

/** The CSV tables of the return this mapping reads. */
export const SSDA903_TABLES = ['Header', 'Episodes', 'Reviews', 'UASC'] as const;
export type Ssda903Table = (typeof SSDA903_TABLES)[number];

export interface TableColumns {
  /** Every column the specification gives the table. */
  columns: string[];
  /** The columns the mapping reads: a file without one of them is refused whole. */
  required: string[];
}

export interface LegalStatusMapping {
  meaning: string;
  legalBasis: LegalBasis;
  order?: OrderKind;
  involvement: CurrentInvolvementKind;
  assumption?: string;
}

export interface NewEpisodeReasonMapping {
  meaning: string;
  startsPeriodOfCare: boolean;
  changesLegalStatus: boolean;
}

export type EpisodeCeasedMapping =
  | { meaning: string; leavesCare: false }
  | { meaning: string; leavesCare: true; reason: CeasedReason; reasonAged18OrOver?: CeasedReason; careLeaver: boolean };

export type EventDate = 'firstEpisodeStart' | 'dateOfBirth';

export interface Ssda903Mapping {
  source: 'ssda903';
  mappingVersion: number;
  dates: { format: 'DD/MM/YYYY'; timeOfDay: string };
  tables: Record<Ssda903Table, TableColumns>;
  xml: { root: string; child: string; header: string; episode: string; review: string; rename: Record<string, string>; uascFlag: string };
  sex: Record<string, string>;
  uascFlag: Record<string, string>;
  childDetails: { dateOfBirthOccurs: EventDate; uascOccurs: EventDate };
  legalStatuses: Record<string, LegalStatusMapping>;
  reasonsForNewEpisode: Record<string, NewEpisodeReasonMapping>;
  reasonsEpisodeCeased: Record<string, EpisodeCeasedMapping>;
  reviews: { plan: CarePlan; assumption: string; sequenceAssumption: string; participation: Record<string, string> };
  current: { careLeaverFromAge: number };
}

/** One thing wrong with a mapping file: where (JSON pointer, YAML line) and what. */
export interface MappingProblem {
  path: string;
  line?: number;
  message: string;
}

/** A mapping that cannot be used; every problem is listed in the message. */
export class Ssda903MappingInvalid extends Error {
  readonly code = 'SSDA903_MAPPING_INVALID';
  override readonly name = 'Ssda903MappingInvalid';
  constructor(
    readonly file: string,
    readonly problems: readonly MappingProblem[],
  ) {
    super(
      [
        `SSDA903 mapping ${file} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):`,
        ...problems.map((p) => `  ${file}${p.line === undefined ? '' : `:${p.line}`} ${p.path === '' ? '/' : p.path}: ${p.message}`),
      ].join('\n'),
    );
  }
}

// Codes are upper case in the mapping: the reader upper-cases what it reads ([V] ingress.py).
const CODE = '^[A-Z0-9]{1,8}$';
const NAME = '^[A-Z][A-Z0-9_]{0,30}$';
const COLUMN = { type: 'string', pattern: NAME };
const TEXT = { type: 'string', minLength: 1, maxLength: 600 };
const codeTable = (value: object) => ({
  type: 'object',
  minProperties: 1,
  propertyNames: { pattern: CODE },
  additionalProperties: value,
});
const table = {
  type: 'object',
  additionalProperties: false,
  required: ['columns', 'required'],
  properties: {
    columns: { type: 'array', minItems: 1, uniqueItems: true, items: COLUMN },
    required: { type: 'array', minItems: 1, uniqueItems: true, items: COLUMN },
  },
};
const eventDate = { enum: ['firstEpisodeStart', 'dateOfBirth'] };

/** The JSON Schema (draft 2020-12) of the mapping file. */
export const SSDA903_MAPPING_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'SSDA903 to case events mapping',
  type: 'object',
  additionalProperties: false,
  required: ['source', 'mappingVersion', 'dates', 'tables', 'xml', 'sex', 'uascFlag', 'childDetails', 'legalStatuses', 'reasonsForNewEpisode', 'reasonsEpisodeCeased', 'reviews', 'current'],
  properties: {
    source: { const: 'ssda903' },
    mappingVersion: { type: 'integer', minimum: 1 },
    dates: {
      type: 'object',
      additionalProperties: false,
      required: ['format', 'timeOfDay'],
      properties: {
        format: { const: 'DD/MM/YYYY' },
        // Noon UTC keeps the Europe/London date whatever the season; another time could move it.
        timeOfDay: { const: '12:00:00Z' },
      },
    },
    tables: {
      type: 'object',
      additionalProperties: false,
      required: [...SSDA903_TABLES],
      properties: Object.fromEntries(SSDA903_TABLES.map((t) => [t, table])),
    },
    xml: {
      type: 'object',
      additionalProperties: false,
      required: ['root', 'child', 'header', 'episode', 'review', 'rename', 'uascFlag'],
      properties: {
        root: COLUMN,
        child: COLUMN,
        header: COLUMN,
        episode: COLUMN,
        review: COLUMN,
        rename: { type: 'object', propertyNames: { pattern: NAME }, additionalProperties: COLUMN },
        uascFlag: COLUMN,
      },
    },
    sex: codeTable(TEXT),
    uascFlag: codeTable(TEXT),
    childDetails: {
      type: 'object',
      additionalProperties: false,
      required: ['dateOfBirthOccurs', 'uascOccurs'],
      properties: { dateOfBirthOccurs: eventDate, uascOccurs: eventDate },
    },
    legalStatuses: codeTable({
      type: 'object',
      additionalProperties: false,
      required: ['meaning', 'legalBasis', 'involvement'],
      properties: {
        meaning: TEXT,
        legalBasis: { enum: [...LEGAL_BASES] },
        order: { enum: [...ORDERS] },
        involvement: { enum: [...INVOLVEMENTS] },
        assumption: TEXT,
      },
    }),
    reasonsForNewEpisode: codeTable({
      type: 'object',
      additionalProperties: false,
      required: ['meaning', 'startsPeriodOfCare', 'changesLegalStatus'],
      properties: { meaning: TEXT, startsPeriodOfCare: { type: 'boolean' }, changesLegalStatus: { type: 'boolean' } },
    }),
    reasonsEpisodeCeased: codeTable({
      type: 'object',
      additionalProperties: false,
      required: ['meaning', 'leavesCare'],
      properties: {
        meaning: TEXT,
        leavesCare: { type: 'boolean' },
        reason: { enum: [...CEASED_REASONS] },
        reasonAged18OrOver: { enum: [...CEASED_REASONS] },
        careLeaver: { type: 'boolean' },
      },
      // A code that ends care says why and what follows; X1 (care goes on) says neither.
      if: { properties: { leavesCare: { const: true } } },
      then: { required: ['reason', 'careLeaver'] },
      else: { properties: { reason: false, reasonAged18OrOver: false, careLeaver: false } },
    }),
    reviews: {
      type: 'object',
      additionalProperties: false,
      required: ['plan', 'assumption', 'sequenceAssumption', 'participation'],
      properties: { plan: { enum: [...CARE_PLANS] }, assumption: TEXT, sequenceAssumption: TEXT, participation: codeTable(TEXT) },
    },
    current: {
      type: 'object',
      additionalProperties: false,
      required: ['careLeaverFromAge'],
      properties: { careLeaverFromAge: { type: 'integer', minimum: 0, maximum: 25 } },
    },
  },
} as const;

let validateMapping: ReturnType<Ajv2020['compile']> | undefined;

/**
 * Reads the mapping YAML and checks it: YAML syntax (a key written twice is an error), the schema,
 * and the rules the schema cannot say (each table's required columns are among its columns; some
 * reason for a new episode starts a period of care; X1's kind, a code that continues care, exists).
 * Throws `Ssda903MappingInvalid` listing every problem; `file` names the mapping in the message.
 */
export function loadSsda903Mapping(text: string, file = 'ssda903.mapping.yaml'): Ssda903Mapping {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new Ssda903MappingInvalid(
      file,
      doc.errors.map((e) => ({ path: '', line: lineCounter.linePos(e.pos[0]).line, message: e.message.split('\n')[0] })),
    );
  }
  const data: unknown = doc.toJS();
  validateMapping ??= new Ajv2020({ allErrors: true, strict: false }).compile(SSDA903_MAPPING_SCHEMA);
  const lineOf = (pointer: string) => lineOfPointer(doc, lineCounter, pointer);
  if (!validateMapping(data)) {
    throw new Ssda903MappingInvalid(file, (validateMapping.errors ?? []).map((e) => schemaProblem(e, lineOf)));
  }
  const mapping = data as Ssda903Mapping;
  const problems = semanticProblems(mapping).map((p) => ({ ...p, line: lineOf(p.path) }));
  if (problems.length > 0) throw new Ssda903MappingInvalid(file, problems);
  return mapping;
}

function semanticProblems(mapping: Ssda903Mapping): MappingProblem[] {
  const problems: MappingProblem[] = [];
  for (const name of SSDA903_TABLES) {
    const { columns, required } = mapping.tables[name];
    for (const column of required.filter((c) => !columns.includes(c))) {
      problems.push({ path: `/tables/${name}/required`, message: `${column} is required but is not one of the table's columns` });
    }
    if (!required.includes('CHILD')) problems.push({ path: `/tables/${name}/required`, message: 'CHILD must be required: every record names its child' });
  }
  if (!Object.values(mapping.reasonsForNewEpisode).some((r) => r.startsPeriodOfCare)) {
    problems.push({ path: '/reasonsForNewEpisode', message: 'no reason for a new episode starts a period of care' });
  }
  if (!Object.values(mapping.reasonsEpisodeCeased).some((r) => !r.leavesCare)) {
    problems.push({ path: '/reasonsEpisodeCeased', message: 'no reason episode ceased continues care (X1: a new episode begins the same day)' });
  }
  return problems;
}

function schemaProblem(error: ErrorObject, lineOf: (pointer: string) => number | undefined): MappingProblem {
  const params = error.params as Record<string, unknown>;
  let path = error.instancePath;
  let message = error.message ?? 'is invalid';
  if (error.keyword === 'required') {
    message = `${String(params.missingProperty)} is required`;
  } else if (error.keyword === 'additionalProperties') {
    path = `${path}/${String(params.additionalProperty)}`;
    message = 'is not a field of the mapping';
  } else if (error.keyword === 'enum') {
    message = `must be one of: ${(params.allowedValues as unknown[]).join(', ')}`;
  } else if (error.keyword === 'const') {
    message = `must be ${JSON.stringify(params.allowedValue)}`;
  } else if (error.keyword === 'false schema') {
    message = 'is not allowed for a code that does not end care';
  } else if (error.keyword === 'pattern' && params.pattern === NAME) {
    message = 'must be a column or element name: an upper-case letter, then upper-case letters, digits and _';
  } else if (error.keyword === 'propertyNames') {
    path = `${path}/${String(params.propertyName)}`;
    message = 'is not a code: codes are 1 to 8 upper-case letters and digits';
  }
  return { path, line: lineOf(path), message };
}

/** The 1-based line of the node a JSON pointer names, or of its nearest ancestor present. */
function lineOfPointer(doc: Document, lineCounter: LineCounter, pointer: string): number | undefined {
  const keys = pointer === '' ? [] : pointer.slice(1).split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = doc.contents;
  let offset: number | undefined = rangeStart(node);
  for (const key of keys) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(key)];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}

const rangeStart = (node: unknown): number | undefined =>
  node !== null && typeof node === 'object' && 'range' in node ? (node as { range?: [number, number, number] }).range?.[0] : undefined;
