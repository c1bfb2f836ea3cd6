/**
 * Allocation as a reconciliation: walk the child's whole history in causal order, judge every fact
 * against the child as it stood when the fact happened (the transfer points of the pack and the
 * lifecycle facts), and return what that requires and is not yet recorded. A fact recorded late is
 * judged in its place and re-judges every fact after it; a fact delivered twice requires nothing
 * new; the order facts arrive in changes nothing once they have all arrived.
 *
 * Late-fact policy (README "Deciding"). The procedures speak of what happened, not of when it was
 * typed: a transfer point is judged on the facts as they were on the day (000 ¶12 fires on an ICPC
 * held while the child was with A&I, whenever the allocation to A&I was recorded). So when a late
 * fact shows that a proposal already recorded would not have been made — the child was not held
 * by the rule's team, or another transfer point came first — reconciliation records the
 * proposal's `TransferWithdrawn` with reason `superseded-by-late-fact`, naming the late facts
 * (`supersededBy`), and proposes what the whole history does require. The log is never rewritten:
 * the proposal, anything recorded about it, and its withdrawal all stay on the stream. A transfer
 * already completed keeps its move (the worker was allocated, or a manager completed it); only
 * its record as this rule's transfer is withdrawn. One already rejected or withdrawn is left alone.
 */
import { localDateOf } from '../calendar';
import type { LocalDate } from '../calendar/local-date';
import {
  CLOSED_TRANSFER_STATUSES,
  evolve,
  evolveFact,
  inCausalOrder,
  initialChildState,
  type ChildState,
  type ChildStreamEvent,
} from '../child/child-state';
import type { CaseEvent } from '../events/case-events';
import type { Decision, DecisionDataByType } from '../events/decision-events';
import { decide, type CompiledPack } from '../policy/engine';
import { decideLifecycleFact } from '../transfer/lifecycle';
import { siblingProposal, SIBLINGS_RULE_ID } from '../transfer/siblings';
import {
  appendToHistory,
  emptyHistory,
  identityOf,
  recordedIdentities,
  type ChildHistory,
  type Decider,
  type PendingDecision,
  type Reconcile,
} from './decider';

type DecisionEntry = Extract<ChildStreamEvent, { kind: 'decision' }>;

const entryId = (e: ChildStreamEvent): string => (e.kind === 'fact' ? e.fact.eventId : e.eventId);

/**
 * What allocation judges: every fact, and a BirthdayApproaching that escalation computed from the
 * date of birth — to the rules it is the same milestone as one the case-management system sends.
 */
function triggerOf(entry: ChildStreamEvent, history: ChildHistory): CaseEvent | undefined {
  if (entry.kind === 'fact') return entry.fact;
  if (entry.decision.type !== 'BirthdayApproaching') return undefined;
  const { ageYears, on } = entry.decision.data as DecisionDataByType['BirthdayApproaching'];
  return {
    eventId: entry.eventId,
    type: 'BirthdayApproaching',
    authority: history.authority,
    childId: history.childId,
    occurredAt: entry.decidedAt,
    source: 'case-transfer-orchestration',
    data: { ageYears, on },
  };
}

/**
 * What one fact requires of the child as it stood before it: the lifecycle first (a worker allocated
 * in the receiving team completes its transfer), then the transfer points. A milestone announced
 * twice — by the case-management system and computed by escalation — is judged once.
 */
export function requiredBy(before: ChildState, trigger: CaseEvent, compiled: CompiledPack): Decision[] {
  if (trigger.type === 'BirthdayApproaching' && before.milestonesAnnounced.includes((trigger.data as { ageYears: number }).ageYears)) return [];
  return [...decideLifecycleFact(evolveFact(before, trigger), trigger), ...decide(before, trigger, compiled)];
}

/**
 * The decisions that say a team must act — a transfer proposed, a co-worker required — and so are
 * withdrawn when the whole history no longer supports them: each with the id it is known by, and
 * the decision that withdraws it.
 */
