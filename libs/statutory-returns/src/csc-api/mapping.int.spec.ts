import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import {
  ASSESSMENT_KINDS,
  ASSESSMENT_OUTCOMES,
  CEASED_REASONS,
  CIN_REVIEW_OUTCOMES,
  ICPC_OUTCOMES,
  LEGAL_BASES,
  RCPC_OUTCOMES,
  STRATEGY_OUTCOMES,
  THRESHOLD_DECISIONS,
} from './mapping';
import {
  compileCscApiPayloadSchema,
  cscApiEventId,
  CscApiMappingInvalid,
  CscApiPayloadSchemaInvalid,
  CSC_API_MAPPING_FILE,
  CSC_API_SCHEMA_FILE,
  DEFAULT_CSC_API_CONTRACTS_DIR,
  loadCscApiContracts,
  loadCscApiMapping,
} from './index';

const mappingText = fs.readFileSync(path.join(DEFAULT_CSC_API_CONTRACTS_DIR, CSC_API_MAPPING_FILE), 'utf8');
const payloadSchema = JSON.parse(fs.readFileSync(path.join(DEFAULT_CSC_API_CONTRACTS_DIR, CSC_API_SCHEMA_FILE), 'utf8')) as Schema;
const mapping = loadCscApiMapping(mappingText);

interface Schema {
  $ref?: string;
  type?: string;
  enum?: string[];
  items?: Schema;
  properties?: Record<string, Schema>;
  $defs?: Record<string, Schema>;
}

/** The mapping text with values set (or, for undefined, deleted) at the given keys. */
const changed = (...changes: [keys: string[], value: unknown][]): string => {
  const data = parse(mappingText) as Record<string, unknown>;
  for (const [keys, value] of changes) {
    const parent = keys.slice(0, -1).reduce((object, key) => object[key] as Record<string, unknown>, data);
    const last = keys[keys.length - 1];
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  }
  return stringify(data);
};
const problemsOf = (text: string): readonly string[] => {
  try {
    loadCscApiMapping(text);
  } catch (error) {
    if (error instanceof CscApiMappingInvalid) return error.problems;
    throw error;
  }
  throw new Error('the mapping was accepted');
};

