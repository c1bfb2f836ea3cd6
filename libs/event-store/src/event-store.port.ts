/**
 * The append-only event store port (DESIGN.md "Storage"). One stream per child
 * (`child/<authority>/<childId>`, made only by `childStreamId` in @cto/domain), a global position
 * across all streams, optimistic concurrency per stream, idempotency by `eventId`.
 */

export interface EventMetadata {
  /** fact: reported by a case-management system; decision: concluded by this system. */
  kind: 'fact' | 'decision';
  authority: string;
  childId: string;
  familyId?: string;
  /** When it happened (facts) or was decided (decisions): ISO instant. */
  occurredAt: string;
  source?: string;
  /** The event that caused this one (decisions). */
  causationId?: string;
  correlationId?: string;
  [key: string]: unknown;
}

export interface NewEvent {
  eventId: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
}

export interface StoredEvent extends NewEvent {
  streamId: string;
  /** 1 for the first event of a stream. */
  streamVersion: number;
  /** Global order of commit-visible events; a decimal string because it is a bigint. */
  globalPosition: string;
  /** When the store recorded it: ISO instant. */
  recordedAt: string;
}

/** 'no-stream': the stream must not exist yet; 'any': no check; a number: the current version must equal it. */
export type ExpectedVersion = number | 'no-stream' | 'any';

export interface AppendResult {
  /** The stream's version after the append. */
  nextExpectedVersion: number;
  globalPositions: string[];
}

/** Where a global reader has got to. Opaque to callers: store it and pass it back. */
export type GlobalCheckpoint = string;

export interface ReadAllResult {
  events: StoredEvent[];
  /** Pass to the next readAll; unchanged when nothing new is visible. */
  checkpoint: GlobalCheckpoint;
}

export interface EventStore {
  /**
   * Appends in one transaction. Throws StreamVersionConflict when `expectedVersion` is stale and
   * DuplicateEventId when any eventId is already recorded for the same authority (an event's
   * identity is its `metadata.authority` and its eventId); in both cases nothing is written.
   */
  appendToStream(streamId: string, events: NewEvent[], options: { expectedVersion: ExpectedVersion }): Promise<AppendResult>;
  /** The stream in version order, and its current version (0 when it does not exist). */
  readStream(streamId: string): Promise<{ events: StoredEvent[]; currentVersion: number }>;
  /**
   * Events after `checkpoint` (START_CHECKPOINT for the beginning) in a global order that never
   * skips an event whose transaction commits late: only events below the oldest transaction
   * still in progress are returned.
   */
  readAll(options: { after: GlobalCheckpoint; limit: number }): Promise<ReadAllResult>;
  /** Which of these ids are already recorded for the authority. */
  findRecordedEventIds(authority: string, eventIds: string[]): Promise<Set<string>>;
  /**
   * Runs `work` in one transaction: everything it appends through the store it is given is
   * recorded together, or nothing is (an error from `work` rolls all of it back).
   */
  transaction<T>(work: (store: EventStoreTransaction) => Promise<T>): Promise<T>;
  /** A request's first outcome under its Idempotency-Key, while the key is kept (see IdempotentResponse). */
  findIdempotentResponse(scope: IdempotencyScope): Promise<IdempotentResponse | undefined>;
  /** Subscription checkpoints (projections, relay, consumers), stored beside the events. */
  loadCheckpoint(subscription: string): Promise<GlobalCheckpoint>;
  /**
   * Runs `work` and stores the subscription's new checkpoint in the same transaction as the events
   * `work` appends through the store it is given, so a crash can neither lose nor repeat an effect.
   * The stored checkpoint must still be `move.from` (another runner moved it: CheckpointConflict,
   * and nothing of `work` is kept).
   */
  withCheckpoint<T>(
    subscription: string,
    move: { from: GlobalCheckpoint; to: GlobalCheckpoint },
    work: (store: EventStoreTransaction) => Promise<T>,
  ): Promise<T>;
  /** The stream of the child a transfer was proposed for, or undefined when no such transfer exists. */
  findTransferStream(transferId: string): Promise<string | undefined>;
  /** The stream an escalation was raised on (a manager escalating by hand names the escalation, not the child). */
  findEscalationStream(escalationId: string): Promise<string | undefined>;
  /** The streams of an authority's children recorded with this family id (siblings), in id order. */
  findFamilyStreams(authority: string, familyId: string): Promise<string[]>;
  /** Streams whose durable timer is due on or before `today` (a business date, YYYY-MM-DD), earliest first. */
  dueWakes(today: string, limit: number): Promise<Wake[]>;
  /**
   * Fires one timer: removes it and runs `work` in the same transaction, so what `work` appends and
   * the timer's end commit together. Returns undefined without running `work` when the timer was
   * already fired or moved (by another runner, or a newer schedule).
   */
  withWake<T>(wake: Wake, work: (store: EventStoreTransaction) => Promise<T>): Promise<T | undefined>;
  close(): Promise<void>;
}

