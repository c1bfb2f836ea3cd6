import {
  CheckpointConflict,
  DuplicateEventId,
  IDEMPOTENCY_KEY_HOURS,
  START_CHECKPOINT,
  StreamVersionConflict,
  type AppendOutcome,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type EventStoreTransaction,
  type ExpectedVersion,
  type GlobalCheckpoint,
  type IdempotencyScope,
  type IdempotentResponse,
  type NewEvent,
  type ReadAllResult,
  type StoredEvent,
  type StreamAppend,
  type Wake,
} from './event-store.port';
import { assertValidExpectedVersion, repeatedEventIds } from './expected-version';
import { decodeGlobalCheckpoint, encodeGlobalCheckpoint } from './global-checkpoint';
import { asStored, canonicalAroundVersion, withoutIntegrity } from './integrity';
import { TransactionFinished, type NamedStatement, type SqlClient, type SqlExecutor } from './sql/sql-client';

// Every value is cast to text in SQL so both drivers hand back the same strings, whatever type
// parsers they have configured: bigint and xid8 as decimal strings, jsonb as JSON text (parsed
// here), recorded_at in the exact shape of Date.prototype.toISOString.
const EVENT_COLUMNS = `
  event_id, stream_id, stream_version, type,
  data::text AS data, metadata::text AS metadata,
  global_position::text AS global_position,
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at`;

export type EventRow = {
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  data: string;
  metadata: string;
  global_position: string;
  recorded_at: string;
};

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    data: JSON.parse(row.data) as unknown,
    metadata: JSON.parse(row.metadata) as EventMetadata,
    streamId: row.stream_id,
    streamVersion: Number(row.stream_version),
    globalPosition: row.global_position,
    recordedAt: row.recorded_at,
  };
}

/**
 * The event store, written once in SQL over a SqlClient, so the PostgreSQL and PGlite adapters are
 * the same code (DESIGN.md "Contract": both must pass one suite). The store owns the client:
 * `close()` closes it.
 */
export class SqlEventStore implements EventStore {
  constructor(readonly sql: SqlClient) {}

  async appendToStream(streamId: string, events: NewEvent[], options: { expectedVersion: ExpectedVersion }): Promise<AppendResult> {
    assertAppendArguments(streamId, options.expectedVersion);
    const call = appendCall(streamId, events, options.expectedVersion);
    // One statement in its own transaction (autocommit): no BEGIN, no COMMIT.
    let answer: AppendAnswer;
    try {
      answer = await callAppend(this.sql, 'events_append', call);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // A clash with a row committed while we waited on the index: our statement rolled back whole,
      // and the store as it now is says whether an id or a version was taken.
      answer = await callAppend(this.sql, 'events_append_refusal', call);
    }
    return appendResultOf(answer, streamId, options.expectedVersion);
  }

  readStream(streamId: string): Promise<{ events: StoredEvent[]; currentVersion: number }> {
    return readStreamWith(this.sql, streamId);
  }