const WITHDRAWABLE = {
  TransferProposed: { id: 'transferId', withdrawnBy: 'TransferWithdrawn' },
  CoWorkRequired: { id: 'coWorkId', withdrawnBy: 'CoWorkWithdrawn' },
} as const;
type Withdrawable = keyof typeof WITHDRAWABLE;
const isWithdrawable = (type: string): type is Withdrawable => type in WITHDRAWABLE;
const subjectOf = (decision: Decision): string | undefined => {
  const field = isWithdrawable(decision.type) ? WITHDRAWABLE[decision.type].id : decision.type === 'TransferWithdrawn' ? 'transferId' : decision.type === 'CoWorkWithdrawn' ? 'coWorkId' : undefined;
  return field && (decision.data as unknown as Record<string, string>)[field];
};

/**
 * `newFrom`: the entries from this index on (in recording order) are new since the last
 * reconciliation, whose decisions are recorded. A fact before the earliest new one in causal
 * order has nothing new before it — a late fact, and so every fact after it, is judged again; a
 * manager's answer is placed after every fact recorded before it — so it is folded, not judged
 * again: the cost of a batch is one walk plus the facts it can change. Leave it out to judge the
 * whole history (a replay, a new pack version's backtest).
 */
export function reconcileAllocation(history: ChildHistory, compiled: CompiledPack, now: string, options: Pick<Reconcile, 'newFrom'> = {}): PendingDecision[] {
  const causal = inCausalOrder(history.entries);
  const newFrom = options.newFrom ?? 0;
  const isNew = new Set(history.entries.slice(newFrom).map(entryId));
  const firstJudged = causal.findIndex((e) => isNew.has(entryId(e)) && (e.kind === 'fact' || e.decision.type === 'BirthdayApproaching'));
  const judgedFrom = firstJudged < 0 ? causal.length : firstJudged;
  const recorded = recordedIdentities(history.entries);
  const order = {
    recordedAt: new Map(history.entries.map((e, i) => [entryId(e), i])),
    causalAt: new Map(causal.map((e, i) => [entryId(e), i])),
  };
  const madeFor = new Map<string, DecisionEntry[]>();
  for (const e of history.entries) {
    if (e.kind === 'decision' && isWithdrawable(e.decision.type)) madeFor.set(e.causationId, [...(madeFor.get(e.causationId) ?? []), e]);
  }
  const generations = new Generations(history.entries);

  const pending: PendingDecision[] = [];
  let state = initialChildState(history.authority, history.childId);
  const make = (required: Decision, causationId: string) => {
    const made = isWithdrawable(required.type) ? generations.next(required) : { decision: required, identity: identityOf(required, causationId) };
    if (!made || recorded.has(made.identity)) return;
    const { decision, identity } = made;
    recorded.add(identity);
    const ending = endingOf(decision);
    if (ending) generations.withdrawn(subjectOf(decision)!, ending);
    pending.push({ decision, causationId, identity });
    state = evolve(state, { kind: 'decision', eventId: `pending:${identity}`, decidedAt: now, causationId, decision });
  };
  /** Decisions recorded for a fact that the whole history no longer supports, with that fact. */
  const unsupported = new Map<string, CaseEvent>();

  for (const [at, entry] of causal.entries()) {
    const trigger = at < judgedFrom ? undefined : triggerOf(entry, history);
    if (!trigger) {
      state = evolve(state, entry);
      if (entry.kind !== 'decision' || !unsupported.has(entry.eventId)) continue;
      const withdrawal = supersede(entry, unsupported.get(entry.eventId)!, state, history, generations, order);
      if (withdrawal) make(withdrawal, entry.eventId);
      continue;
    }
    const required = requiredBy(state, trigger, compiled);
    state = entry.kind === 'fact' ? evolveFact(state, trigger) : evolve(state, entry);
    const requiredIdentities = new Set(required.map((d) => identityOf(d, trigger.eventId)));
    for (const d of required) make(d, trigger.eventId);
    for (const made of madeFor.get(trigger.eventId) ?? []) {
      if (!requiredIdentities.has(identityOf(made.decision, made.causationId))) unsupported.set(made.eventId, trigger);
    }
  }
  return pending;
}

/**
 * How a proposal or co-work ended: superseded by reconciliation (the whole history no longer
 * supports it), lapsed (reconciliation found its awaited handover point will not come, 004 PTC 1–2),
 * or answered: by a person (a manager's withdrawal or rejection), or by a pack deadline that lapsed
 * it (`whenMissed: lapse`, 004 CFF 14), which is as final.
 */
