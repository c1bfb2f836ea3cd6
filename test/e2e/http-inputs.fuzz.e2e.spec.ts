/**
 * Hostile input on every other HTTP input (issue 15: fast-check over the transfer action endpoints
 * and every query parameter), beside case-events.fuzz.e2e.spec.ts for POST /v1/case-events.
 *
 * - Transfer actions and checklist items: more than 10,000 requests, each a valid request with one
 *   thing wrong — the transfer id, the action, the item, one field of the body (wrong type, null,
 *   too long, control characters, a lone surrogate, nested deep), an extra or prototype key, a body
 *   that is not a JSON object, not JSON, not sent as application/json. Each is answered 4xx (never
 *   200: nothing may be recorded), never 5xx, and the store holds exactly what it held before.
 * - Every query parameter and path id of every read: more than 10,000 requests mixing valid values
 *   with hostile ones, repeated and unknown parameters, prototype names and forged cursors. Each is
 *   answered 200 or 4xx in the error shape, never 5xx.
 *
 * The run's seed is printed; FUZZ_SEED=<seed> replays it.
 */
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROLES } from '@cto/access-control';
import { TRANSFER_ACTIONS } from '@cto/domain';
import type { SqlEventStore } from '@cto/event-store';
import { EVENT_STORE, loadConfig } from '@cto/runtime';
import { createEmbeddedApp } from '@cto/embedded';
import { bearer, envelopeMaker, eventually, SHIPPED_AUTHORITIES, testAuthEnv } from '@cto/testing';

jest.setTimeout(180000);

const CASES = 10_000;
/** Requests in flight at once: enough to keep the process busy, few enough for a 2-core machine. */
const CONCURRENCY = 4;
const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CHILD = 'C-FZ-HTTP';
// Scoped to an authority with no pack too, so reads for it get past tenant scoping.
const authorization = bearer({ roles: [...ROLES], authorities: [...SHIPPED_AUTHORITIES, 'atlantis'] });

let dataDir: string;
let app: INestApplication;
let baseUrl: string;
let store: SqlEventStore;
let transferId: string;
let itemIds: string[];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cto-http-fuzz-'));
  // The write rate limit is lifted: this spec is one client sending thousands of requests on purpose.
  // The followers are woken by appends; polling the store as well would only take CPU from the requests.
  app = await createEmbeddedApp(
    loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', POLL_INTERVAL_MS: '60000', RATE_LIMIT_PER_MINUTE: '1000000', CLOCK_START: '2026-05-01T10:30:00Z', ...testAuthEnv() }),
  );
  await app.listen(0, '127.0.0.1');
  baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  store = app.get<SqlEventStore>(EVENT_STORE);
  const envelope = envelopeMaker('fz-http', 'lcs');
  const posted = await send({
    method: 'POST',
    path: '/v1/case-events',
    body: JSON.stringify([
      envelope('demo', CHILD, 'WorkerAllocated', '2026-04-01T09:00:00+01:00', { team: 'A&I', workerId: 'W-17' }),
      envelope('demo', CHILD, 'ICPCHeld', '2026-05-01T10:00:00+01:00', { outcome: 'cp-plan' }),
    ]),
  });
  expect(posted.status).toBe(202);
  const [transfer] = await eventually(
    async () => ((await send({ method: 'GET', path: `/v1/children/${CHILD}/transfers?authority=demo` })).body.transfers ?? []) as { transferId: string; checklist: { items: { itemId: string }[] } | null }[],
    (t) => t.length > 0 && t[0].checklist !== null,
    'the transfer and its checklist',
  );
  transferId = transfer.transferId;
  itemIds = transfer.checklist!.items.map((i) => i.itemId);
  console.log(`HTTP input fuzz: FUZZ_SEED=${seed}`);
});

afterAll(async () => {
  await app?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

interface Probe {
  method: 'GET' | 'POST';
  path: string;
  /** Raw body text; sent as application/json unless contentType says otherwise. */
  body?: string;
  contentType?: string;
  why?: string;
}

async function send(probe: Probe): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { authorization };
  if (probe.body !== undefined) headers['content-type'] = probe.contentType ?? 'application/json';
  const res = await fetch(`${baseUrl}${probe.path}`, { method: probe.method, headers, ...(probe.body !== undefined ? { body: probe.body } : {}) });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { unparsed: text.slice(0, 200) };
  }
  return { status: res.status, body };
}

async function eventsStored(): Promise<number> {
  const [row] = await store.sql.query<{ n: number }>('SELECT count(*)::integer AS n FROM events');
  return Number(row.n);
}

