/**
 * Import (issue 17): `npm run import -- ssda903` on a generated return of 10,000 children.
 *
 * The return is generated here from the specification's codes (contracts/imports/ssda903.mapping.yaml),
 * seeded so runs compare, into a temporary directory as the four CSV tables (Header, Episodes,
 * Reviews, UASC, the validator's columns, dates DD/MM/YYYY). The mix follows the published
 * children-looked-after figures roughly: ages 0–17 weighted to teenagers; nine in ten still in care;
 * most children on one or two episodes, some with a change of legal status (V2 → C1 → C2, L1 → L2,
 * C2 → E1 for young children), some with placement changes (X1 then RNE P or T); one in ten left
 * care (E codes, a third of them at 18); UASC about 6%; a few back in care after going home; a
 * review 20 working days in, three months later, then every six months. Each child's whole current
 * period of care is in the return (as in the fixtures), not the collection year only: more reviews
 * and episodes than a one-year return, so the figures err on the heavy side.
 *
 * Two entries:
 * - `import`: the dry run, in process, `run([...'--json'])` of services/cli/src/import-cli.ts, output
 *   discarded — median of rounds after a warm-up, alternated with the baseline: the four files
 *   read and parsed with `csv-parse/sync`, the floor of any importer. Then the peak RSS (VmHWM) of
 *   the same dry run as `npm run import` starts it, a child process `node -r @swc-node/register
 *   services/cli/src/import-cli.ts …`, read by the process itself on exit (a preload written to the
 *   temporary directory) and sampled from /proc/<pid>/status meanwhile; baseline: the same command
 *   with `--help` (Node, swc and every module loaded, no return). Targets ≤ 10 s, ≤ 500 MB.
 * - `import-commit` (needs DATABASE_URL): the embedded system on PostgreSQL in a fresh schema, the
 *   in-process bus, its clock started on the import's day (CLOCK_START), the write rate limit lifted
 *   (one client sending a caseload on purpose), autovacuum's analyze played by the bench (this
 *   machine's PostgreSQL has autovacuum off); after a warm-up commit of 100 other children,
 *   `run([... '--commit', '--url', …])` in process, timed to its return — which is after the
 *   system's open transfers include everything the dry run required (`--wait 300`). Baseline: raw `pg` writing the same events, hash-chained rows shaped
 *   as the store writes them, one multi-row INSERT per batch of the same batches (≤ 500 events, no
 *   child split), autocommit, into a table made by our migrations — the floor of writing them at all.
 *   Target ≤ 60 s.
 */
import type { INestApplication } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { Client, Pool } from 'pg';
import { CaseEventValidator } from '@cto/contracts';
import { childStreamId, type CaseEvent } from '@cto/domain';
import { createEmbeddedApp } from '@cto/embedded';
import { openPostgresEventStore } from '@cto/event-store';
import { loadConfig, packsInForce } from '@cto/runtime';
import { dryRunReport, prepareCaseload, type CaseloadReport } from '@cto/statutory-returns';
import { random, testAuthEnv, testToken } from '@cto/testing';
import { run } from '../services/cli/src/import-cli';
import { batchesOf } from '../services/cli/src/import/commit';
import { readReturn } from '../services/cli/src/import/read-return';
import { cpuBetween, describeCpu, snapshot } from './cpu';
import { addChainedRows, INSERT_EVENT_ROWS, noEventRows, type EventRows } from './event-rows';
import { collectGarbage, median, now, round, sleep, sqlName, type Benchmark, type BenchContext, type BenchmarkResult } from './lib';

const DRY_RUN_TARGET_SECONDS = 10;
const MEMORY_TARGET_MB = 500;
const COMMIT_TARGET_SECONDS = 60;
const AUTHORITY = 'demo';
/** The import's day, fixed so that ages, milestones and due dates are the same every run. */
const TODAY = '2026-12-07';
const SEED = 17_903;
const REPO = join(__dirname, '..');
/** Why --quick's figures are not scaled up: a run's fixed costs would be multiplied with them. */
const QUICK_NOTE =
  '--quick: 500 children, checked against the 10,000-child targets unscaled (a smoke run): each run loads and compiles the packs, the mapping and the contract validators, about a second that does not grow with the return, so a linear scale-up would overstate it.';

// --- The generated return ---------------------------------------------------------------------

const DAY_MS = 86_400_000;
const YEAR_DAYS = 365.25;
const dayOf = (iso: string): number => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
const isoOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** The return's form, DD/MM/YYYY ([V] rule_141). */
const shown = (day: number): string => isoOf(day).split('-').reverse().join('/');
const TODAY_DAY = dayOf(TODAY);

function birthday(dob: number, years: number): number {
  const d = new Date(dob * DAY_MS);
  return Math.round(Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), d.getUTCDate()) / DAY_MS);
}

type Weighted<T> = readonly (readonly [T, number])[];

function pick<T>(rng: () => number, choices: Weighted<T>): T {
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  let at = rng() * total;
  for (const [value, weight] of choices) {
    at -= weight;
    if (at < 0) return value;
  }
  return choices[choices.length - 1][0];
}

const between = (rng: () => number, low: number, high: number): number => low + Math.floor(rng() * (high - low + 1));

