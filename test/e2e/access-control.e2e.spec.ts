/**
 * Access control on the embedded system over HTTP, with two tenants' data (the shipped `kent` and
 * `southampton` packs). Every route the application mounts is found from its router, so a route
 * added later is checked without editing this file — and one added without @Roles() fails here.
 * Then: the wrong role is 403, and no endpoint lets a kent token read or write southampton.
 */
import type { INestApplication } from '@nestjs/common';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { ROLES, type Role } from '@cto/access-control';
import { loadConfig } from '@cto/runtime';
import { createEmbeddedApp } from '@cto/embedded';
import { bearer, envelopeMaker, eventually, SHIPPED_AUTHORITIES, testAuthEnv } from '@cto/testing';

jest.setTimeout(90000);

const dirs: string[] = [];
const tempDir = (prefix: string): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

let app: INestApplication;

beforeAll(async () => {
  app = await createEmbeddedApp(loadConfig({ DATA_DIR: tempDir('cto-access-'), LOG_LEVEL: 'silent', POLL_INTERVAL_MS: '50', ...testAuthEnv() }));
  await app.init();
});

afterAll(async () => {
  await app?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const http = () => request(app.getHttpServer());

const token = (roles: Role[], authorities: string[], subject?: string): string => bearer({ roles, authorities, ...(subject ? { subject } : {}) });
const kent = {
  integration: token(['integration'], ['kent'], 'liberi-kent'),
  reader: token(['reader'], ['kent'], 'dashboard-kent'),
  manager: token(['manager'], ['kent'], 'manager-kent'),
};
const southampton = {
  integration: token(['integration'], ['southampton'], 'liberi-southampton'),
  reader: token(['reader'], ['southampton'], 'dashboard-southampton'),
  manager: token(['manager'], ['southampton'], 'manager-southampton'),
};

const envelope = envelopeMaker('ac', 'liberi');
/** Facts that lead each pack to propose a transfer (as in lifecycle-escalation.e2e.spec.ts). */
const kentFacts = (childId: string) => [
  envelope('kent', childId, 'ReferralReceived', '2026-05-01T09:00:00+01:00', { referralSource: 'school' }),
  envelope('kent', childId, 'WorkerAllocated', '2026-05-01T09:00:00+01:00', { team: 'CSWT', workerId: 'W-1' }),
  envelope('kent', childId, 'ChildAccommodated', '2026-05-01T10:00:00+01:00', { legalBasis: 's20', expectedDurationWeeks: 8 }),
];
const southamptonFacts = (childId: string) => [
  envelope('southampton', childId, 'ReferralReceived', '2026-05-05T09:00:00+01:00', { referralSource: 'school' }),
  envelope('southampton', childId, 'ThresholdDecisionMade', '2026-05-05T10:00:00+01:00', { decision: 'early-help' }),
];


interface Transfer {
  transferId: string;
  status: string;
  checklist: { items: { itemId: string }[] } | null;
}
const transfersOf = async (auth: string, childId: string, authority: string): Promise<Transfer[]> =>
  (await http().get(`/v1/children/${childId}/transfers?authority=${authority}`).set('authorization', auth)).body.transfers ?? [];

/**
 * Every route the application serves, as the HTTP adapter (Express) has them mounted. Nest mounts
 * middleware that runs for every request (the request logger) as an `all` route on a wildcard
 * path; that is not an endpoint, and it is left out.
 */
function mountedRoutes(server: INestApplication): { method: string; path: string }[] {
  const express = server.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } };
  return express.router.stack
    .filter((layer) => layer.route && !/\{\*\w+\}$/.test(layer.route.path))
    .flatMap((layer) => Object.keys(layer.route!.methods).map((method) => ({ method, path: layer.route!.path })));
}
const concrete = (path: string): string => path.replace(/:action/g, 'accept').replace(/:[A-Za-z]+/g, 'X-1');
const call = (method: string, path: string) => (http() as unknown as Record<string, (p: string) => request.Test>)[method](concrete(path));

/**
 * The role each route needs. A route missing here fails the first test: whoever adds an endpoint
 * decides who may call it, here and with @Roles() on the handler.
 */
