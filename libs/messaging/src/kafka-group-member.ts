import type { Admin, Consumer, EachBatchPayload, EachMessagePayload, Kafka, KafkaMessage } from 'kafkajs';
import type { ReceivedMessage } from './bus.port';
import type { DeadLetterNotice } from './in-process-bus';
import { decodeRecord, nextOffset } from './kafka-codec';
import type { KafkaBusLog } from './kafka-logging';
import { retryOrThrow, retryWithBackoff, sleep, type Backoff } from './retry';
import type { BatchDelivery, Delivery, MessageDelivery } from './subscribe-options';

/**
 * One subscriber: one kafkajs consumer, a member of its consumer group, for one topic.
 *
 * At-least-once, and why not kafkajs's auto-commit: kafkajs runs with `autoCommit: false` and this
 * class commits each message's next offset itself, after its handler resolved (or after it was
 * dead-lettered), before the next message of the partition is looked at. With auto-commit kafkajs
 * would commit resolved offsets later, in batches, and also when it stops — so the message whose
 * handler finished while its subscriber was being closed would be committed, which the port
 * forbids ("what those handlers were doing is not committed"). Here a closing member never
 * commits: it abandons the message in hand and the next owner of the partition gets it again.
 * kafkajs's in-memory `resolveOffset` after each message only moves its fetch position; the
 * group's position on the broker is what this class committed.
 *
 * Retries happen here, not in kafkajs: a throwing handler is retried in place with backoff (the
 * rest of its partition waits, as the port says), heartbeating while it waits so a long backoff
 * does not cost the member its session; after `maxAttempts` the record goes to the dead-letter
 * topic and the group commits past it. If the group rebalances during a backoff, the wait ends
 * with kafkajs's rebalance error: the message is left uncommitted for whoever owns the partition
 * next, and its attempts start again there (as in the in-process bus).
 *
 * Batches. A batch subscriber runs kafkajs's `eachBatch` with `eachBatchAutoResolve: false`: what
 * kafkajs fetched for a partition is cut into chunks of maxBatchSize, and each chunk is one call
 * of the handler, committed (last offset + 1) only after it resolved, then resolved in kafkajs and
 * followed by a heartbeat. A chunk whose handler throws is retried in place, with the same backoff
 * and heartbeats, forever: never dead-lettered. A record that cannot be decoded is dead-lettered
 * at once (0 attempts, as above) and left out of its chunk, whose commit then covers it. When the
 * member closes, kafkajs stops, or a seek makes the fetched records stale, the loop stops without
 * committing or resolving the rest: kafkajs fetches again from the last resolved offset, and a new
 * owner from the last committed one.
 *
 * Start position. kafkajs decides where a group with no committed offset starts only when it
 * first fetches, and keeps that in memory: a message published between `subscribe` resolving and
 * that fetch would be missed, and a member that crashed before its first commit would leave the
 * group with no position at all, so its successor would start at the *new* end and skip what the
 * first member never finished (the contract's crash test). So on every join this class finds the
 * assigned partitions that have no committed offset, keeps them paused, commits their start
 * (the log start with `fromBeginning`, else the log end, read now), points kafkajs at it with
 * `seek`, and only then resumes them and lets `subscribe` resolve. From then on the group has a
 * committed position in every partition, and `fromBeginning` no longer matters, as the port says.
 * Partitions already known to have one (read before joining) are not paused, so rebalances of an
 * established group do not pay for this.
 */

export interface GroupMemberTimings {
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  rebalanceTimeoutMs: number;
  maxWaitTimeMs: number;
  subscribeTimeoutMs: number;
}