  /*
   * Why not simply "WHERE global_position > last position seen"?
   *
   * Positions come from a sequence and are handed out when a row is inserted, not when its
   * transaction commits. Writer A inserts and gets position 10; writer B inserts and gets 11; B
   * commits first. A reader that runs now sees 11 but not 10 (A is still open), moves its
   * checkpoint to 11, and when A commits a moment later, event 10 is behind the checkpoint: that
   * reader never sees it. For the outbox relay and the projections that is a lost decision.
   *
   * So the reader only returns rows written by transactions that have finished, and in an order in
   * which nothing can later appear behind what it has returned:
   *  - each row records the id of the transaction that wrote it (transaction_id, xid8);
   *  - pg_snapshot_xmin(pg_current_snapshot()) is the oldest transaction still running; every row
   *    whose transaction id is below it belongs to a transaction that has committed (or rolled back,
   *    and then its rows do not exist), and any transaction that starts from now on gets a larger id;
   *  - rows are returned in (transaction_id, global_position) order and the checkpoint is that pair,
   *    so a late committer is simply read later, in its place, and never skipped.
   * In the example, A's id is below B's, so while A is open the reader returns neither; after A
   * commits it returns 10, then 11.
   *
   * The price: any long transaction in the cluster holds every reader back until it ends (delay,
   * never loss), so transactions in this system stay short.
   */
  async readAll(options: { after: GlobalCheckpoint; limit: number }): Promise<ReadAllResult> {
    if (!Number.isSafeInteger(options.limit) || options.limit < 1) {
      throw new RangeError(`readAll limit must be a whole number ≥ 1, got ${String(options.limit)}`);
    }
    const after = decodeGlobalCheckpoint(options.after);
    // The page is taken first, by the (transaction_id, global_position) index, and the horizon
    // applied to it after: rows below the horizon are a prefix of that order, so the result is the
    // same as filtering first — but each page costs its own size, not the size of the rest of the
    // log (filtering first made the planner scan and sort everything after the checkpoint, so a
    // replay from position 0 was quadratic; bench/README.md, "Replay").
    // Columns are named with `events.` where they are compared or sorted: EVENT_COLUMNS gives the
    // text forms the same names, and a bare name in ORDER BY means the output column — sorting
    // "10" before "9" would let a checkpoint pass over events (and a transaction id 1000 before 999).
    const rows = await this.sql.query<EventRow & { transaction_id: string }>(
      `SELECT * FROM (
         SELECT ${EVENT_COLUMNS}, events.transaction_id AS xid, events.global_position AS position, events.transaction_id::text AS transaction_id
           FROM events
          WHERE (events.transaction_id, events.global_position) > ($1::xid8, $2::bigint)
          ORDER BY events.transaction_id, events.global_position
          LIMIT $3) page
        WHERE xid < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY xid, position`,
      [after.transactionId, after.globalPosition, options.limit],
    );
    const last = rows.at(-1);
    return {
      events: rows.map(toStoredEvent),
      checkpoint: last ? encodeGlobalCheckpoint({ transactionId: last.transaction_id, globalPosition: last.global_position }) : options.after,
    };
  }

  /**
   * For each stored subscription checkpoint, how many events readAll would still return after it:
   * the same visibility condition, so a transaction still open is not counted as lag yet.
   */
  async subscriptionLag(): Promise<Map<string, number>> {
    const rows = await this.sql.query<{ subscription: string; behind: string }>(
      `SELECT c.subscription, count(e.global_position)::text AS behind
         FROM subscription_checkpoints c
         LEFT JOIN events e
           ON e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
          AND (e.transaction_id, e.global_position) >
              (split_part(c.checkpoint, ':', 1)::xid8, coalesce(nullif(split_part(c.checkpoint, ':', 2), ''), '0')::bigint)
        GROUP BY c.subscription
        ORDER BY c.subscription`,
    );
    return new Map(rows.map((r) => [r.subscription, Number(r.behind)]));
  }

  findRecordedEventIds(authority: string, eventIds: string[]): Promise<Set<string>> {
    return findRecordedEventIdsWith(this.sql, authority, eventIds);
  }

  transaction<T>(work: (store: EventStoreTransaction) => Promise<T>): Promise<T> {
    return this.sql.transaction((tx) => inBoundStore(tx, work));
  }

  async findIdempotentResponse(scope: IdempotencyScope): Promise<IdempotentResponse | undefined> {
    const [row] = await this.sql.query<{ fingerprint: string; status: number; response: string }>(
      `SELECT fingerprint, status, response::text AS response FROM idempotency_keys
        WHERE authority = $1 AND principal = $2 AND route = $3 AND target = $4 AND key = $5
          AND created_at > now() - make_interval(hours => $6)`,
      [scope.authority, scope.principal, scope.route, scope.target, scope.key, IDEMPOTENCY_KEY_HOURS],
    );
    return row && { fingerprint: row.fingerprint, status: Number(row.status), body: JSON.parse(row.response) as unknown };
  }

  async loadCheckpoint(subscription: string): Promise<GlobalCheckpoint> {
    const [row] = await this.sql.query<{ checkpoint: string }>('SELECT checkpoint FROM subscription_checkpoints WHERE subscription = $1', [
      subscription,
    ]);
    return row?.checkpoint ?? START_CHECKPOINT;
  }