type Ending = 'superseded' | 'lapsed' | 'answered';

const endingOf = (decision: Decision): Ending | undefined => {
  if (!['TransferWithdrawn', 'TransferRejected', 'CoWorkWithdrawn'].includes(decision.type)) return undefined;
  const data = decision.data as { supersededBy?: unknown; lapsedBy?: unknown };
  return data.supersededBy ? 'superseded' : data.lapsedBy ? 'lapsed' : 'answered';
};

/**
 * Proposals and co-works by identity, and how each ended. When the whole history requires again
 * one that reconciliation superseded — a late fact took it away on a partial history, and a later
 * one brought it back — it is made anew, as a next generation with its own id (`-2`, `-3` …),
 * since the first stays withdrawn on the stream. One that lapsed or that a person answered was
 * judged on the facts as they are and is not made again when its trigger is judged again.
 */
class Generations {
  private readonly made = new Map<string, string[]>();
  private readonly ids = new Set<string>();
  private readonly ended = new Map<string, Set<Ending>>();
  /**
   * The rule and fact of each transfer a pack deadline lapsed (`whenMissed: lapse`, 004 CFF 14):
   * closed for good. The referral "will lapse and need to be represented", so a re-judged history
   * never proposes that rule on that fact again, whatever a late fact does to its route or date; a
   * new referral (a new fact) is a new proposal.
   */
  private readonly lapsed = new Set<string>();

  constructor(entries: readonly ChildStreamEvent[]) {
    for (const e of entries) {
      if (e.kind !== 'decision') continue;
      if (isWithdrawable(e.decision.type)) this.add(identityOf(e.decision, e.causationId), subjectOf(e.decision)!);
      const ending = endingOf(e.decision);
      if (ending) this.withdrawn(subjectOf(e.decision) ?? (e.decision.data as { transferId: string }).transferId, ending);
    }
    const lapsedIds = new Set(entries.flatMap((e) => (e.kind === 'decision' && e.decision.type === 'TransferWithdrawn' && (e.decision.data as DecisionDataByType['TransferWithdrawn']).lapsed ? [subjectOf(e.decision)!] : [])));
    for (const e of entries) {
      if (e.kind === 'decision' && e.decision.type === 'TransferProposed' && lapsedIds.has(subjectOf(e.decision)!)) this.lapsed.add(lapseKey(e.decision));
    }
  }

  withdrawn(id: string, ending: Ending): void {
    this.ended.set(id, new Set([...(this.ended.get(id) ?? []), ending]));
  }

  /**
   * Whether reconciliation may no longer supersede it: a person answered it, or it is superseded
   * already. A lapse is reconciliation's own judgement of later facts: a late fact that takes the
   * proposal itself away supersedes it all the same, and so both go (standingDecisions).
   */
  isEnded(id: string): boolean {
    const ended = this.ended.get(id);
    return !!ended && (ended.has('answered') || ended.has('superseded'));
  }

  /**
   * The decision to record, or nothing when one of this identity stands (recorded and not
   * withdrawn), lapsed or was answered. Its id is the next generation's whenever an earlier one
   * took the id it would get.
   */
  next(required: Decision): { decision: Decision; identity: string } | undefined {
    const base = identityOf(required, '');
    if ((this.made.get(base) ?? []).some((id) => !this.ended.get(id)?.has('superseded'))) return undefined;
    if (required.type === 'TransferProposed' && this.lapsed.has(lapseKey(required))) return undefined;
    const first = subjectOf(required)!;
    let generation = 1;
    while (this.ids.has(generation === 1 ? first : `${first}-${generation}`)) generation++;
    const field = WITHDRAWABLE[required.type as Withdrawable].id;
    const decision = generation === 1 ? required : { ...required, data: { ...required.data, [field]: `${first}-${generation}` } };
    this.add(base, subjectOf(decision)!);
    return { decision, identity: generation === 1 ? base : `${base}#${generation}` };
  }

  private add(identity: string, id: string): void {
    this.made.set(identity, [...(this.made.get(identity) ?? []), id]);
    this.ids.add(id);
  }
}

