/**
 * Operational endpoints every process serves: /health and /metrics always, and outside production the admin
 * clock (DESIGN.md "HTTP API"). Also the outbox relay that publishes decisions to the bus.
 */
import {
  Body,
  Controller,
  DynamicModule,
  HttpCode,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Post,
} from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { TerminusModule } from '@nestjs/terminus';
import { IsISO8601 } from 'class-validator';
import { AccessDenied, CurrentPrincipal, mayAccess, Roles, type Principal } from '@cto/access-control';
import type { EventStore } from '@cto/event-store';
import { InProcessBus, type MessageBus } from '@cto/messaging';
import type { PackRegistry } from '@cto/policy-packs';
import type { EventEmitter } from 'node:events';
import type { AdjustableClock } from './clock';
import type { RuntimeConfig } from './config';
import { HealthController } from './health';
import type { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';
import { publishRecorded } from './outbox-relay';
import { StoreSubscription } from './store-subscription';
import { CLOCK, CLOCK_SET, CONFIG, EVENT_STORE, MESSAGE_BUS, METRICS, PACK_REGISTRY, STORE_WAKE } from './tokens';

export class SetClock {
  @ApiProperty({ description: 'the instant the clock is set to', format: 'date-time', example: '2026-05-01T09:00:00Z' })
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 instant, e.g. 2026-05-01T09:00:00Z' })
  now!: string;
}

/**
 * The clock is one per process, shared by every authority in force: moving it makes every tenant's
 * timers and overdue judgements run on the new day. So only a token scoped to all of them may move
 * it (issue 15: one tenant's admin moved every tenant's clock); any other admin is refused with 403.
 */
@ApiTags('operations')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/admin/clock')
class AdminClockController {
  constructor(
    @Inject(CLOCK) private readonly clock: AdjustableClock,
    @Inject(STORE_WAKE) private readonly wake: EventEmitter,
    @Inject(PACK_REGISTRY) private readonly packs: PackRegistry,
  ) {}
  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Set the clock timers use (outside production only); the token must name every authority in force' })
  @ApiOkResponse({ description: '{ now }: the instant the clock reads now' })
  @ApiForbiddenResponse({ description: 'the token is not scoped to every authority in force (the clock is shared by all of them)' })
  set(@Body() body: SetClock, @CurrentPrincipal() principal: Principal): { now: string } {
    const outOfScope = this.packs.authorities().filter((authority) => !mayAccess(principal, authority)).sort();
    if (outOfScope.length) {
      throw new AccessDenied(`the clock is shared by every authority in force; this token is not scoped to ${outOfScope.join(', ')}`);
    }
    this.clock.set(body.now);
    this.wake.emit(CLOCK_SET);
    return { now: this.clock.now() };
  }
}

/**
 * The checkpoint's name is kept from when the relay published decisions only, so an upgraded store
 * carries on where it was rather than publishing its whole history again.
 */
export const OUTBOX_SUBSCRIPTION = 'outbox:transfer-events';

/**
 * Publishes what is recorded (outbox-relay.ts). It follows the store's log from one checkpoint:
 * a relay only copies, in log order, so it needs no partitions; a second relay contends for the
 * checkpoint and at worst publishes a batch twice, which consumers deduplicate.
 *
 * The in-process bus keeps its messages in memory only: a message published to it and lost in a
 * crash before its consumers handled it would be lost for good. So with that bus the checkpoint
 * moves only once every consumer group has handled the batch; after a crash the batch is published
 * again and the consumers' records of what they handled make it harmless. Kafka keeps what it has
 * taken: there the checkpoint moves as soon as the broker has the batch.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly subscription: StoreSubscription;
  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(MESSAGE_BUS) bus: MessageBus,
    @Inject(STORE_WAKE) wake: EventEmitter,
    @Inject(CONFIG) config: RuntimeConfig,
    @Inject(METRICS) metrics: Metrics,
  ) {
    this.subscription = new StoreSubscription({
      name: OUTBOX_SUBSCRIPTION,
      store,
      wake,
      pollIntervalMs: config.pollIntervalMs,
      beforeCheckpoint: async (events) => {
        await publishRecorded(bus, events, metrics);
        if (bus instanceof InProcessBus) await bus.whenIdle();
      },
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
      imports: [TerminusModule.forRoot()],
      controllers: [HealthController, MetricsController, ...(config.production ? [] : [AdminClockController])],
      providers: options.relay ? [OutboxRelay] : [],
      exports: options.relay ? [OutboxRelay] : [],
    };
  }
}