export interface GroupMemberOptions {
  kafka: Kafka;
  admin: Admin;
  log: KafkaBusLog;
  topic: string;
  groupId: string;
  /** A handler of single messages (which may be dead-lettered, see deadLetterFailures) or of batches. */
  delivery: Delivery;
  fromBeginning: boolean;
  /** Partitions this member may handle at once (one message or batch at a time in each). */
  concurrency: number;
  timings: GroupMemberTimings;
  retry: { maxAttempts: number; backoffMs: number; maxBackoffMs: number };
  /** Appends the record to the topic's dead-letter topic; resolves to that topic's name. */
  deadLetter: (original: { topic: string; partition: number; record: KafkaMessage }, groupId: string, error: unknown, attempts: number) => Promise<string>;
  onDeadLetter: ((notice: DeadLetterNotice) => void) | undefined;
  /** Told once the member has left (after close, or a crash kafkajs does not restart from). */
  onGone: (member: GroupMember) => void;
}

export class GroupMember {
  private readonly consumer: Consumer;
  private readonly joined = deferred();
  private running: Promise<void> | undefined;
  private closing = false;
  private leaving: Promise<void> | undefined;
  /** Handlers (with their retries and commits) in progress, as promises that never reject. */
  private readonly inFlight = new Set<Promise<void>>();
  /** Aborted when the member closes: ends backoff waits early (sleep in retry.ts). */
  private readonly stopping = new AbortController();
  /** backoffMs after the first failure, doubling up to maxBackoffMs. */
  private readonly backoff: Backoff;
  /** Partitions known to have a committed offset for this group. */
  private readonly committed = new Set<number>();
  /** Partitions paused until their start offset is committed, and which join paused them. */
  private pausedForStart = new Set<number>();
  private joinCount = 0;

  constructor(private readonly options: GroupMemberOptions) {
    const { kafka, groupId, timings, retry: retryOptions } = options;
    this.backoff = { initialMs: retryOptions.backoffMs, maxMs: retryOptions.maxBackoffMs };
    this.consumer = kafka.consumer({
      groupId,
      sessionTimeout: timings.sessionTimeoutMs,
      heartbeatInterval: timings.heartbeatIntervalMs,
      rebalanceTimeout: timings.rebalanceTimeoutMs,
      maxWaitTimeInMs: timings.maxWaitTimeMs,
      allowAutoTopicCreation: false,
    });
  }

  /** The group and topic this member serves, until it is closed (for consumer lag). */
  get subscription(): { groupId: string; topic: string } | undefined {
    return this.closing ? undefined : { groupId: this.options.groupId, topic: this.options.topic };
  }