// Ages at the import's day (DfE "Children looked after in England", 31 March: under 1 ~5%, 1–4
// ~14%, 5–9 ~18%, 10–15 ~39%, 16 and over ~24%), as [from, to) in years.
const AGE_BANDS: Weighted<readonly [number, number]> = [
  [[0.05, 1], 5],
  [[1, 5], 14],
  [[5, 10], 18],
  [[10, 16], 39],
  [[16, 17.95], 24],
];
// Legal status of the first episode ([V] rule_144; [S] legal_status.yml).
const FIRST_STATUS: Weighted<string> = [
  ['V2', 47],
  ['C1', 26],
  ['C2', 8],
  ['L1', 4],
  ['L2', 5],
  ['J1', 3],
  ['V3', 3],
  ['V4', 1],
  ['L3', 1],
];
/** What a status may change to inside a period of care; none: it stays. */
const NEXT_STATUS: Record<string, Weighted<string>> = {
  V2: [
    ['C1', 8],
    ['C2', 2],
  ],
  C1: [['C2', 1]],
  L1: [
    ['L2', 4],
    ['V2', 4],
    ['C1', 2],
  ],
  L2: [
    ['C1', 8],
    ['V2', 2],
  ],
  L3: [['V2', 1]],
  J1: [['V2', 1]],
};
const EPISODES_IN_PERIOD: Weighted<number> = [
  [1, 45],
  [2, 28],
  [3, 14],
  [4, 8],
  [5, 3],
  [6, 2],
];
// Reasons episode ceased ([V] rule_149; [S] clae_cla_episode_ceased_reason), by who leaves care.
const LEFT_YOUNG: Weighted<string> = [
  ['E4A', 40],
  ['E4B', 5],
  ['E41', 12],
  ['E45', 8],
  ['E46', 4],
  ['E47', 8],
  ['E48', 3],
  ['E13', 8],
  ['E3', 6],
  ['E8', 5],
  ['E2', 1],
];
const LEFT_AT_16_OR_17: Weighted<string> = [
  ['E4A', 25],
  ['E13', 10],
  ['E5', 25],
  ['E6', 15],
  ['E8', 10],
  ['E41', 5],
  ['E3', 5],
  ['E16', 5],
];
const LEFT_AT_18: Weighted<string> = [
  ['E17', 35],
  ['E5', 30],
  ['E6', 15],
  ['E8', 10],
  ['E7', 3],
  ['E13', 7],
];
const CATEGORY_OF_NEED: Weighted<string> = [
  ['N1', 65],
  ['N2', 3],
  ['N3', 4],
  ['N4', 14],
  ['N5', 3],
  ['N6', 4],
  ['N7', 1],
  ['N8', 6],
];
const PLACEMENT: Weighted<string> = [
  ['U1', 2],
  ['U2', 2],
  ['U3', 6],
  ['U4', 45],
  ['U5', 5],
  ['U6', 12],
  ['K2', 10],
  ['H5', 4],
  ['P1', 5],
  ['R1', 2],
];
const PROVIDER: Weighted<string> = [
  ['PR1', 45],
  ['PR2', 5],
  ['PR3', 5],
  ['PR4', 40],
  ['PR5', 5],
];
const PLACEMENT_CHANGE: Weighted<string> = [
  ['CARPL', 30],
  ['CREQB', 10],
  ['CREQO', 10],
  ['CHILD', 10],
  ['LAREQ', 15],
  ['PLACE', 10],
  ['STAND', 5],
  ['ALLEG', 3],
  ['CLOSE', 7],
];
const PARTICIPATION: Weighted<string> = [
  ['PN1', 50],
  ['PN2', 10],
  ['PN3', 5],
  ['PN4', 5],
  ['PN5', 12],
  ['PN6', 10],
  ['PN7', 8],
];
const ETHNICITY: Weighted<string> = [
  ['WBRI', 64],
  ['WIRI', 1],
  ['WOTH', 5],
  ['MWBC', 4],
  ['MWBA', 2],
  ['MWAS', 2],
  ['MOTH', 3],
  ['AIND', 2],
  ['APKN', 2],
  ['ABAN', 1],
  ['AOTH', 2],
  ['BCRB', 2],
  ['BAFR', 4],
  ['BOTH', 1],
  ['CHNE', 1],
  ['OOTH', 4],
];

interface Episode {
  decom: number;
  rne: string;
  ls: string;
  place: string;
  provider: string;
  dec?: number;
  rec?: string;
  reasonPlaceChange?: string;
  placePost: string;
  urn: string;
}

interface ReturnMix {
  children: number;
  inCare: number;
  leftCare: number;
  leftAt18: number;
  uasc: number;
  secondPeriod: number;
  episodes: number;
  legalStatusChanges: number;
  placementChanges: number;
  reviews: number;
}

export interface GeneratedReturn {
  /** The command line's file arguments: --header F --episodes F --reviews F --uasc F. */
  files: string[];
  mix: ReturnMix;
}

const postcode = (rng: () => number): string =>
  `${String.fromCharCode(65 + between(rng, 0, 25))}${String.fromCharCode(65 + between(rng, 0, 25))}${between(rng, 1, 29)} ${between(rng, 1, 9)}${String.fromCharCode(65 + between(rng, 0, 25))}${String.fromCharCode(65 + between(rng, 0, 25))}`;

