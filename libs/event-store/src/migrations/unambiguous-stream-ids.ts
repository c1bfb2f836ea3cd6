/**
 * Migration 5: every stream moves from `child-<authority>-<childId>` to the id `childStreamId` makes
 * now, `child/<authority>/<childId>` (libs/domain stream-id.ts). Under the old id (kent, east-C1) and
 * (kent-east, C1) shared one stream; each event goes to the stream its own metadata names, so such a
 * shared stream is split in two, each part numbered 1, 2 … in its old order.
 *
 * The hash chain covers the stream id and version (./integrity.ts), so moving an event means
 * re-hashing it. That is sound here only because of the order of the work, all in the migration's
 * transaction, with writers locked out: every chain is verified first (a store whose chains do not
 * verify is refused, unchanged), the new chains are derived from those verified events alone, and
 * the result is verified again before COMMIT. A change made to the store before the migration
 * therefore cannot be laundered into a valid new chain: it stops the migration.
 *
 * Also moved: `wakes` (one row per stream). Not touched: subscription checkpoints, which hold
 * (transaction id, global position) only, and neither changes; the read models, keyed by
 * (authority, child id). A process of the previous version must not run on after the migration:
 * it would go on appending under the old ids.
 */
import { childStreamId, InvalidAuthority } from '@cto/domain';
import type { EventMetadata } from '../event-store.port';
import { GENESIS_HASH, integrityHash, type EventIntegrity } from '../integrity';
import type { SqlExecutor } from '../sql/sql-client';
import { eventsInStreamOrder, verifyStore, type StoreVerification, type StreamOrderRow } from '../verify-store';

export const UNAMBIGUOUS_STREAM_IDS_VERSION = 5;

/** The migration found the store in a state it must not rewrite; nothing was changed. */
export class MigrationRefused extends Error {
  readonly code = 'MIGRATION_REFUSED';
  constructor(
    readonly version: number,
    readonly globalPosition: string,
    reason: string,
  ) {
    // The global position, not the stream id: a stream id holds a child id (STYLE.md "Logging").
    // `npm run store -- verify` names the stream to the operator who needs it.
    super(`migration ${version} refused, nothing was changed: the event at global position ${globalPosition} ${reason}`);
  }
}

const PAGE_SIZE = 1000;

/** The id the old code made; only to check that each event is on the stream its metadata names. */
const oldChildStreamId = (authority: string, childId: string): string => `child-${authority}-${childId}`;


interface Move {
  global_position: string;
  old_stream_id: string;
  stream_id: string;
  stream_version: number;
  integrity: EventIntegrity;
}

export async function moveToUnambiguousStreamIds(tx: SqlExecutor): Promise<void> {
  // No append or timer may land between the verification and the rewrite (a process of the old
  // version still running); readers may go on until the rewrite itself.
  await tx.query('LOCK TABLE events, wakes IN EXCLUSIVE MODE');

  refuseBroken(await verifyStore(tx, { pageSize: PAGE_SIZE }), 'is on a hash chain that does not verify; `npm run store -- verify` shows where');

  await tx.query(`
    CREATE TEMPORARY TABLE stream_moves (
      global_position bigint  PRIMARY KEY,
      old_stream_id   text    NOT NULL,
      stream_id       text    NOT NULL,
      stream_version  integer NOT NULL,
      integrity       jsonb   NOT NULL
    ) ON COMMIT DROP`);

  // The walk is verifyStore's: old stream, then version. Each new stream comes from one old stream
  // (its old id is a function of the same pair), so the heads of the old stream's parts suffice.
  let heads = new Map<string, { version: number; hash: string }>();
  let after = { streamId: '', streamVersion: 0 };
  for (;;) {
    const rows = await eventsInStreamOrder(tx, after, PAGE_SIZE);
    const moves: Move[] = [];
    for (const row of rows) {
      if (row.stream_id !== after.streamId) heads = new Map();
      after = { streamId: row.stream_id, streamVersion: Number(row.stream_version) };
      const metadata = JSON.parse(row.metadata) as EventMetadata;
      const streamId = newStreamIdOf(row, metadata);
      const head = heads.get(streamId);
      const previousHash = head?.hash ?? GENESIS_HASH;
      const version = (head?.version ?? 0) + 1;
      const hash = integrityHash(previousHash, { eventId: row.event_id, streamId, streamVersion: version, type: row.type, data: JSON.parse(row.data) as unknown, metadata });
      heads.set(streamId, { version, hash });
      moves.push({ global_position: row.global_position, old_stream_id: row.stream_id, stream_id: streamId, stream_version: version, integrity: { previousHash, hash } });
    }
    if (moves.length) {
      await tx.query(
        `INSERT INTO stream_moves (global_position, old_stream_id, stream_id, stream_version, integrity)
         SELECT global_position, old_stream_id, stream_id, stream_version, integrity
           FROM jsonb_to_recordset($1::jsonb)
             AS m(global_position bigint, old_stream_id text, stream_id text, stream_version integer, integrity jsonb)`,
        [JSON.stringify(moves)],
      );
    }
    if (rows.length < PAGE_SIZE) break;
  }

  // A timer belongs to each part of a split stream: supervising a stream with nothing due records nothing.
  await tx.query(`
    INSERT INTO wakes (stream_id, wake_on, updated_at)
    SELECT DISTINCT m.stream_id, w.wake_on, w.updated_at
      FROM wakes w JOIN stream_moves m ON m.old_stream_id = w.stream_id`);
  await tx.query('DELETE FROM wakes w USING (SELECT DISTINCT old_stream_id FROM stream_moves) m WHERE w.stream_id = m.old_stream_id');

  // The one rewrite of history the store allows itself; the trigger is back on before COMMIT (and a
  // failure rolls the whole transaction back, trigger state included).
  await tx.query('ALTER TABLE events DISABLE TRIGGER events_append_only');
  await tx.query(`
    UPDATE events e
       SET stream_id = m.stream_id,
           stream_version = m.stream_version,
           metadata = jsonb_set(e.metadata, '{integrity}', m.integrity)
      FROM stream_moves m
     WHERE e.global_position = m.global_position`);
  await tx.query('ALTER TABLE events ENABLE TRIGGER events_append_only');

  refuseBroken(await verifyStore(tx, { pageSize: PAGE_SIZE }), 'did not verify after its move (a fault in this migration)');
}

/** The event's new stream, from its own metadata; refused when that is not the stream it is on. */
function newStreamIdOf(row: StreamOrderRow, metadata: EventMetadata): string {
  const { authority, childId } = metadata;
  if (typeof authority !== 'string' || typeof childId !== 'string' || !childId) {
    throw new MigrationRefused(UNAMBIGUOUS_STREAM_IDS_VERSION, row.global_position, 'has no authority and child id in its metadata');
  }
  if (oldChildStreamId(authority, childId) !== row.stream_id) {
    throw new MigrationRefused(UNAMBIGUOUS_STREAM_IDS_VERSION, row.global_position, 'is not on the stream its authority and child id name');
  }
  try {
    return childStreamId(authority, childId);
  } catch (error) {
    if (error instanceof InvalidAuthority) throw new MigrationRefused(UNAMBIGUOUS_STREAM_IDS_VERSION, row.global_position, `names ${error.message}`);
    throw error;
  }
}

function refuseBroken(result: StoreVerification, reason: string): void {
  if (!result.ok) throw new MigrationRefused(UNAMBIGUOUS_STREAM_IDS_VERSION, result.globalPosition, `${reason} (${result.reason})`);
}
