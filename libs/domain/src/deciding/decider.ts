/**
 * One shape for every decider (STYLE.md, Emmett's `Decider<State, Command, Event>`): `initialState`,
 * `evolve` and `decide`, nothing else. Our deciders reconcile (DESIGN.md "Deciding: reconcile, do
 * not react"): their state is the child's whole history, their one command is "reconcile at this
 * instant", and `decide` answers with what the pack requires and is not yet recorded. Arrival
 * order, redelivery and duplicates then cannot change an outcome: a decision already recorded is
 * recognised by its identity and not made again.
 */
import type { ChildStreamEvent } from '../child/child-state';
import type { Decision } from '../events/decision-events';
import { stableId } from '../policy/stable-id';

/**
 * `Decided` is what decide returns when it is not yet an `Event`: our deciders return decisions to
 * record with their cause and identity, which the store turns into the stream's events.
 */
export interface Decider<State, Command, Event, Decided = Event> {
  initialState: () => State;
  evolve: (state: State, event: Event) => State;
  decide: (command: Command, state: State) => Decided[];
}

/** The state of a reconciling decider: the history, folded by appending. */
export const historyOf = (authority: string, childId: string, entries: readonly ChildStreamEvent[]): ChildHistory => ({ authority, childId, entries });

/** Everything recorded on one child's stream, in the order it was recorded. */
export interface ChildHistory {
  authority: string;
  childId: string;
  entries: readonly ChildStreamEvent[];
}

export const emptyHistory = (authority: string, childId: string): ChildHistory => ({ authority, childId, entries: [] });

/** Appending is all evolve does: the deciders read the whole history in causal order. */
export const appendToHistory = (history: ChildHistory, entry: ChildStreamEvent): ChildHistory => ({ ...history, entries: [...history.entries, entry] });

/**
 * Reconcile the child as of `now` (an ISO instant): what the pack requires, minus what is
 * recorded. `newFrom`: the index (in recording order) from which the history's entries are new
 * since the last reconciliation (see `reconcileAllocation`); left out, the whole history is judged.
 */
export interface Reconcile {
  type: 'Reconcile';
  now: string;
  newFrom?: number;
}

/**
 * A decision to record: what caused it (the id of an event on the stream, or of the timer), and
 * its identity — stable across replays, arrival orders and retries, so the stored event id is
 * derived from it (`decisionId`) and a decision already recorded is never recorded twice.
 */
export interface PendingDecision {
  decision: Decision;
  causationId: string;
  identity: string;
}

/**
 * What makes a decision the same decision, read from its content and cause alone: a proposal is
 * the same proposal when the same rule fired on the same fact, whatever transfer id an earlier
 * version of this system gave it. Decisions a manager makes carry their command's id as cause, so
 * they never match one a decider requires.
 */
/** The fields of any decision that say which decision it is. */
interface IdentityFields {
  ruleId?: string;
  trigger?: { eventId: string };
  transferId?: string;
  coWorkId?: string;
  fromTeam?: string;
  toTeam?: string;
  toArea?: string;
  team?: string;
  holdingTeam?: string;
  coWorkingTeam?: string;
  dueBy?: string | null;
  supersededBy?: unknown;
  lapsed?: unknown;
  checklistId?: string;
  itemId?: string;
  escalationId?: string;
  rung?: number;
  ageYears?: number;
  warnAhead?: string;
}

export function identityOf(decision: Decision, causationId: string): string {
  const d: IdentityFields = decision.data;
  switch (decision.type) {
    // The same rule on the same fact, between the same teams, due the same day: a late fact that
    // changes who held the child, or when the handover falls (a date of birth recorded late), makes
    // a different decision, and the one recorded on the partial history is superseded.
    case 'TransferProposed':
      return `${decision.type}|${d.ruleId}|${d.trigger?.eventId}|${d.fromTeam}|${d.toTeam}|${d.toArea ?? ''}|${d.dueBy}`;
    case 'CaseRetained':
      return `${decision.type}|${d.ruleId}|${d.trigger?.eventId}|${d.team}`;
    case 'CoWorkRequired':
      return `${decision.type}|${d.ruleId}|${d.trigger?.eventId}|${d.holdingTeam}|${d.coWorkingTeam}|${d.dueBy}`;
    case 'TransferWithdrawn':
      // A withdrawal reconciliation makes supersedes the transfer once; a manager's is their command.
      // A lapse (supervision, a pack deadline missed) closes the transfer once, whatever woke it.
      if (d.lapsed) return `TransferWithdrawn|lapsed|${d.transferId}`;
      return d.supersededBy ? `TransferWithdrawn|superseded|${d.transferId}` : `TransferWithdrawn|${d.transferId}|${causationId}`;
    case 'CoWorkWithdrawn':
      return `${decision.type}|${d.coWorkId}`;
    case 'TransferRescheduled':
    case 'TransferAccepted':
    case 'TransferRejected':
    case 'TransferDisputed':
    case 'TransferCompleted':
      return `${decision.type}|${d.transferId}|${causationId}`;
    case 'ChecklistOpened':
    case 'ChecklistCompleted':
      return `${decision.type}|${d.checklistId}`;
    case 'ChecklistItemMet':
      return `${decision.type}|${d.checklistId}|${d.itemId}`;
    case 'EscalationRaised':
      return `${decision.type}|${d.escalationId}|${d.rung}`;
    case 'EscalationResolved':
      return `${decision.type}|${d.escalationId}`;
    case 'AllocationRequired':
      return `${decision.type}|${causationId}`;
    case 'BirthdayApproaching':
      return d.warnAhead ? `${decision.type}|${d.ageYears}|warning|${d.warnAhead}` : `${decision.type}|${d.ageYears}`;
    default: {
      const unhandled: never = decision;
      return unhandled;
    }
  }
}

/** The identities of everything recorded on the stream. */
export const recordedIdentities = (entries: readonly ChildStreamEvent[]): Set<string> =>
  new Set(entries.flatMap((e) => (e.kind === 'decision' ? [identityOf(e.decision, e.causationId)] : [])));

/**
 * A decision's id, scoped by tenant and child: two authorities whose facts share an id (event ids
 * are the case-management system's) never share a decision.
 */
export const decisionIdSource = (authority: string, childId: string, identity: string): string => `${authority}|${childId}|${identity}`;

/** A short stable id for things decisions name (transfers, co-works), scoped by tenant and child. */
export const scopedId = (prefix: string, authority: string, childId: string, ...parts: string[]): string =>
  `${prefix}-${stableId([authority, childId, ...parts].join('|'))}`;
