/**
 * `npm run import` without --commit, and `npm run policy -- backtest --import`, over the SSDA903
 * fixtures written from the return's specification (libs/statutory-returns/fixtures/ssda903):
 * nothing is written, the report names each transfer the pack requires with its rule, citation
 * and due date, refusals make the exit non-zero, and bad command lines are usage errors.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_POLICIES_DIR } from '@cto/policy-packs';
import type { CaseloadReport } from '@cto/statutory-returns';
import { run } from './import-cli';
import { run as policy } from './policy-cli';

const FIXTURES = join(__dirname, '../../../libs/statutory-returns/fixtures/ssda903');
const csv = (dir = FIXTURES) => ['--header', join(dir, 'header.csv'), '--episodes', join(dir, 'episodes.csv')];
const fullCsv = [...csv(), '--reviews', join(FIXTURES, 'reviews.csv'), '--uasc', join(FIXTURES, 'uasc.csv')];

async function cli(argv: string[], command = run): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await command(argv, { log: (l) => out.push(l), error: (l) => err.push(l) });
  return { code, out, err };
}
const jsonOf = (r: { out: string[] }) => JSON.parse(r.out.join('\n')) as CaseloadReport;

describe('npm run import -- ssda903 (dry run)', () => {
  it('names the transfers the demo pack requires, overdue first, with rule, citation and due date, and exits 0', async () => {
    const r = await cli(['ssda903', '--authority', 'demo', ...fullCsv, '--today', '2026-12-07']);

    expect(r.code).toBe(0);
    expect(r.out[0]).toBe('SSDA903 return for demo, judged under internal-transfer-v11 11.4.0 as of 2026-12-07 (dry run: nothing was written)');
    const table = r.out.slice(r.out.indexOf('Transfers the pack requires: 2 (2 overdue)') + 1, r.out.indexOf('Transfers the pack requires: 2 (2 overdue)') + 4);
    expect(table.map((l) => l.split(/\s{2,}/))).toEqual([
      ['child', 'from', 'to', 'due by', 'status', 'rule', 'citation'],
      ['A1001', 'CLA', '16+', '2025-03-15 OVERDUE', 'proposed', 'cla-to-16-plus-at-15-and-a-half', '000_c0d212b149d080fa.txt ¶20'],
      ['E5005', 'CLA', '16+', '2026-01-15 OVERDUE', 'proposed', 'cla-to-16-plus-at-15-and-a-half', '000_c0d212b149d080fa.txt ¶20'],
    ]);
  });

  it('gives the same report from the XML form of the same return', async () => {
    const fromCsv = jsonOf(await cli(['ssda903', '--authority', 'kent', ...fullCsv, '--today', '2026-12-07', '--json']));
    const fromXml = jsonOf(await cli(['ssda903', '--authority', 'kent', '--xml', join(FIXTURES, 'return.xml'), '--today', '2026-12-07', '--json']));

    expect(fromXml.transfers).toEqual(fromCsv.transfers);
    expect(fromXml.upcomingMilestones).toEqual(fromCsv.upcomingMilestones);
    expect(fromCsv).toMatchObject({ source: 'ssda903', authority: 'kent', packId: 'kent', childrenRead: 9, childrenImported: 9, refusedChildren: [] });
    expect(fromCsv.transfers).toEqual([expect.objectContaining({ childId: 'A1001', fromTeam: 'CIC', toTeam: '18+', ruleId: 'eligible-care-leaver-to-18-plus', dueBy: '2027-03-15', overdue: false })]);
    expect(fromCsv.upcomingMilestones).toEqual([{ childId: 'J9009', ageYears: 15.5, on: '2027-02-12' }]);
  });

  it('takes the holding team from --teams: a child already with the 16+ team is due nowhere', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cto-import-'));
    try {
      writeFileSync(join(dir, 'teams.csv'), 'child,team,worker\nA1001,16+,W-12\n');
      const report = jsonOf(await cli(['ssda903', '--authority', 'demo', ...fullCsv, '--teams', join(dir, 'teams.csv'), '--today', '2026-12-07', '--json']));

      expect(report.transfers.map((t) => t.childId)).toEqual(['E5005']);
      expect(report.assumptions.filter((a) => a.childId === 'A1001' && a.what.startsWith('held by'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a refused record with file, line, field and reason, leaves the child out whole, and exits 1', async () => {
    const dir = join(FIXTURES, 'bad/malformed-date');
    const r = await cli(['ssda903', '--authority', 'demo', ...csv(dir), '--today', '2026-12-07', '--json']);

    expect(r.code).toBe(1);
    const report = jsonOf(r);
    expect(report.refusedChildren).toContain('K2');
    expect(report.refusals).toContainEqual(expect.objectContaining({ file: join(dir, 'header.csv'), line: 3, field: 'DOB', childId: 'K2' }));
    expect(report.assumptions.some((a) => a.childId === 'K2')).toBe(false);
  });

  it('refuses a file that is not the return at all, importing no one', async () => {
    const r = await cli(['ssda903', '--authority', 'demo', ...csv(join(FIXTURES, 'bad/not-the-return')), '--json']);

    expect(r.code).toBe(1);
    expect(jsonOf(r)).toMatchObject({ childrenImported: 0, transfers: [] });
    expect(jsonOf(r).refusals.length).toBeGreaterThan(0);
  });

  it.each([
    ['an unknown source', ['xlsx', '--authority', 'demo'], /unknown source xlsx/],
    ['no authority', ['ssda903', ...csv()], /--authority is required/],
    ['an authority no pack covers', ['ssda903', '--authority', 'nowhere', ...csv()], /no policy pack in force covers authority nowhere/],
    ['a header without episodes', ['ssda903', '--authority', 'demo', '--header', join(FIXTURES, 'header.csv')], /needs --header and --episodes/],
    ['CSV and XML at once', ['ssda903', '--authority', 'demo', ...csv(), '--xml', join(FIXTURES, 'return.xml')], /either as XML \(--xml\) or as CSV files, not both/],
    ["another source's file", ['ssda903', '--authority', 'demo', ...csv(), '--payload', 'x.json'], /does not take --payload/],
    ['a date not in ISO form', ['ssda903', '--authority', 'demo', ...csv(), '--today', '07/12/2026'], /--today must be a date/],
    ['an unknown option', ['ssda903', '--authority', 'demo', ...csv(), '--colour'], /unknown option: --colour/],
    ['a file that is not there', ['ssda903', '--authority', 'demo', '--header', '/no/such/header.csv', '--episodes', join(FIXTURES, 'episodes.csv')], /cannot read \/no\/such\/header.csv: ENOENT/],
    ['a commit without a token', ['ssda903', '--authority', 'demo', ...csv(), '--commit'], /--commit needs a bearer token/],
    ['a teams file that is not there', ['ssda903', '--authority', 'demo', ...csv(), '--teams', '/no/such/teams.csv'], /cannot read \/no\/such\/teams.csv: ENOENT/],
  ])('refuses %s as a usage error (exit 2)', async (_label, argv, message) => {
    const err: string[] = [];
    const code = await run(argv, { log: () => undefined, error: (l) => err.push(l) }, {});
    expect(code).toBe(2);
    expect(err[0]).toMatch(message);
  });

  it('prints its usage for --help and exits 0', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^usage: npm run import -- ssda903 --authority <id>/);
  });
});

describe('npm run import -- csc-api (dry run)', () => {
  const PAYLOAD = join(__dirname, '../../../libs/statutory-returns/fixtures/csc-api/children.json');

  it('reads the payload, and with the team the case-management system gives, names the transfer the conference required', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cto-import-csc-'));
    try {
      writeFileSync(join(dir, 'teams.csv'), 'child,team\nCH-CP-02,A&I\n');
      const plain = await cli(['csc-api', '--authority', 'demo', '--payload', PAYLOAD, '--today', '2026-12-07', '--json']);
      const withTeams = await cli(['csc-api', '--authority', 'demo', '--payload', PAYLOAD, '--teams', join(dir, 'teams.csv'), '--today', '2026-12-07', '--json']);

      expect(plain.code).toBe(0);
      expect(jsonOf(plain)).toMatchObject({ source: 'csc-api', childrenRead: 9, childrenImported: 9, transfers: [] });
      expect(jsonOf(withTeams).transfers).toEqual([
        expect.objectContaining({ childId: 'CH-CP-02', fromTeam: 'A&I', toTeam: 'FSP', ruleId: 'child-protection-plan-to-fsp', citation: '000_c0d212b149d080fa.txt ¶12', overdue: true }),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a payload that is not JSON with one located refusal, and exits 1', async () => {
    const r = await cli(['csc-api', '--authority', 'demo', '--payload', join(__dirname, '../../../libs/statutory-returns/fixtures/csc-api/bad-malformed.json'), '--json']);
    expect(r.code).toBe(1);
    expect(jsonOf(r)).toMatchObject({ childrenImported: 0, refusals: [expect.objectContaining({ file: expect.stringMatching(/bad-malformed\.json$/) })] });
  });

  it('takes --payload only', async () => {
    const err: string[] = [];
    expect(await run(['csc-api', '--authority', 'demo', '--payload', PAYLOAD, '--xml', 'x.xml'], { log: () => undefined, error: (l) => err.push(l) }, {})).toBe(2);
    expect(err[0]).toBe('csc-api takes --payload only, not --xml');
  });
});

describe('npm run policy -- backtest --import ssda903', () => {
  it('refuses a teams file it cannot use, as the import does, rather than judge with assumed teams', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cto-import-backtest-teams-'));
    try {
      writeFileSync(join(dir, 'teams.csv'), 'id,unit\nA1001,CLA\n');
      const r = await cli(['backtest', 'internal-transfer-v11', '--import', 'ssda903', '--authority', 'demo', ...fullCsv, '--teams', join(dir, 'teams.csv')], policy);
      expect(r.code).toBe(2);
      expect(r.err[0]).toMatch(/^--teams .*teams\.csv:1: missing column child/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("shows which children's proposals a new version of the pack would change, from the return, writing nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cto-import-backtest-'));
    try {
      const shipped = readFileSync(join(DEFAULT_POLICIES_DIR, 'internal-transfer-v11.yaml'), 'utf8');
      // The draft considers the move to 16+ at 16½ rather than before the 16th birthday.
      const edited = shipped.replace(/^version: "[^"]+"/m, 'version: "99.0.0"').replace(/(id: cla-to-16-plus-at-15-and-a-half[\s\S]*?)before: \{ age: 16 years \}/, '$1before: { age: 16 years 6 months }');
      expect(edited).not.toBe(shipped);
      writeFileSync(join(dir, 'draft.yaml'), edited);

      const r = await cli(['backtest', 'internal-transfer-v11', '--to-file', join(dir, 'draft.yaml'), '--import', 'ssda903', '--authority', 'demo', ...fullCsv, '--today', '2026-12-07', '--json'], policy);

      expect(r.code).toBe(0);
      const report = JSON.parse(r.out.join('\n'));
      expect(report).toMatchObject({ packId: 'internal-transfer-v11', from: '11.4.0', to: '99.0.0', children: 9, totals: { added: 0, removed: 0, changed: 2 } });
      expect(report.differences.map((d: { childId: string; changed: { from: { dueBy: string }; to: { dueBy: string } }[] }) => [d.childId, d.changed[0].from.dueBy, d.changed[0].to.dueBy])).toEqual([
        ['A1001', '2025-03-15', '2025-09-15'],
        ['E5005', '2026-01-15', '2026-07-15'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
