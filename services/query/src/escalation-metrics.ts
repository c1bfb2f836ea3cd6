/**
 * cto_escalations_open{authority,rung}: open escalations per authority and ladder rung, read from
 * the rm_escalations read model at each scrape (so it is as fresh as the reporting projection).
 * Only processes with the query service have the read models, so only they report it.
 */
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import type { ReadModelStore } from '@cto/event-store';
import { READ_MODEL_STORE } from '@cto/read-models';
import { METRICS, type Metrics } from '@cto/runtime';

@Injectable()
export class EscalationMetrics implements OnModuleInit {
  constructor(
    @Inject(METRICS) private readonly metrics: Metrics,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
  ) {}

  onModuleInit(): void {
    const readModels = this.readModels;
    new Gauge({
      name: 'cto_escalations_open',
      help: 'Open escalations by authority and ladder rung (from the rm_escalations read model, at scrape).',
      labelNames: ['authority', 'rung'],
      registers: [this.metrics.registry],
      async collect() {
        const rows = await readModels.query<{ authority: string; rung: number; open: string }>(
          `SELECT authority, rung, count(*)::text AS open FROM rm_escalations WHERE status = 'open' GROUP BY authority, rung ORDER BY authority, rung`,
        );
        this.reset();
        for (const row of rows) this.set({ authority: row.authority, rung: String(row.rung) }, Number(row.open));
      },
    });
  }
}
