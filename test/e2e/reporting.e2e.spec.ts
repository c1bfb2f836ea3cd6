/**
 * The reporting read models over HTTP on the embedded system (PGlite file store, shipped packs,
 * real working-day arithmetic): transfers for two authorities are proposed, accepted and completed
 * through the API on dates the admin clock pins, then GET /v1/transfers (filters, keyset pages,
 * field-level 400s, tenant scope), GET /v1/reports/summary (exact figures) and GET /v1/escalations
 * are read back from the rm_* tables.
 */
import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ROLES } from '@cto/access-control';
import { createEmbeddedApp } from '@cto/embedded';
import { loadConfig } from '@cto/runtime';
import { bearer, clockAdmin, envelopeMaker, eventually, testAuthEnv } from '@cto/testing';

jest.setTimeout(90000);

let dataDir: string;
let app: INestApplication;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cto-reporting-'));
  app = await createEmbeddedApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', POLL_INTERVAL_MS: '50', ...testAuthEnv() }));
  await app.init();
});

afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const AUTHORIZATION = bearer({ roles: [...ROLES], authorities: ['demo', 'kent'] });
const http = () => request.agent(app.getHttpServer()).set('authorization', AUTHORIZATION);
const envelope = envelopeMaker('rp', 'lcs');


const setClock = (now: string) => request(app.getHttpServer()).post('/v1/admin/clock').set('authorization', clockAdmin()).send({ now }).expect(200);

/** Posts the facts and waits for the child's one proposal; returns its transfer id. */
async function proposal(authority: string, childId: string, facts: [string, string, object][]): Promise<string> {
  await http()
    .post('/v1/case-events')
    .send(facts.map(([type, at, data]) => envelope(authority, childId, type, at, data)))
    .expect(202);
  const transfers = await eventually(
    async () => (await http().get(`/v1/children/${childId}/transfers?authority=${authority}`)).body.transfers ?? [],
    (t: unknown[]) => t.length > 0,
    `a proposal for ${childId}`,
  );
  return (transfers[0] as { transferId: string }).transferId;
}

const cpPlan = (): [string, string, object][] => [
  ['WorkerAllocated', '2026-05-01T09:00:00+01:00', { team: 'A&I', workerId: 'W-17' }],
  ['ICPCHeld', '2026-05-01T10:00:00+01:00', { outcome: 'cp-plan' }],
];

const ids = { d1: '', d2: '', d3: '', k1: '' };

beforeAll(async () => {
  // demo (000 ¶12): three children on CP plans, proposed A&I → FSP on Friday 1 May 2026, each due
  // Monday 18 May (10 working days; Monday 4 May is a bank holiday).
  await setClock('2026-05-01T11:00:00Z');
  ids.d1 = await proposal('demo', 'RP-D1', cpPlan());
  ids.d2 = await proposal('demo', 'RP-D2', cpPlan());
  ids.d3 = await proposal('demo', 'RP-D3', cpPlan());
  // kent: a child accommodated under s20 on Monday 4 May, proposed CSWT → CIC, then disputed.
  await setClock('2026-05-04T11:00:00Z');
  ids.k1 = await proposal('kent', 'RP-K1', [
    ['ReferralReceived', '2026-05-01T09:00:00+01:00', { referralSource: 'school' }],
    ['WorkerAllocated', '2026-05-01T09:00:00+01:00', { team: 'CSWT', workerId: 'W-1' }],
    ['ChildAccommodated', '2026-05-04T10:00:00+01:00', { legalBasis: 's20', expectedDurationWeeks: 8 }],
  ]);
  await http().post(`/v1/transfers/${ids.k1}/dispute`).send({ reason: 'the placement is short term' }).expect(200);

  // D1 completes on its due date (10 working days), D2 two working days later (12); D3 stays open.
  await setClock('2026-05-18T11:00:00Z');
  await http().post(`/v1/transfers/${ids.d1}/accept`).send({}).expect(200);
  await http().post(`/v1/transfers/${ids.d1}/complete`).send({}).expect(200);
  await setClock('2026-05-20T11:00:00Z');
  await http().post(`/v1/transfers/${ids.d2}/accept`).send({}).expect(200);
  await http().post(`/v1/transfers/${ids.d2}/complete`).send({}).expect(200);
});

interface Listed {
  transferId: string;
  childId: string;
  status: string;
  fromTeam: string;
  toTeam: string;
  dueBy: string;
  overdue: boolean;
  completedOn: string | null;
}
const list = async (query: string): Promise<{ transfers: Listed[]; nextCursor: string | null }> => (await http().get(`/v1/transfers?${query}`).expect(200)).body;
const idsOf = (rows: Listed[]) => rows.map((t) => t.transferId).sort();

