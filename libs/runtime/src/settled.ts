/**
 * Quiescence of an embedded application: for tests, benchmarks and tools that need "everything
 * recorded so far has been decided on" rather than polling for a result.
 */
import type { INestApplicationContext } from '@nestjs/common';
import { InProcessBus, type MessageBus } from '@cto/messaging';
import { OutboxRelay } from './operations.module';
import { MESSAGE_BUS } from './tokens';

/**
 * Resolves once the outbox has published everything recorded and every consumer group of the
 * in-process bus has handled it — and whatever those handlers recorded in turn, until nothing new
 * is recorded. Only the embedded bus can tell when its consumers are idle: with Kafka, wait for an
 * outcome instead (`eventually` in @cto/testing).
 */
export async function whenSettled(app: INestApplicationContext): Promise<void> {
  const bus = app.get<MessageBus>(MESSAGE_BUS);
  if (!(bus instanceof InProcessBus)) throw new Error('whenSettled needs the in-process bus: Kafka consumers cannot say they are idle');
  const relay = app.get(OutboxRelay).subscription;
  for (;;) {
    await relay.drain();
    await bus.whenIdle();
    if (await relay.caughtUp()) return;
  }
}
