import { BUS_BATCH_DEFAULTS, type BatchHandler, type MessageHandler, type SubscribeOptions } from './bus.port';

/**
 * SubscribeOptions checked once, for both adapters, and turned into what a subscriber does with a
 * delivery: one message at a time, or batches. The two shapes are a union so that no adapter can
 * dead-letter a batch or hand a single-message handler an array.
 */

export interface MessageDelivery {
  kind: 'message';
  handler: MessageHandler;
  deadLetterFailures: boolean;
}

export interface BatchDelivery {
  kind: 'batch';
  handler: BatchHandler;
  maxBatchSize: number;
}

export type Delivery = MessageDelivery | BatchDelivery;

export interface CheckedSubscription {
  topic: string;
  groupId: string;
  fromBeginning: boolean;
  delivery: Delivery;
}

/** Throws a TypeError for a missing or contradictory option, a RangeError for an impossible size. */
export function checkSubscribeOptions(options: SubscribeOptions): CheckedSubscription {
  const { topic, groupId, handler, batchHandler, maxBatchSize, fromBeginning = false, deadLetterFailures } = options;
  assertName('topic', topic);
  assertName('groupId', groupId);
  if (handler !== undefined && typeof handler !== 'function') throw new TypeError('subscribe: handler must be a function');
  if (batchHandler !== undefined && typeof batchHandler !== 'function') throw new TypeError('subscribe: batchHandler must be a function');
  if ((handler === undefined) === (batchHandler === undefined)) throw new TypeError('subscribe: give exactly one of handler and batchHandler');
  if (maxBatchSize !== undefined && !(Number.isInteger(maxBatchSize) && maxBatchSize >= 1)) {
    throw new RangeError(`subscribe: maxBatchSize must be a whole number ≥ 1 (got ${maxBatchSize})`);
  }

  if (handler !== undefined) {
    return { topic, groupId, fromBeginning, delivery: { kind: 'message', handler, deadLetterFailures: deadLetterFailures ?? true } };
  }
  // Silently retrying forever what the caller asked to have dead-lettered would hide poison.
  if (deadLetterFailures === true) {
    throw new TypeError('subscribe: a batch subscription is never dead-lettered for a throwing handler; deadLetterFailures: true cannot go with batchHandler');
  }
  return {
    topic,
    groupId,
    fromBeginning,
    delivery: { kind: 'batch', handler: batchHandler as BatchHandler, maxBatchSize: maxBatchSize ?? BUS_BATCH_DEFAULTS.maxBatchSize },
  };
}

export function assertName(what: string, name: unknown): void {
  if (typeof name !== 'string' || name.length === 0) throw new TypeError(`${what} must be a non-empty string`);
}