const ROLE_OF: Record<string, Role | Role[] | 'public'> = {
  'get /health': 'public',
  'get /health/live': 'public',
  'get /metrics': ['reader', 'admin'],
  // The dashboard's page, script and stylesheet: no data in them; every call the page makes is to
  // the /v1 routes below with the user's token (dashboard.browser.e2e.spec.ts).
  'get /dashboard': 'public',
  'get /dashboard/dashboard.js': 'public',
  'get /dashboard/dashboard.css': 'public',
  'post /v1/admin/clock': 'admin',
  'post /v1/case-events': 'integration',
  'get /v1/children/:childId/events': 'reader',
  'get /v1/children/:childId/transfers': 'reader',
  'get /v1/children/:childId/explanation': 'reader',
  'get /v1/escalations': 'reader',
  'get /v1/transfers': 'reader',
  'get /v1/reports/summary': 'reader',
  'get /v1/policies': 'reader',
  'get /v1/policies/:packId': 'reader',
  'post /v1/transfers/:transferId/:action': 'manager',
  'post /v1/transfers/:transferId/checklist/:itemId/met': 'manager',
  'post /v1/escalations/:escalationId/escalate': 'manager',
};

describe('every mounted route', () => {
  const routes = () => mountedRoutes(app).map(({ method, path }) => ({ method, path, key: `${method} ${path}` }));

  it('is one whose role this spec knows', () => {
    expect(routes().length).toBeGreaterThan(5);
    expect(routes().map((r) => r.key).filter((key) => !(key in ROLE_OF))).toEqual([]);
  });

  it('except /health, answers 401 with a Bearer challenge without a token, and with an expired or forged one', async () => {
    const expired = bearer({ roles: [...ROLES], authorities: ['kent'], expiresIn: -3600 });
    const forged = bearer({ roles: [...ROLES], authorities: ['kent'], secret: 'not-the-configured-secret-but-long-enough' });
    for (const { method, path } of routes().filter((r) => ROLE_OF[r.key] !== 'public')) {
      const none = await call(method, path).send({});
      expect({ route: `${method} ${path}`, status: none.status, body: none.body }).toEqual({
        route: `${method} ${path}`,
        status: 401,
        body: { error: 'unauthorized', message: 'missing bearer token' },
      });
      expect(none.headers['www-authenticate']).toMatch(/^Bearer /);
      expect((await call(method, path).set('authorization', expired).send({})).body).toEqual({ error: 'unauthorized', message: 'token expired' });
      expect((await call(method, path).set('authorization', forged).send({})).body).toEqual({ error: 'unauthorized', message: 'signature invalid' });
    }
    await http().get('/health').expect(200);
  });

  it('answers 403 to every role but its own, and lets its own role through', async () => {
    for (const { method, path, key } of routes().filter((r) => ROLE_OF[r.key] !== 'public')) {
      const needed = [ROLE_OF[key] as Role | Role[]].flat();
      for (const role of ROLES.filter((r) => !needed.includes(r))) {
        const res = await call(method, path).set('authorization', token([role], ['kent'])).send({});
        expect({ route: key, role, status: res.status, body: res.body }).toEqual({ route: key, role, status: 403, body: { error: 'forbidden', message: `this endpoint needs the role ${needed.join(' or ')}` } });
      }
      // Past the guard: whatever the handler makes of a dummy request, it is not a refusal of access.
      // (The clock is shared by every authority in force: only a token naming all of them may move it.)
      const authorities = key === 'post /v1/admin/clock' ? [...SHIPPED_AUTHORITIES] : ['kent'];
      for (const role of needed) {
        const own = await call(method, path).set('authorization', token([role], authorities)).send({});
        expect({ route: key, role, status: own.status, refused: [401, 403].includes(own.status) }).toMatchObject({ route: key, refused: false });
      }
    }
  });
});

