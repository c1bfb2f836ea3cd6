/**
 * The embedded system over HTTP, as an integrator uses it: post case events, read the child's
 * transfers back, restart, and see nothing lost. The real PGlite file store, the real in-process
 * bus, the shipped policy packs — nothing mocked.
 */
import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { TOPICS, type MessageBus, type ReceivedMessage } from '@cto/messaging';
import { ROLES } from '@cto/access-control';
import { loadConfig, MESSAGE_BUS, whenSettled } from '@cto/runtime';
import { createEmbeddedApp } from '@cto/embedded';
import { bearer, eventually, testAuthEnv } from '@cto/testing';

jest.setTimeout(60000);

let dataDir: string;
let app: INestApplication;

/**
 * Every role, every authority of the shipped packs, and `atlantis`, which has no pack: this spec is
 * about what the system does with a request, access control has its own (access-control.e2e.spec.ts).
 */
const AUTHORIZATION = bearer({ roles: [...ROLES], authorities: ['demo', 'kent', 'southampton', 'protocol-2023', 'casework-transfer', 'atlantis'] });
const authorized = (server: INestApplication) => request.agent(server.getHttpServer()).set('authorization', AUTHORIZATION);

const start = async () => {
  app = await createEmbeddedApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', POLL_INTERVAL_MS: '50', ...testAuthEnv() }));
  await app.init();
  // The walkthrough's day: with today's real date every 2026 due date would be long past, and
  // escalations would join the stream this spec reads.
  await authorized(app).post('/v1/admin/clock').send({ now: '2026-05-01T10:30:00Z' }).expect(200);
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cto-e2e-'));
  await start();
});

afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const http = () => authorized(app);
let seq = 0;
const envelope = (childId: string, type: string, occurredAt: string, data: object, eventId = `e2e-${++seq}`) => ({
  eventId,
  type,
  authority: 'demo',
  childId,
  occurredAt,
  source: 'lcs',
  data,
});


const transfersOf = (childId: string) => async () => (await http().get(`/v1/children/${childId}/transfers?authority=demo`)).body.transfers ?? [];

describe('POST /v1/case-events → TransferProposed (000 ¶12)', () => {
  it('proposes A&I → FSP citing ¶12, due 2026-05-18 for an ICPC on Friday 1 May 2026 (4 May is a bank holiday)', async () => {
    const published: ReceivedMessage[] = [];
    const bus = app.get<MessageBus>(MESSAGE_BUS);
    const subscription = await bus.subscribe({ topic: TOPICS.transferEvents, groupId: 'e2e-notifications', handler: async (m) => void published.push(m) });

    const res = await http()
      .post('/v1/case-events')
      .send([
        envelope('C-1029', 'WorkerAllocated', '2026-04-01T09:00:00+01:00', { team: 'A&I', workerId: 'W-1' }),
        envelope('C-1029', 'ICPCHeld', '2026-05-01T10:00:00+01:00', { outcome: 'cp-plan', concerns: ['neglect'] }),
      ]);
    expect(res.status).toBe(202);
    expect(res.body.accepted.map((a: { status: string }) => a.status)).toEqual(['recorded', 'recorded']);

    const [transfer] = await eventually(transfersOf('C-1029'), (t) => t.length > 0, 'a transfer');
    expect(transfer).toMatchObject({
      fromTeam: 'A&I',
      toTeam: 'FSP',
      status: 'proposed',
      ruleId: 'child-protection-plan-to-fsp',
      dueBy: '2026-05-18',
      packId: 'internal-transfer-v11',
    });
    expect(transfer.citation).toContain('000_c0d212b149d080fa.txt ¶12');
    expect(transfer.handoverPoint.basis).toBe('timescale');

    const events = (await eventually(
      async () => (await http().get('/v1/children/C-1029/events?authority=demo')).body.events as { type: string; kind: string; eventId: string; causationId?: string }[],
      (e) => e.some((x) => x.type === 'ChecklistOpened'),
      'the checklist',
    ))!;
    expect(events.map((e) => `${e.kind}:${e.type}`)).toEqual(['fact:WorkerAllocated', 'fact:ICPCHeld', 'decision:TransferProposed', 'decision:ChecklistOpened']);
    expect(events[2].causationId).toBe(events[1].eventId);

    // The decision is published on transfer-events with CloudEvents headers.
    const message = await eventually(async () => published.find((m) => m.headers.ce_type === 'TransferProposed'), Boolean, 'the published decision');
    expect(message!.headers).toMatchObject({ ce_specversion: '1.0', ce_id: events[2].eventId, ce_subject: 'child/demo/C-1029' });
    await subscription.close();
  });

  it('re-dates the handover point when the initial core group is scheduled', async () => {
    await http().post('/v1/case-events').send(envelope('C-1029', 'MeetingScheduled', '2026-05-05T09:00:00+01:00', { kind: 'initial-core-group', on: '2026-05-12' })).expect(202);
    const [transfer] = await eventually(transfersOf('C-1029'), (t) => t[0]?.dueBy === '2026-05-12', 'the rescheduled transfer');
    expect(transfer.handoverPoint).toMatchObject({ basis: 'meeting', meeting: 'initial-core-group' });
  });
});

