/**
 * Follows the store's global log and keeps the reporting tables: each batch is loaded, folded
 * (`foldReadModels`, pure) and written back in ONE transaction with the projection's checkpoint
 * (`ReadModelStore.project`), so after a crash a batch is applied again from the old checkpoint or
 * was applied with it — never twice, never lost. The log reader is transaction-visibility safe
 * (`readAll`), so an event that commits late is projected in its place, not skipped.
 */
import { CheckpointConflict, type EventStore, type ReadModelStore } from '@cto/event-store';
import { changedRows, foldReadModels, keysTouchedBy } from './fold';
import { loadRows, saveRows, truncateReadModels } from './sql-rows';

/** The checkpoint's name in subscription_checkpoints. */
export const REPORTING_PROJECTION = 'read-models:reporting';

export interface ReadModelProjectorOptions {
  store: EventStore;
  readModels: ReadModelStore;
  batchSize?: number;
}

export class ReadModelProjector {
  private running?: Promise<number>;

  constructor(private readonly options: ReadModelProjectorOptions) {}

  /**
   * Projects everything visible in the log now; resolves with the number of events read.
   * Concurrent callers in this process share one run; runners in other processes are kept apart by
   * the checkpoint (a batch another runner got to first is simply read again from its checkpoint).
   */
  catchUp(): Promise<number> {
    this.running ??= this.project().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Resolves when no run is in progress (shutdown waits for it instead of starting one). */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  /**
   * Empties the tables and forgets the checkpoint in one transaction, then projects from position
   * 0. A reader in between sees empty tables, never half-old, half-new rows.
   */
  async rebuild(): Promise<number> {
    await this.idle();
    await this.options.readModels.reset([REPORTING_PROJECTION], truncateReadModels);
    return this.catchUp();
  }

  private async project(): Promise<number> {
    const { store, readModels, batchSize = 500 } = this.options;
    let read = 0;
    for (;;) {
      const from = await store.loadCheckpoint(REPORTING_PROJECTION);
      const { events, checkpoint } = await store.readAll({ after: from, limit: batchSize });
      if (!events.length) return read;
      try {
        await readModels.project(REPORTING_PROJECTION, { from, to: checkpoint }, async (sql) => {
          const before = await loadRows(sql, keysTouchedBy(events));
          await saveRows(sql, changedRows(before, foldReadModels(before, events)));
        });
        read += events.length;
      } catch (error) {
        if (error instanceof CheckpointConflict) continue;
        throw error;
      }
    }
  }
}
