/**
 * Walks every stream's hash chain (see ./integrity) and reports the first broken link, in stream id
 * order and then version order.
 *
 * It reads in pages of `pageSize` rows, each page its own short statement, keyed on
 * (stream_id, stream_version) (the unique index), so memory stays flat however big the table is.
 * It deliberately does not hold one long transaction for a consistent snapshot: a long transaction
 * holds every global reader back (readAll waits for the oldest open transaction, see
 * SqlEventStore.readAll). Appends made while it runs cannot confuse it: a stream only grows at its
 * end, so an event appended to a stream already walked is simply not checked this time.
 */
import type { EventRow } from './sql-event-store';
import type { EventMetadata } from './event-store.port';
import { GENESIS_HASH, integrityHash, integrityOf } from './integrity';
import type { SqlExecutor } from './sql/sql-client';

/**
 * version-gap: a version is missing (an event was removed) or repeated;
 * missing-integrity: the event has no `metadata.integrity` (altered, or stored before hashing existed);
 * previous-hash-mismatch: the event does not chain to the one before it (that one was removed,
 *   replaced or re-hashed);
 * hash-mismatch: the event's own content no longer matches its hash (it was altered).
 */
export type BrokenLinkReason = 'version-gap' | 'missing-integrity' | 'previous-hash-mismatch' | 'hash-mismatch';

export interface StoreIntact {
  ok: true;
  /** Streams walked. */
  streams: number;
  /** Events whose hash was recomputed and matched. */
  events: number;
}

export interface BrokenLink {
  ok: false;
  streamId: string;
  streamVersion: number;
  globalPosition: string;
  reason: BrokenLinkReason;
  /** What the chain says should be there (a hash, or a version for version-gap). */
  expected: string;
  /** What is there. */
  found: string;
  /** Streams and events checked before the broken link, the broken link's stream included. */
  streams: number;
  events: number;
}

export type StoreVerification = StoreIntact | BrokenLink;

export interface VerifyOptions {
  /** Rows per statement. Default 1000. */
  pageSize?: number;
}

/** A stored event as the walk by stream reads it. */
export type StreamOrderRow = Omit<EventRow, 'recorded_at'>;

/**
 * One page of the store in (stream, version) order after `after`, by the unique index: keyset
 * paging keeps memory flat however big the table is. Row comparison and ORDER BY use the same
 * collation, so the keyset never skips or repeats a row.
 */
export function eventsInStreamOrder(sql: SqlExecutor, after: { streamId: string; streamVersion: number }, limit: number): Promise<StreamOrderRow[]> {
  return sql.query<StreamOrderRow>(
    `SELECT event_id, stream_id, stream_version, type, data::text AS data, metadata::text AS metadata,
            global_position::text AS global_position
       FROM events
      WHERE (stream_id, stream_version) > ($1::text, $2::integer)
      ORDER BY stream_id, stream_version
      LIMIT $3`,
    [after.streamId, after.streamVersion, limit],
  );
}

/** Verifies the store behind a SqlEventStore (`{ sql }`) or a plain SQL client on its database. */
export async function verifyStore(source: SqlExecutor | { sql: SqlExecutor }, options: VerifyOptions = {}): Promise<StoreVerification> {
  const sql = 'sql' in source ? source.sql : source;
  const pageSize = options.pageSize ?? 1000;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) throw new RangeError(`verifyStore pageSize must be a whole number ≥ 1, got ${String(pageSize)}`);

  let streams = 0;
  let events = 0;
  // The previous event walked: its stream, version and (verified) hash.
  let previous: { streamId: string; streamVersion: number; hash: string } | undefined;
  let after: { streamId: string; streamVersion: number } = { streamId: '', streamVersion: 0 };

  for (;;) {
    const rows = await eventsInStreamOrder(sql, after, pageSize);
    for (const row of rows) {
      const streamVersion = Number(row.stream_version);
      const sameStream = previous !== undefined && previous.streamId === row.stream_id;
      if (!sameStream) streams++;
      const expectedVersion = sameStream ? previous!.streamVersion + 1 : 1;
      const expectedPrevious = sameStream ? previous!.hash : GENESIS_HASH;
      const broken = (reason: BrokenLinkReason, expected: string, found: string): BrokenLink => ({
        ok: false,
        streamId: row.stream_id,
        streamVersion,
        globalPosition: row.global_position,
        reason,
        expected,
        found,
        streams,
        events,
      });

      if (streamVersion !== expectedVersion) return broken('version-gap', String(expectedVersion), String(streamVersion));
      const metadata = JSON.parse(row.metadata) as EventMetadata;
      const integrity = integrityOf(metadata);
      if (!integrity) return broken('missing-integrity', 'metadata.integrity with previousHash and hash', 'none');
      if (integrity.previousHash !== expectedPrevious) return broken('previous-hash-mismatch', expectedPrevious, integrity.previousHash);
      const recomputed = integrityHash(expectedPrevious, {
        eventId: row.event_id,
        streamId: row.stream_id,
        streamVersion,
        type: row.type,
        data: JSON.parse(row.data) as unknown,
        metadata,
      });
      if (recomputed !== integrity.hash) return broken('hash-mismatch', recomputed, integrity.hash);

      events++;
      previous = { streamId: row.stream_id, streamVersion, hash: integrity.hash };
    }
    if (rows.length < pageSize) return { ok: true, streams, events };
    const last = rows[rows.length - 1];
    after = { streamId: last.stream_id, streamVersion: Number(last.stream_version) };
  }
}
