/**
 * The policy engine: given a child's state, a new fact and the authority's pack, which transfer
 * points fire, where to, and by when — with an account of every rule that did or did not fire.
 *
 * `decide` is Emmett's decider with the pack passed in: nothing is fetched and the clock is not
 * read, so replaying a stream reproduces the same decisions (DESIGN.md "Domain core").
 */
import { localDateOf, WorkingCalendar } from '../calendar';
import type { LocalDate } from '../calendar/local-date';
import { openTransfers, type ChildState, type TransferState } from '../child/child-state';
import { evolve, evolveFact } from '../child/evolve';
import type { CaseEvent } from '../events/case-events';
import type { Decision, RuleReference } from '../events/decision-events';
import { allConditionsHold, allHold, evaluateConditions, type ConditionEnvironment } from './conditions';
import { DurationCache } from './durations';
import { dueByForHandoverPoint, factHandoverOf, meetingsOf } from './handover';
import { describeDestination, outcomeOf, type HandoverPoint, type PolicyPack, type TransferRule } from './policy-pack';
import { readFact, type FactContext } from './facts';
import { scopedId } from '../deciding/decider';
import { checklistFollowsMeeting, checklistRedated } from '../transfer/checklists';
import { siblingRuleById } from './sibling-rules';

/** A pack made ready to run: its calendar built and its rules indexed by trigger event. */
export interface CompiledPack {
  pack: PolicyPack;
  calendar: WorkingCalendar;
  durations: DurationCache;
  rulesByEvent: Map<string, TransferRule[]>;
  rulesById: Map<string, TransferRule>;
  teams: Set<string>;
}

export function compilePack(pack: PolicyPack): CompiledPack {
  const rulesByEvent = new Map<string, TransferRule[]>();
  for (const rule of pack.rules) {
    for (const type of rule.when.events) rulesByEvent.set(type, [...(rulesByEvent.get(type) ?? []), rule]);
  }
  return {
    pack,
    calendar: new WorkingCalendar({ extraNonWorkingDays: pack.nonWorkingDays }),
    durations: new DurationCache(),
    rulesByEvent,
    rulesById: new Map(pack.rules.map((r) => [r.id, r])),
    teams: new Set(pack.teams.map((t) => t.code)),
  };
}

/** The facts, plus the pack's team codes (a destination read from a fact must be one of them). */
type RuleContext = FactContext & { teams: Set<string> };

/**
 * What became of a rule the fact triggered. `proposed`: the rule fired and its decision is made (a
 * transfer proposed, a co-work required or the case retained, by the rule's outcome).
 */
export type RuleOutcome =
  | 'proposed'
  | 'not-held-by-from-team'
  | 'conditions-not-met'
  | 'exception'
  | 'already-with-team'
  | 'already-on-transfer'
  | 'already-co-working'
  | 'retained'
  | 'lower-priority';

export interface RuleEvaluation {
  ruleId: string;
  citation: string;
  outcome: RuleOutcome;
  account: string[];
  /** The team the rule sends the child to, once known (a destination may be read from a fact). */
  toTeam?: string;
  /** The receiving team's area, for a move between areas of one authority. */
  toArea?: string;
}

export interface Evaluation {
  /** The state with the fact applied (the decisions are not yet applied). */
  state: ChildState;
  decisions: Decision[];
  /** One entry per rule triggered by the fact's type; rules for other facts are not listed. */
  rules: RuleEvaluation[];
}

/** Which rule of which pack a decision was made under: a transfer rule, or a sibling rule (003 §6). */
export const ruleReference = (rule: Pick<TransferRule, 'id' | 'version' | 'citation'>, pack: PolicyPack): RuleReference => ({
  ruleId: rule.id,
  ruleVersion: rule.version,
  packId: pack.id,
  packVersion: pack.version,
  citation: rule.citation,
});

/**
 * The team holding the child: the allocated team; a child moving in from another authority, the
 * pack's inbound team until it transfers in (003 §9); otherwise the front door once a referral is open.
 */
export const teamHolding = (state: ChildState, pack: PolicyPack): string | undefined =>
  state.team ?? (state.movingIn && pack.frontDoor.inbound ? pack.frontDoor.inbound : state.open ? pack.frontDoor.team : undefined);

/**
 * `applied` is `before` with the fact folded in, when the caller has it already (reconciliation
 * folds each fact once, issue 18).
 */
