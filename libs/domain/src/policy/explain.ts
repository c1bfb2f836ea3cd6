/**
 * `policy explain`: replay a child's stream under a pack and say, fact by fact, which rules the
 * fact triggered, whether each fired, and why not — the conditions that failed, the exception that
 * applied, the open transfer that held it back. Pure: the caller reads the stream.
 */
import { localDateOf } from '../calendar';
import { initialChildState, type ChildStreamEvent } from '../child/child-state';
import { evolve, evolveFact } from '../child/evolve';
import { inCausalOrder } from '../child/causal-order';
import type { Decision } from '../events/decision-events';
import { evaluate, teamHolding, type CompiledPack, type RuleEvaluation } from './engine';
import type { RuleReading } from './policy-pack';

export interface FactExplanation {
  eventId: string;
  type: string;
  occurredOn: string;
  /** The team holding the child when the fact arrived. */
  heldBy: string | undefined;
  /** Each with the pack's reading of its words, where it gives one (a transfer point tied to time passing). */
  rules: (RuleEvaluation & { reading?: RuleReading })[];
  /** What the pack decides for this fact now. */
  decisions: Decision[];
  /** What was recorded for this fact at the time (it may differ if the pack has changed since). */
  recorded: Decision[];
}

export function explainStream(authority: string, childId: string, stream: ChildStreamEvent[], compiled: CompiledPack): FactExplanation[] {
  const recordedFor = new Map<string, Decision[]>();
  for (const e of stream) {
    if (e.kind === 'decision') recordedFor.set(e.causationId, [...(recordedFor.get(e.causationId) ?? []), e.decision]);
  }
  let state = initialChildState(authority, childId);
  const explanations: FactExplanation[] = [];
  for (const e of inCausalOrder(stream)) {
    if (e.kind === 'fact') {
      const heldBy = teamHolding(evolveFact(state, e.fact), compiled.pack);
      const { rules, decisions } = evaluate(state, e.fact, compiled);
      explanations.push({
        eventId: e.fact.eventId,
        type: e.fact.type,
        occurredOn: localDateOf(e.fact.occurredAt),
        heldBy,
        rules: rules.map((r) => {
          const reading = compiled.rulesById.get(r.ruleId)?.reading;
          return reading ? { ...r, reading } : r;
        }),
        decisions,
        recorded: recordedFor.get(e.fact.eventId) ?? [],
      });
    }
    // Fold what was actually recorded, in causal order, so later facts are judged against the real history.
    state = evolve(state, e);
  }
  return explanations;
}
