import type { CaseEventEnvelope } from './envelopes';
import {
  fieldErrorsFromAjv,
  finishErrors,
  judged,
  unknownTypeReason,
  withoutTypeErrors,
  type FieldError,
  type Validation,
} from './field-error';
import { isJsonObject, structuralProblems, type JsonObject } from './input-guard';
import { DEFAULT_SCHEMA_DIR, loadCaseEventSchemas, type SchemaFamily } from './schema-catalogue';

/** At most this many events in one request (HTTP body or Kafka batch). */
export const MAX_BATCH_SIZE = 500;

/** `index` -1 stands for the batch as a whole (empty, too large); otherwise the event's position. */
export interface RejectedEvent {
  index: number;
  eventId?: string;
  errors: FieldError[];
}

export interface BatchValidation<TEvent> {
  accepted: TEvent[];
  rejected: RejectedEvent[];
}

/**
 * The edge check for incoming case events (DESIGN.md "The case-event envelope"): the envelope
 * against contracts/events/case-event-envelope.schema.json and `data` against
 * contracts/events/case/<type>.schema.json. Every problem is reported, not the first, each with
 * its JSON Pointer and a plain-English reason (STYLE.md "Errors").
 *
 * The schemas are read and compiled once, here; `validate` does no IO. `TEvent` is the type an
 * accepted event is given, normally the domain's `CaseEvent`.
 */
export class CaseEventValidator<TEvent extends CaseEventEnvelope<string, object> = CaseEventEnvelope> {
  /** Every case event type the schemas define. */
  readonly eventTypes: readonly string[];
  private readonly schemas: SchemaFamily;

  constructor(schemaDir: string = DEFAULT_SCHEMA_DIR) {
    this.schemas = loadCaseEventSchemas(schemaDir);
    this.eventTypes = this.schemas.types;
  }

  validate(input: unknown): Validation<TEvent> {
    if (!isJsonObject(input)) {
      return { ok: false, errors: [{ path: '', reason: 'must be a JSON object: a case-event envelope' }] };
    }
    const envelopeValid = this.schemas.envelope(input);
    const envelopeErrors = envelopeValid ? [] : fieldErrorsFromAjv(this.schemas.envelope.errors);
    const typeAndData = this.typeAndData(input);
    const schemaErrors = [...withoutTypeErrors(envelopeErrors), ...typeAndData.errors];
    const eventId = schemaErrors.some((e) => e.path === '/eventId') ? undefined : (input.eventId as string);
    const structural = structuralProblems(input);
    const valid = envelopeValid && typeAndData.valid && structural.length === 0;
    return judged(valid, finishErrors(structural, schemaErrors, eventId), input, eventId);
  }

  /** One envelope or an array of them (1 to MAX_BATCH_SIZE); each event stands or falls alone. */
  validateBatch(input: unknown): BatchValidation<TEvent> {
    if (!Array.isArray(input)) return this.collect([input]);
    if (input.length === 0) {
      return { accepted: [], rejected: [{ index: -1, errors: [{ path: '', reason: 'must contain at least one case event' }] }] };
    }
    if (input.length > MAX_BATCH_SIZE) {
      const reason = `has ${input.length} case events; at most ${MAX_BATCH_SIZE} are accepted at once`;
      return { accepted: [], rejected: [{ index: -1, errors: [{ path: '', reason }] }] };
    }
    return this.collect(input);
  }

  private collect(events: readonly unknown[]): BatchValidation<TEvent> {
    const result: BatchValidation<TEvent> = { accepted: [], rejected: [] };
    events.forEach((candidate, index) => {
      const validation = this.validate(candidate);
      if (validation.ok) {
        result.accepted.push(validation.event);
      } else {
        const eventId = validation.errors[0].eventId;
        result.rejected.push(eventId === undefined ? { index, errors: validation.errors } : { index, eventId, errors: validation.errors });
      }
    });
    return result;
  }

  // The type gets one clear error of ours instead of ajv's enum listing; `data` is checked against
  // its type's schema only when the type is known and `data` is an object.
  // (A missing type, or data that is not an object, is the envelope schema's to refuse.)
  private typeAndData(input: JsonObject): { valid: boolean; errors: FieldError[] } {
    const { type, data } = input;
    if (type === undefined) return { valid: true, errors: [] };
    const dataSchema = typeof type === 'string' ? this.schemas.byType.get(type) : undefined;
    if (dataSchema === undefined) return { valid: false, errors: [{ path: '/type', reason: unknownTypeReason('event', type, this.eventTypes) }] };
    if (!isJsonObject(data) || dataSchema(data)) return { valid: true, errors: [] };
    return { valid: false, errors: fieldErrorsFromAjv(dataSchema.errors, '/data') };
  }
}
