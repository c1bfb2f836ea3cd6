/**
 * `npm run bench`: runs the benchmarks, prints a table and writes bench/results.json.
 *
 *   npm run bench                       # everything (about 15–20 minutes on 2 cores)
 *   npm run bench -- --quick            # a short smoke run of everything (numbers not reported)
 *   npm run bench -- --only replay,memory
 *   npm run bench -- --only scale-out   # allocation as 1 and 2 processes
 *
 * `npm run bench` finds or starts PostgreSQL and Kafka (DATABASE_URL, KAFKA_BROKERS); a benchmark
 * whose infrastructure is missing is reported as not run, with the reason. What each benchmark
 * measures, its baseline and target: bench/README.md.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { endToEndBenchmark, platformaticBenchmark } from './end-to-end.bench';
import { eventStoreAppendBenchmark } from './event-store-append.bench';
import { healthBenchmark } from './health.bench';
import { hostileInputBenchmark } from './hostile-input.bench';
import { importBenchmark, importCommitBenchmark } from './import.bench';
import { memoryBenchmark } from './memory.bench';
import { policyEngineBenchmark } from './policy-engine.bench';
import { replayBenchmark } from './replay.bench';
import { scaleOutBenchmark } from './scale-out.bench';
import { startupBenchmark } from './startup.bench';
import { now, round, type Benchmark, type BenchContext, type BenchmarkResult } from './lib';

const BENCHMARKS: Benchmark[] = [policyEngineBenchmark, eventStoreAppendBenchmark, endToEndBenchmark, platformaticBenchmark, replayBenchmark, memoryBenchmark, scaleOutBenchmark, healthBenchmark, hostileInputBenchmark, importBenchmark, importCommitBenchmark, startupBenchmark];

function parseArgs(argv: string[]): { quick: boolean; only?: string[] } {
  const quick = argv.includes('--quick');
  const at = argv.indexOf('--only');
  const onlyArg = at >= 0 ? argv[at + 1] : argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const only = onlyArg?.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = only?.filter((name) => !BENCHMARKS.some((b) => b.name === name)) ?? [];
  if ((at >= 0 && !onlyArg) || unknown.length) {
    process.stderr.write(`--only takes names from: ${BENCHMARKS.map((b) => b.name).join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}\n`);
    process.exit(64);
  }
  return { quick, ...(only ? { only } : {}) };
}

function table(results: BenchmarkResult[]): string {
  const rows = [['benchmark', 'check', 'figure', 'baseline', 'ratio', 'target', 'result']];
  for (const r of results) {
    if (!r.checks.length) rows.push([r.name, r.notes[0] ?? '', '', '', '', '', 'not run']);
    for (const c of r.checks) {
      rows.push([
        r.name,
        c.name,
        `${c.figure.toLocaleString('en-GB')} ${c.unit}`,
        c.baseline ? `${c.baseline.figure.toLocaleString('en-GB')} ${c.baseline.unit} (${c.baseline.name})` : '—',
        c.ratio !== undefined ? `${c.ratio}×` : '—',
        c.target,
        c.pass ? 'met' : 'MISSED',
      ]);
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row, n) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |${n === 0 ? `\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|` : ''}`).join('\n');
}

async function main(): Promise<void> {
  const { quick, only } = parseArgs(process.argv.slice(2));
  const ctx: BenchContext = {
    quick,
    runId: randomBytes(3).toString('hex'),
    ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
    ...(process.env.KAFKA_BROKERS ? { kafkaBrokers: process.env.KAFKA_BROKERS.split(',').map((b) => b.trim()) } : {}),
    log: (line) => process.stdout.write(`${line}\n`),
  };
  if (!(globalThis as { gc?: unknown }).gc) ctx.log('note: run with --expose-gc (npm run bench does) so collections happen between timed rounds');
  const selected = BENCHMARKS.filter((b) => !only || only.includes(b.name));
  const started = now();
  const tree = measuredTree();
  const results: BenchmarkResult[] = [];
  for (const benchmark of selected) {
    const why = benchmark.unavailable?.(ctx);
    if (why) {
      ctx.log(`${benchmark.name}: not run — ${why}`);
      results.push({ name: benchmark.name, title: benchmark.title, figures: {}, baseline: {}, checks: [], notes: [`not run: ${why}`] });
      continue;
    }
    ctx.log(`\n== ${benchmark.name}: ${benchmark.title}`);
    const t = now();
    try {
      const result = await benchmark.run(ctx);
      result.durationSeconds = round((now() - t) / 1000, 1);
      results.push(result);
    } catch (error) {
      ctx.log(`${benchmark.name}: failed — ${(error as Error).stack ?? String(error)}`);
      results.push({ name: benchmark.name, title: benchmark.title, figures: {}, baseline: {}, checks: [], notes: [`failed: ${(error as Error).message}`], durationSeconds: round((now() - t) / 1000, 1) });
    }
  }
  const totalSeconds = round((now() - started) / 1000, 1);
  const report = {
    generatedAt: new Date().toISOString(),
    quick,
    runId: ctx.runId,
    totalSeconds,
    machine: { node: process.version, cpus: (await import('node:os')).cpus().length, platform: process.platform },
    ...tree,
    benchmarks: results.map((r) => ({
      name: r.name,
      title: r.title,
      durationSeconds: r.durationSeconds,
      figures: r.figures,
      baseline: r.baseline,
      checks: r.checks.map((c) => ({ ...c, result: c.pass ? 'pass' : 'miss' })),
      notes: r.notes,
    })),
  };
  const file = join(__dirname, 'results.json');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  ctx.log(`\n${table(results)}\n\n${quick ? '(--quick: smoke sizes, not the reported figures) ' : ''}total ${totalSeconds} s; written to ${file}`);
  // Kafka and pg clients may keep timers alive for a moment after closing; the work is done.
  process.exit(results.some((r) => !r.checks.length && r.notes[0]?.startsWith('failed')) ? 1 : 0);
}

void main();

/**
 * The commit measured, and the files changed from it as the run began (results.json aside),
 * so a figure can be traced to the code that made it. Nothing when git is not there (a tarball).
 */
function measuredTree(): { commit?: string; uncommitted?: string[] } {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: join(__dirname, '..'), encoding: 'utf8' });
    const uncommitted = git('status', '--porcelain')
      .split('\n')
      .map((line) => line.slice(3))
      .filter((path) => path && path !== 'bench/results.json');
    return { commit: git('rev-parse', 'HEAD').trim(), uncommitted };
  } catch {
    return {};
  }
}
