/**
 * Given/when/then over the policy engine, in the shape of Emmett's DeciderSpecification:
 *
 *   const { given } = scenario(compilePack(pack));
 *   given(heldBy('A&I')).when(icpcHeld({ on: '2026-05-01' })).then(proposed({ to: 'FSP', dueBy: '2026-05-18' }));
 *
 * `given` folds its facts into the child's state as the service would: each fact is evaluated
 * against the pack and the decisions it leads to are folded too, so a transfer proposed by an
 * earlier fact is open when the `when` fact arrives. Decision metadata (ids, times) is derived
 * from the fact that caused it, so a scenario is the same on every run.
 *
 * Every check happens at once and the terminal methods return nothing, so a test can be a single
 * expression (Jest refuses a test function that returns anything but a promise).
 *
 * A failure explains itself: the message lists what the engine decided and its account of every
 * rule the fact triggered — outcome, which conditions held, how the handover point was dated.
 *
 * Citations: a proposal must cite the paragraph its scenario is about. `citing: '¶12'` says so
 * explicitly; without it, the paragraphs named at the start of the test's name are required
 * (`describe('000 ¶12 — …')` requires "000_…" and "¶12" in the decision's citation).
 */
import {
  evaluate,
  evolve,
  initialChildState,
  type CaseEvent,
  type ChildState,
  type ChildStreamEvent,
  type CompiledPack,
  type Decision,
  type Evaluation,
  type HandoverPointResolution,
  type LocalDate,
  type PolicyPack,
  type RuleOutcome,
} from '@cto/domain';
import { SCENARIO_AUTHORITY, SCENARIO_CHILD_ID } from './case-event-builders';

/** A fact, one of our own decisions as stored on the stream, or a list of them (a builder may give several). */
export type Given = CaseEvent | ChildStreamEvent | readonly Given[];

type Basis = HandoverPointResolution['basis'];
type FallbackReason = NonNullable<HandoverPointResolution['fallbackReason']>;

interface HandoverExpectation {
  /** How the handover point was dated. */
  basis?: Basis;
  /** The meeting named by the handover point; null: none. */
  meeting?: string | null;
  /** Why a fallback was taken; null: none was. */
  fallbackReason?: FallbackReason | null;
  /** A paragraph the decision's citation must name ("¶12"); default: the paragraphs the test's name starts with. */
  citing?: string;
  ruleId?: string;
}

export interface ProposedExpectation extends HandoverExpectation {
  kind: 'proposed';
  to: string;
  from?: string;
  /** Pinned: working days depend on it. null while the handover point awaits a date. */
  dueBy: LocalDate | null;
}

export interface RescheduledExpectation extends HandoverExpectation {
  kind: 'rescheduled';
  dueBy: LocalDate | null;
  previousDueBy?: LocalDate | null;
}

/** A CaseRetained: the case stays with `team` (002 "Remains in CAI"). */
export interface RetainedExpectation {
  kind: 'retained';
  team: string;
  ruleId?: string;
  /** The hold's conditions, in words; undefined: not checked; null: no hold. */
  holds?: boolean;
  citing?: string;
}

/** A CoWorkRequired: `coWorker` must allocate a co-worker beside `holder`, by `dueBy`. */
export interface CoWorkExpectation extends HandoverExpectation {
  kind: 'co-work';
  coWorker: string;
  holder?: string;
  dueBy: LocalDate | null;
}

/**
 * A TransferWithdrawn by reconciliation because the later fact the transfer's handover point waits
 * for will not come (reason handover-point-lapsed): `by` is the type of the fact that showed it,
 * `citing` what its lapse cites (default: the paragraphs the test's name starts with).
 */
export interface LapsedExpectation {
  kind: 'lapsed';
  by: string;
  ruleId?: string;
  citing?: string;
}

export interface RuleOutcomeExpectation {
  kind: 'rule';
  ruleId: string;
  outcome: RuleOutcome;
}

export type DecisionExpectation = ProposedExpectation | RescheduledExpectation | RetainedExpectation | CoWorkExpectation | LapsedExpectation;
export type Expectation = DecisionExpectation | RuleOutcomeExpectation;

