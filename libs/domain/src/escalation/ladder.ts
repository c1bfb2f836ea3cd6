/**
 * The pack's escalation ladder, read the same way by supervision (time) and by a person escalating
 * by hand (escalateByRequest): what a rung's decision cites, when a rung must answer, and whether
 * time alone may reach it.
 */
import type { LocalDate } from '../calendar/local-date';
import type { ChildState } from '../child/child-state';
import type { RuleReference } from '../events/decision-events';
import { allHold, evaluateConditions } from '../policy/conditions';
import { teamHolding, type CompiledPack } from '../policy/engine';
import type { EscalationReason, PolicyPack } from '../policy/policy-pack';

export const escalationReference = (pack: PolicyPack, reason: EscalationReason, rung: number): RuleReference => ({
  ruleId: `escalation-${reason}`,
  ruleVersion: 1,
  packId: pack.id,
  packVersion: pack.version,
  citation: pack.escalation.ladder[rung - 1]?.citation ?? pack.escalation.citation,
});

/** When a rung reached on `from` must answer: `within` after it, or never (the top rung, or a rung below one reached only by request). */
export function rungDueBy(rung: number, from: LocalDate, compiled: CompiledPack): LocalDate | null {
  const within = compiled.pack.escalation.ladder[rung - 1]?.within;
  return within ? compiled.calendar.add(from, compiled.durations.parse(within), 'after') : null;
}

/**
 * Whether a timer may climb from `rung` to the one above: there is one, and the procedure gives a
 * timescale for reaching it (a rung `reachedBy: request` is reached only when a person escalates).
 */
export function climbsByTime(pack: PolicyPack, rung: number): boolean {
  const next = pack.escalation.ladder[rung];
  return next !== undefined && next.reachedBy !== 'request';
}

/**
 * The roles told beside the rung's own when a matter is raised at or climbs to `rung` on `on`
 * (the rung's `alsoTell`): those whose `reasons` take this reason and whose `when` holds for the
 * child that day. 003 §4: "The Child Protection Chair or IRO should be kept updated if there are
 * difficulties experienced in transferring a child" — a child on a plan has a Chair, a child in
 * care an IRO, and a child with neither has nobody to keep updated.
 */
export function alsoToldAt(rung: number, reason: EscalationReason, state: ChildState, on: LocalDate, compiled: CompiledPack): string[] {
  const notices = compiled.pack.escalation.ladder[rung - 1]?.alsoTell ?? [];
  const ctx = { state, occurredOn: on, team: teamHolding(state, compiled.pack) };
  return notices.filter((n) => (n.reasons ?? [reason]).includes(reason) && allHold(evaluateConditions(n.when ?? [], ctx, compiled))).map((n) => n.role);
}
