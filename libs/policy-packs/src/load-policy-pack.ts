/**
 * From the YAML a team manager writes to the `PolicyPack` the engine runs (DESIGN.md "Policy
 * packs"): parse the YAML, check it against policies/policy-pack.schema.json, normalise the
 * conveniences of the written form (`event` for a single trigger, left-out defaults), then run the
 * domain's semantic checks (`validatePack`: names that must refer to each other, durations,
 * unreachable and conflicting rules). Any error stops the pack: a pack is all right or not used.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  NO_PROCEDURES,
  validatePack,
  type AgeMilestone,
  type CaseEventType,
  type Checklists,
  type ChecklistTemplate,
  type Deadline,
  type Escalation,
  type Condition,
  type HandoverPoint,
  type PackProblem,
  type PolicyPack,
  type RuleException,
  type TransferRule,
} from '@cto/domain';
import { PolicyPackInvalid, type PolicyPackProblem } from './policy-pack-invalid';
import { POLICY_PACK_SCHEMA_FILE, schemaProblems } from './policy-pack-schema';
import { readYaml, type YamlSource } from './yaml-source';

/** The repository's policies/ folder: the packs in force and their schema. */
export const DEFAULT_POLICIES_DIR = path.dirname(POLICY_PACK_SCHEMA_FILE);

/** The outcome of checking one pack: the pack when it has no errors; warnings either way. */
export type PolicyPackCheck =
  | { ok: true; pack: PolicyPack; warnings: PolicyPackProblem[] }
  | { ok: false; errors: PolicyPackProblem[]; warnings: PolicyPackProblem[] };

/** Checks a pack's YAML text and reports every problem; throws nothing for a bad pack. */
export function checkPolicyPack(yamlText: string): PolicyPackCheck {
  const source = readYaml(yamlText);
  if (source.errors.length > 0) return { ok: false, errors: source.errors, warnings: source.warnings };

  const schemaErrors = schemaProblems(source.data);
  if (schemaErrors.length > 0) {
    return { ok: false, errors: located(schemaErrors, source), warnings: source.warnings };
  }

  const pack = normalise(source.data as PolicyPackDocument);
  const problems = validatePack(pack);
  const bySeverity = (severity: PackProblem['severity']) => located(problems.filter((p) => p.severity === severity), source);
  const errors = bySeverity('error');
  const warnings = [...source.warnings, ...bySeverity('warning')];
  return errors.length > 0 ? { ok: false, errors, warnings } : { ok: true, pack, warnings };
}

/** The pack in a YAML text, or `PolicyPackInvalid` listing every error. `file` names it in messages. */
export function parsePolicyPack(yamlText: string, file: string): PolicyPack {
  const result = checkPolicyPack(yamlText);
  if (!result.ok) throw new PolicyPackInvalid(file, result.errors);
  return result.pack;
}

export function loadPolicyPackFile(file: string): PolicyPack {
  return parsePolicyPack(fs.readFileSync(file, 'utf8'), file);
}

/** The `*.yaml` files of a folder (the schema beside them is not one), sorted by file name. */
export function policyPackFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.yaml'))
    .map((entry) => entry.name)
    .sort()
    .map((name) => path.join(dir, name));
}

/** Every pack in a folder, sorted by file name; the first invalid one throws `PolicyPackInvalid`. */
export function loadPolicyPacks(dir: string = DEFAULT_POLICIES_DIR): PolicyPack[] {
  return policyPackFiles(dir).map(loadPolicyPackFile);
}

/** Adds the YAML line and, inside a rule, the rule's id; orders problems as they appear in the file. */
function located(problems: { path: string; message: string; ruleId?: string }[], source: YamlSource): PolicyPackProblem[] {
  return problems
    .map((p) => {
      const ruleId = p.ruleId ?? ruleIdAt(p.path, source.data);
      const line = source.lineOf(p.path);
      return { path: p.path, message: p.message, ...(ruleId ? { ruleId } : {}), ...(line ? { line } : {}) };
    })
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? 0) - (b.p.line ?? 0) || a.i - b.i)
    .map(({ p }) => p);
}

function ruleIdAt(pointer: string, data: unknown): string | undefined {
  const match = /^\/rules\/(\d+)(\/|$)/.exec(pointer);
  if (!match || data === null || typeof data !== 'object') return undefined;
  const rules = (data as { rules?: unknown }).rules;
  const rule = Array.isArray(rules) ? (rules[Number(match[1])] as { id?: unknown } | undefined) : undefined;
  return typeof rule?.id === 'string' ? rule.id : undefined;
}

