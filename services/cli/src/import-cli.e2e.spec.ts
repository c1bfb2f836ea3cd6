/**
 * `npm run import -- ssda903 --commit` against the embedded system over HTTP: the return's facts
 * go through POST /v1/case-events like any case-management system's, the services make the
 * decisions, and the report read back from the system is the dry run's. A second commit records
 * nothing (event ids derive from the return), and a refused child is recorded nowhere.
 */
import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ROLES } from '@cto/access-control';
import { createEmbeddedApp } from '@cto/embedded';
import { loadConfig } from '@cto/runtime';
import type { CaseloadReport } from '@cto/statutory-returns';
import { clockAdmin, testAuthEnv, testToken } from '@cto/testing';
import { run } from './import-cli';

jest.setTimeout(120000);

const FIXTURES = join(__dirname, '../../../libs/statutory-returns/fixtures/ssda903');
const RETURN = ['--header', join(FIXTURES, 'header.csv'), '--episodes', join(FIXTURES, 'episodes.csv'), '--reviews', join(FIXTURES, 'reviews.csv'), '--uasc', join(FIXTURES, 'uasc.csv')];

let dataDir: string;
let app: INestApplication;
let url: string;
const token = testToken({ roles: [...ROLES], authorities: ['demo'] });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cto-import-e2e-'));
  app = await createEmbeddedApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', POLL_INTERVAL_MS: '50', ...testAuthEnv() }));
  await app.listen(0, '127.0.0.1');
  url = await app.getUrl();
  // The services judge by their clock; the import is told the same day.
  await request(app.getHttpServer()).post('/v1/admin/clock').set('authorization', clockAdmin()).send({ now: '2026-12-07T12:00:00Z' }).expect(200);
});

afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function importing(extra: string[]): Promise<{ code: number; report: CaseloadReport; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(['ssda903', '--authority', 'demo', ...RETURN, '--today', '2026-12-07', '--json', ...extra], { log: (l) => out.push(l), error: (l) => err.push(l) }, {});
  return { code, report: (out.length ? JSON.parse(out.join('\n')) : undefined) as CaseloadReport, err };
}

