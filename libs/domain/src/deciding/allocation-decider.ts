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
import { epochMillisOf, localDateOf } from '../calendar';
import type { LocalDate } from '../calendar/local-date';
import { CLOSED_TRANSFER_STATUSES, initialChildState, OPEN_TRANSFER_STATUSES, openTransfers, type ChildState, type ChildStreamEvent } from '../child/child-state';
import { evolve, evolveFact } from '../child/evolve';
import { inCausalOrder } from '../child/causal-order';
import type { CaseEvent } from '../events/case-events';
import { subjectOf, transferIdOf, type Decision, type DecisionDataByType, type LateFact } from '../events/decision-events';
import { decide, type CompiledPack } from '../policy/engine';
import { decideLifecycleFact } from '../transfer/lifecycle';
import { alongsideTransferId, siblingProposal } from '../transfer/siblings';
import { siblingRuleById, siblingRuleFor } from '../policy/sibling-rules';
import { dueByForHandoverPoint } from '../policy/handover';
import { checklistRedated } from '../transfer/checklists';
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
 * date of birth — to the rules it is the same milestone as one the case-management system sends
 * (but not a warning of it).
 */
function triggerOf(entry: ChildStreamEvent, history: ChildHistory): CaseEvent | undefined {
  if (entry.kind === 'fact') return entry.fact;
  if (entry.decision.type !== 'BirthdayApproaching') return undefined;
  const { ageYears, on, warnAhead } = entry.decision.data;
  // A warning ahead of the announcement is for people, not rules (AgeMilestone.warnAhead).
  if (warnAhead) return undefined;
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
export function requiredBy(before: ChildState, trigger: CaseEvent, compiled: CompiledPack, after: ChildState = evolveFact(before, trigger)): Decision[] {
  if (trigger.type === 'BirthdayApproaching' && before.milestonesAnnounced.includes(trigger.data.ageYears)) return [];
  return [...decideLifecycleFact(after, trigger), ...decide(before, trigger, compiled, after)];
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
const isWithdrawable = (decision: Decision): decision is Decision<Withdrawable> => decision.type in WITHDRAWABLE;
/** The same proposal or co-work under another id (the next generation's). */
const withSubject = (decision: Decision<Withdrawable>, id: string): Decision<Withdrawable> =>
  decision.type === 'TransferProposed' ? { type: decision.type, data: { ...decision.data, transferId: id } } : { type: decision.type, data: { ...decision.data, coWorkId: id } };

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
    if (e.kind === 'decision' && isWithdrawable(e.decision)) madeFor.set(e.causationId, [...(madeFor.get(e.causationId) ?? []), e]);
  }
  const generations = new Generations(history.entries);

  const pending: PendingDecision[] = [];
  let state = initialChildState(history.authority, history.childId);
  const make = (required: Decision, causationId: string) => {
    const made = isWithdrawable(required) ? generations.next(required) : { decision: required, identity: identityOf(required, causationId) };
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
    // Each fact folded once: the rules, the lifecycle and the walk share it.
    const after = evolveFact(state, trigger);
    const required = requiredBy(state, trigger, compiled, after);
    state = entry.kind === 'fact' ? after : evolve(state, entry);
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
  switch (decision.type) {
    case 'TransferWithdrawn':
      return decision.data.supersededBy ? 'superseded' : decision.data.lapsedBy ? 'lapsed' : 'answered';
    case 'CoWorkWithdrawn':
      return decision.data.supersededBy ? 'superseded' : 'answered';
    case 'TransferRejected':
      return 'answered';
    default:
      return undefined;
  }
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
      if (isWithdrawable(e.decision)) this.add(identityOf(e.decision, e.causationId), subjectOf(e.decision)!);
      const ending = endingOf(e.decision);
      if (ending) this.withdrawn(subjectOf(e.decision)!, ending);
    }
    const lapsedIds = new Set(entries.flatMap((e) => (e.kind === 'decision' && e.decision.type === 'TransferWithdrawn' && e.decision.data.lapsed ? [e.decision.data.transferId] : [])));
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
  next(required: Decision<Withdrawable>): { decision: Decision; identity: string } | undefined {
    const base = identityOf(required, '');
    if ((this.made.get(base) ?? []).some((id) => !this.ended.get(id)?.has('superseded'))) return undefined;
    if (required.type === 'TransferProposed' && this.lapsed.has(lapseKey(required))) return undefined;
    const first = subjectOf(required)!;
    let generation = 1;
    while (this.ids.has(generation === 1 ? first : `${first}-${generation}`)) generation++;
    const decision = generation === 1 ? required : withSubject(required, `${first}-${generation}`);
    this.add(base, subjectOf(decision)!);
    return { decision, identity: generation === 1 ? base : `${base}#${generation}` };
  }

  private add(identity: string, id: string): void {
    this.made.set(identity, [...(this.made.get(identity) ?? []), id]);
    this.ids.add(id);
  }
}

