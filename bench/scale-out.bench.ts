/**
 * 7. Scale-out: the allocation service as separate processes, one instance against two.
 *
 * What is measured is allocation's own throughput, with nothing else deciding: each trial gets a
 * fresh schema (our migrations) holding N children's facts (a WorkerAllocated and an ICPCHeld with
 * a CP plan, dated today: one TransferProposed each by 000 ¶12), written straight into the events
 * table as the store writes them (hash-chained, `event-rows.ts`), and fresh topics under a prefix
 * of its own (KAFKA_TOPIC_PREFIX). Then 1 or 2 `npm run start:allocation` processes start on them
 * (DATABASE_URL, DATABASE_SCHEMA, KAFKA_BROKERS, KAFKA_TOPIC_PREFIX, as a deployment runs them);
 * once each says "listening on" and the group `allocation.recorded-facts` is stable with every
 * instance in it, the bench publishes the recorded facts to `recorded-facts` as the outbox relay
 * does (`publishRecorded`: same keys, CloudEvents headers, stream versions): first a warm-up (600
 * children, on every partition) until it is decided, then the measured N, timed from their first
 * publish to the moment the store holds every expected TransferProposed. No intake, relay,
 * checklist or escalation process runs: the figure is allocation's, and the database's it uses.
 *
 * The topics have 6 partitions (not KafkaBus's default 3): with 3, two instances split them 2 and 1,
 * so the busier instance still has two thirds of the work and 1.5× is the most two could reach.
 *
 * CPU: /proc/<pid>/stat (utime + stime) of each allocation process, of PostgreSQL's processes and
 * of the Kafka broker, and /proc/stat for the whole machine, read at the start and the end of the
 * measured interval: whether the instances, the database or the machine (2 cores) was the limit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { Client, Pool } from 'pg';
import { childStreamId, type CaseEvent } from '@cto/domain';
import { openPostgresEventStore, START_CHECKPOINT, type StoredEvent } from '@cto/event-store';
import { KafkaBus, TOPICS } from '@cto/messaging';
import { NamespacedBus, publishRecorded } from '@cto/runtime';
import { testAuthEnv } from '@cto/testing';
import { addChainedRows, INSERT_EVENT_ROWS, noEventRows } from './event-rows';
import { commandOf, cpuBetween, describeCpu, descendants, processGroupAlive, snapshot, type CpuUse } from './cpu';
import { KafkaHarness } from './kafka-harness';
import { median, now, round, sqlName, waitUntil, type Benchmark, type BenchContext, type BenchmarkResult } from './lib';

const SPEEDUP_TARGET = 1.6;
const PARTITIONS = 6;
/** Decided before the measured part, by every instance (their keys fall on every partition). */
const WARM_UP_CHILDREN = 600;
const GROUP = `allocation.${TOPICS.recordedFacts}`;
const ROOT = resolve(__dirname, '..');
const TODAY = new Date().toISOString().slice(0, 10);

function childFacts(prefix: string, n: number): CaseEvent[] {
  const childId = `${prefix}-C${n}`;
  const fact = (i: number, type: string, occurredAt: string, data: object) => ({ eventId: `${childId}-${i}`, type, authority: 'demo', childId, occurredAt, source: 'lcs', data }) as CaseEvent;
  return [fact(1, 'WorkerAllocated', `${TODAY}T09:00:00Z`, { team: 'A&I', workerId: 'W-1' }), fact(2, 'ICPCHeld', `${TODAY}T10:00:00Z`, { outcome: 'cp-plan' })];
}

/** A fresh schema holding `children` children's facts; returns them as the store reads them back, in log order. */
async function prerecord(url: string, schema: string, prefix: string, children: number): Promise<StoredEvent[]> {
  const store = await openPostgresEventStore({ connectionString: url, schema, maxConnections: 2 });
  const pool = new Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 1 });
  try {
    for (let from = 0; from < children; from += 2_000) {
      const rows = noEventRows();
      for (let n = from; n < Math.min(children, from + 2_000); n++) addChainedRows(rows, childStreamId('demo', `${prefix}-C${n}`), childFacts(prefix, n));
      await pool.query(INSERT_EVENT_ROWS, rows);
    }
    await pool.query('ANALYZE events');
    const events: StoredEvent[] = [];
    for (let after = START_CHECKPOINT; ; ) {
      const page = await store.readAll({ after, limit: 5_000 });
      if (!page.events.length) break;
      events.push(...page.events);
      after = page.checkpoint;
    }
    return events;
  } finally {
    await pool.end();
    await store.close();
  }
}

interface Instance {
  child: ChildProcess;
  output: () => string;
}

