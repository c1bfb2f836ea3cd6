import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childStreamId } from '@cto/domain';
import { factEvent, openPgliteEventStore } from '@cto/event-store';
import { run } from './policy-cli';

jest.setTimeout(60000);

describe('npm run policy -- explain', () => {
  let dataDir: string;
  const saved = { ...process.env };
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cto-cli-'));
    const store = await openPgliteEventStore({ dataDir: join(dataDir, 'pglite') });
    const facts = [
      { eventId: 'c1', type: 'WorkerAllocated', data: { team: 'A&I', workerId: 'W-1' }, occurredAt: '2026-04-01T09:00:00+01:00' },
      { eventId: 'c2', type: 'ICPCHeld', data: { outcome: 'cin-plan' }, occurredAt: '2026-05-01T10:00:00+01:00' },
    ] as const;
    for (const f of facts) {
      await store.appendToStream(childStreamId('demo', 'C-CLI'), [factEvent({ ...f, authority: 'demo', childId: 'C-CLI', source: 'lcs' } as never)], { expectedVersion: 'any' });
    }
    await store.close();
    process.env.DATA_DIR = dataDir;
    delete process.env.DATABASE_URL;
  });
  afterAll(() => {
    process.env = saved;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const capture = () => {
    const lines: string[] = [];
    return { lines, out: { log: (l: string) => lines.push(l), error: (l: string) => lines.push(`ERR ${l}`) } };
  };

  it('says why the ¶12 rule did not fire for an ICPC that agreed a CIN plan', async () => {
    const { lines, out } = capture();
    expect(await run(['explain', 'demo', 'C-CLI'], out)).toBe(0);
    const text = lines.join('\n');
    expect(text).toContain('child-protection-plan-to-fsp [000_c0d212b149d080fa.txt ¶12]: conditions-not-met');
    expect(text).toContain('event.outcome is cp-plan (was cin-plan): not met');
  });

  it('gives JSON with --json', async () => {
    const { lines, out } = capture();
    expect(await run(['explain', 'C-CLI', '--json', '--authority', 'demo'], out)).toBe(0);
    expect(JSON.parse(lines.join('\n'))).toMatchObject({ childId: 'C-CLI', authority: 'demo', facts: [{ eventId: 'c1' }, { eventId: 'c2' }] });
  });

  it('answers 1 for an unknown child and 2 for a usage mistake', async () => {
    expect(await run(['explain', 'NOBODY', '--authority', 'demo'], capture().out)).toBe(1);
    expect(await run(['explain'], capture().out)).toBe(2);
    expect(await run(['frobnicate'], capture().out)).toBe(2);
  });
});
