/**
 * Prometheus metrics, one Registry per application (not prom-client's global default), so several
 * applications in one process (the end-to-end tests) do not clash. Labels carry catalogue and pack
 * words only (event type, rule id, authority, ladder rung, subscription, consumer group and topic
 * names): never a child id.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { decisionOf, SqlEventStore, type EventStore, type StoredEvent } from '@cto/event-store';
import type { MessageBus } from '@cto/messaging';

export type CaseEventSource = 'http' | 'kafka';

export class Metrics {
  readonly registry = new Registry();
  private readonly recorded: Counter<'source'>;
  private readonly deadLettered: Counter;
  private readonly published: Counter<'type' | 'rule'>;

  /** Without a bus (unit tests of other things) cto_consumer_lag_messages has no samples. */
  constructor(store: EventStore, bus?: MessageBus) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.recorded = new Counter({
      name: 'cto_case_events_recorded_total',
      help: 'Case events recorded as facts (after the store commit), by how they arrived; duplicates are not counted.',
      labelNames: ['source'],
      registers,
    });
    this.deadLettered = new Counter({
      name: 'cto_case_events_dead_lettered_total',
      help: 'Case events from the case-events topic sent to case-events.dlq with their field-level reasons.',
      registers,
    });
    this.published = new Counter({
      name: 'cto_decisions_published_total',
      help: 'Decision events the outbox relay published to transfer-events, by type and rule (at least once: a republish counts again).',
      labelNames: ['type', 'rule'],
      registers,
    });
    new Gauge({
      name: 'cto_subscription_lag_events',
      help: 'Events in the log after each subscription checkpoint (read at scrape); outbox:transfer-events is the outbox lag.',
      labelNames: ['subscription'],
      registers,
      async collect() {
        this.reset();
        if (!(store instanceof SqlEventStore)) return;
        for (const [subscription, behind] of await store.subscriptionLag()) this.set({ subscription }, behind);
      },
    });

    // The bus is asked once per scrape, by the gauge. A bus that cannot answer (Kafka silent past
    // the adapter's timeout) must not fail the scrape, which would hide every other metric: the
    // gauge then has no samples and the error counter goes up. The counter's own collect waits for
    // that question, so the scrape that saw the failure also counts it; prom-client collects in
    // registration order, starting each collect before awaiting any, so the gauge (registered
    // first) has asked by the time the counter looks.
    let lagQuestion: Promise<void> = Promise.resolve();
    const lagErrors = new Counter({
      name: 'cto_consumer_lag_errors_total',
      help: 'Scrapes at which the message bus could not say its consumer groups\' lag (cto_consumer_lag_messages had no samples).',
      registers: [],
      async collect() {
        await lagQuestion;
      },
    });
    new Gauge({
      name: 'cto_consumer_lag_messages',
      help: 'Messages published to a topic and not yet committed by a consumer group this process has a live subscriber in, summed over partitions (read from the bus at scrape).',
      labelNames: ['group', 'topic'],
      registers,
      collect() {
        this.reset();
        if (!bus) return;
        lagQuestion = bus.consumerLag().then(
          (lags) => {
            for (const { groupId, topic, messages } of lags) this.set({ group: groupId, topic }, messages);
          },
          () => lagErrors.inc(),
        );
        return lagQuestion;
      },
    });
    this.registry.registerMetric(lagErrors);
  }

  caseEventsRecorded(source: CaseEventSource, count: number): void {
    if (count > 0) this.recorded.inc({ source }, count);
  }

  caseEventDeadLettered(): void {
    this.deadLettered.inc();
  }

  decisionsPublished(decisions: StoredEvent[]): void {
    for (const decision of decisions) {
      this.published.inc({ type: decision.type, rule: decisionOf(decision).data.ruleId });
    }
  }

  /** The text a scrape answers with; lines labelled with an authority outside `authorities` are left out. */
  async scrape(authorities: readonly string[]): Promise<string> {
    const text = await this.registry.metrics();
    return text
      .split('\n')
      .filter((line) => {
        const authority = /[{,]authority="([^"]*)"/.exec(line)?.[1];
        return authority === undefined || authorities.includes(authority);
      })
      .join('\n');
  }
}
