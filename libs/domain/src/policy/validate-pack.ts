/**
 * What a JSON Schema cannot see in a pack: names that must refer to each other (teams, meeting
 * kinds, facts, event types), durations that must parse, and rules that can never fire or that
 * send one fact to two different teams with nothing to choose between them (DESIGN.md "Tooling").
 */
import { parseDuration } from '../calendar';
import { CASE_EVENT_TYPES } from '../events/case-events';
import { isKnownFactName } from './facts';
import { describeDestination, itemMeetingOf, outcomeOf, type Anchor, type Condition, type HandoverPoint, type PolicyPack, type SiblingRule, type TransferRule } from './policy-pack';

export interface PackProblem {
  severity: 'error' | 'warning';
  /** Where in the pack, as a JSON pointer ("/rules/3/to"). */
  path: string;
  ruleId?: string;
  message: string;
}

export function validatePack(pack: PolicyPack): PackProblem[] {
  const problems: PackProblem[] = [];
  const error = (path: string, message: string, ruleId?: string) => problems.push({ severity: 'error', path, message, ...(ruleId ? { ruleId } : {}) });
  const teams = new Set(pack.teams.map((t) => t.code));
  const meetings = new Set(pack.meetingKinds.map((m) => m.kind));

  duplicates(pack.teams.map((t) => t.code)).forEach((code) => error('/teams', `team code ${code} is declared twice`));
  duplicates(pack.meetingKinds.map((m) => m.kind)).forEach((kind) => error('/meetingKinds', `meeting kind ${kind} is declared twice`));
  duplicates(pack.rules.map((r) => r.id)).forEach((id) => error('/rules', `rule id ${id} is used twice`, id));
  if (!teams.has(pack.frontDoor.team)) error('/frontDoor/team', `unknown team ${pack.frontDoor.team}`);
  if (pack.frontDoor.inbound !== undefined && !teams.has(pack.frontDoor.inbound)) error('/frontDoor/inbound', `unknown team ${pack.frontDoor.inbound}`);

  pack.rules.forEach((rule, i) => {
    const at = `/rules/${i}`;
    const ruleError = (path: string, message: string) => error(`${at}${path}`, message, rule.id);
    rule.from.forEach((team, j) => teams.has(team) || ruleError(`/from/${j}`, `unknown team ${team}`));
    const kind = outcomeOf(rule);
    if (typeof rule.to === 'string' && !teams.has(rule.to)) ruleError('/to', `unknown team ${rule.to}`);
    if (typeof rule.to !== 'string' && 'fact' in rule.to && !isKnownFactName(rule.to.fact)) ruleError('/to/fact', `unknown fact ${rule.to.fact}`);
    if (rule.toArea && !isKnownFactName(rule.toArea.fact)) ruleError('/toArea/fact', `unknown fact ${rule.toArea.fact}`);
    if (rule.toArea && kind !== 'transfer') ruleError('/toArea', `toArea applies to a transfer, not a ${kind} rule`);
    if (rule.holdsWhile && kind !== 'remains') ruleError('/holdsWhile', `holdsWhile applies to a remains rule, not a ${kind} rule`);
    if (rule.holdsWhile) checkConditions(rule.holdsWhile, `${at}/holdsWhile`, ruleError, at);
    if (!rule.citation.startsWith(pack.source)) ruleError('/citation', `citation must name the pack's source document ${pack.source}`);
    if (rule.reading && !rule.reading.citation.startsWith(pack.source)) ruleError('/reading/citation', `citation must name the pack's source document ${pack.source}`);
    rule.when.events.forEach((type, j) =>
      (CASE_EVENT_TYPES as readonly string[]).includes(type) || ruleError(`/when/events/${j}`, `unknown case event type ${type}`),
    );
    checkConditions(rule.when.conditions, `${at}/when/conditions`, ruleError, at);
    rule.unless.forEach((u, j) => checkConditions(u.conditions, `${at}/unless/${j}/conditions`, ruleError, at));
    checkHandover(rule.handover, '/handover', meetings, ruleError);
    // The same team in another area is a real move (003 §8).
    if (!rule.toArea && rule.from.length > 0 && rule.from.every((t) => t === rule.to)) {
      ruleError('/from', `unreachable: the child is always already held by ${rule.to}`);
    }
    // 003 §4, §9: a delay between authorities is told to a higher rung than one between teams; the
    // pack's team standing for another authority is frontDoor.inbound, so the rule must touch it.
    if (rule.overdueAs === 'inter-authority-delay') {
      const other = pack.frontDoor.inbound;
      if (kind !== 'transfer') ruleError('/overdueAs', `overdueAs applies to a transfer, not a ${kind} rule`);
      else if (other === undefined) ruleError('/overdueAs', 'inter-authority-delay needs the team that stands for another authority: name it in frontDoor.inbound');
      else if (rule.to !== other && !rule.from.includes(other))
        ruleError('/overdueAs', `inter-authority-delay is for a transfer to or from another authority, but the rule neither sends the child to ${other} (frontDoor.inbound) nor takes it from there`);
    } else if (rule.overdueAs !== undefined && kind !== 'transfer') ruleError('/overdueAs', `overdueAs applies to a transfer, not a ${kind} rule`);
    const contradiction = contradictory(rule.when.conditions);
    if (contradiction) ruleError('/when/conditions', `unreachable: conditions contradict each other (${contradiction})`);
  });

  checkProcedures(pack, teams, error, (path, message) => problems.push({ severity: 'warning', path, message }));
  if (pack.requestedTransfers) {
    const { citation, handover } = pack.requestedTransfers;
    if (!citation.startsWith(pack.source)) error('/requestedTransfers/citation', `citation must name the pack's source document ${pack.source}`);
    checkHandover(handover, '/requestedTransfers/handover', meetings, error);
  }

  if (Array.isArray(pack.siblings)) checkSiblingRules(pack, pack.siblings, meetings, error);

  for (const [kind, team] of Object.entries(pack.holdingTeams ?? {})) {
    if (!teams.has(team)) error(`/holdingTeams/${kind}`, `unknown team ${team}`);
  }

  // Co-work sits beside case responsibility, so co-work rules never compete with the others.
  for (const [a, b] of pairs(pack.rules.filter((r) => outcomeOf(r) !== 'co-work'))) {
    const sharedEvents = a.when.events.filter((e) => b.when.events.includes(e));
    const sharedTeams = a.from.filter((t) => b.from.includes(t));
    if (!sharedEvents.length || !sharedTeams.length || sameDestination(a, b) || a.priority !== b.priority) continue;
    if (mutuallyExclusive(a, b)) continue;
    error(
      `/rules/${pack.rules.indexOf(b)}`,
      `rules ${a.id} and ${b.id} can both fire on ${sharedEvents.join(', ')} for a child held by ${sharedTeams.join(', ')} and send it to different teams (${describeDestination(a.to)}, ${describeDestination(b.to)}) with the same priority: give one a higher priority or an exception`,
      b.id,
    );
  }
  return problems;
}

