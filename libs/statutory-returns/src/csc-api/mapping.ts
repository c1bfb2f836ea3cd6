/**
 * The CSC API mapping (contracts/imports/csc-api.mapping.yaml) as data the reader follows: which
 * event each kind of record gives, on which of its dates, under which id, and the rules that
 * supply what the payload does not say. `loadCscApiMapping` checks the YAML against the schema
 * below before anything uses it, so a mistake in the file is reported with its path, never half
 * applied.
 */
import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import { parseDocument } from 'yaml';
import type { CaseEventDataByType } from '@cto/domain';
import type { CurrentInvolvement } from '../caseload';

// The values an event may take, as contracts/events/case/<Type>.schema.json lists them; a unit
// test compares each list with its schema. `satisfies` keeps them inside the domain's types.
export const ASSESSMENT_OUTCOMES = [
  'no-further-action',
  'early-help',
  'step-down-to-early-help',
  'child-in-need',
  'strategy-discussion',
  'child-protection-conference',
] as const satisfies readonly CaseEventDataByType['AssessmentCompleted']['outcome'][];
export const ASSESSMENT_KINDS = ['child-and-family', 'section-47', 'pre-birth', 'other'] as const satisfies readonly CaseEventDataByType['AssessmentCompleted']['assessment'][];
export const THRESHOLD_DECISIONS = [
  'statutory-assessment',
  'step-up-to-social-care',
  'step-down-to-early-help',
  'early-help',
  'no-further-action',
] as const satisfies readonly CaseEventDataByType['ThresholdDecisionMade']['decision'][];
export const STRATEGY_OUTCOMES = ['section-47-enquiry', 'child-in-need', 'no-further-action'] as const satisfies readonly CaseEventDataByType['StrategyDiscussionHeld']['outcome'][];
export const ICPC_OUTCOMES = ['cp-plan', 'cin-plan', 'no-further-action'] as const satisfies readonly CaseEventDataByType['ICPCHeld']['outcome'][];
export const RCPC_OUTCOMES = ['cp-plan-continues', 'cin-plan', 'no-further-action'] as const satisfies readonly CaseEventDataByType['RCPCHeld']['outcome'][];
export const CIN_REVIEW_OUTCOMES = ['plan-continues', 'step-down-to-early-help', 'step-up-to-child-protection', 'close'] as const satisfies readonly CaseEventDataByType['CINReviewHeld']['outcome'][];
export const LEGAL_BASES = ['s20', 'police-protection', 'EPO', 'ICO', 'care-order', 'remand'] as const satisfies readonly CaseEventDataByType['ChildAccommodated']['legalBasis'][];
export const CEASED_REASONS = [
  'returned-home',
  'special-guardianship',
  'adopted',
  'child-arrangements-order',
  'turned-18',
  'other',
] as const satisfies readonly CaseEventDataByType['ChildCeasedLookedAfter']['reason'][];
/** The kinds a child's current involvement can be chosen from ('closed' is what is left). */
export const CURRENT_KINDS = ['looked-after', 'child-protection', 'child-in-need', 'assessment', 'care-leaver', 'referral'] as const satisfies readonly CurrentInvolvement['kind'][];

/** The arrays of an episode a "what happened next" rule can look at. */
export const EPISODE_RECORD_ARRAYS = ['section_47_assessments', 'child_protection_plans', 'child_in_need_plans'] as const;
export type EpisodeRecordArray = (typeof EPISODE_RECORD_ARRAYS)[number];

type AssessmentOutcome = (typeof ASSESSMENT_OUTCOMES)[number];

interface RecordRule<TType extends string, TOn extends string = string> {
  type: TType;
  /** The record's date the event happened on. */
  on: TOn;
  /** The event id after "csc-api:<la_child_id>:"; {field} is replaced by the record's id. */
  id: string;
}

