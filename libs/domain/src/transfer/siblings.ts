/**
 * Siblings are kept together (000 ¶1: "In sibling groups, the children will have the same social
 * worker, unless it can be demonstrated this is not in the child's best interest"; 004 Work with
 * Siblings 1: "try where ever possible to not to split siblings across social work teams"; 003 §6:
 * "Where siblings are in proceedings but not all are in care, the sibling group should transfer to
 * the CIC Team"). When a child is proposed to a team under a rule that takes the siblings along
 * (policy/sibling-rules.ts), a sibling held by the same sending team moves alongside: same
 * destination, and the child's handover point or the sibling rule's own — unless a separation is
 * recorded for it, or it is not one of the siblings the sibling rule selects.
 */
import type { LocalDate } from '../calendar/local-date';
import type { ChildState } from '../child/child-state';
import { openTransfers } from '../child/child-state';
import type { Decision, DecisionDataByType } from '../events/decision-events';
import { allHold, evaluateConditions } from '../policy/conditions';
import { ruleReference, teamHolding, type CompiledPack } from '../policy/engine';
import { dueByForHandoverPoint } from '../policy/handover';
import { siblingRuleFor, type AppliedSiblingRule } from '../policy/sibling-rules';
import { stableId } from '../policy/stable-id';

export { SIBLINGS_RULE_ID } from '../policy/sibling-rules';

export type SiblingOutcome =
  | 'proposed'
  | 'no-sibling-rule'
  | 'not-open'
  | 'held-by-another-team'
  | 'already-with-team'
  | 'already-on-transfer'
  | 'already-moved-alongside'
  | 'separation-recorded'
  | 'conditions-not-met';

/** The transfer a sibling is proposed on alongside the child's: derived from it, so either child's stream names it alike. */
export const alongsideTransferId = (childTransferId: string, siblingChildId: string): string => `tr-${stableId(`${childTransferId}|sibling|${siblingChildId}`)}`;

/** The proposal for one sibling of a child just proposed, and why there is none when there is none. */
export function siblingProposal(
  proposal: DecisionDataByType['TransferProposed'],
  sibling: ChildState,
  compiled: CompiledPack,
  /** The sibling whose meetings date its own handover point, when not `sibling` (the sibling as it stands now). */
  datedOn: ChildState = sibling,
): { outcome: SiblingOutcome; decisions: Decision[] } {
  const { pack } = compiled;
  const none = (outcome: SiblingOutcome) => ({ outcome, decisions: [] });
  const rule = siblingRuleFor(pack, proposal.ruleId);
  if (!rule) return none('no-sibling-rule');
  if (!sibling.open) return none('not-open');
  const team = teamHolding(sibling, pack);
  // A move between areas of one authority (003 §8) is a move to the same team code elsewhere.
  if (team === proposal.toTeam && (proposal.toArea === undefined || sibling.area === proposal.toArea)) return none('already-with-team');
  // Only siblings who are together now are kept together: one already held elsewhere was split before.
  if (team !== proposal.fromTeam) return none('held-by-another-team');
  const transferId = alongsideTransferId(proposal.transferId, sibling.childId);
  // Moved alongside once: a manager's rejection or withdrawal of that move is not undone.
  if (sibling.transfers.some((t) => t.transferId === transferId)) return none('already-moved-alongside');
  if (openTransfers(sibling).length) return none('already-on-transfer');
  if (sibling.separatedFromSiblings) return none('separation-recorded');
  const conditions = siblingConditions(rule, proposal, sibling, team, compiled);
  if (!allHold(conditions)) return none('conditions-not-met');
  const { dueBy, handoverPoint } = rule.handover
    ? dueByForHandoverPoint(rule.handover, { state: datedOn, triggerOn: proposal.trigger.occurredOn as LocalDate, calendar: compiled.calendar, durations: compiled.durations })
    : { dueBy: proposal.dueBy, handoverPoint: proposal.handoverPoint };
  return {
    outcome: 'proposed',
    decisions: [
      {
        type: 'TransferProposed',
        data: {
          ...ruleReference(rule, pack),
          transferId,
          fromTeam: team,
          toTeam: proposal.toTeam,
          ...(proposal.toArea !== undefined ? { ...(sibling.area !== undefined ? { fromArea: sibling.area } : {}), toArea: proposal.toArea } : {}),
          trigger: proposal.trigger,
          handoverPoint,
          dueBy,
          explanation: [
            `a sibling held by ${team} was proposed to ${proposal.toTeam} under rule ${proposal.ruleId} (${proposal.citation})`,
            ...conditions.map((c) => c.account),
            'no separation from the siblings is recorded',
            ...(rule.handover ? [`the siblings' own handover point: ${rule.handover.description}`] : []),
          ],
        },
      },
    ],
  };
}

/**
 * The sibling rule's conditions, read on the sibling as it stands on the day of the fact that fired
 * the child's rule (validatePack allows only `child.*` facts here: that fact is the other child's).
 */
function siblingConditions(rule: AppliedSiblingRule, proposal: DecisionDataByType['TransferProposed'], sibling: ChildState, team: string, compiled: CompiledPack) {
  if (!rule.when?.length) return [];
  // No fact: the one that fired is the other child's, and the sibling rule reads only child.* facts.
  return evaluateConditions(rule.when, { state: sibling, occurredOn: proposal.trigger.occurredOn as LocalDate, team }, { calendar: compiled.calendar, durations: compiled.durations });
}