describe('two tenants', () => {
  let kentTransfer: Transfer;
  let southamptonTransfer: Transfer;

  beforeAll(async () => {
    await http().post('/v1/case-events').set('authorization', kent.integration).send(kentFacts('K-1')).expect(202);
    await http().post('/v1/case-events').set('authorization', southampton.integration).send(southamptonFacts('S-1')).expect(202);
    // The same child id in both authorities: each tenant must see only its own stream.
    await http().post('/v1/case-events').set('authorization', kent.integration).send(kentFacts('SAME-1')).expect(202);
    await http().post('/v1/case-events').set('authorization', southampton.integration).send(southamptonFacts('SAME-1')).expect(202);
    [kentTransfer] = await eventually(() => transfersOf(kent.reader, 'K-1', 'kent'), (t) => t.length > 0 && t[0].checklist !== null, 'the kent transfer');
    [southamptonTransfer] = await eventually(() => transfersOf(southampton.reader, 'S-1', 'southampton'), (t) => t.length > 0 && t[0].checklist !== null, 'the southampton transfer');
  });

  describe('writes', () => {
    it('a kent token cannot post a southampton event: 403 naming it, and nothing of the batch is stored', async () => {
      const batch = [envelope('kent', 'K-MIXED', 'ReferralReceived', '2026-05-01T09:00:00+01:00', { referralSource: 'school' }), ...southamptonFacts('S-MIXED')];
      const res = await http().post('/v1/case-events').set('authorization', kent.integration).send(batch).expect(403);
      expect(res.body).toEqual({
        error: 'forbidden',
        message: 'some case events are for authorities this token is not scoped to; none of this request was recorded',
        errors: [
          { index: 1, path: '/authority', reason: 'this token is not scoped to authority southampton' },
          { index: 2, path: '/authority', reason: 'this token is not scoped to authority southampton' },
        ],
      });
      await http().get('/v1/children/K-MIXED/events?authority=kent').set('authorization', kent.reader).expect(404);
      await http().get('/v1/children/S-MIXED/events?authority=southampton').set('authorization', southampton.reader).expect(404);
      // The same batch from a token scoped to both is recorded: the 403 was about scope alone.
      await http().post('/v1/case-events').set('authorization', token(['integration'], ['kent', 'southampton'])).send(batch).expect(202);
    });

    it('a kent manager cannot act on a southampton transfer: 404 as for an unknown one, and nothing is recorded', async () => {
      const before = (await http().get('/v1/children/S-1/events?authority=southampton').set('authorization', southampton.reader).expect(200)).body.events.length;
      const accept = await http().post(`/v1/transfers/${southamptonTransfer.transferId}/accept`).set('authorization', kent.manager).send({}).expect(404);
      const unknown = await http().post('/v1/transfers/tr-unknown/accept').set('authorization', kent.manager).send({}).expect(404);
      expect(accept.body.error).toBe(unknown.body.error);
      const itemId = southamptonTransfer.checklist!.items[0].itemId;
      await http().post(`/v1/transfers/${southamptonTransfer.transferId}/checklist/${itemId}/met`).set('authorization', kent.manager).send({}).expect(404);
      expect((await http().get('/v1/children/S-1/events?authority=southampton').set('authorization', southampton.reader)).body.events.length).toBe(before);
      // Southampton's own manager may (the transfer was there all along).
      await http().post(`/v1/transfers/${southamptonTransfer.transferId}/checklist/${itemId}/met`).set('authorization', southampton.manager).send({}).expect(200);
      await http().post(`/v1/transfers/${kentTransfer.transferId}/accept`).set('authorization', kent.manager).send({}).expect(200);
    });

    it('a kent manager cannot escalate a southampton escalation: 404 as for an unknown one, and nothing is recorded', async () => {
      await http().post('/v1/case-events').set('authorization', southampton.integration).send(southamptonFacts('S-ESC')).expect(202);
      const [transfer] = await eventually(() => transfersOf(southampton.reader, 'S-ESC', 'southampton'), (t) => t.length > 0, 'the southampton transfer');
      await http().post(`/v1/transfers/${transfer.transferId}/dispute`).set('authorization', southampton.manager).send({ reason: 'not agreed' }).expect(200);
      const events = async () => (await http().get('/v1/children/S-ESC/events?authority=southampton').set('authorization', southampton.reader)).body.events as { type: string; data: { escalationId?: string } }[];
      const raised = await eventually(events, (e) => e.some((x) => x.type === 'EscalationRaised'), 'the southampton escalation');
      const { escalationId } = raised.find((x) => x.type === 'EscalationRaised')!.data;
      const before = (await events()).length;
      const theirs = await http().post(`/v1/escalations/${escalationId}/escalate`).set('authorization', kent.manager).send({ reason: 'probing' }).expect(404);
      const unknown = await http().post('/v1/escalations/esc-unknown/escalate').set('authorization', kent.manager).send({ reason: 'probing' }).expect(404);
      expect(theirs.body).toEqual({ ...unknown.body, message: `no escalation ${escalationId}` });
      expect((await events()).length).toBe(before);
      await http().post(`/v1/escalations/${escalationId}/escalate`).set('authorization', southampton.manager).send({ reason: 'the service leads cannot agree' }).expect(200);
    });
  });

  describe('reads', () => {
    const childRoutes = ['events', 'transfers', 'explanation'];

    it("a kent token cannot read a southampton child's events, transfers or explanation, even knowing the id", async () => {
      for (const what of childRoutes) {
        const named = await http().get(`/v1/children/S-1/${what}?authority=southampton`).set('authorization', kent.reader).expect(403);
        expect(named.body).toEqual({ error: 'forbidden', message: 'this token is not scoped to authority southampton' });
        // Under its own authority the id names a different (here: no) child.
        await http().get(`/v1/children/S-1/${what}?authority=kent`).set('authorization', kent.reader).expect(404);
        await http().get(`/v1/children/S-1/${what}`).set('authorization', kent.reader).expect(404);
        await http().get(`/v1/children/S-1/${what}?authority=southampton`).set('authorization', southampton.reader).expect(200);
      }
    });

    it('a child id used by both authorities shows each tenant only its own stream', async () => {
      const kentEvents = (await http().get('/v1/children/SAME-1/events').set('authorization', kent.reader).expect(200)).body;
      const southamptonEvents = (await http().get('/v1/children/SAME-1/events').set('authorization', southampton.reader).expect(200)).body;
      expect(kentEvents.authority).toBe('kent');
      expect(southamptonEvents.authority).toBe('southampton');
      const ids = (body: { events: { eventId: string }[] }) => new Set(body.events.map((e) => e.eventId));
      expect([...ids(kentEvents)].filter((id) => ids(southamptonEvents).has(id))).toEqual([]);
      expect(kentEvents.events.map((e: { type: string }) => e.type)).toContain('ChildAccommodated');
      expect(southamptonEvents.events.map((e: { type: string }) => e.type)).not.toContain('ChildAccommodated');
    });

    it('escalations: another authority is 403; a token of one authority needs no ?authority', async () => {
      await http().get('/v1/escalations?authority=southampton').set('authorization', kent.reader).expect(403);
      const own = await http().get('/v1/escalations').set('authorization', kent.reader).expect(200);
      expect(own.body.authority).toBe('kent');
      expect(own.body.escalations.every((e: { authority: string }) => e.authority === 'kent')).toBe(true);
    });

    it('a token scoped to several authorities must name one, and is told only its own', async () => {
      const both = token(['reader'], ['kent', 'southampton']);
      const res = await http().get('/v1/children/K-1/transfers').set('authorization', both).expect(400);
      expect(res.body.errors).toEqual([{ path: '/authority', reason: 'is required: one of kent, southampton' }]);
      await http().get('/v1/children/K-1/transfers?authority=kent').set('authorization', both).expect(200);
      // Of several, only one with a pack in force: that one is meant.
      const withRetired = token(['reader'], ['kent', 'atlantis']);
      expect((await http().get('/v1/children/K-1/transfers').set('authorization', withRetired).expect(200)).body.authority).toBe('kent');
    });

    it("policies: a kent token sees kent's pack only; southampton's is not found, exactly like a pack that does not exist", async () => {
      const list = await http().get('/v1/policies').set('authorization', kent.reader).expect(200);
      expect(list.body.packs.map((p: { id: string }) => p.id)).toEqual(['kent']);
      await http().get('/v1/policies/kent').set('authorization', kent.reader).expect(200);
      const hidden = await http().get('/v1/policies/southampton').set('authorization', kent.reader).expect(404);
      const missing = await http().get('/v1/policies/no-such-pack').set('authorization', kent.reader).expect(404);
      expect(hidden.body).toEqual({ error: missing.body.error, message: "no policy pack 'southampton' is in force" });
      await http().get('/v1/policies/southampton').set('authorization', southampton.reader).expect(200);
    });
  });

  it('the write budget applies to POST /v1/case-events', async () => {
    const res = await http().post('/v1/case-events').set('authorization', kent.integration).send(kentFacts('K-LIMIT')).expect(202);
    expect(res.headers['x-ratelimit-limit']).toBe('600');
  });
});