export interface CscApiMapping {
  version: 1;
  source: 'csc-api';
  /** Appended to a payload date to make occurredAt ('T12:00:00Z'). */
  timeOfDay: string;
  records: {
    childDetails: Omit<RecordRule<'ChildDetailsRecorded'>, 'on'> & {
      /** Tried in order: a child_details date field, or 'earliestRecord' (the child's earliest dated record). */
      on: string[];
      data: Record<string, 'dateOfBirth' | 'expectedDateOfBirth' | 'unaccompaniedAsylumSeeking'>;
      noDisabilityCodes: string[];
    };
    uascEnded: RecordRule<'ChildDetailsRecorded'> & { data: { unaccompaniedAsylumSeeking: boolean } };
    referral: RecordRule<'ReferralReceived'> & { referralSource: { from: string; codes: Record<string, string>; whenAbsent: string } };
    referralNoFurtherAction: RecordRule<'ThresholdDecisionMade'> & { data: { decision: (typeof THRESHOLD_DECISIONS)[number] } };
    childAndFamilyAssessment: RecordRule<'AssessmentCompleted'> & {
      data: { assessment: (typeof ASSESSMENT_KINDS)[number] };
      outcome: { nextRecord: Partial<Record<EpisodeRecordArray, AssessmentOutcome>>; closureReason: Record<string, AssessmentOutcome> };
    };
    strategyDiscussion: RecordRule<'StrategyDiscussionHeld'> & { data: { outcome: (typeof STRATEGY_OUTCOMES)[number] } };
    section47Completed: RecordRule<'AssessmentCompleted'> & {
      data: { assessment: (typeof ASSESSMENT_KINDS)[number] };
      outcome: { icpcRequired: AssessmentOutcome; nextRecord: Partial<Record<EpisodeRecordArray, AssessmentOutcome>>; icpcNotRequired: AssessmentOutcome };
    };
    icpc: RecordRule<'ICPCHeld'> & {
      outcome: Record<'cpPlanStartsThatDay' | 'cinPlanOpenOrFollows' | 'otherwise', (typeof ICPC_OUTCOMES)[number]>;
    };
    cpPlanWithoutIcpc: RecordRule<'ICPCHeld'> & { data: { outcome: (typeof ICPC_OUTCOMES)[number] } };
    cpPlanEnded: RecordRule<'RCPCHeld'> & { outcome: Record<'cinPlanStartsThatDay' | 'episodeClosesThatDay', (typeof RCPC_OUTCOMES)[number]> };
    cinPlanStarted: RecordRule<'ChildInNeedPlanStarted'>;
    cinPlanEnded: RecordRule<'CINReviewHeld'> & {
      outcome: Record<'cpPlanStartsThatDay' | 'episodeClosesThatDay', (typeof CIN_REVIEW_OUTCOMES)[number]>;
    };
    periodOfCareStarted: RecordRule<'ChildAccommodated'> & { startReasons: string[]; legalBasis: { assumed: (typeof LEGAL_BASES)[number] } };
    periodOfCareEnded: RecordRule<'ChildCeasedLookedAfter'> & {
      continues: string[];
      reasons: Record<string, (typeof CEASED_REASONS)[number]>;
      /** Codes whose reason is this instead when the child is 18 or over on the day care ended. */
      reasonsAged18OrOver: Record<string, (typeof CEASED_REASONS)[number]>;
      otherwise: (typeof CEASED_REASONS)[number];
    };
    caseClosed: RecordRule<'CaseClosed'> & { reasons: Record<string, string>; otherwise: string };
  };
  current: { precedence: (typeof CURRENT_KINDS)[number][] };
  /** Every payload field (a pointer from a child record, * for array elements): who uses it, or why not. */
  fields: Record<string, { usedBy: string[] } | { notMapped: string }>;
}

/** The mapping file cannot be used: every problem, each with its path in the file. */
export class CscApiMappingInvalid extends Error {
  readonly code = 'CSC_API_MAPPING_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`the CSC API mapping cannot be used: ${problems.join('; ')}`);
  }
}

/** Reads and checks the mapping YAML; throws `CscApiMappingInvalid` listing every problem. */
export function loadCscApiMapping(text: string): CscApiMapping {
  // uniqueKeys: a key written twice is an error, never "the last one wins".
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new CscApiMappingInvalid(doc.errors.map((e) => e.message.split('\n')[0]));
  const data: unknown = doc.toJS();
  if (!validateMapping(data)) throw new CscApiMappingInvalid(mappingProblems(validateMapping.errors ?? []));
  const mapping = data as unknown as CscApiMapping;
  const problems = placeholderProblems(mapping);
  if (problems.length > 0) throw new CscApiMappingInvalid(problems);
  return mapping;
}

// A `fields` entry that is neither form fails both branches of its oneOf; one line says so instead
// of every branch's complaint.
function mappingProblems(errors: readonly ErrorObject[]): string[] {
  const eitherOr = errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath);
  return errors
    .filter((e) => e.keyword === 'oneOf' || !eitherOr.some((at) => e.instancePath === at || e.instancePath.startsWith(`${at}/`)))
    .map((e) => (e.keyword === 'oneOf' ? `${e.instancePath}: must be either { usedBy: [record, …] } or { notMapped: why }` : describeMappingError(e)));
}

function describeMappingError(error: ErrorObject): string {
  const at = error.instancePath === '' ? '(top)' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') return `${at}: ${String(params.missingProperty)} is required`;
  if (error.keyword === 'additionalProperties') return `${at}/${String(params.additionalProperty)}: is not a field of the mapping`;
  if (error.keyword === 'enum' || error.keyword === 'const') {
    const allowed = (error.keyword === 'enum' ? (params.allowedValues as unknown[]) : [params.allowedValue]).map(String).join(', ');
    return `${at}: must be one of: ${allowed}`;
  }
  return `${at}: ${error.message ?? error.keyword}`;
}