/** Checklists, the escalation ladder, deadlines and age milestones: names and durations that must make sense. */
function checkProcedures(pack: PolicyPack, teams: Set<string>, error: (path: string, message: string) => void, warning: (path: string, message: string) => void): void {
  // A checklist may be opened for the siblings moved alongside under a sibling rule, too.
  const ruleIds = new Set([...pack.rules.map((r) => r.id), ...(Array.isArray(pack.siblings) ? pack.siblings.map((s) => s.id) : [])]);
  const cites = (citation: string, path: string) => citation.startsWith(pack.source) || error(path, `citation must name the pack's source document ${pack.source}`);
  const { checklists, escalation } = pack;
  if (checklists.templates.length === 0) warning('/checklists', 'no checklist templates: transfers open no checklist');
  else cites(checklists.citation, '/checklists/citation');
  duplicates(checklists.templates.map((t) => t.id)).forEach((id) => error('/checklists/templates', `checklist template id ${id} is used twice`));
  checklists.templates.forEach((template, i) => {
    const at = `/checklists/templates/${i}`;
    cites(template.citation, `${at}/citation`);
    for (const key of ['from', 'to'] as const) {
      template.appliesTo[key]?.forEach((team, j) => teams.has(team) || error(`${at}/appliesTo/${key}/${j}`, `unknown team ${team}`));
    }
    template.appliesTo.rules?.forEach((id, j) => ruleIds.has(id) || error(`${at}/appliesTo/rules/${j}`, `unknown rule ${id}`));
    duplicates(template.items.map((item) => item.id)).forEach((id) => error(`${at}/items`, `item id ${id} is used twice`));
    template.items.forEach((item, j) => {
      if (item.citation) cites(item.citation, `${at}/items/${j}/citation`);
      if (item.due) checkDuration(item.due.within, `${at}/items/${j}/due/within`, error);
      const meeting = itemMeetingOf(item.due);
      if (meeting !== undefined && !pack.meetingKinds.some((m) => m.kind === meeting)) {
        error(`${at}/items/${j}/due/${item.due?.before !== undefined ? 'before' : 'after'}/meeting`, `unknown meeting kind ${meeting}`);
      }
      if (item.when) checkConditions(item.when, `${at}/items/${j}/when`, error, '');
    });
  });
  // An item named by two templates is one thing to do (openChecklist), so it is escalated one way.
  const alone = new Map<string, boolean>();
  checklists.templates.forEach((template, i) =>
    template.items.forEach((item, j) => {
      const earlier = alone.get(item.id);
      if (earlier !== undefined && earlier !== (item.escalatesAlone ?? false))
        error(`/checklists/templates/${i}/items/${j}/escalatesAlone`, `item ${item.id} is escalated alone in one template and with the other unmet items in another: say the same in both`);
      alone.set(item.id, earlier ?? item.escalatesAlone ?? false);
    }),
  );

  if (escalation.ladder.length === 0) warning('/escalation', 'no escalation ladder: nothing can be escalated');
  else cites(escalation.citation, '/escalation/citation');
  escalation.ladder.forEach((rung, i) => {
    if (rung.citation) cites(rung.citation, `/escalation/ladder/${i}/citation`);
    // A rung reached only by request has no timescale to reach it: the rung below has no `within`
    // (it would pass with nothing happening), and every other rung but the top needs one.
    const next = escalation.ladder[i + 1];
    if (i === 0 && rung.reachedBy === 'request') error(`/escalation/ladder/0/reachedBy`, `rung 1 (${rung.role}) is where matters are raised: it cannot be reached only by request`);
    if (rung.within) {
      checkDuration(rung.within, `/escalation/ladder/${i}/within`, error);
      if (next?.reachedBy === 'request') error(`/escalation/ladder/${i}/within`, `rung ${i + 2} (${next.role}) is reached only by request: rung ${i + 1}'s \`within\` would pass with nothing happening; leave it out`);
    } else if (next && next.reachedBy !== 'request') {
      error(`/escalation/ladder/${i}`, `rung ${i + 1} (${rung.role}) needs \`within\`: without it nothing ever reaches rung ${i + 2} (or mark rung ${i + 2} \`reachedBy: request\`)`);
    }
    (rung.alsoTell ?? []).forEach((notice, j) => {
      const at = `/escalation/ladder/${i}/alsoTell/${j}`;
      cites(notice.citation, `${at}/citation`);
      if (notice.role === rung.role) error(`${at}/role`, `${notice.role} is this rung's own role: it is told already`);
      if ((rung.alsoTell ?? []).findIndex((n) => n.role === notice.role) < j) error(`${at}/role`, `${notice.role} is told twice at rung ${i + 1}`);
      if (notice.when) {
        checkConditions(notice.when, `${at}/when`, error, '');
        // Judged on the day a matter is raised, with no case event arriving: only the child's facts.
        factNames(notice.when)
          .filter(([fact]) => fact.startsWith('event.'))
          .forEach(([fact]) => error(`${at}/when`, `${fact} is a fact of an arriving case event; a notice is judged on the day a matter is raised, so only child.* facts can be read`));
      }
    });
  });
  for (const [reason, rung] of Object.entries(escalation.entry)) {
    // A reason may enter at a rung reached only by request: `reachedBy` says time never climbs onto
    // it, while `entry` is the procedure sending a kind of matter straight there (002 opening
    // paragraph: capacity issues "are then addressed to the Senior Leadership team").
    if (rung !== undefined && rung > escalation.ladder.length) error(`/escalation/entry/${reason}`, `rung ${rung} is above the top of the ladder (${escalation.ladder.length} rungs)`);
  }
  if (escalation.ladder.length) {
    cites(escalation.namedWorker.citation, '/escalation/namedWorker/citation');
    checkDuration(escalation.namedWorker.within, '/escalation/namedWorker/within', error);
  }

  duplicates(pack.deadlines.map((d) => d.id)).forEach((id) => error('/deadlines', `deadline id ${id} is used twice`));
  pack.deadlines.forEach((deadline, i) => {
    const at = `/deadlines/${i}`;
    cites(deadline.citation, `${at}/citation`);
    checkDuration(deadline.within, `${at}/within`, error);
    [...deadline.starts.events.map((t, j) => [t, `${at}/starts/events/${j}`]), ...deadline.metBy.events.map((t, j) => [t, `${at}/metBy/events/${j}`])].forEach(
      ([type, path]) => (CASE_EVENT_TYPES as readonly string[]).includes(type) || error(path, `unknown case event type ${type}`),
    );
    checkConditions(deadline.starts.conditions, `${at}/starts/conditions`, error, '');
    checkConditions(deadline.metBy.conditions ?? [], `${at}/metBy/conditions`, error, '');
  });

  if (pack.siblings && !Array.isArray(pack.siblings)) cites(pack.siblings.citation, '/siblings/citation');

  duplicates(pack.ageMilestones.map((m) => String(m.ageYears))).forEach((age) => error('/ageMilestones', `age ${age} is listed twice`));
  pack.ageMilestones.forEach((m, i) => {
    cites(m.citation, `/ageMilestones/${i}/citation`);
    if (m.ahead) checkDuration(m.ahead, `/ageMilestones/${i}/ahead`, error);
    (m.warnAhead ?? []).forEach((w, j) => checkDuration(w, `/ageMilestones/${i}/warnAhead/${j}`, error));
    // A warning at the announcement's own lead would be the announcement told twice.
    if (m.warnAhead?.includes(m.ahead ?? '')) error(`/ageMilestones/${i}/warnAhead`, `"${m.ahead}" is the announcement's own lead time (ahead)`);
  });
}


