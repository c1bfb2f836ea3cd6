/**
 * Siblings are kept together (000 ¶1: "In sibling groups, the children will have the same social
 * worker, unless it can be demonstrated this is not in the child's best interest"; 004 Work with
 * Siblings 1: "try where ever possible to not to split siblings across social work teams"). When a
 * child is proposed to a team, a sibling held by the same sending team moves alongside: same
 * destination, same handover point, same due date — unless a separation is recorded for it.
 */
import type { ChildState } from '../child/child-state';
import { openTransfers } from '../child/child-state';
import type { Decision, DecisionDataByType } from '../events/decision-events';
import { teamHolding, type CompiledPack } from '../policy/engine';
import { stableId } from '../policy/stable-id';

export const SIBLINGS_RULE_ID = 'keep-siblings-together';

export type SiblingOutcome = 'proposed' | 'no-sibling-rule' | 'not-open' | 'held-by-another-team' | 'already-with-team' | 'already-on-transfer' | 'separation-recorded';

/** The proposal for one sibling of a child just proposed, and why there is none when there is none. */
export function siblingProposal(
  proposal: DecisionDataByType['TransferProposed'],
  sibling: ChildState,
  compiled: CompiledPack,
): { outcome: SiblingOutcome; decisions: Decision[] } {
  const { pack } = compiled;
  const none = (outcome: SiblingOutcome) => ({ outcome, decisions: [] });
  if (!pack.siblings) return none('no-sibling-rule');
  if (!sibling.open) return none('not-open');
  const team = teamHolding(sibling, pack);
  // A move between areas of one authority (003 §8) is a move to the same team code elsewhere.
  if (team === proposal.toTeam && (proposal.toArea === undefined || sibling.area === proposal.toArea)) return none('already-with-team');
  // Only siblings who are together now are kept together: one already held elsewhere was split before.
  if (team !== proposal.fromTeam) return none('held-by-another-team');
  if (openTransfers(sibling).length) return none('already-on-transfer');
  if (sibling.separatedFromSiblings) return none('separation-recorded');
  return {
    outcome: 'proposed',
    decisions: [
      {
        type: 'TransferProposed',
        data: {
          ruleId: SIBLINGS_RULE_ID,
          ruleVersion: 1,
          packId: pack.id,
          packVersion: pack.version,
          citation: pack.siblings.citation,
          transferId: `tr-${stableId(`${proposal.transferId}|sibling|${sibling.childId}`)}`,
          fromTeam: team,
          toTeam: proposal.toTeam,
          ...(proposal.toArea !== undefined ? { ...(sibling.area !== undefined ? { fromArea: sibling.area } : {}), toArea: proposal.toArea } : {}),
          trigger: proposal.trigger,
          handoverPoint: proposal.handoverPoint,
          dueBy: proposal.dueBy,
          explanation: [`a sibling held by ${team} was proposed to ${proposal.toTeam} under rule ${proposal.ruleId} (${proposal.citation})`, 'no separation from the siblings is recorded'],
        },
      },
    ],
  };
}
