/**
 * The pack's escalation ladder, read the same way by supervision (time) and by a person escalating
 * by hand (escalateByRequest): what a rung's decision cites, when a rung must answer, and whether
 * time alone may reach it.
 */
import type { LocalDate } from '../calendar/local-date';
import type { RuleReference } from '../events/decision-events';
import type { CompiledPack } from '../policy/engine';
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
