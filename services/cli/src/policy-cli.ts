/**
 * `npm run policy -- <command>`:
 *   validate [file|dir …]                 check packs (libs/policy-packs)
 *   explain <authority> <childId> [--json]
 *                                         replay the child's stream under the pack in force and say,
 *                                         fact by fact, why each rule did or did not fire
 * explain reads the store the configuration names (DATABASE_URL, else the embedded store in
 * DATA_DIR). The embedded store is one process's at a time: with `npm start` running, ask it
 * instead: GET /v1/children/{childId}/explanation.
 */
import 'reflect-metadata';
import { childStreamId, explainStream, type FactExplanation } from '@cto/domain';
import { openPgliteEventStore, openPostgresEventStore, type EventStore } from '@cto/event-store';
import { COVERAGE_FILE, loadPolicyPacks, main as policyPacksMain, renderCoverage } from '@cto/policy-packs';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadConfig, packsInForce, toChildStreamEvent } from '@cto/runtime';
import { join } from 'node:path';

interface Output {
  log(line: string): void;
  error(line: string): void;
}

const USAGE = [
  'usage: npm run policy -- validate [file|dir …]',
  '       npm run policy -- explain <authority> <childId> [--json]',
  '       npm run policy -- coverage [--check]',
  '',
  '  validate   check policy packs against their schema, teams, meeting kinds, facts, timescales and conflicts',
  '  explain    replay a child\'s stream under the pack in force: why each rule did or did not fire',
  '  coverage   write policies/COVERAGE.md from the packs (--check: only say whether it is up to date)',
];

export async function run(argv: string[], out: Output): Promise<number> {
  if (argv[0] === 'validate') return policyPacksMain(argv, out);
  if (argv[0] === 'coverage') return coverage(argv.includes('--check'), out);
  if (argv[0] !== 'explain') {
    const help = ['help', '--help', '-h'].includes(argv[0] ?? '');
    if (argv[0] !== undefined && !help) out.error(`unknown command: ${argv[0]}`);
    USAGE.forEach((line) => (help ? out.log(line) : out.error(line)));
    return help ? 0 : 2;
  }
  const args = argv.slice(1);
  const json = args.includes('--json');
  const at = args.indexOf('--authority');
  const positional = args.filter((a, i) => !a.startsWith('--') && (at < 0 || i !== at + 1));
  // `explain <authority> <childId>`, or `explain <childId> [--authority A]`.
  const [childId, authorityArg] = positional.length === 2 ? [positional[1], positional[0]] : [positional[0], at >= 0 ? args[at + 1] : undefined];
  if (!childId || positional.length > 2 || (at >= 0 && !args[at + 1])) {
    out.error('usage: npm run policy -- explain <authority> <childId> [--json]');
    return 2;
  }
  const config = loadConfig();
  const packs = packsInForce(config);
  const authority = authorityArg ?? (packs.authorities().length === 1 ? packs.authorities()[0] : undefined);
  const compiled = authority ? packs.forAuthority(authority) : undefined;
  if (!authority || !compiled) {
    out.error(`--authority is required: one of ${packs.authorities().join(', ')}`);
    return 2;
  }
  const store: EventStore = config.databaseUrl
    ? await openPostgresEventStore({ connectionString: config.databaseUrl, ...(config.databaseSchema ? { schema: config.databaseSchema } : {}) })
    : await openPgliteEventStore({ dataDir: join(config.dataDir, 'pglite') });
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
    }
    for (const d of f.decisions) {
      const data = d.data as { toTeam?: string; dueBy?: string | null };
      out.log(`  → ${d.type}${data.toTeam ? ` to ${data.toTeam}` : ''}${data.dueBy !== undefined ? `, due ${data.dueBy ?? 'when the meeting is dated'}` : ''}`);
    }
    if (f.recorded.length !== f.decisions.length) out.log(`  (recorded at the time: ${f.recorded.map((d) => d.type).join(', ') || 'nothing'})`);
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
