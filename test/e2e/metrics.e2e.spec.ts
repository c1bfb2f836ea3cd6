/**
 * GET /metrics on the embedded system: counters move when case events are recorded and decisions
 * published, open escalations are read from the read model at scrape, every subscription's lag is
 * reported, so is every consumer group's (and a bus that cannot say does not fail the scrape), a tenant's token sees only its own authority's labelled samples, and no child or family
 * identifier ever appears in the output (labels carry catalogue and pack words only).
 */
import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ROLES } from '@cto/access-control';
import { createEmbeddedApp } from '@cto/embedded';
import type { EventStore } from '@cto/event-store';
import type { MessageBus } from '@cto/messaging';
import { loadConfig, Metrics, whenSettled } from '@cto/runtime';
import { bearer, clockAdmin, eventually, testAuthEnv } from '@cto/testing';

jest.setTimeout(90000);

const dataDir = mkdtempSync(join(tmpdir(), 'cto-metrics-'));
let app: INestApplication;

beforeAll(async () => {
  app = await createEmbeddedApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', POLL_INTERVAL_MS: '50', ...testAuthEnv() }));
  await app.init();
});
afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const EVERYTHING = bearer({ roles: [...ROLES], authorities: ['kent', 'southampton'] });
const http = () => request.agent(app.getHttpServer()).set('authorization', EVERYTHING);
const setClock = (now: string) => request(app.getHttpServer()).post('/v1/admin/clock').set('authorization', clockAdmin()).send({ now }).expect(200);
const scrape = async (authorization = bearer({ roles: ['reader'], authorities: ['kent'] })): Promise<string> => {
  const res = await request(app.getHttpServer()).get('/metrics').set('authorization', authorization).expect(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
  return res.text;
};

// Identifiers that must never reach a label: distinctive, so a search of the output is conclusive.
const CHILD = 'K-METRICS-CHILD-7731';
const SIBLING_FAMILY = 'F-METRICS-FAMILY-9904';
const NO_WORKER_CHILD = 'K-METRICS-NOWORKER-5517';
const LAG_CHILD = 'K-METRICS-LAG-6620';
let seq = 0;
/** The cto_consumer_lag_messages samples of a scrape. */
const consumerLag = (text: string) =>
  [...text.matchAll(/^cto_consumer_lag_messages\{group="([^"]*)",topic="([^"]*)"\} (\d+)$/gm)].map(([, group, topic, messages]) => ({ group, topic, messages: Number(messages) }));
// Intake on case-events; each deciding service in a group of its own on each topic it reads.
const CONSUMER_GROUPS = [
  { group: 'intake', topic: 'case-events' },
  ...['allocation', 'checklist', 'escalation'].flatMap((service) => ['recorded-facts', 'transfer-events'].map((topic) => ({ group: `${service}.${topic}`, topic }))),
];
const envelope = (childId: string, type: string, occurredAt: string, data: object, extra: object = {}) => ({
  eventId: `metrics-${++seq}`,
  type,
  authority: 'kent',
  childId,
  occurredAt,
  source: 'liberi',
  data,
  ...extra,
});

describe('GET /metrics', () => {
  it('needs a token (reader or admin), like every endpoint but /health', async () => {
    await request(app.getHttpServer()).get('/metrics').expect(401);
    await request(app.getHttpServer()).get('/metrics').set('authorization', bearer({ roles: ['manager'], authorities: ['kent'] })).expect(403);
    await scrape(bearer({ roles: ['admin'], authorities: ['kent'] }));
  });

  it('counts a case event recorded over HTTP once, and not its repeat', async () => {
    expect(await scrape()).not.toMatch(/^cto_case_events_recorded_total\{source="http"\}/m);
    const first = envelope(CHILD, 'ReferralReceived', '2026-05-01T09:00:00+01:00', { referralSource: 'school' }, { familyId: SIBLING_FAMILY });
    await http().post('/v1/case-events').send(first).expect(202);
    expect(await scrape()).toMatch(/^cto_case_events_recorded_total\{source="http"\} 1$/m);
    await http().post('/v1/case-events').send(first).expect(202, { accepted: [{ eventId: first.eventId, status: 'duplicate' }] });
    expect(await scrape()).toMatch(/^cto_case_events_recorded_total\{source="http"\} 1$/m);
  });

  it('counts each decision the outbox relay publishes, by type and rule', async () => {
    await http()
      .post('/v1/case-events')
      .send([
        envelope(CHILD, 'WorkerAllocated', '2026-05-01T09:00:00+01:00', { team: 'CSWT', workerId: 'W-1' }, { familyId: SIBLING_FAMILY }),
        envelope(CHILD, 'ChildAccommodated', '2026-05-01T10:00:00+01:00', { legalBasis: 's20', expectedDurationWeeks: 8 }, { familyId: SIBLING_FAMILY }),
      ])
      .expect(202);
    const text = await eventually(() => scrape(), (t) => /^cto_decisions_published_total\{type="TransferProposed",rule="[^"]+"\} 1$/m.test(t), 'a published TransferProposed');
    expect(text).toMatch(/^cto_case_events_recorded_total\{source="http"\} 3$/m);
    // The relay has caught up with what it published: its lag is a number, and every follower has one.
    expect(text).toMatch(/^cto_subscription_lag_events\{subscription="outbox:transfer-events"\} \d+$/m);
    expect(text).toMatch(/^# TYPE cto_case_events_dead_lettered_total counter$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  });

  it('reports open escalations per authority and rung, to that authority\'s tokens only', async () => {
    await setClock('2026-05-05T09:00:00Z');
    await http()
      .post('/v1/case-events')
      .send([
        envelope(NO_WORKER_CHILD, 'ReferralReceived', '2026-05-01T09:00:00+01:00', { referralSource: 'school' }),
        envelope(NO_WORKER_CHILD, 'ICPCHeld', '2026-05-05T10:00:00+01:00', { outcome: 'cp-plan', concerns: ['neglect'] }),
      ])
      .expect(202);
    const required = await eventually(
      async () => (await http().get(`/v1/children/${NO_WORKER_CHILD}/events?authority=kent`)).body.events as { type: string; data: { dueBy?: string } }[],
      (events) => events.some((e) => e.type === 'AllocationRequired'),
      'AllocationRequired',
    );
    const dueBy = required.find((e) => e.type === 'AllocationRequired')!.data.dueBy!;
    await setClock(new Date(Date.parse(`${dueBy}T09:00:00Z`) + 7 * 86400000).toISOString());

    const text = await eventually(() => scrape(), (t) => /^cto_escalations_open\{authority="kent",rung="\d+"\} 1$/m.test(t), 'an open kent escalation');
    expect(text).toMatch(/^# TYPE cto_escalations_open gauge$/m);
    const southampton = await scrape(bearer({ roles: ['reader'], authorities: ['southampton'] }));
    expect(southampton).toMatch(/^# TYPE cto_escalations_open gauge$/m);
    expect(southampton).not.toMatch(/authority="kent"/);
  });

  it('reports each consumer group\'s lag per topic, back to 0 once the groups have handled a new case event', async () => {
    const before = await scrape();
    expect(before).toMatch(/^# TYPE cto_consumer_lag_messages gauge$/m);
    await http()
      .post('/v1/case-events')
      .send(envelope(LAG_CHILD, 'ReferralReceived', '2026-05-02T09:00:00+01:00', { referralSource: 'school' }))
      .expect(202);
    // Recorded, relayed to recorded-facts, read by every deciding service's group, whatever they
    // decided relayed to transfer-events and read in turn: once all of that is handled (and so
    // committed), no group is behind.
    await whenSettled(app);
    const text = await scrape();
    expect(consumerLag(text).map(({ group, topic }) => ({ group, topic }))).toEqual(expect.arrayContaining(CONSUMER_GROUPS));
    expect(consumerLag(text)).toHaveLength(CONSUMER_GROUPS.length);
    expect(consumerLag(text).filter((sample) => sample.messages !== 0)).toEqual([]);
    expect(text).toMatch(/^cto_consumer_lag_errors_total 0$/m);
  });

  it('omits the consumer lag and counts the error, without failing the scrape, when the bus cannot say', async () => {
    const silent: MessageBus = {
      publish: async () => undefined,
      subscribe: async () => ({ close: async () => undefined }),
      consumerLag: () => Promise.reject(new Error('consumerLag: the broker did not answer within 5000 ms')),
      close: async () => undefined,
    };
    const metrics = new Metrics({} as EventStore, silent);
    for (const errors of [1, 2]) {
      const text = await metrics.scrape(['kent']);
      expect(text).toMatch(/^# TYPE cto_consumer_lag_messages gauge$/m);
      expect(consumerLag(text)).toEqual([]);
      expect(text).toMatch(new RegExp(`^cto_consumer_lag_errors_total ${errors}$`, 'm'));
    }
  });

  it('never carries a child or family identifier', async () => {
    const text = await scrape(EVERYTHING);
    for (const id of [CHILD, SIBLING_FAMILY, NO_WORKER_CHILD, LAG_CHILD]) expect(text).not.toContain(id);
    expect(text).not.toMatch(/child\/kent\//);
    // Every label is one of the few this system defines (or prom-client's default process metrics').
    const labels = new Set([...text.matchAll(/[{,]([a-z_]+)="/g)].map((m) => m[1]));
    expect([...labels].filter((l) => !['source', 'type', 'rule', 'authority', 'rung', 'subscription', 'group', 'topic', 'version', 'major', 'minor', 'patch', 'kind', 'space', 'le'].includes(l))).toEqual([]);
  });
});