/** `npm run start:allocation`, as services-as-processes starts it; resolves once it is listening. */
async function startAllocation(env: NodeJS.ProcessEnv): Promise<Instance> {
  const child = spawn('npm', ['run', '--silent', 'start:allocation'], { cwd: ROOT, env, detached: true });
  let output = '';
  child.stdout!.on('data', (b: Buffer) => (output += b));
  child.stderr!.on('data', (b: Buffer) => (output += b));
  await new Promise<void>((resolveStarted, reject) => {
    const timer = setTimeout(() => reject(new Error(`allocation did not start within 90 s:\n${output}`)), 90_000);
    child.stdout!.on('data', () => {
      if (/listening on /.test(output)) {
        clearTimeout(timer);
        resolveStarted();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`allocation exited with ${code}:\n${output}`));
    });
  });
  return { child, output: () => output };
}

/**
 * SIGTERM to the instance's process group (npm, its shell, node); SIGKILL to what is left of it
 * 15 s later — npm exits at once, but a handler that never settles keeps node's shutdown waiting.
 */
async function stop(instance: Instance): Promise<void> {
  const group = instance.child.pid!;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-group, name);
    } catch {
      // the group is gone
    }
  };
  signal('SIGTERM');
  if (!(await waitUntil(() => !processGroupAlive(group), 15_000, 100))) {
    signal('SIGKILL');
    await waitUntil(() => !processGroupAlive(group), 5_000, 100);
  }
}

interface Trial {
  instances: number;
  seconds: number;
  factsPerSecond: number;
  cpu: CpuUse;
}

