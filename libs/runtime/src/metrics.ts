/**
 * Prometheus metrics, one Registry per application (not prom-client's global default), so several
 * applications in one process (the end-to-end tests) do not clash. Labels carry catalogue and pack
 * words only (event type, rule id, authority, ladder rung, subscription name): never a child id.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { SqlEventStore, type EventStore, type StoredEvent } from '@cto/event-store';

export type CaseEventSource = 'http' | 'kafka';

export class Metrics {
  readonly registry = new Registry();
  private readonly recorded: Counter<'source'>;
  private readonly deadLettered: Counter;
  private readonly published: Counter<'type' | 'rule'>;

  constructor(store: EventStore) {
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
  }

  caseEventsRecorded(source: CaseEventSource, count: number): void {
    if (count > 0) this.recorded.inc({ source }, count);
  }

  caseEventDeadLettered(): void {
    this.deadLettered.inc();
  }

  decisionsPublished(decisions: StoredEvent[]): void {
    for (const decision of decisions) {
      const rule = (decision.data as { ruleId?: unknown } | null)?.ruleId;
      this.published.inc({ type: decision.type, rule: typeof rule === 'string' ? rule : '' });
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
