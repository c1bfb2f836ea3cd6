/**
 * No acknowledged write lost (issue 15, defects 1 and 2), over HTTP on the embedded system:
 * - an Idempotency-Key is scoped to the tenant, the caller, the route and the transfer, and its
 *   first answer is replayed to a retry; the same key on another request records that request;
 * - a case event's identity is (authority, eventId): another tenant's id never swallows yours, and
 *   your own id reused for a different fact is refused, not silently dropped.
 */
import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createEmbeddedApp } from '@cto/embedded';
import { loadConfig } from '@cto/runtime';
import { bearer, envelopeMaker, eventually, testAuthEnv } from '@cto/testing';

jest.setTimeout(90_000);

let dataDir: string;
let app: INestApplication;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cto-idempotency-'));
  app = await createEmbeddedApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', POLL_INTERVAL_MS: '50', CLOCK_START: '2026-05-01T11:00:00Z', ...testAuthEnv() }));
  await app.init();
});

afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const integration = bearer({ roles: ['integration', 'reader'], authorities: ['demo', 'protocol-2023'] });
const demoManager = bearer({ roles: ['manager', 'reader'], authorities: ['demo'], subject: 'manager-demo' });
const protocolManager = bearer({ roles: ['manager', 'reader'], authorities: ['protocol-2023'], subject: 'manager-protocol' });
const envelope = envelopeMaker('idem', 'lcs');
const as = (token: string) => request.agent(app.getHttpServer()).set('authorization', token);

/** A child proposed for transfer: held by `team`, then an ICPC agreeing a child protection plan. */
async function proposal(authority: string, childId: string, team: string): Promise<string> {
  await as(integration)
    .post('/v1/case-events')
    .send([
      envelope(authority, childId, 'WorkerAllocated', '2026-04-01T09:00:00+01:00', { team, workerId: 'W-1' }),
      envelope(authority, childId, 'ICPCHeld', '2026-05-01T10:00:00+01:00', { outcome: 'cp-plan', concerns: ['neglect'] }),
    ])
    .expect(202);
  const [transfer] = await eventually(
    async () => ((await as(integration).get(`/v1/children/${childId}/transfers?authority=${authority}`)).body.transfers ?? []) as { transferId: string }[],
    (t) => t.length > 0,
    `a proposal for ${childId}`,
  );
  return transfer.transferId;
}

const eventCount = async (authority: string, childId: string) => ((await as(integration).get(`/v1/children/${childId}/events?authority=${authority}`)).body.events as unknown[]).length;

