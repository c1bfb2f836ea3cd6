/**
 * Startup: wall time from spawning `npm start` to the first 200 from GET /health, on a built tree
 * (issue 18: ≤ 3 s, against `node -e` as the floor).
 *
 * The tree is built once first (`node deploy/build/build.js --if-stale`: nothing to do when dist/ is
 * current, as `npm start` itself would find it), so no round pays for a build. Each start is a new
 * process group (`detached`) with PORT set to a free port, LOG_LEVEL=silent and the PGlite default
 * (no DATABASE_URL), polled with GET /health every 50 ms from the moment of the spawn; after the
 * 200 the whole group is sent SIGTERM (SIGKILL after 10 s) and the next start waits for it to be
 * gone. Rounds go round-robin over the commands, so a noisy moment on the machine falls on all.
 *
 *   - `npm start`, existing DATA_DIR: what a user runs to start again (the reported figure: "on a
 *     built tree" is a tree already started once; a first start also pays PGlite's initdb).
 *   - `node [flags] deploy/build/start.js`, existing DATA_DIR: what `npm start` runs (its node flags
 *     read from package.json, lib.ts `npmStartNodeFlags`), without npm's own start (the difference
 *     is npm's CLI, not ours).
 *   - the same on a new, empty DATA_DIR for every round: PGlite's initdb and the migrations (a first
 *     start after a clone pays this, plus the build).
 *   - `node -r @swc-node/register services/embedded/src/main.ts`, existing DATA_DIR: what `npm start`
 *     ran before the compiled build.
 *   - the floor: `node -e "require('http').createServer((q,s)=>s.end('ok')).listen(PORT)"`, any
 *     Node server's start, polled the same way (answers 200 on every path).
 *
 * The existing DATA_DIR is made by one untimed start of the compiled app; every command also has one
 * untimed warm-up start (the file cache), so no round reads the disk for the first time.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, now, npmStartNodeFlags, round, sleep, waitUntil, type Benchmark, type BenchContext, type BenchmarkResult } from './lib';

const TARGET_MS = 3_000;
const POLL_MS = 50;
const ROOT = join(__dirname, '..');
const FLOOR = "require('http').createServer((q,s)=>s.end('ok')).listen(process.env.PORT)";

interface Start {
  key: string;
  label: string;
  command: string[];
  /** A new, empty DATA_DIR for every start, or the shared one that has been started before. */
  freshDataDir: boolean;
}

const STARTS: Start[] = [
  { key: 'floor', label: 'node -e http.createServer (floor)', command: [process.execPath, '-e', FLOOR], freshDataDir: false },
  { key: 'npmStart', label: 'npm start, existing DATA_DIR', command: ['npm', 'start'], freshDataDir: false },
  { key: 'startJs', label: 'node deploy/build/start.js, existing DATA_DIR', command: [process.execPath, ...npmStartNodeFlags(), 'deploy/build/start.js'], freshDataDir: false },
  { key: 'startJsFreshDataDir', label: 'node deploy/build/start.js, new DATA_DIR', command: [process.execPath, ...npmStartNodeFlags(), 'deploy/build/start.js'], freshDataDir: true },
  { key: 'swcNode', label: 'node -r @swc-node/register main.ts, existing DATA_DIR', command: [process.execPath, '-r', '@swc-node/register', 'services/embedded/src/main.ts'], freshDataDir: false },
];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** VmHWM (peak RSS) of a process, read before it is stopped. */
function peakRssMb(pid: number): number {
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kb ? Number(kb) / 1024 : NaN;
}

/** One start: milliseconds from spawn to the first 200 from /health, and the leader's peak RSS. */
async function timeStart(start: Start, dataDir: string): Promise<{ ms: number; peakRssMb: number }> {
  const port = await freePort();
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  let output = '';
  const started = now();
  const child = spawn(start.command[0], start.command.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4_000)));
  try {
    let ms = NaN;
    const answered = await waitUntil(
      async () => {
        if (child.exitCode !== null) return true;
        try {
          const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2_000) });
          await response.arrayBuffer();
          if (response.status === 200) ms = now() - started;
        } catch {
          // not listening yet
        }
        return !Number.isNaN(ms);
      },
      120_000,
      POLL_MS,
    );
    if (!answered || Number.isNaN(ms)) throw new Error(`${start.label}: no 200 from /health (exit ${child.exitCode}): ${output.slice(-2_000)}`);
    return { ms, peakRssMb: start.command[0] === process.execPath ? peakRssMb(child.pid!) : NaN };
  } finally {
    const pid = child.pid!;
    if (groupAlive(pid)) process.kill(-pid, 'SIGTERM');
    if (!(await waitUntil(() => !groupAlive(pid), 10_000, 50))) process.kill(-pid, 'SIGKILL');
    await waitUntil(() => !groupAlive(pid), 5_000, 50);
  }
}