/**
 * Sibling rules (003 §6): each names transfer rules of the pack, no rule is named twice (a
 * transfer's siblings follow one sibling rule), the ids are their own (a sibling's transfer carries
 * it as its rule id), and the conditions read the sibling (`child.*`): `event.*` would be the other
 * child's fact.
 */
function checkSiblingRules(pack: PolicyPack, siblings: SiblingRule[], meetings: Set<string>, error: (path: string, message: string) => void): void {
  const rules = new Map(pack.rules.map((r) => [r.id, r]));
  duplicates(siblings.map((s) => s.id)).forEach((id) => error('/siblings', `sibling rule id ${id} is used twice`));
  const namedBy = new Map<string, string>();
  siblings.forEach((sibling, i) => {
    const at = `/siblings/${i}`;
    if (rules.has(sibling.id)) error(`${at}/id`, `sibling rule id ${sibling.id} is also a transfer rule's id`);
    if (!sibling.citation.startsWith(pack.source)) error(`${at}/citation`, `citation must name the pack's source document ${pack.source}`);
    sibling.rules.forEach((id, j) => {
      const rule = rules.get(id);
      if (!rule) return error(`${at}/rules/${j}`, `unknown rule ${id}`);
      if (outcomeOf(rule) !== 'transfer') error(`${at}/rules/${j}`, `rule ${id} is a ${outcomeOf(rule)} rule: only a transfer takes siblings along`);
      const earlier = namedBy.get(id);
      if (earlier !== undefined) error(`${at}/rules/${j}`, `rule ${id} is already named by sibling rule ${earlier}: a transfer's siblings follow one sibling rule`);
      namedBy.set(id, sibling.id);
    });
    if (sibling.handover) checkHandover(sibling.handover, `${at}/handover`, meetings, error);
    if (sibling.when) {
      checkConditions(sibling.when, `${at}/when`, error, '');
      factNames(sibling.when).forEach(
        ([fact, path]) => fact.startsWith('event.') && error(`${at}/when/${path}/fact`, `${fact} is a fact of the other child's event: a sibling rule's conditions read the sibling (child.*)`),
      );
    }
  });
}