export function evaluate(before: ChildState, fact: CaseEvent, compiled: CompiledPack, applied: ChildState = evolveFact(before, fact), explain = true): Evaluation {
  // Conditions read the state with the fact applied: "accommodated" is true on ChildAccommodated.
  const occurredOn = localDateOf(fact.occurredAt);
  const env: ConditionEnvironment = { calendar: compiled.calendar, durations: compiled.durations };
  const arrived: RuleContext = { state: applied, fact, occurredOn, team: teamHolding(applied, compiled.pack), teams: compiled.teams };
  // A fact that shows an awaited handover point will not come ends that transfer first, so the
  // rules judge the child without it: a placement order made while a transfer to Pathways Through
  // Care waits for a final care order goes to Adoption (004 Adoption 1), not to "resolve the open
  // transfer first".
  const lapsed = lapses(arrived, env, compiled);
  const state = lapsed.reduce(
    (s, decision, i) => evolve(s, { kind: 'decision', eventId: `${fact.eventId}:lapse:${i}`, decidedAt: fact.occurredAt, causationId: fact.eventId, decision }),
    applied,
  );
  const ctx: RuleContext = { ...arrived, state };
  const hold = holdInForce(ctx, env, compiled);

  const candidates = compiled.rulesByEvent.get(fact.type) ?? [];
  const evaluations = candidates.map((rule) => evaluateRule(rule, ctx, env, hold, explain));
  const fired = (kind: 'moves' | 'co-work') =>
    evaluations.filter((e) => e.outcome === 'proposed' && (outcomeOf(ruleOf(compiled, e)) === 'co-work') === (kind === 'co-work'));
  const firing = fired('moves').sort((a, b) => ruleOf(compiled, b).priority - ruleOf(compiled, a).priority);

  const decisions: Decision[] = [...lapsed];
  // A child moves to one team at a time: the highest-priority firing rule wins (000 ¶1: the
  // minimum number of transitions). `policy validate` flags ties between different teams. A
  // "remains" rule competes like a transfer: it is a decision about where the case sits.
  const [winner, ...others] = firing;
  for (const other of others) {
    other.outcome = 'lower-priority';
    other.account.push(`rule ${winner.ruleId} (priority ${ruleOf(compiled, winner).priority}) fires instead`);
  }
  if (winner) {
    const rule = ruleOf(compiled, winner);
    decisions.push(outcomeOf(rule) === 'remains' ? retention(rule, ctx, compiled, winner.account) : proposal(rule, winner, ctx, compiled));
  }
  // Co-working sits beside case responsibility, so every co-work that fires is recorded.
  for (const coWork of fired('co-work')) decisions.push(coWorkRequired(ruleOf(compiled, coWork), coWork.toTeam!, ctx, compiled, coWork.account));
  // A request no rule took (last: its evaluation names a rule the pack's list does not have).
  const requested = !winner && fact.type === 'TransferRequested' ? evaluateRequest(fact, ctx, env, hold, compiled) : undefined;
  if (requested) {
    evaluations.push(requested.evaluation);
    if (requested.rule) decisions.push(proposal(requested.rule, requested.evaluation, ctx, compiled));
  }
  decisions.push(...reschedulings(ctx, env, compiled));
  return { state: applied, decisions, rules: evaluations };
}

/** The decisions a fact leads to under the pack: `evaluate` without the account. */
export const decide = (state: ChildState, fact: CaseEvent, compiled: CompiledPack, applied?: ChildState): Decision[] =>
  evaluate(state, fact, compiled, applied, false).decisions;

const ruleOf = (compiled: CompiledPack, e: RuleEvaluation): TransferRule => compiled.rulesById.get(e.ruleId)!;

/**
 * A CaseRetained hold on the team holding the child, while its rule's `holdsWhile` still holds:
 * 002 row 6, "for duration of supervision order". It lapses by itself when they stop holding (the
 * order discharged), when the case moves or closes, or when the pack in force no longer has it.
 */
function holdInForce(ctx: RuleContext, env: ConditionEnvironment, compiled: CompiledPack): string | undefined {
  const retained = ctx.state.retained;
  const holdsWhile = retained && compiled.rulesById.get(retained.ruleId)?.holdsWhile;
  if (!retained || !holdsWhile?.length || retained.team !== ctx.team) return undefined;
  const results = evaluateConditions(holdsWhile, ctx, env);
  if (!allHold(results)) return undefined;
  return `the case remains with ${retained.team} under rule ${retained.ruleId} (${retained.citation}) since ${retained.since}, while ${results.map((r) => r.account).join('; ')}`;
}

