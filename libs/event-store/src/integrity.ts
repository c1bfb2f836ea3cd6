/**
 * Tamper evidence (issue 8 item 3): every stored event carries, in `metadata.integrity`, a SHA-256
 * hash chained to the event before it on its stream:
 *
 *   hash = sha256(previousHash + canonical JSON of { eventId, streamId, streamVersion, type, data,
 *                                                    metadata without integrity })
 *
 * and the first event of a stream chains to GENESIS_HASH. Changing any hashed field of a stored
 * event (in psql, with the append-only trigger disabled) breaks its hash; removing or re-hashing
 * an event breaks the link of the one after it. `verifyStore` walks the chains.
 *
 * Canonical JSON is RFC 8785 (the `canonicalize` package): jsonb gives keys back in its own order
 * (shorter keys first), not the order they were written in, so the hash must not depend on order.
 * It is computed over the values as jsonb will give them back (a JSON round trip: undefined
 * properties vanish, a Date becomes its ISO string), so the writer and the verifier hash the same text.
 *
 * Not covered: global_position, transaction_id and recorded_at (assigned by the database at insert),
 * and the end of a stream: deleting a stream's last events, or a whole stream, leaves shorter chains
 * that still verify. Anyone who can write the table can also recompute every hash after a change;
 * catching that needs the stream heads kept somewhere else (a later step, not this one).
 */
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import type { EventMetadata } from './event-store.port';

/** What the first event of every stream chains to. */
export const GENESIS_HASH = '0'.repeat(64);

export interface EventIntegrity {
  /** The `hash` of the event before this one on its stream; GENESIS_HASH for the first. */
  previousHash: string;
  /** sha256 (hex) of previousHash followed by this event's canonical JSON. */
  hash: string;
}

/** The hashed fields of an event, exactly as they are (or will be) stored. */
export interface HashedEvent {
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  data: unknown;
  metadata: EventMetadata;
}

/** The event's hash given the hash of the one before it. `metadata.integrity`, if any, is left out. */
export function integrityHash(previousHash: string, event: HashedEvent): string {
  const canonical = canonicalize({
    eventId: event.eventId,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    type: event.type,
    data: event.data,
    metadata: withoutIntegrity(event.metadata),
  });
  return createHash('sha256').update(previousHash, 'utf8').update(canonical ?? '', 'utf8').digest('hex');
}

/**
 * The canonical JSON integrityHash hashes, cut around the stream version: `before`, the version as
 * a decimal integer, then `after` is exactly that text (RFC 8785 orders the six keys data, eventId,
 * metadata, streamId, streamVersion, type, and writes a whole number as its digits). The append
 * sends the two halves and the database, once it holds the stream's lock and knows the version and
 * the head's hash, finishes each link with its own sha256: the same text, bytes and hash as
 * integrityHash, in the same round trip as the insert. `data` and `metadata` must already be as
 * stored (asStored), and `metadata` without integrity.
 */
export function canonicalAroundVersion(event: Omit<HashedEvent, 'streamVersion'>): { before: string; after: string } {
  const part = (value: unknown): string => canonicalize(value) ?? 'null';
  return {
    before: `{"data":${part(event.data)},"eventId":${part(event.eventId)},"metadata":${part(event.metadata)},"streamId":${part(event.streamId)},"streamVersion":`,
    after: `,"type":${part(event.type)}}`,
  };
}

export function withoutIntegrity(metadata: EventMetadata): EventMetadata {
  const { integrity: _integrity, ...rest } = metadata;
  return rest as EventMetadata;
}

/** The stored integrity of an event, or undefined when it has none of the expected shape. */
export function integrityOf(metadata: EventMetadata): EventIntegrity | undefined {
  const integrity = metadata.integrity as Partial<EventIntegrity> | undefined;
  if (typeof integrity !== 'object' || integrity === null) return undefined;
  const { previousHash, hash } = integrity;
  return typeof previousHash === 'string' && typeof hash === 'string' ? { previousHash, hash } : undefined;
}

/** A value as jsonb will give it back: JSON's own conversions applied, and undefined stored as null. */
export function asStored<T>(value: T): T {
  const text = value === undefined ? undefined : JSON.stringify(value);
  return (text === undefined ? null : JSON.parse(text)) as T;
}