  async withCheckpoint<T>(
    subscription: string,
    move: { from: GlobalCheckpoint; to: GlobalCheckpoint },
    work: (store: EventStoreTransaction) => Promise<T>,
  ): Promise<T> {
    if (!subscription) throw new RangeError('withCheckpoint needs a subscription name');
    return this.sql.transaction(async (tx) => {
      // The row lock makes a second runner of the same subscription wait here, then compare against
      // what the first one stored (READ COMMITTED re-reads a locked row after the lock is released).
      const actual = await lockCheckpoint(tx, subscription);
      if (actual !== move.from) throw new CheckpointConflict(subscription, move.from, actual);

      const result = await inBoundStore(tx, work);
      await tx.query('UPDATE subscription_checkpoints SET checkpoint = $2, updated_at = now() WHERE subscription = $1', [
        subscription,
        move.to,
      ]);
      return result;
    });
  }

  async findTransferStream(transferId: string): Promise<string | undefined> {
    const [row] = await this.sql.query<{ stream_id: string }>(
      `SELECT stream_id FROM events WHERE type = 'TransferProposed' AND data->>'transferId' = $1 LIMIT 1`,
      [transferId],
    );
    return row?.stream_id;
  }

  async findEscalationStream(escalationId: string): Promise<string | undefined> {
    const [row] = await this.sql.query<{ stream_id: string }>(
      `SELECT stream_id FROM events WHERE type = 'EscalationRaised' AND data->>'escalationId' = $1 LIMIT 1`,
      [escalationId],
    );
    return row?.stream_id;
  }

  findFamilyStreams(authority: string, familyId: string): Promise<string[]> {
    return findFamilyStreamsWith(this.sql, authority, familyId);
  }

  async dueWakes(today: string, limit: number): Promise<Wake[]> {
    const rows = await this.sql.query<{ stream_id: string; wake_on: string }>(
      'SELECT stream_id, wake_on::text AS wake_on FROM wakes WHERE wake_on <= $1::date ORDER BY wake_on, stream_id LIMIT $2',
      [today, limit],
    );
    return rows.map((r) => ({ streamId: r.stream_id, wakeOn: r.wake_on }));
  }

  async withWake<T>(wake: Wake, work: (store: EventStoreTransaction) => Promise<T>): Promise<T | undefined> {
    return this.sql.transaction(async (tx) => {
      // The row lock makes a second runner wait, then find the row gone: each timer fires once.
      const taken = await tx.query('DELETE FROM wakes WHERE stream_id = $1 AND wake_on = $2::date RETURNING stream_id', [wake.streamId, wake.wakeOn]);
      if (!taken.length) return undefined;
      return inBoundStore(tx, work);
    });
  }

  /** Closes the underlying client; calling it again waits for the same close. */
  close(): Promise<void> {
    this.closing ??= this.sql.close();
    return this.closing;
  }

  private closing: Promise<void> | undefined;
}

/** Runs `work` on the open transaction through a store bound to it. */
async function inBoundStore<T>(tx: SqlExecutor, work: (store: EventStoreTransaction) => Promise<T>): Promise<T> {
  const store = new TransactionBoundEventStore(tx);
  try {
    const result = await work(store);
    await store.writeWakes();
    return result;
  } finally {
    // Whether work resolved or threw, an operation it started without awaiting may still be
    // running on this connection; COMMIT or ROLLBACK sent in between would leave that
    // operation's remaining statements to run outside any transaction. Refuse new ones, let
    // those already started finish (inside this transaction), then end it.
    store.finish();
    await store.settled();
  }
}

/**
 * The store handed to `withCheckpoint`'s work: the same SQL on the open transaction. Each append is
 * one call of events_append_guarded, which runs it in a subtransaction of its own (the savepoint the
 * client once sent, without its round trips), so that a refused append (conflict, duplicate, or
 * content the database cannot store) leaves nothing behind even when `work` catches the error and
 * carries on. Operations run one at a time because they share one connection.
 */
class TransactionBoundEventStore implements EventStoreTransaction {
  private tail: Promise<unknown> = Promise.resolve();
  /** Timers set by the work, written when it is done (scheduleWake). */
  private readonly wakes = new Map<string, string | undefined>();
  private finished = false;

  constructor(private readonly tx: SqlExecutor) {}

  appendToStream(streamId: string, events: NewEvent[], options: { expectedVersion: ExpectedVersion }): Promise<AppendResult> {
    return this.enqueue(async () => {
      assertAppendArguments(streamId, options.expectedVersion);
      const call = appendCall(streamId, events, options.expectedVersion);
      // The guarded function runs the append in a subtransaction of its own and reports any error
      // as a result: the transaction stays usable, as it did under a client savepoint.
      return appendResultOf(await callAppend(this.tx, 'events_append_guarded', call), streamId, options.expectedVersion);
    });
  }

