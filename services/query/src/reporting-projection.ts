/**
 * The reporting read models in a Nest process: the projection follows the log in the background
 * (woken when something is appended, else polling), and the query side reads the rm_* tables.
 * Imported by the query service; the store is the one RuntimeModule opened, so on PGlite the
 * projection shares its single connection instead of opening another.
 */
import { Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { EventEmitter } from 'node:events';
import { SqlEventStore, SqlReadModelStore, type EventStore, type ReadModelStore } from '@cto/event-store';
import { backoffDelayMs } from '@cto/messaging';
import { CONFIG, EVENT_STORE, failureBackoff, STORE_WAKE, type RuntimeConfig } from '@cto/runtime';
import { READ_MODEL_STORE, ReadModelProjector, ReportingQueries } from '@cto/read-models';
import { EscalationMetrics } from './escalation-metrics';

/** The read models live beside the events, so they need the store's SQL client (both adapters are SqlEventStore). */
export function readModelStoreFor(store: EventStore): ReadModelStore {
  if (!(store instanceof SqlEventStore)) throw new Error('the reporting read models need the SQL event store (PostgreSQL or PGlite)');
  return new SqlReadModelStore(store.sql);
}

@Injectable()
export class ReportingProjection implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly projector: ReadModelProjector;
  private readonly logger = new Logger('read-models');
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private failures = 0;
  private readonly onWake = () => void this.refresh();

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(READ_MODEL_STORE) readModels: ReadModelStore,
    @Inject(STORE_WAKE) private readonly wake: EventEmitter,
    @Inject(CONFIG) private readonly config: RuntimeConfig,
  ) {
    this.projector = new ReadModelProjector({ store, readModels });
  }

  onApplicationBootstrap(): void {
    this.wake.on('appended', this.onWake);
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.wake.off('appended', this.onWake);
    clearTimeout(this.timer);
    await this.projector.idle();
  }

  /** Brings the tables up to the log now (a request calls this so it reads what it has just caused). */
  catchUp(): Promise<number> {
    return this.projector.catchUp();
  }

  private schedule(): void {
    if (this.stopped) return;
    // Back off while the store fails, so a database outage is not hammered.
    const delay = this.failures ? backoffDelayMs(this.failures, failureBackoff(this.config.pollIntervalMs)) : this.config.pollIntervalMs;
    this.timer = setTimeout(() => void this.refresh().finally(() => this.schedule()), delay);
  }

  private async refresh(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.projector.catchUp();
      this.failures = 0;
    } catch (error) {
      this.failures++;
      // The name only: a driver's message may quote row values, which can include child ids.
      this.logger.warn(`reporting projection failed (attempt ${this.failures}); it will be retried: ${(error as Error).name}`);
      this.logger.debug((error as Error).stack ?? String(error));
    }
  }
}

/** The read models' providers, imported by the query module. */
@Module({
  providers: [
    { provide: READ_MODEL_STORE, useFactory: readModelStoreFor, inject: [EVENT_STORE] },
    { provide: ReportingQueries, useFactory: (readModels: ReadModelStore) => new ReportingQueries(readModels), inject: [READ_MODEL_STORE] },
    ReportingProjection,
    EscalationMetrics,
  ],
  exports: [READ_MODEL_STORE, ReportingQueries, ReportingProjection],
})
export class ReadModelsModule {}
