/** A child's stored stream as the core's state: the one fold every service uses. */
import { evolve, inCausalOrder, initialChildState, type ChildState } from '@cto/domain';
import type { StoredEvent } from '@cto/event-store';
import { toChildStreamEvent } from './stream-events';

export const childStateOf = (stream: readonly StoredEvent[], authority: string, childId: string): ChildState =>
  inCausalOrder(stream.map(toChildStreamEvent)).reduce(evolve, initialChildState(authority, childId));

/**
 * The child as the rules must see it when this event arrives: every earlier fact with the
 * decisions each led to, in causal order (several facts may be recorded before the first is decided).
 */
export function childStateBefore(event: StoredEvent, stream: readonly StoredEvent[]): ChildState {
  const causal = inCausalOrder(stream.map(toChildStreamEvent));
  const at = causal.findIndex((e) => (e.kind === 'fact' ? e.fact.eventId : e.eventId) === event.eventId);
  return causal.slice(0, at < 0 ? causal.length : at).reduce(evolve, initialChildState(event.metadata.authority, event.metadata.childId));
}
