/**
 * intake on the bus: case events a case-management system produces to `case-events` (Kafka, or the
 * in-process bus) are checked exactly as over HTTP and recorded; a bad one goes to the dead-letter
 * topic with its field-level reasons and its original headers, nothing of it is stored, and the
 * consumer carries on (DESIGN.md "Topology": intake). Recording is idempotent by eventId, so a
 * redelivery after a crash has no second effect.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DEAD_LETTER_HEADERS, TOPICS, type MessageBus, type ReceivedMessage, type Subscription } from '@cto/messaging';
import { MESSAGE_BUS } from '@cto/runtime';
import { CaseEventRecorder } from './case-event-recorder';

export const INTAKE_GROUP = 'intake';

@Injectable()
export class CaseEventConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('intake:bus');
  private subscription?: Subscription;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly recorder: CaseEventRecorder,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // A new deployment reads the topic from its start: recording is idempotent, losing one is not.
    this.subscription = await this.bus.subscribe({
      topic: TOPICS.caseEvents,
      groupId: INTAKE_GROUP,
      fromBeginning: true,
      handler: (message) => this.handle(message),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.close();
  }

  async handle(message: ReceivedMessage): Promise<void> {
    const { accepted, problems } = this.recorder.check(message.value);
    if (problems.length) {
      const errors = problems.flatMap((p) => p.errors);
      // Paths and reasons only: a reason names a field and a rule, never the field's value.
      this.logger.warn({ topic: message.topic, partition: message.partition, offset: message.offset, errors: errors.length }, 'case event dead-lettered');
      await this.bus.publish(TOPICS.deadLetter, [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            [DEAD_LETTER_HEADERS.reason]: JSON.stringify(errors.map(({ path, reason }) => ({ path, reason }))),
            [DEAD_LETTER_HEADERS.originalTopic]: message.topic,
            [DEAD_LETTER_HEADERS.originalPartition]: String(message.partition),
            [DEAD_LETTER_HEADERS.originalOffset]: message.offset,
            [DEAD_LETTER_HEADERS.groupId]: INTAKE_GROUP,
          },
        },
      ]);
      return;
    }
    await this.recorder.recordAll(accepted);
  }
}
