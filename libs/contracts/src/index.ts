// Edge contracts: JSON Schema checks of case events coming in and decisions going out
// (contracts/events). No framework imports: services wrap these in their own pipes and consumers.
export { CaseEventValidator, MAX_BATCH_SIZE } from './case-event-validator';
export type { BatchValidation, RejectedEvent } from './case-event-validator';
export { DecisionValidator } from './decision-validator';
export type { CaseEventEnvelope, DecisionRecord } from './envelopes';
export { MAX_ERRORS_PER_EVENT, pointerTo } from './field-error';
export type { FieldError, Validation } from './field-error';
export { FORBIDDEN_KEYS, isJsonObject, MAX_DEPTH, structuralProblems } from './input-guard';
export { ContractSchemaError, DEFAULT_SCHEMA_DIR } from './schema-catalogue';