describe('issue 17 item 3 — the CSC API mapping is data, checked before use', () => {
  it("loads the repository's schema and mapping", () => {
    expect(() => loadCscApiContracts()).not.toThrow();
    expect(Object.keys(mapping.records)).toHaveLength(15);
  });

  it('refuses YAML that does not parse, or writes a key twice', () => {
    expect(() => loadCscApiMapping('records: [')).toThrow(CscApiMappingInvalid);
    expect(problemsOf(`${mappingText}\nversion: 1\n`)).toEqual([expect.stringContaining('Map keys must be unique')]);
  });

  it('refuses a mapping that breaks its schema, naming every problem at its path', () => {
    const text = changed(
      [['records', 'icpc', 'outcome', 'otherwise'], 'maybe'],
      [['records', 'caseClosed'], undefined],
      [['records', 'periodOfCareStarted', 'legalBasis', 'assumed'], 'section-20'],
      [['fields', '/child_details/sex'], { ignored: true }],
    );
    expect(problemsOf(text)).toEqual([
      '/records: caseClosed is required',
      '/records/icpc/outcome/otherwise: must be one of: cp-plan, cin-plan, no-further-action',
      '/records/periodOfCareStarted/legalBasis/assumed: must be one of: s20, police-protection, EPO, ICO, care-order, remand',
      '/fields/~1child_details~1sex: must be either { usedBy: [record, …] } or { notMapped: why }',
    ]);
  });

  it("refuses an id that is not made from the record's own id", () => {
    const text = changed(
      [['records', 'referral', 'id'], 'episode:{child_in_need_plan_id}:referral-received'],
      [['records', 'cinPlanStarted', 'id'], 'cin-plan:started'],
    );
    expect(problemsOf(text)).toEqual([
      "/records/referral/id: {child_in_need_plan_id} is not this record's id ({social_care_episode_id})",
      '/records/referral/id: must contain {social_care_episode_id}, or two records would share an id',
      '/records/cinPlanStarted/id: must contain {child_in_need_plan_id}, or two records would share an id',
    ]);
  });

  it("allows exactly the values the events' schemas allow", () => {
    const enumOf = (type: string, ...fieldPath: string[]) => {
      let schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, `../../../../contracts/events/case/${type}.schema.json`), 'utf8')) as Schema;
      for (const field of fieldPath) schema = (schema.properties as Record<string, Schema>)[field];
      return schema.enum;
    };
    expect([...ASSESSMENT_OUTCOMES]).toEqual(enumOf('AssessmentCompleted', 'outcome'));
    expect([...ASSESSMENT_KINDS]).toEqual(enumOf('AssessmentCompleted', 'assessment'));
    expect([...THRESHOLD_DECISIONS]).toEqual(enumOf('ThresholdDecisionMade', 'decision'));
    expect([...STRATEGY_OUTCOMES]).toEqual(enumOf('StrategyDiscussionHeld', 'outcome'));
    expect([...ICPC_OUTCOMES]).toEqual(enumOf('ICPCHeld', 'outcome'));
    expect([...RCPC_OUTCOMES]).toEqual(enumOf('RCPCHeld', 'outcome'));
    expect([...CIN_REVIEW_OUTCOMES]).toEqual(enumOf('CINReviewHeld', 'outcome'));
    expect([...LEGAL_BASES]).toEqual(enumOf('ChildAccommodated', 'legalBasis'));
    expect([...CEASED_REASONS]).toEqual(enumOf('ChildCeasedLookedAfter', 'reason'));
  });

  it('names only codes the payload schema knows, and gives every closure, ceased and referral code its meaning', () => {
    const defs = payloadSchema.$defs as Record<string, Schema>;
    const episode = defs.episode.properties as Record<string, Schema>;
    const placement = (episode.child_looked_after_placements.items as Schema).properties as Record<string, Schema>;
    const details = ((defs.child.properties as Record<string, Schema>).child_details.properties as Record<string, Schema>);
    const closureCodes = episode.closure_reason.enum as string[];
    const ceasedCodes = placement.end_reason.enum as string[];
    const rules = mapping.records;

    expect(Object.keys(rules.caseClosed.reasons).sort()).toEqual([...closureCodes].sort());
    expect(Object.keys(rules.referral.referralSource.codes).sort()).toEqual([...(episode.referral_source.enum as string[])].sort());
    expect([...Object.keys(rules.periodOfCareEnded.reasons), ...rules.periodOfCareEnded.continues].sort()).toEqual([...ceasedCodes].sort());
    expect(ceasedCodes).toEqual(expect.arrayContaining(Object.keys(rules.periodOfCareEnded.reasonsAged18OrOver)));
    expect(closureCodes).toEqual(expect.arrayContaining(Object.keys(rules.childAndFamilyAssessment.outcome.closureReason)));
    expect(placement.start_reason.enum).toEqual(expect.arrayContaining(rules.periodOfCareStarted.startReasons));
    expect((details.disabilities.items as Schema).enum).toEqual(expect.arrayContaining(rules.childDetails.noDisabilityCodes));
  });

  it("accounts for every field of the payload's child record, and for no field it does not have", () => {
    const defs = payloadSchema.$defs as Record<string, Schema>;
    const leaves = (schema: Schema, at: string): string[] => {
      const resolved = schema.$ref?.startsWith('#/$defs/') ? defs[schema.$ref.slice('#/$defs/'.length)] : schema;
      if (resolved.type === 'object') return Object.entries(resolved.properties ?? {}).flatMap(([name, property]) => leaves(property, `${at}/${name}`));
      if (resolved.type === 'array' && (resolved.items?.type === 'object' || resolved.items?.$ref !== undefined)) return leaves(resolved.items as Schema, `${at}/*`);
      return [at];
    };
    expect(Object.keys(mapping.fields).sort()).toEqual(leaves(defs.child, '').sort());
  });
});

describe('issue 17 item 3 — event ids derive from the source, the child and the record only', () => {
  it('is the parts, joined', () => {
    expect(cscApiEventId('C-1', 'episode:E1:referral-received')).toBe('csc-api:C-1:episode:E1:referral-received');
  });

  it('falls back to a slice of their sha256, the same every time, when the envelope would refuse the id', () => {
    const long = cscApiEventId('C'.repeat(100), `episode:${'E'.repeat(100)}:referral-received`);
    expect(long).toMatch(/^csc-api:sha256:[0-9a-f]{40}$/);
    expect(cscApiEventId('C'.repeat(100), `episode:${'E'.repeat(100)}:referral-received`)).toBe(long);
    expect(cscApiEventId('C'.repeat(100), `episode:${'F'.repeat(100)}:referral-received`)).not.toBe(long);
  });
});

describe('the payload schema is checked when compiled', () => {
  it('refuses a schema ajv cannot compile, and one without the bare array of children', () => {
    expect(() => compileCscApiPayloadSchema({ type: 'objet' })).toThrow(CscApiPayloadSchemaInvalid);
    expect(() => compileCscApiPayloadSchema({ $id: 'https://example.test/x.json', type: 'object' })).toThrow(/no #\/\$defs\/children/);
  });
});
