/**
 * `npm run import -- <ssda903|csc-api> --authority <id> <files> [--teams F] [--today D] [--json] [--commit]`
 *
 * Start from the data an authority already has (issue 17): its SSDA903 return or its CSC API
 * payload, read and checked (libs/statutory-returns), each child given its holding team and the
 * milestones it passed, then judged under the authority's pack in force.
 *
 * - Dry run (the default): nothing is written. Every child is judged with the deciders the
 *   services run (`standingOf`), and the caseload report is printed: transfers the pack requires
 *   and which are overdue, milestones in the next 90 days, what was refused and what was assumed.
 *   Exit 0 only if nothing was refused.
 * - `--commit`: the facts of every child not refused are recorded through the same door as any
 *   case-management system's, `POST /v1/case-events` of the running system (`--url`, `--token` or
 *   CTO_TOKEN): all its validation, its tenant scope and its idempotency, in batches of at most 500
 *   events that never split a child. The services then make the decisions; the command waits for
 *   them and prints the same report with the transfers read back from the system, and says where
 *   they differ from the dry run. Exit non-zero if anything was refused or differs. Re-running a
 *   commit records nothing twice (event ids derive from the return's records).
 */
import 'reflect-metadata';
import { CaseEventValidator } from '@cto/contracts';
import { loadConfig, packsInForce } from '@cto/runtime';
import {
  dryRunReport,
  prepareCaseload,
  withTransfersFromStore,
  type CaseloadReport,
  type MappedCaseload,
  type PreparedCaseload,
  type ReportedTransfer,
} from '@cto/statutory-returns';
import { readJudgingOptions, readReturn, RETURN_OPTIONS, type ReturnKind } from './import/read-return';
import { renderCaseloadReport } from './import/render-report';
import { Progress } from './import/progress';
import { commitCaseload, openTransfersOf, type SystemConnection } from './import/commit';
import { mistake, parseCommandLine, type Output as CommandOutput } from './command-line';

export interface Output extends CommandOutput {
  /** A terminal: progress is shown there. */
  isTTY?: boolean;
}

export const USAGE = [
  'usage: npm run import -- ssda903 --authority <id> (--header F --episodes F [--reviews F] [--uasc F] | --xml F) [options]',
  '       npm run import -- csc-api --authority <id> --payload F [options]',
  '',
  'options:',
  '  --teams F       CSV child,team[,worker]: the team holding each child (else the pack\'s holdingTeams, reported as assumed)',
  '  --today D       judge as of this date (YYYY-MM-DD; default: today)',
  '  --json          print the report as JSON',
  '  --commit        record the facts through POST /v1/case-events of the running system and report from it',
  '  --url U         the running system (default http://127.0.0.1:3000)',
  '  --token T       a bearer token scoped to the authority (default: $CTO_TOKEN)',
  '  --wait S        seconds to wait for the services to decide after a commit (default 120)',
  '  --help          this text',
  '',
  'Without --commit nothing is written. Exit 0 only if nothing was refused (and, with --commit,',
  'the system decided what the dry run did); 1 otherwise; 2 for a usage error.',
];

const OPTIONS = {
  ...RETURN_OPTIONS,
  authority: { type: 'string' },
  teams: { type: 'string' },
  today: { type: 'string' },
  json: { type: 'boolean' },
  commit: { type: 'boolean' },
  url: { type: 'string' },
  token: { type: 'string' },
  wait: { type: 'string' },
} as const;

