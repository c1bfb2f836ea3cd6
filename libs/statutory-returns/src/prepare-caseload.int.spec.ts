import { compilePack, type CaseEvent } from '@cto/domain';
import { loadPolicyPackFile } from '@cto/policy-packs';
import { join } from 'node:path';
import type { MappedCaseload } from './caseload';
import { dryRunReport } from './caseload-report';
import { prepareCaseload, UNNAMED_WORKER } from './prepare-caseload';
import { readTeamsFile } from './teams-file';

const pack = loadPolicyPackFile(join(__dirname, '../../../policies/internal-transfer-v11.yaml'));
const compiled = compilePack(pack);
const today = '2026-12-07';

const event = <T extends CaseEvent['type']>(childId: string, id: string, type: T, on: string, data: CaseEvent<T>['data']): CaseEvent =>
  ({ eventId: `ssda903:${childId}:${id}`, type, authority: 'demo', childId, occurredAt: `${on}T12:00:00Z`, source: 'ssda903', data }) as CaseEvent;

/** In care on a care order since 2019; 15½ in July 2025 and 16 in January 2026, both past. */
const inCare = {
  childId: 'C-1',
  events: [event('C-1', 'dob', 'ChildDetailsRecorded', '2019-03-01', { dateOfBirth: '2010-01-15' }), event('C-1', 'ep1', 'ChildAccommodated', '2019-03-01', { legalBasis: 'care-order' })],
  current: { kind: 'looked-after' as const, since: '2019-03-01', code: 'C2' },
  assumptions: [],
};
/** A care leaver turning 18 within the report's 90 days, and a closed case. */
const leaver = {
  childId: 'C-2',
  events: [event('C-2', 'dob', 'ChildDetailsRecorded', '2020-05-01', { dateOfBirth: '2009-01-20' })],
  current: { kind: 'care-leaver' as const, since: '2025-06-01' },
  assumptions: ['care plan at reviews not in the return: recorded as other'],
};
const closed = { childId: 'C-3', events: [event('C-3', 'dob', 'ChildDetailsRecorded', '2020-05-01', { dateOfBirth: '2015-02-01' })], current: { kind: 'closed' as const, since: '2022-01-01' }, assumptions: [] };
const caseload: MappedCaseload = { source: 'ssda903', authority: 'demo', childrenRead: 4, children: [inCare, leaver, closed], refusals: [{ file: 'header.csv', line: 5, field: 'DOB', childId: 'C-4', reason: 'not a date' }], refusedChildren: ['C-4'] };

describe('prepareCaseload', () => {
  it("holds a child with the pack's team for its involvement, from the day it began and ahead of that day's facts, and says so", () => {
    const [child] = prepareCaseload(caseload, compiled, { today }).children;

    expect(child.facts.map((f) => [f.type, f.occurredAt.slice(0, 10)])).toEqual([
      ['WorkerAllocated', '2019-03-01'],
      ['ChildDetailsRecorded', '2019-03-01'],
      ['ChildAccommodated', '2019-03-01'],
      ['BirthdayApproaching', '2025-07-15'],
      ['BirthdayApproaching', '2026-01-15'],
    ]);
    expect(child.facts[0].data).toEqual({ team: 'CLA', workerId: UNNAMED_WORKER });
    expect(child.holdingTeam).toEqual({ team: 'CLA', assumed: true, since: '2019-03-01' });
    expect(child.assumptions).toEqual([
      expect.stringMatching(/^held by CLA since 2019-03-01: the pack's holding team for a child looked after/),
      expect.stringMatching(/^no named worker in the return/),
      'milestones passed while with the authority announced on their day: 15.5 on 2025-07-15, 16 on 2026-01-15',
    ]);
  });

  it('gives the same event ids every time it prepares the same return', () => {
    const ids = () => prepareCaseload(caseload, compiled, { today }).children.flatMap((c) => c.facts.map((f) => f.eventId));
    expect(ids()).toEqual(ids());
    expect(new Set(ids()).size).toBe(ids().length);
  });

  it('takes the team and worker from --teams, and refuses a child whose row names a team the pack lacks', () => {
    const teams = readTeamsFile({ file: 'teams.csv', text: 'child,team,worker\nC-1,16+,W-7\nC-2,Leaving Care\n' }, pack);
    const prepared = prepareCaseload(caseload, compiled, { today, teams });

    expect(prepared.children.map((c) => c.childId)).toEqual(['C-1', 'C-3']);
    expect(prepared.children[0].facts[0].data).toEqual({ team: '16+', workerId: 'W-7' });
    expect(prepared.children[0].holdingTeam?.assumed).toBe(false);
    expect(prepared.refusedChildren).toEqual(['C-2', 'C-4']);
    expect(prepared.refusals[1]).toEqual({ file: 'teams.csv', line: 3, field: 'team', childId: 'C-2', reason: expect.stringMatching(/^team "Leaving Care" is not one of pack internal-transfer-v11's/) });
  });

  it('holds a closed case with no team and announces nothing for it', () => {
    const child = prepareCaseload(caseload, compiled, { today }).children.find((c) => c.childId === 'C-3');
    expect(child?.facts.map((f) => f.type)).toEqual(['ChildDetailsRecorded']);
    expect(child?.holdingTeam).toBeUndefined();
  });
});

describe('readTeamsFile', () => {
  it('refuses a file without the child and team columns, and a child named twice', () => {
    expect(readTeamsFile({ file: 't.csv', text: 'id,unit\nC-1,CLA\n' }, pack).refusals).toEqual([{ file: 't.csv', line: 1, field: 'child', reason: 'missing column child (expected child,team[,worker])' }]);
    expect(readTeamsFile({ file: 't.csv', text: 'child,team\nC-1,CLA\nC-1,FSP\n' }, pack).refusals).toEqual([
      { file: 't.csv', line: 3, field: 'child', childId: 'C-1', reason: 'child C-1 is named twice (also on line 2)' },
    ]);
  });
});

describe('dryRunReport', () => {
  const report = dryRunReport(prepareCaseload(caseload, compiled, { today }), compiled, `${today}T09:00:00Z`);

  it('names the transfer the pack required at 15½ and nobody made as overdue, with its rule and citation', () => {
    expect(report.transfers).toEqual([
      expect.objectContaining({ childId: 'C-1', fromTeam: 'CLA', toTeam: '16+', ruleId: 'cla-to-16-plus-at-15-and-a-half', citation: '000_c0d212b149d080fa.txt ¶20', overdue: true }),
    ]);
  });

  it('counts what it read and lists refusals, assumptions and milestones in the next 90 days', () => {
    expect(report).toMatchObject({ authority: 'demo', packId: 'internal-transfer-v11', today, transfersFrom: 'dry-run', childrenRead: 4, childrenImported: 3, refusedChildren: ['C-4'] });
    expect(report.upcomingMilestones).toEqual([{ childId: 'C-2', ageYears: 18, on: '2027-01-20' }]);
    expect(report.assumptions.filter((a) => a.childId === 'C-2').map((a) => a.what)).toContain('care plan at reviews not in the return: recorded as other');
  });
});