/** A durable timer: the day a stream next needs attention. */
export interface Wake {
  streamId: string;
  wakeOn: string;
}

/** One append of an `appendToStreams` call: what appendToStream takes. */
export interface StreamAppend {
  streamId: string;
  events: NewEvent[];
  expectedVersion: ExpectedVersion;
}

/** What became of one append of an `appendToStreams` call: recorded, or refused and why. */
export type AppendOutcome = { ok: true; result: AppendResult } | { ok: false; error: StreamVersionConflict | DuplicateEventId };

/** The subset of the store usable inside `withCheckpoint`'s, `withWake`'s and `transaction`'s transactions. */
export interface EventStoreTransaction extends Pick<EventStore, 'appendToStream' | 'readStream' | 'findFamilyStreams'> {
  /**
   * Several appends in one round trip, in order, inside the open transaction, each with the
   * guarantees of appendToStream (expected version, hash chain, ids unique per authority). Each
   * append is all-or-nothing on its own: the result says, per append, whether it was recorded or
   * refused and why; a refused one leaves nothing behind and does not undo the others. Appends to
   * the same stream build on each other in order ('any', or versions that follow on).
   * An append that is not a refusal but an error (arguments appendToStream would refuse with a
   * RangeError, content the database cannot store) rejects the whole call, and nothing of it is kept.
   */
  appendToStreams(appends: readonly StreamAppend[]): Promise<AppendOutcome[]>;
  /**
   * Several streams in one read, each as readStream gives it (a stream that does not exist: no
   * events, version 0), for a consumer that handles many children in one transaction.
   */
  readStreams(streamIds: readonly string[]): Promise<Map<string, { events: StoredEvent[]; currentVersion: number }>>;
  /** Sets the stream's durable timer to `wakeOn`, or clears it (undefined). */
  scheduleWake(streamId: string, wakeOn: string | undefined): Promise<void>;
  /** The events recorded for the authority under these ids. */
  findEvents(authority: string, eventIds: string[]): Promise<StoredEvent[]>;
  /**
   * Keeps a request's outcome under its Idempotency-Key, with what it decided. False when the key
   * is already taken (by a request that committed first, and is not yet expired): nothing is kept.
   */
  saveIdempotentResponse(scope: IdempotencyScope, response: IdempotentResponse): Promise<boolean>;
  /**
   * Claims these streams for `consumer` until the transaction ends: locks the consumer's row of each
   * (created at 0 when absent), in stream id order so two claimers cannot deadlock, and returns the
   * stream version each was handled up to. Another transaction claiming any of the same rows waits
   * for this one to end and then reads what it marked.
   */
  claimStreams(consumer: string, streamIds: readonly string[]): Promise<Map<string, number>>;
  /** Records, in one statement, that `consumer` has handled each stream up to its version (never lowers one). */
  markHandled(consumer: string, marks: ReadonlyMap<string, number>): Promise<void>;
}

/** What an Idempotency-Key belongs to: one tenant's caller, on one route, for one target. */
export interface IdempotencyScope {
  authority: string;
  principal: string;
  route: string;
  target: string;
  key: string;
}

/** A request's outcome, replayed to a retry; `fingerprint` tells the same request from another. */
export interface IdempotentResponse {
  fingerprint: string;
  status: number;
  body: unknown;
}

/** How long an Idempotency-Key is kept: a retry later than this is a new request. */
export const IDEMPOTENCY_KEY_HOURS = 24;

export const START_CHECKPOINT: GlobalCheckpoint = '0';

export class StreamVersionConflict extends Error {
  readonly code = 'STREAM_VERSION_CONFLICT';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: ExpectedVersion,
    readonly actualVersion: number,
  ) {
    super(`stream ${streamId}: expected version ${expectedVersion}, found ${actualVersion}`);
  }
}

export class DuplicateEventId extends Error {
  readonly code = 'DUPLICATE_EVENT_ID';
  constructor(readonly eventIds: string[]) {
    super(`event id already recorded: ${eventIds.join(', ')}`);
  }
}

export class CheckpointConflict extends Error {
  readonly code = 'CHECKPOINT_CONFLICT';
  constructor(
    readonly subscription: string,
    readonly expected: GlobalCheckpoint,
    readonly actual: GlobalCheckpoint,
  ) {
    super(`subscription ${subscription}: expected checkpoint ${expected}, found ${actual}`);
  }
}
