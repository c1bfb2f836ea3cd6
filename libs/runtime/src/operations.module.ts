/**
 * Operational endpoints every process serves: /health always, and outside production the admin
 * clock (DESIGN.md "HTTP API"). Also the outbox relay that publishes decisions to the bus.
 */
import {
  Body,
  Controller,
  DynamicModule,
  Get,
  HttpCode,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Post,
  ServiceUnavailableException,
} from '@nestjs/common';
import { IsISO8601 } from 'class-validator';
import { Public, Roles } from '@cto/access-control';
import type { EventStore } from '@cto/event-store';
import type { MessageBus } from '@cto/messaging';
import type { EventEmitter } from 'node:events';
import type { AdjustableClock } from './clock';
import type { RuntimeConfig } from './config';
import { publishDecisions } from './outbox-relay';
import { StoreSubscription } from './store-subscription';
import { CLOCK, CLOCK_SET, CONFIG, EVENT_STORE, MESSAGE_BUS, STORE_WAKE } from './tokens';

/** Public: load balancers and orchestrators probe it without credentials; it says nothing about cases. */
@Public()
@Controller('health')
class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  @Get()
  async health(): Promise<{ status: 'ok'; store: 'up' }> {
    try {
      await this.store.loadCheckpoint('health');
    } catch {
      throw new ServiceUnavailableException({ error: 'unavailable', message: 'the event store is not answering' });
    }
    return { status: 'ok', store: 'up' };
  }
}

export class SetClock {
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 instant, e.g. 2026-05-01T09:00:00Z' })
  now!: string;
}

@Roles('admin')
@Controller('v1/admin/clock')
class AdminClockController {
  constructor(
    @Inject(CLOCK) private readonly clock: AdjustableClock,
    @Inject(STORE_WAKE) private readonly wake: EventEmitter,
  ) {}
  @Post()
  @HttpCode(200)
  set(@Body() body: SetClock): { now: string } {
    this.clock.set(body.now);
    this.wake.emit(CLOCK_SET);
    return { now: this.clock.now() };
  }
}

export const OUTBOX_SUBSCRIPTION = 'outbox:transfer-events';

@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly subscription: StoreSubscription;
  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(MESSAGE_BUS) bus: MessageBus,
    @Inject(STORE_WAKE) wake: EventEmitter,
    @Inject(CONFIG) config: RuntimeConfig,
  ) {
    this.subscription = new StoreSubscription({
      name: OUTBOX_SUBSCRIPTION,
      store,
      wake,
      pollIntervalMs: config.pollIntervalMs,
      beforeCheckpoint: (events) => publishDecisions(bus, events),
      handle: async () => undefined,
    });
  }
  onApplicationBootstrap(): void {
    this.subscription.start();
  }
  async onApplicationShutdown(): Promise<void> {
    await this.subscription.stop();
  }
}

@Module({})
export class OperationsModule {
  /** `relay`: this process publishes decisions to the bus (one process in a deployment should). */
  static forRoot(config: RuntimeConfig, options: { relay: boolean } = { relay: true }): DynamicModule {
    return {
      module: OperationsModule,
      controllers: [HealthController, ...(config.production ? [] : [AdminClockController])],
      providers: options.relay ? [OutboxRelay] : [],
      exports: options.relay ? [OutboxRelay] : [],
    };
  }
}
