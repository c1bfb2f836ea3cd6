/**
 * Hostile input over HTTP (issue 8 item 4; DESIGN.md "Testing": malformed and hostile input is
 * rejected cleanly). More than 10,000 hostile case events — mostly valid events with one thing
 * wrong (./hostile-case-events.ts), some garbage — are posted to the embedded system, in batches
 * and singly. For every request:
 *  - a request with any hostile event is answered 400, naming exactly the hostile events by index,
 *    each with field-level errors ({path, reason}) that include the field that was corrupted;
 *  - nothing of a rejected request is stored (not even its good events);
 *  - never a 5xx;
 * and across rounds the process keeps answering /health. What this costs — the heap after GC across
 * rounds, and events refused per second — is measured by bench/hostile-input.bench.ts, not asserted
 * here (STYLE.md "Tests").
 */
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { SqlEventStore } from '@cto/event-store';
import { EVENT_STORE, loadConfig } from '@cto/runtime';
import { createEmbeddedApp } from '@cto/embedded';
import { bearer, testAuthEnv } from '@cto/testing';
import {
  AUTHORITIES_IN_FORCE,
  buildHostile,
  buildValid,
  hostileRecipe,
  namesPath,
  UNKNOWN_AUTHORITIES,
  validType,
  type HostileEvent,
  type HostileRecipe,
  type Ids,
} from './hostile-case-events';

jest.setTimeout(180000);

const ROUNDS = 5;
/** Per round: batches of 60–140 events (mostly hostile), and single events. */
const BATCHES_PER_ROUND = 30;
const SINGLES_PER_ROUND = 150;
/** Huge strings in a batch stay small enough for 140 of them to fit the 2 MB body limit; singly they go up to 1.5 MB. */
const MAX_HUGE_IN_BATCH = 10_000;
const MAX_HUGE_SINGLY = 1_500_000;

let dataDir: string;
let app: INestApplication;
let store: SqlEventStore;

// Scoped to the unknown authorities as well, so events naming them reach intake's 400 (no pack)
// instead of stopping at tenant scoping's 403.
const authorization = bearer({ subject: 'fuzz', roles: ['integration', 'reader'], authorities: [...AUTHORITIES_IN_FORCE, ...UNKNOWN_AUTHORITIES] });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cto-fuzz-'));
  // The write rate limit is lifted: this spec is one client sending thousands of requests on purpose.
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', POLL_INTERVAL_MS: '200', RATE_LIMIT_PER_MINUTE: '1000000', ...testAuthEnv() });
  app = await createEmbeddedApp(config);
  await app.init();
  store = app.get<SqlEventStore>(EVENT_STORE);
});