describe('the admin clock outside production', () => {
  it("refuses an admin token that does not name every authority in force: one tenant's admin may not move every tenant's clock", async () => {
    const res = await http().post('/v1/admin/clock').set('authorization', token(['admin'], ['kent'])).send({ now: '2026-06-01T09:00:00Z' });
    expect({ status: res.status, body: res.body }).toEqual({
      status: 403,
      body: { error: 'forbidden', message: 'the clock is shared by every authority in force; this token is not scoped to casework-transfer, demo, protocol-2023, southampton' },
    });
    const all = await http().post('/v1/admin/clock').set('authorization', token(['admin'], [...SHIPPED_AUTHORITIES])).send({ now: '2026-06-01T09:00:00Z' }).expect(200);
    expect(all.body.now.slice(0, 16)).toBe('2026-06-01T09:00');
  });
});

describe('production mode', () => {
  let production: INestApplication;
  const admin = token(['admin'], ['kent']);

  beforeAll(async () => {
    production = await createEmbeddedApp(
      loadConfig({ DATA_DIR: tempDir('cto-access-prod-'), LOG_LEVEL: 'silent', NODE_ENV: 'production', LOG_ID_KEY: 'log-id-key-for-tests-of-32-bytes-or-more', RATE_LIMIT_PER_MINUTE: '2', ...testAuthEnv() }),
    );
    await production.init();
  });
  afterAll(async () => production?.close());

  it('has no admin clock, even for an admin token', async () => {
    const res = await request(production.getHttpServer()).post('/v1/admin/clock').set('authorization', admin).send({ now: '2026-06-01T09:00:00Z' });
    expect(res.status).toBe(404);
    expect(mountedRoutes(production).map((r) => r.path)).not.toContain('/v1/admin/clock');
  });

  it('answers 429 past RATE_LIMIT_PER_MINUTE writes from one subject, recording nothing of the refused request', async () => {
    const post = (childId: string) => request(production.getHttpServer()).post('/v1/case-events').set('authorization', kent.integration).send(kentFacts(childId));
    await post('K-P1').expect(202);
    await post('K-P2').expect(202);
    const refused = await post('K-P3').expect(429);
    expect(refused.body).toMatchObject({ error: 'too-many-requests', message: expect.stringMatching(/^more than 2 writes a minute/) });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await request(production.getHttpServer()).get('/v1/children/K-P3/events?authority=kent').set('authorization', kent.reader).expect(404);
  });

  it('refuses to start without a key: the process exits 2 naming AUTH_JWT_SECRET and AUTH_JWT_PUBLIC_KEY', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', PORT: '0', DATA_DIR: tempDir('cto-access-nokey-'), NODE_OPTIONS: '' };
    for (const name of ['AUTH_JWT_SECRET', 'AUTH_JWT_PUBLIC_KEY', 'DATABASE_URL', 'KAFKA_BROKERS']) delete env[name];
    const root = resolve(__dirname, '../..');
    const run = spawnSync(process.execPath, ['-r', '@swc-node/register', 'services/embedded/src/main.ts'], { cwd: root, env, encoding: 'utf8', timeout: 60000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/AUTH_JWT_SECRET or AUTH_JWT_PUBLIC_KEY is required in production/);
    expect(run.stdout).not.toMatch(/listening on|development token/);
  });
});