/**
 * One rule judged on the fact. `explain: false` (deciding, not `policy explain`): a rule that does
 * not fire gets no account, and its conditions are judged without words, stopping at the first
 * that fails; a rule that fires is judged with its account, which its decision's explanation is.
 */
function evaluateRule(rule: TransferRule, ctx: RuleContext, env: ConditionEnvironment, hold: string | undefined, explain = true): RuleEvaluation {
  const result = (outcome: RuleOutcome, account: string[]): RuleEvaluation => ({
    ruleId: rule.id,
    citation: rule.citation,
    outcome,
    account,
  });
  if (!ctx.team || !rule.from.includes(ctx.team)) {
    return result('not-held-by-from-team', explain ? [`held by ${ctx.team ?? 'no team'}, rule applies to ${rule.from.join(', ')}`] : []);
  }
  if (!explain) {
    if (!allConditionsHold(rule.when.conditions, ctx, env)) return result('conditions-not-met', []);
    if (rule.unless.some((exception) => allConditionsHold(exception.conditions, ctx, env))) return result('exception', []);
  }
  const conditions = evaluateConditions(rule.when.conditions, ctx, env);
  const account = [`held by ${ctx.team}${ctx.state.area ? ` (${ctx.state.area})` : ''}`, ...conditions.map((c) => c.account)];
  if (!allHold(conditions)) return result('conditions-not-met', account);
  for (const exception of rule.unless) {
    const results = evaluateConditions(exception.conditions, ctx, env);
    if (allHold(results)) {
      return result('exception', [...account, `exception: ${exception.description}`, ...results.map((r) => r.account)]);
    }
  }
  const kind = outcomeOf(rule);
  if (kind === 'remains') return judgeRetention(rule, ctx, account, hold, result);
  const to = destinationOf(rule, ctx);
  if (!to.team) return result('conditions-not-met', [...account, to.account ?? 'no destination']);
  if (to.account) account.push(to.account);
  const area = rule.toArea ? areaOf(rule.toArea.fact, ctx) : undefined;
  if (area && !area.area) return result('conditions-not-met', [...account, area.account]);
  if (area) account.push(area.account);
  const resolved = (outcome: RuleOutcome, lines: string[]): RuleEvaluation => ({
    ...result(outcome, lines),
    toTeam: to.team,
    ...(area?.area ? { toArea: area.area } : {}),
  });
  const sameArea = !area || area.area === ctx.state.area;
  if (ctx.team === to.team && sameArea) return resolved('already-with-team', [...account, `already held by ${to.team}${area ? ` in ${area.area}` : ''}`]);
  if (kind === 'co-work') {
    const existing = ctx.state.coWorks.find((c) => c.team === to.team);
    if (existing) return resolved('already-co-working', [...account, `${to.team} already co-works (${existing.coWorkId}, rule ${existing.ruleId})`]);
    return resolved('proposed', account);
  }
  if (hold) return resolved('retained', [...account, hold]);
  // One open transfer at a time (000 ¶1: the minimum number of transitions). A rule that fires
  // while another transfer is open is recorded in the account, not proposed: managers resolve the
  // open one first (accept, reject or withdraw it).
  const pending = openTransfers(ctx.state)[0];
  if (pending) {
    const why = pending.toTeam === to.team ? `already on transfer to ${to.team}` : `an open transfer to ${pending.toTeam} must be resolved first`;
    return resolved('already-on-transfer', [...account, `${why} (${pending.transferId}, rule ${pending.ruleId})`]);
  }
  return resolved('proposed', account);
}

/** The rule id of a transfer a manager requested on a route no rule of the pack takes. */
export const REQUESTED_TRANSFER_RULE_ID = 'requested-transfer';

/**
 * The pack's `requestedTransfers` as a rule: from the team holding the child to any team the request
 * names. Undefined when the pack has none.
 */