/** Every fact conditions name, with its path below them (into `anyOf`). */
const factNames = (conditions: Condition[], at = ''): [string, string][] =>
  conditions.flatMap((c, i): [string, string][] => ('anyOf' in c ? factNames(c.anyOf, `${at}${i}/anyOf/`) : [[c.fact, `${at}${i}`]]));

function checkConditions(conditions: Condition[], at: string, ruleError: (p: string, m: string) => void, ruleAt: string): void {
  conditions.forEach((c, i) => {
    const path = `${at}/${i}`.slice(ruleAt.length);
    if ('anyOf' in c) return checkConditions(c.anyOf, `${at}/${i}/anyOf`, ruleError, ruleAt);
    if (!isKnownFactName(c.fact)) ruleError(`${path}/fact`, `unknown fact ${c.fact}`);
    for (const key of ['atLeast', 'moreThan', 'below'] as const) {
      const value = (c as Record<string, unknown>)[key];
      if (typeof value === 'string') checkDuration(value, `${path}/${key}`, ruleError);
    }
  });
}

function checkHandover(point: HandoverPoint, path: string, meetings: Set<string>, ruleError: (p: string, m: string) => void): void {
  if (point.onFact || point.earliestOf) return checkComposedHandover(point, path, meetings, ruleError);
  if (point.meeting && !meetings.has(point.meeting)) ruleError(`${path}/meeting`, `unknown meeting kind ${point.meeting}`);
  if (point.after !== undefined && point.before !== undefined) ruleError(path, 'a timescale is either after or before its anchor, not both');
  if (point.within) checkDuration(point.within, `${path}/within`, ruleError);
  const anchors: [string, Anchor | undefined][] = [
    ['after', point.after],
    ['before', point.before],
    ['tooFarAway/after', point.tooFarAway?.after],
  ];
  for (const [key, anchor] of anchors) {
    if (anchor && typeof anchor === 'object' && 'meeting' in anchor && !meetings.has(anchor.meeting)) {
      ruleError(`${path}/${key}/meeting`, `unknown meeting kind ${anchor.meeting}`);
    }
    if (anchor && typeof anchor === 'object' && 'age' in anchor) checkAge(anchor.age, `${path}/${key}/age`, ruleError);
  }
  if (point.tooFarAway) {
    if (!point.meeting) ruleError(`${path}/tooFarAway`, 'tooFarAway needs a meeting to measure');
    checkDuration(point.tooFarAway.moreThan, `${path}/tooFarAway/moreThan`, ruleError);
    checkHandover(point.tooFarAway.then, `${path}/tooFarAway/then`, meetings, ruleError);
  }
  if (point.fallback && !point.meeting) ruleError(`${path}/fallback`, 'a fallback applies only when a meeting is named (it replaces an undated or late meeting)');
  if (point.fallback) checkHandover(point.fallback, `${path}/fallback`, meetings, ruleError);
  if (!point.meeting && point.within === undefined && point.after === undefined && point.before === undefined) {
    ruleError(path, 'a handover point needs a meeting or a timescale');
  }
}