describe('npm run import -- ssda903 --commit', () => {
  it('records the return through the system, whose services then require exactly what the dry run reported', async () => {
    const dryRun = await importing([]);
    const committed = await importing(['--commit', '--url', url, '--token', token, '--wait', '60']);

    expect(committed.err).toEqual([expect.stringMatching(/^recorded 76 events \(0 already recorded\)/)]);
    expect(committed.code).toBe(0);
    expect(committed.report.transfersFrom).toBe('store');
    const shape = (r: CaseloadReport) => r.transfers.map(({ childId, fromTeam, toTeam, ruleId, dueBy, overdue, status }) => ({ childId, fromTeam, toTeam, ruleId, dueBy, overdue, status }));
    expect(shape(committed.report)).toEqual(shape(dryRun.report));
    expect(shape(committed.report).map((t) => t.childId)).toEqual(['A1001', 'E5005']);

    // policy explain agrees, for a sample child: the 15½ milestone the import recorded, judged while
    // the child was held by CLA, is where ¶20's rule proposed the move the report calls overdue.
    const explanation = await request(app.getHttpServer()).get('/v1/children/A1001/explanation?authority=demo').set('authorization', `Bearer ${token}`).expect(200);
    const facts = explanation.body.facts as { type: string; occurredOn: string; heldBy?: string; rules: { ruleId: string; outcome: string }[] }[];
    const fired = facts.filter((f) => f.rules.some((r) => r.outcome === 'proposed'));
    expect(fired.map((f) => [f.type, f.occurredOn, f.heldBy, f.rules.filter((r) => r.outcome === 'proposed').map((r) => r.ruleId)])).toEqual([
      ['BirthdayApproaching', '2024-09-15', 'CLA', ['cla-to-16-plus-at-15-and-a-half']],
    ]);
  });

  it('records nothing twice when the same return is committed again', async () => {
    const again = await importing(['--commit', '--url', url, '--token', token, '--wait', '60']);

    expect(again.code).toBe(0);
    expect(again.err[0]).toBe('recorded 0 events (76 already recorded); waiting for the services to decide');
    const events = await request(app.getHttpServer()).get('/v1/children/A1001/events?authority=demo').set('authorization', `Bearer ${token}`).expect(200);
    const proposals = (events.body.events as { type: string }[]).filter((e) => e.type === 'TransferProposed');
    expect(proposals).toHaveLength(1);
  });

  it("refuses, loudly, a child whose later return corrects a fact already recorded, and records the others", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cto-import-corrected-'));
    try {
      // Next year's return puts A1001's date of birth right: the record (header DOB) is the same, its value is not.
      writeFileSync(join(dir, 'header.csv'), readFileSync(join(FIXTURES, 'header.csv'), 'utf8').replace('A1001,F,15/03/2009', 'A1001,F,16/03/2009'));
      const files = ['--header', join(dir, 'header.csv'), ...RETURN.slice(2)];
      const out: string[] = [];
      const err: string[] = [];
      const code = await run(['ssda903', '--authority', 'demo', ...files, '--today', '2026-12-07', '--json', '--commit', '--url', url, '--token', token, '--wait', '60'], { log: (l) => out.push(l), error: (l) => err.push(l) }, {});
      const report = JSON.parse(out.join('\n')) as CaseloadReport;

      expect(code).toBe(1);
      expect(err[0]).toMatch(/^recorded 0 events \(\d+ already recorded\)/);
      expect(report.refusedChildren).toEqual(['A1001']);
      // The date of birth, and the milestones that move with it.
      expect(report.refusals.map((r) => [r.childId, r.file])).toEqual([
        ['A1001', '(recorded ssda903:A1001:header:DOB)'],
        ['A1001', '(recorded ssda903:A1001:milestone:15.5)'],
        ['A1001', '(recorded ssda903:A1001:milestone:16)'],
      ]);
      expect(report.refusals[0]).toMatchObject({ field: '/eventId', reason: expect.stringMatching(/^the system already holds a different fact under this record/) });
      expect(report.transfers.map((t) => t.childId)).toEqual(['E5005']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps two authorities apart: the same return committed for kent records every event again, under kent, and leaves demo as it was', async () => {
    const kentToken = testToken({ roles: [...ROLES], authorities: ['kent'] });
    const demoEvents = async () => (await request(app.getHttpServer()).get('/v1/children/A1001/events?authority=demo').set('authorization', `Bearer ${token}`).expect(200)).body.events as unknown[];
    const before = await demoEvents();
    const out: string[] = [];
    const err: string[] = [];
    const code = await run(['ssda903', '--authority', 'kent', ...RETURN, '--today', '2026-12-07', '--json', '--commit', '--url', url, '--token', kentToken, '--wait', '60'], { log: (l) => out.push(l), error: (l) => err.push(l) }, {});

    expect(code).toBe(0);
    expect(err[0]).toBe('recorded 76 events (0 already recorded); waiting for the services to decide');
    expect((JSON.parse(out.join('\n')) as CaseloadReport).transfers).toEqual([expect.objectContaining({ childId: 'A1001', fromTeam: 'CIC', toTeam: '18+' })]);
    expect(await demoEvents()).toEqual(before);
    // A token for one authority cannot commit another's return: refused at the door, nothing recorded.
    const refused: string[] = [];
    expect(await run(['ssda903', '--authority', 'demo', ...RETURN, '--today', '2026-12-07', '--commit', '--url', url, '--token', kentToken], { log: () => undefined, error: (l) => refused.push(l) }, {})).toBe(1);
    expect(refused[0]).toMatch(/^POST \/v1\/case-events refused a batch \(403\)/);
  });

  it('records the children of a return with a refused record but nothing of the refused child, and exits 1', async () => {
    const bad = join(FIXTURES, 'bad/malformed-date');
    const out: string[] = [];
    const code = await run(
      ['ssda903', '--authority', 'demo', '--header', join(bad, 'header.csv'), '--episodes', join(bad, 'episodes.csv'), '--today', '2026-12-07', '--json', '--commit', '--url', url, '--token', token, '--wait', '30'],
      { log: (l) => out.push(l), error: () => undefined },
      {},
    );
    const report = JSON.parse(out.join('\n')) as CaseloadReport;

    expect(code).toBe(1);
    expect(report.refusedChildren).toContain('K2');
    const events = (childId: string) => request(app.getHttpServer()).get(`/v1/children/${childId}/events?authority=demo`).set('authorization', `Bearer ${token}`);
    expect(((await events('K2')).body.events ?? []) as unknown[]).toEqual([]);
    expect(((await events('K3')).body.events as unknown[]).length).toBeGreaterThan(0);
  });

  it('says so and exits 1 when the system cannot be reached, having recorded nothing', async () => {
    const r = await importing(['--commit', '--url', 'http://127.0.0.1:9', '--token', token]);
    expect(r.code).toBe(1);
    expect(r.report).toBeUndefined();
    expect(r.err).toEqual([expect.stringMatching(/^cannot reach the system at http:\/\/127\.0\.0\.1:9: .*\(start it with npm start, or pass --url\)$/)]);
  });
});
