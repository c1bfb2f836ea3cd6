import { NO_PROCEDURES, type PolicyPack, type TransferRule } from '@cto/domain';
import type { ChildRow, TransferRow } from './rows';
import { percentile, summarise } from './summary';

const transfer = (over: Partial<TransferRow>): TransferRow => ({
  transferId: 'T',
  authority: 'demo',
  childId: 'C',
  status: 'proposed',
  fromTeam: 'A&I',
  toTeam: 'FSP',
  ruleId: 'cp-to-fsp',
  citation: '000 ¶12',
  packId: 'p',
  packVersion: '1',
  proposedAt: '2026-05-01T09:00:00.000000Z',
  proposedOn: '2026-05-01',
  dueBy: '2026-05-18',
  completedAt: null,
  completedOn: null,
  closedOn: null,
  closedReason: null,
  closedCitation: null,
  lastChangedAt: '2026-05-01T09:00:00.000000Z',
  ...over,
});

const child = (childId: string, transfers: number, completedTransfers: number): ChildRow => ({
  authority: 'demo',
  childId,
  currentTeam: null,
  transfers,
  completedTransfers,
  openTransfers: transfers - completedTransfers,
  closedDaysOnTransfer: 0,
  lastChangedAt: '2026-05-01T09:00:00.000000Z',
});

const rule = (id: string, handover: TransferRule['handover']): TransferRule => ({
  id,
  version: 1,
  title: id,
  citation: '000 ¶12',
  from: ['A&I'],
  to: 'FSP',
  when: { events: ['ICPCHeld'], conditions: [] },
  unless: [],
  handover,
  priority: 0,
});

const pack = (rules: TransferRule[]): PolicyPack => ({
  ...NO_PROCEDURES,
  id: 'p',
  version: '1',
  title: 'p',
  source: '000',
  authorities: ['demo'],
  teams: [],
  frontDoor: { team: 'A&I' },
  meetingKinds: [],
  nonWorkingDays: [],
  rules,
  notEncoded: [],
});

describe('percentile (linear interpolation, as percentile_cont)', () => {
  it('gives the median and 90th percentile of a small sample', () => {
    expect(percentile([5, 1, 3], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9.1);
    expect(percentile([7], 90)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('the summary report', () => {
  // Friday 1 May 2026 → Monday 18 May is 10 working days (Monday 4 May is a bank holiday).
  const rows = [
    transfer({ transferId: 'T-1', status: 'completed', completedOn: '2026-05-18', closedOn: '2026-05-18' }),
    transfer({ transferId: 'T-2', status: 'completed', completedOn: '2026-05-19', closedOn: '2026-05-19' }),
    transfer({ transferId: 'T-3', status: 'accepted', dueBy: '2026-05-18' }),
    transfer({ transferId: 'T-4', status: 'proposed', dueBy: '2026-05-20' }),
    transfer({ transferId: 'T-5', status: 'withdrawn', closedOn: '2026-05-02' }),
    transfer({ transferId: 'T-6', fromTeam: 'FSP', toTeam: 'CIC', ruleId: 'to-cic', status: 'completed', completedOn: '2026-05-05', closedOn: '2026-05-05' }),
    transfer({ transferId: 'X', authority: 'kent', status: 'completed', completedOn: '2026-05-05' }),
  ];

  it('counts open, overdue and completed per route and measures working days to complete against the rule’s own target', () => {
    const summary = summarise({
      authority: 'demo',
      asOf: '2026-05-19',
      pack: pack([rule('cp-to-fsp', { description: 'icg', meeting: 'initial-core-group', within: '10 working days', after: 'trigger' }), rule('to-cic', { description: 'at the ICPC', meeting: 'icpc' })]),
      transfers: rows,
      children: [child('A', 2, 1), child('B', 1, 0), child('C', 3, 2)],
    });
    expect(summary.routes).toEqual([
      {
        fromTeam: 'A&I',
        toTeam: 'FSP',
        ruleId: 'cp-to-fsp',
        citation: '000 ¶12',
        open: 2,
        overdue: 1,
        completed: 2,
        workingDaysToComplete: { median: 10.5, p90: 10.9 },
        target: { within: '10 working days', completedWithinTarget: 1 },
      },
      {
        fromTeam: 'FSP',
        toTeam: 'CIC',
        ruleId: 'to-cic',
        citation: '000 ¶12',
        open: 0,
        overdue: 0,
        completed: 1,
        workingDaysToComplete: { median: 1, p90: 1 },
        target: null,
      },
    ]);
    expect(summary.transitionsPerChild).toEqual({ children: 3, mean: 1, max: 2 });
  });

  it('has no target when the timescale runs from something other than the trigger, and no figures when nothing completed', () => {
    const summary = summarise({
      authority: 'demo',
      asOf: '2026-05-19',
      pack: pack([rule('cp-to-fsp', { description: 'before 18', within: '3 months', before: { age: '18 years' } })]),
      transfers: [transfer({ transferId: 'T-9' })],
      children: [],
    });
    expect(summary.routes[0]).toMatchObject({ open: 1, completed: 0, workingDaysToComplete: { median: null, p90: null }, target: null });
    expect(summary.transitionsPerChild).toEqual({ children: 0, mean: null, max: null });
  });

  it('judges a calendar timescale by the calendar: 2 weeks after Friday 1 May is Friday 15 May', () => {
    const summary = summarise({
      authority: 'demo',
      asOf: '2026-06-01',
      pack: pack([rule('cp-to-fsp', { description: 'two weeks', within: '2 weeks' })]),
      transfers: [
        transfer({ transferId: 'in', status: 'completed', completedOn: '2026-05-15' }),
        transfer({ transferId: 'late', status: 'completed', completedOn: '2026-05-16' }),
      ],
      children: [],
    });
    expect(summary.routes[0].target).toEqual({ within: '2 weeks', completedWithinTarget: 1 });
  });
});
