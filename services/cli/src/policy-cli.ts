/**
 * `npm run policy -- <command>`:
 *   validate [file|dir …]                 check packs (libs/policy-packs)
 *   explain <authority> <childId> [--json]
 *                                         replay the child's stream under the pack in force and say,
 *                                         fact by fact, why each rule did or did not fire
 *   backtest <packId> --from-version A --to-version B [--json]
 *                                         replay stored history under two versions of a pack and
 *                                         report the proposals that would differ (services/cli/src/backtest.ts);
 *                                         with --import ssda903|csc-api and the return's files, replay the
 *                                         authority's statutory return instead of the store
 * explain and backtest read the store the configuration names (DATABASE_URL, else the embedded store in
 * DATA_DIR). The embedded store is one process's at a time: with `npm start` running, ask it
 * instead: GET /v1/children/{childId}/explanation.
 */
import 'reflect-metadata';
import { childStreamId, explainStream, type Decision, type FactExplanation, type PolicyPack } from '@cto/domain';
import { type EventStore, openPgliteEventStore, openPostgresEventStore, toChildStreamEvent } from '@cto/event-store';
import { COVERAGE_FILE, loadPolicyPacks, main as policyPacksMain, renderCoverage } from '@cto/policy-packs';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadConfig, packsInForce, type RuntimeConfig } from '@cto/runtime';
import { backtest, backtestImport, renderBacktest, resolveVersion, type BacktestReport } from './backtest';
import { readJudgingOptions, readReturn, RETURN_OPTIONS } from './import/read-return';
import { mistake, parseCommandLine } from './command-line';
import { join } from 'node:path';

interface Output {
  log(line: string): void;
  error(line: string): void;
}

const USAGE = [
  'usage: npm run policy -- validate [file|dir …]',
  '       npm run policy -- explain <authority> <childId> [--json]',
  '       npm run policy -- coverage [--check]',
  '       npm run policy -- backtest <packId> [--from-version A | --from-file F] [--to-version B | --to-file F] [--json] [--import …]',
  '',
  '  validate   check policy packs against their schema, teams, meeting kinds, facts, timescales, conflicts,',
  '             and that every citation names a paragraph or heading of its source (policies/sources/)',
  '  explain    replay a child\'s stream under the pack in force: why each rule did or did not fire',
  '  coverage   write policies/COVERAGE.md from the packs (--check: only say whether it is up to date)',
  '  backtest   replay stored history (or, with --import, a statutory return) under two versions of a pack:',
  '             which proposals would be added, removed or changed',
];

export async function run(argv: string[], out: Output): Promise<number> {
  if (argv[0] === 'validate') return policyPacksMain(argv, out);
  if (argv[0] === 'coverage') {
    const parsed = parseCommandLine(argv.slice(1), { usage: ['usage: npm run policy -- coverage [--check]'], options: { check: { type: 'boolean' } } }, out);
    return parsed.run ? coverage(parsed.values.check === true, out) : parsed.exitCode;
  }
  if (argv[0] === 'backtest') return backtestCommand(argv.slice(1), out);
  if (argv[0] !== 'explain') {
    const help = ['help', '--help', '-h'].includes(argv[0] ?? '');
    if (argv[0] !== undefined && !help) out.error(`unknown command: ${argv[0]}`);
    USAGE.forEach((line) => (help ? out.log(line) : out.error(line)));
    return help ? 0 : 2;
  }
  const explainUsage = ['usage: npm run policy -- explain <authority> <childId> [--json]', '       npm run policy -- explain <childId> [--authority A] [--json]'];
  const parsed = parseCommandLine(argv.slice(1), { usage: explainUsage, options: { json: { type: 'boolean' }, authority: { type: 'string' } }, maxPositionals: 2 }, out);
  if (!parsed.run) return parsed.exitCode;
  const json = parsed.values.json === true;
  const positional = parsed.positionals;
  // `explain <authority> <childId>`, or `explain <childId> [--authority A]`.
  const [childId, authorityArg] = positional.length === 2 ? [positional[1], positional[0]] : [positional[0], parsed.values.authority];
  if (!childId || (positional.length === 2 && parsed.values.authority !== undefined)) return mistake('name the child once, and its authority once', { usage: explainUsage }, out).exitCode;
  const config = loadConfig();
  const packs = packsInForce(config);
  const authority = authorityArg ?? (packs.authorities().length === 1 ? packs.authorities()[0] : undefined);
  const compiled = authority ? packs.forAuthority(authority) : undefined;
  if (!authority || !compiled) {
    out.error(`--authority is required: one of ${packs.authorities().join(', ')}`);
    return 2;
  }
  const store = await openConfiguredStore(config);
  try {
    const { events } = await store.readStream(childStreamId(authority, childId));
    if (!events.length) {
      out.error(`no events are recorded for child ${childId} in authority ${authority}`);
      return 1;
    }
    const facts = explainStream(authority, childId, events.map(toChildStreamEvent), compiled);
    if (json) out.log(JSON.stringify({ childId, authority, packId: compiled.pack.id, packVersion: compiled.pack.version, facts }, null, 2));
    else printExplanation(facts, `${compiled.pack.id} ${compiled.pack.version}`, out);
    return 0;
  } finally {
    await store.close();
  }
}

/** The store the configuration names: PostgreSQL (DATABASE_URL), else the embedded one in DATA_DIR. */
export const openConfiguredStore = (config: RuntimeConfig): Promise<EventStore> =>
  config.databaseUrl
    ? openPostgresEventStore({ connectionString: config.databaseUrl, ...(config.databaseSchema ? { schema: config.databaseSchema } : {}) })
    : openPgliteEventStore({ dataDir: join(config.dataDir, 'pglite') });