/** One period of care's episodes from `start` to `end` (open when undefined), ending with `rec`. */
function periodEpisodes(rng: () => number, dob: number, start: number, end: number | undefined, rec: string | undefined, firstStatus: string, mix: ReturnMix): Episode[] {
  const span = (end ?? TODAY_DAY) - start;
  const wanted = Math.min(pick(rng, EPISODES_IN_PERIOD), Math.max(1, Math.floor(span / 14)));
  const changes = new Set<number>();
  while (changes.size < wanted - 1) changes.add(start + between(rng, 1, span - 1));
  const starts = [start, ...[...changes].sort((a, b) => a - b)];
  let ls = firstStatus;
  const placement = () => {
    const place = ls === 'E1' ? pick(rng, [['A5', 1], ['A6', 1]] as const) : ls === 'J1' ? pick(rng, [['K1', 1], ['R5', 1], ['U4', 2]] as const) : pick(rng, PLACEMENT);
    return { place, provider: pick(rng, PROVIDER), placePost: postcode(rng), urn: place === 'K2' || place === 'H5' || place === 'K1' ? `SC${String(between(rng, 1, 999_999)).padStart(6, '0')}` : '' };
  };
  const episodes: Episode[] = [{ decom: start, rne: 'S', ls, ...placement() }];
  for (const decom of starts.slice(1)) {
    const ageThen = (decom - dob) / YEAR_DAYS;
    const next = ls === 'C2' && ageThen < 8 ? ([['E1', 1]] as Weighted<string>) : NEXT_STATUS[ls];
    const previous = episodes[episodes.length - 1];
    previous.dec = decom;
    previous.rec = 'X1';
    if (next && rng() < 0.45) {
      ls = pick(rng, next);
      mix.legalStatusChanges++;
      const alsoPlacement = rng() < 0.25;
      if (alsoPlacement) previous.reasonPlaceChange = pick(rng, PLACEMENT_CHANGE);
      episodes.push({ ...previous, decom, rne: alsoPlacement ? pick(rng, [['B', 4], ['U', 1]] as const) : 'L', ls, ...(alsoPlacement ? placement() : {}), dec: undefined, rec: undefined, reasonPlaceChange: undefined });
    } else {
      mix.placementChanges++;
      const sameCarers = rng() < 0.25;
      previous.reasonPlaceChange = pick(rng, PLACEMENT_CHANGE);
      episodes.push({ ...previous, decom, rne: sameCarers ? 'T' : 'P', ...placement(), dec: undefined, rec: undefined, reasonPlaceChange: undefined });
    }
  }
  const last = episodes[episodes.length - 1];
  if (end !== undefined) {
    last.dec = end;
    last.rec = rec;
  }
  mix.episodes += episodes.length;
  return episodes;
}

/** Reviews of a period: 20 working days in (about 28 days), three months later, then every six months. */
function periodReviews(rng: () => number, start: number, end: number | undefined): number[] {
  const until = Math.min(end ?? TODAY_DAY, TODAY_DAY);
  const days: number[] = [];
  let day = start + between(rng, 20, 28);
  if (day < until) days.push(day);
  day += between(rng, 84, 92);
  while (day < until) {
    days.push(day);
    day += between(rng, 168, 196);
  }
  return days;
}

