/**
 * What the deciding services (allocation, checklist, escalation) have in common. Each consumes the
 * recorded-facts and transfer-events topics in consumer groups of its own (DESIGN.md "Topology"),
 * so its instances split the partitions, and handles a partition's batch in one transaction:
 *
 * - the streams the batch names are claimed for the service (`claimStreams`): the row of each
 *   records how far the service has handled that child's history, and holds off another instance
 *   handling the same child until this transaction ends (during a rebalance two instances may
 *   briefly hold one partition's messages);
 * - a stream already handled up to a message's version is skipped: a redelivery, a message
 *   published twice, or one whose child a later message's reconciliation already covered;
 * - every other stream is read (all of them in one query), reconciled by the service's decider,
 *   its decisions appended at the version read, and the stream marked handled up to its new
 *   version — all in the same transaction, so a decision and the record that its cause was
 *   handled commit together;
 * - the appends of a batch are sent together, in one round trip (`appendToStreams`), once every
 *   stream is reconciled: one append per child was the largest share of a batch's statements (issue
 *   14: 20,700 of some 30,000 in an end-to-end run). Each keeps its own expected-version check; a
 *   stream another writer appended to meanwhile is reconciled again, read afresh, on its own.
 *
 * The bus commits the batch's offsets only after that transaction: a crash before it redelivers the
 * batch, a crash after it finds the streams marked. At-least-once delivery, exactly-once decisions.
 */
import { Inject, Injectable, Logger, UseFilters } from '@nestjs/common';
import type { Decision, PendingDecision } from '@cto/domain';
import { StreamVersionConflict, type EventStore, type EventStoreTransaction, type StoredEvent, type StreamAppend } from '@cto/event-store';
import { NO_WAIT, retryOrThrow, type ReceivedMessage } from '@cto/messaging';
import type { PackRegistry } from '@cto/policy-packs';
import type { EventEmitter } from 'node:events';
import type { Clock } from './clock';
import type { RuntimeConfig } from './config';
import { decisionEvents, pendingDecisionEvents, type DecisionCause } from './decision-envelope';
import { BusHandlerErrors } from './bus-transport';
import { logId } from './logging';
import { streamPositionOf, type StreamPosition } from './outbox-relay';
import { CLOCK, CONFIG, EVENT_STORE, PACK_REGISTRY, STORE_WAKE } from './tokens';

/** The infrastructure a consumer needs, injected once rather than in every service's constructor. */
@Injectable()
export class ConsumerInfrastructure {
  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    @Inject(PACK_REGISTRY) readonly packs: PackRegistry,
    @Inject(CLOCK) readonly clock: Clock,
    @Inject(STORE_WAKE) readonly wake: EventEmitter,
    @Inject(CONFIG) readonly config: RuntimeConfig,
  ) {}
}

/** A child's stream as read: its events in version order and its current version (0: none). */
export interface ChildStream {
  streamId: string;
  events: StoredEvent[];
  currentVersion: number;
}

/** How often one stream of a batch is reconciled afresh when another writer appended to it meanwhile. */
const CONFLICT_ATTEMPTS = 5;

/**
 * A batch's appends, held until every stream of it is reconciled: each with the stream whose
 * reconciliation made it (allocation appends to a sibling's stream too), and what to log once it
 * is recorded.
 */
interface HeldAppends {
  appends: (StreamAppend & { reconciled: string; log: () => void })[];
  /** The stream being reconciled, which the appends made meanwhile belong to. */
  reconciling?: string;
}

@UseFilters(BusHandlerErrors)
export abstract class ChildStreamConsumer {
  protected readonly logger: Logger;
  /** The appends held for each batch's transaction while its streams are reconciled (handleBatch). */
  private readonly held = new WeakMap<EventStoreTransaction, HeldAppends>();

  /** `consumer`: the name its progress is recorded under (the service; shared by its groups). */
  protected constructor(
    readonly consumer: string,
    protected readonly infrastructure: ConsumerInfrastructure,
  ) {
    this.logger = new Logger(consumer);
  }

  /** Whether an event of this kind and type may change what this service decides. */
  protected abstract concerns(event: Pick<StreamPosition, 'kind' | 'type'>): boolean;

  /**
   * Reconciles one child's stream, as read inside the batch's transaction, and appends what is
   * required at the version read. `handledUpTo`: the version this service had handled the stream
   * up to, so everything after it is new. Resolves to the stream's version after its own appends.
   */
  protected abstract reconcileStream(tx: EventStoreTransaction, stream: ChildStream, handledUpTo: number): Promise<number>;