/** The set keys of a handover point, beside its description. */
const HANDOVER_FORMS = ['meeting', 'within', 'after', 'before', 'tooFarAway', 'fallback', 'onFact', 'earliestOf'] as const;

/**
 * A handover point that is a later fact (`onFact`) or the earliest of several (`earliestOf`) stands
 * alone: a meeting or timescale beside it would be a second handover point, which `earliestOf` says.
 * One later fact per handover point: the transfer records the one fact that dated it.
 */
function checkComposedHandover(point: HandoverPoint, path: string, meetings: Set<string>, ruleError: (p: string, m: string) => void): void {
  const form = point.onFact ? 'onFact' : 'earliestOf';
  const beside = HANDOVER_FORMS.filter((key) => key !== form && point[key] !== undefined);
  if (beside.length) ruleError(path, `${form} is a handover point on its own: ${beside.join(', ')} cannot be beside it (list several points under earliestOf)`);
  const checkEvents = (events: string[], at: string) =>
    events.forEach((type, j) => (CASE_EVENT_TYPES as readonly string[]).includes(type) || ruleError(`${at}/${j}`, `unknown case event type ${type}`));
  if (point.onFact) {
    checkEvents(point.onFact.events, `${path}/onFact/events`);
    checkConditions(point.onFact.conditions ?? [], `${path}/onFact/conditions`, ruleError, '');
    point.onFact.lapsesOn?.forEach((lapse, i) => {
      checkEvents(lapse.events, `${path}/onFact/lapsesOn/${i}/events`);
      checkConditions(lapse.conditions ?? [], `${path}/onFact/lapsesOn/${i}/conditions`, ruleError, '');
    });
  }
  if (point.earliestOf) {
    if (point.earliestOf.length < 2) ruleError(`${path}/earliestOf`, 'earliestOf needs at least two handover points');
    point.earliestOf.forEach((inner, i) => checkHandover(inner, `${path}/earliestOf/${i}`, meetings, ruleError));
    const facts = point.earliestOf.filter(function waitsForAFact(p: HandoverPoint): boolean {
      return !!p.onFact || [p.fallback, p.tooFarAway?.then, ...(p.earliestOf ?? [])].some((inner) => inner && waitsForAFact(inner));
    });
    if (facts.length > 1) ruleError(`${path}/earliestOf`, 'at most one of the points may wait for a later fact (onFact): the transfer records the one fact that dated it');
  }
}

