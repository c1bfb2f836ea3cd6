/**
 * 5. Replay: fold 1,000,000 stored events from position 0, as a read-model rebuild would.
 *
 * Read models proper do not exist yet (issue 8): what is measured is their floor — the store's
 * global read (`readAll` from START_CHECKPOINT in pages, the transaction-visibility-safe reader the
 * outbox relay and projections use) plus folding each child's stream with `evolve` into a map of
 * child states. Baseline: a raw `pg` server-side cursor over the same table in global order (pg's
 * own jsonb parsing), with the same fold.
 *
 * The events are the realistic mix (libs/testing/src/event-mix.ts), written straight into a fresh schema
 * made by our migrations with multi-row INSERTs from unnest() — rows shaped exactly as the store
 * writes them: fact metadata from `factEvent`, each with its `integrity` link (previousHash, hash),
 * chained per stream by `integrityHash`.
 */
import { childStreamId, evolve, initialChildState, type ChildState } from '@cto/domain';
import { type EventMetadata, openPostgresEventStore, type SqlEventStore, START_CHECKPOINT, type StoredEvent, toChildStreamEvent } from '@cto/event-store';
import { Client, Pool } from 'pg';
import { addChainedRows, INSERT_EVENT_ROWS, noEventRows } from './event-rows';
import { generateChildren } from '@cto/testing';
import { collectGarbage, now, round, sqlName, type Benchmark, type BenchContext, type BenchmarkResult } from './lib';

const TARGET_SECONDS = 30;
const PAGE = 5_000;

async function fill(ctx: BenchContext, pool: Pool, total: number): Promise<number> {
  let written = 0;
  let c = 0;
  const chunkChildren = 2_000;
  while (written < total) {
    const children = generateChildren({ children: chunkChildren, prefix: `rp-${ctx.runId}-${c}`, seed: 1000 + c });
    c++;
    const rows = noEventRows();
    for (const child of children) addChainedRows(rows, childStreamId(child.authority, child.childId), child.events, total - written);
    await pool.query(INSERT_EVENT_ROWS, rows);
    written += rows[0].length;
  }
  return written;
}

function foldInto(states: Map<string, ChildState>, event: StoredEvent): void {
  const { authority, childId } = event.metadata;
  const state = states.get(event.streamId) ?? initialChildState(authority, childId);
  states.set(event.streamId, evolve(state, toChildStreamEvent(event)));
}

