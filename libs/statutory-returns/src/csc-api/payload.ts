/**
 * The CSC API children payload as contracts/imports/csc-api-children.schema.json describes it, and
 * the check of a parsed payload against that schema. The types are what a child record is once
 * the schema has accepted it; nothing here is trusted before that.
 */
import Ajv2020, { type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { LocalDate } from '@cto/domain';

interface Purgeable {
  purge?: boolean;
}

export interface CscChildDetails extends Purgeable {
  unique_pupil_number?: string;
  former_unique_pupil_number?: string;
  unique_pupil_number_unknown_reason?: string;
  first_name?: string;
  surname?: string;
  date_of_birth?: LocalDate;
  expected_date_of_birth?: LocalDate;
  sex?: string;
  ethnicity?: string;
  disabilities?: string[];
  postcode?: string;
  uasc_flag?: boolean;
  uasc_end_date?: LocalDate;
}

export interface CscAssessment extends Purgeable {
  child_and_family_assessment_id: string;
  start_date?: LocalDate;
  authorisation_date?: LocalDate;
  factors?: string[];
}

export interface CscPlan extends Purgeable {
  start_date?: LocalDate;
  end_date?: LocalDate;
}
export interface CscChildInNeedPlan extends CscPlan {
  child_in_need_plan_id: string;
}
export interface CscChildProtectionPlan extends CscPlan {
  child_protection_plan_id: string;
}

export interface CscSection47 extends Purgeable {
  section_47_assessment_id: string;
  start_date?: LocalDate;
  icpc_required_flag?: boolean;
  icpc_date?: LocalDate;
  end_date?: LocalDate;
}

export interface CscPlacement extends Purgeable {
  child_looked_after_placement_id: string;
  start_date?: LocalDate;
  start_reason?: string;
  placement_type?: string;
  postcode?: string;
  end_date?: LocalDate;
  end_reason?: string;
  change_reason?: string;
}

export interface CscCareWorker {
  worker_id: string;
  start_date?: LocalDate;
  end_date?: LocalDate;
}

export interface CscCareLeaver extends Purgeable {
  contact_date?: LocalDate;
  activity?: string;
  accommodation?: string;
}

export interface CscEpisode extends Purgeable {
  social_care_episode_id: string;
  referral_date?: LocalDate;
  referral_source?: string;
  referral_no_further_action_flag?: boolean;
  closure_date?: LocalDate;
  closure_reason?: string;
  care_worker_details?: CscCareWorker[];
  child_and_family_assessments?: CscAssessment[];
  child_in_need_plans?: CscChildInNeedPlan[];
  section_47_assessments?: CscSection47[];
  child_protection_plans?: CscChildProtectionPlan[];
  child_looked_after_placements?: CscPlacement[];
  adoption?: Purgeable & { initial_decision_date?: LocalDate; matched_date?: LocalDate; placed_date?: LocalDate };
  care_leavers?: CscCareLeaver;
}

export interface CscChild extends Purgeable {
  la_child_id: string;
  mis_child_id?: string;
  child_details?: CscChildDetails;
  health_and_wellbeing?: Purgeable & { sdq_assessments?: { date?: LocalDate; score?: number }[] };
  social_care_episodes?: CscEpisode[];
}

/** One problem the schema found, located by JSON Pointer into the payload. */
export interface PayloadProblem {
  path: string;
  /** The property the problem is about (for an array element, the array's property). */
  field?: string;
  reason: string;
}

/** The payload schema, compiled: the `{ la_code, Children }` form and the bare array of children. */
export interface CscApiPayloadSchema {
  checkEnvelope(data: unknown): PayloadProblem[];
  checkChildren(data: unknown): PayloadProblem[];
}

/** contracts/imports/csc-api-children.schema.json cannot be compiled. */
export class CscApiPayloadSchemaInvalid extends Error {
  readonly code = 'CSC_API_PAYLOAD_SCHEMA_INVALID';
  constructor(readonly problem: string) {
    super(`the CSC API payload schema cannot be used: ${problem}`);
  }
}

/** Compiles the payload schema (the parsed JSON of the schema file); throws `CscApiPayloadSchemaInvalid`. */
export function compileCscApiPayloadSchema(schema: unknown): CscApiPayloadSchema {
  let envelope: ValidateFunction;
  let children: ValidateFunction | undefined;
  try {
    // As libs/contracts compiles the event schemas: strict (a typo in the schema fails here),
    // every error reported, formats asserted (a date must name a real day).
    const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true });
    addFormats(ajv, ['date']);
    const root = schema as AnySchemaObject;
    envelope = ajv.compile(root);
    children = ajv.getSchema(`${String(root.$id)}#/$defs/children`);
  } catch (error) {
    throw new CscApiPayloadSchemaInvalid((error as Error).message);
  }
  if (children === undefined) throw new CscApiPayloadSchemaInvalid('it has no #/$defs/children (the bare array of children)');
  const check = (validate: ValidateFunction) => (data: unknown) => (validate(data) ? [] : problemsOf(validate.errors));
  return { checkEnvelope: check(envelope), checkChildren: check(children) };
}

