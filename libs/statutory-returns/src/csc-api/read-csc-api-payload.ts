/**
 * `npm run import -- csc-api`'s reader (issue 17, items 2, 3 and 6): a DfE children's social care
 * API payload, as text, in; the authority's children as case events, and every refusal, out.
 * Strings in, data out: the schema and the mapping arrive compiled and parsed, nothing is read
 * from disk or the clock here (`loadCscApiContracts` reads the repository's files).
 *
 * In order: the text must be JSON; it must be this payload at all (`{ la_code, Children }`, or a
 * bare array of child records); it is checked against the schema; each child is checked for what
 * the schema cannot see; then mapped. A child with any problem is refused whole: none of its
 * events is returned.
 */
import type { ImportedChild, MappedCaseload, Refusal } from '../caseload';
import { childProblems, viewOf } from './child-view';
import { mapChild } from './map-child';
import type { CscApiMapping } from './mapping';
import { pointerTo, quoted, type CscApiPayloadSchema, type CscChild, type PayloadProblem } from './payload';

export interface ReadCscApiPayloadInput {
  /** The authority the children are imported for: every event's `authority`. */
  authority: string;
  /** The payload file's name (for refusals) and its text. */
  payload: { file: string; text: string };
  /** contracts/imports/csc-api-children.schema.json, compiled (`compileCscApiPayloadSchema`). */
  schema: CscApiPayloadSchema;
  /** contracts/imports/csc-api.mapping.yaml, parsed and checked (`loadCscApiMapping`). */
  mapping: CscApiMapping;
}

/** The authority given to the reader is no authority id: every event would be refused at intake. */
export class CscApiAuthorityInvalid extends Error {
  readonly code = 'CSC_API_AUTHORITY_INVALID';
  constructor(readonly authority: string) {
    super(`${quoted(authority)} is not an authority id (1 to 63 lower-case letters, digits and '-')`);
  }
}

// The case-event envelope's rules (contracts/events/case-event-envelope.schema.json).
const AUTHORITY = /^[a-z0-9][a-z0-9-]{0,62}$/;
const CHILD_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const MAX_CHILD_ID_LENGTH = 100;

export function readCscApiPayload({ authority, payload, schema, mapping }: ReadCscApiPayloadInput): MappedCaseload {
  if (!AUTHORITY.test(authority)) throw new CscApiAuthorityInvalid(authority);
  const { file } = payload;
  const nothing = (refusal: Omit<Refusal, 'file'>): MappedCaseload => ({
    source: 'csc-api',
    authority,
    childrenRead: 0,
    children: [],
    refusals: [{ file, ...refusal }],
    refusedChildren: [],
  });

  // PowerShell writes UTF-8 with a byte-order mark (the D2I smoke test says so); JSON.parse does not take one.
  const text = payload.text.replace(/^\uFEFF/, '');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return nothing(jsonProblem(text, error as Error));
  }

  const shape = shapeOf(data);
  if (shape === undefined) {
    return nothing({
      path: '',
      reason: 'is not a DfE CSC API children payload: expected { "la_code": …, "Children": [ child records ] } or an array of child records (each with la_child_id)',
    });
  }

  const base = shape === 'envelope' ? '/Children' : '';
  const records: unknown[] = shape === 'envelope' ? (Array.isArray((data as { Children: unknown }).Children) ? (data as { Children: unknown[] }).Children : []) : (data as unknown[]);
  const problems = shape === 'envelope' ? schema.checkEnvelope(data) : schema.checkChildren(data);

  // Each problem belongs to the child whose array element it is in; the rest are the file's.
  const refusals: Refusal[] = [];
  const problemsOf = new Map<number, PayloadProblem[]>();
  for (const problem of problems) {
    const index = childIndexOf(problem.path, base);
    if (index === undefined) refusals.push({ file, ...problem });
    else problemsOf.set(index, [...(problemsOf.get(index) ?? []), problem]);
  }

  const idOf = (record: unknown): string | undefined => {
    const id = (record as { la_child_id?: unknown } | null)?.la_child_id;
    return typeof id === 'string' && id.length > 0 && id.length <= MAX_CHILD_ID_LENGTH ? id : undefined;
  };
  const timesSeen = new Map<string, number>();
  for (const record of records) {
    const id = idOf(record);
    if (id !== undefined) timesSeen.set(id, (timesSeen.get(id) ?? 0) + 1);
  }

  const children: ImportedChild[] = [];
  const refused = new Set<string>();
  records.forEach((record, index) => {
    const path = pointerTo(base, index);
    const childId = idOf(record);
    const found = [...(problemsOf.get(index) ?? [])];
    if (found.length === 0) {
      const child = record as CscChild;
      found.push(...identityProblems(child, path, timesSeen));
      if (found.length === 0) found.push(...childProblems(viewOf(child, path), mapping));
    }
    if (found.length > 0) {
      for (const problem of found) refusals.push({ file, ...problem, ...(childId === undefined ? {} : { childId }) });
      if (childId !== undefined) refused.add(childId);
      return;
    }
    children.push(mapChild(viewOf(record as CscChild, path), authority, mapping));
  });

  return {
    source: 'csc-api',
    authority,
    childrenRead: records.length,
    children,
    refusals,
    refusedChildren: [...refused].sort(),
  };
}

/** The child's id must be usable as a case event's childId, name one child, and not ask for deletion. */
function identityProblems(child: CscChild, path: string, timesSeen: ReadonlyMap<string, number>): PayloadProblem[] {
  const at = pointerTo(path, 'la_child_id');
  const id = child.la_child_id;
  if (!CHILD_ID.test(id)) {
    return [{ path: at, field: 'la_child_id', reason: "must start with a letter or digit to be a case event's childId" }];
  }
  if ((timesSeen.get(id) ?? 0) > 1) {
    return [{ path: at, field: 'la_child_id', reason: 'names more than one child record in this payload: which is the child cannot be told' }];
  }
  if (child.purge === true) {
    return [{ path: pointerTo(path, 'purge'), field: 'purge', reason: 'is true: the sender asks for this child to be deleted, so nothing of it is imported' }];
  }
  return [];
}

function shapeOf(data: unknown): 'envelope' | 'array' | undefined {
  const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (Array.isArray(data)) return data.length === 0 || data.some((element) => isRecord(element) && 'la_child_id' in element) ? 'array' : undefined;
  if (isRecord(data) && 'Children' in data) return 'envelope';
  return undefined;
}

/** The index of the child a pointer is inside ("/Children/3/…" → 3), if any. */
function childIndexOf(path: string, base: string): number | undefined {
  if (!path.startsWith(`${base}/`)) return undefined;
  const segment = path.slice(base.length + 1).split('/')[0];
  return /^\d+$/.test(segment) ? Number(segment) : undefined;
}

/**
 * Where JSON.parse stopped, as a line, when its message says the position. Node quotes a piece of
 * the text in some messages ("Unexpected token 'x', "{"name": x…" is not valid JSON"); the
 * piece may be a child's name, so it is left out.
 */
function jsonProblem(text: string, error: Error): Omit<Refusal, 'file'> {
  const message = error.message.replace(/, ".*" is not valid JSON$/s, '');
  const position = /position (\d+)/.exec(message);
  const reason = `is not valid JSON: ${message}`;
  if (position === null) return { reason };
  const line = text.slice(0, Number(position[1])).split('\n').length;
  return { line, reason };
}