const lapseKey = (proposal: Decision): string => {
  const { ruleId, trigger } = proposal.data as DecisionDataByType['TransferProposed'];
  return `${ruleId}|${trigger.eventId}`;
};

/**
 * The withdrawal of a recorded proposal or co-work the whole history no longer supports (see the
 * policy above), placed right after it in causal order so that later facts are judged without it.
 */
function supersede(
  made: DecisionEntry,
  trigger: CaseEvent,
  state: ChildState,
  history: ChildHistory,
  generations: Generations,
  order: { recordedAt: Map<string, number>; causalAt: Map<string, number> },
): Decision | undefined {
  const id = subjectOf(made.decision)!;
  if (generations.isEnded(id)) return undefined;
  // The late facts: recorded after it, but in the child's history before the fact that caused it.
  const recordedAt = order.recordedAt.get(made.eventId)!;
  const triggerAt = order.causalAt.get(trigger.eventId)!;
  const supersededBy = history.entries.flatMap((e) =>
    e.kind === 'fact' && order.recordedAt.get(e.fact.eventId)! > recordedAt && order.causalAt.get(e.fact.eventId)! < triggerAt
      ? [{ eventId: e.fact.eventId, type: e.fact.type, occurredOn: localDateOf(e.fact.occurredAt) as LocalDate }]
      : [],
  );
  const reason = supersededBy.length ? 'superseded-by-late-fact' : 'no-longer-required-by-the-pack-in-force';
  const { ruleId, ruleVersion, packId, packVersion, citation } = made.decision.data as DecisionDataByType['CoWorkRequired'];
  const reference = { ruleId, ruleVersion, packId, packVersion, citation };
  if (made.decision.type === 'CoWorkRequired') {
    if (!state.coWorks.some((c) => c.coWorkId === id)) return undefined;
    return { type: 'CoWorkWithdrawn', data: { ...reference, coWorkId: id, reason, supersededBy } };
  }
  const transfer = state.transfers.find((t) => t.transferId === id);
  if (!transfer || CLOSED_TRANSFER_STATUSES.includes(transfer.status)) return undefined;
  return { type: 'TransferWithdrawn', data: { ...reference, transferId: id, reason, supersededBy } };
}

/**
 * What sets allocation reconciling a child: a fact, or a BirthdayApproaching escalation computed
 * (both may be transfer points). Its own decisions, checklists and escalations change nothing it judges.
 */
export const reconcilesAllocation = (event: { kind: 'fact' | 'decision'; type: string }): boolean => event.kind === 'fact' || event.type === 'BirthdayApproaching';

/**
 * Siblings move alongside a new proposal (000 ¶1; 004 Work with Siblings 1): what a sibling's
 * stream requires for the first proposal of `required` that a rule made, not yet recorded there.
 */
export function reconcileSiblingAlongside(required: readonly PendingDecision[], sibling: ChildHistory, compiled: CompiledPack): PendingDecision[] {
  const made = required.find((p) => p.decision.type === 'TransferProposed' && (p.decision.data as DecisionDataByType['TransferProposed']).ruleId !== SIBLINGS_RULE_ID);
  if (!made || !compiled.pack.siblings) return [];
  const state = inCausalOrder(sibling.entries).reduce(evolve, initialChildState(sibling.authority, sibling.childId));
  const recorded = recordedIdentities(sibling.entries);
  return siblingProposal(made.decision.data as DecisionDataByType['TransferProposed'], state, compiled)
    .decisions.map((decision) => ({ decision, causationId: made.causationId, identity: identityOf(decision, made.causationId) }))
    .filter((p) => !recorded.has(p.identity));
}

/** Allocation in the decider shape: the state is the history, the command is "reconcile now". */
export const allocationDecider = (compiled: CompiledPack, identity: { authority: string; childId: string }): Decider<ChildHistory, Reconcile, ChildStreamEvent, PendingDecision> => ({
  initialState: () => emptyHistory(identity.authority, identity.childId),
  evolve: appendToHistory,
  decide: (command, history) => reconcileAllocation(history, compiled, command.now, { newFrom: command.newFrom }),
});