// Plain-English readings of the schema's patterns.
const PATTERN_REASONS: Record<string, string> = {
  '^[A-Za-z0-9_-]+$': "must contain only letters, digits, '_' and '-'",
  '^[A-Za-z0-9]{13}$': 'must be 13 letters and digits',
  '^[A-Za-z0-9 ]+$': 'must contain only letters, digits and spaces',
  '^[^\\u0000-\\u001F\\u007F-\\u009F]*$': 'must not contain control characters',
};

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
};

// A code list is shown in full up to this many codes (factors have 44).
const MAX_CODES_SHOWN = 25;

function problemsOf(errors: readonly ErrorObject[] | null | undefined): PayloadProblem[] {
  return (errors ?? []).flatMap((error): PayloadProblem[] => {
    const at = error.instancePath;
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      // "must match the then schema" repeats the error found inside `then`.
      case 'if':
        return [];
      case 'required':
        return [located(pointerTo(at, String(params.missingProperty)), 'is required')];
      case 'additionalProperties':
        return [located(pointerTo(at, String(params.additionalProperty)), 'is not a field of the CSC API payload')];
      case 'enum': {
        const allowed = (params.allowedValues as unknown[]).map(String);
        const shown = allowed.length > MAX_CODES_SHOWN ? `${allowed.slice(0, MAX_CODES_SHOWN).join(', ')}, …` : allowed.join(', ');
        const value = typeof error.data === 'string' ? `${quoted(error.data)} is not a known code` : 'is not a known code';
        return [located(at, `${value}: must be one of ${shown}`)];
      }
      case 'format':
        return [located(at, 'is not a date: expected YYYY-MM-DD naming a real day')];
      case 'type': {
        const reason = at === '/Children' ? 'must be an array of child records' : `must be ${TYPE_NAMES[String(params.type)] ?? String(params.type)}`;
        return [located(at, reason)];
      }
      case 'pattern':
        return [located(at, PATTERN_REASONS[String(params.pattern)] ?? `must match ${String(params.pattern)}`)];
      case 'maxLength':
        return [located(at, `must be at most ${String(params.limit)} characters`)];
      case 'minLength':
        return [located(at, 'must not be empty')];
      case 'maxItems':
        return [located(at, `must have at most ${String(params.limit)} elements`)];
      case 'minimum':
      case 'maximum':
        return [located(at, `must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params.limit)}`)];
      default:
        return [located(at, error.message ?? error.keyword)];
    }
  });
}

/** The field is the pointer's last property name: for `/…/disabilities/2`, `disabilities`. */
function located(path: string, reason: string): PayloadProblem {
  const field = path
    .split('/')
    .slice(1)
    .reverse()
    .find((segment) => !/^\d+$/.test(segment));
  return field === undefined ? { path, reason } : { path, field: field.replace(/~1/g, '/').replace(/~0/g, '~'), reason };
}

/** RFC 6901: '~' and '/' inside a key are escaped in a JSON Pointer. */
export function pointerTo(parent: string, key: string | number): string {
  return `${parent}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** A value from the payload inside a reason: short, control characters escaped. */
export function quoted(value: string, max = 40): string {
  const shown = value.length > max ? `${value.slice(0, max)}…` : value;
  return `'${JSON.stringify(shown).slice(1, -1)}'`;
}
