/**
 * Follows the store's global log from a stored checkpoint and hands each batch to a handler inside
 * one transaction with the checkpoint move, so an effect and "done up to here" commit together:
 * after a crash the batch runs again from the old checkpoint, or not at all.
 *
 * The log, not a bus, is what services that decide follow: a fact answered with 202 is already
 * durable, and whatever follows it resumes from the checkpoint after a restart (README, "Design").
 */
import { Logger } from '@nestjs/common';
import type { EventStore, EventStoreTransaction, StoredEvent } from '@cto/event-store';
import { CheckpointConflict } from '@cto/event-store';
import { backoffDelayMs, type Backoff } from '@cto/messaging';
import type { EventEmitter } from 'node:events';

export interface StoreSubscriptionOptions {
  name: string;
  store: EventStore;
  /** Runs inside the transaction that also stores the checkpoint. Append through `tx` only. */
  handle: (events: StoredEvent[], tx: EventStoreTransaction) => Promise<void>;
  /** Runs before the checkpoint moves, outside a transaction: for at-least-once side effects (publishing). */
  beforeCheckpoint?: (events: StoredEvent[]) => Promise<void>;
  wake?: EventEmitter;
  pollIntervalMs: number;
  batchSize?: number;
}

/**
 * How long a follower of the log waits after failed catch-ups, so an outage of the store is not
 * hammered: twice the poll interval after the first failure, doubling to 30 s — or to the poll
 * interval itself when that is longer, so that failing never makes it look sooner than succeeding.
 * The reporting projection waits the same way.
 */
export function failureBackoff(pollIntervalMs: number): Backoff {
  return { initialMs: 2 * pollIntervalMs, maxMs: Math.max(30_000, pollIntervalMs) };
}

export class StoreSubscription {
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = true;
  private failures = 0;
  private readonly onWake = () => this.kick();

  constructor(private readonly options: StoreSubscriptionOptions) {
    this.logger = new Logger(`subscription:${options.name}`);
  }

  start(): void {
    this.stopped = false;
    this.options.wake?.on('appended', this.onWake);
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.options.wake?.off('appended', this.onWake);
    clearTimeout(this.timer);
    await this.running;
  }

  /** Resolves once everything visible in the log now has been handled (tests, shutdown). */
  async drain(): Promise<void> {
    while (!this.stopped) {
      await this.running;
      if (await this.caughtUp()) return;
      this.kick();
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Whether the checkpoint is past everything visible in the log now. */
  async caughtUp(): Promise<boolean> {
    const { events } = await this.options.store.readAll({ after: await this.options.store.loadCheckpoint(this.options.name), limit: 1 });
    return events.length === 0;
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.catchUp()
      .then(() => {
        this.failures = 0;
      })
      .catch((error: unknown) => {
        this.failures++;
        // Ids only: an error message from a handler may quote case data, so it goes to debug.
        this.logger.error(`batch failed (attempt ${this.failures}); it will be retried: ${(error as Error).name}`);
        this.logger.debug((error as Error).stack ?? String(error));
      })
      .finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        const delay = this.failures ? backoffDelayMs(this.failures, failureBackoff(this.options.pollIntervalMs)) : this.options.pollIntervalMs;
        if (this.again && !this.failures) {
          this.again = false;
          this.kick();
        } else {
          this.timer = setTimeout(() => this.kick(), delay);
        }
      });
  }

  private async catchUp(): Promise<void> {
    const { store, name, handle, beforeCheckpoint, batchSize = 100 } = this.options;
    for (;;) {
      if (this.stopped) return;
      const from = await store.loadCheckpoint(name);
      const { events, checkpoint } = await store.readAll({ after: from, limit: batchSize });
      if (!events.length) return;
      if (beforeCheckpoint) await beforeCheckpoint(events);
      try {
        await store.withCheckpoint(name, { from, to: checkpoint }, (tx) => handle(events, tx));
        // Whatever the handler appended is now visible to the other subscriptions.
        this.options.wake?.emit('appended');
      } catch (error) {
        // Another runner of the same subscription got there first: read again from where it is.
        if (error instanceof CheckpointConflict) continue;
        throw error;
      }
    }
  }
}
