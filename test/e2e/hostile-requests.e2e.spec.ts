/**
 * The requests an outside tester sent (issue 15, defects 3, 4 and 6), each exactly as reported,
 * against the embedded system: every one is answered 4xx naming what was wrong, none reaches 500,
 * and nothing of any of them is stored. Then the headers every response carries.
 */
import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ROLES } from '@cto/access-control';
import type { SqlEventStore } from '@cto/event-store';
import { EVENT_STORE, loadConfig } from '@cto/runtime';
import { createEmbeddedApp } from '@cto/embedded';
import { bearer, envelopeMaker, eventually, testAuthEnv } from '@cto/testing';

jest.setTimeout(60000);

/** The shipped packs: every authority in force by default. */
const IN_FORCE = ['demo', 'protocol-2023', 'casework-transfer', 'kent', 'southampton'];
const EVERYTHING = bearer({ roles: [...ROLES], authorities: IN_FORCE });

let dataDir: string;
let app: INestApplication;
let store: SqlEventStore;
let transferId: string;

const http = () => request(app.getHttpServer());
const get = (path: string) => http().get(path).set('authorization', EVERYTHING);
const post = (path: string) => http().post(path).set('authorization', EVERYTHING);
const envelope = envelopeMaker('hr', 'lcs');

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cto-hostile-'));
  app = await createEmbeddedApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', POLL_INTERVAL_MS: '50', CLOCK_START: '2026-05-01T10:30:00Z', ...testAuthEnv() }));
  await app.init();
  store = app.get<SqlEventStore>(EVENT_STORE);
  // A proposed transfer, for the requests that act on one.
  await post('/v1/case-events')
    .send([
      envelope('demo', 'C-HR', 'WorkerAllocated', '2026-04-01T09:00:00+01:00', { team: 'A&I', workerId: 'W-17' }),
      envelope('demo', 'C-HR', 'ICPCHeld', '2026-05-01T10:00:00+01:00', { outcome: 'cp-plan' }),
    ])
    .expect(202);
  const [transfer] = await eventually(async () => (await get('/v1/children/C-HR/transfers?authority=demo')).body.transfers ?? [], (t) => t.length > 0, 'a transfer');
  transferId = transfer.transferId;
});

afterAll(async () => {
  await app?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function eventsStored(): Promise<number> {
  const [row] = await store.sql.query<{ n: number }>('SELECT count(*)::integer AS n FROM events');
  return Number(row.n);
}

/** Every request here: never a 5xx, the status expected, our error shape, and nothing stored. */
async function expectRefused(res: request.Response, status: number, expected: { error?: string; paths?: string[] } = {}): Promise<void> {
  expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { error: expected.error ?? expect.any(String), message: expect.any(String) } });
  if (expected.paths) expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(expected.paths));
}

const cursorOf = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