export function requestedTransferRule(pack: PolicyPack): TransferRule | undefined {
  const requested = pack.requestedTransfers;
  if (!requested) return undefined;
  return {
    id: REQUESTED_TRANSFER_RULE_ID,
    version: 1,
    title: 'A transfer a manager requested, on a route no rule of the pack takes',
    citation: requested.citation,
    from: pack.teams.map((t) => t.code),
    to: { fact: 'event.toTeam' },
    when: { events: ['TransferRequested'], conditions: [] },
    unless: [],
    handover: requested.handover,
    priority: 0,
  };
}

/**
 * A manager's TransferRequested that no rule took. Where a rule triggered by TransferRequested
 * sends children to the team asked for, that rule says who may be transferred there (001 §3: the
 * Disabled Children's Teams take agreed transfers from MASH, Assessment, Safeguarding and Early
 * Help only), and the request proposes nothing more. Otherwise, under a pack with
 * `requestedTransfers`, it is a transfer like any other: from the team holding the child (the one
 * the request is from) to the team asked for, unless the child is held elsewhere, already there,
 * held by a "remains" decision, or another transfer is open.
 */
function evaluateRequest(
  fact: CaseEvent<'TransferRequested'>,
  ctx: RuleContext,
  env: ConditionEnvironment,
  hold: string | undefined,
  compiled: CompiledPack,
): { evaluation: RuleEvaluation; rule?: TransferRule } | undefined {
  const rule = requestedTransferRule(compiled.pack);
  const { fromTeam, toTeam } = fact.data;
  const takenByARule = (compiled.rulesByEvent.get('TransferRequested') ?? []).some((r) => typeof r.to !== 'string' || r.to === toTeam);
  if (!rule || takenByARule) return undefined;
  const evaluation = evaluateRule(rule, ctx, env, hold);
  if (evaluation.outcome === 'proposed' && fromTeam !== ctx.team) {
    return { evaluation: { ...evaluation, outcome: 'not-held-by-from-team', account: [...evaluation.account, `the request is from ${fromTeam}, but ${ctx.team} holds the child`] } };
  }
  return evaluation.outcome === 'proposed' ? { evaluation, rule } : { evaluation };
}

/** A "remains" rule: the case stays with the team holding it, unless a transfer is already under way. */
function judgeRetention(
  rule: TransferRule,
  ctx: RuleContext,
  account: string[],
  hold: string | undefined,
  result: (outcome: RuleOutcome, account: string[]) => RuleEvaluation,
): RuleEvaluation {
  const team = ctx.team!;
  const resolved = (outcome: RuleOutcome, lines: string[]): RuleEvaluation => ({ ...result(outcome, lines), toTeam: team });
  if (hold) return resolved('retained', [...account, hold]);
  const pending = openTransfers(ctx.state)[0];
  if (pending) return resolved('already-on-transfer', [...account, `an open transfer to ${pending.toTeam} must be resolved first (${pending.transferId}, rule ${pending.ruleId})`]);
  return resolved('proposed', [...account, `the case remains with ${team}`]);
}

const triggerOf = (ctx: RuleContext) => ({ eventId: ctx.fact.eventId, type: ctx.fact.type, occurredOn: ctx.occurredOn });

/** The rule's handover point dated from the fact that fired it. */
const handoverFor = (rule: TransferRule, ctx: RuleContext, compiled: CompiledPack) =>
  dueByForHandoverPoint(rule.handover, { state: ctx.state, triggerOn: ctx.occurredOn, calendar: compiled.calendar, durations: compiled.durations });

function proposal(rule: TransferRule, fired: RuleEvaluation, ctx: RuleContext, compiled: CompiledPack): Decision<'TransferProposed'> {
  const { dueBy, handoverPoint } = handoverFor(rule, ctx, compiled);
  return {
    type: 'TransferProposed',
    data: {
      ...ruleReference(rule, compiled.pack),
      transferId: transferIdFor(ctx.state, ctx.fact.eventId, rule.id, { fromTeam: ctx.team!, toTeam: fired.toTeam!, toArea: fired.toArea }),
      fromTeam: ctx.team!,
      toTeam: fired.toTeam!,
      ...(fired.toArea !== undefined ? { ...(ctx.state.area !== undefined ? { fromArea: ctx.state.area } : {}), toArea: fired.toArea } : {}),
      trigger: triggerOf(ctx),
      handoverPoint,
      dueBy,
      explanation: fired.account,
    },
  };
}

