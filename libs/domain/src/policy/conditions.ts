/**
 * Evaluating a rule's conditions against the facts, with an account a person can read of why
 * each held or failed (DESIGN.md: the engine "explains itself").
 */
import { compareLocalDates, type WorkingCalendar } from '../calendar';
import { type DurationCache } from './durations';
import { readFact, type ConditionContext, type FactValue } from './facts';
import type { Condition, Scalar } from './policy-pack';

export interface ConditionResult {
  holds: boolean;
  /** e.g. "event.outcome is cp-plan (was cp-plan)". */
  account: string;
}

export interface ConditionEnvironment {
  calendar: WorkingCalendar;
  durations: DurationCache;
}

export function evaluateConditions(conditions: Condition[], ctx: ConditionContext, env: ConditionEnvironment): ConditionResult[] {
  return conditions.map((c) => evaluateCondition(c, ctx, env));
}

export const allHold = (results: ConditionResult[]): boolean => results.every((r) => r.holds);

export function evaluateCondition(condition: Condition, ctx: ConditionContext, env: ConditionEnvironment): ConditionResult {
  if ('anyOf' in condition) {
    const results = condition.anyOf.map((c) => evaluateCondition(c, ctx, env));
    return { holds: results.some((r) => r.holds), account: `any of (${results.map((r) => r.account).join('; ')})` };
  }
  const value = readFact(condition.fact, ctx);
  if (!value) return { holds: false, account: `${condition.fact} is not a known fact` };
  const [operator, expected] = operatorOf(condition);
  const holds = test(operator, expected, value, env);
  return { holds, account: `${condition.fact} ${operatorWords[operator] ?? operator} ${show(expected)} (${describe(value)})${holds ? '' : ': not met'}` };
}

/**
 * Whether a condition holds, without the account: the rules that do not fire on a fact need no
 * words (issue 18: deciding builds no text nobody reads), and `anyOf` stops at the first that holds.
 */
export function conditionHolds(condition: Condition, ctx: ConditionContext, env: ConditionEnvironment): boolean {
  if ('anyOf' in condition) return condition.anyOf.some((c) => conditionHolds(c, ctx, env));
  const value = readFact(condition.fact, ctx);
  if (!value) return false;
  const [operator, expected] = operatorOf(condition);
  return test(operator, expected, value, env);
}

export const allConditionsHold = (conditions: readonly Condition[], ctx: ConditionContext, env: ConditionEnvironment): boolean =>
  conditions.every((c) => conditionHolds(c, ctx, env));

/** A fact condition's one operator and its operand, found once per condition (a pack's conditions live as long as the pack). */
const operators = new WeakMap<object, [string, unknown]>();
function operatorOf(condition: Exclude<Condition, { anyOf: unknown }>): [string, unknown] {
  let found = operators.get(condition);
  if (!found) operators.set(condition, (found = Object.entries(condition).find(([k]) => k !== 'fact') as [string, unknown]));
  return found;
}

const operatorWords: Record<string, string> = {
  is: 'is',
  isNot: 'is not',
  in: 'is one of',
  notIn: 'is none of',
  present: 'present:',
  includes: 'includes',
  includesAny: 'includes any of',
  atLeast: 'is at least',
  moreThan: 'is more than',
  below: 'is below',
};

function test(operator: string, expected: unknown, value: FactValue, env: ConditionEnvironment): boolean {
  if (value.kind === 'span') {
    if (value.from === undefined) return false; // unknown start: a duration test cannot hold
    const threshold = env.calendar.add(value.from, env.durations.parse(expected as string), 'after');
    const order = compareLocalDates(value.to, threshold);
    if (operator === 'atLeast') return order >= 0;
    if (operator === 'moreThan') return order > 0;
    if (operator === 'below') return order < 0;
    if (operator === 'present') return expected === true;
    return false;
  }
  if (value.kind === 'list') {
    if (operator === 'includes') return value.value.includes(expected as Scalar);
    if (operator === 'includesAny') return (expected as Scalar[]).some((e) => value.value.includes(e));
    if (operator === 'present') return (value.value.length > 0) === expected;
    return false;
  }
  const actual = value.value;
  switch (operator) {
    case 'is':
      return actual === expected;
    case 'isNot':
      return actual !== expected;
    case 'in':
      return actual !== undefined && (expected as Scalar[]).includes(actual);
    case 'notIn':
      return actual === undefined || !(expected as Scalar[]).includes(actual);
    case 'present':
      return (actual !== undefined) === expected;
    case 'atLeast':
      return typeof actual === 'number' && actual >= Number(expected);
    case 'below':
      return typeof actual === 'number' && actual < Number(expected);
    case 'moreThan':
      return typeof actual === 'number' && actual > Number(expected);
    default:
      return false;
  }
}

const show = (v: unknown): string => (Array.isArray(v) ? `[${v.join(', ')}]` : String(v));

function describe(value: FactValue): string {
  if (value.kind === 'span') return value.from === undefined ? `${value.describeFrom} not recorded` : `from ${value.from} to ${value.to}`;
  if (value.kind === 'list') return value.value.length ? `was [${value.value.join(', ')}]` : 'was empty';
  return value.value === undefined ? 'not recorded' : `was ${String(value.value)}`;
}