const lapseKey = ({ data: { ruleId, trigger } }: Decision<'TransferProposed'>): string => `${ruleId}|${trigger.eventId}`;

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
  const { ruleId, ruleVersion, packId, packVersion, citation } = made.decision.data;
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
 * Siblings move alongside (000 ¶1; 004 Work with Siblings 1; 003 §6 Transfers to CIC): what `child`
 * requires beside its siblings' transfers, judged on the family's streams as they now stand, so
 * the order the family's facts arrive in does not decide who moves:
 * - a sibling's open transfer, proposed under a rule that takes the siblings along, proposes the
 *   child alongside once (siblingProposal), whether the sibling's proposal or the child's own facts
 *   (its allocation to the sending team, its proceedings) were recorded first;
 * - the child's open move alongside is withdrawn when the sibling's transfer ended without
 *   completing (rejected, or withdrawn: then nothing is moving for the child to go with), or a
 *   separation from the siblings is now recorded for the child ("unless exceptional circumstances
 *   and agreed by CSWT", 003 §6).
 * `siblings` are the other children of the family (the child itself is skipped); pass the child's
 * own decisions not yet recorded in its history, so that a proposal made in this run counts.
 */
export function reconcileAlongsideSiblings(child: ChildHistory, siblings: readonly ChildHistory[], compiled: CompiledPack, now: string): PendingDecision[] {
  if (!compiled.pack.siblings) return [];
  let state = foldHistory(child);
  const recorded = recordedIdentities(child.entries);
  const pending: PendingDecision[] = [];
  const make = (decision: Decision, causationId: string) => {
    const identity = identityOf(decision, causationId);
    if (recorded.has(identity)) return;
    recorded.add(identity);
    pending.push({ decision, causationId, identity });
    state = evolve(state, { kind: 'decision', eventId: `pending:${identity}`, decidedAt: now, causationId, decision });
  };
  for (const sibling of siblings) {
    if (sibling.childId === child.childId) continue;
    const siblingState = foldHistory(sibling);
    // Every decision about the alongside move is caused by the sibling's proposal, which is not on
    // this child's stream: so each is placed in the child's history when it is made, after the move it is about.
    const causes = new Map(sibling.entries.flatMap((e) => (e.kind === 'decision' && e.decision.type === 'TransferProposed' ? [[e.decision.data.transferId, e.causationId] as const] : [])));
    for (const transfer of siblingState.transfers) {
      if (!siblingRuleFor(compiled.pack, transfer.ruleId)) continue;
      const cause = causes.get(transfer.transferId) ?? transfer.trigger.eventId;
      const alongside = state.transfers.find((t) => t.transferId === alongsideTransferId(transfer.transferId, child.childId));
      if (!alongside) {
        // A separation standing now keeps the child back, whenever it was recorded (003 §6 "unless exceptional circumstances and agreed by CSWT").
        // One move at a time (000 ¶1: the minimum number of transitions): a child already moving
        // — alongside another sibling, or under a rule of its own — is not proposed again.
        if (OPEN_TRANSFER_STATUSES.includes(transfer.status) && !state.separatedFromSiblings && !openTransfers(state).length) alongsideProposal(transfer, sibling, child, state, compiled).forEach((d) => make(d, cause));
        continue;
      }
      if (!OPEN_TRANSFER_STATUSES.includes(alongside.status)) continue;
      const ended = transfer.status === 'rejected' || transfer.status === 'withdrawn';
      // A fact of the child's recorded since, but in its history before, can show it never
      // qualified (it was in care already, or moving under a rule of its own): as for a rule's
      // proposal, the move is withdrawn, naming the late facts.
      const without = { ...child, entries: child.entries.filter((e) => e.kind === 'fact' || transferIdOf(e.decision) !== alongside.transferId) };
      const unsupported = !ended && !state.separatedFromSiblings && !alongsideProposal(transfer, sibling, without, state, compiled).length;
      if (!ended && !state.separatedFromSiblings && !unsupported) {
        const redated = alongsideRedated(alongside, transfer, state, child, pending, compiled);
        if (redated) make(redated.decision, redated.causationId);
        continue;
      }
      const { ruleId, ruleVersion, packId, packVersion, citation } = alongside;
      const separation = ended || unsupported ? undefined : latestSeparation(child);
      make(
        {
          type: 'TransferWithdrawn',
          data: {
            ruleId,
            ruleVersion,
            packId,
            packVersion,
            citation,
            transferId: alongside.transferId,
            reason: ended ? `the sibling's transfer it moved alongside was ${transfer.status}` : unsupported ? 'superseded-by-late-fact' : 'a separation from the siblings is recorded',
            supersededBy: separation ? [separation] : unsupported ? factsRecordedAfter(child, alongside.transferId) : [],
          },
        },
        cause,
      );
    }
  }
  return pending;
}

/** Whether the pack moves siblings alongside at all: only then are a child's family streams read. */
export const movesSiblingsAlong = (compiled: CompiledPack): boolean => compiled.pack.siblings !== undefined;

/**
 * The family's part of reconciling one child, whose own reconciliation required `required`: what
 * each sibling (by its place in `siblings`) requires alongside the child's transfers once those are
 * recorded, and what the child requires alongside the siblings'. A sibling's part leaves out the
 * other siblings' (one sibling's move alongside takes nobody further along). Only when the child's
 * own decisions change something can a sibling's part be non-empty.
 */
export function reconcileFamilyAlongside(
  child: ChildHistory,
  required: readonly PendingDecision[],
  siblings: readonly ChildHistory[],
  compiled: CompiledPack,
  now: string,
): { siblings: PendingDecision[][]; child: PendingDecision[] } {
  const withRequired = required.reduce(
    (h, { decision, causationId, identity }) => appendToHistory(h, { kind: 'decision', eventId: `pending:${identity}`, decidedAt: now, causationId, decision }),
    child,
  );
  return {
    siblings: siblings.map((sibling, i) => (required.length ? reconcileAlongsideSiblings(sibling, [withRequired, ...siblings.filter((_, j) => j !== i)], compiled, now) : [])),
    child: reconcileAlongsideSiblings(withRequired, siblings, compiled, now),
  };
}

/**
 * A move alongside whose handover point now falls elsewhere: under its sibling rule's own handover
 * point, a meeting of the sibling's dated since (a MeetingScheduled recorded after the proposal
 * re-dates it through the engine; one recorded late, but dated before the proposal was made, only
 * here); under the child's, the child's transfer re-dated. Caused by the last decision about the
 * move on the stream, so it is placed after it in the child's history, and each re-dating is its own.
 */
function alongsideRedated(
  alongside: ChildState['transfers'][number],
  transfer: ChildState['transfers'][number],
  state: ChildState,
  child: ChildHistory,
  pending: readonly PendingDecision[],
  compiled: CompiledPack,
): { decision: Decision; causationId: string } | undefined {
  const rule = siblingRuleById(compiled.pack, alongside.ruleId);
  const siblingRule = siblingRuleFor(compiled.pack, transfer.ruleId);
  if (!siblingRule || siblingRule.id !== alongside.ruleId) return undefined;
  const { dueBy, handoverPoint } = siblingRule.handover
    ? dueByForHandoverPoint(siblingRule.handover, { state, triggerOn: alongside.trigger.occurredOn as LocalDate, calendar: compiled.calendar, durations: compiled.durations })
    : { dueBy: transfer.dueBy, handoverPoint: transfer.handoverPoint };
  if (dueBy === alongside.dueBy && handoverPoint.basis === alongside.handoverPoint.basis) return undefined;
  const about = (d: Decision) => transferIdOf(d) === alongside.transferId;
  const last = [...child.entries.flatMap((e) => (e.kind === 'decision' && about(e.decision) ? [e.eventId] : [])), ...pending.filter((p) => about(p.decision)).map((p) => `pending:${p.identity}`)].at(-1);
  if (!last || last.startsWith('pending:')) return undefined;
  const checklist = checklistRedated(state, alongside.transferId, dueBy, compiled);
  return {
    decision: {
      type: 'TransferRescheduled',
      data: {
        ruleId: alongside.ruleId,
        ruleVersion: rule?.version ?? alongside.ruleVersion,
        packId: compiled.pack.id,
        packVersion: compiled.pack.version,
        citation: rule?.citation ?? alongside.citation,
        transferId: alongside.transferId,
        previousDueBy: alongside.dueBy,
        dueBy,
        handoverPoint,
        ...(checklist ? { checklist } : {}),
      },
    },
    causationId: last,
  };
}

/**
 * The child moved alongside a sibling's open transfer if, at the sibling's trigger or at any fact of
 * the child's since, the child as it stood then qualified (siblingProposal): held by the team the
 * sibling leaves, no transfer of its own open, no separation, the sibling rule's conditions met.
 * Judged on the child's history in causal order, not on what had arrived when, so a fact recorded
 * late counts in its place (a sibling accommodated after its proceedings began was not in care when
 * they did). Dated on the child as it stands now (its meetings as now scheduled).
 */
function alongsideProposal(transfer: ChildState['transfers'][number], sibling: ChildHistory, child: ChildHistory, now: ChildState, compiled: CompiledPack): Decision[] {
  const proposal = proposalOf(transfer);
  const triggerFact = sibling.entries.find((e) => e.kind === 'fact' && e.fact.eventId === transfer.trigger.eventId);
  const from = triggerFact?.kind === 'fact' ? epochMillisOf(triggerFact.fact.occurredAt) : Number.NEGATIVE_INFINITY;
  let state = initialChildState(child.authority, child.childId);
  const judge = () => siblingProposal(proposal, state, compiled, now).decisions;
  for (const entry of inCausalOrder(child.entries)) {
    if (entry.kind === 'fact' && epochMillisOf(entry.fact.occurredAt) > from) {
      const decisions = judge();
      if (decisions.length) return decisions;
    }
    state = evolve(state, entry);
  }
  return judge();
}

/** The facts recorded after a transfer was proposed: those that may have taken its support away. */
function factsRecordedAfter(history: ChildHistory, transferId: string): LateFact[] {
  const at = history.entries.findIndex((e) => e.kind === 'decision' && e.decision.type === 'TransferProposed' && e.decision.data.transferId === transferId);
  return history.entries.slice(at + 1).flatMap((e) => (e.kind === 'fact' ? [{ eventId: e.fact.eventId, type: e.fact.type, occurredOn: localDateOf(e.fact.occurredAt) as LocalDate }] : []));
}

const foldHistory = (history: ChildHistory): ChildState => inCausalOrder(history.entries).reduce(evolve, initialChildState(history.authority, history.childId));

/** A sibling's transfer as the proposal it began as (with its due date as it now stands). */
const proposalOf = (t: ChildState['transfers'][number]): DecisionDataByType['TransferProposed'] => ({
  ruleId: t.ruleId,
  ruleVersion: t.ruleVersion,
  packId: t.packId,
  packVersion: t.packVersion,
  citation: t.citation,
  transferId: t.transferId,
  fromTeam: t.fromTeam,
  toTeam: t.toTeam,
  ...(t.toArea !== undefined ? { toArea: t.toArea } : {}),
  trigger: t.trigger,
  handoverPoint: t.handoverPoint,
  dueBy: t.dueBy,
  explanation: [],
});

/** The SiblingSeparationRecorded standing now (the last one, not withdrawn), as the fact that superseded a move alongside. */
function latestSeparation(history: ChildHistory): LateFact | undefined {
  const last = inCausalOrder(history.entries)
    .flatMap((e) => (e.kind === 'fact' && e.fact.type === 'SiblingSeparationRecorded' ? [e.fact] : []))
    .at(-1);
  return last && !last.data.withdrawn ? { eventId: last.eventId, type: last.type, occurredOn: localDateOf(last.occurredAt) as LocalDate } : undefined;
}

/** Allocation in the decider shape: the state is the history, the command is "reconcile now". */
export const allocationDecider = (compiled: CompiledPack, identity: { authority: string; childId: string }): Decider<ChildHistory, Reconcile, ChildStreamEvent, PendingDecision> => ({
  initialState: () => emptyHistory(identity.authority, identity.childId),
  evolve: appendToHistory,
  decide: (command, history) => reconcileAllocation(history, compiled, command.now, { newFrom: command.newFrom }),
});
