/** A child's stored stream as the core sees it: the one fold every service uses, and the history deciders reconcile. */
import { evolve, historyOf, inCausalOrder, initialChildState, type ChildHistory, type ChildState } from '@cto/domain';
import { type StoredEvent, toChildStreamEvent } from '@cto/event-store';

export const childStateOf = (stream: readonly StoredEvent[], authority: string, childId: string): ChildState =>
  inCausalOrder(stream.map(toChildStreamEvent)).reduce(evolve, initialChildState(authority, childId));

/** The whole stream of one child (never empty: a stream exists once something is recorded on it). */
export function childHistoryOf(stream: readonly StoredEvent[]): ChildHistory {
  const { authority, childId } = stream[0].metadata;
  return historyOf(authority, childId, stream.map(toChildStreamEvent));
}