describe('a real feed: facts recorded late, in another request (DESIGN.md "Deciding")', () => {
  const allocationCaughtUp = () => whenSettled(app);

  it('proposes A&I → FSP due 2026-05-18 when the 1 April allocation arrives after the 1 May ICPC (000 ¶12)', async () => {
    await http().post('/v1/case-events').send(envelope('C-LATE', 'ICPCHeld', '2026-05-01T10:00:00+01:00', { outcome: 'cp-plan' })).expect(202);
    await allocationCaughtUp();
    expect(await transfersOf('C-LATE')()).toEqual([]);
    await http().post('/v1/case-events').send(envelope('C-LATE', 'WorkerAllocated', '2026-04-01T09:00:00+01:00', { team: 'A&I', workerId: 'W-8' })).expect(202);
    const [transfer] = await eventually(transfersOf('C-LATE'), (t) => t.length > 0, 'the transfer the late allocation makes due');
    expect(transfer).toMatchObject({ fromTeam: 'A&I', toTeam: 'FSP', status: 'proposed', ruleId: 'child-protection-plan-to-fsp', dueBy: '2026-05-18' });
  });

  it('withdraws a proposal a late fact supersedes, naming the fact, and keeps it on the stream', async () => {
    await http()
      .post('/v1/case-events')
      .send([
        envelope('C-SUPERSEDED', 'WorkerAllocated', '2026-04-01T09:00:00+01:00', { team: 'A&I', workerId: 'W-8' }),
        envelope('C-SUPERSEDED', 'ICPCHeld', '2026-05-01T10:00:00+01:00', { outcome: 'cp-plan' }),
      ])
      .expect(202);
    await eventually(transfersOf('C-SUPERSEDED'), (t) => t.length > 0, 'the proposal');
    // Recorded late: FSP had taken the child on before the conference, so the ICPC moved nobody.
    const late = envelope('C-SUPERSEDED', 'WorkerAllocated', '2026-04-20T09:00:00+01:00', { team: 'FSP', workerId: 'W-9' });
    await http().post('/v1/case-events').send(late).expect(202);
    const [transfer] = await eventually(transfersOf('C-SUPERSEDED'), (t) => t[0]?.status === 'withdrawn', 'the withdrawal');
    expect(transfer).toMatchObject({ fromTeam: 'A&I', toTeam: 'FSP', allowedActions: [] });
    const { events } = (await http().get('/v1/children/C-SUPERSEDED/events?authority=demo')).body as { events: { type: string; data: Record<string, unknown> }[] };
    expect(events.find((e) => e.type === 'TransferWithdrawn')?.data).toMatchObject({
      reason: 'superseded-by-late-fact',
      supersededBy: [{ eventId: late.eventId, type: 'WorkerAllocated', occurredOn: '2026-04-20' }],
    });
    expect(events.filter((e) => e.type === 'TransferProposed')).toHaveLength(1);
  });
});

