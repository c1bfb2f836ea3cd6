/**
 * Reading the global log in tests on a shared server.
 *
 * readAll shows an event only once every transaction older than its own has ended, and on a shared
 * PostgreSQL server another session (anyone's tests, in any database of the cluster) may hold one
 * open for a moment. So a single read can be short of what has committed: a delay, never a loss.
 * These helpers wait for that, bounded, so that a real loss still fails.
 */
import type { EventStore, GlobalCheckpoint, StoredEvent } from '../event-store.port';
import { START_CHECKPOINT } from '../event-store.port';
import type { SqlExecutor } from '../sql/sql-client';

export async function readToEnd(store: EventStore, after: GlobalCheckpoint): Promise<{ events: StoredEvent[]; checkpoint: GlobalCheckpoint }> {
  const events: StoredEvent[] = [];
  let checkpoint = after;
  for (;;) {
    const page = await store.readAll({ after: checkpoint, limit: 500 });
    if (page.events.length === 0) return { events, checkpoint };
    events.push(...page.events);
    checkpoint = page.checkpoint;
  }
}

/** Everything committed so far, read through readAll from the start, once all of it is visible. */
export async function readEverythingCommitted(target: { store: EventStore; sql: SqlExecutor }): Promise<{ events: StoredEvent[]; checkpoint: GlobalCheckpoint }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [{ committed }] = await target.sql.query<{ committed: number }>('SELECT count(*)::integer AS committed FROM events');
    const read = await readToEnd(target.store, START_CHECKPOINT);
    if (read.events.length === committed) return read;
    if (Date.now() > deadline) throw new Error(`readAll showed ${read.events.length} of ${committed} committed events`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** At least `count` events after `after` (use a head from readEverythingCommitted, so they are this test's). */
export async function waitUntilVisible(store: EventStore, after: GlobalCheckpoint, count: number): Promise<StoredEvent[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { events } = await readToEnd(store, after);
    if (events.length >= count) return events;
    if (Date.now() > deadline) throw new Error(`only ${events.length} of ${count} committed events became visible to readAll`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
