/**
 * The front door's write path: check every envelope against the contracts and the packs in force,
 * and only if all are good record each as a fact on its child's stream, the whole batch in one
 * transaction. A bad batch changes nothing; a repeated eventId with the same content is accepted
 * and has no second effect; an authority's eventId reused for a different fact is refused (409).
 */
import { HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import canonicalize from 'canonicalize';
import type { CaseEventValidator, FieldError, RejectedEvent } from '@cto/contracts';
import { childStreamId, type CaseEvent } from '@cto/domain';
import { caseEventOf, DuplicateEventId, type EventStore, type EventStoreTransaction, factEvent, type StoredEvent } from '@cto/event-store';
import type { PackRegistry } from '@cto/policy-packs';
import { CASE_EVENT_VALIDATOR, CONFIG, EVENT_STORE, InputRejected, logId, METRICS, PACK_REGISTRY, STORE_WAKE, type CaseEventSource, type Metrics, type RuntimeConfig } from '@cto/runtime';
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

  /**
   * Records the batch in one transaction: all of it, or — when an event reuses one of its
   * authority's ids for a different fact (EventIdReused) — none of it. An id recorded before with
   * the same content is a retry: `duplicate`, with no second effect.
   */
  async recordAll(events: CaseEvent[], source: CaseEventSource): Promise<RecordedCaseEvent[]> {
    const results = await this.store.transaction(async (tx) => {
      // The whole batch in one round trip (bench/README.md, end-to-end): each fact its own append,
      // so an id refused as already recorded keeps nothing of that fact and undoes none of the others.
      const outcomes = await tx.appendToStreams(
        events.map((event) => ({ streamId: childStreamId(event.authority, event.childId), events: [factEvent(event)], expectedVersion: 'any' as const })),
      );
      const refused = events.filter((_, index) => {
        const outcome = outcomes[index];
        if (outcome.ok) return false;
        if (!(outcome.error instanceof DuplicateEventId)) throw outcome.error;
        return true;
      });
      const recorded = await this.recordedUnder(tx, refused);
      const answered: RecordedCaseEvent[] = [];
      const reused: { index: number; eventId: string; errors: FieldError[] }[] = [];
      for (const [index, event] of events.entries()) {
        if (outcomes[index].ok) {
          answered.push({ eventId: event.eventId, status: 'recorded' });
          continue;
        }
        const existing = recorded.get(event.authority)?.get(event.eventId);
        if (existing && sameFact(existing, event)) answered.push({ eventId: event.eventId, status: 'duplicate' });
        else reused.push({ index, eventId: event.eventId, errors: [{ eventId: event.eventId, path: '/eventId', reason: REUSED_REASON }] });
      }
      if (reused.length) throw new EventIdReused(reused);
      return answered;
    });
    events.forEach((event, i) => {
      if (results[i].status !== 'recorded') return;
      this.metrics.caseEventsRecorded(source, 1);
      this.logger.log({ eventId: logId(this.config, event.eventId), type: event.type, authority: event.authority }, 'case event recorded');
    });
    this.wake.emit('appended');
    return results;
  }

  /** What each refused fact's authority recorded under its id: one lookup per authority in the batch. */
  private async recordedUnder(tx: EventStoreTransaction, refused: readonly CaseEvent[]): Promise<Map<string, Map<string, StoredEvent>>> {
    const idsByAuthority = new Map<string, string[]>();
    for (const event of refused) {
      const eventIds = idsByAuthority.get(event.authority) ?? [];
      eventIds.push(event.eventId);
      idsByAuthority.set(event.authority, eventIds);
    }
    const recorded = new Map<string, Map<string, StoredEvent>>();
    for (const [authority, eventIds] of idsByAuthority) {
      recorded.set(authority, new Map((await tx.findEvents(authority, eventIds)).map((stored) => [stored.eventId, stored])));
    }
    return recorded;
  }
}

const REUSED_REASON = "this authority has already recorded a different case event under this eventId: an eventId names one fact; send a new id for a new fact";

/**
 * `409 event-id-reused`: an id the authority already used for another fact. Refused rather than
 * answered `duplicate`, so a client whose id scheme repeats learns it at once instead of losing the
 * second fact quietly; nothing of the batch is recorded.
 */
export class EventIdReused extends HttpException {
  constructor(readonly events: { index: number; eventId: string; errors: FieldError[] }[]) {
    super({ error: 'event-id-reused', message: `eventId already used for a different case event: ${events.map((e) => e.eventId).join(', ')}; none of this request was recorded`, errors: events }, HttpStatus.CONFLICT);
  }
}

/** The same fact: everything the case-management system sent is as it was recorded. */
function sameFact(stored: StoredEvent, event: CaseEvent): boolean {
  return canonicalize(caseEventOf(stored)) === canonicalize(asSent(event));
}

/** An envelope as `caseEventOf` rebuilds it from the store (a JSON round trip, no undefined fields). */
const asSent = (event: CaseEvent): unknown => JSON.parse(JSON.stringify({ ...event, source: event.source ?? 'unknown' })) as unknown;
