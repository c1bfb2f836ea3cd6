import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import type { BusMessage, ReceivedMessage } from './bus.port';
import { encodeMessage, type EncodedMessage } from './message-encoding';

/**
 * Bus messages ⇄ Kafka records. The value is JSON text in UTF-8, as the in-process bus keeps it,
 * so a value that JSON changes (a Date becomes a string, undefined properties vanish) changes the
 * same way in both modes; keys and header values are UTF-8 strings.
 */

/** Encodes one message of a batch, or throws a TypeError naming it (nothing of the batch is sent). */
export const encodeRecord = (message: BusMessage, index: number): Message & EncodedMessage => encodeMessage(message, index);

export class UndecodableMessage extends Error {
  readonly code = 'UNDECODABLE_MESSAGE';
}

/**
 * A fresh decoded copy of a record, so no handler can change what another one (or its own next
 * attempt) sees. Throws UndecodableMessage for a record this bus did not write: a null value
 * (tombstone) or one that is not JSON. A header sent more than once gives its last value, as the
 * Java client's `lastHeader` does; a header with a null value is left out.
 */
export function decodeRecord(topic: string, partition: number, record: KafkaMessage): ReceivedMessage {
  if (record.value === null) throw new UndecodableMessage('the record has no value (a tombstone?)');
  let value: unknown;
  try {
    value = JSON.parse(record.value.toString('utf8'));
  } catch (error) {
    throw new UndecodableMessage(`the value is not JSON: ${(error as Error).message}`);
  }
  return {
    topic,
    partition,
    offset: record.offset,
    key: record.key === null ? '' : record.key.toString('utf8'),
    value,
    headers: decodeHeaders(record.headers),
  };
}

export function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const last = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (last === undefined || last === null) continue;
    decoded[name] = typeof last === 'string' ? last : last.toString('utf8');
  }
  return decoded;
}

/** The offset after `offset`: what a group commits once it is done with `offset`. */
export function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}