const BACKTEST_USAGE = [
  'usage: npm run policy -- backtest <packId> [--from-version A | --from-file F] [--to-version B | --to-file F] [--json]',
  '         [--import ssda903|csc-api --authority <id> <the return\'s files, as npm run import takes them> [--teams F] [--today D]]',
  '  Without --import, replays the store; with it, the authority\'s statutory return (nothing is written).',
];

async function backtestCommand(args: string[], out: Output): Promise<number> {
  const parsed = parseCommandLine(
    args,
    {
      usage: BACKTEST_USAGE,
      maxPositionals: 1,
      options: {
        'from-version': { type: 'string' },
        'to-version': { type: 'string' },
        'from-file': { type: 'string' },
        'to-file': { type: 'string' },
        json: { type: 'boolean' },
        import: { type: 'string' },
        authority: { type: 'string' },
        teams: { type: 'string' },
        today: { type: 'string' },
        ...RETURN_OPTIONS,
      },
    },
    out,
  );
  if (!parsed.run) return parsed.exitCode;
  const { values, positionals } = parsed;
  const packId = positionals[0];
  if (!packId) return mistake('name the pack to backtest', { usage: BACKTEST_USAGE }, out).exitCode;
  let from: PolicyPack;
  let to: PolicyPack;
  try {
    from = resolveVersion(packId, values['from-version'], values['from-file']);
    to = resolveVersion(packId, values['to-version'], values['to-file']);
  } catch (error) {
    out.error((error as Error).message);
    return 2;
  }
  const show = (report: BacktestReport) => {
    if (values.json) out.log(JSON.stringify(report, null, 2));
    else renderBacktest(report).forEach((line) => out.log(line));
  };
  if (values.import !== undefined) {
    if (values.import !== 'ssda903' && values.import !== 'csc-api') {
      out.error(`--import takes ssda903 or csc-api, not ${values.import}`);
      return 2;
    }
    const authority = values.authority ?? (from.authorities.length === 1 ? from.authorities[0] : undefined);
    if (!authority || !from.authorities.includes(authority)) {
      out.error(`--authority is required: one of ${from.authorities.join(', ')}`);
      return 2;
    }
    let read;
    let judging;
    try {
      read = readReturn(values.import, values, authority);
      judging = readJudgingOptions(values, from);
    } catch (error) {
      out.error((error as Error).message);
      return 2;
    }
    const report = backtestImport(read, from, to, judging);
    show(report);
    if (report.refusedChildren.length) out.error(`${report.refusedChildren.length} children were refused and left out (npm run import lists why)`);
    return report.refusedChildren.length ? 1 : 0;
  }
  const store = await openConfiguredStore(loadConfig());
  try {
    show(await backtest(store, from, to));
    return 0;
  } finally {
    await store.close();
  }
}

function coverage(check: boolean, out: Output): number {
  const rendered = renderCoverage(loadPolicyPacks());
  let current = '';
  try {
    current = readFileSync(COVERAGE_FILE, 'utf8');
  } catch {
    // absent: written below, or reported as out of date
  }
  if (check) {
    if (current === rendered) return 0;
    out.error(`${COVERAGE_FILE} is out of date: run npm run policy -- coverage`);
    return 1;
  }
  writeFileSync(COVERAGE_FILE, rendered);
  out.log(`wrote ${COVERAGE_FILE}`);
  return 0;
}

function printExplanation(facts: FactExplanation[], pack: string, out: Output): void {
  out.log(`under ${pack}:`);
  for (const f of facts) {
    out.log(`\n${f.occurredOn} ${f.type} (${f.eventId}), held by ${f.heldBy ?? 'no team'}`);
    if (!f.rules.length) out.log('  no transfer point is triggered by this fact');
    for (const r of f.rules) {
      out.log(`  ${r.outcome === 'proposed' ? '✓' : '·'} ${r.ruleId} [${r.citation}]: ${r.outcome}`);
      r.account.forEach((line) => out.log(`      ${line}`));
      // The pack's reading of words tied to time passing: what proposes this transfer, and why.
      if (r.reading) out.log(`      reading [${r.reading.citation}]: ${r.reading.text}`);
    }
    for (const d of f.decisions) out.log(`  → ${describeDecision(d)}`);
    if (f.recorded.length !== f.decisions.length) out.log(`  (recorded at the time: ${f.recorded.map((d) => d.type).join(', ') || 'nothing'})`);
  }
}

/** One line per decision: where the case goes (or stays), who co-works, by when. */
function describeDecision(d: Decision): string {
  const due = 'dueBy' in d.data && d.data.dueBy !== undefined ? `, due ${d.data.dueBy ?? 'when the meeting is dated'}` : '';
  switch (d.type) {
    case 'CaseRetained':
      return `CaseRetained: the case remains with ${d.data.team}${d.data.holdsWhile ? `, holding off other rules while ${d.data.holdsWhile.join('; ')}` : ''}`;
    case 'CoWorkRequired':
      return `CoWorkRequired: ${d.data.coWorkingTeam} allocates a co-worker${due}`;
    case 'TransferProposed':
      return `${d.type} to ${d.data.toTeam}${d.data.toArea ? ` (${d.data.toArea})` : ''}${due}`;
    case 'TransferCompleted':
      return `${d.type} to ${d.data.toTeam}${due}`;
    default:
      return `${d.type}${due}`;
  }
}

if (require.main === module) {
  run(process.argv.slice(2), { log: (l) => console.log(l), error: (l) => console.error(l) }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error((error as Error).message);
      process.exit(1);
    },
  );
}