function retention(rule: TransferRule, ctx: RuleContext, compiled: CompiledPack, explanation: string[]): Decision<'CaseRetained'> {
  const env: ConditionEnvironment = { calendar: compiled.calendar, durations: compiled.durations };
  const holdsWhile = rule.holdsWhile?.length ? evaluateConditions(rule.holdsWhile, ctx, env).map((r) => r.account) : undefined;
  return {
    type: 'CaseRetained',
    data: {
      ...ruleReference(rule, compiled.pack),
      team: ctx.team!,
      trigger: triggerOf(ctx),
      explanation,
      ...(holdsWhile ? { holdsWhile } : {}),
    },
  };
}

function coWorkRequired(rule: TransferRule, team: string, ctx: RuleContext, compiled: CompiledPack, explanation: string[]): Decision<'CoWorkRequired'> {
  const { dueBy, handoverPoint } = handoverFor(rule, ctx, compiled);
  return {
    type: 'CoWorkRequired',
    data: {
      ...ruleReference(rule, compiled.pack),
      coWorkId: scopedId('cw', ctx.state.authority, ctx.state.childId, ctx.fact.eventId, rule.id, ctx.team!, team),
      holdingTeam: ctx.team!,
      coWorkingTeam: team,
      trigger: triggerOf(ctx),
      handoverPoint,
      dueBy,
      explanation,
    },
  };
}

/** The team a rule sends the child to: named, or read from a fact (and then it must be a team of the pack). */
function destinationOf(rule: TransferRule, ctx: RuleContext): { team?: string; account?: string } {
  if (typeof rule.to === 'string') return { team: rule.to };
  if (!('fact' in rule.to)) return { team: ctx.team };
  const value = readFact(rule.to.fact, ctx);
  const team = value?.kind === 'scalar' && typeof value.value === 'string' ? value.value : undefined;
  if (!team) return { account: `${describeDestination(rule.to)}: not recorded` };
  if (!ctx.teams.has(team)) return { account: `${describeDestination(rule.to)} is ${team}, which is not a team of this pack` };
  return { team, account: `${describeDestination(rule.to)} is ${team}` };
}

function areaOf(fact: string, ctx: RuleContext): { area?: string; account: string } {
  const value = readFact(fact, ctx);
  const area = value?.kind === 'scalar' && typeof value.value === 'string' && value.value !== '' ? value.value : undefined;
  return area ? { area, account: `the area in ${fact} is ${area}` } : { account: `the area in ${fact}: not recorded` };
}

/**
 * Deterministic, so a replay or a retried delivery names the same transfer; scoped by tenant and
 * child, since two authorities' case-management systems may use the same event ids; and by route,
 * since a late fact can make the same rule on the same fact a move between other teams.
 */
export const transferIdFor = (
  child: Pick<ChildState, 'authority' | 'childId'>,
  triggerEventId: string,
  ruleId: string,
  route: { fromTeam: string; toTeam: string; toArea?: string },
): string => scopedId('tr', child.authority, child.childId, triggerEventId, ruleId, route.fromTeam, route.toTeam, route.toArea ?? '');

/** The rule an open transfer was proposed under, in the pack in force. */
const ruleOfTransfer = (transfer: TransferState, compiled: CompiledPack): TransferRule | undefined =>
  transfer.ruleId === REQUESTED_TRANSFER_RULE_ID ? requestedTransferRule(compiled.pack) : compiled.rulesById.get(transfer.ruleId);

/**
 * Whether the fact judged now is the later fact an open transfer's handover point waits for: one of
 * its types, after the transfer's trigger, with its conditions holding as it arrives. Only the first
 * dates it: a transfer already dated by a fact keeps that date.
 */
function datesTransfer(transfer: TransferState, handover: HandoverPoint, ctx: RuleContext, env: ConditionEnvironment): boolean {
  const awaited = factHandoverOf(handover);
  if (!awaited || transfer.handoverPoint.fact || transfer.trigger.eventId === ctx.fact.eventId) return false;
  return awaited.events.includes(ctx.fact.type) && allHold(evaluateConditions(awaited.conditions ?? [], ctx, env));
}

