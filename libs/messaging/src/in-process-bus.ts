import { BusMessage, ConsumerLag, MessageBus, ReceivedMessage, SubscribeOptions, Subscription } from './bus.port';
import { partitionForKey } from './partitioner';
import { encodeMessage, type EncodedMessage } from './message-encoding';
import { backoffDelayMs, type Backoff } from './retry';
import { assertName, checkSubscribeOptions, type Delivery } from './subscribe-options';
import { DEAD_LETTER_HEADERS, deadLetterTopicFor } from './topics';

/**
 * The bus of the embedded mode (DESIGN.md "Two ways to run, one code path"): the same semantics as
 * the Kafka adapter, in memory. Each topic is a fixed number of append-only partition logs; each
 * consumer group keeps, per partition, the next offset to deliver (its committed position) and the
 * subscriber that owns the partition.
 *
 * Nothing polls. A partition is "pumped" when something can change what it may deliver: a publish
 * to it, a handler settling, a retry timer firing, a rebalance. A pump starts at most one handler
 * per partition and group, which is what keeps per-key order: the next message of a partition is
 * only looked at after the previous one settled. Each delivery starts on its own event-loop turn
 * (setImmediate), so catching up a long backlog with handlers that never do I/O cannot starve the
 * HTTP server and timers sharing the embedded process, as a chain of microtasks would.
 *
 * A delivery is one message, or for a batch subscriber up to maxBatchSize of them: everything the
 * partition holds from the group's position on, never waiting for more. The group's position then
 * moves past all of them at once, or (the handler threw) not at all, and the same schedule of
 * retries starts from the same first offset; a batch is retried forever, never dead-lettered.
 */

export interface InProcessRetryOptions {
  /** Attempts per message, the first included, before it is dead-lettered. Default 5. */
  maxAttempts?: number;
  /** Wait before the second attempt; doubles for each further attempt. Default 50. */
  backoffMs?: number;
  /** Cap on the doubling wait. Default 5000. */
  maxBackoffMs?: number;
}

/** Told to `onDeadLetter` after a message was moved to the dead-letter topic. */
export interface DeadLetterNotice {
  groupId: string;
  /** The message as it was delivered (a fresh copy). */
  message: ReceivedMessage;
  deadLetterTopic: string;
  /** What the handler threw the last time. */
  error: unknown;
  attempts: number;
}

export interface InProcessBusOptions {
  /** Partitions per topic. Default 4. */
  partitions?: number;
  retry?: InProcessRetryOptions;
  /**
   * Called (synchronously, after the group has moved past the message) for logs and metrics. It
   * must not throw: if it does, the error is rethrown as an uncaught exception rather than hidden,
   * and the bus carries on.
   */
  onDeadLetter?: (notice: DeadLetterNotice) => void;
}

export const IN_PROCESS_BUS_DEFAULTS = {
  partitions: 4,
  maxAttempts: 5,
  backoffMs: 50,
  maxBackoffMs: 5_000,
} as const;

/** A message as stored: the value is kept as JSON text, as Kafka keeps bytes. */
type LogEntry = EncodedMessage;

/** One live (or closed) subscriber of a group. */
interface Member {
  /** Calls the subscriber's handler with one delivery: a single message, or a batch. */
  take: (messages: ReceivedMessage[]) => Promise<void>;
  /** Most messages in one delivery: 1 for a per-message handler, maxBatchSize for a batch one. */
  deliveryLimit: number;
  /** Retried until it succeeds, never dead-lettered (deadLetterFailures false, and every batch subscriber). */
  retryForever: boolean;
  /** Closed subscribers stand for crashed processes: nothing they finish is committed. */
  closed: boolean;
  /** Its handlers still running, as settled-promises that never reject. */
  running: Set<Promise<void>>;
}

/** A group's state for one partition. */
interface Cursor {
  /** The committed position: the offset of the next message to deliver. */
  next: number;
  owner: Member | undefined;
  /** Whose handler is running on this partition, if any (possibly a closed subscriber's). */
  inFlight: Member | undefined;
  /** Set while the next delivery waits for its event-loop turn. */
  scheduled: ReturnType<typeof setImmediate> | undefined;
  /** Set while the partition waits to retry the delivery starting at `next`. */
  retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Failed attempts at the delivery starting at `next` by the current owner. */
  failures: number;
}

interface Group {
  topic: string;
  groupId: string;
  /** Live subscribers in join order; partition p belongs to members[p % members.length]. */
  members: Member[];
  cursors: Cursor[];
}

export class InProcessBus implements MessageBus {
  private readonly partitions: number;
  private readonly maxAttempts: number;
  /** backoffMs after the first failure, doubling up to maxBackoffMs (retry.ts). */
  private readonly backoff: Backoff;
  private readonly onDeadLetter: ((notice: DeadLetterNotice) => void) | undefined;