  appendToStreams(appends: readonly StreamAppend[]): Promise<AppendOutcome[]> {
    return this.enqueue(async () => {
      for (const append of appends) assertAppendArguments(append.streamId, append.expectedVersion);
      const outcomes: AppendOutcome[] = new Array<AppendOutcome>(appends.length);
      // An append that repeats an id is refused here, as appendToStream refuses it, and not sent.
      const sent: { index: number; call: AppendCall }[] = [];
      appends.forEach(({ streamId, events, expectedVersion }, index) => {
        const repeated = repeatedEventIds(events);
        if (repeated.length > 0) outcomes[index] = { ok: false, error: new DuplicateEventId(repeated) };
        else sent.push({ index, call: appendCall(streamId, events, expectedVersion) });
      });
      if (sent.length === 0) return outcomes;
      // One call of events_append_each (migration 9), which runs events_append_guarded on each, in
      // this order: each append sees the rows of those before it, and a refused one keeps nothing.
      const [row] = await this.tx.query<{ result: string }>(APPEND_EACH, [eachArgument(sent.map((s) => s.call))]);
      const answer = JSON.parse(row.result) as AppendEachAnswer;
      if (answer.outcome === 'failed') {
        // Nothing of the call was kept (the function undid it all); say which append it was.
        const failed = answer.index === undefined ? undefined : appends[sent[answer.index].index];
        throw Object.assign(new Error(`${failed ? `append to ${failed.streamId}` : 'appendToStreams'} failed: ${answer.message}`), { code: answer.code });
      }
      answer.outcomes.forEach((each, k) => {
        const { index } = sent[k];
        outcomes[index] = appendOutcomeOf(each, appends[index].streamId, appends[index].expectedVersion);
      });
      return outcomes;
    });
  }

  readStream(streamId: string): Promise<{ events: StoredEvent[]; currentVersion: number }> {
    return this.enqueue(() => readStreamWith(this.tx, streamId));
  }

