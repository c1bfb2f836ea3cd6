/**
 * Which transfers take a child's siblings along, read from the pack's `siblings` in either form
 * (policy-pack.ts): pack-wide, every transfer but a sibling's own; per rule, the transfers of the
 * rules a sibling rule names.
 */
import type { Condition, HandoverPoint, PolicyPack, SiblingRule } from './policy-pack';

/** The rule id of a sibling moved alongside under the pack-wide form (000 ¶1; 004 Work with Siblings 1). */
export const SIBLINGS_RULE_ID = 'keep-siblings-together';

/** A sibling rule as the deciders apply it: the pack-wide form is one with no conditions and the child's handover. */
export interface AppliedSiblingRule {
  id: string;
  version: number;
  citation: string;
  handover?: HandoverPoint;
  when?: Condition[];
}

const isPackWide = (siblings: NonNullable<PolicyPack['siblings']>): siblings is { citation: string } => !Array.isArray(siblings);

/** Whether a transfer with this rule id was itself proposed alongside a sibling (it takes nobody along). */
export function isSiblingRuleId(pack: PolicyPack, ruleId: string): boolean {
  if (!pack.siblings) return false;
  return isPackWide(pack.siblings) ? ruleId === SIBLINGS_RULE_ID : pack.siblings.some((s) => s.id === ruleId);
}

/** The sibling rule a transfer proposed by `ruleId` takes the siblings along under; undefined when it takes none. */
export function siblingRuleFor(pack: PolicyPack, ruleId: string): AppliedSiblingRule | undefined {
  const { siblings } = pack;
  if (!siblings || isSiblingRuleId(pack, ruleId)) return undefined;
  if (isPackWide(siblings)) return { id: SIBLINGS_RULE_ID, version: 1, citation: siblings.citation };
  const rule = siblings.find((s) => s.rules.includes(ruleId));
  return rule && { id: rule.id, version: rule.version, citation: rule.citation, ...(rule.handover ? { handover: rule.handover } : {}), ...(rule.when ? { when: rule.when } : {}) };
}

/** A per-rule sibling rule by id: one with its own handover point is re-dated when a MeetingScheduled of its kinds arrives. */
export function siblingRuleById(pack: PolicyPack, id: string): SiblingRule | undefined {
  return Array.isArray(pack.siblings) ? pack.siblings.find((s) => s.id === id) : undefined;
}