  /** topic → partition → log. */
  private readonly logs = new Map<string, LogEntry[][]>();
  /** topic → groupId → group. Groups outlive their subscribers, as committed offsets do in Kafka. */
  private readonly groups = new Map<string, Map<string, Group>>();
  /** Every handler still running, for close(). */
  private readonly running = new Set<Promise<void>>();
  private idleWaiters: Array<() => void> = [];
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(options: InProcessBusOptions = {}) {
    this.partitions = options.partitions ?? IN_PROCESS_BUS_DEFAULTS.partitions;
    this.maxAttempts = options.retry?.maxAttempts ?? IN_PROCESS_BUS_DEFAULTS.maxAttempts;
    this.backoff = {
      initialMs: options.retry?.backoffMs ?? IN_PROCESS_BUS_DEFAULTS.backoffMs,
      maxMs: options.retry?.maxBackoffMs ?? IN_PROCESS_BUS_DEFAULTS.maxBackoffMs,
    };
    this.onDeadLetter = options.onDeadLetter;
    const problems = [
      !isWholeNumber(this.partitions, 1) && `partitions must be a whole number ≥ 1 (got ${this.partitions})`,
      !isWholeNumber(this.maxAttempts, 1) && `retry.maxAttempts must be a whole number ≥ 1 (got ${this.maxAttempts})`,
      !isNonNegative(this.backoff.initialMs) && `retry.backoffMs must be ≥ 0 (got ${this.backoff.initialMs})`,
      !isNonNegative(this.backoff.maxMs) && `retry.maxBackoffMs must be ≥ 0 (got ${this.backoff.maxMs})`,
    ].filter((problem): problem is string => typeof problem === 'string');
    if (problems.length > 0) throw new RangeError(`InProcessBus options: ${problems.join('; ')}`);
  }

  async publish(topic: string, messages: BusMessage[]): Promise<void> {
    this.assertOpen('publish');
    assertName('topic', topic);
    // Encode the whole batch before appending any of it: a bad value rejects the batch, as a
    // failed Kafka produce request would, instead of leaving half of it published.
    const entries = messages.map(encodeMessage);
    this.append(topic, entries);
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    this.assertOpen('subscribe');
    const { topic, groupId, fromBeginning, delivery } = checkSubscribeOptions(options);

    const log = this.logFor(topic);
    const groupsOfTopic = this.groupsOf(topic);
    let group = groupsOfTopic.get(groupId);
    if (!group) {
      // The start position is fixed now, when the group is created, so a message published after
      // subscribe() resolves belongs to the group even if its first subscriber crashes before
      // committing anything. Later subscribers' fromBeginning is ignored: the group has a position.
      group = {
        topic,
        groupId,
        members: [],
        cursors: log.map((partition) => ({
          next: fromBeginning ? 0 : partition.length,
          owner: undefined,
          inFlight: undefined,
          scheduled: undefined,
          retryTimer: undefined,
          failures: 0,
        })),
      };
      groupsOfTopic.set(groupId, group);
    }
    const member: Member = { ...deliveryOf(delivery), closed: false, running: new Set() };
    group.members.push(member);
    this.rebalance(group);

    const joined = group;
    let leaving: Promise<void> | undefined;
    return { close: () => (leaving ??= this.leave(joined, member)) };
  }

  /**
   * Exact: each group's committed position (its cursor) against the end of each partition's log.
   * Groups without a live subscriber keep their position but are left out, as the port says.
   */
  async consumerLag(): Promise<ConsumerLag[]> {
    const lag: ConsumerLag[] = [];
    for (const group of this.allGroups()) {
      if (!group.members.some((member) => !member.closed)) continue;
      const log = this.logFor(group.topic);
      const messages = group.cursors.reduce((sum, cursor, partition) => sum + (log[partition].length - cursor.next), 0);
      lag.push({ groupId: group.groupId, topic: group.topic, messages });
    }
    return lag;
  }

