/**
 * From the YAML a team manager writes to the `PolicyPack` the engine runs (DESIGN.md "Policy
 * packs"): parse the YAML, check it against policies/policy-pack.schema.json, normalise the
 * conveniences of the written form (`event` for a single trigger, left-out defaults), then run the
 * domain's semantic checks (`validatePack`: names that must refer to each other, durations,
 * unreachable and conflicting rules). Any error stops the pack: a pack is all right or not used.
 * `policy validate` also checks every citation against the pack's source document (citations.ts).
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
import { describeUnresolved, sourceDocument, unresolvedAnchors, type SourceDocument } from './citations';
import { PolicyPackInvalid, type PolicyPackProblem } from './policy-pack-invalid';
import { POLICY_PACK_SCHEMA_FILE, schemaProblems } from './policy-pack-schema';
import { readYaml, type YamlSource } from './yaml-source';

/** The repository's policies/ folder: the packs in force and their schema. */
export const DEFAULT_POLICIES_DIR = path.dirname(POLICY_PACK_SCHEMA_FILE);

/** The procedure documents the packs cite, copied unchanged (policies/sources/README.md). */
export const DEFAULT_SOURCES_DIR = path.join(DEFAULT_POLICIES_DIR, 'sources');

/** The outcome of checking one pack: the pack when it has no errors; warnings either way. */
export type PolicyPackCheck =
  | { ok: true; pack: PolicyPack; warnings: PolicyPackProblem[] }
  | { ok: false; errors: PolicyPackProblem[]; warnings: PolicyPackProblem[] };

export interface CheckOptions {
  /**
   * Where the pack's source document is read from, to check that every citation points at a
   * paragraph, section, heading or phrase it has (`policy validate`, and the spec over the shipped
   * packs). Left out, a citation need only start with the source's name: services read packs that
   * validate has passed, and have no use for the documents at start-up.
   */
  sources?: SourceDocuments;
}

