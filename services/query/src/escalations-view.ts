/**
 * Escalations across children, for `GET /v1/escalations`: a projection of EscalationRaised and
 * EscalationResolved kept in memory and rebuilt from position 0 at every start (the log is the
 * record; this is only an index of it). The PostgreSQL read models with SQL views replace it when
 * the reporting read models land.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { DecisionDataByType, LocalDate } from '@cto/domain';
import { START_CHECKPOINT, type EventStore, type GlobalCheckpoint } from '@cto/event-store';
import { CONFIG, EVENT_STORE, STORE_WAKE, type RuntimeConfig } from '@cto/runtime';
import type { EventEmitter } from 'node:events';

export interface EscalationView {
  escalationId: string;
  authority: string;
  childId: string;
  transferId?: string;
  reason: DecisionDataByType['EscalationRaised']['reason'];
  rung: number;
  role: string;
  dueBy: LocalDate | null;
  about?: string;
  ruleId: string;
  citation: string;
  raisedAt: string;
  status: 'open' | 'resolved';
  resolvedAt?: string;
  resolution?: string;
}

@Injectable()
export class EscalationsView implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly byId = new Map<string, EscalationView>();
  private checkpoint: GlobalCheckpoint = START_CHECKPOINT;
  private reading?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly logger = new Logger('query');
  private readonly onWake = () => void this.refresh();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(STORE_WAKE) private readonly wake: EventEmitter,
    @Inject(CONFIG) private readonly config: RuntimeConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.wake.on('appended', this.onWake);
    const poll = () => {
      this.timer = setTimeout(() => void this.refresh().finally(() => this.stopped || poll()), this.config.pollIntervalMs);
    };
    poll();
  }

  /** In the background: a failed read is tried again at the next poll (a request reads for itself). */
  private async refresh(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.catchUp();
    } catch (error) {
      this.logger.warn(`escalations view could not read the log; retrying: ${(error as Error).name}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.wake.off('appended', this.onWake);
    clearTimeout(this.timer);
    await this.reading;
  }

  async list(filter: { authorities: string[]; status?: 'open' | 'resolved' }): Promise<EscalationView[]> {
    await this.catchUp();
    return [...this.byId.values()].filter((e) => filter.authorities.includes(e.authority) && (!filter.status || e.status === filter.status));
  }

  /** Reads everything visible in the log now; concurrent callers share one read. */
  catchUp(): Promise<void> {
    this.reading ??= this.readAll().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async readAll(): Promise<void> {
    for (;;) {
      const { events, checkpoint } = await this.store.readAll({ after: this.checkpoint, limit: 500 });
      if (!events.length) return;
      for (const e of events) {
        if (e.type === 'EscalationRaised' && e.metadata.kind === 'decision') {
          const d = e.data as DecisionDataByType['EscalationRaised'];
          const earlier = this.byId.get(d.escalationId);
          this.byId.set(d.escalationId, {
            escalationId: d.escalationId,
            authority: e.metadata.authority,
            childId: e.metadata.childId,
            ...(d.transferId ? { transferId: d.transferId } : {}),
            reason: d.reason,
            rung: d.rung,
            role: d.role,
            dueBy: d.dueBy,
            ...(d.about ? { about: d.about } : {}),
            ruleId: d.ruleId,
            citation: d.citation,
            raisedAt: earlier?.raisedAt ?? e.metadata.occurredAt,
            status: 'open',
          });
        } else if (e.type === 'EscalationResolved' && e.metadata.kind === 'decision') {
          const d = e.data as DecisionDataByType['EscalationResolved'];
          const open = this.byId.get(d.escalationId);
          if (open) this.byId.set(d.escalationId, { ...open, status: 'resolved', resolvedAt: e.metadata.occurredAt, resolution: d.resolution });
        }
      }
      this.checkpoint = checkpoint;
    }
  }
}
