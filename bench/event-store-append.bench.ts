/**
 * 2. Event store append: our adapter against raw `pg` and against Emmett, on the same PostgreSQL.
 *
 * The workload is a caseload being written: the facts of many children (the realistic mix), each
 * child's stream appended in small batches (1–3 events, as intake and allocation append), every
 * append with optimistic concurrency (the exact expected version, 'no-stream' for the first), by 8
 * concurrent writers. Each store works in its own fresh schema (ours, raw) or database (Emmett,
 * which keeps its tables on the search_path), dropped afterwards.
 *
 * - ours: `openPostgresEventStore(...).appendToStream`;
 * - raw: one multi-row INSERT per batch, autocommit, into a table made by our own migrations (so
 *   the same columns, constraints and indexes), with stream versions computed by the client — no
 *   lock, no version check, no hash chain: the floor any store on this table pays;
 * - Emmett 0.42: `getPostgreSQLEventStore(connectionString).appendToStream` with
 *   `expectedStreamVersion`.
 */
import { getPostgreSQLEventStore, type PostgresEventStore } from '@event-driven-io/emmett-postgresql';
import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { childStreamId, type CaseEvent } from '@cto/domain';
import { factEvent, type NewEvent, openPostgresEventStore, type SqlEventStore } from '@cto/event-store';
import { Client, Pool } from 'pg';
import { generateChildren, random } from '@cto/testing';
import { collectGarbage, median, now, round, sqlName, withDatabase, type Benchmark, type BenchContext, type BenchmarkResult } from './lib';

const WRITERS = 8;
const POOL_SIZE = 10;

interface StreamWork {
  streamId: string;
  /** The stream's events cut into the batches they are appended in. */
  batches: NewEvent[][];
}

type Appender = (streamId: string, batch: NewEvent[], expectedVersion: number) => Promise<void>;

function workload(ctx: BenchContext, streams: number, tag: string): { work: StreamWork[]; events: number } {
  const children = generateChildren({ children: streams, prefix: `ap-${ctx.runId}-${tag}`, seed: 7 });
  const rnd = random(11);
  let events = 0;
  const work = children.map((child) => {
    const facts = child.events.map((e: CaseEvent) => factEvent(e));
    const batches: NewEvent[][] = [];
    for (let i = 0; i < facts.length; ) {
      const size = 1 + Math.floor(rnd() * 3);
      batches.push(facts.slice(i, i + size));
      i += size;
    }
    events += facts.length;
    return { streamId: childStreamId(child.authority, child.childId), batches };
  });
  return { work, events };
}

