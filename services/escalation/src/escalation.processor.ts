/**
 * escalation: supervises each child — after every event recorded on its stream (it consumes both
 * recorded-facts and transfer-events, in consumer groups of its own), and on the day its durable
 * timer comes due — and records what supervision decides (escalations raised, climbed and
 * resolved; AllocationRequired; BirthdayApproaching from the date of birth). The timer of a stream
 * is its next due day, kept in the database beside the events, so a restart loses none; it fires
 * by being deleted in the transaction that records its decisions, so none fires twice, however many
 * instances poll for due timers.
 */
import { Controller, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { localDateOf, supervise, type LocalDate } from '@cto/domain';
import { type EventStoreTransaction, type StoredEvent, toChildStreamEvent, type Wake } from '@cto/event-store';
import { TOPICS, type ReceivedMessage } from '@cto/messaging';
import { ChildStreamConsumer, CLOCK_SET, type ChildStream, ConsumerInfrastructure, consumes, type DecisionCause } from '@cto/runtime';

export const ESCALATION_CONSUMER = 'escalation';

@Controller()
export class EscalationProcessor extends ChildStreamConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private firing?: Promise<void>;
  private stopped = true;
  private readonly onClockSet = () => void this.fireDueTimers();

  constructor(infrastructure: ConsumerInfrastructure) {
    super(ESCALATION_CONSUMER, infrastructure);
  }

  @EventPattern(TOPICS.recordedFacts, consumes({ groupId: `${ESCALATION_CONSUMER}.${TOPICS.recordedFacts}`, batches: true, fromBeginning: true }))
  onRecordedFacts(@Payload() messages: ReceivedMessage[]): Promise<void> {
    return this.handleBatch(messages, 'fact');
  }

  @EventPattern(TOPICS.transferEvents, consumes({ groupId: `${ESCALATION_CONSUMER}.${TOPICS.transferEvents}`, batches: true, fromBeginning: true }))
  onDecisions(@Payload() messages: ReceivedMessage[]): Promise<void> {
    return this.handleBatch(messages, 'decision');
  }

  /** Supervision looks at the whole stream after anything recorded on it. */
  protected concerns(): boolean {
    return true;
  }

  /** Once per child per batch: the cause of what it decides is the newest event it read. */
  protected async reconcileStream(tx: EventStoreTransaction, stream: ChildStream): Promise<number> {
    return this.superviseStream(tx, stream);
  }

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.infrastructure.wake.on(CLOCK_SET, this.onClockSet);
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.infrastructure.wake.off(CLOCK_SET, this.onClockSet);
    clearTimeout(this.timer);
    await this.firing;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.fireDueTimers().finally(() => this.schedule()), this.infrastructure.config.pollIntervalMs);
  }

  /** Fires every timer due today or earlier (resolves when done; tests and the admin clock await it). */
  fireDueTimers(): Promise<void> {
    this.firing ??= this.fireAll().finally(() => {
      this.firing = undefined;
    });
    return this.firing;
  }

  private async fireAll(): Promise<void> {
    try {
      for (;;) {
        if (this.stopped) return;
        const due = await this.infrastructure.store.dueWakes(this.today(), 50);
        if (!due.length) return;
        for (const wake of due) await this.fire(wake);
      }
    } catch (error) {
      // The timer stays in the table and is tried again at the next tick.
      this.logger.error(`timers failed; they will be retried: ${(error as Error).name}`);
      this.logger.debug((error as Error).stack ?? String(error));
    }
  }

  private async fire(wake: Wake): Promise<void> {
    await this.infrastructure.store.withWake(wake, async (tx) => {
      const stream = { streamId: wake.streamId, ...(await tx.readStream(wake.streamId)) };
      // Unique per timer and per state of the stream, so ids never repeat even if the same day is set again.
      await this.superviseStream(tx, stream, { eventId: `wake:${wake.streamId}:${wake.wakeOn}:${stream.currentVersion}` });
    });
    this.infrastructure.wake.emit('appended');
  }

  private async superviseStream(tx: EventStoreTransaction, { streamId, events, currentVersion }: ChildStream, timer?: Pick<StoredEvent, 'eventId'>): Promise<number> {
    if (!events.length) return currentVersion;
    const { authority, childId, familyId } = events[0].metadata;
    const compiled = this.infrastructure.packs.forAuthority(authority);
    if (!compiled) return currentVersion;
    const today = this.today();
    const { decisions, nextWake } = supervise(events.map(toChildStreamEvent), compiled, today, { authority, childId });
    // A timer is its own cause; otherwise the newest event read is (the batch that named the stream
    // may hold older ones, and a redelivery a different mix of them: the stream is what was judged).
    const newest = events.at(-1) as StoredEvent;
    const causedBy: DecisionCause = timer
      ? { eventId: timer.eventId, metadata: { kind: 'decision', authority, childId, ...(familyId ? { familyId } : {}), occurredAt: this.infrastructure.clock.now() } }
      : { eventId: newest.eventId, metadata: newest.metadata };
    const version = await this.record(tx, streamId, decisions, causedBy, currentVersion);
    await tx.scheduleWake(streamId, nextWake);
    return version;
  }

  private today(): LocalDate {
    return localDateOf(this.infrastructure.clock.now());
  }
}
