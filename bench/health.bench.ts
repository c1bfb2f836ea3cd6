/**
 * Health timeout: how long GET /health takes to answer 503 when what it checks does not answer.
 *
 * Moved here from libs/runtime/src/health.int.spec.ts (issue 18 item 7: speed is measured in
 * bench/, never asserted in a test). The test still proves the behaviour — a store that never
 * answers, or something on the broker's address that accepts a connection and never speaks Kafka,
 * gets a 503 naming the check, and the broker check fails with its own timeout — and this says how
 * long that takes: a load balancer's or orchestrator's probe has its own timeout (often 1–5 s), and
 * a readiness check that outlives it looks like a hung process rather than a dependency that is down.
 *
 * The application is the health controller alone, as in the test, listening on a port and probed
 * with fetch: a fake store that never answers, and a TCP server that accepts connections and never
 * answers as the broker. The baseline is the same probe with a store that answers and no broker.
 * Target: each 503 within HEALTH_CHECK_TIMEOUT_MS + 1,500 ms, and the broker's not before its
 * timeout (HEALTH_CHECK_TIMEOUT_MS − 100 ms): the bounds the test used to assert.
 */
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { createServer, type Server, type Socket } from 'node:net';
import type { EventStore } from '@cto/event-store';
import { CONFIG, EVENT_STORE, HEALTH_CHECK_TIMEOUT_MS, HealthController, HttpErrorFilter } from '@cto/runtime';
import { median, now, round, type Benchmark, type BenchContext, type BenchmarkResult } from './lib';

const MARGIN_MS = 1_500;

type Case = { store: 'answers' | 'hangs'; broker?: string };

async function healthApp({ store, broker }: Case): Promise<{ app: INestApplication; url: string }> {
  const fakeStore = { loadCheckpoint: () => (store === 'answers' ? Promise.resolve('0') : new Promise<string>(() => undefined)) } as unknown as EventStore;
  class HealthOnly {}
  Module({
    imports: [TerminusModule.forRoot({ logger: false })],
    controllers: [HealthController],
    providers: [
      { provide: EVENT_STORE, useValue: fakeStore },
      { provide: CONFIG, useValue: { kafkaBrokers: broker ? [broker] : undefined } },
    ],
  })(HealthOnly);
  const app = await NestFactory.create(HealthOnly, { logger: false });
  app.useGlobalFilters(new HttpErrorFilter());
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

/** Milliseconds from request to answer, for `rounds` probes; throws if the answer is not `status`. */
async function probeTimes(target: Case, status: number, rounds: number): Promise<number[]> {
  const { app, url } = await healthApp(target);
  try {
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const started = now();
      const res = await fetch(`${url}/health`);
      times.push(now() - started);
      await res.arrayBuffer();
      if (res.status !== status) throw new Error(`/health answered ${res.status}, expected ${status}`);
    }
    return times;
  } finally {
    await app.close();
  }
}

/** Accepts connections and never answers: a port that is open is not a broker. */
async function silentServer(): Promise<{ address: string; close: () => Promise<void> }> {
  const held: Socket[] = [];
  const server: Server = createServer((socket) => void held.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as { port: number }).port}`,
    close: async () => {
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const healthBenchmark: Benchmark = {
  name: 'health',
  title: 'Health timeout: GET /health answering 503 when the store or the broker does not answer',
  async run(ctx: BenchContext): Promise<BenchmarkResult> {
    const rounds = ctx.quick ? 2 : 5;
    const healthy = await probeTimes({ store: 'answers' }, 200, rounds * 4);
    const storeHangs = await probeTimes({ store: 'hangs' }, 503, rounds);
    const silent = await silentServer();
    let brokerSilent: number[];
    try {
      brokerSilent = await probeTimes({ store: 'answers', broker: silent.address }, 503, rounds);
    } finally {
      await silent.close();
    }
    const ceiling = HEALTH_CHECK_TIMEOUT_MS + MARGIN_MS;
    const floor = HEALTH_CHECK_TIMEOUT_MS - 100;
    ctx.log(`health: 503 for a silent store in ${storeHangs.map((t) => Math.round(t)).join(', ')} ms; for a silent broker in ${brokerSilent.map((t) => Math.round(t)).join(', ')} ms (timeout ${HEALTH_CHECK_TIMEOUT_MS} ms)`);
    const baseline = { name: '200 with the store answering', figure: round(median(healthy), 1), unit: 'ms' };
    return {
      name: this.name,
      title: this.title,
      figures: {
        timeoutMs: HEALTH_CHECK_TIMEOUT_MS,
        storeHangsMedianMs: round(median(storeHangs), 1),
        storeHangsMaxMs: round(Math.max(...storeHangs), 1),
        brokerSilentMedianMs: round(median(brokerSilent), 1),
        brokerSilentMinMs: round(Math.min(...brokerSilent), 1),
        brokerSilentMaxMs: round(Math.max(...brokerSilent), 1),
        rounds,
      },
      baseline: { healthyMedianMs: round(median(healthy), 1), healthyMaxMs: round(Math.max(...healthy), 1), probes: healthy.length },
      checks: [
        {
          name: '503 for a store that never answers (slowest probe)',
          figure: round(Math.max(...storeHangs), 1),
          unit: 'ms',
          baseline,
          target: `≤ ${ceiling.toLocaleString('en-GB')} ms (timeout + ${MARGIN_MS.toLocaleString('en-GB')})`,
          pass: Math.max(...storeHangs) <= ceiling,
        },
        {
          name: '503 for a broker address that never answers (slowest probe; none before the timeout)',
          figure: round(Math.max(...brokerSilent), 1),
          unit: 'ms',
          baseline,
          target: `${floor.toLocaleString('en-GB')}–${ceiling.toLocaleString('en-GB')} ms`,
          pass: Math.min(...brokerSilent) >= floor && Math.max(...brokerSilent) <= ceiling,
        },
      ],
      notes: ['The behaviour (503 naming the check; the broker check failing on its own timeout) is tested in libs/runtime/src/health.int.spec.ts; only its timing is measured here.'],
    };
  },
};
