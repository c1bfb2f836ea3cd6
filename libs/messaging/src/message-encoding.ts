import type { BusMessage } from './bus.port';

/** A bus message as both adapters carry it: key, JSON text, string headers. */
export interface EncodedMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/**
 * JSON text, not structuredClone: Kafka carries bytes, so a value that JSON changes (a Date
 * becomes a string, undefined properties vanish) must change the same way in the in-process bus,
 * or code that works embedded would break distributed. It also copies, so producers and consumers
 * never share objects. Throws a TypeError naming the message of the batch (nothing of it is sent).
 */
export function encodeMessage(message: BusMessage, index: number): EncodedMessage {
  if (typeof message?.key !== 'string') throw new TypeError(`publish: message ${index}: key must be a string`);
  let value: string | undefined;
  try {
    value = JSON.stringify(message.value);
  } catch (error) {
    throw new TypeError(`publish: message ${index}: value cannot be encoded as JSON: ${(error as Error).message}`, { cause: error });
  }
  if (value === undefined) throw new TypeError(`publish: message ${index}: value cannot be encoded as JSON`);
  const headers: Record<string, string> = {};
  for (const [name, headerValue] of Object.entries(message.headers ?? {})) {
    if (typeof headerValue !== 'string') throw new TypeError(`publish: message ${index}: header ${name} must be a string`);
    headers[name] = headerValue;
  }
  return { key: message.key, value, headers };
}
