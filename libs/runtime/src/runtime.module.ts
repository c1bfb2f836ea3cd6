/**
 * The infrastructure every service needs, bound to port tokens once: configuration, the event
 * store (PostgreSQL when DATABASE_URL is set, else the embedded PGlite file store), the bus, the
 * clock, the policy packs in force and the case-event validator. Also access control: every
 * process is built on this module, so none can serve an endpoint without the access guard.
 */
import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { AccessControlModule } from '@cto/access-control';
import { CaseEventValidator } from '@cto/contracts';
import type { CaseEvent } from '@cto/domain';
import { openPgliteEventStore, openPostgresEventStore, type EventStore } from '@cto/event-store';
import { InProcessBus, KafkaBus, type MessageBus } from '@cto/messaging';
import { loadPolicyPacks, PackRegistry } from '@cto/policy-packs';
import { AdjustableClock } from './clock';
import { ConsumerInfrastructure } from './child-stream-consumer';
import type { RuntimeConfig } from './config';
import { kafkaBusLogger, logId } from './logging';
import { Metrics } from './metrics';
import { NamespacedBus } from './namespaced-bus';
import { CASE_EVENT_VALIDATOR, CLOCK, CONFIG, EVENT_STORE, MESSAGE_BUS, METRICS, PACK_REGISTRY, STORE_WAKE } from './tokens';

@Injectable()
class RuntimeShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
  ) {}
  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
    await this.store.close();
  }
}

/** The packs in policiesDir, narrowed to POLICY_PACKS when it is set (an unknown id stops the start). */
export function packsInForce(config: RuntimeConfig): PackRegistry {
  const all = loadPolicyPacks(config.policiesDir);
  if (!config.policyPacks) return new PackRegistry(all);
  const unknown = config.policyPacks.filter((id) => !all.some((p) => p.id === id));
  if (unknown.length) {
    throw new Error(`POLICY_PACKS names packs that are not in ${config.policiesDir}: ${unknown.join(', ')} (there: ${all.map((p) => p.id).join(', ')})`);
  }
  return new PackRegistry(all.filter((p) => config.policyPacks!.includes(p.id)));
}

@Global()
@Module({})
export class RuntimeModule {
  static forRoot(config: RuntimeConfig): DynamicModule {
    // Packs are read and checked first, synchronously: a bad pack or POLICY_PACKS fails the start
    // before any store or connection is opened (nothing left running to clean up).
    const packs = packsInForce(config);
    return {
      module: RuntimeModule,
      imports: [AccessControlModule.forRoot(config.auth)],
      providers: [
        { provide: CONFIG, useValue: config },
        {
          provide: EVENT_STORE,
          useFactory: (): Promise<EventStore> =>
            config.databaseUrl
              ? openPostgresEventStore({ connectionString: config.databaseUrl, ...(config.databaseSchema ? { schema: config.databaseSchema } : {}) })
              : openPgliteEventStore({ dataDir: join(config.dataDir, 'pglite') }),
        },
        {
          provide: MESSAGE_BUS,
          useFactory: (): MessageBus => {
            if (!config.kafkaBrokers) return new InProcessBus();
            const kafka = new KafkaBus({
              brokers: config.kafkaBrokers,
              clientId: 'case-transfer-orchestration',
              partitions: config.kafkaPartitions,
              logger: kafkaBusLogger(),
              logId: (eventId) => logId(config, eventId),
            });
            return config.kafkaTopicPrefix ? new NamespacedBus(kafka, config.kafkaTopicPrefix) : kafka;
          },
        },
        {
          provide: CLOCK,
          useFactory: () => {
            const clock = new AdjustableClock();
            if (config.clockStart) clock.set(config.clockStart);
            return clock;
          },
        },
        { provide: PACK_REGISTRY, useValue: packs },
        { provide: CASE_EVENT_VALIDATOR, useFactory: () => new CaseEventValidator<CaseEvent>() },
        { provide: STORE_WAKE, useFactory: () => new EventEmitter() },
        { provide: METRICS, useFactory: (store: EventStore, bus: MessageBus) => new Metrics(store, bus), inject: [EVENT_STORE, MESSAGE_BUS] },
        RuntimeShutdown,
        ConsumerInfrastructure,
      ],
      exports: [CONFIG, EVENT_STORE, MESSAGE_BUS, CLOCK, PACK_REGISTRY, CASE_EVENT_VALIDATOR, STORE_WAKE, ConsumerInfrastructure, METRICS],
    };
  }
}
