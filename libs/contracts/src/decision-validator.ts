import type { DecisionRecord } from './envelopes';
import {
  fieldErrorsFromAjv,
  finishErrors,
  judged,
  unknownTypeReason,
  withoutTypeErrors,
  type FieldError,
  type Validation,
} from './field-error';
import { isJsonObject, structuralProblems } from './input-guard';
import { DEFAULT_SCHEMA_DIR, loadDecisionSchemas, type SchemaFamily } from './schema-catalogue';

/**
 * Checks a decision record against contracts/events/decisions/<type>.schema.json before it leaves
 * the system (the Kafka publisher) and in tests. Same result shape as `CaseEventValidator`.
 * `TRecord` is the type an accepted record is given.
 */
export class DecisionValidator<TRecord extends DecisionRecord<string, object> = DecisionRecord> {
  /** Every decision type the schemas define. */
  readonly decisionTypes: readonly string[];
  private readonly schemas: SchemaFamily;

  constructor(schemaDir: string = DEFAULT_SCHEMA_DIR) {
    this.schemas = loadDecisionSchemas(schemaDir);
    this.decisionTypes = this.schemas.types;
  }

  validate(record: unknown): Validation<TRecord> {
    if (!isJsonObject(record)) {
      return { ok: false, errors: [{ path: '', reason: 'must be a JSON object: a decision record' }] };
    }
    const { type } = record;
    const recordSchema = typeof type === 'string' ? this.schemas.byType.get(type) : undefined;
    let schemaErrors: FieldError[];
    let schemaValid: boolean;
    if (recordSchema !== undefined) {
      schemaValid = recordSchema(record);
      schemaErrors = schemaValid ? [] : fieldErrorsFromAjv(recordSchema.errors);
    } else {
      // Unknown type: its data cannot be checked, but the rest of the envelope still can.
      schemaValid = false;
      const envelopeErrors = this.schemas.envelope(record) ? [] : fieldErrorsFromAjv(this.schemas.envelope.errors);
      schemaErrors = withoutTypeErrors(envelopeErrors);
      if (type !== undefined) schemaErrors.push({ path: '/type', reason: unknownTypeReason('decision', type, this.decisionTypes) });
    }
    const eventId = schemaErrors.some((e) => e.path === '/eventId') ? undefined : (record.eventId as string);
    const structural = structuralProblems(record);
    return judged(schemaValid && structural.length === 0, finishErrors(structural, schemaErrors, eventId), record, eventId);
  }
}
