import { epochMillisOf } from '../calendar';
import type { ChildStreamEvent } from './child-state';

/**
 * A child's history in causal order (DESIGN.md "Deciding: reconcile, do not react"):
 *
 * - facts by when they happened (`occurredAt`, as instants), then by the order they were recorded:
 *   a worker allocated on 1 April and recorded in May comes before a conference on 1 May. Facts at
 *   the same instant have no order of their own; they keep the order they were recorded in;
 * - each decision right after the event that caused it (a fact, or a decision: a checklist after
 *   its proposal), in the order recorded;
 * - a decision caused by nothing on the stream (a manager's action, a timer) at the time it was
 *   made, and never before a fact recorded ahead of it: the manager acted knowing that fact. A
 *   computed BirthdayApproaching is placed by its time too, whatever batch it was recorded with.
 */
export function inCausalOrder(stream: readonly ChildStreamEvent[]): ChildStreamEvent[] {
  const idOf = (e: ChildStreamEvent) => (e.kind === 'fact' ? e.fact.eventId : e.eventId);
  const ids = new Set(stream.map(idOf));
  const caused = new Map<string, ChildStreamEvent[]>();
  const roots: { entry: ChildStreamEvent; at: number; index: number }[] = [];
  let latestFactRecorded = Number.NEGATIVE_INFINITY;
  stream.forEach((entry, index) => {
    if (entry.kind === 'fact') {
      const at = epochMillisOf(entry.fact.occurredAt);
      latestFactRecorded = Math.max(latestFactRecorded, at);
      roots.push({ entry, at, index });
    } else if (entry.decision.type !== 'BirthdayApproaching' && ids.has(entry.causationId) && entry.causationId !== entry.eventId) {
      caused.set(entry.causationId, [...(caused.get(entry.causationId) ?? []), entry]);
    } else {
      roots.push({ entry, at: Math.max(epochMillisOf(entry.decidedAt), latestFactRecorded), index });
    }
  });
  roots.sort((a, b) => a.at - b.at || a.index - b.index);
  const ordered: ChildStreamEvent[] = [];
  const placed = new Set<string>();
  const place = (entry: ChildStreamEvent) => {
    const id = idOf(entry);
    if (placed.has(id)) return;
    placed.add(id);
    ordered.push(entry);
    for (const next of caused.get(id) ?? []) place(next);
  };
  for (const { entry } of roots) place(entry);
  // A chain of causes that loops back on itself has no root: keep its entries, in stream order.
  for (const entry of stream) place(entry);
  return ordered;
}
