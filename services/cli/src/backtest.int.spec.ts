/**
 * `npm run policy -- backtest`: the stored history replayed under two versions of a pack, nothing
 * written. The second version here is the shipped internal-transfer-v11 with ¶12's timescale
 * shortened to 5 working days, and with ¶13 (PLO) sending the child to CLA instead of FSP.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childStreamId, type CaseEvent } from '@cto/domain';
import { factEvent, openPgliteEventStore } from '@cto/event-store';
import { DEFAULT_POLICIES_DIR } from '@cto/policy-packs';
import { run } from './policy-cli';

jest.setTimeout(60000);

describe('npm run policy -- backtest', () => {
  let dir: string;
  let draft: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cto-backtest-'));
    const shipped = readFileSync(join(DEFAULT_POLICIES_DIR, 'internal-transfer-v11.yaml'), 'utf8');
    const cp = shipped.indexOf('id: child-protection-plan-to-fsp');
    const plo = shipped.indexOf('id: plo-to-fsp');
    expect(cp).toBeGreaterThan(0);
    expect(plo).toBeGreaterThan(0);
    // Edit within each rule's own text only.
    const edited = shipped
      .replace(/^version: "[^"]+"/m, 'version: "99.0.0"')
      .replace(/(id: child-protection-plan-to-fsp[\s\S]*?)within: 10 working days/, '$1within: 5 working days')
      .replace(/(id: plo-to-fsp[\s\S]*?)to: FSP/, '$1to: CLA');
    expect(edited).not.toBe(shipped);
    draft = join(dir, 'draft.yaml');
    writeFileSync(draft, edited);

    const store = await openPgliteEventStore({ dataDir: join(dir, 'pglite') });
    const fact = (childId: string, eventId: string, type: string, occurredAt: string, data: object) =>
      factEvent({ eventId, type, authority: 'demo', childId, occurredAt, source: 'lcs', data } as CaseEvent);
    await store.appendToStream(
      childStreamId('demo', 'C-BT-1'),
      [fact('C-BT-1', 'bt1', 'WorkerAllocated', '2026-04-01T09:00:00+01:00', { team: 'A&I', workerId: 'W' }), fact('C-BT-1', 'bt2', 'ICPCHeld', '2026-05-01T10:00:00+01:00', { outcome: 'cp-plan' })],
      { expectedVersion: 'no-stream' },
    );
    await store.appendToStream(
      childStreamId('demo', 'C-BT-2'),
      [fact('C-BT-2', 'bt3', 'WorkerAllocated', '2026-04-01T09:00:00+01:00', { team: 'A&I', workerId: 'W' }), fact('C-BT-2', 'bt4', 'PLOStarted', '2026-05-01T10:00:00+01:00', {})],
      { expectedVersion: 'no-stream' },
    );
    await store.appendToStream(childStreamId('demo', 'C-BT-3'), [fact('C-BT-3', 'bt5', 'WorkerAllocated', '2026-04-01T09:00:00+01:00', { team: 'A&I', workerId: 'W' })], { expectedVersion: 'no-stream' });
    await store.close();
    process.env.DATA_DIR = dir;
    delete process.env.DATABASE_URL;
  });

  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  const capture = () => {
    const lines: string[] = [];
    return { lines, out: { log: (l: string) => lines.push(l), error: (l: string) => lines.push(`ERR ${l}`) } };
  };

  it('reports, per child and in total, the proposals a draft would change, and writes nothing', async () => {
    const { lines, out } = capture();
    expect(await run(['backtest', 'internal-transfer-v11', '--to-file', draft, '--json'], out)).toBe(0);
    const report = JSON.parse(lines.join('\n'));
    expect(report).toMatchObject({ packId: 'internal-transfer-v11', to: '99.0.0', children: 3, totals: { added: 0, removed: 0, changed: 2 } });
    const byChild = Object.fromEntries(report.differences.map((d: { childId: string; changed: { what: string[]; from: { toTeam: string; dueBy: string }; to: { toTeam: string; dueBy: string } }[] }) => [d.childId, d.changed[0]]));
    // ICPC on Friday 1 May 2026: 10 working days is 18 May (4 May is a bank holiday); 5 is 11 May.
    expect(byChild['C-BT-1']).toMatchObject({ what: ['due date'], from: { toTeam: 'FSP', dueBy: '2026-05-18' }, to: { toTeam: 'FSP', dueBy: '2026-05-11' } });
    expect(byChild['C-BT-2']).toMatchObject({ what: ['team'], from: { toTeam: 'FSP' }, to: { toTeam: 'CLA' } });

    const store = await openPgliteEventStore({ dataDir: join(dir, 'pglite') });
    expect((await store.readStream(childStreamId('demo', 'C-BT-1'))).currentVersion).toBe(2);
    await store.close();
  });

  it('prints a table, and says so when nothing would differ', async () => {
    const changed = capture();
    expect(await run(['backtest', 'internal-transfer-v11', '--to-file', draft], changed.out)).toBe(0);
    expect(changed.lines[0]).toMatch(/^internal-transfer-v11 .* → 99\.0\.0: 3 children replayed; 0 added, 0 removed, 2 changed$/);
    expect(changed.lines).toContainEqual(expect.stringMatching(/^C-BT-1 \| due date \| ICPCHeld 2026-05-01 \| A&I→FSP due 2026-05-18 .* \| A&I→FSP due 2026-05-11/));

    const same = capture();
    expect(await run(['backtest', 'internal-transfer-v11'], same.out)).toBe(0);
    expect(same.lines).toEqual([expect.stringMatching(/0 added, 0 removed, 0 changed$/), 'no proposal would differ']);
  });

  it('finds released versions in policies/history/', async () => {
    const { lines, out } = capture();
    expect(await run(['backtest', 'internal-transfer-v11', '--from-version', '11.1.0', '--to-version', '11.2.0'], out)).toBe(0);
    expect(lines[0]).toMatch(/^internal-transfer-v11 11\.1\.0 → 11\.2\.0: 3 children replayed/);
  });

  it('names the versions it knows when asked for one it does not', async () => {
    const { lines, out } = capture();
    expect(await run(['backtest', 'internal-transfer-v11', '--to-version', '0.0.1'], out)).toBe(2);
    expect(lines[0]).toMatch(/^ERR pack internal-transfer-v11 has no version 0\.0\.1 here \(known: /);
  });
});