  /** A partition's batch of recorded-facts (`fact`) or transfer-events (`decision`) messages, in one transaction. */
  async handleBatch(messages: readonly ReceivedMessage[], kind: StreamPosition['kind']): Promise<void> {
    const newest = new Map<string, number>();
    for (const message of messages) {
      const position = streamPositionOf(message, kind);
      if (!position) {
        // Not published by our outbox: nothing of it could be decided on. Ids only in the log.
        this.logger.warn({ topic: message.topic, partition: message.partition, offset: message.offset }, 'message without a stream position skipped');
        continue;
      }
      if (!this.concerns(position)) continue;
      newest.set(position.streamId, Math.max(newest.get(position.streamId) ?? 0, position.streamVersion));
    }
    if (!newest.size) return;
    await this.infrastructure.store.transaction(async (tx) => {
      const handled = await tx.claimStreams(this.consumer, [...newest.keys()]);
      // In stream id order, as the claims were taken: each append holds its stream's lock to the end
      // of the transaction, and two services' batches that appended to the same children in
      // different orders could deadlock (PostgreSQL would break it by failing one of them). A stream
      // reconciled again after a conflict is appended after the rest, out of that order; the rare
      // deadlock it can make fails the batch, which the bus redelivers.
      const due = [...newest]
        .filter(([streamId, version]) => version > (handled.get(streamId) ?? 0))
        .map(([streamId]) => streamId)
        .sort();
      const streams = await tx.readStreams(due);
      const marks = new Map<string, number>();
      const held: HeldAppends = { appends: [] };
      const again = new Set<string>();
      this.held.set(tx, held);
      try {
        for (const streamId of due) {
          held.reconciling = streamId;
          const before = held.appends.length;
          try {
            marks.set(streamId, await this.reconcileStream(tx, { streamId, ...streams.get(streamId)! }, handled.get(streamId) ?? 0));
          } catch (error) {
            if (!(error instanceof StreamVersionConflict)) throw error;
            // Found moved on while reconciling (a read of its own): reconciled again below, afresh.
            held.appends.length = before;
            again.add(streamId);
          }
        }
      } finally {
        this.held.delete(tx);
      }
      for (const streamId of await this.appendHeld(tx, held)) again.add(streamId);
      for (const streamId of [...again].sort()) marks.set(streamId, await this.reconcileAfresh(tx, streamId, handled.get(streamId) ?? 0));
      await tx.markHandled(this.consumer, marks);
    });
    // Whatever was appended is now visible to the outbox relay and the projections.
    this.infrastructure.wake.emit('appended');
  }

  /**
   * Sends a batch's held appends in one round trip and logs those recorded. Answers the streams to
   * reconcile again: those whose reconciliation made an append that found its stream moved on (a
   * concurrent writer: another service, a manager, a sibling's reconciliation in this batch). Any
   * other refusal fails the batch, as an append of its own would have.
   */
  private async appendHeld(tx: EventStoreTransaction, { appends }: HeldAppends): Promise<Set<string>> {
    const again = new Set<string>();
    if (!appends.length) return again;
    const outcomes = await tx.appendToStreams(appends);
    outcomes.forEach((outcome, i) => {
      if (outcome.ok) appends[i].log();
      else if (outcome.error instanceof StreamVersionConflict) again.add(appends[i].reconciled);
      else throw outcome.error;
    });
    return again;
  }

  /** A concurrent writer to the stream (another service, a manager) makes it run again, read afresh, its appends made at once. */
  private async reconcileAfresh(tx: EventStoreTransaction, streamId: string, handledUpTo: number): Promise<number> {
    return retryOrThrow(async () => this.reconcileStream(tx, { streamId, ...(await tx.readStream(streamId)) }, handledUpTo), {
      backoff: NO_WAIT,
      retryIf: (error, failures) => error instanceof StreamVersionConflict && failures < CONFLICT_ATTEMPTS,
    });
  }

  /**
   * Appends `events` at `expectedVersion` and resolves to the stream's version after them: held for
   * the batch's one round trip while handleBatch reconciles its streams, at once otherwise (a
   * stream reconciled again, a timer firing). `log` runs once they are recorded.
   */
  private async append(tx: EventStoreTransaction, streamId: string, events: StreamAppend['events'], expectedVersion: number, log: () => void): Promise<number> {
    const held = this.held.get(tx);
    if (held) {
      held.appends.push({ streamId, events, expectedVersion, reconciled: held.reconciling ?? streamId, log });
      return expectedVersion + events.length;
    }
    const { nextExpectedVersion } = await tx.appendToStream(streamId, events, { expectedVersion });
    log();
    return nextExpectedVersion;
  }

  /** Appends what a reconciling decider requires at the version read, and logs them by id only. */
  protected async recordRequired(tx: EventStoreTransaction, stream: readonly StoredEvent[], pending: readonly PendingDecision[], expectedVersion: number): Promise<number> {
    if (!pending.length) return expectedVersion;
    const events = pendingDecisionEvents(pending, stream, this.infrastructure.clock.now());
    return this.append(tx, stream[0].streamId, events, expectedVersion, () =>
      events.forEach((e, i) => this.logger.log({ eventId: e.eventId, decision: e.type, ruleId: pending[i].decision.data.ruleId }, 'decision recorded')),
    );
  }

  /** Appends decisions with one cause at the version read, and logs them by id only. */
  protected async record(tx: EventStoreTransaction, streamId: string, decisions: Decision[], cause: DecisionCause, expectedVersion: number): Promise<number> {
    if (!decisions.length) return expectedVersion;
    return this.append(tx, streamId, decisionEvents(decisions, cause, this.infrastructure.clock.now()), expectedVersion, () => {
      for (const d of decisions) {
        // A timer's cause names the stream (and so the child): "timer". Any other cause may be a client's
        // event id, which case-management systems often build from a child id: only its keyed hash.
        const causationId = cause.eventId.startsWith('wake:') ? 'timer' : logId(this.infrastructure.config, cause.eventId);
        this.logger.log({ causationId, decision: d.type, ruleId: d.data.ruleId }, 'decision recorded');
      }
    });
  }
}
