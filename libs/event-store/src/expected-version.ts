import type { ExpectedVersion, NewEvent } from './event-store.port';

/** Rejects what no stream could ever satisfy, before any database work. */
export function assertValidExpectedVersion(expected: ExpectedVersion): void {
  if (expected === 'any' || expected === 'no-stream') return;
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw new RangeError(`expectedVersion must be 'any', 'no-stream' or a whole number ≥ 0, got ${String(expected)}`);
  }
}

/** Event ids that occur more than once in one batch: they cannot all be recorded. */
export function repeatedEventIds(events: readonly NewEvent[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const { eventId } of events) {
    if (seen.has(eventId)) repeated.add(eventId);
    seen.add(eventId);
  }
  return [...repeated];
}
