/**
 * The transfer lifecycle, checklists and escalation ladders over HTTP, on the embedded system with
 * the shipped packs (issue "Transfer lifecycle … invariants", Done when): a kent dispute goes to
 * the service manager, and so does a kent transfer to another authority not done in its
 * timescale (with the Child Protection Chair kept updated); a casework-transfer-policy transfer
 * waits for its checklist while a southampton one goes ahead and escalates the gaps; a southampton
 * transfer flagged at the 2nd LAC review and dated at the final order (004 PTC 1–2); a CP-plan
 * child without a worker; timers due while the process is down fire once after it restarts; a
 * southampton Step Down Panel referral lapses, unescalated (004 CFF 14). Real PGlite file store, real clock
 * arithmetic (England and Wales bank holidays), nothing mocked.
 */
import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ROLES } from '@cto/access-control';
import { loadConfig } from '@cto/runtime';
import { createEmbeddedApp } from '@cto/embedded';
import { bearer, clockAdmin, envelopeMaker, eventually, testAuthEnv } from '@cto/testing';

jest.setTimeout(90000);

let dataDir: string;
let app: INestApplication;

/** `clockStart`: the process starts on that day, so no timer fires on the real day before the test sets it. */
const start = async (clockStart?: string) => {
  app = await createEmbeddedApp(
    loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', POLL_INTERVAL_MS: '50', ...(clockStart ? { CLOCK_START: clockStart } : {}), ...testAuthEnv() }),
  );
  await app.init();
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cto-lifecycle-'));
  await start();
});

afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Every role, for the three authorities here: access control has its own spec (access-control.e2e.spec.ts). */
const AUTHORIZATION = bearer({ roles: [...ROLES], authorities: ['kent', 'southampton', 'casework-transfer'] });
const http = () => request.agent(app.getHttpServer()).set('authorization', AUTHORIZATION);
const envelope = envelopeMaker('lc', 'mosaic');


interface Transfer {
  transferId: string;
  status: string;
  fromTeam: string;
  toTeam: string;
  dueBy: string | null;
  allowedActions: string[];
  checklist: { gating: string; items: { itemId: string; met: boolean; dueBy: string | null }[]; completed: boolean } | null;
}
interface StreamEvent {
  kind: string;
  type: string;
  data: Record<string, unknown>;
}

const transfersOf = (authority: string, childId: string) => async (): Promise<Transfer[]> =>
  (await http().get(`/v1/children/${childId}/transfers?authority=${authority}`)).body.transfers ?? [];
const eventsOf = (authority: string, childId: string) => async (): Promise<StreamEvent[]> =>
  (await http().get(`/v1/children/${childId}/events?authority=${authority}`)).body.events ?? [];
const decisionsOf = (events: StreamEvent[], type: string) => events.filter((e) => e.kind === 'decision' && e.type === type);
const setClock = (now: string) => request(app.getHttpServer()).post('/v1/admin/clock').set('authorization', clockAdmin()).send({ now }).expect(200);

/** Posts the facts and waits for the proposal with its checklist opened (when the pack has one for the route). */
async function proposed(authority: string, childId: string, facts: [string, string, object][]): Promise<Transfer> {
  await http()
    .post('/v1/case-events')
    .send(facts.map(([type, at, data]) => envelope(authority, childId, type, at, data)))
    .expect(202);
  const [transfer] = await eventually(transfersOf(authority, childId), (t) => t.length > 0 && t[0].checklist !== null, `a proposal with its checklist for ${childId}`);
  return transfer;
}