/** A TransferProposed to `to`, due by `dueBy`. */
export const proposed = (expected: Omit<ProposedExpectation, 'kind'>): ProposedExpectation => ({ kind: 'proposed', ...expected });

/** A TransferRescheduled of an open transfer, now due by `dueBy`. */
export const rescheduled = (expected: Omit<RescheduledExpectation, 'kind'>): RescheduledExpectation => ({
  kind: 'rescheduled',
  ...expected,
});

/** A TransferWithdrawn because the awaited handover point will not come, shown by a fact of type `by`. */
export const lapsed = (expected: Omit<LapsedExpectation, 'kind'>): LapsedExpectation => ({ kind: 'lapsed', ...expected });

/** A CaseRetained: the case stays with `team`. */
export const retained = (expected: Omit<RetainedExpectation, 'kind'>): RetainedExpectation => ({ kind: 'retained', ...expected });

/** A CoWorkRequired of `coWorker`, beside the team holding the case, due by `dueBy`. */
export const coWorkRequired = (expected: Omit<CoWorkExpectation, 'kind'>): CoWorkExpectation => ({ kind: 'co-work', ...expected });

/** The engine's verdict on one rule the fact triggered: `ruleOutcome('plo-to-fsp', 'not-held-by-from-team')`. */
export const ruleOutcome = (ruleId: string, outcome: RuleOutcome): RuleOutcomeExpectation => ({ kind: 'rule', ruleId, outcome });

/** A scenario assertion that does not hold; its message carries the engine's account. */
export class ScenarioFailure extends Error {
  override readonly name = 'ScenarioFailure';
}

export interface ThenStep {
  /** The decisions are exactly these, in order (rule outcomes listed alongside are checked too). */
  then(...expectations: Expectation[]): void;
  /** No decision at all. */
  thenNothingHappened(...rules: RuleOutcomeExpectation[]): void;
  /** No TransferProposed (a rescheduling of an open transfer may still happen). */
  thenNoTransfer(...rules: RuleOutcomeExpectation[]): void;
  /** Only the engine's verdict on one rule. */
  thenRule(ruleId: string, outcome: RuleOutcome): void;
  /** The state before the fact, and the engine's whole answer, for checks the steps above do not cover. */
  readonly before: ChildState;
  readonly evaluation: Evaluation;
}

export interface WhenStep {
  when(fact: CaseEvent): ThenStep;
  /** The folded state, for a scenario that wants to look at it. */
  readonly state: ChildState;
}

export interface ScenarioSpecification {
  given(...facts: Given[]): WhenStep;
  /** Rule ids of every proposal a passing `then` has confirmed, so a suite can check each rule fired somewhere. */
  readonly firedRuleIds: ReadonlySet<string>;
  /** Rule ids a passing step has confirmed did not fire (an exception, a condition unmet, another team …). */
  readonly heldBackRuleIds: ReadonlySet<string>;
}

export function scenario(compiled: CompiledPack): ScenarioSpecification {
  const firedRuleIds = new Set<string>();
  const heldBackRuleIds = new Set<string>();

  const given = (...facts: Given[]): WhenStep => {
    const state = flatten(facts).reduce((s, entry) => foldGiven(s, entry, compiled), initialChildState(SCENARIO_AUTHORITY, SCENARIO_CHILD_ID));
    return {
      state,
      when: (fact: CaseEvent): ThenStep => thenStep(state, fact, evaluate(state, fact, compiled), { fired: firedRuleIds, heldBack: heldBackRuleIds }),
    };
  };

  return { given, firedRuleIds, heldBackRuleIds };
}

function flatten(facts: readonly Given[]): (CaseEvent | ChildStreamEvent)[] {
  return facts.flatMap((f): (CaseEvent | ChildStreamEvent)[] => (isList(f) ? flatten(f) : [f]));
}

const isList = (g: Given): g is readonly Given[] => Array.isArray(g);

