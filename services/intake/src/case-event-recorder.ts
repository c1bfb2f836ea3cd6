/**
 * The front door's write path: check every envelope against the contracts and the packs in force,
 * and only if all are good record each as a fact on its child's stream. A bad batch changes
 * nothing; a repeated eventId is accepted and has no second effect.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CaseEventValidator, FieldError, RejectedEvent } from '@cto/contracts';
import { childStreamId, type CaseEvent } from '@cto/domain';
import { DuplicateEventId, type EventStore } from '@cto/event-store';
import type { PackRegistry } from '@cto/policy-packs';
import { CASE_EVENT_VALIDATOR, CONFIG, EVENT_STORE, factEvent, InputRejected, logId, METRICS, PACK_REGISTRY, STORE_WAKE, type CaseEventSource, type Metrics, type RuntimeConfig } from '@cto/runtime';
import type { EventEmitter } from 'node:events';

export interface RecordedCaseEvent {
  eventId: string;
  /** recorded: stored now; duplicate: this eventId was already recorded, nothing changed. */
  status: 'recorded' | 'duplicate';
}

@Injectable()
export class CaseEventRecorder {
  private readonly logger = new Logger('intake');

  constructor(
    @Inject(CASE_EVENT_VALIDATOR) private readonly validator: CaseEventValidator<CaseEvent>,
    @Inject(PACK_REGISTRY) private readonly packs: PackRegistry,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(STORE_WAKE) private readonly wake: EventEmitter,
    @Inject(METRICS) private readonly metrics: Metrics,
    @Inject(CONFIG) private readonly config: RuntimeConfig,
  ) {}

  /** Every problem of a batch (contracts and packs in force); empty when all of it can be recorded. */
  check(body: unknown): { accepted: CaseEvent[]; problems: RejectedEvent[] } {
    const { accepted, rejected } = this.validator.validateBatch(body);
    const unknownAuthorities = accepted.flatMap((event, index) => {
      if (this.packs.forAuthority(event.authority)) return [];
      const error: FieldError = {
        eventId: event.eventId,
        path: '/authority',
        reason: `no policy pack is in force for authority '${event.authority}' (in force: ${this.packs.authorities().join(', ')})`,
      };
      return [{ index: Array.isArray(body) ? body.indexOf(event) : index, eventId: event.eventId, errors: [error] }];
    });
    return { accepted, problems: [...rejected, ...unknownAuthorities].sort((a, b) => a.index - b.index) };
  }

  /** HTTP: all of the batch or none of it. */
  async record(body: unknown): Promise<RecordedCaseEvent[]> {
    const { accepted, problems } = this.check(body);
    if (problems.length) {
      this.logger.log(`rejected a batch: ${problems.length} bad event(s), nothing recorded`);
      throw new InputRejected('invalid-case-events', 'some case events are invalid; none of this request was recorded', problems);
    }
    return this.recordAll(accepted, 'http');
  }

  async recordAll(events: CaseEvent[], source: CaseEventSource): Promise<RecordedCaseEvent[]> {
    const results: RecordedCaseEvent[] = [];
    for (const event of events) {
      try {
        await this.store.appendToStream(childStreamId(event.authority, event.childId), [factEvent(event)], { expectedVersion: 'any' });
        results.push({ eventId: event.eventId, status: 'recorded' });
        this.metrics.caseEventsRecorded(source, 1);
        this.logger.log({ eventId: logId(this.config, event.eventId), type: event.type, authority: event.authority }, 'case event recorded');
      } catch (error) {
        if (!(error instanceof DuplicateEventId)) throw error;
        results.push({ eventId: event.eventId, status: 'duplicate' });
      }
    }
    this.wake.emit('appended');
    return results;
  }
}