/** Sends every probe, CONCURRENCY at a time; returns those whose answer `acceptable` refuses. */
async function sendAll(probes: Probe[], acceptable: (status: number, body: Record<string, unknown>) => boolean): Promise<{ tally: Map<number, number>; failures: string[] }> {
  const tally = new Map<number, number>();
  const failures: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < probes.length) {
      const probe = probes[next++];
      const { status, body } = await send(probe);
      tally.set(status, (tally.get(status) ?? 0) + 1);
      if (!acceptable(status, body) && failures.length < 20) {
        failures.push(`${status} for ${probe.method} ${probe.path.slice(0, 300)} ${probe.contentType ?? ''} ${(probe.body ?? '').slice(0, 300)} (${probe.why ?? ''}): ${JSON.stringify(body).slice(0, 300)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { tally, failures };
}

const inErrorShape = (body: Record<string, unknown>): boolean => typeof body.error === 'string' && typeof body.message === 'string';

// ---- text that should never get through -------------------------------------------------------

const CONTROL = fc.integer({ min: 0, max: 0x1f }).chain((c0) => fc.constantFrom(String.fromCharCode(c0), '\u007f', '\u0085', '\u009f'));
const LONE_SURROGATE = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
/** Text with one poison character somewhere in it. */
const poisoned = (poison: fc.Arbitrary<string>) => fc.tuple(fc.string({ maxLength: 12 }), poison, fc.string({ maxLength: 12 })).map(([a, p, b]) => `${a}${p}${b}`);
const hostileText = fc.oneof(
  poisoned(CONTROL),
  poisoned(LONE_SURROGATE),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ minLength: 1, maxLength: 10 }).map((s) => s.repeat(120)),
  fc.constantFrom('', ' ', '\u0000', '..', '../../etc/passwd', '\ufeff', '\u202e', '🙂', '%', '%00', '%ZZ', '__proto__', 'constructor', 'null', '[]', '{}'),
);
/** A path segment as a client might send it, encoded or not; a lone surrogate as the bytes a CESU encoder writes. */
function segment(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...text].map((ch) => (/\p{Surrogate}/u.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch))).join('');
  }
}
const rawSegment = fc.constantFrom('%', '%E0%A4%A', '%ED%A0%80', '%C0%AE', '%2e%2e', '%00', 'a%2Fb');
const hostileSegment = fc.oneof({ weight: 4, arbitrary: hostileText.filter((t) => t.length > 0).map(segment) }, { weight: 1, arbitrary: rawSegment });
const jsonValue = fc.jsonValue({ maxDepth: 3 });
const deepNest = fc.integer({ min: 11, max: 6000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);

// ---- transfer actions ---------------------------------------------------------------------------

type Action = (typeof TRANSFER_ACTIONS)[number];
const action = fc.constantFrom(...TRANSFER_ACTIONS);
/** A body the action takes as it is. */
const validBody = (a: Action): Record<string, unknown> => ({
  ...(['reject', 'dispute', 'withdraw'].includes(a) ? { reason: 'the receiving team has no capacity' } : {}),
  by: 'team-manager',
  ...(a === 'dispute' ? { capacity: true } : {}),
});
const objectText = (body: Record<string, unknown>, extra?: [string, string]): string => {
  const own = JSON.stringify(body);
  if (!extra) return own;
  return `${own.slice(0, -1)}${own === '{}' ? '' : ','}${JSON.stringify(extra[0])}:${extra[1]}}`;
};

/** A value each field refuses. */
const badValue: Record<'reason' | 'by' | 'capacity', fc.Arbitrary<string>> = {
  reason: fc.oneof(
    fc.constantFrom('null', '1', 'true', '[]', '{}', '[""]', '""'),
    fc.string({ minLength: 1001, maxLength: 3000 }).map((s) => JSON.stringify(s)),
    poisoned(fc.oneof(CONTROL.filter((c) => !'\t\n\r'.includes(c)), LONE_SURROGATE)).map((s) => JSON.stringify(s)),
    deepNest,
  ),
  by: fc.oneof(
    fc.constantFrom('null', '0', 'false', '[]', '{}', '""', '" W-1"', '"W-1 "'),
    fc.string({ minLength: 101, maxLength: 400 }).map((s) => JSON.stringify(`W${s}W`)),
    poisoned(fc.oneof(CONTROL, LONE_SURROGATE)).map((s) => JSON.stringify(`W${s}W`)),
    deepNest,
  ),
  capacity: fc.oneof(fc.constantFrom('null', '"true"', '1', '0', '[]', '{}'), deepNest),
};

const actionProbe: fc.Arbitrary<Probe> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.tuple(fc.oneof({ weight: 3, arbitrary: hostileSegment }, { weight: 1, arbitrary: fc.uuid().map((u) => `tr-${u}`) }), action).map(([id, a]): Probe => ({ method: 'POST', path: `/v1/transfers/${id}/${a}`, body: JSON.stringify(validBody(a)), why: 'transfer id' })),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(hostileSegment.filter((s) => !(TRANSFER_ACTIONS as readonly string[]).includes(s)), fc.jsonValue()).map(([a]): Probe => ({ method: 'POST', path: `/v1/transfers/${transferId}/${a}`, body: '{}', why: 'action' })),
  },
  {
    weight: 4,
    arbitrary: fc.tuple(action, fc.constantFrom('reason', 'by', 'capacity') as fc.Arbitrary<'reason' | 'by' | 'capacity'>).chain(([a, field]) =>
      badValue[field].map((value): Probe => {
        const { [field]: _replaced, ...rest } = validBody(a);
        return { method: 'POST', path: `/v1/transfers/${transferId}/${a}`, body: objectText(rest, [field, value]), why: `field ${field}` };
      }),
    ),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(action, fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.string({ maxLength: 20 }).filter((k) => !['reason', 'by', 'capacity'].includes(k))), jsonValue)
      .map(([a, key, value]): Probe => ({ method: 'POST', path: `/v1/transfers/${transferId}/${a}`, body: objectText(validBody(a), [key, JSON.stringify(value)]), why: `extra key ${key}` })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(action, fc.oneof(jsonValue.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)).map((v) => JSON.stringify(v)), deepNest, deepNest.map((n) => `{"reason":${n}}`)))
      .map(([a, body]): Probe => ({ method: 'POST', path: `/v1/transfers/${transferId}/${a}`, body, why: 'not an object' })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        action,
        fc.oneof(
          fc.constantFrom<[string, string]>(
            ['{"reason": ', 'application/json'],
            ['{"reason":"x",}', 'application/json'],
            ['\ufeff{}', 'application/json'],
            ["{'reason':'x'}", 'application/json'],
            ['reason=x&by=y', 'application/x-www-form-urlencoded'],
            ['{"reason":"x"}', 'text/plain'],
            ['{"reason":"x"}', 'application/xml'],
            ['{"reason":"x"}', 'application/json; charset=latin1'],
            ['{"reason":"x"}', 'application/merge-patch+json'],
            ['--b\r\ncontent-disposition: form-data; name="reason"\r\n\r\nx\r\n--b--', 'multipart/form-data; boundary=b'],
          ),
          fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }).map((text): [string, string] => [text, 'application/octet-stream']),
        ),
      )
      .map(([a, [body, contentType]]): Probe => ({ method: 'POST', path: `/v1/transfers/${transferId}/${a}`, body, contentType, why: `raw body as ${contentType}` })),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        // An item the transfer does not have, or no item at all …
        fc.tuple(fc.oneof(hostileSegment, fc.string({ minLength: 1, maxLength: 20 }).map((s) => `fz-${segment(s)}`)), fc.constantFrom(true, false)),
        // … or a real item of a transfer that does not exist (a real item of the real transfer would be met).
        fc.tuple(fc.constant(null), fc.constant(false)),
      )
      .chain(([item, realTransfer]) => (item === null ? fc.constantFrom(...itemIds) : fc.constant(item)).map((id): Probe => ({ method: 'POST', path: `/v1/transfers/${realTransfer ? transferId : 'tr-unknown'}/checklist/${id}/met`, why: 'checklist item' }))),
  },
);

// ---- every query parameter ----------------------------------------------------------------------

const VALID: Record<string, fc.Arbitrary<string>> = {
  authority: fc.constantFrom('demo', 'kent', 'atlantis'),
  status: fc.constantFrom('proposed', 'accepted', 'open', 'resolved', 'disputed'),
  team: fc.constantFrom('A&I', 'FSP', 'CSWT'),
  overdue: fc.constantFrom('true', 'false'),
  from: fc.constantFrom('2026-01-01', '2026-05-01', '2026-02-28'),
  to: fc.constantFrom('2026-12-31', '2026-05-01'),
  limit: fc.constantFrom('1', '50', '500'),
  cursor: fc.constantFrom(Buffer.from(JSON.stringify(['2026-05-01T09:30:00.123456Z', 'tr-1'])).toString('base64url')),
};
/** Cursors a client could forge: base64url of anything, and of near-keys. */
const forgedCursor = fc.oneof(
  jsonValue.map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
  fc.tuple(fc.oneof(hostileText, fc.date({ noInvalidDate: true }).map((d) => d.toISOString().replace('Z', '000Z')), fc.constantFrom('2026-13-45T25:61:61.000000Z', '0000-00-00T00:00:00.000000Z', '2026-02-30T00:00:00.000000Z')), fc.oneof(hostileText, fc.constant('tr-1')))
    .map((key) => Buffer.from(JSON.stringify(key)).toString('base64url')),
  fc.string({ maxLength: 600 }),
);
const ENDPOINT_PARAMS: { path: fc.Arbitrary<string>; params: string[] }[] = [
  { path: fc.tuple(fc.oneof(fc.constant(CHILD), hostileSegment), fc.constantFrom('events', 'transfers', 'explanation')).map(([id, view]) => `/v1/children/${id}/${view}`), params: ['authority'] },
  { path: fc.constant('/v1/transfers'), params: ['authority', 'status', 'team', 'overdue', 'from', 'to', 'limit', 'cursor'] },
  { path: fc.constant('/v1/escalations'), params: ['authority', 'status'] },
  { path: fc.constant('/v1/reports/summary'), params: ['authority'] },
  { path: fc.oneof(fc.constantFrom('internal-transfer-v11', 'kent'), hostileSegment).map((id) => `/v1/policies/${id}`), params: [] },
  { path: fc.constant('/v1/policies'), params: [] },
];
const paramValue = (name: string): fc.Arbitrary<string> =>
  fc.oneof({ weight: 3, arbitrary: VALID[name] ?? hostileText }, { weight: 2, arbitrary: hostileText }, { weight: name === 'cursor' ? 3 : 0, arbitrary: forgedCursor });
const queryProbe: fc.Arbitrary<Probe> = fc.oneof(...ENDPOINT_PARAMS.map(({ path, params }) => {
  const pair = fc.oneof(
    { weight: 6, arbitrary: params.length ? fc.constantFrom(...params).chain((name) => paramValue(name).map((value) => [name, value] as const)) : fc.constant(['authority', 'demo'] as const) },
    { weight: 1, arbitrary: fc.tuple(fc.oneof(fc.constantFrom('__proto__', 'constructor', '__proto__[polluted]', 'constructor[prototype][polluted]', 'toString', 'hasOwnProperty'), fc.string({ maxLength: 12 })), hostileText) },
  );
  return fc.tuple(path, fc.array(pair, { maxLength: 6 }), fc.option(rawSegment)).map(([p, pairs, raw]): Probe => {
    const query = pairs.map(([name, value]) => `${segment(name)}=${segment(value)}`);
    if (raw) query.push(`team=${raw}`);
    return { method: 'GET', path: query.length ? `${p}?${query.join('&')}` : p };
  });
}));

describe('hostile HTTP input beyond case events (issue 15)', () => {
  it(`transfer actions and checklist items: ${CASES} requests each with one thing wrong are refused 4xx, never 5xx, and record nothing`, async () => {
    const before = await eventsStored();
    const started = Date.now();
    const { tally, failures } = await sendAll(fc.sample(actionProbe, { numRuns: CASES, seed }), (status, body) => [400, 404, 413, 415].includes(status) && inErrorShape(body));
    console.log(`transfer actions (seed ${seed}): ${CASES} requests in ${((Date.now() - started) / 1000).toFixed(1)} s; answers ${JSON.stringify(Object.fromEntries(tally))}`);
    expect(failures).toEqual([]);
    expect(await eventsStored()).toBe(before);
    const { body } = await send({ method: 'GET', path: `/v1/children/${CHILD}/transfers?authority=demo` });
    expect((body.transfers as { status: string }[])[0].status).toBe('proposed');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it(`every query parameter and path id of the reads: ${CASES} requests are answered 200 or 4xx in the error shape, never 5xx`, async () => {
    const before = await eventsStored();
    const started = Date.now();
    const { tally, failures } = await sendAll(fc.sample(queryProbe, { numRuns: CASES, seed: seed + 1 }), (status, body) => status === 200 || ([400, 403, 404].includes(status) && inErrorShape(body)));
    console.log(`reads (seed ${seed}): ${CASES} requests in ${((Date.now() - started) / 1000).toFixed(1)} s; answers ${JSON.stringify(Object.fromEntries(tally))}`);
    expect(failures).toEqual([]);
    expect(tally.get(200)).toBeGreaterThan(CASES / 20);
    expect(await eventsStored()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