/** Writes a return of `children` children into `dir`; ids are `<prefix><number>`. */
export function generateSsda903Return(dir: string, options: { children: number; seed: number; prefix: string }): GeneratedReturn {
  const rng = random(options.seed);
  const mix: ReturnMix = { children: options.children, inCare: 0, leftCare: 0, leftAt18: 0, uasc: 0, secondPeriod: 0, episodes: 0, legalStatusChanges: 0, placementChanges: 0, reviews: 0 };
  const header = ['CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB'];
  const episodes = ['CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN'];
  const reviews = ['CHILD,DOB,REVIEW,REVIEW_CODE'];
  const uasc = ['CHILD,SEX,DOB,DUC'];
  for (let n = 1; n <= options.children; n++) {
    const child = `${options.prefix}${String(n).padStart(6, '0')}`;
    const kind = pick(rng, [['in-care', 90], ['left', 7], ['left-at-18', 3]] as const);
    const isUasc = kind !== 'left' && rng() < 0.06;
    const [from, to] = pick(rng, AGE_BANDS);
    const age = kind === 'left-at-18' ? 18 + rng() * 0.95 : isUasc ? 14.5 + rng() * 3.4 : from + rng() * (to - from);
    const dob = TODAY_DAY - Math.round(age * YEAR_DAYS);
    const sex = isUasc ? pick(rng, [['M', 9], ['F', 1]] as const) : pick(rng, [['M', 55], ['F', 44], ['U', 1]] as const);
    const need = isUasc ? 'N8' : pick(rng, CATEGORY_OF_NEED);
    const home = postcode(rng);

    // The current (or last) period of care, and for a few children an earlier one that ended at home.
    const periods: { start: number; end?: number; rec?: string }[] = [];
    if (kind === 'in-care') {
      const inCareFor = Math.min(Math.round(-Math.log(1 - rng()) * 800) + 7, TODAY_DAY - dob - 3, 6 * 365);
      const start = isUasc ? between(rng, Math.max(birthday(dob, 14), TODAY_DAY - 3 * 365), TODAY_DAY - 7) : TODAY_DAY - Math.max(2, inCareFor);
      if (!isUasc && rng() < 0.04 && start - dob > 500) {
        const priorEnd = start - between(rng, 30, 240);
        const priorStart = priorEnd - between(rng, 30, 300);
        if (priorStart > dob + 3) {
          periods.push({ start: priorStart, end: priorEnd, rec: pick(rng, [['E4A', 4], ['E4B', 1]] as const) });
          mix.secondPeriod++;
        }
      }
      periods.push({ start });
      mix.inCare++;
    } else if (kind === 'left') {
      // Left within the last two years, and never before the child was a few weeks old.
      const end = TODAY_DAY - 1 - between(rng, 0, Math.max(0, Math.min(720, TODAY_DAY - dob - 40)));
      const length = Math.min(Math.round(-Math.log(1 - rng()) * 500) + 14, end - dob - 3);
      // The reason is chosen once the last episode's status is known (below).
      periods.push({ start: end - length, end, rec: '' });
      mix.leftCare++;
    } else {
      const end = birthday(dob, 18);
      periods.push({ start: end - between(rng, 60, 1_400), end, rec: pick(rng, LEFT_AT_18) });
      mix.leftAt18++;
    }
    if (isUasc) mix.uasc++;

    const rows: Episode[] = [];
    const reviewDays: number[] = [];
    for (const period of periods) {
      let first = isUasc ? 'V2' : pick(rng, FIRST_STATUS);
      if (first === 'J1' && period.start - dob < 12 * YEAR_DAYS) first = 'V2';
      const ended = periodEpisodes(rng, dob, period.start, period.end, period.rec, first, mix);
      const last = ended[ended.length - 1];
      if (period.rec === '') {
        // Left care before 18: the reason follows the last status and the age.
        const ageAtEnd = (last.dec! - dob) / YEAR_DAYS;
        last.rec =
          last.ls === 'E1' && ageAtEnd < 10
            ? pick(rng, [['E11', 3], ['E12', 2]] as const)
            : last.ls === 'J1'
              ? pick(rng, [['E14', 7], ['E9', 3]] as const)
              : ageAtEnd >= 16
                ? pick(rng, LEFT_AT_16_OR_17)
                : pick(rng, LEFT_YOUNG);
      }
      rows.push(...ended);
      reviewDays.push(...periodReviews(rng, period.start, period.end));
    }
    mix.reviews += reviewDays.length;

    const upn = rng() < 0.95 ? `A${String(between(rng, 0, 999_999_999_999)).padStart(12, '0')}` : `UN${between(rng, 1, 5)}`;
    const mother = sex === 'F' && age >= 12 ? (rng() < 0.01 ? '1' : '0') : '';
    header.push([child, sex, shown(dob), isUasc ? 'OOTH' : pick(rng, ETHNICITY), upn, mother, mother === '1' ? shown(TODAY_DAY - between(rng, 30, 400)) : ''].join(','));
    for (const e of rows) {
      episodes.push([child, shown(e.decom), e.rne, e.ls, need, e.place, e.provider, e.dec === undefined ? '' : shown(e.dec), e.rec ?? '', e.reasonPlaceChange ?? '', home, e.placePost, e.urn].join(','));
    }
    for (const day of reviewDays) reviews.push([child, shown(dob), shown(day), (day - dob) / YEAR_DAYS < 4 ? 'PN0' : pick(rng, PARTICIPATION)].join(','));
    if (isUasc) {
      const eighteen = birthday(dob, 18);
      uasc.push([child, sex, shown(dob), eighteen <= TODAY_DAY ? shown(eighteen) : ''].join(','));
    }
  }
  const tables = { header, episodes, reviews, uasc };
  const files: string[] = [];
  for (const [name, lines] of Object.entries(tables)) {
    const file = join(dir, `${name}.csv`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    files.push(`--${name}`, file);
  }
  return { files, mix };
}

const describeMix = (m: ReturnMix): string =>
  `${m.children} children (in care ${m.inCare}, left care ${m.leftCare} + ${m.leftAt18} at 18, UASC ${m.uasc}, back in care ${m.secondPeriod}), ` +
  `${m.episodes} episodes (${m.legalStatusChanges} changes of legal status, ${m.placementChanges} of placement), ${m.reviews} reviews`;

// --- Measuring --------------------------------------------------------------------------------

const dryRunArgs = (files: string[]): string[] => ['ssda903', '--authority', AUTHORITY, ...files, '--today', TODAY, '--json'];

/** The floor: the four files read and parsed as CSV, nothing else. */
function parseOnly(files: string[]): number {
  let records = 0;
  for (let i = 1; i < files.length; i += 2) records += (parse(readFileSync(files[i], 'utf8'), { bom: true, skip_empty_lines: true }) as unknown[]).length;
  return records;
}

/** `run` in process; the report (one JSON text) kept, nothing printed. */
async function dryRunInProcess(files: string[]): Promise<{ code: number; report?: CaseloadReport; errors: string[] }> {
  let json = '';
  const errors: string[] = [];
  const code = await run(dryRunArgs(files), { log: (l) => (json += l), error: (l) => errors.push(l) }, {});
  return { code, ...(json ? { report: JSON.parse(json) as CaseloadReport } : {}), errors };
}

function statusKb(pid: number | 'self', field: 'VmHWM' | 'VmRSS'): number {
  try {
    return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  } catch {
    return NaN;
  }
}

/**
 * `npm run import` as a child process: its own peak RSS, written by the process as it exits (a
 * preload in `dir`, so the last moments — printing the report — are counted), and the peak seen
 * from outside meanwhile, as a cross-check.
 */
async function childPeak(dir: string, args: string[]): Promise<{ code: number | null; seconds: number; hwmMb: number; sampledMb: number; stderr: string }> {
  const preload = join(dir, 'report-peak-rss.js');
  const out = join(dir, `peak-${Date.now()}.txt`);
  writeFileSync(
    preload,
    "process.on('exit', () => { const s = require('fs').readFileSync('/proc/self/status', 'utf8'); require('fs').writeFileSync(process.env.BENCH_PEAK_FILE, /^VmHWM:\\s+(\\d+)/m.exec(s)[1]); });\n",
  );
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_PEAK_FILE: out };
  delete env.DATABASE_URL;
  delete env.KAFKA_BROKERS;
  const t = now();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', '-r', preload, 'services/cli/src/import-cli.ts', ...args], { cwd: REPO, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let sampled = 0;
  const timer = setInterval(() => {
    const kb = statusKb(child.pid!, 'VmHWM');
    if (kb > sampled) sampled = kb;
  }, 50);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(timer);
  const seconds = (now() - t) / 1000;
  let hwmKb = NaN;
  try {
    hwmKb = Number(readFileSync(out, 'utf8'));
  } catch {
    // the preload did not run: the sampled peak stands alone
  }
  return { code, seconds, hwmMb: hwmKb / 1024, sampledMb: sampled / 1024, stderr };
}