describe('hostile input is answered 4xx, never 500, and stores nothing (issue 15 defects 3, 4, 6)', () => {
  let before: number;
  beforeAll(async () => {
    await eventually(eventsStored, (n) => n > 0, 'the seed events');
    // The decisions the seed causes (proposal, checklist) settle before counting.
    await new Promise((r) => setTimeout(r, 1000));
    before = await eventsStored();
  });
  afterAll(async () => {
    expect(await eventsStored()).toBe(before);
  });

  it.each([
    ['/v1/children/%00/events?authority=demo', '/childId'],
    ['/v1/children/a%00b/transfers?authority=demo', '/childId'],
    ['/v1/children/a%07b/explanation?authority=demo', '/childId'],
    ['/v1/policies/%00', '/packId'],
    ['/v1/transfers?authority=demo&team=A%00', '/team'],
    ['/v1/transfers?authority=demo&team=A%1Bb', '/team'],
    ['/v1/transfers?authority=demo&__proto__=x', '/__proto__'],
    ['/v1/transfers?authority=demo&hasOwnProperty=x', '/hasOwnProperty'],
    ['/v1/escalations?authority=demo&constructor=x', '/constructor'],
  ])('GET %s: 400 naming %s', async (path, field) => {
    await expectRefused(await get(path), 400, { paths: [field] });
  });

  it.each([
    ['/v1/transfers/%00/accept', '/transferId'],
    ['/v1/transfers/a%0Ab/accept', '/transferId'],
  ])('POST %s: 400 naming %s', async (path, field) => {
    await expectRefused(await post(path).send({}), 400, { paths: [field] });
  });

  it('POST /v1/transfers/{id}/checklist/%00/met: 400 naming /itemId', async () => {
    await expectRefused(await post(`/v1/transfers/${transferId}/checklist/%00/met`).send({}), 400, { paths: ['/itemId'] });
  });

  it.each([
    ['an impossible month, day and time', ['2026-13-45T25:61:61.000000Z', 'x']],
    ['year zero', ['0000-00-00T00:00:00.000000Z', 'x']],
    ['30 February', ['2026-02-30T00:00:00.000000Z', 'x']],
    ['a NUL in the transfer id', ['2026-05-01T10:00:00.000000Z', 'a\u0000b']],
  ])('GET /v1/transfers with a cursor carrying %s: 400 invalid-cursor', async (_what, key) => {
    const res = await get(`/v1/transfers?authority=demo&cursor=${cursorOf(key)}`);
    await expectRefused(res, 400, { error: 'invalid-cursor', paths: ['/cursor'] });
  });

  it('a lone surrogate in a transfer action body: 400 naming /reason', async () => {
    const res = await post(`/v1/transfers/${transferId}/dispute`).set('content-type', 'application/json').send('{"reason":"\\ud800"}');
    await expectRefused(res, 400, { paths: ['/reason'] });
  });

  it('a body nested 5,000 deep on a transfer action: 400', async () => {
    const deep = `${'{"reason":'.repeat(5000)}"x"${'}'.repeat(5000)}`;
    await expectRefused(await post(`/v1/transfers/${transferId}/dispute`).set('content-type', 'application/json').send(deep), 400);
  });

  it.each([
    ['null', '{"reason":null}', '/reason'],
    ['null for a flag', '{"capacity":null,"reason":"no capacity"}', '/capacity'],
    ['__proto__', '{"reason":"no capacity","__proto__":{"polluted":true}}', '/__proto__'],
    ['constructor', '{"reason":"no capacity","constructor":{"prototype":{"polluted":true}}}', '/constructor'],
    // Found by http-inputs.fuzz.e2e.spec.ts (FUZZ_SEED=2030202623): class-transformer drops such a key, so it was accepted.
    ['valueOf', '{"reason":"no capacity","valueOf":false}', '/valueOf'],
    ['toString', '{"reason":"no capacity","toString":"x"}', '/toString'],
  ])('%s in a transfer action body: 400 naming the field', async (_what, body, field) => {
    const res = await post(`/v1/transfers/${transferId}/dispute`).set('content-type', 'application/json').send(body);
    await expectRefused(res, 400, { paths: [field] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('null in the admin clock body: 400 naming /now', async () => {
    await expectRefused(await post('/v1/admin/clock').set('content-type', 'application/json').send('{"now":null}'), 400, { paths: ['/now'] });
  });

  it.each([
    ['/v1/case-events', 'eventId=x&type=ICPCHeld'],
    ['/v1/transfers/{id}/accept', 'reason=fine'],
    ['/v1/admin/clock', 'now=2026-06-01T09:00:00Z'],
  ])('a form-encoded body on POST %s: 415', async (path, body) => {
    const res = await post(path.replace('{id}', transferId)).set('content-type', 'application/x-www-form-urlencoded').send(body);
    await expectRefused(res, 415, { error: 'unsupported-media-type' });
  });

  it('a text/plain body: 415', async () => {
    await expectRefused(await post('/v1/case-events').set('content-type', 'text/plain').send('{}'), 415, { error: 'unsupported-media-type' });
  });

  it('a JSON body that starts with a byte order mark: 400', async () => {
    const body = `\uFEFF${JSON.stringify(envelope('demo', 'C-HR', 'CaseClosed', '2026-05-02T09:00:00+01:00', { reason: 'bom' }))}`;
    await expectRefused(await post('/v1/case-events').set('content-type', 'application/json').send(body), 400);
  });

  it('MeetingScheduled with kind "" (defect 4): 400 naming /data/kind', async () => {
    const res = await post('/v1/case-events').send(envelope('demo', 'C-HR', 'MeetingScheduled', '2026-05-05T09:00:00+01:00', { kind: '', on: '2026-05-12' }));
    expect(res.status).toBe(400);
    expect(res.body.errors[0].errors).toContainEqual(expect.objectContaining({ path: '/data/kind', reason: 'must not be empty' }));
  });
});

describe('headers (issue 15 defect 6)', () => {
  it.each(['/v1/policies', '/v1/children/C-HR/events?authority=demo', '/v1/transfers?authority=demo'])('GET %s: no X-Powered-By, Cache-Control: no-store, the usual security headers', async (path) => {
    const res = await get(path).expect(200);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('a refusal carries them too', async () => {
    const res = await get('/v1/children/%00/events?authority=demo').expect(400);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('no X-Powered-By on the public routes either', async () => {
    expect((await http().get('/health').expect(200)).headers['x-powered-by']).toBeUndefined();
    expect((await http().get('/dashboard').expect(200)).headers['x-powered-by']).toBeUndefined();
  });
});