export const startupBenchmark: Benchmark = {
  name: 'startup',
  title: 'Startup: npm start to the first 200 from /health on a built tree',
  async run(ctx: BenchContext): Promise<BenchmarkResult> {
    const rounds = ctx.quick ? 1 : 5;
    const buildStarted = now();
    const build = spawnSync(process.execPath, ['deploy/build/build.js', '--if-stale'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`the build failed: ${build.stderr}`);
    const buildMs = now() - buildStarted;
    const buildReport = `${build.stdout}${build.stderr}`.trim() || 'dist/ current, nothing built';
    ctx.log(`startup: ${buildReport} (${Math.round(buildMs)} ms)`);

    const scratch = mkdtempSync(join(tmpdir(), 'cto-bench-startup-'));
    const existing = join(scratch, 'existing');
    let fresh = 0;
    const dataDirFor = (start: Start): string => (start.freshDataDir ? join(scratch, `fresh-${fresh++}`) : existing);
    const times = new Map<string, number[]>(STARTS.map((s) => [s.key, []]));
    const peaks = new Map<string, number[]>(STARTS.map((s) => [s.key, []]));
    try {
      const first = await timeStart(STARTS.find((s) => s.key === 'startJs')!, existing);
      ctx.log(`startup: the existing DATA_DIR made by a first start (${Math.round(first.ms)} ms, untimed)`);
      for (const start of STARTS) await timeStart(start, dataDirFor(start));
      for (let r = 0; r < rounds; r++) {
        for (const start of STARTS) {
          const { ms, peakRssMb } = await timeStart(start, dataDirFor(start));
          times.get(start.key)!.push(ms);
          peaks.get(start.key)!.push(peakRssMb);
          await sleep(200);
        }
        ctx.log(`startup: round ${r + 1}: ${STARTS.map((s) => `${s.key} ${Math.round(times.get(s.key)![r])} ms`).join(', ')}`);
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }

    const ms = (key: string): number => round(median(times.get(key)!), 0);
    const floor = ms('floor');
    const ratio = (key: string): number => round(ms(key) / floor, 1);
    const figures: Record<string, number | string> = { rounds, buildMs: round(buildMs, 0), build: buildReport };
    for (const s of STARTS) {
      if (s.key === 'floor') continue;
      figures[`${s.key}Ms`] = ms(s.key);
      figures[`${s.key}RoundsMs`] = times.get(s.key)!.map((t) => Math.round(t)).join(', ');
      const peak = median(peaks.get(s.key)!);
      if (Number.isFinite(peak)) figures[`${s.key}PeakRssMb`] = round(peak, 0);
    }
    const baselineCheck = { name: 'node -e http.createServer, polled the same way', figure: floor, unit: 'ms' };
    return {
      name: this.name,
      title: this.title,
      figures,
      baseline: { floorMs: floor, floorRoundsMs: times.get('floor')!.map((t) => Math.round(t)).join(', ') },
      checks: [
        {
          name: 'npm start to /health 200, built tree, existing DATA_DIR',
          figure: ms('npmStart'),
          unit: 'ms',
          baseline: baselineCheck,
          ratio: ratio('npmStart'),
          ratioMeaning: 'start ÷ floor',
          target: `≤ ${TARGET_MS.toLocaleString('en-GB')} ms`,
          pass: ms('npmStart') <= TARGET_MS,
        },
        {
          name: 'node deploy/build/start.js (what npm start runs), existing DATA_DIR',
          figure: ms('startJs'),
          unit: 'ms',
          baseline: baselineCheck,
          ratio: ratio('startJs'),
          ratioMeaning: 'start ÷ floor',
          target: `≤ ${TARGET_MS.toLocaleString('en-GB')} ms`,
          pass: ms('startJs') <= TARGET_MS,
        },
      ],
      notes: [
        `Medians of ${rounds} round(s); new DATA_DIR (PGlite initdb and migrations every start): ${ms('startJsFreshDataDir')} ms; through @swc-node/register (the start before the build): ${ms('swcNode')} ms.`,
        'Peak RSS figures are the started node process (VmHWM at the first 200); not measured under npm, whose process is npm itself.',
      ],
    };
  },
};
