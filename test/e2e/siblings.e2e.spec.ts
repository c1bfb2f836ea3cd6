/**
 * Siblings over HTTP, on the embedded system with the shipped packs (issue 16): Kent's sibling group
 * in care proceedings, one child accommodated and one living at home, both proposed to the Children
 * in Care Team — the one in care at its initial Child in Care Review under its own rule, the one at
 * home alongside it at its Core Group Meeting (003 §6: "Transfer for the siblings not in care will
 * occur at the same time, via, a Core Group Meeting or Child in Need Review") — while a sibling not
 * in proceedings stays with the district. The sibling at home's facts are posted before the
 * proposal they join, as a case-management system may send them. Real PGlite file store, nothing mocked.
 */
import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ROLES } from '@cto/access-control';
import { loadConfig } from '@cto/runtime';
import { createEmbeddedApp } from '@cto/embedded';
import { bearer, eventually, testAuthEnv } from '@cto/testing';

jest.setTimeout(90000);

let dataDir: string;
let app: INestApplication;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cto-siblings-'));
  app = await createEmbeddedApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', POLL_INTERVAL_MS: '50', CLOCK_START: '2026-05-07T09:00:00Z', ...testAuthEnv() }));
  await app.init();
});

afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const http = () => request.agent(app.getHttpServer()).set('authorization', bearer({ roles: [...ROLES], authorities: ['kent'] }));

const FAMILY = 'F-SIB-1';
let seq = 0;
const fact = (childId: string, type: string, occurredAt: string, data: object) => ({
  eventId: `sib-${++seq}`,
  type,
  authority: 'kent',
  childId,
  familyId: FAMILY,
  occurredAt,
  source: 'liberi',
  data,
});

interface Transfer {
  transferId: string;
  ruleId: string;
  status: string;
  fromTeam: string;
  toTeam: string;
  dueBy: string | null;
  citation: string;
  handoverPoint: { basis: string; meeting?: string };
}
const transfersOf = (childId: string) => async (): Promise<Transfer[]> => (await http().get(`/v1/children/${childId}/transfers?authority=kent`)).body.transfers ?? [];

describe('Kent 003 §6: a sibling group in care proceedings, not all in care, moves to CIC together', () => {
  it('proposes the accommodated child at its initial Child in Care Review and the sibling at home alongside, at its Core Group Meeting', async () => {
    await http()
      .post('/v1/case-events')
      .send([
        // The sibling at home: with the district, its core group dated, in proceedings.
        fact('SIB-HOME', 'WorkerAllocated', '2026-03-02T10:00:00Z', { team: 'CSWT', workerId: 'W-1' }),
        fact('SIB-HOME', 'MeetingScheduled', '2026-05-05T10:00:00+01:00', { kind: 'core-group', on: '2026-05-20' }),
        fact('SIB-HOME', 'CareProceedingsIssued', '2026-05-06T10:00:00+01:00', {}),
        // A sibling not in proceedings stays with the district.
        fact('SIB-OTHER', 'WorkerAllocated', '2026-03-02T10:00:00Z', { team: 'CSWT', workerId: 'W-1' }),
      ])
      .expect(202);
    await http()
      .post('/v1/case-events')
      .send([
        fact('SIB-CARE', 'WorkerAllocated', '2026-03-02T10:00:00Z', { team: 'CSWT', workerId: 'W-1' }),
        fact('SIB-CARE', 'ChildAccommodated', '2026-04-20T10:00:00+01:00', { legalBasis: 's20' }),
        fact('SIB-CARE', 'MeetingScheduled', '2026-05-05T11:00:00+01:00', { kind: 'initial-cic-review', on: '2026-05-21' }),
        fact('SIB-CARE', 'CareProceedingsIssued', '2026-05-06T10:00:00+01:00', {}),
      ])
      .expect(202);

    const [inCare] = await eventually(transfersOf('SIB-CARE'), (t) => t.length > 0, 'the accommodated child proposed to CIC');
    expect(inCare).toMatchObject({
      ruleId: 'care-proceedings-already-accommodated-to-cic',
      fromTeam: 'CSWT',
      toTeam: 'CIC',
      status: 'proposed',
      dueBy: '2026-05-21',
      handoverPoint: { basis: 'meeting', meeting: 'initial-cic-review' },
    });
    const [atHome] = await eventually(transfersOf('SIB-HOME'), (t) => t.length > 0, 'the sibling at home proposed alongside');
    expect(atHome).toMatchObject({
      ruleId: 'siblings-in-proceedings-not-in-care-to-cic',
      fromTeam: 'CSWT',
      toTeam: 'CIC',
      status: 'proposed',
      dueBy: '2026-05-20',
      handoverPoint: { basis: 'meeting', meeting: 'core-group' },
      citation: expect.stringContaining('“Where siblings are in proceedings but not all are in care”'),
    });
    expect(await transfersOf('SIB-OTHER')()).toEqual([]);
  });

  it('re-dates the sibling at home when its CIN Review is scheduled instead (no core group), and withdraws its move once a separation is recorded', async () => {
    await http()
      .post('/v1/case-events')
      .send([
        fact('SIB2-HOME', 'WorkerAllocated', '2026-03-02T10:00:00Z', { team: 'CSWT', workerId: 'W-2' }),
        fact('SIB2-HOME', 'CareProceedingsIssued', '2026-05-06T10:00:00+01:00', {}),
        fact('SIB2-CARE', 'WorkerAllocated', '2026-03-02T10:00:00Z', { team: 'CSWT', workerId: 'W-2' }),
        fact('SIB2-CARE', 'ChildAccommodated', '2026-04-20T10:00:00+01:00', { legalBasis: 's20' }),
        fact('SIB2-CARE', 'CareProceedingsIssued', '2026-05-06T10:00:00+01:00', {}),
      ].map((f) => ({ ...f, familyId: 'F-SIB-2' })))
      .expect(202);
    const [awaiting] = await eventually(transfersOf('SIB2-HOME'), (t) => t.length > 0, 'the sibling at home proposed alongside');
    expect(awaiting).toMatchObject({ ruleId: 'siblings-in-proceedings-not-in-care-to-cic', toTeam: 'CIC', dueBy: null, handoverPoint: { basis: 'awaiting-date', meeting: 'cin-review' } });

    await http()
      .post('/v1/case-events')
      .send([{ ...fact('SIB2-HOME', 'MeetingScheduled', '2026-05-08T10:00:00+01:00', { kind: 'cin-review', on: '2026-05-22' }), familyId: 'F-SIB-2' }])
      .expect(202);
    await eventually(transfersOf('SIB2-HOME'), (t) => t[0]?.dueBy === '2026-05-22', 'the move alongside dated at the CIN Review');

    await http()
      .post('/v1/case-events')
      .send([{ ...fact('SIB2-HOME', 'SiblingSeparationRecorded', '2026-05-11T10:00:00+01:00', { reason: 'exceptional circumstances agreed by CSWT' }), familyId: 'F-SIB-2' }])
      .expect(202);
    const [withdrawn] = await eventually(transfersOf('SIB2-HOME'), (t) => t[0]?.status === 'withdrawn', 'the move alongside withdrawn');
    expect(withdrawn.ruleId).toBe('siblings-in-proceedings-not-in-care-to-cic');
    expect((await transfersOf('SIB2-CARE')())[0]).toMatchObject({ toTeam: 'CIC', status: 'proposed' });
  });
});
