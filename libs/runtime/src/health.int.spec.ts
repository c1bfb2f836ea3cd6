/**
 * /health (readiness) and /health/live (liveness) over HTTP, on a small application with only the
 * health controller, so the store and the broker can be made to fail: a store that throws or never
 * answers, a broker address that refuses or never answers. The embedded system's own happy path is
 * in test/e2e/embedded-http.e2e.spec.ts; the broker's happy path needs a real Kafka (KAFKA_BROKERS).
 *
 * What is asserted is behaviour: the answer, and for a check that never answers, that it failed on
 * its own timeout. How long that takes is measured by bench/health.bench.ts (`npm run bench --
 * --only health`), not asserted here (STYLE.md "Tests").
 */
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { createServer, type Server, type Socket } from 'node:net';
import request from 'supertest';
import type { EventStore } from '@cto/event-store';
import { brokerReachable, HEALTH_CHECK_TIMEOUT_MS, HealthController } from './health';
import { HttpErrorFilter } from './http-errors';
import { CONFIG, EVENT_STORE } from './tokens';

type StoreBehaviour = 'answers' | 'throws' | 'hangs';

async function healthApp(store: StoreBehaviour, kafkaBrokers?: string[]): Promise<INestApplication> {
  const fakeStore = {
    loadCheckpoint: () =>
      store === 'answers' ? Promise.resolve('0') : store === 'throws' ? Promise.reject(new Error('connection refused')) : new Promise<string>(() => undefined),
  } as unknown as EventStore;
  @Module({
    imports: [TerminusModule.forRoot({ logger: false })],
    controllers: [HealthController],
    providers: [
      { provide: EVENT_STORE, useValue: fakeStore },
      { provide: CONFIG, useValue: { kafkaBrokers } },
    ],
  })
  class HealthOnly {}
  const app = await NestFactory.create(HealthOnly, { logger: false });
  app.useGlobalFilters(new HttpErrorFilter());
  await app.init();
  return app;
}

const apps: INestApplication[] = [];
const probe = async (store: StoreBehaviour, kafkaBrokers?: string[], path = '/health') => {
  const app = await healthApp(store, kafkaBrokers);
  apps.push(app);
  const res = await request(app.getHttpServer()).get(path);
  return { status: res.status, body: res.body as Record<string, unknown> };
};
afterAll(async () => {
  for (const app of apps) await app.close();
});

describe('GET /health (readiness)', () => {
  it('is 200 with the store up, and says nothing of a broker when there is none', async () => {
    expect(await probe('answers')).toMatchObject({ status: 200, body: { status: 'ok', store: 'up' } });
    expect((await probe('answers')).body).toEqual({ status: 'ok', store: 'up' });
  });

  it('is 503 naming the store when it fails, or does not answer within the timeout', async () => {
    const failed = await probe('throws');
    expect(failed).toMatchObject({ status: 503, body: { error: 'unavailable', status: 'error', store: 'down' } });
    expect(failed.body.message).toContain('store');
    // This store never answers: only the check's own timeout can give an answer at all.
    const hung = await probe('hangs');
    expect(hung).toMatchObject({ status: 503, body: { error: 'unavailable', status: 'error', store: 'down' } });
    expect(hung.body.message).toBe('not ready: store is not answering');
  });

  describe('with KAFKA_BROKERS', () => {
    // Accepts connections and never answers: a port that is open is not a broker.
    let silent: Server;
    let port: number;
    const held: Socket[] = [];
    beforeAll(async () => {
      silent = createServer((socket) => void held.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      port = (silent.address() as { port: number }).port;
    });
    afterAll(async () => {
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });

    it('is 503 naming the broker when the address refuses, and the store is still reported up', async () => {
      const refused = await probe('answers', ['127.0.0.1:1']);
      expect(refused).toMatchObject({ status: 503, body: { error: 'unavailable', status: 'error', store: 'up', broker: 'down' } });
      expect(refused.body.message).toBe('not ready: broker is not answering');
    });

    it('is 503 on the timeout when something accepts the connection but never answers as Kafka', async () => {
      const hung = await probe('answers', [`127.0.0.1:${port}`]);
      expect(hung).toMatchObject({ status: 503, body: { broker: 'down', store: 'up' } });
      // Not a refused connection or another early error: the check waited for its timeout.
      await expect(brokerReachable([`127.0.0.1:${port}`], HEALTH_CHECK_TIMEOUT_MS)).rejects.toThrow(`the broker did not answer within ${HEALTH_CHECK_TIMEOUT_MS} ms`);
    });

    const realBrokers = process.env.KAFKA_BROKERS;
    if (!realBrokers) console.warn('/health against a real Kafka broker NOT RUN: KAFKA_BROKERS is not set (e.g. KAFKA_BROKERS=127.0.0.1:9092)');
    (realBrokers ? it : it.skip)('is 200 with broker up against the real Kafka broker of KAFKA_BROKERS', async () => {
      expect(await probe('answers', realBrokers!.split(','))).toMatchObject({ status: 200, body: { status: 'ok', store: 'up', broker: 'up' } });
    });
  });
});

describe('GET /health/live (liveness)', () => {
  it('is 200 while the process answers, even when the store does not', async () => {
    expect(await probe('throws', ['127.0.0.1:1'], '/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });
});