async function trial(ctx: BenchContext, harness: KafkaHarness, instances: number, children: number, label: string): Promise<Trial> {
  const url = ctx.databaseUrl!;
  const schema = sqlName(`bench_scale_${label}`, ctx);
  const prefix = harness.name(`${label}.`);
  const bus = new NamespacedBus(new KafkaBus({ brokers: harness.brokers, clientId: `bench-${ctx.runId}-scale`, partitions: PARTITIONS, logLevel: 'error' }), prefix);
  const running: Instance[] = [];
  const counter = new Client({ connectionString: url, options: `-c search_path=${schema}` });
  try {
    const childPrefix = `${ctx.runId}-${label}`;
    const recorded = await prerecord(url, schema, childPrefix, WARM_UP_CHILDREN + children);
    const warmChildren = new Set(Array.from({ length: WARM_UP_CHILDREN }, (_, n) => `${childPrefix}-C${n}`));
    const warmUp = recorded.filter((e) => warmChildren.has(e.metadata.childId));
    const facts = recorded.filter((e) => !warmChildren.has(e.metadata.childId));
    await harness.createTopicsOf(PARTITIONS, ...[TOPICS.recordedFacts, TOPICS.transferEvents].map((t) => bus.named(t)));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: '0',
      DATABASE_URL: url,
      DATABASE_SCHEMA: schema,
      KAFKA_BROKERS: harness.brokers.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      // BENCH_CHILD_NODE_OPTIONS: e.g. `-r ./bench/cpu-profile-on-exit.ts` to profile each instance.
      NODE_OPTIONS: process.env.BENCH_CHILD_NODE_OPTIONS ?? '',
      ...testAuthEnv(),
    };
    running.push(...(await Promise.all(Array.from({ length: instances }, () => startAllocation(env)))));
    // Every instance in the group and the partitions assigned, so none starts ahead of the others.
    const admin = harness.kafka.admin();
    await admin.connect();
    try {
      const stable = await waitUntil(async () => {
        const [group] = (await admin.describeGroups([bus.named(GROUP)])).groups;
        return group.state === 'Stable' && group.members.length === instances;
      }, 120_000, 250);
      if (!stable) throw new Error(`${label}: the group did not settle with ${instances} member(s)`);
    } finally {
      await admin.disconnect();
    }
    // The node process itself, not npm or the shell between them.
    const pids = running.map((r) => {
      const node = descendants(r.child.pid!).find((pid) => /(^|\/)node$/.test(commandOf(pid).split(' ')[0]) && commandOf(pid).includes('services/allocation/src/main.ts'));
      if (!node) throw new Error(`${label}: the allocation node process was not found under npm (pid ${r.child.pid})`);
      return node;
    });
    await counter.connect();
    const proposed = async () => Number((await counter.query("SELECT count(*)::int AS n FROM events WHERE type = 'TransferProposed'")).rows[0].n);

    // A warm-up first, spread over every partition, so each instance's code is compiled and
    // optimised before the measured part (a fresh process deciding cold costs more per fact).
    await publishRecorded(bus, warmUp);
    if (!(await waitUntil(async () => (await proposed()) >= WARM_UP_CHILDREN, 120_000, 100))) throw new Error(`${label}: the warm-up was not decided; the instances said:\n${running.map((r) => r.output().slice(-3_000)).join('\n---\n')}`);

    const before = snapshot(pids);
    const t = now();
    for (let i = 0; i < facts.length; i += 500) await publishRecorded(bus, facts.slice(i, i + 500));
    const published = (now() - t) / 1000;
    const done = await waitUntil(async () => (await proposed()) >= WARM_UP_CHILDREN + children, 120_000, 100);
    const seconds = (now() - t) / 1000;
    const after = snapshot(pids);
    if (!done) throw new Error(`${label}: only ${(await proposed()) - WARM_UP_CHILDREN} of ${children} TransferProposed recorded within 120 s; the instances said:\n${running.map((r) => r.output().slice(-3_000)).join('\n---\n')}`);
    const cpu = cpuBetween(before, after, seconds);
    const result = { instances, seconds, factsPerSecond: facts.length / seconds, cpu };
    ctx.log(`  ${label}: ${instances} instance(s), ${facts.length} facts in ${round(seconds, 2)} s (published in ${round(published, 2)} s): ${Math.round(result.factsPerSecond)} facts/s; ${describeCpu(cpu, 'allocation')}`);
    return result;
  } finally {
    await Promise.all(running.map(stop));
    await counter.end().catch(() => undefined);
    await bus.close();
    const admin = new Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

export const scaleOutBenchmark: Benchmark = {
  name: 'scale-out',
  title: 'Scale-out: allocation as 1 and 2 processes on recorded-facts (6 partitions)',
  unavailable: (ctx) => (!ctx.kafkaBrokers ? 'needs KAFKA_BROKERS' : !ctx.databaseUrl ? 'needs DATABASE_URL' : undefined),
  async run(ctx: BenchContext): Promise<BenchmarkResult> {
    const harness = new KafkaHarness(ctx.kafkaBrokers!, `${ctx.runId}-scale`);
    const children = ctx.quick ? 1_000 : 6_000;
    // Alternating, so drift in the machine's load touches both.
    const order = ctx.quick ? [1, 2] : [1, 2, 1, 2, 1, 2];
    const trials: Trial[] = [];
    try {
      let n = 0;
      for (const instances of order) trials.push(await trial(ctx, harness, instances, children, `t${n++}-${instances}x`));
    } finally {
      await harness.cleanup();
    }
    const of = (k: number) => trials.filter((t) => t.instances === k);
    const one = median(of(1).map((t) => t.factsPerSecond));
    const two = median(of(2).map((t) => t.factsPerSecond));
    const speedup = two / one;
    const cpuMedian = (k: number, pick: (c: CpuUse) => number) => median(of(k).map((t) => pick(t.cpu)));
    const figures: Record<string, number | string> = {
      twoInstancesFactsPerSecond: round(two, 0),
      twoInstancesRounds: of(2).map((t) => round(t.factsPerSecond, 0)).join(', '),
      childrenPerTrial: children,
      factsPerTrial: children * 2,
      partitions: PARTITIONS,
    };
    // CPU time per 1,000 facts: equal for one and two instances means a second instance adds no
    // work of its own (no waiting on each other, no repeated reads), so the cores are what limit.
    const msPerThousand = (t: Trial, percent: number) => round(((percent / 100) * t.seconds * 1000) / ((children * 2) / 1000), 0);
    for (const k of [1, 2]) {
      figures[`cpu${k}xAllocationMsPerThousandFacts`] = median(of(k).map((t) => msPerThousand(t, t.cpu.instances.reduce((a, b) => a + b, 0))));
      figures[`cpu${k}xPostgresMsPerThousandFacts`] = median(of(k).map((t) => msPerThousand(t, t.cpu.postgres)));
      figures[`cpu${k}xAllocationPercentEach`] = of(k).map((t) => t.cpu.instances.join('+')).join(', ');
      figures[`cpu${k}xPostgresPercent`] = cpuMedian(k, (c) => c.postgres);
      figures[`cpu${k}xKafkaPercent`] = cpuMedian(k, (c) => c.kafka);
      figures[`cpu${k}xBenchPercent`] = cpuMedian(k, (c) => c.bench);
      figures[`cpu${k}xOtherPercent`] = cpuMedian(k, (c) => c.other);
      figures[`cpu${k}xMachinePercent`] = cpuMedian(k, (c) => c.machine);
    }
    return {
      name: this.name,
      title: this.title,
      figures,
      baseline: { oneInstanceFactsPerSecond: round(one, 0), oneInstanceRounds: of(1).map((t) => round(t.factsPerSecond, 0)).join(', ') },
      checks: [
        {
          name: 'allocation, two instances ÷ one',
          figure: round(two, 0),
          unit: 'facts/s',
          baseline: { name: 'one allocation instance', figure: round(one, 0), unit: 'facts/s' },
          ratio: round(speedup, 3),
          ratioMeaning: 'two instances ÷ one',
          target: `≥ ${SPEEDUP_TARGET}×`,
          pass: speedup >= SPEEDUP_TARGET,
        },
      ],
      notes: [
        `${children} children (${children * 2} recorded facts, ${children} TransferProposed) per trial, ${PARTITIONS} partitions, trials in the order ${order.join(', ')} instance(s); medians.`,
        'CPU is % of one core over each trial (200% is both cores of this machine): allocation per instance; postgres and kafka all their processes on the machine; bench this process; other the rest of the machine (other engineers\' test runs).',
      ],
    };
  },
};
