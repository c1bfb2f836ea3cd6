/**
 * escalation: supervises each child — after every event recorded on its stream, and on the day its
 * durable timer comes due — and records what supervision decides (escalations raised, climbed and
 * resolved; AllocationRequired; BirthdayApproaching from the date of birth). The timer of a stream
 * is its next due day, kept in the database beside the events, so a restart loses none; it fires
 * by being deleted in the transaction that records its decisions, so none fires twice.
 */
import { Injectable } from '@nestjs/common';
import { localDateOf, supervise, type LocalDate } from '@cto/domain';
import type { EventStoreTransaction, StoredEvent, Wake } from '@cto/event-store';
import { CLOCK_SET, FollowerInfrastructure, LogFollower, toChildStreamEvent, type DecisionCause } from '@cto/runtime';

export const ESCALATION_SUBSCRIPTION = 'escalation';

@Injectable()
export class EscalationProcessor extends LogFollower {
  private timer?: NodeJS.Timeout;
  private firing?: Promise<void>;
  private stopped = true;
  private readonly onClockSet = () => void this.fireDueTimers();

  constructor(infrastructure: FollowerInfrastructure) {
    super(ESCALATION_SUBSCRIPTION, infrastructure);
  }

  /** Once per child per batch, after its last event: supervision looks at the whole stream. */
  protected async handleBatch(events: StoredEvent[], tx: EventStoreTransaction): Promise<void> {
    const last = new Map<string, StoredEvent>();
    for (const e of events) last.set(e.streamId, e);
    for (const [streamId, cause] of last) await this.superviseStream(tx, streamId, cause);
  }

  override onApplicationBootstrap(): void {
    this.stopped = false;
    super.onApplicationBootstrap();
    this.infrastructure.wake.on(CLOCK_SET, this.onClockSet);
    this.schedule();
  }

  override async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.infrastructure.wake.off(CLOCK_SET, this.onClockSet);
    clearTimeout(this.timer);
    await Promise.all([super.onApplicationShutdown(), this.firing]);
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
      const { currentVersion } = await tx.readStream(wake.streamId);
      // Unique per timer and per state of the stream, so ids never repeat even if the same day is set again.
      await this.superviseStream(tx, wake.streamId, { eventId: `wake:${wake.streamId}:${wake.wakeOn}:${currentVersion}` });
    });
    this.infrastructure.wake.emit('appended');
  }

  private async superviseStream(tx: EventStoreTransaction, streamId: string, cause: Pick<StoredEvent, 'eventId'> & Partial<Pick<StoredEvent, 'metadata'>>): Promise<void> {
    const { events, currentVersion } = await tx.readStream(streamId);
    if (!events.length) return;
    const { authority, childId, familyId } = events[0].metadata;
    const compiled = this.infrastructure.packs.forAuthority(authority);
    if (!compiled) return;
    const today = this.today();
    const { decisions, nextWake } = supervise(events.map(toChildStreamEvent), compiled, today, { authority, childId });
    const causedBy: DecisionCause = {
      eventId: cause.eventId,
      metadata: cause.metadata ?? { kind: 'decision', authority, childId, ...(familyId ? { familyId } : {}), occurredAt: this.infrastructure.clock.now() },
    };
    await this.record(tx, streamId, decisions, causedBy, currentVersion);
    await tx.scheduleWake(streamId, nextWake);
  }

  private today(): LocalDate {
    return localDateOf(this.infrastructure.clock.now());
  }
}