describe('the lifecycle over HTTP', () => {
  it('answers 409 with the status and the allowed actions for an illegal transition, and records nothing', async () => {
    await setClock('2026-05-04T09:00:00Z');
    const t = await proposed('kent', 'K-409', [
      ['ReferralReceived', '2026-05-01T09:00:00+01:00', { referralSource: 'school' }],
      ['WorkerAllocated', '2026-05-01T09:00:00+01:00', { team: 'CSWT', workerId: 'W-1' }],
      ['ChildAccommodated', '2026-05-01T10:00:00+01:00', { legalBasis: 's20', expectedDurationWeeks: 8 }],
    ]);
    expect(t).toMatchObject({ fromTeam: 'CSWT', toTeam: 'CIC', status: 'proposed', allowedActions: ['accept', 'reject', 'dispute', 'withdraw'] });
    const before = (await eventsOf('kent', 'K-409')()).length;

    const res = await http().post(`/v1/transfers/${t.transferId}/complete`).send({});
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'conflict', problem: 'illegal-transition', status: 'proposed', allowed: ['accept', 'reject', 'dispute', 'withdraw'] });
    expect((await eventsOf('kent', 'K-409')()).length).toBe(before);

    const missingReason = await http().post(`/v1/transfers/${t.transferId}/reject`).send({});
    expect(missingReason.status).toBe(400);
    expect(missingReason.body.errors).toEqual([expect.objectContaining({ path: '/reason' })]);
    await http().post('/v1/transfers/tr-unknown/accept').send({}).expect(404);
    await http().post(`/v1/transfers/${t.transferId}/approve`).send({}).expect(404);
  });

  it('resolves two managers acting at once by optimistic concurrency: one wins, the other is judged again', async () => {
    const t = await proposed('kent', 'K-race', [
      ['ReferralReceived', '2026-05-01T09:00:00+01:00', { referralSource: 'school' }],
      ['WorkerAllocated', '2026-05-01T09:00:00+01:00', { team: 'CSWT', workerId: 'W-1' }],
      ['ChildAccommodated', '2026-05-01T10:00:00+01:00', { legalBasis: 's20', expectedDurationWeeks: 8 }],
    ]);
    const [a, b] = await Promise.all([
      http().post(`/v1/transfers/${t.transferId}/withdraw`).send({ reason: 'placement ended' }),
      http().post(`/v1/transfers/${t.transferId}/reject`).send({ reason: 'not yet' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const events = await eventsOf('kent', 'K-race')();
    expect(decisionsOf(events, 'TransferWithdrawn').length + decisionsOf(events, 'TransferRejected').length).toBe(1);
  });
});

describe('escalation ladders (Done when)', () => {
  it('kent: a dispute goes straight to the service manager; time never takes it further, the service manager escalates it to the assistant director by hand (003 §4)', async () => {
    await setClock('2026-05-07T09:00:00Z');
    const t = await proposed('kent', 'K-dispute', [
      ['ReferralReceived', '2026-05-01T09:00:00+01:00', { referralSource: 'school' }],
      ['WorkerAllocated', '2026-05-01T09:00:00+01:00', { team: 'CSWT', workerId: 'W-1' }],
      ['ChildAccommodated', '2026-05-05T10:00:00+01:00', { legalBasis: 's20', expectedDurationWeeks: 8 }],
    ]);
    const disputed = await http().post(`/v1/transfers/${t.transferId}/dispute`).send({ reason: 'the placement is short term', by: 'CIC team manager' }).expect(200);
    expect(disputed.body).toMatchObject({ status: 'disputed', allowedActions: ['accept', 'reject', 'withdraw'] });

    const first = await eventually(eventsOf('kent', 'K-dispute'), (e) => decisionsOf(e, 'EscalationRaised').length > 0, 'the escalation');
    // §4 gives the Service Managers no timescale, and the Assistant Director only "where
    // necessary": no due date to climb from, and a rung above that only a person reaches.
    expect(decisionsOf(first, 'EscalationRaised')[0].data).toMatchObject({ reason: 'disputed', rung: 2, dueBy: null, transferId: t.transferId });
    expect(String(decisionsOf(first, 'EscalationRaised')[0].data.role)).toMatch(/service manager/i);

    const open = await http().get('/v1/escalations?authority=kent&status=open').expect(200);
    // …with whom the rung told beside the Service Manager (§4: the IRO kept updated).
    expect(open.body.escalations).toEqual(
      expect.arrayContaining([expect.objectContaining({ childId: 'K-dispute', rung: 2, status: 'open', alsoTold: ['Independent Reviewing Officer'] })]),
    );

    // A week on, the dispute has not climbed: the Assistant Director is reached only when the
    // Service Manager escalates it. (Unmet checklist items are escalated by then, in an
    // escalation of their own.)
    await setClock('2026-05-14T09:00:00Z');
    await eventually(eventsOf('kent', 'K-dispute'), (e) => decisionsOf(e, 'EscalationRaised').some((x) => x.data.reason === 'checklist-incomplete'), 'supervision on 14 May');
    const disputeRaises = async () => decisionsOf(await eventsOf('kent', 'K-dispute')(), 'EscalationRaised').filter((x) => x.data.reason === 'disputed');
    expect(await disputeRaises()).toHaveLength(1);

    // The Service Manager escalates it by hand. Another tenant's manager cannot see it; a reason is required.
    const escalationId = String(decisionsOf(first, 'EscalationRaised')[0].data.escalationId);
    const southamptonManager = bearer({ roles: ['manager'], authorities: ['southampton'] });
    await request(app.getHttpServer()).post(`/v1/escalations/${escalationId}/escalate`).set('authorization', southamptonManager).send({ reason: 'probing' }).expect(404);
    await request(app.getHttpServer()).post('/v1/escalations/esc-unknown/escalate').set('authorization', AUTHORIZATION).send({ reason: 'probing' }).expect(404);
    const missing = await http().post(`/v1/escalations/${escalationId}/escalate`).send({}).expect(400);
    expect(missing.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/reason' })]));
    const kentManager = bearer({ subject: 'sm-north', roles: ['manager'], authorities: ['kent'] });
    const escalate = () =>
      request(app.getHttpServer())
        .post(`/v1/escalations/${escalationId}/escalate`)
        .set('authorization', kentManager)
        .set('idempotency-key', 'sm-north-escalate-1')
        .send({ reason: 'the Service Managers cannot agree the transfer point' })
        .expect(200);
    const escalated = await escalate();
    expect(escalated.body).toMatchObject({ escalationId, rung: 3, role: 'Assistant Director', dueBy: null, recorded: [expect.objectContaining({ type: 'EscalationRaised' })] });
    // A retry with the same key gets the first answer and climbs nothing more.
    const raisesBefore = (await disputeRaises()).length;
    expect((await escalate()).body).toEqual(escalated.body);
    expect((await disputeRaises()).length).toBe(raisesBefore);
    expect((await disputeRaises()).at(-1)!.data).toMatchObject({
      escalationId,
      rung: 3,
      role: 'Assistant Director',
      escalatedBy: 'sm-north',
      escalatedBecause: 'the Service Managers cannot agree the transfer point',
      citation: '003_fbe064539c50cc36.txt §4 (“escalate their concerns to the relevant Assistant Director for a resolution”)',
    });
    const atTheTop = await http().post(`/v1/escalations/${escalationId}/escalate`).send({ reason: 'again' }).expect(409);
    expect(atTheTop.body).toMatchObject({ error: 'conflict', problem: 'escalation-at-top-rung', rung: 3, role: 'Assistant Director', status: 'open' });

    // Supervision keeps it at the Assistant Director: not dropped back, not raised again.
    await setClock('2026-06-30T09:00:00Z');
    await eventually(
      async () => (await http().get('/v1/escalations?authority=kent&status=open').expect(200)).body.escalations as { escalationId: string; rung: number }[],
      (open) => open.some((e) => e.escalationId === escalationId && e.rung === 3),
      'the escalation at the Assistant Director',
    );
    expect((await disputeRaises()).map((x) => x.data.rung)).toEqual([2, 3]);

    await http().post(`/v1/transfers/${t.transferId}/accept`).send({ by: 'service manager' }).expect(200);
    await eventually(eventsOf('kent', 'K-dispute'), (e) => decisionsOf(e, 'EscalationResolved').length === 1, 'the escalation resolved');
    const resolved = await http().get('/v1/escalations?authority=kent&status=resolved').expect(200);
    expect(resolved.body.escalations).toEqual(expect.arrayContaining([expect.objectContaining({ childId: 'K-dispute', status: 'resolved' })]));
    expect((await http().post(`/v1/escalations/${escalationId}/escalate`).send({ reason: 'too late' }).expect(409)).body).toMatchObject({ problem: 'escalation-resolved', rung: 3 });
  });

  it('kent: Liberi escalates a dispute to the assistant director with an EscalationRequested case event (003 §4)', async () => {
    await setClock('2026-07-06T09:00:00Z');
    const t = await proposed('kent', 'K-requested', [
      ['ReferralReceived', '2026-07-01T09:00:00+01:00', { referralSource: 'school' }],
      ['WorkerAllocated', '2026-07-01T09:00:00+01:00', { team: 'CSWT', workerId: 'W-1' }],
      ['ChildAccommodated', '2026-07-02T10:00:00+01:00', { legalBasis: 's20', expectedDurationWeeks: 8 }],
    ]);
    await http().post('/v1/case-events').send([envelope('kent', 'K-requested', 'TransferDisputed', '2026-07-06T10:00:00+01:00', { transferId: t.transferId, reason: 'short term' })]).expect(202);
    const raised = await eventually(eventsOf('kent', 'K-requested'), (e) => decisionsOf(e, 'EscalationRaised').some((x) => x.data.reason === 'disputed'), 'the dispute escalated');
    const escalationId = String(decisionsOf(raised, 'EscalationRaised').find((x) => x.data.reason === 'disputed')!.data.escalationId);
    await http()
      .post('/v1/case-events')
      .send([envelope('kent', 'K-requested', 'EscalationRequested', '2026-07-06T11:00:00+01:00', { escalationId, reason: 'for the Assistant Director to resolve', by: 'sm-north' })])
      .expect(202);
    const climbed = await eventually(eventsOf('kent', 'K-requested'), (e) => decisionsOf(e, 'EscalationRaised').some((x) => x.data.rung === 3), 'the escalation at the Assistant Director');
    expect(decisionsOf(climbed, 'EscalationRaised').find((x) => x.data.rung === 3)!.data).toMatchObject({ escalationId, role: 'Assistant Director', escalatedBy: 'sm-north', requestEventId: expect.any(String) });
  });

  it('casework-transfer-policy: the transfer cannot go on until its checklist is signed off (002 Key Principles)', async () => {
    await setClock('2026-05-05T09:00:00Z');
    const t = await proposed('casework-transfer', 'CW-1', [
      ['ReferralReceived', '2026-05-01T09:00:00+01:00', { referralSource: 'school' }],
      ['WorkerAllocated', '2026-05-01T09:00:00+01:00', { team: 'CAI', workerId: 'W-1' }],
      ['ICPCHeld', '2026-05-05T10:00:00+01:00', { outcome: 'cp-plan' }],
    ]);
    expect(t.checklist).toMatchObject({ gating: 'blocking', completed: false });
    expect(t.allowedActions).not.toContain('accept');
    const refused = await http().post(`/v1/transfers/${t.transferId}/accept`).send({});
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ problem: 'checklist-not-signed-off', status: 'proposed' });
    expect(refused.body.unmetItems).toEqual(t.checklist!.items.map((i) => i.itemId));

    // Items met by the case-management system and through the API.
    const [first, ...rest] = t.checklist!.items;
    await http().post('/v1/case-events').send(envelope('casework-transfer', 'CW-1', 'ChecklistItemCompleted', '2026-05-05T11:00:00+01:00', { transferId: t.transferId, itemId: first.itemId })).expect(202);
    for (const item of rest) await http().post(`/v1/transfers/${t.transferId}/checklist/${item.itemId}/met`).send({}).expect(200);
    await eventually(transfersOf('casework-transfer', 'CW-1'), (ts) => ts[0].checklist!.completed, 'the checklist signed off');
    await http().post(`/v1/transfers/${t.transferId}/accept`).send({}).expect(200);
  });

  it('southampton: the transfer goes ahead with its checklist open, and the unmet items are escalated when due as one escalation that lists them (issue 16)', async () => {
    await setClock('2026-05-05T09:00:00Z');
    const t = await proposed('southampton', 'S-1', [
      ['ReferralReceived', '2026-05-05T09:00:00+01:00', { referralSource: 'school' }],
      ['ThresholdDecisionMade', '2026-05-05T10:00:00+01:00', { decision: 'early-help' }],
    ]);
    expect(t.checklist).toMatchObject({ gating: 'non-blocking-escalate', completed: false });
    const due = t.checklist!.items.map((i) => i.dueBy).filter((d): d is string => d !== null).sort();
    expect(due.length).toBeGreaterThan(0);
    await http().post(`/v1/transfers/${t.transferId}/accept`).send({}).expect(200);

    const last = due[due.length - 1];
    await setClock(`${last}T09:00:00Z`);
    await setClock(new Date(Date.parse(`${last}T09:00:00Z`) + 7 * 86400000).toISOString());
    const checklistEscalations = (events: StreamEvent[]) => decisionsOf(events, 'EscalationRaised').filter((x) => x.data.reason === 'checklist-incomplete');
    const itemIds = t.checklist!.items.map((i) => i.itemId);
    expect(itemIds.length).toBeGreaterThanOrEqual(5);
    const events = await eventually(eventsOf('southampton', 'S-1'), (e) => checklistEscalations(e).length > 0, 'the checklist escalation');
    // Principles 11, 12: escalation and manager oversight, once for the transfer, not once per record.
    const [raised] = checklistEscalations(events);
    expect(raised.data).toMatchObject({ transferId: t.transferId, itemIds });
    expect(raised.data.itemId).toBeUndefined();
    const openFor = async () =>
      ((await http().get('/v1/escalations?authority=southampton&status=open').expect(200)).body.escalations as { childId: string; reason: string; escalationId: string; about: string }[]).filter(
        (e) => e.childId === 'S-1' && e.reason === 'checklist-incomplete',
      );
    expect(await openFor()).toEqual([expect.objectContaining({ escalationId: raised.data.escalationId })]);

    // One item met: still one escalation, the same one, naming the others.
    await http().post(`/v1/transfers/${t.transferId}/checklist/${itemIds[0]}/met`).send({}).expect(200);
    await eventually(eventsOf('southampton', 'S-1'), (e) => checklistEscalations(e).some((x) => !(x.data.itemIds as string[]).includes(itemIds[0])), 'the escalation naming the items still unmet');
    const afterOne = await openFor();
    expect(afterOne).toEqual([expect.objectContaining({ escalationId: raised.data.escalationId })]);
    expect(afterOne[0].about).not.toContain(itemIds[0]);

    // Every item met: resolved.
    for (const itemId of itemIds.slice(1)) await http().post(`/v1/transfers/${t.transferId}/checklist/${itemId}/met`).send({}).expect(200);
    await eventually(openFor, (open) => open.length === 0, 'the checklist escalation resolved');
  });

  it('kent: “prior to transfer” checklist items get their due dates when the initial Child in Care Review is scheduled, and escalate when missed (003 §2, issue 16)', async () => {
    await setClock('2026-03-02T09:00:00Z');
    const t = await proposed('kent', 'K-review', [
      ['ReferralReceived', '2026-02-02T09:00:00+00:00', { referralSource: 'school' }],
      ['WorkerAllocated', '2026-02-02T09:00:00+00:00', { team: 'CSWT', workerId: 'W-1' }],
      ['ChildAccommodated', '2026-03-02T10:00:00+00:00', { legalBasis: 's20', expectedDurationWeeks: 26 }],
    ]);
    const dueOf = (transfer: Transfer, itemId: string) => transfer.checklist!.items.find((i) => i.itemId === itemId)!.dueBy;
    expect(t).toMatchObject({ toTeam: 'CIC', dueBy: null });
    expect(dueOf(t, 'case-summary-up-to-date')).toBeNull();

    await http().post('/v1/case-events').send(envelope('kent', 'K-review', 'MeetingScheduled', '2026-03-05T09:00:00+00:00', { kind: 'initial-cic-review', on: '2026-03-27' })).expect(202);
    const [dated] = await eventually(transfersOf('kent', 'K-review'), (ts) => dueOf(ts[0], 'case-summary-up-to-date') !== null, 'the checklist dated by the review');
    expect(dated).toMatchObject({ dueBy: '2026-03-27' });
    // Friday 27 March + 2 working days: Monday 30, Tuesday 31 March.
    expect({ summary: dueOf(dated, 'case-summary-up-to-date'), letter: dueOf(dated, 'letter-to-family-and-professionals') }).toEqual({ summary: '2026-03-27', letter: '2026-03-31' });

    await setClock('2026-03-30T09:00:00Z');
    const events = await eventually(
      eventsOf('kent', 'K-review'),
      (e) => decisionsOf(e, 'EscalationRaised').some((x) => x.data.reason === 'checklist-incomplete'),
      'the checklist escalation on Monday 30 March',
    );
    const [checklist] = decisionsOf(events, 'EscalationRaised').filter((x) => x.data.reason === 'checklist-incomplete');
    expect(checklist.data.itemIds).toEqual(expect.arrayContaining(['case-summary-up-to-date']));
    expect(checklist.data.itemIds).not.toContain('letter-to-family-and-professionals');
  });

  it('a child on a CP plan without a named worker: AllocationRequired at once, an escalation when none comes in time', async () => {
    await setClock('2026-05-05T09:00:00Z');
    await http()
      .post('/v1/case-events')
      .send([
        envelope('kent', 'K-noworker', 'ReferralReceived', '2026-05-01T09:00:00+01:00', { referralSource: 'school' }),
        envelope('kent', 'K-noworker', 'ICPCHeld', '2026-05-05T10:00:00+01:00', { outcome: 'cp-plan', concerns: ['neglect'] }),
      ])
      .expect(202);
    const required = await eventually(eventsOf('kent', 'K-noworker'), (e) => decisionsOf(e, 'AllocationRequired').length === 1, 'AllocationRequired');
    const dueBy = String(decisionsOf(required, 'AllocationRequired')[0].data.dueBy);
    expect(decisionsOf(required, 'EscalationRaised')).toEqual([]);

    await setClock(new Date(Date.parse(`${dueBy}T09:00:00Z`) + 7 * 86400000).toISOString());
    const escalated = await eventually(eventsOf('kent', 'K-noworker'), (e) => decisionsOf(e, 'EscalationRaised').length > 0, 'the no-named-worker escalation');
    expect(decisionsOf(escalated, 'EscalationRaised')[0].data).toMatchObject({ reason: 'no-named-worker' });
  });
});

describe('kent: a transfer to another authority not done in its timescale goes to the Service Manager (003 §9 Child in Need, §4; issue 16)', () => {
  const raisedFor = (events: StreamEvent[], reason: string) => decisionsOf(events, 'EscalationRaised').filter((x) => x.data.reason === reason);

  it('a child in need moved out: the escalation enters at the Service Manager as inter-authority-delay, not the Team Manager, and nothing climbs to the Assistant Director by time', async () => {
    await setClock('2026-05-01T09:00:00Z');
    const t = await proposed('kent', 'K-moved-out', [
      ['ReferralReceived', '2026-03-02T09:00:00+00:00', { referralSource: 'school' }],
      ['WorkerAllocated', '2026-03-02T09:00:00+00:00', { team: 'CSWT', workerId: 'W-1' }],
      ['ChildInNeedPlanStarted', '2026-03-02T10:00:00+00:00', { startedOn: '2026-03-02' }],
      ['ChildMoved', '2026-05-01T10:00:00+01:00', { destination: 'other-authority', planned: true, otherAuthority: 'Medway' }],
    ]);
    // Friday 1 May + 20 working days, skipping the bank holidays of 4 and 25 May: Tuesday 2 June.
    expect(t).toMatchObject({ fromTeam: 'CSWT', toTeam: 'Other-LA', status: 'proposed' });
    expect(t.dueBy).toBe('2026-06-02');

    await setClock('2026-06-03T09:00:00Z');
    const late = await eventually(eventsOf('kent', 'K-moved-out'), (e) => raisedFor(e, 'inter-authority-delay').length > 0, 'the delay escalated on Wednesday 3 June');
    const [delay] = raisedFor(late, 'inter-authority-delay');
    // §9: "The Service Manager should be notified if there is any delay in the receiving local
    // authority accepting responsibility of the child"; §4 gives the Service Manager no timescale.
    expect(delay.data).toMatchObject({ rung: 2, role: 'Service Manager', dueBy: null, transferId: t.transferId, citation: '003_fbe064539c50cc36.txt §4' });
    // A child in need has no Child Protection Chair or IRO to keep updated (§4).
    expect(delay.data.alsoTold).toBeUndefined();
    expect(raisedFor(late, 'overdue')).toEqual([]);
    const open = await http().get('/v1/escalations?authority=kent&status=open').expect(200);
    expect(open.body.escalations).toEqual(expect.arrayContaining([expect.objectContaining({ childId: 'K-moved-out', escalationId: delay.data.escalationId, rung: 2, status: 'open' })]));

    // Three months on, the transfer's unmet checklist has climbed to the Service Manager (so
    // supervision has run), and the delay is still with the Service Manager: only a person takes
    // it to the Assistant Director.
    await setClock('2026-09-01T09:00:00Z');
    const later = await eventually(eventsOf('kent', 'K-moved-out'), (e) => raisedFor(e, 'checklist-incomplete').some((x) => x.data.rung === 2), 'the checklist escalation at the Service Manager');
    expect(raisedFor(later, 'inter-authority-delay').map((x) => x.data.rung)).toEqual([2]);
    expect(decisionsOf(later, 'EscalationRaised').filter((x) => x.data.rung === 3)).toEqual([]);
  });

  it('a child on a Child Protection Plan moved out whose transfer conference passes: the Service Manager, with the Child Protection Chair kept updated', async () => {
    await setClock('2026-03-02T09:00:00Z');
    await http()
      .post('/v1/case-events')
      .send([
        envelope('kent', 'K-cp-moved-out', 'ReferralReceived', '2026-01-05T09:00:00+00:00', { referralSource: 'school' }),
        envelope('kent', 'K-cp-moved-out', 'WorkerAllocated', '2026-01-05T09:00:00+00:00', { team: 'CSWT', workerId: 'W-1' }),
        envelope('kent', 'K-cp-moved-out', 'ICPCHeld', '2026-02-02T10:00:00+00:00', { outcome: 'cp-plan', concerns: ['neglect'] }),
        envelope('kent', 'K-cp-moved-out', 'ChildMoved', '2026-03-02T10:00:00+00:00', { destination: 'other-authority', planned: true, otherAuthority: 'Medway' }),
        envelope('kent', 'K-cp-moved-out', 'MeetingScheduled', '2026-03-06T10:00:00+00:00', { kind: 'transfer-in-conference', on: '2026-03-25' }),
      ])
      .expect(202);
    const [t] = await eventually(
      async () => (await transfersOf('kent', 'K-cp-moved-out')()).filter((x) => x.toTeam === 'Other-LA'),
      (ts) => ts.length === 1 && ts[0].dueBy === '2026-03-25',
      'the transfer dated by the receiving authority’s conference',
    );
    await setClock('2026-03-26T09:00:00Z');
    const late = await eventually(eventsOf('kent', 'K-cp-moved-out'), (e) => raisedFor(e, 'inter-authority-delay').length > 0, 'the delay escalated on Thursday 26 March');
    // §4: "The Child Protection Chair or IRO should be kept updated if there are difficulties experienced in transferring a child".
    expect(raisedFor(late, 'inter-authority-delay')[0].data).toMatchObject({ rung: 2, role: 'Service Manager', transferId: t.transferId, alsoTold: ['Child Protection Chair'] });
  });
});

describe('southampton: a transfer a manager requests on a route no rule takes (004 Principles 8, 11; Transfer Standards 1, issue 16)', () => {
  it('is proposed with its checklist, due the next working day, and escalated when it slips', async () => {
    await setClock('2026-05-01T09:00:00Z');
    const t = await proposed('southampton', 'S-request', [
      ['ReferralReceived', '2026-04-01T09:00:00+01:00', { referralSource: 'school' }],
      ['WorkerAllocated', '2026-04-01T09:00:00+01:00', { team: 'SWF', workerId: 'W-1' }],
      ['TransferRequested', '2026-05-01T10:00:00+01:00', { fromTeam: 'SWF', toTeam: 'CWD', reason: 'agreed by the Service Leads' }],
    ]);
    // Friday 1 May + 1 working day: Monday 4 May is a bank holiday.
    expect(t).toMatchObject({ fromTeam: 'SWF', toTeam: 'CWD', status: 'proposed', dueBy: '2026-05-05', ruleId: 'requested-transfer' });
    expect(t.checklist!.items.length).toBeGreaterThanOrEqual(5);

    await setClock('2026-05-06T09:00:00Z');
    const ofTransfer = (e: StreamEvent[]) => decisionsOf(e, 'EscalationRaised').filter((x) => x.data.transferId === t.transferId);
    const events = await eventually(eventsOf('southampton', 'S-request'), (e) => ofTransfer(e).length === 2, 'the overdue transfer and its checklist escalated');
    expect(ofTransfer(events).map((e) => [e.data.reason, e.data.role]).sort()).toEqual([
      ['checklist-incomplete', 'Practice Managers'],
      ['overdue', 'Practice Managers'],
    ]);
  });
});

describe('southampton: the early warning at the 2nd Looked After Child review, the transfer at final order (004 PTC 1, PTC 2, issue 16)', () => {
  it('flags the transfer to Pathways Through Care undated with its checklist open, takes the items met before the order, and dates the transfer and its items at the final care order', async () => {
    await setClock('2026-06-01T09:00:00Z');
    // Social Work with Families holds a child in care proceedings; the 2nd LAC review on Monday
    // 1 June 2026 agrees permanency in long-term fostering.
    const t = await proposed('southampton', 'S-ptc', [
      ['WorkerAllocated', '2026-01-05T09:00:00+00:00', { team: 'SWF', workerId: 'W-1' }],
      ['CareProceedingsIssued', '2026-02-02T10:00:00+00:00', {}],
      ['OrderMade', '2026-02-03T15:00:00+00:00', { order: 'ICO' }],
      ['CLAReviewHeld', '2026-03-02T10:00:00+00:00', { sequence: 1, plan: 'long-term-fostering' }],
      ['CLAReviewHeld', '2026-06-01T10:00:00+01:00', { sequence: 2, plan: 'long-term-fostering' }],
    ]);
    expect(t).toMatchObject({ fromTeam: 'SWF', toTeam: 'PTC', status: 'proposed', dueBy: null, ruleId: 'permanence-in-proceedings-to-ptc' });
    const PTC_2 = ['receiving-social-worker-identified', 'handover-visit-before-final-order'];
    const itemsOf = (transfer: Transfer) => transfer.checklist!.items.filter((i) => PTC_2.includes(i.itemId)).map(({ itemId, met, dueBy }) => ({ itemId, met, dueBy }));
    expect(itemsOf(t)).toEqual(PTC_2.map((itemId) => ({ itemId, met: false, dueBy: null })));

    // Before the order: the receiving social worker identified (over the API) and the handover
    // visit arranged (reported by the case-management system).
    await http().post(`/v1/transfers/${t.transferId}/checklist/receiving-social-worker-identified/met`).send({}).expect(200);
    await http()
      .post('/v1/case-events')
      .send(envelope('southampton', 'S-ptc', 'ChecklistItemCompleted', '2026-07-15T11:00:00+01:00', { transferId: t.transferId, itemId: 'handover-visit-before-final-order' }))
      .expect(202);
    await eventually(transfersOf('southampton', 'S-ptc'), (ts) => itemsOf(ts[0]).every((i) => i.met), 'both PTC 2 items met before the order');

    // The final care order, Friday 28 August 2026: the transfer and its items fall due that day.
    await setClock('2026-08-28T16:00:00Z');
    await http().post('/v1/case-events').send(envelope('southampton', 'S-ptc', 'OrderMade', '2026-08-28T15:00:00+01:00', { order: 'care-order' })).expect(202);
    const [dated] = await eventually(transfersOf('southampton', 'S-ptc'), (ts) => ts[0].dueBy !== null, 'the transfer dated by the final order');
    expect(dated).toMatchObject({ transferId: t.transferId, toTeam: 'PTC', status: 'proposed', dueBy: '2026-08-28' });
    expect(itemsOf(dated)).toEqual(PTC_2.map((itemId) => ({ itemId, met: true, dueBy: '2026-08-28' })));
    const [rescheduled] = decisionsOf(await eventsOf('southampton', 'S-ptc')(), 'TransferRescheduled');
    expect(rescheduled.data).toMatchObject({ transferId: t.transferId, previousDueBy: null, dueBy: '2026-08-28', handoverPoint: { basis: 'fact', fact: { type: 'OrderMade', occurredOn: '2026-08-28' } } });

    // Past the order, the items met before it are not among those escalated.
    await setClock('2026-09-08T09:00:00Z');
    const events = await eventually(
      eventsOf('southampton', 'S-ptc'),
      (e) => decisionsOf(e, 'EscalationRaised').some((x) => x.data.reason === 'checklist-incomplete'),
      'the escalation of the items still unmet',
    );
    const [unmet] = decisionsOf(events, 'EscalationRaised').filter((x) => x.data.reason === 'checklist-incomplete');
    const escalated = unmet.data.itemIds as string[];
    expect(escalated.length).toBeGreaterThan(0);
    expect(escalated.filter((itemId) => PTC_2.includes(itemId))).toEqual([]);
  });
});

describe('southampton: every child has a named worker (004 Principles 3, issue 16)', () => {
  it('a child on a child in need plan with no worker: AllocationRequired the same day, escalated from the next', async () => {
    await setClock('2026-05-05T09:00:00Z');
    await http()
      .post('/v1/case-events')
      .send([
        envelope('southampton', 'S-cin', 'ReferralReceived', '2026-05-01T09:00:00+01:00', { referralSource: 'school' }),
        envelope('southampton', 'S-cin', 'ChildInNeedPlanStarted', '2026-05-05T10:00:00+01:00', {}),
      ])
      .expect(202);
    const required = await eventually(eventsOf('southampton', 'S-cin'), (e) => decisionsOf(e, 'AllocationRequired').length === 1, 'AllocationRequired');
    expect(decisionsOf(required, 'AllocationRequired')[0].data).toMatchObject({ dueBy: '2026-05-05', reason: 'the child is on a child in need plan and has no named worker' });

    await setClock('2026-05-06T09:00:00Z');
    const escalated = await eventually(eventsOf('southampton', 'S-cin'), (e) => decisionsOf(e, 'EscalationRaised').some((x) => x.data.reason === 'no-named-worker'), 'the no-named-worker escalation');
    expect(decisionsOf(escalated, 'EscalationRaised').find((x) => x.data.reason === 'no-named-worker')!.data).toMatchObject({ rung: 1, role: 'Practice Managers' });
  });
});

describe('southampton: a Step Down Panel referral not actioned in 20 working days lapses (004 CFF 13, CFF 14, issue 16)', () => {
  it('withdraws the transfer as lapsed on the 21st working day, with its decision, and raises no escalation', async () => {
    await setClock('2026-03-02T09:00:00Z');
    // The step-down decision on Monday 2 March refers the YPS case to the Step Down Panel, not yet dated.
    const t = await proposed('southampton', 'S-lapse', [
      ['ReferralReceived', '2026-01-05T09:00:00+00:00', { referralSource: 'school' }],
      ['WorkerAllocated', '2026-01-05T09:00:00+00:00', { team: 'YPS', workerId: 'W-1' }],
      ['ThresholdDecisionMade', '2026-03-02T10:00:00+00:00', { decision: 'step-down-to-early-help' }],
    ]);
    expect(t).toMatchObject({ fromTeam: 'YPS', toTeam: 'CFF', status: 'proposed', dueBy: null, ruleId: 'step-down-panel-to-cff' });

    // 20 working days on is Monday 30 March (still pending that day: the unit scenarios show it);
    // on Tuesday 31 March the referral lapses.
    await setClock('2026-03-31T09:00:00Z');
    const events = await eventually(eventsOf('southampton', 'S-lapse'), (e) => decisionsOf(e, 'TransferWithdrawn').length > 0, 'the lapse');
    expect(decisionsOf(events, 'TransferWithdrawn').map((e) => e.data)).toEqual([
      expect.objectContaining({
        transferId: t.transferId,
        ruleId: 'step-down-panel-referral-lapses',
        citation: '004_3c7817f90012ec66.txt CFF 13, CFF 14',
        lapsed: { deadlineId: 'step-down-panel-referral-lapses', dueBy: '2026-03-30' },
      }),
    ]);
    const [transfer] = await transfersOf('southampton', 'S-lapse')();
    expect(transfer).toMatchObject({ transferId: t.transferId, status: 'withdrawn', allowedActions: [] });
    // A later day, and the timer firing again, record nothing more and escalate nothing.
    await setClock('2026-04-02T09:00:00Z');
    await setClock('2026-04-03T09:00:00Z');
    const later = await eventsOf('southampton', 'S-lapse')();
    expect(decisionsOf(later, 'TransferWithdrawn')).toHaveLength(1);
    expect(decisionsOf(later, 'EscalationRaised')).toEqual([]);
    const open = (await http().get('/v1/escalations?authority=southampton&status=open').expect(200)).body.escalations as { childId: string }[];
    expect(open.filter((e) => e.childId === 'S-lapse')).toEqual([]);
  });
});

describe('transfer points that do not move the case (002 rows 3, 6 and 7)', () => {
  it('records "remains in CAI" with its citation and proposes nothing (002 row 3)', async () => {
    await http()
      .post('/v1/case-events')
      .send([
        envelope('casework-transfer', 'CW-remains', 'ReferralReceived', '2026-05-01T09:00:00+01:00', { referralSource: 'school' }),
        envelope('casework-transfer', 'CW-remains', 'WorkerAllocated', '2026-05-01T09:00:00+01:00', { team: 'CAI', workerId: 'W-1' }),
        envelope('casework-transfer', 'CW-remains', 'ICPCHeld', '2026-05-05T10:00:00+01:00', { outcome: 'cin-plan' }),
      ])
      .expect(202);
    const events = await eventually(eventsOf('casework-transfer', 'CW-remains'), (e) => decisionsOf(e, 'CaseRetained').length === 1, 'CaseRetained');
    expect(decisionsOf(events, 'CaseRetained')[0].data).toMatchObject({
      team: 'CAI',
      ruleId: 'icpc-child-in-need-plan-remains-in-cai',
      citation: expect.stringMatching(/^002_db118e58069623db\.txt transfer-point table, row 3/),
    });
    expect(decisionsOf(events, 'TransferProposed')).toEqual([]);
  });

  it('asks the Leaving Care Service for a co-worker at 16 beside the transfer at 18, and its personal advisor does not move the case (002 row 7)', async () => {
    await setClock('2026-06-01T09:00:00Z');
    const t = await proposed('casework-transfer', 'CW-pa', [
      ['ReferralReceived', '2025-09-01T09:00:00+01:00', { referralSource: 'school' }],
      ['WorkerAllocated', '2025-09-01T09:00:00+01:00', { team: 'CLA', workerId: 'W-1' }],
      ['ChildDetailsRecorded', '2025-09-01T09:00:00+01:00', { dateOfBirth: '2010-06-15' }],
      ['ChildAccommodated', '2025-09-01T10:00:00+01:00', { legalBasis: 's20' }],
      ['BirthdayApproaching', '2026-06-01T08:00:00+01:00', { ageYears: 16, on: '2026-06-15' }],
    ]);
    expect(t).toMatchObject({ fromTeam: 'CLA', toTeam: 'LCS', status: 'proposed' });
    const coWork = decisionsOf(await eventsOf('casework-transfer', 'CW-pa')(), 'CoWorkRequired');
    expect(coWork.map((d) => d.data)).toEqual([expect.objectContaining({ holdingTeam: 'CLA', coWorkingTeam: 'LCS', dueBy: '2026-06-15' })]);

    await http().post('/v1/case-events').send(envelope('casework-transfer', 'CW-pa', 'WorkerAllocated', '2026-06-10T09:00:00+01:00', { team: 'LCS', workerId: 'PA-1' })).expect(202);
    await eventually(eventsOf('casework-transfer', 'CW-pa'), (e) => e.some((x) => x.kind === 'fact' && x.type === 'WorkerAllocated' && x.data.team === 'LCS'), 'the co-worker recorded');
    // Give allocation time to judge it: it must not complete the transfer.
    await new Promise((r) => setTimeout(r, 500));
    const [still] = await transfersOf('casework-transfer', 'CW-pa')();
    expect(still).toMatchObject({ transferId: t.transferId, status: 'proposed' });
    const view = await http().get('/v1/children/CW-pa/transfers?authority=casework-transfer').expect(200);
    expect(view.body.coWorks).toEqual([expect.objectContaining({ team: 'LCS', workerId: 'PA-1', dueBy: '2026-06-15', escalations: [] })]);
    expect(view.body.retained).toBeNull();
    expect(decisionsOf(await eventsOf('casework-transfer', 'CW-pa')(), 'TransferCompleted')).toEqual([]);
  });
});

describe('durable timers across a restart', () => {
  it('fires each timer due while the process was down exactly once', async () => {
    await setClock('2026-06-01T09:00:00Z');
    await http()
      .post('/v1/case-events')
      .send([
        envelope('kent', 'K-restart', 'ReferralReceived', '2026-06-01T09:00:00+01:00', { referralSource: 'school' }),
        envelope('kent', 'K-restart', 'ICPCHeld', '2026-06-01T10:00:00+01:00', { outcome: 'cp-plan', concerns: ['neglect'] }),
      ])
      .expect(202);
    await eventually(eventsOf('kent', 'K-restart'), (e) => decisionsOf(e, 'AllocationRequired').length === 1, 'AllocationRequired');
    // Give the escalation service time to record its timer, then stop with it pending.
    await new Promise((r) => setTimeout(r, 500));
    await app.close();

    await start('2026-06-10T09:00:00Z');
    await eventually(eventsOf('kent', 'K-restart'), (e) => decisionsOf(e, 'EscalationRaised').length > 0, 'the escalation after the restart');
    await new Promise((r) => setTimeout(r, 1000));
    const afterFirst = decisionsOf(await eventsOf('kent', 'K-restart')(), 'EscalationRaised').map((e) => `${e.data.escalationId}:${e.data.rung}`);
    expect(new Set(afterFirst).size).toBe(afterFirst.length);

    await app.close();
    // The same day again: what the timers have already recorded is not recorded twice.
    await start('2026-06-10T09:00:00Z');
    await new Promise((r) => setTimeout(r, 1000));
    const afterSecond = decisionsOf(await eventsOf('kent', 'K-restart')(), 'EscalationRaised').map((e) => `${e.data.escalationId}:${e.data.rung}`);
    expect(afterSecond).toEqual(afterFirst);
  });
});