afterAll(async () => {
  await app?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/**
 * Every request of this spec is made here, with the bearer token every endpoint requires, so a
 * change to authentication is made in one place.
 */
function call(method: 'get' | 'post', path: string): request.Test {
  return request(app.getHttpServer())[method](path).set('authorization', authorization);
}
const post = (body: unknown): request.Test => call('post', '/v1/case-events').send(body as object);
const postRaw = (text: string, contentType: string): request.Test => call('post', '/v1/case-events').set('content-type', contentType).send(text);

const run = randomUUID().slice(0, 8);
let serial = 0;
const freshIds = (): Ids => {
  serial++;
  return { eventId: `fz-${run}-${serial}`, childId: `FZ-${run}-${serial}` };
};

type Item = { hostile: true; event: HostileEvent } | { hostile: false; value: Record<string, unknown>; eventId: string };
type Plan = { hostile: true; recipe: HostileRecipe } | { hostile: false; type: string };

const plan = (maxHuge: number): fc.Arbitrary<Plan> =>
  fc.oneof(
    { weight: 9, arbitrary: hostileRecipe({ maxHuge }).map((recipe): Plan => ({ hostile: true, recipe })) },
    { weight: 1, arbitrary: validType.map((type): Plan => ({ hostile: false, type })) },
  );

/**
 * Alone, a body must be an object to be read as one event: an array is a batch, and a bare scalar
 * is refused by the JSON body parser before the validator (both covered by the second test).
 */
const sendableAlone = (p: Plan): boolean =>
  !(p.hostile && p.recipe.kind === 'garbage' && (typeof p.recipe.value !== 'object' || p.recipe.value === null || Array.isArray(p.recipe.value)));

function build(p: Plan): Item {
  if (p.hostile) return { hostile: true, event: buildHostile(p.recipe, freshIds()) };
  const ids = freshIds();
  return { hostile: false, value: buildValid(p.type, ids), eventId: ids.eventId };
}

const tally = { requests: 0, hostile: 0, validRecorded: 0, validRejectedWithBatch: 0 };

type ErrorEntry = { index: number; eventId?: string; errors: { path: string; reason: string }[] };

/** Sends the items (as an array, or the one item alone) and checks the answer and the store. */
async function sendAndCheck(items: Item[], asArray: boolean): Promise<void> {
  const values = items.map((item) => (item.hostile ? item.event.value : item.value));
  const res = await post(asArray ? values : values[0]);
  tally.requests++;
  const hostileIndexes = items.flatMap((item, index) => (item.hostile ? [index] : []));
  tally.hostile += hostileIndexes.length;
  const context = () => `request ${tally.requests}: ${items.map((i) => (i.hostile ? i.event.why : 'valid')).join('; ').slice(0, 2000)}`;

  if (res.status >= 500) throw new Error(`${res.status} for ${context()}: ${JSON.stringify(res.body)}`);
  if (hostileIndexes.length === 0) {
    if (res.status !== 202) throw new Error(`valid events answered ${res.status} (${context()}): ${JSON.stringify(res.body).slice(0, 2000)}`);
    expect(res.body.accepted.map((a: { status: string }) => a.status)).toEqual(items.map(() => 'recorded'));
    tally.validRecorded += items.length;
    return;
  }
  if (res.status !== 400) throw new Error(`hostile input answered ${res.status} (${context()}): ${JSON.stringify(res.body).slice(0, 2000)}`);
  expect(res.body.error).toBe('invalid-case-events');
  const entries = res.body.errors as ErrorEntry[];
  // Exactly the hostile events are named, by their index in the request.
  expect(entries.map((e) => e.index).sort((a, b) => a - b)).toEqual(hostileIndexes);
  for (const entry of entries) {
    expect(entry.errors.length).toBeGreaterThan(0);
    for (const error of entry.errors) {
      expect(typeof error.path).toBe('string');
      expect(error.path === '' || error.path.startsWith('/')).toBe(true);
      expect(typeof error.reason === 'string' && error.reason.length > 0).toBe(true);
    }
    const item = items[entry.index];
    if (item.hostile && !namesPath(entry.errors, item.event.expectPath)) {
      throw new Error(`the rejection does not name ${item.event.expectPath} (${item.event.why}): ${JSON.stringify(entry.errors).slice(0, 1000)}`);
    }
  }
  // A rejected request stores nothing: neither its hostile events nor the good ones beside them.
  // Ids are looked up only where this spec gave them; a corrupted id (one the store could not even
  // be asked about, such as one with a NUL) is covered by the count of stored facts at the end.
  const ids = items.flatMap((item) => (item.hostile ? [item.event.eventId] : [item.eventId])).filter((id): id is string => id?.startsWith(`fz-${run}-`) === true);
  // An event's identity is (authority, eventId): ask under every authority the request named.
  const authorities = new Set(values.flatMap((v) => (v && typeof v === 'object' && typeof (v as { authority?: unknown }).authority === 'string' ? [(v as { authority: string }).authority] : [])));
  for (const authority of authorities) expect(await store.findRecordedEventIds(authority, ids)).toEqual(new Set());
  tally.validRejectedWithBatch += items.length - hostileIndexes.length;
}

async function factsStored(): Promise<number> {
  const [row] = await store.sql.query<{ n: number }>("SELECT count(*)::integer AS n FROM events WHERE metadata->>'kind' = 'fact'");
  return Number(row.n);
}

describe('POST /v1/case-events under fuzzed hostile input', () => {
  it(`rejects every hostile event with field-level reasons, stores none of it, never fails with 5xx, and keeps answering`, async () => {
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    const batch = fc.oneof(
      { weight: 12, arbitrary: fc.array(plan(MAX_HUGE_IN_BATCH), { minLength: 60, maxLength: 140 }) },
      // Now and then an all-good batch, which must be recorded whole.
      { weight: 1, arbitrary: fc.array(validType.map((type): Plan => ({ hostile: false, type })), { minLength: 2, maxLength: 10 }) },
    );
    for (let round = 0; round < ROUNDS; round++) {
      await fc.assert(
        fc.asyncProperty(batch, (plans) => sendAndCheck(plans.map(build), true)),
        { numRuns: BATCHES_PER_ROUND },
      );
      await fc.assert(
        fc.asyncProperty(plan(MAX_HUGE_SINGLY).filter(sendableAlone), (p) => sendAndCheck([build(p)], false)),
        { numRuns: SINGLES_PER_ROUND },
      );
      await call('get', '/health').expect(200);
    }

    expect(tally.hostile).toBeGreaterThanOrEqual(10_000);
    expect(tally.validRecorded).toBeGreaterThan(0);
    expect(await factsStored()).toBe(tally.validRecorded);
    // No hostile key reached a prototype.
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    console.log(
      `fuzz over HTTP: ${tally.hostile} hostile events in ${tally.requests} requests; ${tally.validRecorded} valid recorded, ` +
        `${tally.validRejectedWithBatch} valid rejected with their batch`,
    );
  });

  it('answers hostile request bodies — not JSON, not an envelope, empty, too many, too large — with 4xx and a reason, never 5xx', async () => {
    const before = await factsStored();
    const cases: { name: string; send: () => request.Test; status: number }[] = [
      { name: 'truncated JSON', send: () => postRaw('{"eventId": "x", "type": ', 'application/json'), status: 400 },
      { name: 'not JSON at all', send: () => postRaw('\u0000\u00ff binary garbage', 'application/json'), status: 400 },
      { name: 'a bare number', send: () => postRaw('42', 'application/json'), status: 400 },
      { name: 'a bare string', send: () => postRaw('"ICPCHeld"', 'application/json'), status: 400 },
      { name: 'null', send: () => postRaw('null', 'application/json'), status: 400 },
      { name: 'an empty body', send: () => postRaw('', 'application/json'), status: 400 },
      { name: 'form-encoded', send: () => postRaw('eventId=x&type=ICPCHeld', 'application/x-www-form-urlencoded'), status: 415 },
      { name: 'JSON with a byte order mark', send: () => postRaw(`\uFEFF${JSON.stringify(buildValid('CaseClosed', freshIds()))}`, 'application/json'), status: 400 },
      { name: 'an empty array', send: () => post([]), status: 400 },
      { name: '501 events', send: () => post(Array.from({ length: 501 }, () => buildValid('ICPCHeld', freshIds()))), status: 400 },
      { name: 'prototype key at the top', send: () => postRaw(`{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}`, 'application/json'), status: 400 },
      { name: 'more than 2 MB', send: () => post({ ...buildValid('CaseClosed', freshIds()), data: { reason: 'x'.repeat(2_200_000) } }), status: 413 },
    ];
    for (const c of cases) {
      const res = await c.send();
      if (res.status !== c.status) throw new Error(`${c.name}: answered ${res.status}, expected ${c.status}: ${JSON.stringify(res.body).slice(0, 500)}`);
      expect(typeof res.body.error).toBe('string');
    }
    await call('get', '/health').expect(200);
    expect(await factsStored()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