export const replayBenchmark: Benchmark = {
  name: 'replay',
  title: 'Replay: fold 1,000,000 stored events from position 0',
  unavailable: (ctx) => (ctx.databaseUrl ? undefined : 'needs DATABASE_URL'),
  async run(ctx: BenchContext): Promise<BenchmarkResult> {
    const url = ctx.databaseUrl!;
    const schema = sqlName('bench_replay', ctx);
    const total = ctx.quick ? 100_000 : 1_000_000;
    let store: SqlEventStore | undefined;
    const pool = new Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 2 });
    try {
      store = await openPostgresEventStore({ connectionString: url, schema, maxConnections: 2 });
      let t = now();
      const written = await fill(ctx, pool, total);
      await pool.query('ANALYZE events');
      const fillSeconds = (now() - t) / 1000;
      ctx.log(`replay: wrote ${written} events in ${round(fillSeconds, 1)} s`);

      // Ours: readAll pages from the start, folded.
      collectGarbage();
      t = now();
      const states = new Map<string, ChildState>();
      let checkpoint = START_CHECKPOINT;
      let read = 0;
      // Time-boxed so a slow reader cannot take the whole bench run with it: a replay that has not
      // finished by then is reported as a lower bound, extrapolated from what was read.
      const budgetMs = ctx.quick ? 60_000 : 150_000;
      let finished = true;
      for (;;) {
        if (now() - t > budgetMs) {
          finished = false;
          break;
        }
        const page = await store.readAll({ after: checkpoint, limit: PAGE });
        if (!page.events.length) {
          if (read >= written) break;
          // A transaction elsewhere in the cluster holds the visibility horizon back: wait for it.
          await new Promise((resolve) => setTimeout(resolve, 50));
          continue;
        }
        for (const event of page.events) foldInto(states, event);
        read += page.events.length;
        checkpoint = page.checkpoint;
      }
      const oursSeconds = (now() - t) / 1000;
      ctx.log(`replay: ours ${round(oursSeconds, 1)} s for ${read} events, ${states.size} children`);

      // Baseline: a raw cursor in global order, pg's own parsing, the same fold.
      collectGarbage();
      const client = await pool.connect();
      let rawRead = 0;
      let rawChildren = 0;
      let rawReadOnlySeconds = 0;
      try {
        t = now();
        const rawStates = new Map<string, ChildState>();
        await client.query('BEGIN');
        await client.query(
          `DECLARE replay NO SCROLL CURSOR FOR
             SELECT event_id, stream_id, stream_version, type, data, metadata, global_position::text AS global_position, recorded_at
               FROM events ORDER BY global_position`,
        );
        for (;;) {
          const tf = now();
          const { rows } = await client.query<{ event_id: string; stream_id: string; stream_version: number; type: string; data: unknown; metadata: EventMetadata; global_position: string; recorded_at: Date }>(
            `FETCH ${PAGE} FROM replay`,
          );
          rawReadOnlySeconds += (now() - tf) / 1000;
          if (!rows.length) break;
          for (const r of rows) {
            foldInto(rawStates, {
              eventId: r.event_id,
              streamId: r.stream_id,
              streamVersion: r.stream_version,
              type: r.type,
              data: r.data,
              metadata: r.metadata,
              globalPosition: r.global_position,
              recordedAt: r.recorded_at.toISOString(),
            });
          }
          rawRead += rows.length;
        }
        await client.query('COMMIT');
        rawChildren = rawStates.size;
      } finally {
        client.release();
      }
      const rawSeconds = (now() - t) / 1000;
      ctx.log(`replay: raw cursor ${round(rawSeconds, 1)} s for ${rawRead} events`);
      // Scaled to a million when --quick writes fewer, so the check stays about the target.
      // A partial replay slows down as it goes (see README), so the linear extrapolation is a lower bound.
      const perMillion = (oursSeconds / Math.max(1, read)) * 1_000_000;
      return {
        name: this.name,
        title: this.title,
        figures: {
          oursSeconds: round(oursSeconds, 2),
          finished: finished ? 'yes' : `no: ${read} of ${written} events in the ${budgetMs / 1000} s budget`,
          oursEventsPerSecond: round(read / oursSeconds, 0),
          secondsPerMillion: round(perMillion, 2),
          events: read,
          children: states.size,
          pageSize: PAGE,
          fillSeconds: round(fillSeconds, 1),
        },
        baseline: {
          rawCursorWithFoldSeconds: round(rawSeconds, 2),
          rawCursorReadOnlySeconds: round(rawReadOnlySeconds, 2),
          rawEvents: rawRead,
          rawChildren,
        },
        checks: [
          {
            name: 'replay of 1,000,000 events (store read + evolve fold)',
            figure: round(perMillion, 2),
            unit: 's',
            baseline: { name: 'raw pg cursor + the same fold', figure: round((rawSeconds / rawRead) * 1_000_000, 2), unit: 's' },
            ratio: round(oursSeconds / rawSeconds, 3),
            ratioMeaning: 'ours ÷ raw cursor (time; lower is better)',
            target: `≤ ${TARGET_SECONDS} s per 1,000,000 events`,
            pass: finished && perMillion <= TARGET_SECONDS,
          },
        ],
        notes: [
          ...(finished ? [] : [`Did not finish: ${read} of ${written} events read in ${budgetMs / 1000} s; the per-million figure is a linear extrapolation, a lower bound.`]),
          'Read models do not exist yet: this measures the store read + the evolve fold a rebuild would start from.',
          ctx.quick ? `--quick: ${read} events, scaled to a million for the check.` : `${read} events in one run; single run (each pass reads the whole table).`,
        ],
      };
    } finally {
      await store?.close();
      await pool.end();
      const admin = new Client({ connectionString: url });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  },
};