  readStreams(streamIds: readonly string[]): Promise<Map<string, { events: StoredEvent[]; currentVersion: number }>> {
    return this.enqueue(async () => {
      const streams = new Map(streamIds.map((id) => [id, { events: [] as StoredEvent[], currentVersion: 0 }]));
      if (!streams.size) return streams;
      // `= ANY(ARRAY(…))`, not `IN (SELECT …)`: the planner then stays on the (stream_id,
      // stream_version) index whatever it knows of the table. With `IN (SELECT
      // jsonb_array_elements_text …)` and no statistics yet (a new store, autovacuum not yet run)
      // it hashed the ids and read the whole table for every batch (bench/README.md, Import).
      const rows = await this.tx.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb))) ORDER BY stream_id, stream_version`,
        [JSON.stringify([...streams.keys()])],
      );
      for (const row of rows) {
        const stream = streams.get(row.stream_id)!;
        const event = toStoredEvent(row);
        stream.events.push(event);
        stream.currentVersion = event.streamVersion;
      }
      return streams;
    });
  }

  findFamilyStreams(authority: string, familyId: string): Promise<string[]> {
    return this.enqueue(() => findFamilyStreamsWith(this.tx, authority, familyId));
  }

  findEvents(authority: string, eventIds: string[]): Promise<StoredEvent[]> {
    return this.enqueue(async () => {
      if (!eventIds.length) return [];
      const rows = await this.tx.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE metadata->>'authority' = $1 AND event_id = ANY(ARRAY(SELECT jsonb_array_elements_text($2::jsonb)))`,
        [authority, JSON.stringify(eventIds)],
      );
      return rows.map(toStoredEvent);
    });
  }

  saveIdempotentResponse(scope: IdempotencyScope, response: IdempotentResponse): Promise<boolean> {
    return this.enqueue(async () => {
      // An expired key is taken over; a live one is not (the request that holds it committed first).
      const saved = await this.tx.query(
        `INSERT INTO idempotency_keys (authority, principal, route, target, key, fingerprint, status, response)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)
         ON CONFLICT (authority, principal, route, target, key) DO UPDATE
           SET fingerprint = EXCLUDED.fingerprint, status = EXCLUDED.status, response = EXCLUDED.response, created_at = now()
           WHERE idempotency_keys.created_at <= now() - make_interval(hours => $9)
         RETURNING key`,
        [scope.authority, scope.principal, scope.route, scope.target, scope.key, response.fingerprint, response.status, JSON.stringify(response.body), IDEMPOTENCY_KEY_HOURS],
      );
      return saved.length > 0;
    });
  }

  /**
   * Kept until the work is done and then written in at most two statements for the whole
   * transaction (writeWakes): a consumer's batch sets the timer of every child it supervised, and
   * a statement per child was a round trip per child. Nothing reads a timer inside the transaction
   * that set it; the last setting of a stream wins, as it would have row by row.
   */
  scheduleWake(streamId: string, wakeOn: string | undefined): Promise<void> {
    return this.enqueue(async () => {
      if (!streamId) throw new RangeError('scheduleWake needs a stream id');
      this.wakes.set(streamId, wakeOn);
    });
  }

  /** Writes the timers set during the work: the new days in one statement, the cleared ones in another. */
  writeWakes(): Promise<void> {
    return this.enqueue(async () => {
      const set = [...this.wakes].filter((w): w is [string, string] => w[1] !== undefined);
      const cleared = [...this.wakes].filter(([, wakeOn]) => wakeOn === undefined).map(([streamId]) => streamId);
      this.wakes.clear();
      if (set.length) {
        await this.tx.query(
          `INSERT INTO wakes (stream_id, wake_on)
           SELECT w->>0, (w->>1)::date FROM jsonb_array_elements($1::jsonb) w ORDER BY w->>0
           ON CONFLICT (stream_id) DO UPDATE SET wake_on = EXCLUDED.wake_on, updated_at = now()`,
          [JSON.stringify(set)],
        );
      }
      if (cleared.length) await this.tx.query('DELETE FROM wakes WHERE stream_id IN (SELECT jsonb_array_elements_text($1::jsonb))', [JSON.stringify(cleared)]);
    });
  }

  claimStreams(consumer: string, streamIds: readonly string[]): Promise<Map<string, number>> {
    return this.enqueue(async () => {
      assertConsumer(consumer);
      for (const streamId of streamIds) if (typeof streamId !== 'string' || !streamId) throw new RangeError('claimStreams needs non-empty stream ids');
      if (streamIds.length === 0) return new Map<string, number>();
      // One statement: each row is inserted at 0 or, when it exists, "updated" to itself, which locks
      // it (ON CONFLICT DO UPDATE takes the row lock and returns the row as it is after the lock).
      // Rows are taken in stream id order (DISTINCT, since DO UPDATE may not touch a row twice), so
      // two claimers of overlapping sets queue on the first row they share instead of deadlocking.
      // A claimer that meets a row another open transaction holds (inserted or locked) waits for it
      // to end and then, under READ COMMITTED, retries on the row's newest version: it reads what the
      // other one marked. (INSERT … DO NOTHING followed by SELECT … FOR UPDATE does the same in two
      // round trips; a CTE cannot, because its SELECT does not see a row another transaction
      // committed while this statement waited.)
      const rows = await this.tx.query<{ stream_id: string; handled_version: number }>(
        `INSERT INTO handled_streams AS h (consumer, stream_id)
         SELECT $1, ids.stream_id
           FROM (SELECT DISTINCT value AS stream_id FROM jsonb_array_elements_text($2::jsonb)) ids
          ORDER BY ids.stream_id
         ON CONFLICT (consumer, stream_id) DO UPDATE SET handled_version = h.handled_version
         RETURNING h.stream_id, h.handled_version`,
        [consumer, JSON.stringify(streamIds)],
      );
      return new Map(rows.map((row) => [row.stream_id, Number(row.handled_version)]));
    });
  }

  markHandled(consumer: string, marks: ReadonlyMap<string, number>): Promise<void> {
    return this.enqueue(async () => {
      assertConsumer(consumer);
      for (const [streamId, version] of marks) {
        if (!streamId) throw new RangeError('markHandled needs a stream id');
        if (!Number.isSafeInteger(version) || version < 0 || version > MAX_STREAM_VERSION) {
          throw new RangeError(`markHandled needs a stream version from 0 to ${MAX_STREAM_VERSION}, got ${String(version)}`);
        }
      }
      if (!marks.size) return;
      // In stream id order, as claimStreams takes the rows, so a writer of overlapping marks queues.
      await this.tx.query(
        `INSERT INTO handled_streams AS h (consumer, stream_id, handled_version)
         SELECT $1, m->>0, (m->>1)::integer FROM jsonb_array_elements($2::jsonb) m ORDER BY m->>0
         ON CONFLICT (consumer, stream_id) DO UPDATE SET handled_version = EXCLUDED.handled_version, updated_at = now()
          WHERE h.handled_version < EXCLUDED.handled_version`,
        [consumer, JSON.stringify([...marks])],
      );
    });
  }

  /** Resolves once every operation started so far has finished (successfully or not). */
  async settled(): Promise<void> {
    await this.tail;
  }

  finish(): void {
    this.finished = true;
  }

  private enqueue<R>(operation: () => Promise<R>): Promise<R> {
    if (this.finished) return Promise.reject(new TransactionFinished());
    const run = this.tail.then(operation);
    // The caller gets `run`'s outcome; the queue only needs to know it is over.
    this.tail = run.catch(() => undefined);
    return run;
  }
}