/** The {field} of each record's id must be that record's own id field. */
function placeholderProblems(mapping: CscApiMapping): string[] {
  const problems: string[] = [];
  for (const [name, rule] of Object.entries(mapping.records)) {
    const expected = ID_FIELD_OF[name as keyof CscApiMapping['records']];
    const placeholders = [...rule.id.matchAll(/\{([a-z0-9_]+)\}/g)].map((m) => m[1]);
    for (const placeholder of placeholders) {
      if (placeholder !== expected) problems.push(`/records/${name}/id: {${placeholder}} is not this record's id (${expected === undefined ? 'it has none' : `{${expected}}`})`);
    }
    if (expected !== undefined && !placeholders.includes(expected)) problems.push(`/records/${name}/id: must contain {${expected}}, or two records would share an id`);
  }
  return problems;
}

/** Each kind of record's own id field (child details have none: one per child). */
export const ID_FIELD_OF: Record<keyof CscApiMapping['records'], string | undefined> = {
  childDetails: undefined,
  uascEnded: undefined,
  referral: 'social_care_episode_id',
  referralNoFurtherAction: 'social_care_episode_id',
  childAndFamilyAssessment: 'child_and_family_assessment_id',
  strategyDiscussion: 'section_47_assessment_id',
  section47Completed: 'section_47_assessment_id',
  icpc: 'section_47_assessment_id',
  cpPlanWithoutIcpc: 'child_protection_plan_id',
  cpPlanEnded: 'child_protection_plan_id',
  cinPlanStarted: 'child_in_need_plan_id',
  cinPlanEnded: 'child_in_need_plan_id',
  periodOfCareStarted: 'child_looked_after_placement_id',
  periodOfCareEnded: 'child_looked_after_placement_id',
  caseClosed: 'social_care_episode_id',
};

// ---- the mapping file's schema -------------------------------------------------------------

const ID_TEMPLATE = '^[a-z0-9-]+(?::(?:[a-z0-9-]+|\\{[a-z0-9_]+\\}))*$';
const TEXT = '^[^\\u0000-\\u001F\\u007F-\\u009F]+$';
const CODE = '^[A-Z0-9]{1,6}$';

const oneOf = (values: readonly string[]) => ({ type: 'string', enum: [...values] });
const text = { type: 'string', minLength: 1, maxLength: 200, pattern: TEXT };
// ReferralReceived.referralSource holds at most 100 characters, without leading or trailing spaces.
const text100 = { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^\\s\\u0000-\\u001F\\u007F-\\u009F](?:[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F])?$' };
const codes = { type: 'array', maxItems: 50, items: { type: 'string', pattern: CODE } };
const codeMap = (values: object) => ({ type: 'object', propertyNames: { pattern: CODE }, additionalProperties: values });
const nextRecordMap = (values: readonly string[]) => ({
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(EPISODE_RECORD_ARRAYS.map((name) => [name, oneOf(values)])),
});
const closed = (required: string[], properties: Record<string, object>) => ({ type: 'object', additionalProperties: false, required, properties });

/** One record rule: its event type, the dates it may be on, its id template, and what else it says. */
const rule = (type: string, dates: readonly string[], extra: Record<string, object> = {}) =>
  closed(['type', 'on', 'id', ...Object.keys(extra)], {
    type: { const: type },
    on: oneOf(dates),
    id: { type: 'string', maxLength: 120, pattern: ID_TEMPLATE },
    ...extra,
  });