describe('bad input changes nothing', () => {
  it('answers 400 naming every bad field of every bad event, and records none of the batch', async () => {
    const good = envelope('C-BAD', 'WorkerAllocated', '2026-04-01T09:00:00+01:00', { team: 'A&I', workerId: 'W-2' });
    const { childId: _omit, ...missingChildId } = envelope('C-BAD', 'ICPCHeld', '2026-05-01T10:00:00+01:00', { outcome: 'cp-plan' });
    const unknownType = envelope('C-BAD', 'ICPCPostponed', '2026-05-01T10:00:00+01:00', {});
    const impossibleDate = envelope('C-BAD', 'MeetingScheduled', '2026-05-01T10:00:00+01:00', { kind: 'cmh', on: '2026-02-30' });
    const unknownField = envelope('C-BAD', 'ICPCHeld', '2026-05-01T10:00:00+01:00', { outcome: 'cp-plan', colour: 'red' });

    const res = await http().post('/v1/case-events').send([good, missingChildId, unknownType, impossibleDate, unknownField]);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid-case-events');
    const paths = Object.fromEntries(res.body.errors.map((e: { index: number; errors: { path: string }[] }) => [e.index, e.errors.map((x) => x.path)]));
    expect(paths[1]).toContain('/childId');
    expect(paths[2]).toContain('/type');
    expect(paths[3]).toContain('/data/on');
    expect(paths[4]).toContain('/data/colour');
    expect(paths[0]).toBeUndefined();
    await http().get('/v1/children/C-BAD/events?authority=demo').expect(404);
  });

  it('refuses an authority with no pack in force, at /authority', async () => {
    const res = await http().post('/v1/case-events').send({ ...envelope('C-X', 'ICPCHeld', '2026-05-01T10:00:00+01:00', { outcome: 'cp-plan' }), authority: 'atlantis' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].errors[0]).toMatchObject({ path: '/authority' });
  });

  it('answers 400 for a body that is not an envelope at all', async () => {
    const res = await http().post('/v1/case-events').set('content-type', 'application/json').send('"hello"');
    expect(res.status).toBe(400);
  });
});

describe('idempotency and restart', () => {
  it('gives exactly one decision when the same eventId is posted twice', async () => {
    const allocated = envelope('C-TWICE', 'WorkerAllocated', '2026-04-01T09:00:00+01:00', { team: 'A&I', workerId: 'W-3' });
    const icpc = envelope('C-TWICE', 'ICPCHeld', '2026-05-01T10:00:00+01:00', { outcome: 'cp-plan' });
    await http().post('/v1/case-events').send([allocated, icpc]).expect(202);
    const again = await http().post('/v1/case-events').send(icpc).expect(202);
    expect(again.body.accepted).toEqual([{ eventId: icpc.eventId, status: 'duplicate' }]);
    await eventually(transfersOf('C-TWICE'), (t) => t.length > 0, 'a transfer');
    await new Promise((r) => setTimeout(r, 300));
    const events = (await http().get('/v1/children/C-TWICE/events?authority=demo')).body.events;
    expect(events.filter((e: { type: string }) => e.type === 'ICPCHeld')).toHaveLength(1);
    expect(events.filter((e: { type: string }) => e.type === 'TransferProposed')).toHaveLength(1);
  });

  it('keeps the stream and transfers across a stop and start, and decides facts recorded just before the stop', async () => {
    await http()
      .post('/v1/case-events')
      .send([
        envelope('C-RESTART', 'WorkerAllocated', '2026-04-01T09:00:00+01:00', { team: 'A&I', workerId: 'W-4' }),
        envelope('C-RESTART', 'ICPCHeld', '2026-05-01T10:00:00+01:00', { outcome: 'cp-plan' }),
      ])
      .expect(202);
    await app.close();
    await start();
    const [transfer] = await eventually(transfersOf('C-RESTART'), (t) => t.length > 0, 'a transfer after restart');
    expect(transfer).toMatchObject({ toTeam: 'FSP', dueBy: '2026-05-18' });
    const before = (await http().get('/v1/children/C-1029/transfers?authority=demo')).body.transfers;
    expect(before[0]).toMatchObject({ toTeam: 'FSP', dueBy: '2026-05-12' });
    await new Promise((r) => setTimeout(r, 300));
    const events = (await http().get('/v1/children/C-RESTART/events?authority=demo')).body.events;
    expect(events.filter((e: { type: string }) => e.type === 'TransferProposed')).toHaveLength(1);
  });
});