/** WRITERS concurrent writers, each taking the next stream and appending its batches in order. */
async function appendAll(work: StreamWork[], append: Appender): Promise<void> {
  let next = 0;
  const writer = async () => {
    for (let i = next++; i < work.length; i = next++) {
      const { streamId, batches } = work[i];
      let version = 0;
      for (const batch of batches) {
        await append(streamId, batch, version);
        version += batch.length;
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
}

function rawAppender(pool: Pool): Appender {
  return async (streamId, batch, expectedVersion) => {
    const values: unknown[] = [];
    const rows = batch.map((e, i) => {
      values.push(e.eventId, streamId, expectedVersion + i + 1, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata));
      const p = i * 6;
      return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}::jsonb, $${p + 6}::jsonb)`;
    });
    await pool.query(`INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata) VALUES ${rows.join(', ')}`, values);
  };
}

const oursAppender =
  (store: SqlEventStore): Appender =>
  async (streamId, batch, expectedVersion) => {
    await store.appendToStream(streamId, batch, { expectedVersion: expectedVersion === 0 ? 'no-stream' : expectedVersion });
  };

const emmettAppender =
  (store: PostgresEventStore): Appender =>
  async (streamId, batch, expectedVersion) => {
    await store.appendToStream(
      streamId,
      batch.map((e) => ({ type: e.type, data: e.data as Record<string, unknown>, metadata: e.metadata })),
      { expectedStreamVersion: expectedVersion === 0 ? STREAM_DOES_NOT_EXIST : BigInt(expectedVersion) },
    );
  };

export const eventStoreAppendBenchmark: Benchmark = {
  name: 'event-store-append',
  title: 'Event store append: ours vs raw pg vs Emmett',
  unavailable: (ctx) => (ctx.databaseUrl ? undefined : 'needs DATABASE_URL'),
  async run(ctx: BenchContext): Promise<BenchmarkResult> {
    const url = ctx.databaseUrl!;
    const oursSchema = sqlName('bench_ours', ctx);
    const rawSchema = sqlName('bench_raw', ctx);
    const emmettDb = sqlName('bench_emmett', ctx);
    const admin = new Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${emmettDb}`);
    let ours: SqlEventStore | undefined;
    let rawStore: SqlEventStore | undefined;
    let raw: Pool | undefined;
    let emmett: PostgresEventStore | undefined;
    try {
      ours = await openPostgresEventStore({ connectionString: url, schema: oursSchema, maxConnections: POOL_SIZE, applicationName: 'bench-ours' });
      // The raw table is made by our migrations, so it has the same columns, constraints and indexes.
      rawStore = await openPostgresEventStore({ connectionString: url, schema: rawSchema, maxConnections: 1 });
      await rawStore.close();
      raw = new Pool({ connectionString: url, options: `-c search_path=${rawSchema}`, max: POOL_SIZE, application_name: 'bench-raw' });
      emmett = getPostgreSQLEventStore(withDatabase(url, emmettDb));

      const systems: Array<{ name: 'ours' | 'raw' | 'emmett'; append: Appender }> = [
        { name: 'ours', append: oursAppender(ours) },
        { name: 'raw', append: rawAppender(raw) },
        { name: 'emmett', append: emmettAppender(emmett) },
      ];
      // Warm up each (schema creation, connections, JIT) on streams of its own.
      for (const s of systems) await appendAll(workload(ctx, 100, `warm-${s.name}`).work, s.append);

      const streams = ctx.quick ? 300 : 1_500;
      const rounds = ctx.quick ? 1 : 3;
      const rates: Record<string, number[]> = { ours: [], raw: [], emmett: [] };
      let eventsPerRound = 0;
      for (let r = 0; r < rounds; r++) {
        // Rotate the order so none of them always runs first (or last) on a growing table.
        const order = [...systems.slice(r % 3), ...systems.slice(0, r % 3)];
        for (const s of order) {
          const { work, events } = workload(ctx, streams, `${s.name}-r${r}`);
          eventsPerRound = events;
          collectGarbage();
          const t = now();
          await appendAll(work, s.append);
          const rate = events / ((now() - t) / 1000);
          rates[s.name].push(rate);
          ctx.log(`event-store-append: round ${r + 1}/${rounds} ${s.name}: ${Math.round(rate)} events/s`);
        }
      }
      const oursRate = median(rates.ours);
      const rawRate = median(rates.raw);
      const emmettRate = median(rates.emmett);
      return {
        name: this.name,
        title: this.title,
        figures: {
          oursEventsPerSecond: round(oursRate, 0),
          oursRounds: rates.ours.map((v) => round(v, 0)).join(', '),
          eventsPerRound,
          streamsPerRound: streams,
          writers: WRITERS,
          appendsOf: '1–3 events',
        },
        baseline: {
          rawPgEventsPerSecond: round(rawRate, 0),
          rawRounds: rates.raw.map((v) => round(v, 0)).join(', '),
          emmettEventsPerSecond: round(emmettRate, 0),
          emmettRounds: rates.emmett.map((v) => round(v, 0)).join(', '),
        },
        checks: [
          {
            name: 'append throughput vs raw pg INSERT',
            figure: round(oursRate, 0),
            unit: 'events/s',
            baseline: { name: 'raw pg multi-row INSERT', figure: round(rawRate, 0), unit: 'events/s' },
            ratio: round(oursRate / rawRate, 3),
            ratioMeaning: 'ours ÷ raw',
            target: '≥ 0.7× raw pg',
            pass: oursRate / rawRate >= 0.7,
          },
          {
            name: 'append throughput vs Emmett 0.42',
            figure: round(oursRate, 0),
            unit: 'events/s',
            baseline: { name: 'Emmett PostgreSQL appendToStream', figure: round(emmettRate, 0), unit: 'events/s' },
            ratio: round(oursRate / emmettRate, 3),
            ratioMeaning: 'ours ÷ Emmett',
            target: '≥ 1.5× Emmett',
            pass: oursRate / emmettRate >= 1.5,
          },
        ],
        notes: [`${WRITERS} concurrent writers, pools of ${POOL_SIZE}; median of ${rounds} round(s), each on fresh streams; rounds rotate the order.`],
      };
    } finally {
      await ours?.close();
      await raw?.end();
      await emmett?.close();
      await admin.query(`DROP SCHEMA IF EXISTS ${oursSchema} CASCADE`);
      await admin.query(`DROP SCHEMA IF EXISTS ${rawSchema} CASCADE`);
      await admin.query(`DROP DATABASE IF EXISTS ${emmettDb} WITH (FORCE)`);
      await admin.end();
    }
  },
};