// The written form, as the schema admits it: the domain's types with the conveniences a pack's
// author may use (a single `event`; `conditions`, `unless`, `priority`, `nonWorkingDays` left out).
interface PolicyPackDocument extends Omit<PolicyPack, 'rules' | 'nonWorkingDays' | 'notEncoded' | 'checklists' | 'escalation' | 'deadlines' | 'ageMilestones'> {
  nonWorkingDays?: string[];
  checklists?: { gating: Checklists['gating']; citation: string; templates: (Omit<ChecklistTemplate, 'appliesTo'> & { appliesTo?: ChecklistTemplate['appliesTo'] })[] };
  escalation?: Omit<Escalation, 'entry'> & { entry?: Escalation['entry'] };
  deadlines?: (Omit<Deadline, 'starts'> & { starts: RuleDocument['when'] })[];
  ageMilestones?: AgeMilestone[];
  notEncoded?: { citation: string; what: string; why: string }[];
  rules: RuleDocument[];
}

interface RuleDocument extends Omit<TransferRule, 'when' | 'unless' | 'priority'> {
  when: { event?: string; events?: string[]; conditions?: Condition[] };
  unless?: RuleException[];
  priority?: number;
}

function normalise(doc: PolicyPackDocument): PolicyPack {
  return {
    id: doc.id,
    version: doc.version,
    title: doc.title,
    source: doc.source,
    authorities: doc.authorities,
    teams: doc.teams.map(({ code, name, managerRole }) => ({ code, name, managerRole })),
    frontDoor: { team: doc.frontDoor.team },
    meetingKinds: doc.meetingKinds.map(({ kind, name }) => ({ kind, name })),
    nonWorkingDays: doc.nonWorkingDays ?? [],
    rules: doc.rules.map(normaliseRule),
    checklists: normaliseChecklists(doc.checklists),
    escalation: normaliseEscalation(doc.escalation),
    deadlines: (doc.deadlines ?? []).map((d) => ({
      id: d.id,
      title: d.title,
      citation: d.citation,
      starts: normaliseTrigger(d.starts),
      metBy: { events: d.metBy.events },
      within: d.within,
    })),
    ...(doc.siblings ? { siblings: { citation: doc.siblings.citation } } : {}),
    ageMilestones: (doc.ageMilestones ?? []).map(({ ageYears, ahead, citation }) => ({ ageYears, ...(ahead ? { ahead } : {}), citation })),
    notEncoded: (doc.notEncoded ?? []).map(({ citation, what, why }) => ({ citation, what, why })),
  };
}

/**
 * A pack written before checklists and ladders were part of the format still loads: no checklist
 * is opened and nothing can be escalated, and validatePack warns about both.
 */
function normaliseChecklists(doc: PolicyPackDocument['checklists']): Checklists {
  if (!doc) return NO_PROCEDURES.checklists;
  return {
    gating: doc.gating,
    citation: doc.citation,
    templates: doc.templates.map((t) => ({
      id: t.id,
      title: t.title,
      citation: t.citation,
      appliesTo: t.appliesTo ?? {},
      items: t.items.map(({ id, description, citation, due }) => ({ id, description, ...(citation ? { citation } : {}), ...(due ? { due } : {}) })),
    })),
  };
}

function normaliseEscalation(doc: PolicyPackDocument['escalation']): Escalation {
  if (!doc) return NO_PROCEDURES.escalation;
  return { citation: doc.citation, ladder: doc.ladder, entry: doc.entry ?? {}, namedWorker: doc.namedWorker };
}

// The schema admits exactly one of `event` and `events`; validatePack checks the type names.
const normaliseTrigger = (when: RuleDocument['when']): TransferRule['when'] => ({
  events: (when.events ?? [when.event]) as CaseEventType[],
  conditions: (when.conditions ?? []).map(normaliseCondition),
});

function normaliseRule(rule: RuleDocument): TransferRule {
  return {
    id: rule.id,
    version: rule.version,
    title: rule.title,
    citation: rule.citation,
    from: rule.from,
    to: rule.to,
    when: normaliseTrigger(rule.when),
    unless: (rule.unless ?? []).map((u) => ({
      description: u.description,
      ...(u.citation !== undefined ? { citation: u.citation } : {}),
      conditions: u.conditions.map(normaliseCondition),
    })),
    handover: rule.handover satisfies HandoverPoint,
    priority: rule.priority ?? 0,
  };
}

/**
 * `fact` first, then the operator, however the author ordered them: validatePack compares
 * conditions by their JSON (an exception of one rule implied by another rule's conditions), so
 * `{ is: x, fact: y }` and `{ fact: y, is: x }` must come out the same.
 */
function normaliseCondition(condition: Condition): Condition {
  if ('anyOf' in condition) return { anyOf: condition.anyOf.map(normaliseCondition) };
  const { fact, ...operator } = condition;
  return { fact, ...operator } as Condition;
}
