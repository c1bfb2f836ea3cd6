/**
 * Transfer standards: the checklist opened with each proposed transfer, from every template of the
 * pack whose route matches, and its items met one by one (DESIGN.md "checklist"). Whether an unmet
 * checklist stops the transfer is the lifecycle's business (blockingChecklist); whether it is
 * escalated is supervision's.
 */
import type { LocalDate } from '../calendar/local-date';
import { compareLocalDates, localDateOf } from '../calendar';
import { type ChildState, type TransferState } from '../child/child-state';
import { evolveFact } from '../child/evolve';
import type { CaseEvent } from '../events/case-events';
import type { Decision, RuleReference } from '../events/decision-events';
import { allHold, evaluateConditions } from '../policy/conditions';
import { teamHolding, type CompiledPack } from '../policy/engine';
import { itemMeetingOf, type ChecklistItemTemplate, type ChecklistTemplate, type Condition, type PolicyPack } from '../policy/policy-pack';

export const checklistIdFor = (transferId: string): string => `cl-${transferId}`;

/** Checklists are the pack's, not one rule's: they cite the pack's transfer standards. */
const checklistReference = (pack: PolicyPack): RuleReference => ({
  ruleId: 'transfer-checklist',
  ruleVersion: 1,
  packId: pack.id,
  packVersion: pack.version,
  citation: pack.checklists.citation,
});

export const templateApplies = (template: ChecklistTemplate, transfer: Pick<TransferState, 'fromTeam' | 'toTeam' | 'ruleId'>): boolean =>
  (!template.appliesTo.from || template.appliesTo.from.includes(transfer.fromTeam)) &&
  (!template.appliesTo.to || template.appliesTo.to.includes(transfer.toTeam)) &&
  (!template.appliesTo.rules || template.appliesTo.rules.includes(transfer.ruleId));

/**
 * The fact that fired the transfer's rule, and the child as the rule saw it: what an item's `when`
 * is judged against, so a checklist opened late (a service catching up) opens as it would have.
 */
export interface ProposalContext {
  before: ChildState;
  fact: CaseEvent;
}

/**
 * The checklist for a transfer just proposed, or nothing when no template applies or one is open
 * already. An item with `when` is on it only if its conditions held at the proposal; without the
 * proposal's context such an item is left out (its conditions cannot be shown to hold).
 */
export function openChecklist(state: ChildState, transferId: string, compiled: CompiledPack, proposal?: ProposalContext): Decision[] {
  const transfer = state.transfers.find((t) => t.transferId === transferId);
  if (!transfer || state.checklists.some((c) => c.transferId === transferId)) return [];
  const { pack } = compiled;
  const templates = pack.checklists.templates.filter((t) => templateApplies(t, transfer));
  if (!templates.length) return [];
  const seen = new Set<string>();
  const items = templates
    .flatMap((t) => t.items.map((item) => ({ item, template: t })))
    // One item named by two templates (a general list and a route's list) is one thing to do.
    .filter(({ item }) => !seen.has(item.id) && seen.add(item.id))
    .filter(({ item }) => !item.when?.length || conditionsHeld(item.when, proposal, compiled))
    .map(({ item, template }) => ({
      itemId: item.id,
      description: item.description,
      dueBy: itemDueBy(item, transfer, state, compiled),
      citation: item.citation ?? template.citation,
    }));
  return [
    {
      type: 'ChecklistOpened',
      data: { ...checklistReference(pack), transferId, checklistId: checklistIdFor(transferId), gating: pack.checklists.gating, items },
    },
  ];
}

function conditionsHeld(conditions: Condition[], proposal: ProposalContext | undefined, compiled: CompiledPack): boolean {
  if (!proposal) return false;
  const state = evolveFact(proposal.before, proposal.fact);
  const ctx = { state, fact: proposal.fact, occurredOn: localDateOf(proposal.fact.occurredAt), team: teamHolding(state, compiled.pack) };
  return allHold(evaluateConditions(conditions, ctx, compiled));
}

/**
 * The transfer's open checklist re-dated for a new handover point: every item due by the handover
 * point, or within a time before or after it, follows it (003 §2's letter "prior to transfer or
 * within 2 working days"; 000 ¶3–¶8 by the handover), whether the point is dated for the first
 * time (a meeting scheduled after the proposal) or moved; and every item due before or after a
 * meeting follows that meeting as `state` has it (004 CFF 11's 48 hours before the panel). Only
 * the items whose date changes; undefined when none does or the transfer has no checklist yet (one
 * opened later takes its dates from the transfer as it is then). An item the current pack no longer
 * has keeps its date.
 */