describe('operations', () => {
  it('serves /health', async () => {
    await http().get('/health').expect(200, { status: 'ok', store: 'up' });
  });

  it('sets the clock outside production, and validates the body', async () => {
    const res = await http().post('/v1/admin/clock').send({ now: '2026-06-01T09:00:00Z' }).expect(200);
    expect(Date.parse(res.body.now) - Date.parse('2026-06-01T09:00:00Z')).toBeLessThan(5000);
    const bad = await http().post('/v1/admin/clock').send({ now: 'tomorrow' }).expect(400);
    expect(bad.body.errors[0]).toMatchObject({ path: '/now' });
  });

  it('asks for the authority only when more than one is configured, and 404s an unknown child', async () => {
    const res = await http().get('/v1/children/NOBODY/transfers?authority=demo').expect(404);
    expect(res.body.error).toBe('child-not-found');
    const bad = await http().get('/v1/children/C-1029/transfers?authority=Not_Valid').expect(400);
    expect(bad.body.errors[0]).toMatchObject({ path: '/authority' });
  });
});

describe('production mode', () => {
  it('has no admin clock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cto-prod-'));
    const production = await createEmbeddedApp(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', NODE_ENV: 'production', LOG_ID_KEY: 'log-id-key-for-tests-of-32-bytes-or-more', ...testAuthEnv() }));
    await production.init();
    try {
      const res = await authorized(production).post('/v1/admin/clock').send({ now: '2026-06-01T09:00:00Z' });
      expect(res.status).toBe(404);
    } finally {
      await production.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('GET /v1/policies', () => {
  it('lists every pack in force with its authorities', async () => {
    const res = await http().get('/v1/policies').expect(200);
    const ids = res.body.packs.map((p: { id: string }) => p.id).sort();
    expect(ids).toEqual(['case-transfer-protocol-2023', 'casework-transfer-policy', 'internal-transfer-v11', 'kent', 'southampton']);
    expect(res.body.packs.find((p: { id: string }) => p.id === 'kent')).toMatchObject({ authorities: ['kent'], source: '003_fbe064539c50cc36.txt' });
  });

  it('gives one pack with its rules and citations, and 404 for an unknown one', async () => {
    const res = await http().get('/v1/policies/internal-transfer-v11').expect(200);
    expect(res.body.rules.find((r: { id: string }) => r.id === 'child-protection-plan-to-fsp')).toMatchObject({ citation: '000_c0d212b149d080fa.txt ¶12', to: 'FSP' });
    const missing = await http().get('/v1/policies/nope').expect(404);
    expect(missing.body.error).toBe('policy-pack-not-found');
  });
});

describe('POLICY_PACKS', () => {
  it('puts only the named packs in force, and refuses to start with an unknown one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cto-packs-'));
    const only = await createEmbeddedApp(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', POLICY_PACKS: 'kent', ...testAuthEnv() }));
    await only.init();
    try {
      const res = await authorized(only).get('/v1/policies').expect(200);
      expect(res.body.packs.map((p: { id: string }) => p.id)).toEqual(['kent']);
      const refused = await authorized(only).post('/v1/case-events').send(envelope('C-K', 'ICPCHeld', '2026-05-01T10:00:00+01:00', { outcome: 'cp-plan' }));
      expect(refused.status).toBe(400);
    } finally {
      await only.close();
      rmSync(dir, { recursive: true, force: true });
    }
    await expect(createEmbeddedApp(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', POLICY_PACKS: 'atlantis', ...testAuthEnv() }))).rejects.toThrow(/POLICY_PACKS names packs that are not in/);
  });
});