/** Checks a pack's YAML text and reports every problem; throws nothing for a bad pack. */
export function checkPolicyPack(yamlText: string, options: CheckOptions = {}): PolicyPackCheck {
  const source = readYaml(yamlText);
  if (source.errors.length > 0) return { ok: false, errors: source.errors, warnings: source.warnings };

  const schemaErrors = schemaProblems(source.data);
  if (schemaErrors.length > 0) {
    return { ok: false, errors: located(schemaErrors, source), warnings: source.warnings };
  }

  const pack = normalise(source.data as PolicyPackDocument);
  const problems = validatePack(pack);
  if (options.sources) problems.push(...citationProblems(pack, options.sources, problems));
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

/** The source documents citations are checked against, each read from its folder once. */
export interface SourceDocuments {
  /** The folder, as a problem names it. */
  readonly dir: string;
  /** The document with this file name; undefined when the folder has none. */
  document(fileName: string): SourceDocument | undefined;
}

export function sourceDocumentsIn(dir: string = DEFAULT_SOURCES_DIR): SourceDocuments {
  const read = new Map<string, SourceDocument | undefined>();
  const relative = path.relative(process.cwd(), dir);
  return {
    dir: relative === '' || relative.startsWith('..') ? dir : relative,
    document(fileName) {
      if (!read.has(fileName)) {
        const file = path.join(dir, fileName);
        read.set(fileName, fs.existsSync(file) ? sourceDocument(fileName, fs.readFileSync(file, 'utf8')) : undefined);
      }
      return read.get(fileName);
    },
  };
}

/**
 * Every citation of the pack against its source document. A citation that names another file is
 * validatePack's to report where it requires the source (`reported` holds its problems, so none is
 * said twice); an `unless` or `notEncoded` citation may leave the file name out, and then points
 * into the source.
 */
function citationProblems(pack: PolicyPack, sources: SourceDocuments, reported: readonly PackProblem[]): PackProblem[] {
  const document = sources.document(pack.source);
  if (!document) {
    return [{ severity: 'error', path: '/source', message: `source document ${pack.source} is not in ${sources.dir}: a pack must ship with the document it cites` }];
  }
  const already = new Set(reported.map((p) => p.path));
  return packCitations(pack).flatMap(({ path: at, citation }): PackProblem[] => {
    if (already.has(at)) return [];
    const file = citation.startsWith(pack.source) ? pack.source : /^\S+\.txt\b/.exec(citation)?.[0];
    if (file !== undefined && file !== pack.source) {
      return [{ severity: 'error', path: at, message: `citation must name the pack's source document ${pack.source}` }];
    }
    const reference = file === undefined ? citation : citation.slice(file.length);
    return unresolvedAnchors(document, reference).map((unresolved) => ({ severity: 'error', path: at, message: describeUnresolved(citation, unresolved) }));
  });
}

/** Every citation the pack writes, with its place in the written pack; a section left out has none. */
function packCitations(pack: PolicyPack): { path: string; citation: string }[] {
  type Cited = [path: string, citation: string | undefined];
  const { rules, checklists, escalation } = pack;
  const all: Cited[] = [
    ...rules.flatMap((rule, i): Cited[] => [
      [`/rules/${i}/citation`, rule.citation],
      ...rule.unless.map((u, j): Cited => [`/rules/${i}/unless/${j}/citation`, u.citation]),
      ...handoverCitations(rule.handover, `/rules/${i}/handover`),
      [`/rules/${i}/reading/citation`, rule.reading?.citation],
    ]),
    ['/checklists/citation', checklists.citation],
    ...checklists.templates.flatMap((t, i): Cited[] => [
      [`/checklists/templates/${i}/citation`, t.citation],
      ...t.items.map((item, j): Cited => [`/checklists/templates/${i}/items/${j}/citation`, item.citation]),
    ]),
    ['/escalation/citation', escalation.citation],
    ...escalation.ladder.flatMap((rung, i): Cited[] => [
      [`/escalation/ladder/${i}/citation`, rung.citation],
      ...(rung.alsoTell ?? []).map((t, j): Cited => [`/escalation/ladder/${i}/alsoTell/${j}/citation`, t.citation]),
    ]),
    ['/escalation/namedWorker/citation', escalation.namedWorker.citation],
    ...pack.deadlines.map((d, i): Cited => [`/deadlines/${i}/citation`, d.citation]),
    ...(Array.isArray(pack.siblings)
      ? pack.siblings.map((s, i): Cited => [`/siblings/${i}/citation`, s.citation])
      : [['/siblings/citation', pack.siblings?.citation] as Cited]),
    ...pack.ageMilestones.map((m, i): Cited => [`/ageMilestones/${i}/citation`, m.citation]),
    ...pack.notEncoded.map((n, i): Cited => [`/notEncoded/${i}/citation`, n.citation]),
  ];
  // NO_PROCEDURES stands in for a section the pack leaves out, with "" for its citations.
  return all.flatMap(([at, citation]) => (citation ? [{ path: at, citation }] : []));
}

/** The citations of a handover point's lapses (`onFact.lapsesOn`), wherever the point nests them. */
function handoverCitations(point: HandoverPoint, at: string): [path: string, citation: string | undefined][] {
  return [
    ...(point.onFact?.lapsesOn ?? []).map((lapse, j): [string, string | undefined] => [`${at}/onFact/lapsesOn/${j}/citation`, lapse.citation]),
    ...(point.earliestOf ?? []).flatMap((inner, j) => handoverCitations(inner, `${at}/earliestOf/${j}`)),
    ...(point.fallback ? handoverCitations(point.fallback, `${at}/fallback`) : []),
    ...(point.tooFarAway ? handoverCitations(point.tooFarAway.then, `${at}/tooFarAway/then`) : []),
  ];
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

interface RuleDocument extends Omit<TransferRule, 'when' | 'unless' | 'priority' | 'to' | 'handover'> {
  /** `to` and `handover` are left out by a `remains` rule, and only by one (the schema's if/then). */
  to?: Exclude<TransferRule['to'], { holding: true }>;
  handover?: HandoverPoint;
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
    frontDoor: { team: doc.frontDoor.team, ...(doc.frontDoor.inbound !== undefined ? { inbound: doc.frontDoor.inbound } : {}) },
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
      metBy: { events: d.metBy.events, ...(d.metBy.conditions?.length ? { conditions: d.metBy.conditions.map(normaliseCondition) } : {}) },
      within: d.within,
      ...(d.whenMissed ? { whenMissed: d.whenMissed } : {}),
    })),
    ...(doc.siblings ? { siblings: normaliseSiblings(doc.siblings) } : {}),
    ...(doc.requestedTransfers ? { requestedTransfers: { citation: doc.requestedTransfers.citation, handover: normaliseHandover(doc.requestedTransfers.handover) } } : {}),
    ...(doc.holdingTeams ? { holdingTeams: { ...doc.holdingTeams } } : {}),
    ageMilestones: (doc.ageMilestones ?? []).map(({ ageYears, ahead, warnAhead, citation }) => ({ ageYears, ...(ahead ? { ahead } : {}), ...(warnAhead ? { warnAhead } : {}), citation })),
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
      items: t.items.map(({ id, description, citation, when, due, escalatesAlone }) => ({
        id,
        description,
        ...(citation ? { citation } : {}),
        ...(when?.length ? { when: when.map(normaliseCondition) } : {}),
        ...(due ? { due } : {}),
        ...(escalatesAlone ? { escalatesAlone } : {}),
      })),
    })),
  };
}

