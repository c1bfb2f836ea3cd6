/**
 * escalation: supervises each child — after every event recorded on its stream, and on the day its
 * durable timer comes due — and records what supervision decides (escalations raised, climbed and
 * resolved; AllocationRequired; BirthdayApproaching from the date of birth). The timer of a stream
 * is its next due day, kept in the database beside the events, so a restart loses none; it fires
 * by being deleted in the transaction that records its decisions, so none fires twice.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { localDateOf, supervise, type LocalDate } from '@cto/domain';
import type { EventStore, EventStoreTransaction, StoredEvent, Wake } from '@cto/event-store';
import type { PackRegistry } from '@cto/policy-packs';
import {
  CLOCK,
  CLOCK_SET,
  CONFIG,
  decisionEvents,
  EVENT_STORE,
  PACK_REGISTRY,
  STORE_WAKE,
  StoreSubscription,
  toChildStreamEvent,
  type Clock,
  type DecisionCause,
  type RuntimeConfig,
} from '@cto/runtime';
import type { EventEmitter } from 'node:events';

export const ESCALATION_SUBSCRIPTION = 'escalation';

@Injectable()
export class EscalationProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('escalation');
  readonly subscription: StoreSubscription;
  private timer?: NodeJS.Timeout;
  private firing?: Promise<void>;
  private stopped = true;
  private readonly onClockSet = () => void this.fireDueTimers();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PACK_REGISTRY) private readonly packs: PackRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(STORE_WAKE) private readonly wake: EventEmitter,
    @Inject(CONFIG) private readonly config: RuntimeConfig,
  ) {
    this.subscription = new StoreSubscription({
      name: ESCALATION_SUBSCRIPTION,
      store,
      wake,
      pollIntervalMs: config.pollIntervalMs,
      handle: async (events, tx) => {
        // Once per child per batch, after its last event: supervision looks at the whole stream.
        const last = new Map<string, StoredEvent>();
        for (const e of events) last.set(e.streamId, e);
        for (const [streamId, cause] of last) await this.superviseStream(tx, streamId, cause);
      },
    });
  }

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.subscription.start();
    this.wake.on(CLOCK_SET, this.onClockSet);
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.wake.off(CLOCK_SET, this.onClockSet);
    clearTimeout(this.timer);
    await Promise.all([this.subscription.stop(), this.firing]);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.fireDueTimers().finally(() => this.schedule()), this.config.pollIntervalMs);
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
        const due = await this.store.dueWakes(this.today(), 50);
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
    await this.store.withWake(wake, async (tx) => {
      const { currentVersion } = await tx.readStream(wake.streamId);
      // Unique per timer and per state of the stream, so ids never repeat even if the same day is set again.
      await this.superviseStream(tx, wake.streamId, { eventId: `wake:${wake.streamId}:${wake.wakeOn}:${currentVersion}` });
    });
    this.wake.emit('appended');
  }

  private async superviseStream(tx: EventStoreTransaction, streamId: string, cause: Pick<StoredEvent, 'eventId'> & Partial<Pick<StoredEvent, 'metadata'>>): Promise<void> {
    const { events, currentVersion } = await tx.readStream(streamId);
    if (!events.length) return;
    const { authority, childId, familyId } = events[0].metadata;
    const compiled = this.packs.forAuthority(authority);
    if (!compiled) return;
    const today = this.today();
    const { decisions, nextWake } = supervise(events.map(toChildStreamEvent), compiled, today, { authority, childId });
    if (decisions.length) {
      const causedBy: DecisionCause = {
        eventId: cause.eventId,
        metadata: cause.metadata ?? { kind: 'decision', authority, childId, ...(familyId ? { familyId } : {}), occurredAt: this.clock.now() },
      };
      await tx.appendToStream(streamId, decisionEvents(decisions, causedBy, this.clock.now()), { expectedVersion: currentVersion });
      for (const d of decisions) this.logger.log({ causationId: cause.eventId.startsWith('wake:') ? 'timer' : cause.eventId, decision: d.type }, 'decision recorded');
    }
    await tx.scheduleWake(streamId, nextWake);
  }

  private today(): LocalDate {
    return localDateOf(this.clock.now());
  }
}
