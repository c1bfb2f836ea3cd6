import { CloudEvent, Kafka } from 'cloudevents';

/**
 * CloudEvents 1.0 attributes as Kafka headers, binary content mode (DESIGN.md "Contracts": the
 * envelope is the record's value, the attributes are `ce_*` headers, so generic CloudEvents
 * tooling can read our topics).
 *
 * Built with the `cloudevents` SDK: `new CloudEvent(…, strict)` checks the attributes against the
 * spec's schema (source a URI-reference, time RFC 3339, …) and `Kafka.binary` names the headers.
 * Three things of the SDK's output are left out, because the binding spec says otherwise or
 * because they would break replay:
 * - `ce_partitionkey`: the partition key is the record's key, not a header (binding §3.1);
 * - `ce_datacontenttype`: in binary mode the content type travels as `content-type` only (§3.2.1);
 * - headers with no value (the SDK lists every optional attribute, set or not).
 * And `time` is required here: the SDK would fill a missing one from the system clock, so the
 * same event published twice would differ. Pass the event's own time (`occurredAt`).
 */

export interface CloudEventAttributes {
  /** Unique per event: the envelope's `eventId` (consumers deduplicate on it). */
  id: string;
  /** The event type, e.g. `ICPCHeld` or `TransferProposed`. */
  type: string;
  /** A URI-reference naming the producer, e.g. `/case-transfer-orchestration/kent`. */
  source: string;
  /** When it happened, RFC 3339 (`occurredAt`), passed through as written. */
  time: string;
  /** What it is about, e.g. the stream id `child/kent/C-1029`. */
  subject?: string;
  /** Default `application/json`, which is what the bus writes. */
  datacontenttype?: string;
  dataschema?: string;
}

export function cloudEventHeadersFor(attributes: CloudEventAttributes): Record<string, string> {
  for (const name of ['id', 'type', 'source', 'time'] as const) {
    if (typeof attributes?.[name] !== 'string' || attributes[name].length === 0) {
      throw new TypeError(`cloudEventHeadersFor: ${name} must be a non-empty string`);
    }
  }
  const event = new CloudEvent(
    {
      specversion: '1.0',
      id: attributes.id,
      type: attributes.type,
      source: attributes.source,
      time: attributes.time,
      datacontenttype: attributes.datacontenttype ?? 'application/json',
      ...(attributes.subject !== undefined ? { subject: attributes.subject } : {}),
      ...(attributes.dataschema !== undefined ? { dataschema: attributes.dataschema } : {}),
    },
    true,
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(Kafka.binary(event).headers)) {
    if (value === undefined || value === null || name === 'ce_partitionkey' || name === 'ce_datacontenttype') continue;
    headers[name] = String(value);
  }
  return headers;
}