export function checklistRedated(
  state: ChildState,
  transferId: string,
  dueBy: LocalDate | null,
  compiled: CompiledPack,
): { checklistId: string; items: { itemId: string; dueBy: LocalDate | null }[] } | undefined {
  const transfer = state.transfers.find((t) => t.transferId === transferId);
  const checklist = state.checklists.find((c) => c.transferId === transferId);
  if (!transfer || !checklist) return undefined;
  const templates = compiled.pack.checklists.templates.filter((t) => templateApplies(t, transfer));
  const moved = { ...transfer, dueBy };
  const items = checklist.items.flatMap((i) => {
    // The first template naming the item, as openChecklist took it.
    const template = templates.flatMap((t) => t.items).find((t) => t.id === i.itemId);
    if (!template || template.due?.after === 'proposal') return [];
    const redated = itemDueBy(template, moved, state, compiled);
    return redated === i.dueBy ? [] : [{ itemId: i.itemId, dueBy: redated }];
  });
  return items.length ? { checklistId: checklist.checklistId, items } : undefined;
}

function itemDueBy(item: ChecklistItemTemplate, transfer: TransferState, state: ChildState, compiled: CompiledPack): LocalDate | null {
  const handover = transfer.dueBy;
  if (!item.due) return handover;
  const duration = compiled.durations.parse(item.due.within);
  const direction = item.due.before ? 'before' : 'after';
  if (item.due.after === 'proposal') return compiled.calendar.add(localDateOf(transfer.proposedAt), duration, 'after');
  const meeting = itemMeetingOf(item.due);
  if (meeting !== undefined) {
    const on = meetingFor(meeting, transfer, state);
    return on ? compiled.calendar.add(on, duration, direction) : null;
  }
  if (!handover) return null;
  return compiled.calendar.add(handover, duration, direction);
}

/**
 * The meeting of that kind the transfer's item counts from: the one scheduled on or after the day
 * of the fact that fired its rule, as a handover point's meeting is (a meeting dated earlier was
 * for an earlier matter: a previous panel); none while it is undated or cancelled.
 */
function meetingFor(kind: string, transfer: TransferState, state: ChildState): LocalDate | undefined {
  const on = state.meetings[kind];
  return on !== undefined && compareLocalDates(on, transfer.trigger.occurredOn as LocalDate) >= 0 ? on : undefined;
}

/** Whether a MeetingScheduled of this kind can re-date an item of the transfer's checklist. */
export function checklistFollowsMeeting(transfer: Pick<TransferState, 'fromTeam' | 'toTeam' | 'ruleId'>, kind: string, compiled: CompiledPack): boolean {
  return compiled.pack.checklists.templates.some((t) => templateApplies(t, transfer) && t.items.some((i) => itemMeetingOf(i.due) === kind));
}

export type ItemOutcome =
  | { ok: true; decisions: Decision[] }
  | { ok: false; problem: 'transfer-not-found' | 'no-checklist' | 'unknown-item'; message: string };

/**
 * An item met (from ChecklistItemCompleted or the API). Meeting a met item again changes nothing,
 * so a redelivered fact or a repeated click is harmless.
 */
export function meetChecklistItem(state: ChildState, transferId: string, itemId: string, compiled: CompiledPack): ItemOutcome {
  if (!state.transfers.some((t) => t.transferId === transferId)) {
    return { ok: false, problem: 'transfer-not-found', message: `no transfer ${transferId} for this child` };
  }
  const checklist = state.checklists.find((c) => c.transferId === transferId);
  if (!checklist) return { ok: false, problem: 'no-checklist', message: `transfer ${transferId} has no checklist` };
  const item = checklist.items.find((i) => i.itemId === itemId);
  if (!item) {
    return { ok: false, problem: 'unknown-item', message: `checklist ${checklist.checklistId} has no item ${itemId} (items: ${checklist.items.map((i) => i.itemId).join(', ')})` };
  }
  if (item.met) return { ok: true, decisions: [] };
  const ref = checklistReference(compiled.pack);
  const met: Decision = { type: 'ChecklistItemMet', data: { ...ref, transferId, checklistId: checklist.checklistId, itemId } };
  const last = checklist.items.every((i) => i.met || i.itemId === itemId);
  return {
    ok: true,
    decisions: last ? [met, { type: 'ChecklistCompleted', data: { ...ref, transferId, checklistId: checklist.checklistId } }] : [met],
  };
}