describe('Idempotency-Key: scoped, and the first answer replayed', () => {
  it('records both transfers accepted with one key (the key of one request never answers another)', async () => {
    const [a, b] = [await proposal('demo', 'C-IK-A', 'A&I'), await proposal('demo', 'C-IK-B', 'A&I')];
    const first = await as(demoManager).post(`/v1/transfers/${a}/accept`).set('idempotency-key', 'retry-X').send({});
    const second = await as(demoManager).post(`/v1/transfers/${b}/accept`).set('idempotency-key', 'retry-X').send({});
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.body).toMatchObject({ transferId: a, status: 'accepted' });
    expect(second.body).toMatchObject({ transferId: b, status: 'accepted', recorded: [{ type: 'TransferAccepted' }] });
  });

  it("records another tenant's request under the same key", async () => {
    const [demo, protocol] = [await proposal('demo', 'C-IK-T1', 'A&I'), await proposal('protocol-2023', 'C-IK-T2', 'Assessment')];
    const dispute = { reason: 'no capacity this month' };
    expect((await as(demoManager).post(`/v1/transfers/${demo}/dispute`).set('idempotency-key', 'shared-key').send(dispute)).body.status).toBe('disputed');
    const other = await as(protocolManager).post(`/v1/transfers/${protocol}/dispute`).set('idempotency-key', 'shared-key').send(dispute);
    expect(other.status).toBe(200);
    expect(other.body).toMatchObject({ transferId: protocol, status: 'disputed', recorded: [{ type: 'TransferDisputed' }] });
  });

  it('answers a retry with the first answer, recording nothing more; a retry of a refusal gets the refusal', async () => {
    const transfer = await proposal('demo', 'C-IK-R', 'A&I');
    const first = await as(demoManager).post(`/v1/transfers/${transfer}/accept`).set('idempotency-key', 'k-accept').send({});
    const events = await eventCount('demo', 'C-IK-R');
    const retry = await as(demoManager).post(`/v1/transfers/${transfer}/accept`).set('idempotency-key', 'k-accept').send({});
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(await eventCount('demo', 'C-IK-R')).toBe(events);

    // Accepting again under a new key is a new request, refused by the lifecycle; its retry gets the same 409.
    const refused = await as(demoManager).post(`/v1/transfers/${transfer}/accept`).set('idempotency-key', 'k-accept-2').send({});
    expect(refused.status).toBe(409);
    const refusedAgain = await as(demoManager).post(`/v1/transfers/${transfer}/accept`).set('idempotency-key', 'k-accept-2').send({});
    expect([refusedAgain.status, refusedAgain.body]).toEqual([409, refused.body]);
  });

  it('refuses the same key with a different body (422), and a malformed key (400), recording nothing', async () => {
    const transfer = await proposal('demo', 'C-IK-D', 'A&I');
    expect((await as(demoManager).post(`/v1/transfers/${transfer}/dispute`).set('idempotency-key', 'k-d').send({ reason: 'no capacity' })).status).toBe(200);
    const events = await eventCount('demo', 'C-IK-D');
    const reused = await as(demoManager).post(`/v1/transfers/${transfer}/dispute`).set('idempotency-key', 'k-d').send({ reason: 'another reason' });
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ error: 'idempotency-key-reused', errors: [{ path: '/headers/idempotency-key' }] });
    const malformed = await as(demoManager).post(`/v1/transfers/${transfer}/withdraw`).set('idempotency-key', 'has spaces in it').send({ reason: 'x' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([expect.objectContaining({ path: '/headers/idempotency-key' })]);
    expect(await eventCount('demo', 'C-IK-D')).toBe(events);
  });
});

describe('case events: (authority, eventId) is the identity', () => {
  it("stores demo's event under an id another tenant already used", async () => {
    const shared = envelope('protocol-2023', 'C-ID-P', 'ReferralReceived', '2026-04-01T09:00:00+01:00', { referralSource: 'school' });
    const mine = { ...envelope('demo', 'C-ID-D', 'ReferralReceived', '2026-04-02T09:00:00+01:00', { referralSource: 'police' }), eventId: shared.eventId };
    expect((await as(integration).post('/v1/case-events').send(shared)).body.accepted).toEqual([{ eventId: shared.eventId, status: 'recorded' }]);
    expect((await as(integration).post('/v1/case-events').send(mine)).body.accepted).toEqual([{ eventId: shared.eventId, status: 'recorded' }]);
    const events = (await as(integration).get('/v1/children/C-ID-D/events?authority=demo')).body.events as { eventId: string }[];
    expect(events.map((e) => e.eventId)).toContain(shared.eventId);
  });

  it('answers duplicate for the same fact again, and 409 event-id-reused for a different fact under the id, recording none of that batch', async () => {
    const fact = envelope('demo', 'C-ID-R', 'ReferralReceived', '2026-04-01T09:00:00+01:00', { referralSource: 'school' });
    await as(integration).post('/v1/case-events').send(fact).expect(202);
    expect((await as(integration).post('/v1/case-events').send(fact)).body.accepted).toEqual([{ eventId: fact.eventId, status: 'duplicate' }]);

    const fresh = envelope('demo', 'C-ID-R', 'ChildDetailsRecorded', '2026-04-02T09:00:00+01:00', { dateOfBirth: '2015-01-01' });
    const clash = { ...envelope('demo', 'C-ID-R', 'ReferralReceived', '2026-04-03T09:00:00+01:00', { referralSource: 'police' }), eventId: fact.eventId };
    const res = await as(integration).post('/v1/case-events').send([fresh, clash]);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'event-id-reused', errors: [{ index: 1, eventId: fact.eventId, errors: [{ path: '/eventId' }] }] });
    const events = (await as(integration).get('/v1/children/C-ID-R/events?authority=demo')).body.events as { eventId: string }[];
    expect(events.map((e) => e.eventId)).not.toContain(fresh.eventId);
  });
});