/** stream_version and handled_version are PostgreSQL integers. */
const MAX_STREAM_VERSION = 2_147_483_647;

function assertConsumer(consumer: string): void {
  if (typeof consumer !== 'string' || !consumer) throw new RangeError('a handled-streams consumer needs a name');
}

function assertAppendArguments(streamId: string, expectedVersion: ExpectedVersion): void {
  if (!streamId) throw new RangeError('appendToStream needs a stream id');
  assertValidExpectedVersion(expectedVersion);
}

/** What the append functions answer (migrations/append-function.ts). */
type AppendAnswer =
  | { outcome: 'appended'; version: number; positions: string[] }
  | { outcome: 'conflict'; version: number }
  | { outcome: 'duplicate'; eventIds: string[] }
  | { outcome: 'failed'; code: string; message: string };

/** The arguments of events_append (migrations/append-function.ts): NULL expects 'any', 0 'no-stream'. */
type AppendCall = [streamId: string, expected: number | null, events: string];

/**
 * Checks what can be checked without the database and prepares the one statement's arguments: each
 * event as stored (JSON's conversions applied, a caller's own `integrity` dropped, never kept), as
 * its canonical JSON cut around the stream version, which the database fills in and hashes.
 */
function appendCall(streamId: string, events: NewEvent[], expectedVersion: ExpectedVersion): AppendCall {
  const repeated = repeatedEventIds(events);
  if (repeated.length > 0) throw new DuplicateEventId(repeated);
  const parts = events.map((event) => {
    const { before, after } = canonicalAroundVersion({
      eventId: event.eventId,
      streamId,
      type: event.type,
      data: asStored(event.data),
      metadata: asStored(withoutIntegrity(event.metadata)),
    });
    return [before, after];
  });
  const expected = expectedVersion === 'any' ? null : expectedVersion === 'no-stream' ? 0 : expectedVersion;
  return [streamId, expected, JSON.stringify(parts)];
}

// Kept prepared on each pg connection: parsing and planning the call each time cost about a third
// of the function's own work (bench/README.md, "Event store append").
const APPEND = {
  events_append: { name: 'cto_events_append_v8', text: 'SELECT events_append($1, $2::bigint, $3)::text AS result' },
  events_append_guarded: { name: 'cto_events_append_guarded_v8', text: 'SELECT events_append_guarded($1, $2::bigint, $3)::text AS result' },
  events_append_refusal: { name: 'cto_events_append_refusal_v8', text: 'SELECT events_append_refusal($1, $2)::text AS result' },
} satisfies Record<string, NamedStatement>;

async function callAppend(sql: SqlExecutor, fn: keyof typeof APPEND, [streamId, expected, events]: AppendCall): Promise<AppendAnswer> {
  const [row] = await sql.query<{ result: string }>(APPEND[fn], fn === 'events_append_refusal' ? [streamId, events] : [streamId, expected, events]);
  return JSON.parse(row.result) as AppendAnswer;
}

