/**
 * intake on the bus: case events a case-management system produces to `case-events` (Kafka, or the
 * in-process bus) are checked exactly as over HTTP and recorded; a bad one goes to the dead-letter
 * topic with its field-level reasons and its original headers, nothing of it is stored, and the
 * consumer carries on (DESIGN.md "Topology": intake). A partition's batch of good messages is
 * recorded in one transaction. Recording is idempotent by (authority, eventId), so a redelivery
 * after a crash has no second effect; an id reused for a different fact is dead-lettered too.
 */
import { Controller, Inject, Logger, UseFilters } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { FieldError } from '@cto/contracts';
import type { CaseEvent } from '@cto/domain';
import { DEAD_LETTER_HEADERS, TOPICS, type MessageBus, type ReceivedMessage } from '@cto/messaging';
import { BusHandlerErrors, consumes, MESSAGE_BUS, METRICS, type Metrics } from '@cto/runtime';
import { CaseEventRecorder, EventIdReused } from './case-event-recorder';

export const INTAKE_GROUP = 'intake';

/** Set on a dead letter whose value could not be written back; it says why. */
export const VALUE_OMITTED_HEADER = 'x-dlq-value-omitted';

/*
 * Found by test/e2e/case-events.fuzz.int.spec.ts: JSON nested some thousands of levels deep is read
 * (JSON.parse does not recurse) and rejected by the checks, but JSON.stringify, which does, cannot
 * write it back, so publishing the dead letter threw and the handler crashed on every attempt: one
 * small message held up its whole partition until the bus gave up on it, and would hold it for good
 * where the handler is never given up on. Such a dead letter goes without its value (null) and says
 * so; the original stays on its own topic at x-dlq-original-offset.
 */
function reEncodable(value: unknown): { ok: true } | { ok: false; why: string } {
  try {
    JSON.stringify(value);
    return { ok: true };
  } catch (error) {
    return { ok: false, why: `the value cannot be written back as JSON (${(error as Error).message}); it is at its original offset` };
  }
}

@Controller()
@UseFilters(BusHandlerErrors)
export class CaseEventConsumer {
  private readonly logger = new Logger('intake:bus');

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly recorder: CaseEventRecorder,
    @Inject(METRICS) private readonly metrics: Metrics,
  ) {}

  /*
   * A new deployment reads the topic from its start: recording is idempotent, losing one is not.
   * A partition's batch of messages is recorded in one transaction (one commit for all of them).
   * Bad messages are dead-lettered here; this throws only when the store cannot be reached, and
   * then the batch must wait for the store, not be given up on (batches are never dead-lettered).
   */
  @EventPattern(TOPICS.caseEvents, consumes({ groupId: INTAKE_GROUP, fromBeginning: true, batches: true }))
  async handleBatch(@Payload() messages: ReceivedMessage[]): Promise<void> {
    let good: { message: ReceivedMessage; events: CaseEvent[] }[] = [];
    for (const message of messages) {
      const { accepted, problems } = this.recorder.check(message.value);
      if (problems.length) await this.deadLetter(message, problems.flatMap((p) => p.errors));
      else good.push({ message, events: accepted });
    }
    while (good.length) {
      try {
        await this.recorder.recordAll(good.flatMap((g) => g.events), 'kafka');
        return;
      } catch (error) {
        // An id the authority already used for another fact can never be recorded: waiting would
        // hold the partition for ever, so its message is dead-lettered with its reason like a bad
        // one (a message is all or nothing), and the rest of the batch is recorded without it.
        if (!(error instanceof EventIdReused)) throw error;
        const owner = good.flatMap((g) => g.events.map(() => g));
        const reused = new Map<(typeof good)[number], FieldError[]>();
        for (const e of error.events) reused.set(owner[e.index], [...(reused.get(owner[e.index]) ?? []), ...e.errors]);
        for (const [g, errors] of reused) await this.deadLetter(g.message, errors);
        good = good.filter((g) => !reused.has(g));
      }
    }
  }

  /** One message: a batch of one. */
  handle(message: ReceivedMessage): Promise<void> {
    return this.handleBatch([message]);
  }

  private async deadLetter(message: ReceivedMessage, errors: FieldError[]): Promise<void> {
    // Paths and reasons only: a reason names a field and a rule, never the field's value.
    this.logger.warn({ topic: message.topic, partition: message.partition, offset: message.offset, errors: errors.length }, 'case event dead-lettered');
    const value = reEncodable(message.value);
    await this.bus.publish(TOPICS.deadLetter, [
      {
        key: message.key,
        value: value.ok ? message.value : null,
        headers: {
          ...message.headers,
          ...(value.ok ? {} : { [VALUE_OMITTED_HEADER]: value.why }),
          [DEAD_LETTER_HEADERS.reason]: JSON.stringify(errors.map(({ path, reason }) => ({ path, reason }))),
          [DEAD_LETTER_HEADERS.originalTopic]: message.topic,
          [DEAD_LETTER_HEADERS.originalPartition]: String(message.partition),
          [DEAD_LETTER_HEADERS.originalOffset]: message.offset,
          [DEAD_LETTER_HEADERS.groupId]: INTAKE_GROUP,
        },
      },
    ]);
    this.metrics.caseEventDeadLettered();
  }
}