/** A fact is evaluated and its decisions folded after it, as the service stores them. */
function foldGiven(state: ChildState, entry: CaseEvent | ChildStreamEvent, compiled: CompiledPack): ChildState {
  if ('kind' in entry) return evolve(state, entry);
  const { state: afterFact, decisions } = evaluate(state, entry, compiled);
  return decisions.reduce(
    (s, decision, i) =>
      evolve(s, {
        kind: 'decision',
        eventId: `${entry.eventId}-decision-${i + 1}`,
        decidedAt: entry.occurredAt,
        causationId: entry.eventId,
        decision,
      }),
    afterFact,
  );
}

function thenStep(before: ChildState, fact: CaseEvent, evaluation: Evaluation, seen: { fired: Set<string>; heldBack: Set<string> }): ThenStep {
  const fail = (problem: string): never => {
    throw new ScenarioFailure(`${problem}\n\n${account(fact, evaluation)}`);
  };

  const checkRules = (expectations: RuleOutcomeExpectation[]): void => {
    for (const { ruleId, outcome } of expectations) {
      const found = evaluation.rules.find((r) => r.ruleId === ruleId);
      if (!found) fail(`expected rule ${ruleId} to be ${outcome}, but ${fact.type} does not trigger it`);
      else if (found.outcome !== outcome) fail(`expected rule ${ruleId} to be ${outcome}, but it was ${found.outcome}`);
      else if (outcome !== 'proposed') seen.heldBack.add(ruleId);
    }
  };

  return {
    before,
    evaluation,
    then(...expectations) {
      const decisionsExpected = expectations.filter((e): e is DecisionExpectation => e.kind !== 'rule');
      const { decisions } = evaluation;
      if (decisions.length !== decisionsExpected.length) {
        fail(`expected ${describeExpectations(decisionsExpected)}, but the engine decided ${describeDecisions(decisions)}`);
      }
      decisionsExpected.forEach((expected, i) => {
        const problems = mismatches(expected, decisions[i]);
        if (problems.length) fail(`decision ${i + 1} (${decisions[i].type}) is not as expected:\n  ${problems.join('\n  ')}`);
      });
      checkRules(expectations.filter((e): e is RuleOutcomeExpectation => e.kind === 'rule'));
      for (const d of decisions) if (RULE_DECISIONS.includes(d.type)) seen.fired.add(d.data.ruleId);
    },
    thenNothingHappened(...rules) {
      if (evaluation.decisions.length) fail(`expected no decision, but the engine decided ${describeDecisions(evaluation.decisions)}`);
      checkRules(rules);
    },
    thenNoTransfer(...rules) {
      const proposals = evaluation.decisions.filter((d) => d.type === 'TransferProposed');
      if (proposals.length) fail(`expected no transfer, but the engine decided ${describeDecisions(proposals)}`);
      checkRules(rules);
    },
    thenRule(ruleId, outcome) {
      checkRules([ruleOutcome(ruleId, outcome)]);
    },
  };
}

/** The decisions a rule firing makes: each counts as the rule having fired. */
const RULE_DECISIONS: readonly string[] = ['TransferProposed', 'CaseRetained', 'CoWorkRequired'];

const EXPECTED_TYPE = { proposed: 'TransferProposed', rescheduled: 'TransferRescheduled', retained: 'CaseRetained', 'co-work': 'CoWorkRequired', lapsed: 'TransferWithdrawn' } as const;

