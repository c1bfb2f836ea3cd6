/**
 * Where a child stands today under the pack, as the deciding services would leave it: allocation,
 * checklists and supervision each reconcile the history in turn, their decisions are appended, and
 * the round repeats until none of them requires anything more. Nothing is written: this is what a
 * dry run reports (issue 17: an authority's caseload read from its statutory return), and because
 * it runs the very deciders the services run, a later commit through the services agrees with it.
 *
 * Siblings are not moved alongside here: a return names no families, and a dry run reads one child
 * at a time.
 */
import { localDateOf } from '../calendar';
import { initialChildState, type ChildState, type ChildStreamEvent } from '../child/child-state';
import { evolve } from '../child/evolve';
import { inCausalOrder } from '../child/causal-order';
import { supervise } from '../escalation/supervision';
import type { CompiledPack } from '../policy/engine';
import { reconcileAllocation } from './allocation-decider';
import { reconcileChecklists } from './checklist-decider';
import { appendToHistory, identityOf, recordedIdentities, type ChildHistory, type PendingDecision } from './decider';

export interface Standing {
  /** The child folded from the history and everything the deciders required of it. */
  state: ChildState;
  /** The history with the decisions appended, in the order they were made. */
  history: ChildHistory;
  /** What the services would record today, in order. */
  decisions: PendingDecision[];
}

/** Rounds of reconciliation before giving up: each round only adds what the last one led to, so a pack settles in a few. */
const MAX_ROUNDS = 20;

export class StandingDidNotSettle extends Error {
  constructor(childId: string) {
    super(`reconciling child ${childId} still required new decisions after ${MAX_ROUNDS} rounds: a decider keeps undoing another's work`);
    this.name = 'StandingDidNotSettle';
  }
}

/**
 * `now` is the instant decisions are stamped with; `today` its business date (supervision's clock).
 * Decisions are recorded on the history with `decidedAt: now`, as the services would record them.
 */
export function standingOf(history: ChildHistory, compiled: CompiledPack, now: string): Standing {
  const today = localDateOf(now);
  const identity = { authority: history.authority, childId: history.childId };
  const decisions: PendingDecision[] = [];
  let current = history;
  const record = (pending: readonly PendingDecision[]) => {
    for (const p of pending) {
      decisions.push(p);
      current = appendToHistory(current, { kind: 'decision', eventId: `standing:${p.identity}`, decidedAt: now, causationId: p.causationId, decision: p.decision });
    }
    return pending.length;
  };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let made = record(reconcileAllocation(current, compiled, now));
    made += record(reconcileChecklists(current, compiled, now));
    const newest = current.entries.at(-1);
    const causationId = newest ? (newest.kind === 'fact' ? newest.fact.eventId : newest.eventId) : 'supervision';
    const recorded = recordedIdentities(current.entries);
    made += record(
      supervise(current.entries, compiled, today, identity)
        .decisions.map((decision) => ({ decision, causationId, identity: identityOf(decision, causationId) }))
        .filter((p) => !recorded.has(p.identity)),
    );
    if (!made) {
      const state = inCausalOrder(current.entries).reduce((s: ChildState, e: ChildStreamEvent) => evolve(s, e), initialChildState(identity.authority, identity.childId));
      return { state, history: current, decisions };
    }
  }
  throw new StandingDidNotSettle(history.childId);
}

