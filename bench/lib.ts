/**
 * What every benchmark shares: the run's settings, timing helpers, and the shape of a result.
 * Figures are compared with a baseline measured in the same run on the same machine, so a result
 * is a ratio, never an absolute promise (bench/README.md).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface BenchContext {
  /** --quick: a short smoke run (small sizes, one round); its numbers are not the reported ones. */
  quick: boolean;
  /** Unique per run: schema, database, topic and group names carry it, so runs never collide. */
  runId: string;
  databaseUrl?: string;
  kafkaBrokers?: string[];
  log: (line: string) => void;
}

/** One target: a figure, what it was compared with, and whether it met the target. */
export interface Check {
  name: string;
  figure: number;
  unit: string;
  baseline?: { name: string; figure: number; unit: string };
  /** figure / baseline.figure (or the inverse when lower is better; `ratioMeaning` says which). */
  ratio?: number;
  ratioMeaning?: string;
  target: string;
  pass: boolean;
}

export interface BenchmarkResult {
  name: string;
  title: string;
  /** Every measured figure, by name (medians unless the name says otherwise). */
  figures: Record<string, number | string>;
  /** The baseline's figures, measured in the same run. */
  baseline: Record<string, number | string>;
  checks: Check[];
  notes: string[];
  durationSeconds?: number;
}

export interface Benchmark {
  name: string;
  title: string;
  /** Whether it can run here (e.g. needs DATABASE_URL); a reason when it cannot. */
  unavailable?: (ctx: BenchContext) => string | undefined;
  run: (ctx: BenchContext) => Promise<BenchmarkResult>;
}

export const now = (): number => performance.now();

export function median(values: readonly number[]): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Runs the collector if the process was started with --expose-gc (npm run bench does). */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `done` is true or `timeoutMs` passes; returns whether it became true. */
export async function waitUntil(done: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await done()) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}

export const round = (n: number, digits = 2): number => (Number.isFinite(n) ? Number(n.toFixed(digits)) : n);

/** A SQL identifier made from the run id: lower case, digits, underscores. */
export const sqlName = (prefix: string, ctx: BenchContext): string => `${prefix}_${ctx.runId}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');

/** The same connection string pointing at another database of the same server. */
export function withDatabase(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * The node flags `npm start` passes: package.json's `start` is `node [flags] deploy/build/start.js`
 * (flags a process can only be given when it starts, such as V8's young-generation size; see
 * deploy/build/start.js). Benchmarks that start the app as `npm start` does, without npm in between,
 * read them from there, so what they measure is what a user runs.
 */
export function npmStartNodeFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { scripts: { start: string } };
  const flags = /^node((?:\s+--\S+)*)\s+deploy\/build\/start\.js$/.exec(scripts.start.trim())?.[1];
  if (flags === undefined) throw new Error(`package.json's start script is not "node [flags] deploy/build/start.js": ${scripts.start}`);
  return flags.split(/\s+/).filter(Boolean);
}