/**
 * A later fact may date or move the handover point of an open transfer: a MeetingScheduled of a
 * meeting its rule names, or the fact its `onFact` waits for (004 PTC 2: "The child will transfer to
 * the Pathways Through Care Service at final order"). The transfer's checklist items due by the
 * handover point are re-dated with it, and so are items counted from or back to a meeting (004 CFF
 * 11: headline information 48 hours before the Step Down Panel, whichever step-down rule proposed
 * the transfer). An item that moves while the handover point does not is still recorded as
 * TransferRescheduled, with its due date unchanged, so that one decision says what a meeting re-dated.
 */
function reschedulings(ctx: RuleContext, env: ConditionEnvironment, compiled: CompiledPack): Decision[] {
  const { state, fact } = ctx;
  const decisions: Decision[] = [];
  for (const transfer of openTransfers(state)) {
    const rule = ruleOfTransfer(transfer, compiled);
    // A sibling moved alongside under its sibling rule's own handover point (003 §6: "via, a Core
    // Group Meeting or Child in Need Review") is dated on its own meetings, as a rule's is.
    const siblingRule = rule ? undefined : siblingRuleById(compiled.pack, transfer.ruleId);
    const handover = rule?.handover ?? siblingRule?.handover;
    if (!handover) continue;
    const kind = fact.type === 'MeetingScheduled' ? fact.data.kind : undefined;
    const meeting = kind !== undefined && meetingsOf(handover).includes(kind);
    const dating = datesTransfer(transfer, handover, ctx, env) ? triggerOf(ctx) : undefined;
    const itemsFollow = kind !== undefined && checklistFollowsMeeting(transfer, kind, compiled);
    if (!meeting && !dating && !itemsFollow) continue;
    const { dueBy, handoverPoint } =
      meeting || dating
        ? dueByForHandoverPoint(handover, {
            state,
            triggerOn: transfer.trigger.occurredOn as LocalDate,
            calendar: compiled.calendar,
            durations: compiled.durations,
            ...((dating ?? transfer.handoverPoint.fact) ? { datingFact: dating ?? transfer.handoverPoint.fact } : {}),
          })
        : { dueBy: transfer.dueBy, handoverPoint: transfer.handoverPoint };
    // A fact that dates one point of an earliestOf while another stays earlier changes no date, but
    // is recorded all the same, so that re-dating the point later remembers it.
    const unchanged = dueBy === transfer.dueBy && handoverPoint.basis === transfer.handoverPoint.basis && handoverPoint.fact?.eventId === transfer.handoverPoint.fact?.eventId;
    const checklist = checklistRedated(state, transfer.transferId, dueBy, compiled);
    if (unchanged && !checklist) continue;
    decisions.push({
      type: 'TransferRescheduled',
      data: { ...ruleReference((rule ?? siblingRule)!, compiled.pack), transferId: transfer.transferId, previousDueBy: transfer.dueBy, dueBy, handoverPoint, ...(checklist ? { checklist } : {}) },
    });
  }
  return decisions;
}

/**
 * Open transfers whose handover point waits for a later fact that this fact shows will not come
 * (the pack's `lapsesOn`): withdrawn by reconciliation, reason `handover-point-lapsed`. One already
 * dated by the awaited fact has reached its handover point and is left to run.
 */
function lapses(ctx: RuleContext, env: ConditionEnvironment, compiled: CompiledPack): Decision<'TransferWithdrawn'>[] {
  const decisions: Decision<'TransferWithdrawn'>[] = [];
  for (const transfer of openTransfers(ctx.state)) {
    const rule = ruleOfTransfer(transfer, compiled);
    const awaited = rule && factHandoverOf(rule.handover);
    if (!rule || !awaited?.lapsesOn || transfer.handoverPoint.fact || transfer.trigger.eventId === ctx.fact.eventId) continue;
    const lapse = awaited.lapsesOn.find((l) => l.events.includes(ctx.fact.type) && allHold(evaluateConditions(l.conditions ?? [], ctx, env)));
    if (!lapse) continue;
    decisions.push({
      type: 'TransferWithdrawn',
      data: {
        ...ruleReference(rule, compiled.pack),
        transferId: transfer.transferId,
        reason: HANDOVER_POINT_LAPSED,
        lapsedBy: { ...triggerOf(ctx), description: lapse.description, ...(lapse.citation ? { citation: lapse.citation } : {}) },
      },
    });
  }
  return decisions;
}

/** The reason reconciliation gives when it withdraws a transfer whose awaited handover point will not come. */
export const HANDOVER_POINT_LAPSED = 'handover-point-lapsed';