function mismatches(expected: DecisionExpectation, decision: Decision): string[] {
  const wantedType = EXPECTED_TYPE[expected.kind];
  if (decision.type !== wantedType) return [`type: expected ${wantedType}, was ${decision.type}`];
  const problems: string[] = [];
  // undefined in an expectation: not checked; null: must be absent.
  const check = (field: string, wanted: unknown, actual: unknown): void => {
    if (wanted === undefined || wanted === (actual ?? null)) return;
    problems.push(`${field}: expected ${show(wanted)}, was ${show(actual)}`);
  };
  const checkCitation = (citation: string, citing: string | undefined) => {
    for (const paragraph of citing ? [citing] : paragraphsNamedByTest()) {
      if (!cites(citation, paragraph)) problems.push(`citation: expected it to name ${paragraph}, was "${citation}"`);
    }
  };
  // decision.type is the expectation's (checked above): each branch names both, so data narrows.
  if (expected.kind === 'retained' && decision.type === 'CaseRetained') {
    const { data } = decision;
    check('team', expected.team, data.team);
    check('ruleId', expected.ruleId, data.ruleId);
    if (expected.holds !== undefined && expected.holds !== (data.holdsWhile !== undefined)) problems.push(`holdsWhile: expected ${expected.holds ? 'a hold' : 'none'}, was ${show(data.holdsWhile)}`);
    checkCitation(data.citation, expected.citing);
    return problems;
  }
  if (expected.kind === 'lapsed' && decision.type === 'TransferWithdrawn') {
    const { data } = decision;
    check('reason', 'handover-point-lapsed', data.reason);
    check('lapsedBy.type', expected.by, data.lapsedBy?.type);
    check('ruleId', expected.ruleId, data.ruleId);
    checkCitation(data.lapsedBy?.citation ?? '', expected.citing);
    return problems;
  }
  if (expected.kind === 'co-work' && decision.type === 'CoWorkRequired') {
    check('coWorkingTeam', expected.coWorker, decision.data.coWorkingTeam);
    check('holdingTeam', expected.holder, decision.data.holdingTeam);
  }
  if (expected.kind === 'proposed' && decision.type === 'TransferProposed') {
    check('toTeam', expected.to, decision.data.toTeam);
    check('fromTeam', expected.from, decision.data.fromTeam);
  } else if (expected.kind === 'rescheduled' && decision.type === 'TransferRescheduled') {
    check('previousDueBy', expected.previousDueBy, decision.data.previousDueBy);
  }
  if (expected.kind === 'retained' || expected.kind === 'lapsed') return problems;
  if (decision.type !== 'TransferProposed' && decision.type !== 'TransferRescheduled' && decision.type !== 'CoWorkRequired') return problems;
  const { data } = decision;
  check('dueBy', expected.dueBy, data.dueBy);
  check('ruleId', expected.ruleId, data.ruleId);
  check('handoverPoint.basis', expected.basis, data.handoverPoint.basis);
  check('handoverPoint.meeting', expected.meeting, data.handoverPoint.meeting);
  check('handoverPoint.fallbackReason', expected.fallbackReason, data.handoverPoint.fallbackReason);
  checkCitation(data.citation, expected.citing);
  return problems;
}