  /** Joins the group; resolves once this member has its partitions and their start is committed. */
  async start(): Promise<void> {
    const { topic, groupId, fromBeginning, delivery, concurrency, timings, log } = this.options;
    for (const known of await this.committedOffsets()) this.committed.add(known.partition);

    // Both listeners run synchronously inside kafkajs, before it fetches for the new assignment.
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => this.onJoin(payload.memberAssignment[topic] ?? []));
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      log.write('error', 'consumer crashed', { groupId, topic, error: payload.error, restart: payload.restart });
      if (!payload.restart && !this.closing) {
        this.joined.reject(payload.error);
        this.options.onGone(this);
      }
    });

    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [topic], fromBeginning });
    const run = { autoCommit: false, partitionsConsumedConcurrently: concurrency };
    this.running = this.consumer.run(
      delivery.kind === 'message'
        ? { ...run, eachMessage: (payload) => this.track(this.handleMessage(payload, delivery)) }
        : // Without auto-resolve, a batch left early (closing, stale) is fetched again from what was
          // resolved, which is what was committed.
          { ...run, eachBatchAutoResolve: false, eachBatch: (payload) => this.track(this.handleBatch(payload, delivery)) },
    );
    await this.running;

    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`subscribe: ${groupId} did not join on ${topic} within ${timings.subscribeTimeoutMs} ms`)),
        timings.subscribeTimeoutMs,
      );
    });
    try {
      await Promise.race([this.joined.promise.then(() => this.whenEveryPartitionHasAStart()), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * This member committed the start of its own partitions; the others' starts are committed by
   * their owners as they join. Usually they are all this member's (a group's first subscriber
   * gets every partition) and this returns at once; when several subscribers of a new group join
   * together, it waits for the rest, so that "published after subscribe resolved" means
   * "delivered to the group" whichever member subscribed.
   */
  private async whenEveryPartitionHasAStart(): Promise<void> {
    const { admin, groupId, topic, log } = this.options;
    for (let attempt = 1; !this.closing; attempt++) {
      const [offsets] = await whileRetriable(() => admin.fetchOffsets({ groupId, topics: [topic] }));
      const partitions = offsets?.partitions ?? [];
      if (partitions.length > 0 && partitions.every((p) => BigInt(p.offset) >= 0n)) return;
      if (attempt === 1) log.write('info', 'waiting for the other new members to commit their start offsets', { groupId, topic });
      await this.pause(50);
    }
  }

  /** Leaves the group after the handler in flight settles; that handler's message is not committed. */
  close(): Promise<void> {
    this.leaving ??= this.leave();
    return this.leaving;
  }

  private async leave(): Promise<void> {
    this.closing = true;
    this.joined.reject(new Error('closed before it joined'));
    this.stopping.abort();
    // kafkajs cannot stop a consumer while its first join is still under way.
    await this.running?.catch(() => undefined);
    try {
      // Stops fetching, waits for the eachMessage in progress, leaves the group (so the others
      // take the partitions at once, not after a session timeout) and disconnects.
      await this.consumer.disconnect();
    } catch (error) {
      this.options.log.write('warn', 'consumer did not disconnect cleanly', { groupId: this.options.groupId, topic: this.options.topic, error });
    }
    await Promise.all([...this.inFlight]);
    this.options.onGone(this);
  }

  private onJoin(assigned: number[]): void {
    const join = ++this.joinCount;
    const { topic } = this.options;
    const unknown = assigned.filter((partition) => !this.committed.has(partition));
    const stillPaused = [...this.pausedForStart].filter((partition) => !unknown.includes(partition));
    if (stillPaused.length > 0) this.consumer.resume([{ topic, partitions: stillPaused }]);
    if (unknown.length > 0) this.consumer.pause([{ topic, partitions: unknown }]);
    this.pausedForStart = new Set(unknown);
    if (unknown.length === 0) {
      this.joined.resolve();
      return;
    }
    void this.fixStart(join, unknown);
  }

  /** Commits a start offset for partitions that have none, then lets them be fetched. */
  private async fixStart(join: number, partitions: number[]): Promise<void> {
    const { topic, groupId, fromBeginning, admin, log } = this.options;
    const current = () => join === this.joinCount && !this.closing;
    // Tried until it works or a newer join (or a close) makes it moot.
    await retryWithBackoff(
      async () => {
        const starts = new Map<number, string>();
        for (const { partition, offset } of await this.committedOffsets()) {
          if (partitions.includes(partition)) starts.set(partition, offset);
        }
        const missing = partitions.filter((partition) => !starts.has(partition));
        if (missing.length > 0) {
          const ends = await whileRetriable(() => admin.fetchTopicOffsets(topic));
          const fixed = missing.map((partition) => {
            const end = ends.find((e) => e.partition === partition);
            if (!end) throw new Error(`no offsets for partition ${partition} of ${topic}`);
            return { topic, partition, offset: fromBeginning ? end.low : end.high };
          });
          if (!current()) return;
          // Committed as this member of this generation: if the group has moved on meanwhile the
          // broker refuses it, and the next join tries again.
          await this.consumer.commitOffsets(fixed);
          for (const { partition, offset } of fixed) starts.set(partition, offset);
        }
        if (!current()) return;
        // kafkajs may already have picked a position for these partitions from what it read
        // before the commit; seek makes it fetch from exactly the committed one.
        for (const [partition, offset] of starts) this.consumer.seek({ topic, partition, offset });
        for (const partition of partitions) this.committed.add(partition);
        this.pausedForStart = new Set();
        this.consumer.resume([{ topic, partitions }]);
        this.joined.resolve();
      },
      {
        backoff: this.backoff,
        stopped: () => !current(),
        signal: this.stopping.signal,
        onFailure: (error, attempts) => log.write('warn', 'could not fix the start offsets of a new group; retrying', { groupId, topic, error, attempts }),
      },
    );
  }

  /** The group's committed offsets for the topic, for the partitions that have one. */
  private async committedOffsets(): Promise<Array<{ partition: number; offset: string }>> {
    const { admin, groupId, topic } = this.options;
    const [offsets] = await whileRetriable(() => admin.fetchOffsets({ groupId, topics: [topic] }));
    return (offsets?.partitions ?? []).filter((p) => BigInt(p.offset) >= 0n).map(({ partition, offset }) => ({ partition, offset }));
  }

  private track(work: Promise<void>): Promise<void> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    return work;
  }

  /**
   * One message: attempts with backoff, then the dead-letter topic; commit; return. Throws only
   * kafkajs errors (a rebalance, a failed commit), which make kafkajs rejoin or refetch: the
   * message was not committed, so it is delivered again to whoever owns the partition.
   */
  private async handleMessage({ topic, partition, message: record, heartbeat }: EachMessagePayload, delivery: MessageDelivery): Promise<void> {
    const { groupId, retry, log } = this.options;
    const at = { groupId, topic, partition, offset: record.offset };
    // Not written by a bus (not JSON, or a tombstone): no attempt can succeed, so the handler is
    // not called and the dead letter says it was tried 0 times.
    const decoded = tryDecode(topic, partition, record);
    const outcome: Outcome =
      'error' in decoded
        ? { kind: 'gave-up', error: decoded.error, attempts: 0 }
        : await this.untilHandled(copies(decoded.message, () => decodeRecord(topic, partition, record), delivery.handler), {
            mayRetry: (attempts) => !delivery.deadLetterFailures || attempts < retry.maxAttempts,
            heartbeat,
            stillOurs: () => !this.closing,
            failed: (error, attempts, willRetry) =>
              log.write(willRetry ? 'info' : 'warn', 'handler failed', { ...at, attempts, eventId: headerOf(record, 'ce_id'), error, reason: reasonOf(error) }),
          });
    if (outcome.kind === 'abandoned' || this.closing) return;
    if (outcome.kind === 'handled') {
      await this.commit(topic, partition, record.offset);
      return;
    }

    const deadLetterTopic = await this.deadLetter(topic, partition, record, outcome.error, outcome.attempts, heartbeat);
    if (deadLetterTopic === undefined || this.closing) return;
    await this.commit(topic, partition, record.offset);
    this.reportDeadLetter(topic, partition, record, deadLetterTopic, outcome.error, outcome.attempts);
  }

  /**
   * What kafkajs fetched for one partition, in chunks of maxBatchSize, each handled and committed
   * before the next is looked at. Throws only kafkajs errors, as handleMessage does.
   */
  private async handleBatch(payload: EachBatchPayload, delivery: BatchDelivery): Promise<void> {
    const { batch, isRunning, isStale } = payload;
    // kafkajs's own eachMessage loop stops on the same two signals: it is stopping, or a seek has
    // moved the partition so what it fetched is no longer next.
    const stillOurs = () => !this.closing && isRunning() && !isStale();
    for (let from = 0; from < batch.messages.length; from += delivery.maxBatchSize) {
      if (!stillOurs()) return;
      const committed = await this.handleChunk(batch.topic, batch.partition, batch.messages.slice(from, from + delivery.maxBatchSize), delivery, payload, stillOurs);
      if (!committed) return;
    }
  }

  /** One call of the batch handler, retried until it resolves; true once its records are committed. */
  private async handleChunk(
    topic: string,
    partition: number,
    records: KafkaMessage[],
    delivery: BatchDelivery,
    { resolveOffset, heartbeat }: EachBatchPayload,
    stillOurs: () => boolean,
  ): Promise<boolean> {
    const { groupId, retry, log } = this.options;
    const decodable: KafkaMessage[] = [];
    const messages: ReceivedMessage[] = [];
    const deadLettered: Array<{ record: KafkaMessage; error: unknown; deadLetterTopic: string }> = [];
    for (const record of records) {
      const decoded = tryDecode(topic, partition, record);
      if ('message' in decoded) {
        decodable.push(record);
        messages.push(decoded.message);
        continue;
      }
      // Written before the handler runs, so that retries of the handler do not write it again.
      const deadLetterTopic = await this.deadLetter(topic, partition, record, decoded.error, 0, heartbeat);
      if (deadLetterTopic === undefined) return false;
      deadLettered.push({ record, error: decoded.error, deadLetterTopic });
    }

    if (decodable.length > 0) {
      const at = { groupId, topic, partition, offset: decodable[0].offset, lastOffset: decodable[decodable.length - 1].offset, batchSize: decodable.length };
      const again = () => decodable.map((record) => decodeRecord(topic, partition, record));
      const outcome = await this.untilHandled(copies(messages, again, delivery.handler), {
        // The port: a batch is never dead-lettered, so it waits for whatever it depends on.
        mayRetry: () => true,
        heartbeat,
        stillOurs,
        // Past maxAttempts a partition stuck on one batch is worth a warning, not yet an error.
        failed: (error, attempts) => log.write(attempts < retry.maxAttempts ? 'info' : 'warn', 'batch handler failed', { ...at, attempts, error, reason: reasonOf(error) }),
      });
      if (outcome.kind !== 'handled') return false;
    }
    if (!stillOurs()) return false;

    const last = records[records.length - 1].offset;
    await this.commit(topic, partition, last);
    resolveOffset(last);
    for (const { record, error, deadLetterTopic } of deadLettered) this.reportDeadLetter(topic, partition, record, deadLetterTopic, error, 0);
    await heartbeat();
    return true;
  }

  /**
   * Calls `work` until it resolves. Each failure is told to `failed`; while `mayRetry(attempts)`
   * the work is tried again after a backoff that keeps the session alive (see backOff). Gives up
   * without another attempt once `stillOurs()` is false: the member is closing, or kafkajs moved on.
   */
  private async untilHandled(work: () => Promise<void>, { mayRetry, heartbeat, stillOurs, failed }: AttemptRules): Promise<Outcome> {
    const outcome = await retryWithBackoff(work, {
      backoff: this.backoff,
      retryIf: (_, attempts) => mayRetry(attempts),
      onFailure: failed,
      stopped: () => !stillOurs(),
      wait: (ms) => this.backOff(ms, heartbeat),
    });
    switch (outcome.kind) {
      case 'done':
        return { kind: 'handled' };
      case 'gave-up':
        return { kind: 'gave-up', error: outcome.error, attempts: outcome.attempts };
      case 'stopped':
        return { kind: 'abandoned' };
    }
  }

  /** Publishes to the dead-letter topic, retrying until it works; undefined if closed meanwhile. */
  private async deadLetter(
    topic: string,
    partition: number,
    record: KafkaMessage,
    error: unknown,
    attempts: number,
    heartbeat: () => Promise<void>,
  ): Promise<string | undefined> {
    const { groupId, log } = this.options;
    // Committing past the message without its dead letter would lose it: keep the partition
    // waiting, and keep the session alive, until the dead-letter topic takes it.
    const outcome = await retryWithBackoff(() => this.options.deadLetter({ topic, partition, record }, groupId, error, attempts), {
      backoff: this.backoff,
      stopped: () => this.closing,
      wait: (ms) => this.backOff(ms, heartbeat),
      onFailure: (publishError, tries) =>
        log.write('error', 'could not publish to the dead-letter topic; retrying', { groupId, topic, partition, offset: record.offset, error: publishError, retryCount: tries }),
    });
    return outcome.kind === 'done' ? outcome.value : undefined;
  }

  /** Commits the group's position past `offset` (the last record of a message or batch handled). */
  private async commit(topic: string, partition: number, offset: string): Promise<void> {
    try {
      // A no-op once kafkajs is stopping: a closing member does not commit.
      await this.consumer.commitOffsets([{ topic, partition, offset: nextOffset(offset) }]);
    } catch (error) {
      this.options.log.write('warn', 'commit failed; what it covers will be delivered again', { groupId: this.options.groupId, topic, partition, offset, error });
      // kafkajs wraps what its retries gave up on; hand it the cause so that a rebalance (the
      // usual reason: this member's generation is over) makes it rejoin rather than crash.
      throw rootCause(error);
    }
  }

  /**
   * Waits before the next attempt, heartbeating so the wait does not outlast the session. A
   * rebalance surfaces here as kafkajs's error and is rethrown, abandoning the message to the
   * partition's next owner; a close ends the wait early.
   */
  private async backOff(ms: number, heartbeat: () => Promise<void>): Promise<void> {
    const until = Date.now() + ms;
    while (!this.closing) {
      const left = until - Date.now();
      if (left <= 0) return;
      await this.pause(Math.min(left, this.options.timings.heartbeatIntervalMs));
      if (!this.closing) await heartbeat();
    }
  }

  /** Waits `ms`, or less if the member closes meanwhile. */
  private async pause(ms: number): Promise<void> {
    await sleep(ms, this.stopping.signal);
  }

  /** Logs and tells onDeadLetter, once the group has committed past the dead-lettered record. */
  private reportDeadLetter(topic: string, partition: number, record: KafkaMessage, deadLetterTopic: string, error: unknown, attempts: number): void {
    const { onDeadLetter, groupId, log } = this.options;
    log.write('warn', 'message dead-lettered', { groupId, topic, partition, offset: record.offset, attempts, deadLetterTopic, eventId: headerOf(record, 'ce_id') });
    if (!onDeadLetter) return;
    let message: ReceivedMessage;
    try {
      message = decodeRecord(topic, partition, record);
    } catch {
      message = { topic, partition, offset: record.offset, key: record.key?.toString('utf8') ?? '', value: record.value?.toString('utf8') ?? null, headers: {} };
    }
    try {
      onDeadLetter({ groupId, message, deadLetterTopic, error, attempts });
    } catch (hookError) {
      // As in the in-process bus: surfaced as an uncaught exception, not hidden.
      queueMicrotask(() => {
        throw hookError;
      });
    }
  }
}