function normaliseEscalation(doc: PolicyPackDocument['escalation']): Escalation {
  if (!doc) return NO_PROCEDURES.escalation;
  const ladder = doc.ladder.map((rung) =>
    rung.alsoTell ? { ...rung, alsoTell: rung.alsoTell.map((t) => (t.when ? { ...t, when: t.when.map(normaliseCondition) } : t)) } : rung,
  );
  return { citation: doc.citation, ladder, entry: doc.entry ?? {}, namedWorker: doc.namedWorker };
}

// The schema admits exactly one of `event` and `events`; validatePack checks the type names.
const normaliseTrigger = (when: RuleDocument['when']): TransferRule['when'] => ({
  events: (when.events ?? [when.event]) as CaseEventType[],
  conditions: (when.conditions ?? []).map(normaliseCondition),
});

/** The conditions of a handover point that waits for a later fact, wherever it is nested, as a rule's are. */
function normaliseHandover(point: HandoverPoint): HandoverPoint {
  const facts = (conditions: Condition[] | undefined) => (conditions?.length ? { conditions: conditions.map(normaliseCondition) } : {});
  return {
    ...point,
    ...(point.tooFarAway ? { tooFarAway: { ...point.tooFarAway, then: normaliseHandover(point.tooFarAway.then) } } : {}),
    ...(point.fallback ? { fallback: normaliseHandover(point.fallback) } : {}),
    ...(point.earliestOf ? { earliestOf: point.earliestOf.map(normaliseHandover) } : {}),
    ...(point.onFact
      ? {
          onFact: {
            events: point.onFact.events,
            ...facts(point.onFact.conditions),
            ...(point.onFact.lapsesOn
              ? { lapsesOn: point.onFact.lapsesOn.map(({ description, citation, events, conditions }) => ({ description, ...(citation ? { citation } : {}), events, ...facts(conditions) })) }
              : {}),
          },
        }
      : {}),
  };
}

/** A remains rule moves nothing, so nothing is handed over; the engine never dates this point. */
const REMAINS: HandoverPoint = { description: 'none: the case remains with the team holding it', within: '0 days', after: 'trigger' };

function normaliseRule(rule: RuleDocument): TransferRule {
  return {
    id: rule.id,
    version: rule.version,
    title: rule.title,
    citation: rule.citation,
    ...(rule.outcome !== undefined && rule.outcome !== 'transfer' ? { outcome: rule.outcome } : {}),
    from: rule.from,
    to: rule.outcome === 'remains' ? { holding: true } : rule.to!,
    ...(rule.toArea ? { toArea: { fact: rule.toArea.fact } } : {}),
    ...(rule.holdsWhile ? { holdsWhile: rule.holdsWhile.map(normaliseCondition) } : {}),
    when: normaliseTrigger(rule.when),
    unless: (rule.unless ?? []).map((u) => ({
      description: u.description,
      ...(u.citation !== undefined ? { citation: u.citation } : {}),
      conditions: u.conditions.map(normaliseCondition),
    })),
    handover: rule.handover ? normaliseHandover(rule.handover) : REMAINS,
    priority: rule.priority ?? 0,
    ...(rule.overdueAs !== undefined ? { overdueAs: rule.overdueAs } : {}),
    ...(rule.reading ? { reading: { citation: rule.reading.citation, text: rule.reading.text } } : {}),
  };
}

/** Either form of `siblings` (policy-pack.ts): the pack-wide `{ citation }`, or sibling rules. */
function normaliseSiblings(siblings: NonNullable<PolicyPack['siblings']>): NonNullable<PolicyPack['siblings']> {
  if (!Array.isArray(siblings)) return { citation: siblings.citation };
  return siblings.map((s) => ({
    id: s.id,
    version: s.version,
    title: s.title,
    citation: s.citation,
    rules: s.rules,
    ...(s.handover ? { handover: normaliseHandover(s.handover) } : {}),
    ...(s.when?.length ? { when: s.when.map(normaliseCondition) } : {}),
  }));
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
