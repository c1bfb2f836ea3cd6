/**
 * Liveness and readiness with @nestjs/terminus. Public: load balancers and orchestrators probe
 * them without credentials, and they say nothing about cases.
 *  - GET /health/live: the process answers (restart it when this fails);
 *  - GET /health: ready for traffic: the event store answers and, with KAFKA_BROKERS, a broker
 *    accepts a connection, each within a short timeout. 503 names the check that failed.
 */
import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { Public } from '@cto/access-control';
import { kafkajs } from '@cto/messaging';
import type { EventStore } from '@cto/event-store';
import type { RuntimeConfig } from './config';
import { CONFIG, EVENT_STORE } from './tokens';

/** Long enough for a busy store or a broker across a network, short enough for a probe's own timeout. */
export const HEALTH_CHECK_TIMEOUT_MS = 1500;

type Check = 'store' | 'broker';
type Readiness = { status: 'ok' } & Partial<Record<Check, 'up'>>;

function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Resolves when the cluster answers a metadata request (kafkajs admin describeCluster) within
 * `timeoutMs`; rejects with why not. A Kafka request, not just a TCP connect: a proxy or a port
 * that accepts connections is not a broker. A client of its own, so a probe never disturbs the bus.
 */
export async function brokerReachable(brokers: string[], timeoutMs: number): Promise<void> {
  // Loaded on the first probe with KAFKA_BROKERS set, never in the embedded process (issue 18 item 5).
  const { Kafka, logLevel } = kafkajs();
  const admin = new Kafka({
    clientId: 'case-transfer-orchestration-health',
    brokers,
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await within(timeoutMs, 'the broker', admin.connect().then(() => admin.describeCluster()));
  } finally {
    void admin.disconnect().catch(() => undefined);
  }
}

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CONFIG) private readonly config: RuntimeConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Readiness: the store answers (and a Kafka broker, when KAFKA_BROKERS is set); 503 names the failed check' })
  async ready(): Promise<Readiness> {
    const checks = [() => this.check('store', () => this.store.loadCheckpoint('health'))];
    const brokers = this.config.kafkaBrokers;
    if (brokers?.length) checks.push(() => this.check('broker', () => brokerReachable(brokers, HEALTH_CHECK_TIMEOUT_MS)));
    try {
      const result = await this.health.check(checks);
      return { status: 'ok', ...Object.fromEntries(Object.keys(result.details).map((key) => [key, 'up'])) };
    } catch (error) {
      // Terminus throws 503 with { status, info, error, details }; answered in this API's shape.
      const details = ((error as { getResponse?: () => unknown }).getResponse?.() as { details?: Record<string, { status: string }> } | undefined)?.details ?? {};
      const down = Object.keys(details).filter((key) => details[key].status !== 'up');
      throw new ServiceUnavailableException({
        error: 'unavailable',
        message: `not ready: ${down.length ? down.join(', ') : 'a check'} is not answering`,
        status: 'error',
        ...Object.fromEntries(Object.entries(details).map(([key, value]) => [key, value.status])),
      });
    }
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  private async check(key: Check, probe: () => Promise<unknown>): Promise<HealthIndicatorResult<Check>> {
    const indicator = this.indicators.check(key);
    try {
      await within(HEALTH_CHECK_TIMEOUT_MS, key, probe());
      return indicator.up();
    } catch (error) {
      // The reason stays in the process (debug): a driver's message is not for an anonymous caller.
      return indicator.down({ reason: (error as Error).name });
    }
  }
}