  /**
   * Resolves when every group with a live subscriber has handled everything published to its topic
   * and no handler or retry is pending (a group without subscribers is not waited for). For tests
   * and graceful shutdown; it never resolves while a handler hangs.
   */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.closed = true;
    for (const group of this.allGroups()) {
      for (const cursor of group.cursors) {
        this.cancelRetry(cursor);
        if (cursor.scheduled !== undefined) clearImmediate(cursor.scheduled);
        cursor.scheduled = undefined;
      }
      for (const member of group.members) member.closed = true;
    }
    // Deliveries stopped above (pump checks `closed`); wait for the handlers already running so
    // nothing of ours runs after close() resolves.
    await Promise.all([...this.running]);
    this.notifyIfIdle();
  }

  private async leave(group: Group, member: Member): Promise<void> {
    member.closed = true;
    const index = group.members.indexOf(member);
    if (index >= 0) group.members.splice(index, 1);
    // The others take its partitions now; a partition whose handler is still running stays
    // blocked until that handler settles (one subscriber at a time), then its uncommitted
    // message goes to the new owner.
    if (!this.closed) this.rebalance(group);
    await Promise.all([...member.running]);
    this.notifyIfIdle();
  }

  /** Eager round-robin assignment over the live subscribers in join order. */
  private rebalance(group: Group): void {
    group.cursors.forEach((cursor, partition) => {
      const owner = group.members.length > 0 ? group.members[partition % group.members.length] : undefined;
      if (owner === cursor.owner) return;
      cursor.owner = owner;
      // Retry counts belong to the consumer that was retrying, as in Kafka: the new owner starts
      // the message afresh.
      this.cancelRetry(cursor);
      cursor.failures = 0;
    });
    group.cursors.forEach((_, partition) => this.pump(group, partition));
    this.notifyIfIdle();
  }

  private append(topic: string, entries: LogEntry[]): void {
    const log = this.logFor(topic);
    const touched = new Set<number>();
    for (const entry of entries) {
      const partition = partitionForKey(entry.key, this.partitions);
      log[partition].push(entry);
      touched.add(partition);
    }
    for (const group of this.groupsOf(topic).values()) {
      for (const partition of touched) this.pump(group, partition);
    }
  }

  /** Schedules the next delivery of this partition for this group, if there is one to make. */
  private pump(group: Group, partition: number): void {
    const cursor = group.cursors[partition];
    if (!this.canDeliver(group, partition) || cursor.scheduled !== undefined) return;
    // Not a direct call: publish() and subscribe() return before any handler runs, and a handler
    // that publishes does not re-enter delivery from inside its own call.
    cursor.scheduled = setImmediate(() => {
      cursor.scheduled = undefined;
      this.deliver(group, partition);
    });
  }

  private canDeliver(group: Group, partition: number): boolean {
    const cursor = group.cursors[partition];
    if (this.closed || cursor.inFlight || cursor.retryTimer || !cursor.owner || cursor.owner.closed) return false;
    return cursor.next < this.logFor(group.topic)[partition].length;
  }

  private deliver(group: Group, partition: number): void {
    // Re-checked: a rebalance or close may have happened since the turn was scheduled.
    if (!this.canDeliver(group, partition)) {
      this.notifyIfIdle();
      return;
    }
    const cursor = group.cursors[partition];
    const member = cursor.owner as Member;
    const offset = cursor.next;
    // What is there now, up to the member's limit (canDeliver made sure there is at least one).
    const count = Math.min(member.deliveryLimit, this.logFor(group.topic)[partition].length - offset);
    const messages = Array.from({ length: count }, (_, i) => this.read(group.topic, partition, offset + i));
    cursor.inFlight = member;
    // Promise.resolve().then turns a handler that throws synchronously into a rejection.
    const settled = Promise.resolve()
      .then(() => member.take(messages))
      .then(
        () => this.handled(group, partition, member, offset, count),
        (error: unknown) => this.failed(group, partition, member, offset, error),
      );
    member.running.add(settled);
    this.running.add(settled);
    void settled.then(() => {
      member.running.delete(settled);
      this.running.delete(settled);
    });
  }

  private handled(group: Group, partition: number, member: Member, offset: number, count: number): void {
    const cursor = group.cursors[partition];
    cursor.inFlight = undefined;
    // A closed subscriber stands for a crashed process: its work was never committed and the
    // partition's owner gets the message (or batch) again. A live one that lost the partition in a
    // rebalance while working still commits, as Kafka consumers commit finished work when revoked.
    if (!member.closed) {
      cursor.next = offset + count;
      cursor.failures = 0;
    }
    this.pump(group, partition);
    this.notifyIfIdle();
  }

  private failed(group: Group, partition: number, member: Member, offset: number, error: unknown): void {
    const cursor = group.cursors[partition];
    cursor.inFlight = undefined;
    if (member.closed || cursor.owner !== member) {
      // Whoever owns the partition now tries the delivery afresh.
      this.pump(group, partition);
      this.notifyIfIdle();
      return;
    }
    cursor.failures += 1;
    if (cursor.failures < this.maxAttempts || member.retryForever) {
      // The partition waits (nothing after this delivery's first message is delivered) and tries
      // again from the same offset. A timer of the partition's own rather than retry.ts's loop:
      // whether one is pending is part of the partition's state (canDeliver, isIdle), and a
      // rebalance or close cancels it.
      cursor.retryTimer = setTimeout(() => {
        cursor.retryTimer = undefined;
        this.pump(group, partition);
        this.notifyIfIdle();
      }, backoffDelayMs(cursor.failures, this.backoff));
      return;
    }
    // Only ever a single message: batch subscribers retry forever.
    const attempts = cursor.failures;
    cursor.next = offset + 1;
    cursor.failures = 0;
    const deadLetterTopic = this.deadLetter(group, partition, offset, error, attempts);
    this.pump(group, partition);
    this.notifyIfIdle();
    this.notifyDeadLetter({ groupId: group.groupId, message: this.read(group.topic, partition, offset), deadLetterTopic, error, attempts });
  }

  /** Appends the message, with why and where from, to its topic's dead-letter topic. */
  private deadLetter(group: Group, partition: number, offset: number, error: unknown, attempts: number): string {
    const original = this.logFor(group.topic)[partition][offset];
    const deadLetterTopic = deadLetterTopicFor(group.topic);
    this.append(deadLetterTopic, [
      {
        key: original.key,
        value: original.value,
        headers: {
          ...original.headers,
          [DEAD_LETTER_HEADERS.reason]: error instanceof Error ? error.message : String(error),
          [DEAD_LETTER_HEADERS.originalTopic]: group.topic,
          [DEAD_LETTER_HEADERS.originalPartition]: String(partition),
          [DEAD_LETTER_HEADERS.originalOffset]: String(offset),
          [DEAD_LETTER_HEADERS.groupId]: group.groupId,
          [DEAD_LETTER_HEADERS.attempts]: String(attempts),
        },
      },
    ]);
    return deadLetterTopic;
  }

  private notifyDeadLetter(notice: DeadLetterNotice): void {
    if (!this.onDeadLetter) return;
    try {
      this.onDeadLetter(notice);
    } catch (hookError) {
      // Not swallowed: surfaced as an uncaught exception, outside the bus's own bookkeeping.
      queueMicrotask(() => {
        throw hookError;
      });
    }
  }

  /** A fresh decoded copy per delivery, so no consumer can change what another one sees. */
  private read(topic: string, partition: number, offset: number): ReceivedMessage {
    const entry = this.logFor(topic)[partition][offset];
    return {
      topic,
      partition,
      offset: String(offset),
      key: entry.key,
      value: JSON.parse(entry.value) as unknown,
      headers: { ...entry.headers },
    };
  }

  private isIdle(): boolean {
    for (const group of this.allGroups()) {
      const log = this.logFor(group.topic);
      for (let partition = 0; partition < group.cursors.length; partition++) {
        const cursor = group.cursors[partition];
        if (cursor.inFlight || cursor.retryTimer || cursor.scheduled) return false;
        const waitsForThisGroup = !this.closed && group.members.length > 0;
        if (waitsForThisGroup && cursor.next < log[partition].length) return false;
      }
    }
    return true;
  }

  private notifyIfIdle(): void {
    if (this.idleWaiters.length === 0 || !this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private cancelRetry(cursor: Cursor): void {
    if (cursor.retryTimer === undefined) return;
    clearTimeout(cursor.retryTimer);
    cursor.retryTimer = undefined;
  }

  /** Topics exist from their first publish or subscribe, with the bus's partition count. */
  private logFor(topic: string): LogEntry[][] {
    let log = this.logs.get(topic);
    if (!log) {
      log = Array.from({ length: this.partitions }, () => []);
      this.logs.set(topic, log);
    }
    return log;
  }

  private groupsOf(topic: string): Map<string, Group> {
    let groups = this.groups.get(topic);
    if (!groups) {
      groups = new Map();
      this.groups.set(topic, groups);
    }
    return groups;
  }

  private *allGroups(): Iterable<Group> {
    for (const groups of this.groups.values()) yield* groups.values();
  }

  private assertOpen(operation: string): void {
    if (this.closed) throw new Error(`InProcessBus is closed: cannot ${operation}`);
  }
}

/**
 * Both kinds of subscriber go through one delivery path: a per-message handler is handed
 * deliveries of one message, which may be dead-lettered; a batch handler larger ones, never.
 */
function deliveryOf(delivery: Delivery): Pick<Member, 'take' | 'deliveryLimit' | 'retryForever'> {
  if (delivery.kind === 'message') {
    const { handler } = delivery;
    return { take: ([message]) => handler(message), deliveryLimit: 1, retryForever: !delivery.deadLetterFailures };
  }
  return { take: delivery.handler, deliveryLimit: delivery.maxBatchSize, retryForever: true };
}

function isWholeNumber(n: number, min: number): boolean {
  return Number.isInteger(n) && n >= min;
}

function isNonNegative(n: number): boolean {
  return Number.isFinite(n) && n >= 0;
}