export const importBenchmark: Benchmark = {
  name: 'import',
  title: 'Import: dry run of a generated SSDA903 return of 10,000 children (time, peak RSS)',
  async run(ctx: BenchContext): Promise<BenchmarkResult> {
    const children = ctx.quick ? 500 : 10_000;
    const rounds = ctx.quick ? 1 : 3;
    const dir = mkdtempSync(join(tmpdir(), 'cto-bench-import-'));
    try {
      const generated = generateSsda903Return(dir, { children, seed: SEED, prefix: 'B' });
      ctx.log(`import: generated ${describeMix(generated.mix)}`);

      // Warm-up: the modules, the packs, the validators compiled; then rounds alternated with the baseline.
      const warm = await dryRunInProcess(generated.files);
      if (warm.code !== 0 || !warm.report) throw new Error(`the dry run of the generated return exited ${warm.code}: ${warm.errors.slice(0, 5).join(' | ')}${warm.report ? ` refusals: ${JSON.stringify(warm.report.refusals.slice(0, 5))}` : ''}`);
      const report = warm.report;
      parseOnly(generated.files);
      const ours: number[] = [];
      const floor: number[] = [];
      let records = 0;
      const before = snapshot([]);
      const started = now();
      for (let r = 0; r < rounds; r++) {
        collectGarbage();
        let t = now();
        records = parseOnly(generated.files);
        floor.push((now() - t) / 1000);
        collectGarbage();
        t = now();
        await dryRunInProcess(generated.files);
        ours.push((now() - t) / 1000);
        ctx.log(`import: round ${r + 1}/${rounds}: dry run ${round(ours[r], 2)} s, csv-parse ${round(floor[r], 3)} s`);
      }
      const cpu = cpuBetween(before, snapshot([]), (now() - started) / 1000);
      ctx.log(`import: ${describeCpu(cpu)}`);
      const dryRunSeconds = median(ours);
      const parseSeconds = median(floor);

      // Where the time goes, one pass of the same steps `run` takes (read, prepare, judge, print).
      collectGarbage();
      const compiled = packsInForce(loadConfig({})).forAuthority(AUTHORITY)!;
      let t = now();
      const caseload = readReturn('ssda903', fileOptions(generated.files), AUTHORITY);
      const readSeconds = (now() - t) / 1000;
      t = now();
      const prepared = prepareCaseload(caseload, compiled, { today: TODAY });
      const prepareSeconds = (now() - t) / 1000;
      t = now();
      const validator = new CaseEventValidator();
      for (const child of prepared.children) for (const fact of child.facts) validator.validate(fact);
      const validateSeconds = (now() - t) / 1000;
      t = now();
      const judged = dryRunReport(prepared, compiled, `${TODAY}T12:00:00Z`);
      const judgeSeconds = (now() - t) / 1000;
      t = now();
      const printedBytes = JSON.stringify(judged, null, 2).length;
      const printSeconds = (now() - t) / 1000;

      // Peak RSS of `npm run import` itself, and of the same command doing nothing.
      const peak = await childPeak(dir, dryRunArgs(generated.files));
      if (peak.code !== 0) throw new Error(`npm run import (child process) exited ${peak.code}: ${peak.stderr.slice(0, 500)}`);
      const idle = await childPeak(dir, ['--help']);
      const peakMb = Number.isFinite(peak.hwmMb) ? peak.hwmMb : peak.sampledMb;
      const idleMb = Number.isFinite(idle.hwmMb) ? idle.hwmMb : idle.sampledMb;
      ctx.log(`import: child process ${round(peak.seconds, 1)} s, peak RSS ${round(peakMb, 0)} MB (sampled ${round(peak.sampledMb, 0)}); --help ${round(idleMb, 0)} MB`);

      return {
        name: this.name,
        title: this.title,
        figures: {
          dryRunSeconds: round(dryRunSeconds, 2),
          dryRunRoundsSeconds: ours.map((s) => round(s, 2)).join(', '),
          childrenPerSecond: round(children / dryRunSeconds, 0),
          stepsOnePass: `read+map ${round(readSeconds, 2)} s, prepare ${round(prepareSeconds, 2)} s, validate every fact ${round(validateSeconds, 2)} s, judge ${round(judgeSeconds, 2)} s, JSON ${round(printSeconds, 2)} s (${round(printedBytes / 2 ** 20, 1)} MB)`,
          peakRssMb: round(peakMb, 0),
          peakRssSampledMb: round(peak.sampledMb, 0),
          childProcessSeconds: round(peak.seconds, 2),
          children,
          childrenImported: report.childrenImported,
          refusedChildren: report.refusedChildren.length,
          eventsMapped: report.eventsMapped,
          transfersRequired: report.transfers.length,
          transfersOverdue: report.transfers.filter((x) => x.overdue).length,
          upcomingMilestones: report.upcomingMilestones.length,
          mix: describeMix(generated.mix),
          csvRecords: records,
          cpu: describeCpu(cpu),
        },
        baseline: {
          csvParseSeconds: round(parseSeconds, 3),
          csvParseRoundsSeconds: floor.map((s) => round(s, 3)).join(', '),
          helpPeakRssMb: round(idleMb, 0),
          helpSeconds: round(idle.seconds, 2),
        },
        checks: [
          {
            name: `dry run of ${children.toLocaleString('en-GB')} children, in process`,
            figure: round(dryRunSeconds, 2),
            unit: 's',
            baseline: { name: 'read + csv-parse of the four files', figure: round(parseSeconds, 3), unit: 's' },
            ratio: round(dryRunSeconds / parseSeconds, 1),
            ratioMeaning: 'dry run ÷ parse only (time; lower is better)',
            target: `≤ ${DRY_RUN_TARGET_SECONDS} s for 10,000 children${ctx.quick ? ' (--quick: 500, not scaled)' : ''}`,
            pass: dryRunSeconds <= DRY_RUN_TARGET_SECONDS,
          },
          {
            name: `peak RSS of npm run import (dry run, ${children.toLocaleString('en-GB')} children)`,
            figure: round(peakMb, 0),
            unit: 'MB',
            baseline: { name: 'the same command with --help', figure: round(idleMb, 0), unit: 'MB' },
            ratio: round(peakMb / idleMb, 2),
            ratioMeaning: 'peak ÷ --help peak (lower is better)',
            target: `≤ ${MEMORY_TARGET_MB} MB`,
            pass: peakMb <= MEMORY_TARGET_MB,
          },
        ],
        notes: [
          `Generated return (seed ${SEED}): ${describeMix(generated.mix)}; judged as of ${TODAY} under the ${AUTHORITY} pack.`,
          `Dry run: median of ${rounds} round(s) after a warm-up, alternated with the csv-parse baseline; the CLI's output discarded.`,
          'Peak RSS: VmHWM of the child process, read by itself on exit (a preload), the figure npm run import would show; includes swc compiling the TypeScript.',
          ...(ctx.quick ? [QUICK_NOTE] : []),
        ],
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** The command line's `--table file` pairs as readReturn's options. */
function fileOptions(files: string[]): Record<string, string> {
  const options: Record<string, string> = {};
  for (let i = 0; i < files.length; i += 2) options[files[i].slice(2)] = files[i + 1];
  return options;
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await admin.end();
  }
}

/**
 * Autovacuum's analyze, as a server with the defaults runs it (autovacuum_naptime 1 min,
 * autovacuum_analyze_threshold 50, autovacuum_analyze_scale_factor 0.1): every minute, each of the
 * schema's tables changed by more than 50 rows + 10% of its size since it was last analyzed is
 * analyzed. Returns a stop function that resolves to how many ANALYZE statements ran.
 */
function analyzeAsAutovacuumWould(url: string, schema: string): () => Promise<number> {
  let stopped = false;
  let analyzes = 0;
  const loop = (async () => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      for (;;) {
        for (let waited = 0; waited < 60_000 && !stopped; waited += 250) await sleep(250);
        if (stopped) return;
        const { rows } = await client.query<{ relname: string }>(
          `SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
            WHERE s.schemaname = $1 AND s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0)`,
          [schema],
        );
        for (const r of rows) {
          await client.query(`ANALYZE ${schema}."${r.relname}"`);
          analyzes++;
        }
      }
    } finally {
      await client.end();
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    return analyzes;
  };
}

/** The same batches the import sends, as hash-chained rows shaped as the store writes them. */
function rowsOfBatches(batches: CaseEvent[][]): EventRows[] {
  return batches.map((batch) => {
    const rows = noEventRows();
    for (let i = 0; i < batch.length; ) {
      let j = i;
      while (j < batch.length && batch[j].childId === batch[i].childId) j++;
      addChainedRows(rows, childStreamId(batch[i].authority, batch[i].childId), batch.slice(i, j));
      i = j;
    }
    return rows;
  });
}

/**
 * The floor: the same rows, one multi-row INSERT per batch, autocommit, into a table our migrations
 * made — a fresh schema each round (the events table refuses TRUNCATE: it is append-only).
 */
async function rawInsertSeconds(ctx: BenchContext, url: string, schema: string, batches: EventRows[], rounds: number): Promise<number[]> {
  const seconds: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const store = await openPostgresEventStore({ connectionString: url, schema, maxConnections: 1 });
    await store.close();
    const pool = new Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 1 });
    try {
      const t = now();
      for (const rows of batches) await pool.query(INSERT_EVENT_ROWS, rows);
      seconds.push((now() - t) / 1000);
    } finally {
      await pool.end();
      await dropSchema(url, schema);
    }
    ctx.log(`import-commit: raw INSERT round ${r + 1}/${rounds}: ${round(seconds[r], 2)} s`);
  }
  return seconds;
}

