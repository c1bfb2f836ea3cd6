/**
 * What the schemas guarantee about an accepted event or record, without the per-type detail.
 *
 * The domain's `CaseEvent` (libs/domain/src/events/case-events.ts) is the precise type; the
 * validators take it as a type argument (`new CaseEventValidator<CaseEvent>()`), so this library
 * does not depend on the domain for its types and the domain stays the single source of them.
 */
export interface CaseEventEnvelope<TType extends string = string, TData extends object = Record<string, unknown>> {
  eventId: string;
  type: TType;
  authority: string;
  childId: string;
  familyId?: string;
  /** ISO 8601 instant with seconds and an offset. */
  occurredAt: string;
  source: string;
  data: TData;
}

/**
 * A decision as it is published on `transfer-events` and stored on the child's stream: the
 * domain's `Decision` with its envelope (contracts/events/decisions/<type>.schema.json).
 */
export interface DecisionRecord<TType extends string = string, TData extends object = Record<string, unknown>> {
  eventId: string;
  type: TType;
  authority: string;
  childId: string;
  familyId?: string;
  /** When the decision was made: ISO 8601 instant with seconds and an offset. */
  occurredAt: string;
  /** The event that caused the decision (usually a case event). */
  causationId: string;
  correlationId: string;
  data: TData;
}
