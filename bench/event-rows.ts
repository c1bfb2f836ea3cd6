/**
 * Filling the events table directly, for benchmarks that need a large store before they measure:
 * each child's facts as rows, hash-chained as the store chains its own appends (so `store verify`
 * and the readers see a well-formed log), inserted a batch at a time with one statement.
 */
import type { CaseEvent } from '@cto/domain';
import { type EventMetadata, factEvent, GENESIS_HASH, integrityHash } from '@cto/event-store';

/** Columns of the events table: event_id, stream_id, stream_version, type, data, metadata. */
export type EventRows = [string[], string[], number[], string[], string[], string[]];

export const noEventRows = (): EventRows => [[], [], [], [], [], []];

/** One statement for a whole batch of rows (`rows` as its six parameters). */
export const INSERT_EVENT_ROWS = `INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata)
  SELECT e, s, v, t, d::jsonb, m::jsonb FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[]) AS u(e, s, v, t, d, m)`;

/** Adds a child's facts to `rows` as versions 1, 2 … of `streamId`, stopping once `rows` holds `limit`. */
export function addChainedRows(rows: EventRows, streamId: string, events: readonly CaseEvent[], limit = Infinity): void {
  let previousHash = GENESIS_HASH;
  events.forEach((event, i) => {
    if (rows[0].length >= limit) return;
    const e = factEvent(event);
    const hash = integrityHash(previousHash, { eventId: e.eventId, streamId, streamVersion: i + 1, type: e.type, data: e.data, metadata: e.metadata });
    const metadata: EventMetadata = { ...e.metadata, integrity: { previousHash, hash } };
    previousHash = hash;
    rows[0].push(e.eventId);
    rows[1].push(streamId);
    rows[2].push(i + 1);
    rows[3].push(e.type);
    rows[4].push(JSON.stringify(e.data));
    rows[5].push(JSON.stringify(metadata));
  });
}