const MAPPING_SCHEMA = closed(['version', 'source', 'timeOfDay', 'records', 'current', 'fields'], {
  version: { const: 1 },
  source: { const: 'csc-api' },
  timeOfDay: { type: 'string', pattern: '^T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:Z|[+-](?:0[0-9]|1[0-8]):[0-5][0-9])$' },
  records: closed(Object.keys(ID_FIELD_OF), {
    childDetails: closed(['type', 'on', 'id', 'data', 'noDisabilityCodes'], {
      type: { const: 'ChildDetailsRecorded' },
      on: { type: 'array', minItems: 1, maxItems: 3, items: oneOf(['date_of_birth', 'expected_date_of_birth', 'earliestRecord']) },
      id: { type: 'string', maxLength: 120, pattern: ID_TEMPLATE },
      data: {
        type: 'object',
        additionalProperties: false,
        properties: {
          date_of_birth: { const: 'dateOfBirth' },
          expected_date_of_birth: { const: 'expectedDateOfBirth' },
          uasc_flag: { const: 'unaccompaniedAsylumSeeking' },
        },
      },
      noDisabilityCodes: codes,
    }),
    uascEnded: rule('ChildDetailsRecorded', ['uasc_end_date'], {
      data: closed(['unaccompaniedAsylumSeeking'], { unaccompaniedAsylumSeeking: { type: 'boolean' } }),
    }),
    referral: rule('ReferralReceived', ['referral_date'], {
      referralSource: closed(['from', 'codes', 'whenAbsent'], { from: { const: 'referral_source' }, codes: codeMap(text100), whenAbsent: text100 }),
    }),
    referralNoFurtherAction: rule('ThresholdDecisionMade', ['referral_date'], {
      data: closed(['decision'], { decision: oneOf(THRESHOLD_DECISIONS) }),
    }),
    childAndFamilyAssessment: rule('AssessmentCompleted', ['authorisation_date', 'start_date'], {
      data: closed(['assessment'], { assessment: oneOf(ASSESSMENT_KINDS) }),
      outcome: closed(['nextRecord', 'closureReason'], {
        nextRecord: nextRecordMap(ASSESSMENT_OUTCOMES),
        closureReason: codeMap(oneOf(ASSESSMENT_OUTCOMES)),
      }),
    }),
    strategyDiscussion: rule('StrategyDiscussionHeld', ['start_date'], { data: closed(['outcome'], { outcome: oneOf(STRATEGY_OUTCOMES) }) }),
    section47Completed: rule('AssessmentCompleted', ['end_date'], {
      data: closed(['assessment'], { assessment: oneOf(ASSESSMENT_KINDS) }),
      outcome: closed(['icpcRequired', 'nextRecord', 'icpcNotRequired'], {
        icpcRequired: oneOf(ASSESSMENT_OUTCOMES),
        nextRecord: nextRecordMap(ASSESSMENT_OUTCOMES),
        icpcNotRequired: oneOf(ASSESSMENT_OUTCOMES),
      }),
    }),
    icpc: rule('ICPCHeld', ['icpc_date'], {
      outcome: closed(['cpPlanStartsThatDay', 'cinPlanOpenOrFollows', 'otherwise'], {
        cpPlanStartsThatDay: oneOf(ICPC_OUTCOMES),
        cinPlanOpenOrFollows: oneOf(ICPC_OUTCOMES),
        otherwise: oneOf(ICPC_OUTCOMES),
      }),
    }),
    cpPlanWithoutIcpc: rule('ICPCHeld', ['start_date'], { data: closed(['outcome'], { outcome: oneOf(ICPC_OUTCOMES) }) }),
    cpPlanEnded: rule('RCPCHeld', ['end_date'], {
      outcome: closed(['cinPlanStartsThatDay', 'episodeClosesThatDay'], {
        cinPlanStartsThatDay: oneOf(RCPC_OUTCOMES),
        episodeClosesThatDay: oneOf(RCPC_OUTCOMES),
      }),
    }),
    cinPlanStarted: rule('ChildInNeedPlanStarted', ['start_date']),
    cinPlanEnded: rule('CINReviewHeld', ['end_date'], {
      outcome: closed(['cpPlanStartsThatDay', 'episodeClosesThatDay'], {
        cpPlanStartsThatDay: oneOf(CIN_REVIEW_OUTCOMES),
        episodeClosesThatDay: oneOf(CIN_REVIEW_OUTCOMES),
      }),
    }),
    periodOfCareStarted: rule('ChildAccommodated', ['start_date'], {
      startReasons: codes,
      legalBasis: closed(['assumed'], { assumed: oneOf(LEGAL_BASES) }),
    }),
    periodOfCareEnded: rule('ChildCeasedLookedAfter', ['end_date'], {
      continues: codes,
      reasons: codeMap(oneOf(CEASED_REASONS)),
      reasonsAged18OrOver: codeMap(oneOf(CEASED_REASONS)),
      otherwise: oneOf(CEASED_REASONS),
    }),
    caseClosed: rule('CaseClosed', ['closure_date'], {
      reasons: codeMap(text),
      otherwise: text,
    }),
  }),
  current: closed(['precedence'], {
    precedence: { type: 'array', minItems: 1, uniqueItems: true, items: oneOf(CURRENT_KINDS) },
  }),
  fields: {
    type: 'object',
    propertyNames: { pattern: '^(?:/(?:[a-z0-9_]+|\\*))+$' },
    additionalProperties: {
      oneOf: [
        closed(['usedBy'], { usedBy: { type: 'array', minItems: 1, items: oneOf([...Object.keys(ID_FIELD_OF), 'childId', 'current']) } }),
        closed(['notMapped'], { notMapped: { type: 'string', minLength: 1, maxLength: 400, pattern: TEXT } }),
      ],
    },
  },
});

const validateMapping = new Ajv2020({ allErrors: true, strict: true }).compile(MAPPING_SCHEMA);