interface CommitRun {
  code: number;
  seconds: number;
  recordedAfterSeconds: number;
  report?: CaseloadReport;
  errors: string[];
}

async function commitInProcess(files: string[], url: string, token: string, waitSeconds: number): Promise<CommitRun> {
  let json = '';
  const errors: string[] = [];
  let recordedAt = NaN;
  const t = now();
  const code = await run(
    [...dryRunArgs(files), '--commit', '--url', url, '--token', token, '--wait', String(waitSeconds)],
    {
      log: (l) => (json += l),
      error: (l) => {
        if (l.startsWith('recorded ')) recordedAt = now();
        errors.push(l);
      },
    },
    {},
  );
  const seconds = (now() - t) / 1000;
  return { code, seconds, recordedAfterSeconds: (recordedAt - t) / 1000, ...(json ? { report: JSON.parse(json) as CaseloadReport } : {}), errors };
}

export const importCommitBenchmark: Benchmark = {
  name: 'import-commit',
  title: 'Import --commit: a generated SSDA903 return of 10,000 children through to decisions on PostgreSQL',
  unavailable: (ctx) => (ctx.databaseUrl ? undefined : 'needs DATABASE_URL (the system under test runs on PostgreSQL)'),
  async run(ctx: BenchContext): Promise<BenchmarkResult> {
    const url = ctx.databaseUrl!;
    const children = ctx.quick ? 500 : 10_000;
    const waitSeconds = 300;
    const schema = sqlName('bench_import', ctx);
    const rawSchema = sqlName('bench_import_raw', ctx);
    const dir = mkdtempSync(join(tmpdir(), 'cto-bench-import-commit-'));
    const dataDir = mkdtempSync(join(tmpdir(), 'cto-bench-import-data-'));
    let app: INestApplication | undefined;
    let stopAnalyzing: (() => Promise<number>) | undefined;
    try {
      const generated = generateSsda903Return(dir, { children, seed: SEED, prefix: 'B' });
      const warmDir = mkdtempSync(join(dir, 'warm-'));
      const warm = generateSsda903Return(warmDir, { children: 100, seed: SEED + 1, prefix: 'W' });
      ctx.log(`import-commit: generated ${describeMix(generated.mix)}`);

      // Baseline first: the same events, the same batches, raw INSERTs.
      const compiled = packsInForce(loadConfig({})).forAuthority(AUTHORITY)!;
      const prepared = prepareCaseload(readReturn('ssda903', fileOptions(generated.files), AUTHORITY), compiled, { today: TODAY });
      const batches = batchesOf(prepared);
      const events = batches.reduce((n, b) => n + b.length, 0);
      const raw = await rawInsertSeconds(ctx, url, rawSchema, rowsOfBatches(batches), ctx.quick ? 1 : 3);
      const rawSeconds = median(raw);

      // The system: embedded, PostgreSQL, in-process bus, its clock on the import's day.
      const config = loadConfig({
        DATABASE_URL: url,
        DATABASE_SCHEMA: schema,
        DATA_DIR: dataDir,
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
        LOG_FORMAT: 'json',
        // The services judge by their clock: started on the import's --today, no timer fires on the real day first.
        CLOCK_START: `${TODAY}T12:00:00Z`,
        // One client sending a caseload on purpose (and polling for the decisions): the write rate limit is lifted.
        RATE_LIMIT_PER_MINUTE: '1000000',
        ...testAuthEnv(),
      });
      app = await createEmbeddedApp(config);
      await app.listen(0, '127.0.0.1');
      // This machine's PostgreSQL runs with autovacuum = off (its CI configuration): the fresh schema's
      // tables would never be analyzed, and the plans of a never-analyzed table are not what a
      // deployment gets (bench/README.md, "Import"). The bench plays autovacuum's analyze, at its
      // default settings, from the system's start. BENCH_IMPORT_AUTOANALYZE=0 measures without it.
      const autoAnalyze = process.env.BENCH_IMPORT_AUTOANALYZE !== '0';
      if (autoAnalyze) stopAnalyzing = analyzeAsAutovacuumWould(url, schema);
      const system = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      const token = testToken({ roles: ['integration', 'reader'], authorities: [AUTHORITY], subject: 'bench-import' });

      // Warm-up: a small return of other children, committed through to its decisions.
      const warmed = await commitInProcess(warm.files, system, token, 120);
      if (warmed.code !== 0) throw new Error(`the warm-up commit exited ${warmed.code}: ${warmed.errors.slice(0, 5).join(' | ')}`);
      // The CLI and the server share this process's event loop, which the import's dry run then holds
      // for seconds: a keep-alive socket left from the warm-up would be closed by the server (5 s idle)
      // just as fetch reuses it, and the first POST fail. Idle sockets are let go first; a CLI in
      // its own process (npm run import) opens its connections only after its dry run.
      await sleep(6_000);

      collectGarbage();
      const before = snapshot([]);
      const committed = await commitInProcess(generated.files, system, token, waitSeconds);
      const cpu = cpuBetween(before, snapshot([]), committed.seconds);
      const analyzes = (await stopAnalyzing?.()) ?? 0;
      stopAnalyzing = undefined;
      ctx.log(`import-commit: ${round(committed.seconds, 1)} s (recorded after ${round(committed.recordedAfterSeconds, 1)} s), exit ${committed.code}; ${describeCpu(cpu)}`);
      const differences = committed.errors.filter((l) => l.startsWith('the dry run required') || l.startsWith('the system recorded'));
      if (committed.code !== 0) ctx.log(`import-commit: ${committed.errors.slice(0, 5).join('\n  ')}`);

      const stored = new Client({ connectionString: url, options: `-c search_path=${schema}` });
      await stored.connect();
      const byType = new Map<string, number>();
      try {
        const { rows } = await stored.query<{ type: string; n: string }>('SELECT type, count(*) AS n FROM events GROUP BY type');
        for (const r of rows) byType.set(r.type, Number(r.n));
      } finally {
        await stored.end();
      }
      const storedEvents = [...byType.values()].reduce((a, b) => a + b, 0);
      const decided = committed.report?.transfers.length ?? 0;
      const met = committed.code === 0 && committed.seconds <= COMMIT_TARGET_SECONDS;
      return {
        name: this.name,
        title: this.title,
        figures: {
          commitSeconds: round(committed.seconds, 2),
          untilRecordedSeconds: round(committed.recordedAfterSeconds, 2),
          waitingForDecisionsSeconds: round(committed.seconds - committed.recordedAfterSeconds, 2),
          exitCode: committed.code,
          events,
          eventsPerSecond: round(events / committed.seconds, 0),
          eventsPerSecondRecording: round(events / committed.recordedAfterSeconds, 0),
          transfersDecided: decided,
          differencesFromDryRun: differences.length,
          storedEventsIncludingWarmUp: storedEvents,
          storedTransferProposedIncludingWarmUp: byType.get('TransferProposed') ?? 0,
          batches: batches.length,
          autovacuumAnalyze: autoAnalyze ? `played by the bench: ${analyzes} ANALYZE(s)` : 'no (BENCH_IMPORT_AUTOANALYZE=0)',
          children,
          mix: describeMix(generated.mix),
          cpu: describeCpu(cpu),
        },
        baseline: {
          rawInsertSeconds: round(rawSeconds, 2),
          rawInsertRoundsSeconds: raw.map((s) => round(s, 2)).join(', '),
          rawEventsPerSecond: round(events / rawSeconds, 0),
        },
        checks: [
          {
            name: `--commit of ${children.toLocaleString('en-GB')} children through to decisions (PostgreSQL)`,
            figure: round(committed.seconds, 2),
            unit: 's',
            baseline: { name: 'raw pg multi-row INSERT of the same events, same batches', figure: round(rawSeconds, 2), unit: 's' },
            ratio: round(committed.seconds / rawSeconds, 1),
            ratioMeaning: 'commit ÷ raw INSERT (time; lower is better)',
            target: `≤ ${COMMIT_TARGET_SECONDS} s for 10,000 children, the system deciding what the dry run did`,
            pass: met,
          },
        ],
        notes: [
          `${events} events in ${batches.length} batches; the import's own dry run is inside the timed command (it judges before it sends).`,
          'The CLI runs in the bench process, as does the system (embedded, in-process bus, PostgreSQL in a fresh schema): one event loop for both.',
          ...(committed.code !== 0 ? [`exit ${committed.code}: ${committed.errors.slice(0, 3).join(' | ')}`] : []),
          ...(ctx.quick ? [QUICK_NOTE] : []),
        ],
      };
    } finally {
      await stopAnalyzing?.();
      await app?.close();
      await dropSchema(url, schema);
      await dropSchema(url, rawSchema);
      rmSync(dir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