function checkDuration(text: string, path: string, ruleError: (p: string, m: string) => void): void {
  try {
    parseDuration(text);
  } catch (e) {
    ruleError(path, `"${text}" is not a duration: ${(e as Error).message}`);
  }
}

/** An age is years, months, weeks or days from the date of birth: never working days or hours. */
function checkAge(text: string, path: string, ruleError: (p: string, m: string) => void): void {
  let age;
  try {
    age = parseDuration(text);
  } catch (e) {
    ruleError(path, `"${text}" is not a duration: ${(e as Error).message}`);
    return;
  }
  if (age.workingDays > 0 || (age.hours ?? 0) > 0) ruleError(path, `"${text}" is not an age: an age is counted in years, months, weeks or days`);
}

const sameDestination = (a: TransferRule, b: TransferRule): boolean =>
  JSON.stringify(a.to) === JSON.stringify(b.to) && JSON.stringify(a.toArea) === JSON.stringify(b.toArea);

const duplicates = (values: string[]): string[] => [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];

function* pairs<T>(items: T[]): Generator<[T, T]> {
  for (let i = 0; i < items.length; i++) for (let j = i + 1; j < items.length; j++) yield [items[i], items[j]];
}

type Simple = Exclude<Condition, { anyOf: Condition[] }>;
const simple = (conditions: Condition[]): Simple[] => conditions.filter((c): c is Simple => !('anyOf' in c));

/** Two conditions on one fact that cannot both hold. */
function disjoint(x: Simple, y: Simple): boolean {
  if (x.fact !== y.fact) return false;
  const allowed = (c: Simple): unknown[] | undefined => ('is' in c ? [c.is] : 'in' in c ? c.in : undefined);
  const ax = allowed(x);
  const ay = allowed(y);
  if (ax && ay) return !ax.some((v) => ay.includes(v));
  const excluded = (c: Simple): unknown[] | undefined => ('isNot' in c ? [c.isNot] : 'notIn' in c ? c.notIn : undefined);
  if (ax && excluded(y)) return ax.every((v) => excluded(y)!.includes(v));
  if (ay && excluded(x)) return ay.every((v) => excluded(x)!.includes(v));
  if ('present' in x && 'present' in y) return x.present !== y.present;
  const lower = (c: Simple) => ('atLeast' in c ? c.atLeast : 'moreThan' in c ? c.moreThan : undefined);
  if (lower(x) !== undefined && 'below' in y) return lower(x) === y.below;
  if (lower(y) !== undefined && 'below' in x) return lower(y) === x.below;
  return false;
}

/** Key order does not matter: `{ is: true, fact: f }` is the same condition as `{ fact: f, is: true }`. */
const canonical = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(canonical)
    : value !== null && typeof value === 'object'
      ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]))
      : value;
const sameCondition = (x: Condition, y: Condition): boolean => JSON.stringify(canonical(x)) === JSON.stringify(canonical(y));

/** True when the two rules can never fire on the same fact, as far as their conditions show. */
function mutuallyExclusive(a: TransferRule, b: TransferRule): boolean {
  const ca = simple(a.when.conditions);
  const cb = simple(b.when.conditions);
  if (ca.some((x) => cb.some((y) => disjoint(x, y)))) return true;
  // An exception of one rule that is implied by the other's conditions rules the first out.
  const excludedBy = (rule: TransferRule, other: Condition[]) =>
    rule.unless.some((u) => u.conditions.every((c) => other.some((o) => sameCondition(c, o))));
  return excludedBy(a, b.when.conditions) || excludedBy(b, a.when.conditions);
}

function contradictory(conditions: Condition[]): string | undefined {
  const list = simple(conditions);
  for (const [x, y] of pairs(list)) if (disjoint(x, y)) return `${x.fact}`;
  return undefined;
}
