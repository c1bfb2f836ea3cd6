/**
 * One Kafka cluster shared by several deployments (staging and production, two authorities' own
 * installations, parallel test runs): KAFKA_TOPIC_PREFIX puts every topic and consumer group of
 * this deployment under a prefix, so none of them reads another's recorded facts or splits another's
 * partitions. A delivered message keeps the topic it was read from on the broker (prefixed), so a
 * dead letter's x-dlq-original-topic and a log line say where the original is. Consumer lag, read
 * for dashboards, names groups and topics as the system does: without the prefix.
 */
import type { BusMessage, ConsumerLag, MessageBus, SubscribeOptions, Subscription } from '@cto/messaging';

export class NamespacedBus implements MessageBus {
  constructor(
    private readonly inner: MessageBus,
    readonly prefix: string,
  ) {}

  /** The topic or group as it is named on the broker. */
  named(name: string): string {
    return `${this.prefix}${name}`;
  }

  publish(topic: string, messages: BusMessage[]): Promise<void> {
    return this.inner.publish(this.named(topic), messages);
  }

  subscribe(options: SubscribeOptions): Promise<Subscription> {
    return this.inner.subscribe({ ...options, topic: this.named(options.topic), groupId: this.named(options.groupId) });
  }

  /** This deployment's groups only (the inner bus serves no other), named without the prefix. */
  async consumerLag(): Promise<ConsumerLag[]> {
    const ours = (name: string) => name.startsWith(this.prefix);
    const unprefixed = (name: string) => name.slice(this.prefix.length);
    return (await this.inner.consumerLag())
      .filter((lag) => ours(lag.groupId) && ours(lag.topic))
      .map((lag) => ({ ...lag, groupId: unprefixed(lag.groupId), topic: unprefixed(lag.topic) }));
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