interface AttemptRules {
  /** Whether to try again after `attempts` failed ones. */
  mayRetry: (attempts: number) => boolean;
  /** kafkajs's, for the backoff between attempts. */
  heartbeat: () => Promise<void>;
  stillOurs: () => boolean;
  /** Told of every failure, for the log. */
  failed: (error: unknown, attempts: number, willRetry: boolean) => void;
}

/** How an attempt loop ended: handled, given up on (for the dead-letter topic), or left for the partition's next owner. */
type Outcome = { kind: 'handled' } | { kind: 'gave-up'; error: unknown; attempts: number } | { kind: 'abandoned' };

function tryDecode(topic: string, partition: number, record: KafkaMessage): { message: ReceivedMessage } | { error: unknown } {
  try {
    return { message: decodeRecord(topic, partition, record) };
  } catch (error) {
    return { error };
  }
}

/**
 * The work of one attempt: `handler` gets the copy decoded up front the first time and a fresh
 * one every later time, so no attempt sees what an earlier one changed in its messages.
 */
function copies<T>(first: T, again: () => T, handler: (copy: T) => Promise<void>): () => Promise<void> {
  let unused: T | undefined = first;
  return () => {
    const copy = unused ?? again();
    unused = undefined;
    return handler(copy);
  };
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function headerOf(record: KafkaMessage, name: string): string | undefined {
  const raw = record.headers?.[name];
  const last = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  return last === undefined ? undefined : last.toString();
}

function rootCause(error: unknown): unknown {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current;
}

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** A promise settled from outside; settling it again does nothing. Never an unhandled rejection. */
function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * Right after a broker starts (or a group coordinator moves) it answers admin requests with
 * retriable errors such as COORDINATOR_LOAD_IN_PROGRESS for a moment, and kafkajs's admin client
 * does not retry those: retry them here, bounded, and let anything else through at once.
 */
export function whileRetriable<T>(work: () => Promise<T>, attempts = 40, delayMs = 250): Promise<T> {
  return retryOrThrow(work, {
    backoff: { initialMs: delayMs, maxMs: delayMs },
    retryIf: (error, failures) => Boolean((error as { retriable?: boolean } | null)?.retriable) && failures < attempts,
  });
}