/** "¶1" is named by "… ¶1" or "¶1, ¶2", not by "¶12". A seed prefix ("004_") is followed by its hash. */
function cites(citation: string, paragraph: string): boolean {
  if (/^\d{3}_$/.test(paragraph)) return citation.startsWith(paragraph);
  const escaped = paragraph.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${escaped}(?![0-9])`).test(citation);
}

/**
 * The seed and paragraphs a test's name starts with: "000 ¶17, ¶22 — …" names "000_", "¶17" and
 * "¶22"; "000 Case Transfer Flowchart — …" names the flowchart. A name in another shape names none.
 */
export function paragraphsNamedByTest(name = currentTestName()): string[] {
  const match = /^(\d{3}) (.+?) — /.exec(name ?? '');
  if (!match) return [];
  const [, seed, refs] = match;
  return [`${seed}_`, ...refs.split(/\s*,\s*|\s+and\s+/).filter(Boolean)];
}

function currentTestName(): string | undefined {
  return typeof expect === 'undefined' ? undefined : expect.getState().currentTestName;
}

function describeExpectations(expected: DecisionExpectation[]): string {
  if (!expected.length) return 'no decision';
  const describe = (e: DecisionExpectation): string => {
    switch (e.kind) {
      case 'proposed':
        return `TransferProposed to ${e.to} due ${show(e.dueBy)}`;
      case 'rescheduled':
        return `TransferRescheduled due ${show(e.dueBy)}`;
      case 'retained':
        return `CaseRetained with ${e.team}`;
      case 'co-work':
        return `CoWorkRequired of ${e.coWorker} due ${show(e.dueBy)}`;
      case 'lapsed':
        return `TransferWithdrawn, its handover point lapsed by ${e.by}`;
    }
  };
  return expected.map(describe).join(', ');
}

function describeDecisions(decisions: Decision[]): string {
  if (!decisions.length) return 'nothing';
  return decisions.map(describeDecision).join(', ');
}

function describeDecision(d: Decision): string {
  if (d.type === 'TransferProposed') {
    const p = d.data;
    return `TransferProposed ${p.fromTeam} → ${p.toTeam} due ${show(p.dueBy)} (${p.ruleId}, ${p.handoverPoint.basis})`;
  }
  if (d.type === 'TransferRescheduled') {
    const r = d.data;
    return `TransferRescheduled ${r.transferId} from ${show(r.previousDueBy)} to ${show(r.dueBy)} (${r.ruleId}, ${r.handoverPoint.basis})`;
  }
  if (d.type === 'CaseRetained') {
    const r = d.data;
    return `CaseRetained with ${r.team} (${r.ruleId}${r.holdsWhile ? `, holds while ${r.holdsWhile.join('; ')}` : ''})`;
  }
  if (d.type === 'CoWorkRequired') {
    const c = d.data;
    return `CoWorkRequired of ${c.coWorkingTeam} beside ${c.holdingTeam} due ${show(c.dueBy)} (${c.ruleId})`;
  }
  if (d.type === 'TransferWithdrawn') {
    const w = d.data;
    return `TransferWithdrawn ${w.transferId} (${w.reason}${w.lapsedBy ? `: ${w.lapsedBy.description}` : ''})`;
  }
  return d.type;
}

/** The engine's account of the fact: every rule it triggered, and how each decision was dated. */
function account(fact: CaseEvent, evaluation: Evaluation): string {
  const lines = [`The engine's account of ${fact.type} ${JSON.stringify(fact.data)} on ${fact.occurredAt}:`];
  if (!evaluation.rules.length) lines.push('  no rule of the pack is triggered by this fact');
  for (const rule of evaluation.rules) {
    lines.push(`  ${rule.ruleId} (${rule.citation}): ${rule.outcome}`, ...rule.account.map((a) => `      ${a}`));
  }
  for (const d of evaluation.decisions) {
    if (d.type !== 'TransferProposed' && d.type !== 'TransferRescheduled' && d.type !== 'CoWorkRequired') continue;
    const { handoverPoint } = d.data;
    lines.push(`  ${describeDecision(d)}: ${handoverPoint.description}`, ...handoverPoint.steps.map((s) => `      ${s}`));
  }
  return lines.join('\n');
}

const show = (v: unknown): string => (v === undefined || v === null ? 'none' : JSON.stringify(v));

/**
 * The closing block of every pack's scenario file: the pack has the rules the file expects, each
 * cites the pack's source document, and every rule fired in at least one scenario of the file and
 * was shown not firing (its verdict named with `ruleOutcome`) in at least one other
 * (Jest runs this block last, after the scenarios above it).
 */
export function describeEveryRuleFires(
  pack: PolicyPack,
  spec: { firedRuleIds: ReadonlySet<string>; heldBackRuleIds: ReadonlySet<string> },
  expected: { rules: number; citation?: RegExp },
): void {
  const citation = expected.citation ?? new RegExp(`^${pack.source.replace(/\./g, '\\.')} `);
  describe(`every rule of ${pack.id}`, () => {
    it(`has ${expected.rules} rules, each citing ${pack.source}`, () => {
      expect(pack.rules).toHaveLength(expected.rules);
      for (const rule of pack.rules) expect(rule.citation).toMatch(citation);
    });

    it.each(pack.rules.map((r) => [r.id, r.citation]))('%s (%s) fires in at least one scenario', (ruleId) =>
      expect([...spec.firedRuleIds]).toContain(ruleId));

    it.each(pack.rules.map((r) => [r.id, r.citation]))('%s (%s) is shown not firing (an exception or a non-match) in at least one scenario', (ruleId) =>
      expect([...spec.heldBackRuleIds]).toContain(ruleId));
  });
}