const APPEND_EACH: NamedStatement = { name: 'cto_events_append_each_v9', text: 'SELECT events_append_each($1)::text AS result' };

/** events_append_each's answer: every append's own, in order, or the failure that undid the call. */
type AppendEachAnswer = { outcome: 'each'; outcomes: AppendAnswer[] } | { outcome: 'failed'; code: string; message: string; index?: number };

/**
 * events_append_each's argument: [[stream id, expected, events], …], each append's events put in as
 * the JSON they already are, not as a string of it (escaped again, it would be larger to send and parse).
 */
function eachArgument(calls: readonly AppendCall[]): string {
  return `[${calls.map(([streamId, expected, events]) => `[${JSON.stringify(streamId)},${JSON.stringify(expected)},${events}]`).join(',')}]`;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

function appendResultOf(answer: AppendAnswer, streamId: string, expectedVersion: ExpectedVersion): AppendResult {
  const outcome = appendOutcomeOf(answer, streamId, expectedVersion);
  if (outcome.ok) return outcome.result;
  throw outcome.error;
}

/** An append's answer as the port says it: recorded, or refused and why; an error is thrown. */
function appendOutcomeOf(outcome: AppendAnswer, streamId: string, expectedVersion: ExpectedVersion): AppendOutcome {
  switch (outcome.outcome) {
    case 'appended':
      return { ok: true, result: { nextExpectedVersion: outcome.version, globalPositions: outcome.positions } };
    case 'conflict':
      return { ok: false, error: new StreamVersionConflict(streamId, expectedVersion, outcome.version) };
    case 'duplicate':
      return { ok: false, error: new DuplicateEventId(outcome.eventIds) };
    case 'failed':
      // An error the guarded append caught in its subtransaction: nothing of it is kept, and the
      // caller's transaction is still usable.
      throw Object.assign(new Error(`append to ${streamId} failed: ${outcome.message}`), { code: outcome.code });
    default: {
      const unknown: never = outcome;
      throw new Error(`events_append answered ${JSON.stringify(unknown)}`);
    }
  }
}

async function findFamilyStreamsWith(sql: SqlExecutor, authority: string, familyId: string): Promise<string[]> {
  const rows = await sql.query<{ stream_id: string }>(
    `SELECT DISTINCT stream_id FROM events WHERE metadata ? 'familyId' AND metadata->>'familyId' = $2 AND metadata->>'authority' = $1 ORDER BY stream_id`,
    [authority, familyId],
  );
  return rows.map((r) => r.stream_id);
}

async function readStreamWith(sql: SqlExecutor, streamId: string): Promise<{ events: StoredEvent[]; currentVersion: number }> {
  const rows = await sql.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 ORDER BY stream_version`, [streamId]);
  const events = rows.map(toStoredEvent);
  return { events, currentVersion: events.at(-1)?.streamVersion ?? 0 };
}

async function findRecordedEventIdsWith(sql: SqlExecutor, authority: string, eventIds: string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const rows = await sql.query<{ event_id: string }>(
    // = ANY(ARRAY(…)) keeps the planner on the index without statistics (see readStreams).
    `SELECT event_id FROM events WHERE metadata->>'authority' = $1 AND event_id = ANY(ARRAY(SELECT jsonb_array_elements_text($2::jsonb)))`,
    [authority, JSON.stringify(eventIds)],
  );
  return new Set(rows.map((row) => row.event_id));
}

/** Locks the subscription's row (creating it at START_CHECKPOINT if absent) and returns its checkpoint. */
async function lockCheckpoint(tx: SqlExecutor, subscription: string): Promise<GlobalCheckpoint> {
  const select = 'SELECT checkpoint FROM subscription_checkpoints WHERE subscription = $1 FOR UPDATE';
  const [existing] = await tx.query<{ checkpoint: string }>(select, [subscription]);
  if (existing) return existing.checkpoint;
  // Two first runs may both get here: the second insert waits for the first and then does nothing,
  // and the select below returns what the first one committed.
  await tx.query('INSERT INTO subscription_checkpoints (subscription, checkpoint) VALUES ($1, $2) ON CONFLICT (subscription) DO NOTHING', [
    subscription,
    START_CHECKPOINT,
  ]);
  const [created] = await tx.query<{ checkpoint: string }>(select, [subscription]);
  return created.checkpoint;
}
