/**
 * Two authorities where one's id begins with the other's: `kent`, and `kent-east` (the shipped kent
 * pack under another id). Kent's child `east-C1` and kent-east's child `C1` once had one stream id
 * (`child-kent-east-C1`), so a kent token could read kent-east's child, and a kent fact could change
 * kent-east's transfer, through the child id `east-C1`. Over HTTP on the embedded system: neither.
 */
import type { INestApplication } from '@nestjs/common';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DEFAULT_POLICIES_DIR } from '@cto/policy-packs';
import { createEmbeddedApp } from '@cto/embedded';
import { loadConfig } from '@cto/runtime';
import { bearer, envelopeMaker, eventually, testAuthEnv } from '@cto/testing';

jest.setTimeout(90000);

const root = mkdtempSync(join(tmpdir(), 'cto-stream-ids-'));
let app: INestApplication;

beforeAll(async () => {
  const policiesDir = join(root, 'policies');
  mkdirSync(policiesDir);
  const kent = readFileSync(join(DEFAULT_POLICIES_DIR, 'kent.yaml'), 'utf8');
  writeFileSync(join(policiesDir, 'kent.yaml'), kent);
  const kentEast = kent.replace(/^id: kent$/m, 'id: kent-east').replace(/^authorities: \[kent\]$/m, 'authorities: [kent-east]');
  if (kentEast === kent || !/^authorities: \[kent-east\]$/m.test(kentEast)) throw new Error('kent.yaml no longer has the id and authorities lines this spec rewrites');
  writeFileSync(join(policiesDir, 'kent-east.yaml'), kentEast);
  app = await createEmbeddedApp(
    // The clock starts on the facts' day, so no timer of the real day adds to kent-east's stream mid-test.
    loadConfig({ DATA_DIR: join(root, 'data'), POLICIES_DIR: policiesDir, LOG_LEVEL: 'silent', POLL_INTERVAL_MS: '50', CLOCK_START: '2026-05-01T10:30:00Z', ...testAuthEnv() }),
  );
  await app.init();
});

afterAll(async () => {
  await app?.close();
  rmSync(root, { recursive: true, force: true });
});

const http = () => request(app.getHttpServer());
const kent = { integration: bearer({ roles: ['integration'], authorities: ['kent'] }), reader: bearer({ roles: ['reader'], authorities: ['kent'] }) };
const kentEast = { integration: bearer({ roles: ['integration'], authorities: ['kent-east'] }), reader: bearer({ roles: ['reader'], authorities: ['kent-east'] }) };

const envelope = envelopeMaker('stream-ids', 'liberi');
/** Facts on which the kent pack proposes a transfer (as in access-control.e2e.spec.ts). */
const factsProposingATransfer = (authority: string, childId: string) => [
  envelope(authority, childId, 'ReferralReceived', '2026-05-01T09:00:00+01:00', { referralSource: 'school' }),
  envelope(authority, childId, 'WorkerAllocated', '2026-05-01T09:00:00+01:00', { team: 'CSWT', workerId: 'W-1' }),
  envelope(authority, childId, 'ChildAccommodated', '2026-05-01T10:00:00+01:00', { legalBasis: 's20', expectedDurationWeeks: 8 }),
];

interface EventView {
  eventId: string;
  type: string;
}
interface Transfer {
  transferId: string;
  status: string;
  toTeam: string;
}
const eventsOf = async (token: string, childId: string, authority: string): Promise<EventView[]> =>
  (await http().get(`/v1/children/${childId}/events?authority=${authority}`).set('authorization', token).expect(200)).body.events;
const transfersOf = async (token: string, childId: string, authority: string): Promise<Transfer[]> =>
  (await http().get(`/v1/children/${childId}/transfers?authority=${authority}`).set('authorization', token).expect(200)).body.transfers;

/** Every follower (deciders, supervision, projections, outbox) has read to the end of the log. */
async function settled(): Promise<void> {
  const both = bearer({ roles: ['reader'], authorities: ['kent', 'kent-east'] });
  await eventually(
    async () => (await http().get('/metrics').set('authorization', both).expect(200)).text,
    (text) => {
      const lags = [...text.matchAll(/^cto_subscription_lag_events\{[^}]*\} (\d+)$/gm)].map((m) => Number(m[1]));
      return lags.length > 0 && lags.every((lag) => lag === 0);
    },
    'every subscription to catch up',
  );
}

describe("kent's east-C1 and kent-east's C1", () => {
  let kentEastTransfer: Transfer;
  let kentEastEvents: EventView[];

  beforeAll(async () => {
    await http().post('/v1/case-events').set('authorization', kentEast.integration).send(factsProposingATransfer('kent-east', 'C1')).expect(202);
    [kentEastTransfer] = await eventually(() => transfersOf(kentEast.reader, 'C1', 'kent-east'), (t) => t.length > 0, "kent-east's transfer");
    await settled();
    kentEastEvents = await eventsOf(kentEast.reader, 'C1', 'kent-east');
  });

  it("a kent token finds no kent-east child under any child id: kent's east-C1 and C1 do not exist", async () => {
    expect(kentEastTransfer.status).toBe('proposed');
    for (const what of ['events', 'transfers', 'explanation']) {
      for (const childId of ['east-C1', 'C1']) {
        const res = await http().get(`/v1/children/${childId}/${what}?authority=kent`).set('authorization', kent.reader);
        expect({ what, childId, status: res.status, error: res.body.error }).toEqual({ what, childId, status: 404, error: 'child-not-found' });
      }
      await http().get(`/v1/children/C1/${what}?authority=kent-east`).set('authorization', kent.reader).expect(403);
    }
  });

  it("a kent fact for east-C1 is kent's alone: kent-east's transfer and stream are untouched", async () => {
    // Under the old ids this allocation, in the receiving team, completed kent-east's transfer.
    const allocated = envelope('kent', 'east-C1', 'WorkerAllocated', '2026-05-01T11:00:00+01:00', { team: kentEastTransfer.toTeam, workerId: 'W-2' });
    await http().post('/v1/case-events').set('authorization', kent.integration).send([allocated]).expect(202);
    await settled();

    const kentChild = await eventsOf(kent.reader, 'east-C1', 'kent');
    expect(kentChild.map((e) => e.eventId)).toContain(allocated.eventId);
    const ids = new Set(kentEastEvents.map((e) => e.eventId));
    expect(kentChild.filter((e) => ids.has(e.eventId))).toEqual([]);

    expect(await eventsOf(kentEast.reader, 'C1', 'kent-east')).toEqual(kentEastEvents);
    expect(await transfersOf(kentEast.reader, 'C1', 'kent-east')).toEqual([expect.objectContaining({ transferId: kentEastTransfer.transferId, status: 'proposed' })]);
  });
});
