import { START_CHECKPOINT, type GlobalCheckpoint } from './event-store.port';

/**
 * A global reader's position is the pair (transaction id, global position) of the last event it
 * read, because that pair, not the position alone, is the order readAll returns events in (see
 * SqlEventStore.readAll). Callers treat the string as opaque; it is written "<transaction>:<position>"
 * so a person looking at subscription_checkpoints can still read it.
 */
export interface GlobalCheckpointParts {
  /** xid8 as a decimal string. */
  transactionId: string;
  /** bigint as a decimal string. */
  globalPosition: string;
}

export class InvalidCheckpoint extends Error {
  readonly code = 'INVALID_CHECKPOINT';
  constructor(readonly checkpoint: string) {
    super(`not a global checkpoint of this store: ${JSON.stringify(checkpoint)}`);
  }
}

const XID8_MAX = 2n ** 64n - 1n;
const BIGINT_MAX = 2n ** 63n - 1n;
const CHECKPOINT_FORMAT = /^(0|[1-9][0-9]{0,19}):(0|[1-9][0-9]{0,18})$/;

export function encodeGlobalCheckpoint(parts: GlobalCheckpointParts): GlobalCheckpoint {
  return `${parts.transactionId}:${parts.globalPosition}`;
}

/** START_CHECKPOINT is (0, 0): below every real transaction id (the first normal xid is 3). */
export function decodeGlobalCheckpoint(checkpoint: GlobalCheckpoint): GlobalCheckpointParts {
  if (checkpoint === START_CHECKPOINT) return { transactionId: '0', globalPosition: '0' };
  const match = CHECKPOINT_FORMAT.exec(checkpoint);
  if (!match) throw new InvalidCheckpoint(checkpoint);
  const [, transactionId, globalPosition] = match;
  // The pattern bounds the digits; this bounds the values, so the database never sees an out-of-range cast.
  if (BigInt(transactionId) > XID8_MAX || BigInt(globalPosition) > BIGINT_MAX) throw new InvalidCheckpoint(checkpoint);
  return { transactionId, globalPosition };
}