export async function run(argv: string[], out: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = parseCommandLine(argv, { usage: USAGE, options: OPTIONS, maxPositionals: 1 }, out);
  if (!parsed.run) return parsed.exitCode;
  const { values, positionals } = parsed;
  const kind = positionals[0];
  if (kind !== 'ssda903' && kind !== 'csc-api') return usage(out, kind ? `unknown source ${kind}: ssda903 or csc-api` : 'name the source: ssda903 or csc-api');
  if (!values.authority) return usage(out, '--authority is required');
  const waitSeconds = values.wait === undefined ? 120 : Number(values.wait);
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0) return usage(out, `--wait must be a number of seconds, got ${values.wait}`);

  const compiled = packsInForce(loadConfig(env)).forAuthority(values.authority);
  if (!compiled) return usage(out, `no policy pack in force covers authority ${values.authority}`);

  const connection: SystemConnection | undefined = values.commit
    ? { url: (values.url ?? 'http://127.0.0.1:3000').replace(/\/$/, ''), token: values.token ?? env.CTO_TOKEN ?? '' }
    : undefined;
  if (connection && !connection.token) return usage(out, '--commit needs a bearer token scoped to the authority: --token or CTO_TOKEN');

  let caseload: MappedCaseload;
  let judging: ReturnType<typeof readJudgingOptions>;
  try {
    caseload = readReturn(kind as ReturnKind, values, values.authority);
    judging = readJudgingOptions(values, compiled.pack);
  } catch (error) {
    return usage(out, (error as Error).message);
  }
  const now = values.today ? `${values.today}T12:00:00Z` : new Date().toISOString();
  const prepared = refuseInvalidFacts(prepareCaseload(caseload, compiled, judging));

  const progress = new Progress(out);
  const bar = progress.tracker('judging', prepared.children.length);
  const dryRun = dryRunReport(prepared, compiled, now, (done) => bar.tick(done));
  bar.end();
  if (!connection) {
    print(dryRun, values.json, out);
    return anythingRefused(dryRun) ? 1 : 0;
  }

  const committed = await commitCaseload(prepared, connection, progress);
  if (!committed.ok) {
    out.error(committed.message);
    return 1;
  }
  out.error(`recorded ${committed.recorded} events (${committed.duplicates} already recorded); waiting for the services to decide`);
  // Children the system refused at the door are refused in the report too, and expected nowhere.
  const atTheDoor = new Set(committed.refused.map((r) => r.childId));
  const sent: PreparedCaseload = {
    ...prepared,
    children: prepared.children.filter((c) => !atTheDoor.has(c.childId)),
    refusals: [...prepared.refusals, ...committed.refused.map((r) => ({ file: `(recorded ${r.eventId})`, field: '/eventId', childId: r.childId, reason: r.reason }))],
    refusedChildren: [...new Set([...prepared.refusedChildren, ...atTheDoor])].sort(),
  };
  const expected = { ...dryRun, transfers: dryRun.transfers.filter((t) => !atTheDoor.has(t.childId)) };
  const stored = await waitForDecisions(sent, connection, expected, waitSeconds * 1000);
  const report = withTransfersFromStore(sent, compiled, dryRun.today, stored);
  print(report, values.json, out);
  const differences = differencesBetween(expected.transfers, report.transfers);
  differences.forEach((d) => out.error(d));
  return anythingRefused(report) || differences.length ? 1 : 0;
}

const anythingRefused = (r: CaseloadReport) => r.refusals.length > 0 || r.refusedChildren.length > 0;

const usage = (out: Output, message: string): number => mistake(message, { usage: USAGE }, out).exitCode;

function print(report: CaseloadReport, json: boolean | undefined, out: Output): void {
  if (json) out.log(JSON.stringify(report, null, 2));
  else renderCaseloadReport(report).forEach((l) => out.log(l));
}

/**
 * Every fact checked against the case-event contracts before anything is judged or sent, exactly
 * as intake checks it: a mapping that made an event the system would refuse refuses its child
 * here, in the report, rather than failing a whole batch at the door.
 */
function refuseInvalidFacts(caseload: PreparedCaseload): PreparedCaseload {
  const validator = new CaseEventValidator();
  const refusals = [...caseload.refusals];
  const refused = new Set(caseload.refusedChildren);
  const children = caseload.children.filter((child) => {
    for (const fact of child.facts) {
      const result = validator.validate(fact);
      if (result.ok) continue;
      for (const e of result.errors) refusals.push({ file: `(mapped ${fact.type} ${fact.eventId})`, field: e.path, childId: child.childId, reason: `the mapped event is not a valid case event: ${e.reason}` });
      refused.add(child.childId);
      return false;
    }
    return true;
  });
  return { ...caseload, children, refusals, refusedChildren: [...refused].sort() };
}

const keyOf = (t: Omit<ReportedTransfer, 'overdue' | 'transferId' | 'status'>) => `${t.childId} ${t.fromTeam} → ${t.toTeam} (${t.ruleId}, due ${t.dueBy ?? 'when dated'})`;

/** The system's open transfers for the imported children, once they include all the dry run expects (or the wait is over). */
async function waitForDecisions(
  caseload: PreparedCaseload,
  connection: SystemConnection,
  expected: CaseloadReport,
  waitMs: number,
): Promise<Omit<ReportedTransfer, 'overdue'>[]> {
  const wanted = new Set(expected.transfers.map(keyOf));
  const deadline = Date.now() + waitMs;
  for (;;) {
    const stored = await openTransfersOf(caseload, connection);
    const have = new Set(stored.map(keyOf));
    if ([...wanted].every((k) => have.has(k)) || Date.now() >= deadline) return stored;
    await new Promise((r) => setTimeout(r, 500));
  }
}

function differencesBetween(dryRun: readonly ReportedTransfer[], stored: readonly ReportedTransfer[]): string[] {
  const before = new Set(dryRun.map(keyOf));
  const after = new Set(stored.map(keyOf));
  return [
    ...[...before].filter((k) => !after.has(k)).map((k) => `the dry run required, the system has not recorded: ${k}`),
    ...[...after].filter((k) => !before.has(k)).map((k) => `the system recorded, the dry run did not require: ${k}`),
  ];
}

if (require.main === module) {
  run(process.argv.slice(2), { log: (l) => console.log(l), error: (l) => console.error(l), isTTY: process.stderr.isTTY }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error((error as Error).message);
      process.exit(1);
    },
  );
}