describe('GET /v1/transfers', () => {
  it('lists the authority’s transfers with their status, and only that authority’s', async () => {
    const demo = await list('authority=demo');
    expect(idsOf(demo.transfers)).toEqual([ids.d1, ids.d2, ids.d3].sort());
    expect(demo.nextCursor).toBeNull();
    expect(demo.transfers.find((t) => t.transferId === ids.d1)).toMatchObject({
      childId: 'RP-D1',
      status: 'completed',
      fromTeam: 'A&I',
      toTeam: 'FSP',
      dueBy: '2026-05-18',
      completedOn: '2026-05-18',
      overdue: false,
    });
    const kent = await list('authority=kent');
    expect(kent.transfers).toEqual([expect.objectContaining({ transferId: ids.k1, status: 'disputed', fromTeam: 'CSWT', toTeam: 'CIC' })]);
  });

  it('filters by status, team (sending or receiving), overdue on the system clock, and proposal date', async () => {
    expect(idsOf((await list('authority=demo&status=completed')).transfers)).toEqual([ids.d1, ids.d2].sort());
    expect(idsOf((await list('authority=demo&overdue=true')).transfers)).toEqual([ids.d3]);
    expect(idsOf((await list('authority=demo&overdue=false')).transfers)).toEqual([ids.d1, ids.d2].sort());
    expect((await list('authority=demo&team=A%26I')).transfers).toHaveLength(3);
    expect((await list('authority=demo&team=FSP&status=proposed')).transfers.map((t) => t.transferId)).toEqual([ids.d3]);
    expect((await list('authority=demo&team=CIC')).transfers).toHaveLength(0);
    expect((await list('authority=kent&team=CIC')).transfers).toHaveLength(1);
    expect((await list('authority=demo&from=2026-05-01&to=2026-05-01')).transfers).toHaveLength(3);
    expect((await list('authority=demo&from=2026-05-02')).transfers).toHaveLength(0);
    expect((await list('authority=kent&to=2026-05-03')).transfers).toHaveLength(0);
  });

  it('pages with an opaque cursor, newest first, with no row twice or missed', async () => {
    const first = await list('authority=demo&limit=2');
    expect(first.transfers).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await list(`authority=demo&limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(second.transfers).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(idsOf([...first.transfers, ...second.transfers])).toEqual([ids.d1, ids.d2, ids.d3].sort());
  });

  it('answers 400 naming every bad parameter', async () => {
    const bad = await http().get('/v1/transfers?authority=demo&status=lost&overdue=yes&from=2026-02-30&limit=0').expect(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/from', '/limit', '/overdue', '/status']);
    const tooMany = await http().get('/v1/transfers?authority=demo&limit=501').expect(400);
    expect(tooMany.body.errors).toEqual([expect.objectContaining({ path: '/limit' })]);
    const cursor = await http().get('/v1/transfers?authority=demo&cursor=not-a-cursor').expect(400);
    expect(cursor.body.errors).toEqual([expect.objectContaining({ path: '/cursor' })]);
    const reversed = await http().get('/v1/transfers?authority=demo&from=2026-05-02&to=2026-05-01').expect(400);
    expect(reversed.body.errors).toEqual([expect.objectContaining({ path: '/to' })]);
  });

  it('reads only the authorities the token is scoped to', async () => {
    const kentOnly = bearer({ roles: ['reader'], authorities: ['kent'] });
    await request(app.getHttpServer()).get('/v1/transfers?authority=demo').set('authorization', kentOnly).expect(403);
    await request(app.getHttpServer()).get('/v1/reports/summary?authority=demo').set('authorization', kentOnly).expect(403);
    const own = await request(app.getHttpServer()).get('/v1/transfers').set('authorization', kentOnly).expect(200);
    expect(own.body).toMatchObject({ authority: 'kent', transfers: [expect.objectContaining({ transferId: ids.k1 })] });
    await request(app.getHttpServer()).get('/v1/transfers?authority=kent').expect(401);
  });
});

describe('GET /v1/reports/summary', () => {
  it('gives per-route counts and working days to complete against the rule’s own target, and transitions per child', async () => {
    const { body } = await http().get('/v1/reports/summary?authority=demo').expect(200);
    expect(body).toEqual({
      authority: 'demo',
      asOf: '2026-05-20',
      routes: [
        {
          fromTeam: 'A&I',
          toTeam: 'FSP',
          ruleId: 'child-protection-plan-to-fsp',
          citation: '000_c0d212b149d080fa.txt ¶12',
          open: 1,
          overdue: 1,
          completed: 2,
          // 10 and 12 working days: median 11, 90th percentile 10 + 0.9 × 2.
          workingDaysToComplete: { median: 11, p90: 11.8 },
          target: { within: '10 working days', completedWithinTarget: 1 },
        },
      ],
      transitionsPerChild: { children: 3, mean: 0.67, max: 1 },
    });
  });
});

describe('GET /v1/escalations (from the read model)', () => {
  it('lists the authority’s escalations in the same shape as before, filtered by status', async () => {
    const open = await eventually(
      async () => (await http().get('/v1/escalations?authority=kent&status=open').expect(200)).body,
      (b: { authority: string; escalations: { authority: string; status: string }[] }) => b.escalations.length > 0,
      'the dispute escalated',
    );
    expect(open.authority).toBe('kent');
    expect(open.escalations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ childId: 'RP-K1', authority: 'kent', transferId: ids.k1, reason: 'disputed', status: 'open', raisedAt: expect.any(String), citation: expect.any(String) }),
      ]),
    );
    expect(open.escalations.every((e) => e.authority === 'kent' && e.status === 'open')).toBe(true);
    const demo = (await http().get('/v1/escalations?authority=demo').expect(200)).body;
    expect(demo.escalations.every((e: { authority: string }) => e.authority === 'demo')).toBe(true);
    expect((await http().get('/v1/escalations?authority=kent&status=closed').expect(400)).body.errors).toEqual([expect.objectContaining({ path: '/status' })]);
  });
});
